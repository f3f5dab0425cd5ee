"""Checks of the content that Pelican itself does not make.

They run in every build, after all generators have read the content and
before anything is written, so the preview, `invoke check`, `build` and
`publish` see the same problems. Each check returns `Problem`s naming file,
line and field in words a trainee understands. What vetting found while
Pelican read the content (vet_content.py: unsafe HTML, markup in fields, paths)
is reported here too; the header's own checks are in headers.py, and
placeholders are looked for as placeholders.py says. `check_site` changes
nothing: it checks the model that generator.finalise made final, with the
steps defined here (`map_site`, `plan_redirects`, `replace_templates`).
"""

import os
from collections import Counter
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from pelican.generators import PelicanTemplateNotFound

from .. import fields
from ..i18n import _
from ..memo import Memo
from ..oldblog import redirects
from ..problems import Problem, display_path
from ..settings import RUNNING
from . import placeholders
from .frontmatter import parse_header, read_header
from .headers import (
    check_header,
    date_problems,
    grammar_problems,
    is_markdown,
    kind_of,
    lost,
    missing_fields,
    tab_length,
)
from .limits import Limits, OverLimit, limited
from .output_plan import OutputPlan, encode_static_urls, freeze_urls
from .source import SourceError, check_readable, line_of, read_source, shown
from .vet_content import content_path, problems_of

#: Pelican's statuses: the schema's choices, and "skip" (not read at all).
STATUSES = (*fields.named("Status").choices, "skip")
#: Pelican's lists of published entries and pages (hidden: not listed).
PUBLISHED = ("articles", "hidden_articles", "pages", "hidden_pages")
#: Pelican's lists of drafts (each with its translations).
DRAFTS = ("drafts", "draft_pages")


def versions(content):
    """Return `content` and its translations."""
    return [content, *getattr(content, "translations", [])]


def locate(problem):
    """Fill in the line of a header field the problem names, if it can be found."""
    if (
        problem.line
        or not is_markdown(problem.path)
        or not os.path.isfile(problem.path)
    ):
        return problem
    try:
        field = read_header(problem.path).get(problem.field.lower())
    except SourceError:
        return problem
    return replace(problem, line=field.line) if field else problem


def contents(context, series, draft_series=()):
    """Return (published, drafts): every entry, page and series description.

    Translations are written (and checked) as any other content.
    """
    published = [
        *(v for key in PUBLISHED for c in context.get(key, []) for v in versions(c)),
        *(s.description for s in series),
    ]
    drafts = [
        *(v for key in DRAFTS for c in context.get(key, []) for v in versions(c)),
        *(s.description for s in draft_series),
    ]
    return published, drafts


def map_site(context, settings, series_list):
    """Freeze (and encode) the URLs, map every file the build writes; return (site, problems).

    A step of finalising the model (generator.finalise): what loses a clash
    is disabled here, so it is not written (output_plan.py).
    """
    # the plugins are done: from here on, addresses are looked up, not computed
    freeze_urls(context.get("generated_content", {}).values())
    encode_static_urls(context.get("static_content", {}).values())
    site = OutputPlan(context, settings, series_list)
    return site, [locate(p) for p in site.clashes()]


def check_site(context, settings, site, published, drafts):
    """Check every entry, page and series of the finalised model; return the problems.

    Changes nothing (see generator.finalise for what is decided before).
    Drafts and series that are not published yet are work in progress:
    their mistakes are warnings, so that they never block publishing.
    """
    # what the settings are: per-file checks are kept while they stay so
    settings_key = repr(
        sorted(((k, v) for k, v in settings.items() if k not in RUNNING), key=str)
    )
    # what links are checked against: one object for equal versions
    version = site.version()
    version = _VERSIONS.get(version, lambda: version)
    # one after another, or as a tool that runs Pelican shares them out
    found = (settings.get("FORTSETZUNG_MAP") or map)(
        partial(
            check_within_limit, site=site, settings_key=settings_key, version=version
        ),
        [*published, *drafts],
    )
    problems = []
    for n, text in enumerate(found):
        problems += text if n < len(published) else _as_warnings(text)
    return problems + check_unreadable(context)


def _as_warnings(problems):
    return [replace(p, severity="warning") for p in problems]


def plan_redirects(site, settings, published, drafts, series):
    """Plan the redirects to the published contents; return (redirects, problems).

    A step of finalising the model: each redirect claims its address in
    `site`. A draft's old addresses are only checked: no redirect leads to a
    page that is not published.
    """
    descriptions = {id(s.description): s for s in series}
    targets = [
        (content, descriptions.get(id(content), content)) for content in published
    ]
    planned, problems = redirects.plan(targets, site, settings)
    problems += _as_warnings(p for draft in drafts for p in redirects.unparsable(draft))
    return planned, [locate(p) for p in problems]


