"""Placeholders: text that marks something unfinished, wherever it is published.

`new` and `new-series` write `TODO` where the author's own words belong, and
layout programs fill a page with "Lorem ipsum". Neither may reach the site,
so they are looked for in what readers get, not in the source: the rendered
text as a whole (words apart by any whitespace or by markup: "Lorem
ipsum" over two lines, "Lorem <em>ipsum</em>", "<b>TO</b>DO"), the `alt`
and `title` attributes (screen readers and tooltips show them), and, by the
checks and comments.py, the fields a page shows and the comments; by
vet_content.py, the text of SVG drawings and text files (.txt, .vtt) published
as they are. Code (`<code>`, `<pre>`) is exempt: there "TODO" means what it
says.

`TODO` counts in capitals only (the German "ToDo-Liste" is a word); "lorem
ipsum" in any case. A placeholder is found as a reader sees it: characters
that are never shown (a soft hyphen, a joiner, a variation selector:
lookalike.IGNORABLE) do not part it, and fullwidth or mathematical letters
(NFKC) and letters of other scripts that look the same (a Cyrillic "О",
Unicode's skeletons, lookalike.py) spell it too.
"""

import re
import unicodedata

import lxml.html
from lxml import etree

from .lookalike import IGNORABLE, skeleton

PATTERN = re.compile(r"\bTODO\b|(?i:\blorem\s+ipsum\b)")
#: The placeholders as they look: their skeletons ("lorem" in lower case).
_LOOKS = (
    ("TODO", re.compile(rf"(?<!\w){re.escape(skeleton('TODO'))}(?!\w)"), False),
    (
        "Lorem ipsum",
        re.compile(rf"(?<!\w){skeleton('lorem')}\s+{skeleton('ipsum')}(?!\w)"),
        True,
    ),
)
#: What European text is written with besides ASCII: accented letters and
#: punctuation whose skeleton keeps its accent or has no Latin letter ("é"
#: is "e" and an accent: it cannot spell "TODO"; "ı" is "i"). A text of only
#: these needs no skeleton (most texts: "Café", „Zitat“ …).
_USUAL = re.compile(
    "[\\x00-\\x7f"
    + "".join(
        re.escape(char)
        for code in (*range(0x80, 0x250), *range(0x2000, 0x2070))
        for char in [chr(code)]
        for looks in [skeleton(unicodedata.normalize("NFKC", char))]
        if not any(c.isascii() and c.isalpha() for c in looks)
        or any(unicodedata.combining(c) for c in looks)
    )
    + "]*"
)
#: What code stands in for when text is put together: it parts any words.
_CODE = "\x00"
#: Attributes whose text is shown or read aloud.
ATTRIBUTES = ("alt", "title", "aria-label")


def in_text(text):
    """Return the first placeholder in `text`, or None."""
    shown = unicodedata.normalize("NFKC", IGNORABLE.sub("", str(text)))
    return _search(shown) or _disguised(shown)


def _disguised(text):
    """Return a placeholder spelt with letters that look like its own, or None."""
    if _USUAL.fullmatch(text):
        return None
    for name, pattern, any_case in _LOOKS:
        if pattern.search(skeleton(text.casefold() if any_case else text)):
            return name
    return None


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


#: The text an SVG drawing shows (its styles are no text), as cleaned (svg.py).
_SVG_TEXTS = etree.XPath("//text()[not(parent::*[local-name() = 'style'])]")


def in_svg(data):
    """Return the first placeholder in what a cleaned SVG drawing shows, or None."""
    return in_tree(etree.fromstring(data), _SVG_TEXTS)


def in_tree(root, texts=_TEXTS):
    """Return the first placeholder in the text or attributes of a parsed tree."""
    parts = [node if isinstance(node, str) else _CODE for node in texts(root)]
    # a placeholder may be split by markup ("<b>TO</b>DO") or stand in
    # blocks of its own ("<p>Lorem</p><p>ipsum</p>"): both ways
    found = in_text("".join(parts)) or in_text(" ".join(parts))
    return found or in_text(_CODE.join(_ATTRIBUTES(root)))


def needle(found):
    """Return what to look for in the source to find the line of `found`."""
    return found.split()[0]
