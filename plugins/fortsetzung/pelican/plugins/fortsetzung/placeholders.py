"""Placeholders: text that marks something unfinished, wherever it is published.

`new` and `new-series` write `TODO` where the author's own words belong, and
layout programs fill a page with "Lorem ipsum". Neither may reach the site,
so they are looked for in what readers get, not in the source: the rendered
text as a whole (words apart by any whitespace or by markup: "Lorem
ipsum" over two lines, "Lorem <em>ipsum</em>", "<b>TO</b>DO"), the `alt`
and `title` attributes (screen readers and tooltips show them), and, by the
checks and comments.py, the fields a page shows and the comments. Code
(`<code>`, `<pre>`) is exempt: there "TODO" means what it says.

`TODO` counts in capitals only (the German "ToDo-Liste" is a word); "lorem
ipsum" in any case. Invisible characters (a soft hyphen, a zero-width
space) do not hide a placeholder.
"""

import re

import lxml.html
from lxml import etree

PATTERN = re.compile(r"\bTODO\b|(?i:\blorem\s+ipsum\b)")
#: Characters that are not shown: they do not part a word.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
#: What code stands in for when text is put together: it parts any words.
_CODE = "\x00"
#: Attributes whose text is shown or read aloud.
ATTRIBUTES = ("alt", "title", "aria-label")


def in_text(text):
    """Return the first placeholder in `text`, or None."""
    return _search(_INVISIBLE.sub("", str(text)))


def _search(text):
    # most texts have neither: a look for the letters first is ten times faster
    if "TODO" not in text and "lorem" not in text.lower():
        return None
    found = PATTERN.search(text)
    return " ".join(found.group().split()) if found else None


def in_html(html):
    """Return the first placeholder in an HTML snippet as it is shown, or None."""
    if not html or not str(html).strip():
        return None
    return in_tree(lxml.html.fragment_fromstring(str(html), create_parent="div"))


#: The text of a tree, code standing in for itself; the attributes shown.
_TEXTS = etree.XPath("//text()[not(ancestor::code or ancestor::pre)] | //code | //pre")
_ATTRIBUTES = etree.XPath(" | ".join(f"//@{name}" for name in ATTRIBUTES))


def in_tree(root):
    """Return the first placeholder in the text or attributes of a parsed tree."""
    parts = [node if isinstance(node, str) else _CODE for node in _TEXTS(root)]
    # a placeholder may be split by markup ("<b>TO</b>DO") or stand in
    # blocks of its own ("<p>Lorem</p><p>ipsum</p>"): both ways
    found = in_text("".join(parts)) or in_text(" ".join(parts))
    return found or in_text(_CODE.join(_ATTRIBUTES(root)))


def needle(found):
    """Return what to look for in the source to find the line of `found`."""
    return found.split()[0]
