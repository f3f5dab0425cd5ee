r"""German quotation marks and apostrophes for Markdown content and titles.

Python-Markdown's smarty extension can print German quotes („…“, ‚…‘) through
its `substitutions`, but it uses one character for the closing single quote
and the apostrophe. In German these differ: the closing single quote is ‘
(U+2018), the apostrophe ’ (U+2019). With smarty, "Peter's" becomes Peter‘s.

This module educates quotes itself, one block (paragraph, list item, heading,
table cell) at a time, and tells the two apart:

- between two letters, before a year ("bis '99") and at the start of an
  elided word ("'s Märchen", "'n Bier") a ' is an apostrophe;
- a ' after a word closes a single quote that is open in the same block and
  is an apostrophe otherwise ("Jonas' Beitrag");
- a " or ' before a word, after a space or an opening bracket, opens a quote.

Enable it as a plugin,
`PLUGINS = ["fortsetzung", "pelican.plugins.fortsetzung.extras.typography"]`:
it adds itself to the `MARKDOWN` setting as an extension (configure it there,
`"pelican.plugins.fortsetzung.extras.typography": {"widont": True}`, to change its
options) and switches smarty's quotes off, if smarty is used (smarty still
makes dashes and ellipses). Titles are not Markdown; the plugin gives them the same quotes. Quotes in code,
`pre`, `kbd` and `samp` stay as typed, and so does a backslash-escaped \\".

The extension's `widont` option (off by default) joins the last two words of
a paragraph, list item or heading with a no-break space when both are short,
so that no line ends up with a single short word (typogrify's filter of that
name does the same, but also before every code span). CSS `text-wrap: pretty`
does this without putting no-break spaces into summaries and feeds; titles
are never changed this way.
"""

import re

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString
from pelican import signals

NAME = "pelican.plugins.fortsetzung.extras.typography"

OPEN_DOUBLE, CLOSE_DOUBLE = "„", "“"  # U+201E, U+201C
OPEN_SINGLE, CLOSE_SINGLE = "‚", "‘"  # U+201A, U+2018
APOSTROPHE = "’"  # U+2019

# A quote after one of these (or at the start of a block) opens.
_OPENERS = frozenset("([{<„‚«»–—/\u00a0")
# Words that lose their first letters: 's (es, das), 'n, 'ne, 'nen (ein,
# eine, einen), 'm (dem), 'rein, 'raus … (herein, heraus).
_ELISION = re.compile(
    r"(?:s|n|ne|nen|nem|ner|m|em|r|rein|raus|rum|ran|rauf|runter|rüber)\b"
)

# Stand-in for text that is not educated (code inside a paragraph): a letter,
# so that a quote around `code` still opens and closes.
_OPAQUE = "x"

_SKIP_TAGS = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math"})
_BLOCK_TAGS = frozenset(
    {
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "dt",
        "dd",
        "figcaption",
        "caption",
        "blockquote",
        "div",
        "ul",
        "ol",
        "dl",
        "table",
        "tr",
        "thead",
        "tbody",
        "summary",
        "details",
    }
)
_TAG = re.compile(r"<[^>]*>")

_WIDONT_TAGS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption"}
)
# Longer pairs would make a wide last line, or overflow a narrow screen.
WIDONT_MAX_LENGTH = 20
_LAST_TWO_WORDS = re.compile(r"(?P<first>\S+)(?P<space>[ \t\n]+)(?P<last>\S+)\s*$")


def _placeholders(text):
    """Spans of Markdown's placeholders (STX … ETX), which quotes see through."""
    return [(m.start(), m.end()) for m in re.finditer(f"{STX}[^{ETX}]*{ETX}", text)]


def educate(text):
    """Return `text` with German quotes and apostrophes.

    Every replacement is one character for one, so positions stay valid
    (the Markdown tree processor relies on that). STX … ETX placeholders
    (stashed HTML, escaped characters) are skipped when looking at the
    characters on either side of a quote.
    """
    if "'" not in text and '"' not in text:
        return text
    hidden = [False] * len(text)
    for start, end in _placeholders(text):
        for i in range(start, end):
            hidden[i] = True
    visible = [i for i in range(len(text)) if not hidden[i]]
    chars = list(text)
    single_open = False
    for k, i in enumerate(visible):
        char = text[i]
        if char not in "'\"":
            continue
        before = text[visible[k - 1]] if k > 0 else None
        after = text[visible[k + 1]] if k + 1 < len(visible) else None
        opening_side = before is None or before.isspace() or before in _OPENERS
        word_follows = after is not None and not after.isspace()
        if char == '"':
            chars[i] = OPEN_DOUBLE if opening_side and word_follows else CLOSE_DOUBLE
            continue
        rest = "".join(text[j] for j in visible[k + 1 : k + 12])
        if before is not None and before.isalpha() and after and after.isalpha():
            chars[i] = APOSTROPHE  # Peter's, geht's
        elif opening_side and after is not None and after.isdigit():
            chars[i] = APOSTROPHE  # bis '99
        elif opening_side and _ELISION.match(rest):
            chars[i] = APOSTROPHE  # 's Märchen, 'n Bier
        elif opening_side and word_follows:
            chars[i] = OPEN_SINGLE
            single_open = True
        elif not opening_side:
            chars[i] = CLOSE_SINGLE if single_open else APOSTROPHE
            single_open = False
    return "".join(chars)


