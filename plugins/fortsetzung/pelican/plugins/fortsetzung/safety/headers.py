"""What is wrong in an entry's header, with the line of each mistake.

The values are what Pelican's reader made of the file (the content's
metadata); the lines, the raw text of dates, and where the reader and an
author could mean different things come from the header as the one grammar
reads it (frontmatter.py), which is the reader's own parser. (A field the
sanitiser emptied is not "missing": vet_content.py reports it.)

- a line that ends the header although it looks like a field (`Status :
  draft`, `Status<TAB>: draft`, `Titel：…`, `Schlagwörter: …`, an
  invisible character before the key): Pelican shows it, and every line
  after it, as text; a `Status: draft` there would publish the entry;
  likewise a field right after an empty line that ended the header;
- a field name close to one Pelican knows (`Stauts`, `Titel`, `Save-as`):
  Pelican ignores it silently;
- a field given twice, `Author` with `Authors` too: Pelican uses the first,
  or makes a list of both;
- a line indented by four spaces (or a tab) continues the field above it,
  which only formatted fields (Summary) can use: elsewhere Pelican ignores
  it or makes a list;
- dates and time zones Pelican cannot use (dates.py);
- a field behind a line break Markdown does not see (Word's Shift+Enter,
  which reading makes a space): Pelican reads it as a part of the field
  before;
- missing fields, placeholders in the fields a page shows, an over-long
  summary, an image without alternative text.

Content that Pelican's Markdown reader did not read (reStructuredText,
HTML) has no such header: only its metadata is checked.
"""

import difflib
import re
import unicodedata
from collections import defaultdict

import lxml.html
from pelican.contents import Article, Page
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED

from .. import fields, i18n
from ..dates import date_mistake, zone_mistake
from ..i18n import N_, _
from ..memo import Memo
from ..problems import Problem, display_path
from ..series.model import SeriesDescription
from . import placeholders
from .frontmatter import MARKDOWN_FILES, META_RE, TAB_LENGTH, parse_header
from .source import FIELD_NAME

SUMMARY_WORDS = 60
#: Fields that name one thing twice over when both are given.
SAME = {"authors": "author"}
#: Colons that look like ":" but are not (full width, small, modifier …).
_COLONS = ":\uff1a\ufe55\ufe13\ua789\u2236\u02d0\u02f8\u0589\u05c3\u1361\u16ec"
_LOOKS_LIKE_FIELD = re.compile(rf"^\s*(?P<name>[^\s{_COLONS}]+)\s*[{_COLONS}]")
_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
#: A field's name and colon inside another field's value.
_HIDDEN = re.compile(r"(?:^|\s)(?P<name>[A-Za-z0-9_-]+):(?:\s|$)")


def tab_length(settings):
    """Return how many spaces a tab stands for in the site's Markdown."""
    return (settings.get("MARKDOWN") or {}).get("tab_length", TAB_LENGTH)


def header_of(content, text):
    """Return the header Pelican's Markdown reader read in `text`, or None."""
    if content.metadata.get("reader") != "markdown":
        return None
    return parse_header(text, tab_length(content.settings))


#: (settings, language, content, its text and fields) -> the header's problems;
#: see memo.py. The preview checks again only the headers that changed.
_CHECKED = Memo("header_checks")


def check_header(content, source, settings_key):
    """Every mistake in the header of `content` (its file's `Source`).

    They depend on nothing but the file, what the reader made of it and the
    settings, `settings_key` (a text that changes when a setting does).
    """
    key = (
        settings_key,
        fields.version(),
        i18n.current(),
        type(content).__name__,
        display_path(content),
        source.text,
        repr(source.replaced),
        repr(sorted(content.metadata.items())),
    )
    return _CHECKED.get(key, lambda: tuple(_check_header(content, source)))


