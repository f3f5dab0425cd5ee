"""Checks of the content that Pelican itself does not make.

They run in every build, after all generators have read the content and
before anything is written, so the preview, `invoke check`, `build` and
`publish` see the same problems. Each check returns `Problem`s naming file,
line and field in words a trainee understands. What vetting found while
Pelican read the content (vetting.py: unsafe HTML, markup in fields, paths)
is reported here too.
"""

import os
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import lxml.html
from pelican.contents import Page
from pelican.generators import PelicanTemplateNotFound
from pelican.utils import get_date

from .addresses import SiteMap
from .frontmatter import parse_header, read_header
from .model import Problem, SeriesDescription, display_path
from .source import SourceError, check_confined, line_of, read_source, shown
from .vetting import problems_of

#: Fields every entry needs: (field, an example line).
ENTRY_FIELDS = (
    ("title", "Title: Mein erster Tag an der Ausleihtheke"),
    ("date", "Date: 2025-09-01 10:00"),
    ("author", "Author: Lena K."),
    ("summary", "Summary: Ein bis zwei Sätze, worum es geht."),
)
PAGE_FIELDS = (("title", "Title: Über uns"),)
SUMMARY_WORDS = 60
#: Text that marks something unfinished: the placeholders `invoke new` and
#: `invoke new-series` write, and the dummy text of layout programs.
UNFINISHED = re.compile(r"\bTODO\b|\b[Ll]orem ipsum\b")
STATUSES = ("published", "draft", "hidden", "skip")


def locate(problem):
    """Fill in the line of a header field the problem names, if it can be found."""
    if problem.line or not os.path.isfile(problem.path):
        return problem
    try:
        field = read_header(problem.path).get(problem.field.lower())
    except SourceError:
        return problem
    return replace(problem, line=field.line) if field else problem


def check_site(context, settings, series, draft_series=(), get_template=None):
    """Check every entry, page and series; return the problems.

    Drafts and series that are not published yet are work in progress: their
    mistakes are warnings, so that they never block publishing.
    `get_template` (a generator's) finds the templates a `Template:` names.
    """
    site = SiteMap(context, settings, [*series, *draft_series])
    problems = site.clashes()  # first: what loses a clash is not written
    published = [
        *context.get("articles", []),
        *context.get("hidden_articles", []),
        *context.get("pages", []),
        *context.get("hidden_pages", []),
        *(s.description for s in series),
    ]
    drafts = [
        *context.get("drafts", []),
        *context.get("draft_pages", []),
        *(s.description for s in draft_series),
    ]
    for content in published:
        problems += check_content(content, site, get_template)
    for content in drafts:
        problems += [
            replace(p, severity="warning")
            for p in check_content(content, site, get_template)
        ]
    problems += check_unreadable(context)
    return problems


def check_content(content, site, get_template=None):
    """Every problem of one entry, page or series description."""
    source = read_source(content.source_path)
    return [
        *(locate(p) for p in problems_of(content)),
        *check_template(content, get_template),
        *(
            Problem(
                display_path(content),
                "Datei",
                str(replaced),
                "Löschen Sie das Zeichen (es ist unsichtbar: am einfachsten die "
                "Zeile neu schreiben).",
                line=replaced.line,
                severity="warning",
            )
            for replaced in source.replaced
        ),
        *check_header(content, source.text),
        *check_body(content, site, source.text),
    ]


def check_template(content, get_template):
    """Report a `Template:` that names no template of the theme; use the default."""
    if get_template is None or "template" not in content.metadata:
        return []
    try:
        get_template(content.template)
    except PelicanTemplateNotFound:
        wrong, content.template = content.template, content.default_template
        return [
            locate(
                Problem(
                    display_path(content),
                    "Template",
                    f"Eine Vorlage „{wrong}“ hat das Theme nicht.",
                    "Löschen Sie die Zeile „Template: …“; dann wird die übliche "
                    "Vorlage verwendet.",
                )
            )
        ]
    return []


def _entry_fields(content):
    if isinstance(content, SeriesDescription):
        return ()  # the series model checks its title
    return PAGE_FIELDS if isinstance(content, Page) else ENTRY_FIELDS


