"""Checks of the content that Pelican itself does not make.

They run in every build, after all generators have read the content and
before anything is written, so `pelican --fatal errors`, `invoke check` and
`invoke publish` see the same problems. Each check returns `Problem`s naming
file, line and field in words a trainee understands.
"""

import itertools
import os
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
from pelican.contents import Page
from pelican.utils import get_date

from .frontmatter import read_header
from .model import Problem, display_path

#: Fields every entry needs: (field, an example line).
ENTRY_FIELDS = (
    ("title", "Title: Mein erster Tag an der Ausleihtheke"),
    ("date", "Date: 2025-09-01 10:00"),
    ("author", "Author: Lena K."),
    ("summary", "Summary: Ein bis zwei Sätze, worum es geht."),
)
PAGE_FIELDS = (("title", "Title: Über uns"),)
SUMMARY_WORDS = 60
#: Elements that load something when a page is shown.
EMBEDS = ("iframe", "script", "embed", "object", "frame")
LOADING = {"img": "src", "video": "src", "audio": "src", "source": "src"}


def locate(problem):
    """Fill in the line of a header field the problem names, if it can be found."""
    if problem.line or not os.path.isfile(problem.path):
        return problem
    field = read_header(problem.path).get(problem.field.lower())
    return replace(problem, line=field.line) if field else problem


def check_site(context, settings, series_list):
    """Check every entry and page; return the problems, errors first per file."""
    published = [
        *context.get("articles", []),
        *context.get("hidden_articles", []),
        *context.get("pages", []),
        *context.get("hidden_pages", []),
    ]
    drafts = [*context.get("drafts", []), *context.get("draft_pages", [])]
    site = SiteMap(context, settings, series_list)
    problems = []
    for content in published:
        problems += check_header(content)
        problems += check_body(content, site)
    for content in drafts:
        # a draft is work in progress: its mistakes must not block publishing
        problems += [
            replace(p, severity="warning")
            for p in [*check_header(content), *check_body(content, site)]
        ]
    problems += check_unreadable(context)
    problems += site.clashes()
    return problems


def _entry_fields(content):
    return PAGE_FIELDS if isinstance(content, Page) else ENTRY_FIELDS


def check_header(content):
    """Missing or placeholder fields, unreadable dates, over-long summaries."""
    path = display_path(content)
    header = read_header(content.source_path)
    problems = _missing_fields(path, header, _entry_fields(content))
    summary = header.get("summary")
    if summary and summary.value.upper().startswith("TODO"):
        problems.append(
            Problem(
                path,
                "Summary",
                "Die Zusammenfassung ist noch der Platzhalter.",
                "Fassen Sie den Beitrag in ein bis zwei Sätzen zusammen.",
                line=summary.line,
            )
        )
    elif summary and len(summary.value.split()) > SUMMARY_WORDS:
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
    problems += _check_image_field(content, header)
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


def _check_image_field(content, header):
    path = display_path(content)
    image = header.get("image")
    if not image:
        return []
    problems = []
    file = _content_file(content, image.value)
    if file is not None and not file.is_file():
        problems.append(_missing_file(path, "Image", image.value, image.line))
    alt = header.get("image_alt")
    if not alt or not alt.value.strip():
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


def _content_file(content, value):
    """Return the file an `Image:` value names (relative to content/)."""
    value = value.strip()
    if "://" in value:
        return None
    for marker in ("{static}", "{attach}", "{filename}"):
        value = value.removeprefix(marker)
    return Path(content.settings["PATH"]) / value.lstrip("/")


def _missing_file(path, field, value, line):
    return Problem(
        path,
        field,
        f"Die Datei „{value}“ gibt es nicht.",
        "Prüfen Sie Schreibweise und Ordner (Bilder liegen in content/images/) "
        "oder legen Sie die Datei dort ab.",
        line=line,
    )