def _check_header(content, source):
    path = display_path(content)
    text = source.text
    header = header_of(content, text)

    def line(key):
        field = header.get(key) if header is not None else None
        return field.line if field else None

    problems = []
    if header is not None:
        problems += grammar_problems(path, header, text, content.settings)
        problems += hidden_fields(path, header, source.replaced)
        problems += date_problems(path, header, content.settings)
    metadata = content.metadata
    # a value the sanitiser emptied (vet_content.py reports it) is not missing,
    # nor is a field of a header that was lost (the mistake says why)
    written = {k: f.value for k, f in header.items()} if header is not None else {}
    if not lost(header, problems):
        problems += missing_fields(
            path, _required(content), metadata, written, reader=_reader(content)
        )
    problems += _unfinished_fields(path, content, line)
    summary = metadata.get("summary")
    words = len(_text_of(summary).split()) if isinstance(summary, str) else 0
    if words > SUMMARY_WORDS:
        problems.append(
            Problem(
                path,
                "Summary",
                _("The summary has {count} words.", count=words),
                _(
                    "Shorten it to at most {limit} words; it is shown in lists and "
                    "feeds.",
                    limit=SUMMARY_WORDS,
                ),
                line=line("summary"),
                severity="warning",
            )
        )
    if (
        str(metadata.get("image") or "").strip()
        and not str(metadata.get("image_alt") or "").strip()
    ):
        problems.append(
            Problem(
                path,
                "Image_alt",
                _("The image has no alternative text."),
                _(
                    "Describe in a line “{example}” what the image shows – for "
                    "people who cannot see it.",
                    example=fields.example_line(
                        fields.named("Image_alt"), _reader(content)
                    ),
                ),
                line=line("image"),
            )
        )
    return problems


def lost(header, problems):
    """Whether a header has no field because of a mistake in `problems`."""
    return header is not None and not header.fields and bool(problems)


def _required(content):
    """Return the fields `content` must have: as the schema and the settings say."""
    if isinstance(content, SeriesDescription):
        return ()  # the series model checks its title
    kind = kind_of(content)
    return fields.required(content.settings, kind) if kind else ()


def _reader(content):
    """Return the reader that read `content` ("markdown", "rst", "html" …)."""
    return content.metadata.get("reader", "markdown")


def missing_fields(path, required, *sources, reader="markdown"):
    """Problems of the `required` fields (schema rows) empty in all `sources`.

    The fix shows the line in the syntax of the file's `reader`.
    """
    present = {
        key
        for values in sources
        for key, value in values.items()
        if _shown(value).strip()
    }
    if "authors" in present:
        present.add("author")  # Pelican takes the first of them
    return [
        Problem(
            path,
            field.name,
            _("The field {field} is missing.", field=field.name),
            _(
                "Write a line like “{example}” at the top of the file.",
                example=fields.example_line(field, reader),
            ),
            line=1,
        )
        for field in required
        if field.key not in present
    ]


def _shown(value):
    """Return a field's value as a page shows it (names of tags, authors …)."""
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _text_of(html):
    if not html.strip():
        return ""
    return lxml.html.fragment_fromstring(html, create_parent="div").text_content()


def _unfinished_fields(path, content, line):
    """Placeholders in the fields a page or feed shows."""
    formatted = content.settings.get("FORMATTED_FIELDS", [])
    problems = []
    for key, value in content.metadata.items():
        if key in fields.not_text():
            continue
        if key in formatted and isinstance(value, str):
            found = placeholders.in_html(value)
        else:
            found = placeholders.in_text(_shown(value))
        if found:
            problems.append(
                Problem(
                    path,
                    key.capitalize(),
                    _(
                        "The field {field} still holds the placeholder “{text}”.",
                        field=key.capitalize(),
                        text=found,
                    ),
                    _(
                        "Replace it with the real text (one or two sentences on "
                        "what it is about)."
                    )
                    if key == "summary"
                    else _("Replace it with the real text."),
                    line=line(key),
                )
            )
    return problems


# -- the grammar's traps ------------------------------------------------------------