def check_header(content, text):
    """Missing or unfinished fields, over-long summaries, images without alt text."""
    path = display_path(content)
    header = parse_header(text)
    problems = _missing_fields(path, header, _entry_fields(content))
    for key, field in header.items():
        placeholder = UNFINISHED.search(field.value)
        if placeholder:
            problems.append(
                Problem(
                    path,
                    key.capitalize(),
                    f"Im Feld {key.capitalize()} steht noch der Platzhalter "
                    f"„{placeholder.group()}“.",
                    "Ersetzen Sie ihn durch den richtigen Text"
                    + (
                        " (ein bis zwei Sätze, worum es geht)."
                        if key == "summary"
                        else "."
                    ),
                    line=field.line,
                )
            )
    summary = header.get("summary")
    if summary and len(summary.value.split()) > SUMMARY_WORDS:
        problems.append(
            Problem(
                path,
                "Summary",
                f"Die Zusammenfassung hat {len(summary.value.split())} Wörter.",
                f"Kürzen Sie sie auf höchstens {SUMMARY_WORDS} Wörter; "
                "sie erscheint in Listen und Feeds.",
                line=summary.line,
                severity="warning",
            )
        )
    image, alt = header.get("image"), header.get("image_alt")
    if image and image.value.strip() and not (alt and alt.value.strip()):
        problems.append(
            Problem(
                path,
                "Image_alt",
                "Das Bild hat keinen Alternativtext.",
                "Beschreiben Sie in einer Zeile „Image_alt: …“, was auf dem Bild "
                "zu sehen ist – für Menschen, die es nicht sehen können.",
                line=image.line,
            )
        )
    return problems


def _missing_fields(path, header, fields):
    """Fields (of (field, example line) pairs) that are absent or empty."""
    return [
        Problem(
            path,
            field.capitalize(),
            f"Das Feld {field.capitalize()} fehlt.",
            f"Schreiben Sie oben in die Datei eine Zeile wie „{example}“.",
            line=1,
        )
        for field, example in fields
        if not header.get(field) or not header[field].value.strip()
    ]


def check_unreadable(context):
    """Files Pelican could not read: find what stopped it."""
    problems = []
    root = Path(context["PATH"])
    for relative, content in context.get("generated_content", {}).items():
        if content is None and os.path.lexists(root / relative):
            problems += _unreadable(root / relative, root)
    return problems


def _unreadable(file, root):
    try:
        check_confined(file, root)
        header = read_header(file)
    except SourceError as error:
        return [
            Problem(error.path, "Datei", error.message, error.fix, line=error.line or 1)
        ]
    path = shown(file)
    found = _missing_fields(path, header, ENTRY_FIELDS[:2])  # Pelican needs these
    for key in ("date", "modified"):
        field = header.get(key)
        if field and not _is_date(field.value):
            found.append(
                Problem(
                    path,
                    key.capitalize(),
                    f"„{field.value}“ ist kein Datum.",
                    "Schreiben Sie Jahr-Monat-Tag und Uhrzeit, z. B. „2025-09-01 10:00“.",
                    line=field.line,
                )
            )
    status = header.get("status")
    if status and status.value.strip().lower() not in STATUSES:
        found.append(
            Problem(
                path,
                "Status",
                f"Den Status „{status.value}“ gibt es nicht.",
                "Schreiben Sie „Status: draft“ (Entwurf) oder löschen Sie die "
                "Zeile, dann wird der Beitrag veröffentlicht.",
                line=status.line,
            )
        )
    return found or [
        Problem(
            path,
            "Datei",
            "Pelican konnte die Datei nicht lesen.",
            "Prüfen Sie die Kopfzeilen (Title, Date …) und die Leerzeile danach.",
            line=1,
        )
    ]


def _is_date(value):
    try:
        get_date(value)
    except ValueError:
        return False
    return True


def check_body(content, site, text):
    """Placeholders, images without alt text and links that lead nowhere."""
    html = content.content
    if not html or not html.strip():
        return []
    path = display_path(content)
    source = text.split("\n")
    problems = []
    seen = Counter()  # the n-th image with one src is on the n-th line with it
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    placeholder = _unfinished_text(root)
    if placeholder:
        problems.append(
            Problem(
                path,
                "Text",
                f"Im Text steht noch der Platzhalter „{placeholder}“.",
                "Schreiben Sie Ihren Text an seine Stelle und löschen Sie den "
                "Platzhalter-Absatz.",
                line=line_of(source, placeholder),
            )
        )
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        src = element.get("src")
        if tag == "img":
            seen[src] += 1
            if not (element.get("alt") or "").strip():
                problems.append(
                    Problem(
                        path,
                        "Bild",
                        f"Das Bild „{src}“ hat keinen Alternativtext.",
                        "Schreiben Sie in die eckigen Klammern, was zu sehen ist: "
                        "![Beschreibung](…).",
                        line=line_of(source, src, seen[src]),
                    )
                )
        for attribute in ("href", "src"):
            target = element.get(attribute)
            if target:
                problem = site.check_link(content, source, target, tag)
                if problem:
                    problems.append(problem)
    return problems


def _unfinished_text(root):
    """Return the first placeholder in the text (not in code), or None."""
    code = ("code", "pre")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        outer = any(a.tag in code for a in element.iterancestors())
        texts = [] if outer or element.tag in code else [element.text]
        texts += [] if outer else [element.tail]  # after a code span: text again
        for text in texts:
            found = UNFINISHED.search(text or "")
            if found:
                return found.group()
    return None