def check_unreadable(context):
    """Files Pelican could not read: find the field that stopped it."""
    problems = []
    root = Path(context["PATH"])
    for relative, content in context.get("generated_content", {}).items():
        if content is None and (root / relative).is_file():
            problems += _unreadable(root / relative)
    return problems


def _unreadable(file):
    path = os.path.relpath(file)
    header = read_header(file)
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
    return found or [
        Problem(
            path,
            "Datei",
            "Pelican konnte die Datei nicht lesen.",
            "Prüfen Sie die Kopfzeilen (Title, Date …) und die Leerzeile danach; "
            "Pelicans Meldung steht in der Ausgabe des Baus.",
            line=1,
        )
    ]


def _is_date(value):
    try:
        get_date(value)
    except ValueError:
        return False
    return True


def check_body(content, site):
    """Images, links and embeds in the text of one entry or page."""
    html = content.content
    if not html or not html.strip():
        return []
    path = display_path(content)
    source = Path(content.source_path).read_text("utf-8").splitlines()
    page_url = urljoin("/", content.url)
    problems = []
    seen = Counter()  # the n-th image with one src is on the n-th line with it
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in EMBEDS:
            problems.append(_embed(path, source, element))
            continue
        src = element.get("src")
        if tag == "img":
            seen[src] += 1
        if tag == "img" and not (element.get("alt") or "").strip():
            problems.append(
                Problem(
                    path,
                    "Bild",
                    f"Das Bild „{src}“ hat keinen Alternativtext.",
                    "Schreiben Sie in die eckigen Klammern, was zu sehen ist: "
                    "![Beschreibung](…).",
                    line=_line_of(source, src, seen[src]),
                )
            )
        for attribute in ("href", "src"):
            target = element.get(attribute)
            if target:
                problem = site.check_link(path, source, page_url, target, tag)
                if problem:
                    problems.append(problem)
    return problems


def _embed(path, source, element):
    src = element.get("src") or element.get("data") or ""
    return Problem(
        path,
        "Text",
        f"<{element.tag}> bettet fremde Inhalte ein"
        + (f" ({src})" if src else "")
        + ": Leserinnen und Leser würden Daten an andere Websites senden.",
        "Setzen Sie stattdessen einen normalen Link auf den Inhalt.",
        line=_line_of(source, src or f"<{element.tag}"),
    )


def _line_of(source, needle, nth=1):
    """Return the number of the `nth` line that contains `needle`, if any."""
    if not needle:
        return None
    lines = (n for n, line in enumerate(source, 1) if needle in line)
    return next(itertools.islice(lines, nth - 1, None), None)