def grammar_problems(path, header, text, settings):
    """Where the header reads differently from what its author meant."""
    lines = text.split("\n")
    problems = []
    if header.stop == "text":
        written = lines[header.end - 1]
        if header.fields or _LOOKS_LIKE_FIELD.match(written):
            problems.append(_not_in_header(path, header.end, written))
    # the header ended (at an empty line, "---", or a first line that is no
    # field, such as a comment) before a line that looks like a field
    if header.stop in ("blank", "marker") or (
        header.stop == "text"
        and not header.fields
        and not _LOOKS_LIKE_FIELD.match(lines[header.end - 1])
    ):
        number, after = next(
            ((n, line) for n, line in enumerate(lines[header.end :], header.end + 1)
             if line.strip()),
            (None, ""),
        )  # fmt: skip
        field = META_RE.match(after)
        if field and (not header.fields or field["key"].lower() in fields.known()):
            problems.append(_after_header(path, header.end, number, field["key"]))
    for field in header.fields:
        if not FIELD_NAME.match(field.name):
            problems.append(_not_a_name(path, field))
        elif _meant(field):
            problems.append(_misspelt(path, field))
    groups = defaultdict(list)
    for field in header.fields:
        groups[SAME.get(field.key, field.key)].append(field)
    formatted = settings.get("FORMATTED_FIELDS", [])
    problems += [
        _twice(path, fields, formatted) for fields in groups.values() if len(fields) > 1
    ]
    for field in header.fields:
        for number in field.more:
            written = lines[number - 1]
            # a formatted field (Summary) may go on over lines, unless the
            # line looks like a field of its own
            if field.key not in formatted or META_RE.match(written.strip()):
                problems.append(_continued(path, field, number, written, formatted))
    return problems


def hidden_fields(path, header, replaced):
    """Fields behind a line break Markdown does not see (Word's Shift+Enter).

    Reading makes such a break a space (source.py), as Markdown would not
    end the line there: a field after it is a part of the field before.
    """
    problems = []
    for found in (r for r in replaced if r.was_break):
        field = next(
            (f for f in header.fields if found.line in (f.line, *f.more)), None
        )
        hidden = field and next(
            (m for m in _HIDDEN.finditer(" ".join(field.values))
             if m["name"].lower() in fields.known()),
            None,
        )  # fmt: skip
        if hidden:
            problems.append(
                Problem(
                    path,
                    hidden["name"],
                    _(
                        "Line {line} holds a line break that Markdown does not see "
                        "(U+{code}): Pelican reads “{name}: …” as a part of the field "
                        "{field}, not as a field of its own.",
                        line=found.line,
                        code=f"{ord(found.char):04X}",
                        name=hidden["name"],
                        field=field.name,
                    ),
                    _(
                        "Put “{name}: …” on a line of its own (with Enter, not "
                        "Shift+Enter).",
                        name=hidden["name"],
                    ),
                    line=found.line,
                )
            )
    return problems


def _after_header(path, end, number, name):
    return Problem(
        path,
        name,
        _(
            "Line {line} looks like the field {field}, but the header ended at line "
            "{end}: Pelican shows it as text.",
            line=number,
            field=name,
            end=end,
        ),
        _(
            "Delete line {end}, so that the field belongs to the header (or put the "
            "line into a sentence).",
            end=end,
        ),
        line=number,
    )


def _meant(field):
    """Return the field Pelican knows that `field` is a misspelling of, or None."""
    key = field.key.replace("-", "_")
    known = fields.known()
    if field.key in known:
        return None
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.8)
    return next((k for k in close if abs(len(k) - len(key)) <= 2), None)


def _not_a_name(path, field):
    return Problem(
        path,
        field.name,
        _(
            "A field's name begins with a letter: “{name}” is not passed on to "
            "Pelican (it could be one of Pelican's own names).",
            name=field.name,
        ),
        _("Begin the field's name with a letter, or delete the line."),
        line=field.line,
    )


def _misspelt(path, field):
    meant = _meant(field).capitalize()
    return Problem(
        path,
        field.name,
        _(
            "Pelican knows no field “{name}” and ignores the line; did you mean "
            "“{meant}”?",
            name=field.name,
            meant=meant,
        ),
        _("Write “{meant}: …”.", meant=meant),
        line=field.line,
    )


def _not_in_header(path, number, written):
    looks = _LOOKS_LIKE_FIELD.match(written)
    name = _visible(looks["name"]) if looks else _("Header")
    return Problem(
        path,
        name,
        _(
            "Line {line} is no longer part of the header: {why}. Pelican shows it, "
            "and every line after it, as text.",
            line=number,
            why=_why(written),
        ),
        _(
            "Write the name with the colon right after it, like “Status: draft”; "
            "if the line belongs to the text, leave an empty line before it."
        ),
        line=number,
    )


