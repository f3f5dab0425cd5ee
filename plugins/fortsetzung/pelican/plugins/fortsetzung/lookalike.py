"""When two addresses are one file, and when they only look alike.

A web server on macOS or Windows, and a checkout there, take "INDEX.HTML"
and "index.html." for "index.html": `fold` gives every path the form under
which such a file system stores it (NFC, case folded, each part without
trailing dots and spaces). A reader cannot tell "/2024/gut/" from the same
address written with a Cyrillic "у", or "l" from "1": `look` is the
skeleton of UTS #39 (Unicode's confusables, data/confusables.txt) of the
folded path; two addresses with one skeleton look the same.
"""

import functools
import unicodedata
from importlib.resources import files


def fold(path):
    """Return `path` as a case-insensitive file system stores it."""
    folded = unicodedata.normalize("NFC", path).casefold()
    return "/".join(part.rstrip(". ") for part in folded.split("/"))


def look(path):
    """Return what `path` looks like: its UTS #39 skeleton, folded."""
    decomposed = unicodedata.normalize("NFD", fold(path))
    return unicodedata.normalize("NFD", decomposed.translate(_prototypes()))


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
