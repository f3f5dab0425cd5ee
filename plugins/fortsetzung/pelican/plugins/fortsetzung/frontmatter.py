"""The `Key: value` header of a Markdown entry, with line numbers.

Pelican reads metadata for the build; authoring tools (scaffolding, the
content checker) need to know *where* a field is, to point an author at the
right line, and must cope with files Pelican would refuse to read.
"""

import re
from dataclasses import dataclass

from .source import read_source

_FIELD = re.compile(r"^(?P<key>[A-Za-z][\w-]*)\s*:\s?(?P<value>.*)$")


@dataclass(frozen=True)
class Field:
    """One header field: its value (continuation lines joined) and its line."""

    value: str
    line: int


def read_header(path):
    """Return {lower-case key: Field} from the header of a Markdown file.

    The header ends at the first blank line (or at the first line that is not
    a field), as in Python-Markdown's meta extension; lines indented by four
    spaces continue the previous field. The file is read as every reader of
    content reads it (`read_source`); one that cannot be read raises
    `SourceError`.
    """
    return parse_header(read_source(path).text)


def parse_header(text):
    """Return {lower-case key: Field} from the text of a Markdown file."""
    fields = {}
    key = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            break
        if key and line.startswith("    "):
            previous = fields[key]
            fields[key] = Field(f"{previous.value} {line.strip()}", previous.line)
            continue
        match = _FIELD.match(line)
        if not match:
            break
        key = match["key"].lower()
        fields[key] = Field(match["value"].strip(), number)
    return fields
