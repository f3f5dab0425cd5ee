"""`{% once key, … %}…{% endonce %}`: a part of pages made once per build.

An entry's teaser is the same on the start page, its category, its author
and each of its tags; the footer is the same on every page but for the link
to the page itself. Jinja renders each of them again on every page: on a
site of 2,000 entries, a third of the time spent rendering.

    {% once article, heading_level, SITEURL %}
    {% include "partials/article_teaser.html" %}
    {% endonce %}

renders the body the first time a key is met and gives the same markup for
that key afterwards. The key must hold everything the body depends on that
can differ from one page to another (with RELATIVE_URLS, SITEURL does); the
place of the block in its template is added to it. The markup is kept as
long as the template environment, which Pelican makes anew for every build.
"""

from jinja2 import nodes
from jinja2.ext import Extension


class Once(Extension):
    """The `once` tag (see the module docstring)."""

    tags = frozenset({"once"})

    def __init__(self, environment):
        super().__init__(environment)
        environment.extend(fortsetzung_once={})

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = [nodes.Const(f"{parser.name}:{lineno}")]
        key.append(parser.parse_expression())
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endonce",), drop_needle=True)
        call = self.call_method("_render", [nodes.Tuple(key, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render(self, key, caller):
        kept = self.environment.fortsetzung_once
        markup = kept.get(key)
        if markup is None:
            markup = kept[key] = caller()
        return markup