def educate_html(html):
    """Educate the text of an HTML fragment (a title), leaving tags alone."""
    if "'" not in html and '"' not in html:
        return html
    parts = _TAG.split(html)
    tags = _TAG.findall(html)
    # Tags become (empty) placeholders, so the quotes see through them.
    educated = educate(f"{STX}{ETX}".join(parts)).split(f"{STX}{ETX}")
    out = [educated[0]]
    for tag, text in zip(tags, educated[1:], strict=True):
        out += [tag, text]
    return "".join(out)


class GermanTypographyTreeprocessor(Treeprocessor):
    """Educates quotes in each block of the document, after inline Markdown.

    With `widont`, the last space of a paragraph, list item, heading or
    caption becomes a no-break space, when the two words it joins are short.
    """

    def __init__(self, md, widont):
        super().__init__(md)
        self.widont = widont

    def run(self, root):
        for block, segments in _runs(root):
            text = "".join(
                value if editable else _OPAQUE * len(value)
                for _, _, value, editable in segments
            )
            new = educate(text)
            if self.widont and block.tag in _WIDONT_TAGS:
                new = _widont(new)
            if new != text:
                _write_back(segments, new)


def _widont(text):
    """Replace the space before the last word, if the last two words are short."""
    match = _LAST_TWO_WORDS.search(text)
    if not match or len(match["first"]) + len(match["last"]) > WIDONT_MAX_LENGTH:
        return text
    return f"{text[: match.start('space')]}\u00a0{text[match.end('space') :]}"


def _write_back(segments, text):
    position = 0
    for element, attribute, value, editable in segments:
        end = position + len(value)
        if editable and text[position:end] != value:
            setattr(element, attribute, text[position:end])
        position = end


def _runs(root):
    """(block element, text segments) per block, in document order.

    A segment is (element, "text" or "tail", value, editable); the text of a
    block is cut where a nested block (a list in a list item) starts or ends.
    """
    runs = []

    def add(block, element, attribute, value, editable):
        if value:
            editable = editable and not isinstance(value, AtomicString)
            if not runs or runs[-1][0] is not block:
                runs.append((block, []))
            runs[-1][1].append((element, attribute, value, editable))

    def walk(element, block, editable):
        if element.tag in _BLOCK_TAGS:
            block = element
            runs.append((block, []))
        inside = editable and element.tag not in _SKIP_TAGS
        add(block, element, "text", element.text, inside)
        for child in element:
            walk(child, block, inside)
            if child.tag in _BLOCK_TAGS:
                runs.append((block, []))
            add(block, child, "tail", child.tail, inside)

    walk(root, root, True)
    return [(block, segments) for block, segments in runs if segments]


class GermanTypographyExtension(Extension):
    """German quotes and apostrophes; optionally no lonely last words."""

    def __init__(self, **kwargs):
        self.config = {
            "widont": [
                False,
                "Join short last two words of a block with a no-break space",
            ],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        processor = GermanTypographyTreeprocessor(md, self.getConfig("widont"))
        # after the inline patterns (20), before smarty (6) stashes its dashes
        md.treeprocessors.register(processor, "german_typography", 7)
        for char in "\"'":
            if char not in md.ESCAPED_CHARS:
                md.ESCAPED_CHARS.append(char)


def makeExtension(**kwargs):
    return GermanTypographyExtension(**kwargs)


def enabled(settings):
    """Whether the Markdown settings use this extension."""
    markdown = settings.get("MARKDOWN", {})
    names = [*markdown.get("extension_configs", {}), *markdown.get("extensions", [])]
    return any(
        name == NAME or isinstance(name, GermanTypographyExtension) for name in names
    )


def educate_title(instance):
    """Give a title the quotes its Markdown content gets (content_object_init).

    The slug is already made from the title as typed, so it does not change.
    """
    title = getattr(instance, "title", None)
    if title and enabled(instance.settings):
        instance.title = educate_html(title)


def configure(pelican):
    """Add the extension to the Markdown settings; smarty keeps only its dashes."""
    markdown = pelican.settings.get("MARKDOWN") or {}
    configs = dict(markdown.get("extension_configs", {}))
    if not enabled(pelican.settings):
        configs[NAME] = {}
    smarty = "markdown.extensions.smarty"
    if smarty in configs:
        configs[smarty] = {**configs[smarty], "smart_quotes": False}
    # a new dict: the settings may share this one with Pelican's defaults
    pelican.settings["MARKDOWN"] = {**markdown, "extension_configs": configs}


def register():
    signals.initialized.connect(configure)
    signals.content_object_init.connect(educate_title)


__all__ = ["GermanTypographyExtension", "educate", "educate_html", "educate_title"]
