"""The `Key: value` header of a Markdown entry: one grammar, one writer.

Pelican takes an entry's fields from Python-Markdown's meta extension. If
anything else read headers by rules of its own, the two would disagree
where it matters: `Status : draft` would be a draft to the one and text of
a published entry to the other. So there is one grammar, here, and it is
the meta extension's, built from the extension's own regular expressions
(a change in Python-Markdown carries over):

- an optional first line `---`; then fields `Key: value`, with at most
  three spaces before the key, a key of ASCII letters, digits, `_` and `-`,
  and the colon right after it;
- a line indented by four spaces (or a tab) continues the field before it;
- the header ends at an empty line, at a line `---` or `...`, or at the
  first line that is none of these: that line is the first of the text.

Tabs are expanded first, as Python-Markdown does before any extension
reads the text. `HeaderReader` is this grammar as the meta extension's
preprocessor: `source.py` puts it in the place of the extension's own in
the Markdown that Pelican's reader uses, so the reader and every tool that
calls `parse_header` (the checks, `new`, the WordPress import, the editor)
read one header the same way, with the line of each field.

`write_header` is the one way tools write a header: it refuses what this
grammar would read back differently (a line break in a value, a key with a
space …), so no value can ever add a field.
"""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE
from markdown.preprocessors import NormalizeWhitespace, Preprocessor
from pelican.readers import MarkdownReader

from ..i18n import _
from ..memo import Memo

#: The files Pelican's Markdown reader reads (the grammar here is theirs).
MARKDOWN_FILES = tuple(f".{suffix}" for suffix in MarkdownReader.file_extensions)

#: Python-Markdown's default `tab_length`: a tab is this many spaces.
TAB_LENGTH = 4
#: The priority of the meta extension's preprocessor (its documentation
#: says so): after whitespace is normalised, before code blocks.
META_PRIORITY = 27


@dataclass(frozen=True)
class Field:
    """One field as written: its key, its values and the lines they are on.

    `values` has the value on the key's line, then one per continuation
    line (`more` are those lines' numbers), as the meta extension lists them.
    """

    key: str  # in lower case, as Pelican's metadata names it
    name: str  # as written
    line: int
    values: tuple[str, ...]
    more: tuple[int, ...] = ()

    @property
    def value(self):
        """The value on the key's own line."""
        return self.values[0]


@dataclass(frozen=True)
class Header(Mapping):
    """The fields of a header in their order, and where and why it ended.

    As a mapping, it gives the first field of each key (the one Pelican
    uses where a field must not be given twice).
    """

    fields: tuple[Field, ...]
    #: The line that ended the header (None: the file ends first) …
    end: int | None
    #: … and what it is: "blank", "marker" (--- or ...), "text" or "file".
    stop: str

    def __getitem__(self, key):
        for field in self.fields:
            if field.key == key:
                return field
        raise KeyError(key)

    def __iter__(self):
        return iter(dict.fromkeys(field.key for field in self.fields))

    def __len__(self):
        return len({field.key for field in self.fields})

    def all(self, *keys):
        """Return every field of any of `keys`, in the order of their lines."""
        return [field for field in self.fields if field.key in keys]

    def meta(self):
        """Return {key: [values]}: what the meta extension gives Pelican's reader."""
        found = {}
        for field in self.fields:
            found.setdefault(field.key, []).extend(field.values)
        return found


def read_lines(lines):
    """Read the header from the start of `lines` (whitespace normalised).

    Returns the `Header` and the number of lines it took (with the empty
    line or marker that ended it): the rest is the text.
    """
    fields = []
    number = 1 if lines and BEGIN_RE.match(lines[0]) else 0
    stop = "file"
    while number < len(lines):
        line = lines[number]
        if line.strip() == "" or END_RE.match(line):
            stop = "blank" if line.strip() == "" else "marker"
            return Header(tuple(fields), number + 1, stop), number + 1
        key = META_RE.match(line)
        more = None if key else META_MORE_RE.match(line)
        if key:
            fields.append(
                Field(
                    key["key"].lower().strip(),
                    key["key"],
                    number + 1,
                    (key["value"].strip(),),
                )
            )
        elif more and fields:
            last = fields[-1]
            fields[-1] = Field(
                last.key,
                last.name,
                last.line,
                (*last.values, more["value"].strip()),
                (*last.more, number + 1),
            )
        else:
            stop = "text"
            break
        number += 1
    return Header(tuple(fields), number + 1 if stop == "text" else None, stop), number


class HeaderReader(Preprocessor):
    """The meta extension's preprocessor, reading by `read_lines`."""

    def run(self, lines):
        header, taken = read_lines(lines)
        self.md.Meta = header.meta()
        return lines[taken:]


def read_by_this_grammar(markdown):
    """Let `markdown` read headers by this module's grammar (if it reads them)."""
    if "meta" in markdown.preprocessors:
        markdown.preprocessors.register(HeaderReader(markdown), "meta", META_PRIORITY)


#: Headers by (text, tab length): the checks ask for one many times.
_HEADERS = Memo("parsed_headers")


def parse_header(text, tab_length=TAB_LENGTH):
    """Return the `Header` of a Markdown text, as Pelican's reader reads it."""
    return _HEADERS.get(
        (text, tab_length),
        lambda: read_lines(_normalised(text, tab_length))[0],
    )


def _normalised(text, tab_length):
    """Return `text` in lines as Python-Markdown gives them to the meta extension."""
    normalise = NormalizeWhitespace(SimpleNamespace(tab_length=tab_length))
    return normalise.run(text.split("\n"))


def read_header(path):
    """Return the `Header` of a Markdown file.

    The file is read as every reader of content reads it (`read_source`);
    one that cannot be read raises `SourceError`.
    """
    from .source import read_source  # noqa: PLC0415 (source uses this module)

    return parse_header(read_source(path).text)


# -- writing ------------------------------------------------------------------


class HeaderError(ValueError):
    """A field that cannot be written into a header; the message says why."""


def write_header(fields):
    """Return the header of (name, value) pairs, with the empty line that ends it.

    Values are written without the spaces around them (the grammar drops
    them); a value may be empty. Raises `HeaderError` for a name the
    grammar does not read as that field's name, and for a value with a line
    break or another control character: nothing in a value can become a
    field of its own.
    """
    pairs = [
        (name, "" if value is None else str(value).strip()) for name, value in fields
    ]
    for name, value in pairs:
        _refuse_value(name, value)
    text = "".join(
        f"{name}: {value}\n" if value else f"{name}:\n" for name, value in pairs
    )
    read = parse_header(text + "\n")
    written = [(field.name, field.value) for field in read.fields]
    for number, (name, value) in enumerate(pairs):
        if number >= len(written) or written[number] != (name, value):
            raise HeaderError(
                _(
                    "“{name}” cannot be the name of a field: names are written with "
                    "the letters A–Z, digits, “_” and “-”, without spaces.",
                    name=name,
                )
            )
    return text + "\n"


def _refuse_value(name, value):
    for char in value:
        if _breaks_or_controls(char):
            raise HeaderError(
                _(
                    "The value of {field} holds a line break or another control "
                    "character (U+{code}); a header field is one line of text.",
                    field=name,
                    code=f"{ord(char):04X}",
                )
            )


def _breaks_or_controls(char):
    """Whether `char` is a line break or control character (or what reading drops)."""
    from .source import visible  # noqa: PLC0415 (source uses this module)

    category = unicodedata.category(char)
    return category in {"Cc", "Zl", "Zp", "Cs"} or visible(char) != char