class SiteMap:
    """Every address the build writes, to tell links that lead nowhere."""

    def __init__(self, context, settings, series_list):
        self.settings = settings
        self.hosts = {
            urlsplit(settings.get(key) or "").netloc
            for key in ("SITEURL", "FEED_DOMAIN")
        } - {""}
        self.owners = defaultdict(list)  # output path -> source files written there
        self.generated = set()  # output paths of pages Pelican makes itself
        contents = [
            *context.get("articles", []),
            *context.get("hidden_articles", []),
            *context.get("pages", []),
            *context.get("hidden_pages", []),
            # Pelican makes a static file of every {static} link, even to
            # a file that does not exist
            *(
                s
                for s in context.get("staticfiles", [])
                if os.path.isfile(s.source_path)
            ),
        ]
        for content in contents:
            for translation in [content, *getattr(content, "translations", [])]:
                self._add(translation.save_as, display_path(translation))
        self.drafts = {}
        for draft in [*context.get("drafts", []), *context.get("draft_pages", [])]:
            self.drafts[_normal(draft.url)] = display_path(draft)
            if draft.save_as:
                self._add(draft.save_as, display_path(draft))
        for series in series_list:
            self._add(series.save_as, display_path(series))
        for key in ("tags", "categories", "authors"):
            for wrapper, _ in context.get(key, []):
                self._add(wrapper.save_as)
        for name in settings.get("DIRECT_TEMPLATES", []):
            self._add(settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html"))
        self._add(settings.get("SERIES_INDEX_SAVE_AS"))
        for save_as in settings.get("TEMPLATE_PAGES", {}).values():
            self._add(save_as)

    def _add(self, save_as, source=None):
        if not save_as:
            return
        if source:
            self.owners[_normal(save_as)].append(source)
        else:
            self.generated.add(_normal(save_as))

    def exists(self, address):
        # called for every link: look up, never build a union of all addresses
        return any(
            known in self.owners or known in self.generated
            for known in (address, f"{address}/index.html")
        )

    def clashes(self):
        """Two sources written to one address: one of them would be lost."""
        problems = []
        for address, sources in sorted(self.owners.items()):
            if len(sources) + (address in self.generated) < 2:
                continue
            others = sorted(sources) + (
                ["eine Seite, die die Website selbst erzeugt"]
                if address in self.generated
                else []
            )
            problems.append(
                Problem(
                    sorted(sources)[0],
                    "Adresse",
                    f"Mehrere Dateien hätten dieselbe Adresse /{address}: "
                    f"{', '.join(others)}.",
                    "Geben Sie einem der Beiträge einen anderen Titel oder eine "
                    "Zeile „Slug: anderer-name“.",
                )
            )
        return problems

    def check_link(self, path, source, page_url, target, tag):
        """Return a problem if `target` (an href or src on page_url) leads nowhere."""
        parts = urlsplit(target)
        line = _line_of(source, target)
        if target.startswith("{"):
            return Problem(
                path,
                "Link",
                f"„{target}“ führt ins Leere: die Datei gibt es nicht.",
                "Prüfen Sie den Dateinamen nach {filename} oder {static}; er "
                "beginnt mit / und ist relativ zum Ordner content/.",
                line=line,
            )
        if parts.scheme in ("mailto", "tel", "data") or target.startswith("#"):
            return None
        if parts.netloc and parts.netloc not in self.hosts:
            return self._foreign(path, target, tag, line)
        return self._internal(path, source, urljoin(page_url, parts.path), target, tag)

    @staticmethod
    def _foreign(path, target, tag, line):
        if tag not in LOADING:
            return None  # an ordinary link to another site
        return Problem(
            path,
            "Bild" if tag == "img" else "Text",
            f"„{target}“ wird von einer anderen Website geladen.",
            "Legen Sie die Datei in content/images/ ab und binden Sie sie mit "
            "{static} ein.",
            line=line,
        )

    def _internal(self, path, source, url, target, tag):
        line = _line_of(source, target)
        address = _normal(url)
        prefix = urlsplit(self.settings.get("SITEURL") or "").path.strip("/")
        if prefix and address.startswith(f"{prefix}/"):
            address = address.removeprefix(f"{prefix}/")
        if address in self.drafts:
            # checked first: a preview writes drafts, the published site not
            draft_file = os.path.basename(self.drafts[address])
            return Problem(
                path,
                "Link",
                f"„{target}“ verweist auf den Entwurf {self.drafts[address]}, "
                "der nicht veröffentlicht wird.",
                "Veröffentlichen Sie den Entwurf zuerst oder entfernen Sie den Link.",
                line=line or _line_of(source, draft_file),
            )
        if self.exists(address):
            return None
        return Problem(
            path,
            "Bild" if tag == "img" else "Link",
            f"„{target}“ führt ins Leere: diese Seite oder Datei gibt es nicht.",
            "Verlinken Sie Beiträge mit [Text]({filename}/ordner/datei.md) und "
            "Bilder mit ![Beschreibung]({static}/images/datei.jpg).",
            line=line,
        )


def _normal(url):
    """Return the output path of a URL: no leading /, folders end in index.html."""
    path = unquote(urlsplit(url).path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path