def replace_templates(published, drafts, get_template):
    """Give content that names a template it may not the default; return problems.

    A step of finalising the model (see `check_template`); a draft's are
    warnings.
    """
    problems = [p for c in published for p in check_template(c, get_template)]
    return problems + _as_warnings(
        p for c in drafts for p in check_template(c, get_template)
    )


def check_within_limit(content, site, settings_key, version):
    """`check_content`, stopped after FORTSETZUNG_READ_TIMEOUT seconds (limits.py).

    Each finding is looked for in the text: tens of thousands of them in one
    file would take many minutes.
    """
    seconds = Limits.of(content.settings).seconds
    try:
        return limited(
            seconds, check_content, content, site, settings_key, version,
            kind="checking",
        )  # fmt: skip
    except OverLimit as refused:
        return [Problem(display_path(content), _("File"), refused.message, refused.fix)]


def check_content(content, site, settings_key, version):
    """Every problem of one entry, page or series description but its template.

    `version`: the site's (OutputPlan.version).
    """
    source = read_source(content.source_path)
    return [
        *(locate(p) for p in problems_of(content)),
        *(
            Problem(
                display_path(content),
                _("File"),
                str(replaced),
                _(
                    "Delete the character (it is invisible: simplest is to write "
                    "the line anew)."
                ),
                line=replaced.line,
                severity="warning",
            )
            for replaced in source.replaced
        ),
        *check_header(content, source, settings_key),
        *check_against_site(content, site, source.text, settings_key, version),
    ]


def check_against_site(content, site, text, settings_key, version):
    """Return the problems of `content` that depend on the rest of the site.

    Kept for the next build (memo.py) while the content, the settings and
    what links are checked against (`OutputPlan.version`) stay the same:
    in the preview, a saved entry is checked again, the others are not.
    Making an entry's links (Pelican's `content`) is most of checking it.
    """

    def check():
        problems = [*check_image(content, site), *check_body(content, site, text)]
        return problems, content.content  # Pelican keeps what it made

    key = (
        text,
        content._content,
        settings_key,
        content.source_path,
        display_path(content),
        content.url,
        version,
    )
    problems, html = _AGAINST_SITE.get(key, check)
    # what the body holds is kept too: a new file changes the version, and
    # then every body is checked again (memo.py forgets what a build did not
    # ask for)
    _body(html)
    return problems


def check_image(content, site):
    """Report an image field's file in content/ that the build does not publish."""
    problems = []
    for field in fields.of_kind(fields.IMAGE):
        value = getattr(content, field.key, None)  # vetted: a path in content/
        if not value:
            continue
        relative = os.path.relpath(
            content_path(content.settings, value), site.settings["PATH"]
        )
        if site.exists(Path(relative).as_posix()):
            continue
        problems.append(
            locate(
                Problem(
                    display_path(content),
                    field.name,
                    _(
                        "The image “{value}” is not published: only files in the "
                        "folders {folders} of content/ are.",
                        value=value,
                        folders=", ".join(content.settings["STATIC_PATHS"]),
                    ),
                    _(
                        "Put the image into content/images/ and write "
                        "“{field}: images/…”.",
                        field=field.name,
                    ),
                )
            )
        )
    return problems


def check_template(content, get_template):
    """Report a `Template:` that content may not name; use the default instead.

    Content may name only the templates its kind is written with
    (FORTSETZUNG_ARTICLE_TEMPLATES, FORTSETZUNG_PAGE_TEMPLATES): any other
    template of the theme (a redirect page, the feed's, the 404 page)
    expects other variables and would break the build.
    """
    problems = []
    for version in versions(content):
        if "template" not in version.metadata:
            continue
        name, allowed = version.template, allowed_templates(version)
        if name in allowed:
            if _in_theme(name, get_template):
                continue
            message = _("The theme has no template “{name}”.", name=name)
        else:
            message = _(
                "“{name}” is no template for this content; it may name: {names}.",
                name=name,
                names=", ".join(allowed) or "–",
            )
        version.template = version.default_template
        problems.append(
            locate(
                Problem(
                    display_path(version),
                    "Template",
                    message,
                    _("Delete the line “Template: …”; then the usual one is used."),
                )
            )
        )
    return problems


def _in_theme(name, get_template):
    if get_template is None:
        return True
    try:
        get_template(name)
    except PelicanTemplateNotFound:
        return False
    return True


def allowed_templates(content):
    """Return the templates `content` may name: its kind's, as the settings say."""
    kind = kind_of(content)
    if kind is None:
        return []
    listed = content.settings.get(f"FORTSETZUNG_{kind.upper()}_TEMPLATES") or ()
    return list(dict.fromkeys([content.default_template, *listed]))


def check_unreadable(context):
    """Files Pelican could not read: find what stopped it."""
    problems = []
    root = Path(context["PATH"])
    for relative, content in context.get("generated_content", {}).items():
        if content is None and os.path.lexists(root / relative):
            problems += _unreadable(root / relative, context)
    return problems