def _visible(text):
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _why(written):
    """Say why a line that looks like a field is none (German, for authors)."""
    invisible = next((c for c in written if unicodedata.category(c) == "Cf"), None)
    leading = written[: len(written) - len(written.lstrip())]
    odd = next((c for c in leading if c not in " \t"), None)
    match = re.match(
        rf"^\s*(?P<name>[^{_COLONS}]*?)(?P<space>\s*)(?P<colon>[{_COLONS}])", written
    )
    if invisible:
        why = _(
            "it holds an invisible character (U+{code})", code=f"{ord(invisible):04X}"
        )
    elif odd:
        why = _("it begins with an unusual space (U+{code})", code=f"{ord(odd):04X}")
    elif match is None:
        why = _("it has no name with a colon at its start")
    elif match["colon"] != ":":
        why = _(
            "its colon is “{colon}” (U+{code}), not the colon “:”",
            colon=match["colon"],
            code=f"{ord(match['colon']):04X}",
        )
    elif not _NAME.match(match["name"]):
        why = _(
            "the name “{name}” has letters other than A–Z (such as umlauts), "
            "spaces or punctuation",
            name=match["name"],
        )
    elif match["space"]:
        why = _("there is a space or a tab before the colon")
    else:
        why = _("it is indented by a tab or four spaces")
    return why


def _twice(path, fields, formatted):
    first, second = fields[0], fields[1]
    if first.key != second.key:  # Author and Authors
        message = _(
            "{first} (line {first_line}) and {second} (line {second_line}) both say "
            "who wrote it; Pelican shows the one on the page and the other in feeds.",
            first=first.name,
            first_line=first.line,
            second=second.name,
            second_line=second.line,
        )
        fix = _(
            "Keep one line: “Authors: A, B” for several people, “Author: A” for one."
        )
        return Problem(path, first.name, message, fix, line=second.line)
    if not DUPLICATES_DEFINITIONS_ALLOWED.get(first.key, True):
        used = _("Pelican uses the one on line {line}.", line=first.line)
    elif first.key in formatted:
        used = _("Pelican joins them into one text.")
    else:
        used = _("Pelican makes one list of all of them.")
    return Problem(
        path,
        first.name,
        _(
            "The field {field} is given more than once (lines {lines}); {used}",
            field=first.name,
            lines=", ".join(str(field.line) for field in fields),
            used=used,
        ),
        _("Delete the lines you do not mean."),
        line=second.line,
    )


def _continued(path, field, number, written, formatted):
    own = _LOOKS_LIKE_FIELD.match(written)
    if field.key in formatted:
        effect = N_("Pelican adds it to that field's text.")
    elif DUPLICATES_DEFINITIONS_ALLOWED.get(field.key, True):
        effect = N_("Pelican makes a list of the lines.")
    else:
        effect = N_("Pelican ignores it.")
    return Problem(
        path,
        own["name"] if own else field.name,
        _(
            "Line {line} is indented by a tab or four spaces, so it continues the "
            "field {field} of line {first}: {effect}",
            line=number,
            field=field.name,
            first=field.line,
            effect=_(effect),
        ),
        _(
            "Write the field on one line; if line {line} is a field of its own, "
            "delete the spaces before it.",
            line=number,
        ),
        line=number,
    )


# -- dates ---------------------------------------------------------------------------


def date_problems(path, header, settings):
    """`Date`, `Modified` and `Timezone` values Pelican cannot use, on their lines."""
    problems = []
    zone = header.get("timezone")
    timezone = settings.get("TIMEZONE") or "UTC"
    if zone is not None:
        mistake = zone_mistake(zone.value)
        if mistake:
            problems.append(
                Problem(
                    path,
                    zone.name,
                    mistake,
                    _("Write a zone like “Europe/Berlin”, or delete the line."),
                    line=zone.line,
                )
            )
        else:
            timezone = zone.value
    for key in ("date", "modified"):
        field = header.get(key)
        mistake = field and date_mistake(field.value, key, timezone)
        if mistake:
            problems.append(
                Problem(
                    path,
                    field.name,
                    mistake,
                    _(
                        "Write day.month.year and time, e.g. “01.09.2025 10:00”, or "
                        "year-month-day, e.g. “2025-09-01 10:00”."
                    ),
                    line=field.line,
                )
            )
    return problems


def is_markdown(path):
    return str(path).lower().endswith(MARKDOWN_FILES)


def kind_of(content):
    """Return "article", "page" or None: the kind of template `content` needs."""
    if isinstance(content, Article):
        return "article"
    return "page" if isinstance(content, Page) else None
