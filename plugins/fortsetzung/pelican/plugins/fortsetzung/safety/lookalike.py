"""When two addresses are one file, and when they only look alike.

A web server on macOS or Windows, and a checkout there, take "INDEX.HTML"
and "index.html." for "index.html": `fold` gives every path the form under
which such a file system stores it (NFC, case folded, each part without
trailing dots and spaces). A reader cannot tell "/2024/gut/" from the same
address written with an Armenian "ս", a fullwidth "ｕ" or an invisible
joiner, or "l" from "1": `look` is the skeleton of UTS #39 (Unicode's
confusables, data/confusables.txt) of the path in NFKC, without the
characters that are never shown (`IGNORABLE`), folded; two addresses with
one skeleton look the same. What the confusables miss, a name that mixes
Latin letters with those of another script (`mixed_with_latin`), is
refused outright (output_plan.py).
"""

import functools
import re
import unicodedata
from importlib.resources import files

import regex

#: Unicode's Default_Ignorable_Code_Point: characters shown as nothing (soft
#: hyphen, joiners, variation selectors, bidi controls, fillers, tags).
IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)


@functools.lru_cache(maxsize=1 << 16)
def fold(path):
    """Return `path` as a case-insensitive file system stores it.

    Kept: a build folds every path it writes, most of them again in the
    preview's next build.
    """
    folded = unicodedata.normalize("NFC", path).casefold()
    if not folded.endswith((".", " ")) and "./" not in folded and " /" not in folded:
        return folded  # no part ends in a dot or a space
    return "/".join(part.rstrip(". ") for part in folded.split("/"))


@functools.lru_cache(maxsize=1 << 16)
def look(path):
    """Return what `path` looks like: its UTS #39 skeleton, folded.

    The skeleton first: "I" looks like "l", and would not once folded to "i".
    Kept, as `fold` is.
    """
    return fold(skeleton(IGNORABLE.sub("", unicodedata.normalize("NFKC", path))))


def skeleton(text):
    """Return the skeleton of `text` (UTS #39): each character as its prototype."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", decomposed.translate(_prototypes()))


#: Letters and digits of scripts that are not Latin, nor written together with
#: it: UTS #39's "Highly Restrictive" level lets Latin go with Chinese,
#: Japanese and Korean only.
_NOT_WITH_LATIN = regex.compile(
    r"[[\p{L}\p{M}\p{N}]--[\p{scx=Latin}\p{scx=Common}\p{scx=Inherited}"
    r"\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Bopomofo}]]",
    regex.VERSION1,
)
_LATIN = regex.compile(r"[\p{L}&&\p{scx=Latin}]", regex.VERSION1)


def mixed_with_latin(name):
    """Return a letter of another script in `name` if it has Latin letters too.

    "ueberfaeӏӏig" (two Cyrillic palochkas) looks like "ueberfaellig", and
    Unicode's confusables take the palochka for an "i": a name that mixes
    Latin with a script it is not written with is an imitation, whatever
    the skeletons say.
    """
    if name.isascii() or not _LATIN.search(name):
        return None
    found = _NOT_WITH_LATIN.search(name)
    return found.group() if found else None


@functools.cache
def _prototypes():
    """{code point: its prototype} from Unicode's confusables."""
    table = {}
    text = (files(__package__) / "data" / "confusables.txt").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            source, *prototype = line.split()
            table[int(source, 16)] = "".join(chr(int(c, 16)) for c in prototype)
    return table