def _unreadable(file, settings):
    try:
        check_readable(file, settings)  # what reading refused, at once (memo.py)
        text = read_source(file).text
    except SourceError as error:
        return [
            Problem(error.path, _("File"), error.message, error.fix, error.line or 1)
        ]
    path = shown(file)
    found = []
    if is_markdown(file):
        header = parse_header(text, tab_length(settings))
        found += grammar_problems(path, header, text, settings)
        values = {key: field.value for key, field in header.items()}
        if not lost(header, found):  # Pelican needs these
            found += missing_fields(path, fields.pelican_needs(), values)
        found += date_problems(path, header, settings)
        status = header.get("status")
        if status and status.value.lower() not in STATUSES:  # Pelican lowers it
            found.append(
                Problem(
                    path,
                    status.name,
                    _("There is no status “{status}”.", status=status.value),
                    _(
                        "Write “Status: draft” (a draft) or delete the line; then "
                        "the entry is published."
                    ),
                    line=status.line,
                )
            )
    return found or [
        Problem(
            path,
            _("File"),
            _("Pelican could not read the file."),
            _("Check the header lines (Title, Date …) and the empty line after them."),
            line=1,
        )
    ]


def check_body(content, site, text):
    """Placeholders, images without alt text and links that lead nowhere."""
    html = content.content
    if not html or not html.strip():
        return []
    body = _body(html)
    path = display_path(content)
    source = text.split("\n")
    problems = []
    if body.placeholder:
        problems.append(
            Problem(
                path,
                _("Text"),
                _(
                    "The text still holds the placeholder “{text}”.",
                    text=body.placeholder,
                ),
                _("Write your text in its place and delete the placeholder paragraph."),
                line=line_of(source, placeholders.needle(body.placeholder)),
            )
        )
    seen = Counter()  # the n-th image with one src is on the n-th line with it
    links = site.links_of(content, source)
    for kind, target, detail in body.items:
        if kind == "image":
            seen[target] += 1
            if not detail:
                problems.append(
                    Problem(
                        path,
                        _("Image"),
                        _("The image “{src}” has no alternative text.", src=target),
                        _(
                            "Write what it shows between the square brackets: "
                            "![Description](…)."
                        ),
                        line=line_of(source, target, seen[target]),
                    )
                )
        else:
            problem = links.check(target, detail)
            if problem:
                problems.append(problem)
            if on_wordpress(target):
                problems.append(
                    Problem(
                        path,
                        _("Link"),
                        _(
                            "“{target}”: the image is still on the old WordPress "
                            "site, which may be switched off.",
                            target=target,
                        ),
                        _(
                            "Download it to content/images/ and link it with "
                            "{{static}}/images/<file name>."
                        ),
                        line=line_of(source, target),
                        severity="warning",
                    )
                )
    return problems


#: Hosts of WordPress.com, and the folder of uploads on any WordPress.
WORDPRESS_HOSTS = (".files.wordpress.com", ".wp.com", ".wordpress.com")
WORDPRESS_UPLOADS = "/wp-content/uploads/"
IMAGE_FILES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp")


def on_wordpress(target):
    """Whether `target` is an image file on a WordPress site."""
    try:
        parts = urlsplit(target)
        host = parts.hostname if parts.scheme in ("http", "https", "") else None
    except ValueError:  # not an address at all
        return False
    return (
        bool(host)
        and parts.path.lower().endswith(IMAGE_FILES)
        and (host.endswith(WORDPRESS_HOSTS) or WORDPRESS_UPLOADS in parts.path)
    )


@dataclass(frozen=True)
class Body:
    """What the checks need of an entry's HTML (kept per HTML, see memo.py)."""

    placeholder: str | None
    #: In document order: ("image", src, whether it has alternative text) and
    #: ("link", href or src, tag).
    items: tuple

    @classmethod
    def of(cls, html):
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        items = []
        for element in root.iter():
            tag = element.tag if isinstance(element.tag, str) else ""
            if tag == "img":
                alt = (element.get("alt") or "").strip()
                items.append(("image", element.get("src"), bool(alt)))
            for attribute in ("href", "src"):
                target = element.get(attribute)
                if target:
                    items.append(("link", target, tag))
        return cls(placeholders.in_tree(root), tuple(items))


def _body(html):
    return _BODIES.get(html, lambda: Body.of(html)) if html and html.strip() else None


#: `Body` by HTML.
_BODIES = Memo("bodies")
#: `check_against_site` by content, settings and site.
_AGAINST_SITE = Memo("checks_against_site")
#: The version of the last plan (`OutputPlan.version`): one object for equal
#: versions, so that keys with it are compared at once.
_VERSIONS = Memo("plan_versions")
