"""`python3 dev.py import-wordpress`: a WordPress blog becomes this site's content.

`import_export` reads an export (wxr.py), plans every file first and only
then writes, so a file that is no export writes nothing:

- posts become entries in `content/<series>/` or `content/blog/`, pages go
  to `content/pages/` in the folders of their parent pages; bodies become
  Markdown (wphtml.py); title, author's display name, dates with their
  offset, modified date, excerpt (`Summary`), categories (the first one is
  the `Category`, the others join the `Tags`), tags and the terms of any
  other taxonomy (as tags), featured image and sticky flag are kept;
  WordPress' default category "Uncategorized" and post formats are left
  out, with a line in the report;
- status: published stays published, scheduled keeps its future date,
  drafts and pending posts are drafts, private and password-protected ones
  are drafts with `Private: yes` (never written, with their comments);
  posts in the trash, revisions and automatic drafts are counted only;
- series: a category or tag named with `--series`, or an Organize Series /
  PublishPress Series term; parts keep their part numbers (`_series_part`)
  or follow their dates; each new series gets its file with the term's
  description;
- two items with the same id: the first is imported, the others are
  listed as not imported;
- every old address of a published post or page (`<link>`, with "//"
  read as "/", `?p=ID`,
  `?page_id=ID`, the series' category) goes into `Redirect_from`, from
  which the plugin writes redirect pages and server redirect maps;
  links between imported posts become `{filename}` links;
- approved comments (no pingbacks, no spam) go into `<entry>.comments.json`
  with name, date and text; e-mail, IP and web address are never read;
- images: with a local copy of wp-content/uploads (`media`), the images of
  posts that can be published are copied to `content/images/<yyyy>/<mm>/`
  and linked with `{static}`; otherwise they stay links to the old site
  (the checks list them). Images of private posts are never copied (every
  file in content/images/ is published). An SVG is written as the plugin's
  svg.clean makes it (what the site would publish); one that is no SVG
  drawing stays a link; what was left out is in the report.

The fields and their order are the plugin's entry schema's (fields.py:
each row says how the import fills it). Every header is written by the
plugin's one header writer (`write_header`)
from values whose whitespace is normalised (`wphtml.plain`); ids must be
numbers and old addresses one word: an item whose header the writer still
refuses (a control character in its title …) is not imported and is listed
in the report with the reason, so nothing in an export can add a field.

Nothing that exists is overwritten unless `overwrite`; a second run of the
same export writes nothing new. `Report` says what came in and went out.
"""

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, quote, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pelican.plugins.fortsetzung import api
from pelican.plugins.fortsetzung.api import HeaderError, closest_series, write_header

from . import scaffold, wphtml, wxr

#: Status in WordPress → (its German name, what the import makes of it).
STATUSES = {
    "publish": ("veröffentlicht", "veröffentlicht"),
    "future": ("geplant", "geplant: erscheint an seinem Datum"),
    "draft": ("Entwurf", "Entwurf"),
    "pending": ("ausstehend", "Entwurf"),
    "private": ("privat", "privater Entwurf, wird nie veröffentlicht"),
    "password": ("passwortgeschützt", "privater Entwurf, wird nie veröffentlicht"),
    "trash": ("Papierkorb", "nicht übernommen"),
    "auto-draft": ("automatischer Entwurf", "nicht übernommen"),
    "inherit": ("Revision", "nicht übernommen"),
}
KINDS = {"post": "Beiträge", "page": "Seiten"}
OTHER_KINDS = {
    "attachment": "Medien (Anhänge)",
    "nav_menu_item": "Menüpunkte (die Seite baut ihr Menü selbst)",
    "revision": "Revisionen",
    "wp_block": "wiederverwendbare Blöcke",
}
IMAGE = re.compile(r"(?i)\.(jpe?g|png|gif|webp|svg|bmp|avif)$")
_SIZE = re.compile(r"-\d+x\d+(?=\.\w+$)")
_PART = re.compile(r"^_series_part(_\d+)?$")
#: An old address or a part of one: no space, no control character, no
#: comma (Redirect_from lists addresses with commas).
_ADDRESS = re.compile(r"^[^\s,\x00-\x1f\x7f-\x9f]+$")
#: The header field that names the post an entry was imported from.
ORIGIN = api.named("Wordpress_id").name
KEPT = "übernommen (ohne E-Mail- und IP-Adressen)"
#: The slugs of the category WordPress gives a post nobody gave one.
DEFAULT_CATEGORIES = {"uncategorized"}
#: Taxonomies whose terms say nothing a tag could (the others become tags).
NOT_TAGS = {
    "post_format": "Beitragsformat",
    "series": "weitere Serie",
    "nav_menu": "Menü",
    "link_category": "Linkkategorie",
}
#: Header fields of text an import fills; `_MARKUP_IN_TEXT`: what of them
#: the site's checks would read as HTML ("<b>", "<J.>").
TEXT_FIELDS = {"Title", "Author", "Category", "Tags", "Image_alt"}
_MARKUP_IN_TEXT = re.compile(r"<([A-Za-z!/?][^<>]*)(>?)")
#: Where the report names what concerns the whole export.
EXPORT = "Export"


@dataclass
class Report:
    """What an import did, for the editor."""

    counts: Counter = field(default_factory=Counter)  # (kind, label) -> number
    warnings: list = field(default_factory=list)  # (shown path, message)
    external: list = field(default_factory=list)  # (shown path, image URL)
    written: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # exists, left as it is
    unchanged: list = field(default_factory=list)  # exists with the same text
    series: list = field(default_factory=list)  # (title, parts, new?)
    refused: list = field(default_factory=list)  # (what, why): not imported

    def warn(self, where, message):
        self.warnings.append((where, message))


@dataclass
class Series:
    """A series the import makes (or finds in the site) and its parts."""

    title: str
    slug: str
    description: str
    addresses: list
    exists: bool
    term: tuple  # (taxonomy, slug in lower case)
    members: list = field(default_factory=list)  # Entries


@dataclass
class Entry:
    """A post or page and where it goes."""

    item: object
    status: str  # a key of STATUSES
    slug: str
    path: Path
    series: Series | None = None
    index: int | None = None
    header: str = ""  # written by the plugin's header writer

    @property
    def can_publish(self):
        return self.status in {"publish", "future"}


def import_export(export_path, content, *, series=(), media=None, overwrite=False):
    """Import the WordPress export at `export_path` into `content`; return a Report."""
    settings = scaffold.site_settings()
    api.use(settings)  # the header writer's refusals in German
    content = Path(content)
    if not content.is_dir():
        raise wxr.Refused(f"Den Inhaltsordner „{content}“ gibt es nicht.")
    export = wxr.read_export(export_path)
    media = _media_root(media)
    report = Report()
    planner = _Planner(export, content, settings, media, report)
    planner.choose_series(series)
    planner.plan()
    _write_all(planner, overwrite)
    return report


def _media_root(media):
    if media is None:
        return None
    root = Path(media)
    if not root.is_dir():
        raise wxr.Refused(
            f"Den Medienordner „{media}“ gibt es nicht. Geben Sie den Ordner an, "
            "in dem die Jahresordner (2014/, 2015/ …) der Uploads liegen."
        )
    nested = root / "wp-content" / "uploads"
    return (nested if nested.is_dir() else root).resolve()


def _zone(settings):
    try:
        return ZoneInfo(settings.get("TIMEZONE") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _when(local, gmt, zone):
    """Return an aware datetime from WordPress' local time and its UTC twin."""
    try:
        at = datetime.fromisoformat(local)
    except ValueError:
        return None
    try:
        utc = datetime.fromisoformat(gmt)
    except ValueError:
        utc = None
    if utc is None or utc.year < 1900:
        return at.replace(tzinfo=zone)
    offset = (at - utc).total_seconds()
    return at.replace(tzinfo=timezone(timedelta(minutes=round(offset / 60))))


def _date_text(when):
    offset = when.strftime("%z")
    return f"{when:%Y-%m-%d %H:%M}{offset[:3]}:{offset[3:]}"


class _Planner:
    """Decides every file the import writes, before it writes any."""

    def __init__(self, export, content, settings, media, report):
        self.export, self.content, self.settings = export, content, settings
        self.media, self.report = media, report
        self.zone = _zone(settings)
        self.files = {}  # path -> text (str), media file (Path) or bytes
        self.unusable = set()  # media files that are not copied (SVG)
        self.origins = {}  # path of an entry -> its post ID
        self.by_id = {item.id: item for item in export.items}
        self.hosts = {
            (urlsplit(url).hostname or "").lower() for url in export.base_urls
        } - {""}
        self.series = []
        self.entries = {}  # item id -> Entry
        self.links = {}  # normalised old address -> Entry

    def slug(self, text):
        return scaffold.slugify(text, self.settings)

    # -- series --------------------------------------------------------------

    def choose_series(self, names):
        existing = scaffold.read_series(self.content, self.settings)
        lookup = scaffold.series_lookup(existing, self.settings)
        terms = [t for t in self.export.terms if t.taxonomy in {"category", "post_tag"}]
        for name in names:
            term = _find_term(name, terms)
            if term is None:
                raise wxr.Refused(_unknown_term(name, terms))
            self._add_series(term, lookup)
        for term in self.export.terms:  # the channel's and the items' own
            if term.taxonomy == "series":
                self._add_series(term, lookup)

    def _add_series(self, term, lookup):
        title = wphtml.plain(term.name) or unquote(term.slug)
        found = lookup.find(title) or lookup.find(self.slug(title))
        base = {"category": "category", "post_tag": "tag", "series": "series"}
        series = Series(
            title=found.title if found else title,
            slug=found.slug if found else self.slug(title),
            description=term.description,
            addresses=[f"/{base[term.taxonomy]}/{term.slug}/"]
            if _ADDRESS.match(term.slug)
            else [],
            exists=found is not None,
            term=(term.taxonomy, term.slug.lower()),
        )
        self.series.append(series)

    def _series_by_term(self, taxonomy, slug):
        for series in self.series:
            if series.term == (taxonomy, slug.lower()):
                return series
        return None

    # -- posts and pages -------------------------------------------------------

    def plan(self):
        for item in self.export.items:
            self._count(item)
        for item in self.export.duplicates:
            self._refuse(
                item,
                "Ein anderer Eintrag im Export hat dieselbe ID; übernommen ist der "
                "erste, dieser nicht (die Exportdatei ist fehlerhaft).",
            )
        posts = [i for i in self.export.items if i.kind in KINDS and _status(i)]
        for item in posts:
            if not _number(item.id):  # WordPress numbers its posts
                self._refuse(item, "Die WordPress-ID ist keine Zahl.")
        posts = [i for i in posts if _number(i.id)]
        used = self._slugs_in_use(posts)
        for item in sorted(posts, key=lambda i: (i.kind != "page", i.date, i.id)):
            self._place(item, used)
        self._number_parts()
        # every header first: a post whose header cannot be written is left
        # out before any other post links to it
        for entry in list(self.entries.values()):
            try:
                entry.header = write_header(self._header(entry, self.shown(entry.path)))
            except HeaderError as error:
                self._drop(entry)
                self._refuse(entry.item, str(error))
        self._plan_series_files()
        for entry in self.entries.values():
            self._plan_entry(entry)

    def _refuse(self, item, why):
        title = _printable(wphtml.plain(item.title)) or "ohne Titel"
        number = _printable(" ".join(item.id.split())[:20])
        self.report.refused.append((f"„{title}“ (WordPress-ID {number})", why))

    def _drop(self, entry):
        """Leave `entry` out: no file, no link to it, no part of a series."""
        del self.entries[entry.item.id]
        self.links = {k: e for k, e in self.links.items() if e is not entry}
        if entry.series is not None:
            entry.series.members.remove(entry)

    def _count(self, item):
        if item.kind in KINDS:
            status = _status(item) or item.status
            name, fate = STATUSES.get(status, (status, "nicht übernommen"))
            self.report.counts[(KINDS[item.kind], name, fate)] += 1
        else:
            what = OTHER_KINDS.get(item.kind, f"Inhalte vom Typ „{item.kind}“")
            self.report.counts[(what, "", "")] += 1
        for comment in item.comments:
            self.report.counts[("Kommentare", *_comment_fate(comment, item))] += 1

    def _slugs_in_use(self, posts):
        """Slugs of the site's own entries and pages (not of this import's files)."""
        ours = {i.id for i in posts}
        used = {"post": set(), "page": set()}
        for path in sorted(self.content.rglob("*.md")):
            header = scaffold.header_of(path)
            if header is None or _origin(header) in ours:
                continue
            parts = path.relative_to(self.content).parts
            if parts[0] == scaffold.series_folder(self.settings):
                continue
            kind = "page" if parts[0] in self.settings["PAGE_PATHS"] else "post"
            used[kind].add(scaffold.claimed_slug(header, self.settings))
        return used

    def _wanted_slug(self, item):
        return self.slug(unquote(item.slug) or wphtml.plain(item.title)) or (
            f"beitrag-{item.id}" if item.kind == "post" else f"seite-{item.id}"
        )

    def _path(self, item, slug, series):
        if item.kind == "page":
            folders = []
            parent, seen = self.by_id.get(item.parent), set()
            while parent is not None and parent.id not in seen:
                seen.add(parent.id)
                folders.insert(0, self._wanted_slug(parent))
                parent = self.by_id.get(parent.parent)
            return self.content.joinpath(
                self.settings["PAGE_PATHS"][0], *folders, f"{slug}.md"
            )
        folder = series.slug if series else scaffold.BLOG_FOLDER
        when = self._date(item) or datetime(1970, 1, 1)
        return self.content / folder / f"{when:%Y-%m-%d}-{slug}.md"

    def _series_of(self, item):
        """Return the series `item` is a part of (the first one counts)."""
        if item.kind != "post":
            return []
        found = []
        for taxonomy, slug, _name in item.terms:
            series = self._series_by_term(taxonomy, slug)
            if series is not None and series not in found:
                found.append(series)
        return found

    def _date(self, item):
        return _when(item.date, item.date_gmt, self.zone)

    def _place(self, item, used):
        slug = wanted = self._wanted_slug(item)
        number = 2
        while slug in used[item.kind]:
            slug = f"{wanted}-{number}"
            number += 1
        used[item.kind].add(slug)
        series = self._series_of(item)
        first = next(iter(series), None)
        entry = Entry(item, _status(item), slug, self._path(item, slug, first), first)
        if len(series) > 1:
            self.report.warn(
                self.shown(entry.path),
                "Der Beitrag gehört zu mehreren Serien; er ist jetzt ein Teil von "
                f"„{series[0].title}“, nicht von "
                + ", ".join(f"„{s.title}“" for s in series[1:])
                + ".",
            )
        if slug != wanted:
            self.report.warn(
                self.shown(entry.path),
                f"Die Adresse „{wanted}“ hat schon ein anderer Inhalt; "
                f"dieser heißt jetzt „{slug}“.",
            )
        if entry.series is not None:
            entry.series.members.append(entry)
        self.entries[item.id] = entry
        if entry.status == "publish":  # a link to a draft would lead nowhere
            for address in _addresses(item):
                self.links[_normal(address)] = entry

    def _number_parts(self):
        for series in self.series:
            for entry in series.members:
                parts = [
                    v
                    for k, v in entry.item.meta.items()
                    if _PART.match(k) and _number(v)
                ]
                if parts:
                    entry.index = int(parts[0])

    def shown(self, path):
        return Path(os.path.relpath(path, self.content.parent)).as_posix()

    def media_file(self, source, target):
        """Plan to copy `source` to `target`; return whether it is copied.

        An SVG passes the plugin's one rule for SVG files (svg.py): the
        cleaned file is written, and what was left out is reported; one that
        cannot be published is not copied.
        """
        if target in self.files or target.suffix.lower() != ".svg":
            self.files.setdefault(target, source)
            return True
        if target in self.unusable:
            return False
        with api.speaking(self.settings):
            cleaned = api.clean_svg(source.read_bytes())
        for finding in cleaned.findings:
            self.report.warn(self.shown(target), finding.message)
        if cleaned.data is None:
            self.unusable.add(target)
            return False
        self.files[target] = cleaned.data
        return True

    # -- files ---------------------------------------------------------------------

    def _plan_series_files(self):
        for series in self.series:
            self.report.series.append(
                (series.title, len(series.members), not series.exists)
            )
            if series.exists or not series.members:
                continue
            path = (
                self.content
                / scaffold.series_folder(self.settings)
                / f"{series.slug}.md"
            )
            converted = wphtml.convert(series.description, self.resolver(None))
            summary = wphtml.plain(series.description).split(". ")[0]
            header = [("Title", series.title), ("Status", "ongoing")]
            if summary:
                header.append(("Summary", wphtml.escape(summary)))
            if series.addresses:
                header.append(("Redirect_from", ", ".join(series.addresses)))
            try:
                self.files[path] = (
                    write_header(api.in_order(header, api.SERIES_FILE))
                    + converted.markdown
                )
            except HeaderError as error:
                self.report.refused.append((f"Serie „{series.title}“", str(error)))

    def resolver(self, entry):
        return _Resolver(self, entry)

    def _plan_entry(self, entry):
        item = entry.item
        where = self.shown(entry.path)
        converted = wphtml.convert(item.html, self.resolver(entry))
        for note in converted.notes:
            self.report.warn(where, note)
        self.files[entry.path] = entry.header + (converted.markdown or "")
        self.origins[entry.path] = item.id
        comments = self._comments(entry)
        if comments:
            sidecar = entry.path.with_name(entry.path.stem + api.COMMENTS_SUFFIX)
            self.files[sidecar] = (
                json.dumps({"comments": comments}, ensure_ascii=False, indent=2) + "\n"
            )

    def _header(self, entry, where):
        """Return the fields of an entry's header: (name, value) pairs."""
        item = entry.item
        title, when = self._title_and_date(entry, where)
        header = [("Title", title), ("Date", _date_text(when))]
        modified = _when(item.modified, item.modified_gmt, self.zone)
        if modified and modified > when:
            header.append(("Modified", _date_text(modified)))
        header.append(("Slug", entry.slug))
        author = self.export.authors.get(item.creator) or item.creator
        if author:
            # a name is text (WordPress shows it escaped), not HTML
            header.append(("Author", " ".join(author.split())))
        if entry.series is not None:
            header.append(("Series", entry.series.title))
            if entry.index is not None:
                header.append(("Series_index", entry.index))
        if item.kind == "post":
            header += self._taxonomy(entry)
        elif item.terms:
            names = ", ".join(f"„{wphtml.plain(name)}“" for _t, _s, name in item.terms)
            self.report.warn(
                where, f"Seiten haben keine Kategorien und Schlagwörter: {names} fehlt."
            )
        summary = wphtml.plain(item.excerpt) or wphtml.excerpt(item.html) or title
        header.append(("Summary", wphtml.escape(summary)))  # Markdown, as the text
        header += self._featured(entry, where)
        if item.sticky:
            header.append(("Sticky", "yes"))
        if not entry.can_publish:
            header.append(("Status", "draft"))
        if entry.status in {"private", "password"}:
            header.append(("Private", "yes"))
        if entry.can_publish and _addresses(item):
            header.append(("Redirect_from", ", ".join(_addresses(item))))
        path = _path(urlsplit(item.link))
        if entry.can_publish and path.strip("/") and not _ADDRESS.match(path):
            self.report.warn(
                where,
                f"Die alte Adresse „{_printable(path)}“ enthält Leerzeichen oder "
                "Kommas; sie wird nicht weitergeleitet.",
            )
        header.append((ORIGIN, item.id))
        header = [
            (name, self._text_field(name, value, where)) for name, value in header
        ]
        return api.in_order(header)  # in the order `new` writes them too

    def _text_field(self, name, value, where):
        """Return `value` as it is, unless the site would read it as HTML.

        Fields are text; one that holds "<b…" is refused by the checks: its
        "<…>" become angle quotes, and the report says so.
        """
        if name not in TEXT_FIELDS or not api.MARKUP.search(value):
            return value
        fixed = _MARKUP_IN_TEXT.sub(lambda m: f"‹{m[1]}{'›' if m[2] else ''}", value)
        self.report.warn(
            where,
            f"Im Feld {name} stand „{value}“; spitze Klammern vor Buchstaben liest "
            f"die Seite als HTML. Es heißt jetzt „{fixed}“.",
        )
        return fixed

    def _title_and_date(self, entry, where):
        item = entry.item
        when = self._date(item)
        if when is None:
            when = datetime(1970, 1, 1, tzinfo=self.zone)
            self.report.warn(
                where, f"Das Datum „{item.date}“ ist ungültig; bitte ein Datum setzen."
            )
        title = wphtml.plain(item.title)
        if not title:
            title = f"Ohne Titel ({when:%d.%m.%Y})"
            self.report.warn(
                where, "Der Beitrag hatte keinen Titel; bitte einen geben."
            )
        return title, when

    def _taxonomy(self, entry):
        categories, tags = [], []
        for taxonomy, slug, name in entry.item.terms:
            if entry.series is not None and entry.series.term == (
                taxonomy,
                slug.lower(),
            ):
                continue
            text = wphtml.plain(name).replace(",", " ")
            if not text:
                continue
            if taxonomy == "category" and slug.lower() in DEFAULT_CATEGORIES:
                self._once(
                    f"WordPress' Standardkategorie „{text}“ wurde nicht übernommen "
                    "(WordPress setzt sie, wenn keine Kategorie gewählt ist)."
                )
            elif taxonomy == "category":
                categories.append(text)
            elif taxonomy in NOT_TAGS:
                self._once(
                    f"Die Angaben „{NOT_TAGS[taxonomy]}“ (z. B. „{text}“) wurden nicht "
                    "übernommen; die Seite kennt keine."
                )
            else:
                tags.append(text)
                if taxonomy != "post_tag":
                    self._once(
                        f"Die Begriffe der Taxonomie „{taxonomy}“ (z. B. „{text}“) "
                        "sind jetzt Schlagwörter."
                    )
        fields = []
        if categories:
            fields.append(("Category", categories[0]))
        tags = list({t.casefold(): t for t in [*categories[1:], *tags]}.values())
        if tags:
            fields.append(("Tags", ", ".join(tags)))
        return fields

    def _once(self, message):
        """Report `message` for the whole export, once."""
        if (EXPORT, message) not in self.report.warnings:
            self.report.warn(EXPORT, message)

    def _featured(self, entry, where):
        attachment = self.by_id.get(entry.item.meta.get("_thumbnail_id", ""))
        if attachment is None or not attachment.attachment_url:
            return []
        local = self.resolver(entry).image(attachment.attachment_url)
        if local is None:
            self.report.warn(
                where,
                "Das Beitragsbild wurde nicht übernommen (es liegt nur auf dem alten "
                f"Blog: {attachment.attachment_url}).",
            )
            return []
        alt = wphtml.plain(
            attachment.meta.get("_wp_attachment_image_alt") or attachment.title
        )
        return [("Image", local.removeprefix("{static}/")), ("Image_alt", alt)]

    def _comments(self, entry):
        kept = []
        for comment in entry.item.comments:
            if _comment_fate(comment, entry.item)[1] != KEPT:
                continue
            when = (
                _when(comment.date, comment.date_gmt, self.zone)
                or self._date(entry.item)
                or datetime(1970, 1, 1, tzinfo=self.zone)
            )
            converted = wphtml.convert(comment.text, wphtml.Resolver(), site=False)
            kept.append(
                {
                    "id": int(comment.id) if _number(comment.id) else comment.id,
                    "parent": (
                        int(comment.parent)
                        if _number(comment.parent) and comment.parent != "0"
                        else None
                    ),
                    "author": wphtml.plain(comment.author) or "Anonym",
                    "date": when.isoformat(),
                    "text": converted.markdown.strip(),
                }
            )
        return kept


class _Resolver(wphtml.Resolver):
    """Images to local copies, links between imported entries to `{filename}`."""

    def __init__(self, planner, entry):
        self.planner, self.entry = planner, entry

    def _where(self):
        if self.entry is None:
            return "Serien"
        return self.planner.shown(self.entry.path)

    def image(self, src):
        local = self._copy(src)
        if local is None and src:
            self.planner.report.external.append((self._where(), src))
        return local

    def _copy(self, url):
        """Return `{static}/images/…` for a file of the old blog's uploads, or None."""
        planner = self.planner
        relative = _uploads_path(url)
        if relative is None or planner.media is None:
            return None
        if self.entry is not None and self.entry.status in {"private", "password"}:
            return None  # every file in content/images/ is published
        for candidate in dict.fromkeys([relative, _SIZE.sub("", relative)]):
            source = (planner.media / candidate).resolve()
            if not source.is_relative_to(planner.media) or not source.is_file():
                continue
            folder = planner.settings["STATIC_PATHS"][0]
            target = planner.content / folder / candidate
            if not planner.media_file(source, target):
                return None
            return "{static}/" + quote(f"{folder}/{candidate}")
        return None

    def link(self, href):
        planner = self.planner
        parts = urlsplit(href)
        host = (parts.hostname or "").lower()
        if parts.scheme not in {"", "http", "https"} or (
            host and host not in planner.hosts and not _uploads_host(host)
        ):
            return href
        if parts.netloc == "" and not parts.path.startswith("/"):
            return href
        entry = planner.links.get(_normal(href))
        if entry is not None:
            relative = entry.path.relative_to(planner.content).as_posix()
            anchor = f"#{parts.fragment}" if parts.fragment else ""
            return "{filename}/" + quote(relative) + anchor
        if IMAGE.search(parts.path) or "/wp-content/uploads/" in parts.path:
            return self._copy(href) or href
        return href

    def gallery(self, ids):
        planner = self.planner
        if ids is None and self.entry is not None:
            ids = [
                i.id
                for i in planner.export.items
                if i.kind == "attachment" and i.parent == self.entry.item.id
            ]
        images = []
        for number in ids or []:
            attachment = planner.by_id.get(number)
            if attachment is None or not attachment.attachment_url:
                continue
            alt = attachment.meta.get("_wp_attachment_image_alt") or attachment.title
            images.append((attachment.attachment_url, wphtml.plain(alt)))
        return images


def _status(item):
    """Return the key in STATUSES for a post or page, or None if it is not imported."""
    if item.status in {"publish", "future"} and item.password:
        return "password"
    if item.status in {"draft", "pending", "private", "publish", "future"}:
        return item.status
    return None


def _comment_fate(comment, item):
    """Return (what the comment was, what became of it) for the report."""
    if comment.kind in {"pingback", "trackback"}:
        return (comment.kind.capitalize(), "nicht übernommen")
    if comment.approved != "1":
        what = "Spam" if comment.approved == "spam" else "nicht freigegeben"
        return (what, "nicht übernommen")
    if _status(item) is None:
        return ("zu einem nicht übernommenen Beitrag", "nicht übernommen")
    return ("freigegeben", KEPT)


def _addresses(item):
    """Old addresses of a post or page: its path, and ?p= / ?page_id=."""
    addresses = []
    parts = urlsplit(item.link)
    path = _path(parts)
    if path not in {"", "/"} and not parts.query and _ADDRESS.match(path):
        addresses.append(path)
    if _number(item.id):
        addresses.append(
            f"/?page_id={item.id}" if item.kind == "page" else f"/?p={item.id}"
        )
    return addresses


def _printable(text):
    """Return `text` with what a terminal would not print as U+XXXX."""
    return "".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in text)


def _number(text):
    """Whether `text` is a number as WordPress writes ids ("²" is no number)."""
    return bool(re.fullmatch(r"[0-9]+", text))


def _normal(address):
    """Return the key of an old address (?p=/page_id=, or the path in lower case)."""
    parts = urlsplit(address)
    query = parse_qs(parts.query)
    for key in ("p", "page_id"):
        if key in query and parts.path in {"", "/"}:
            return f"?{key}={query[key][0]}"
    return unquote(_path(parts)).rstrip("/").lower()


def _path(parts):
    """Return the path of split address `parts`, "//" as "/" (as servers read it)."""
    return re.sub("/{2,}", "/", parts.path)


def _uploads_host(host):
    return host.endswith((".files.wordpress.com", ".wp.com"))


def _uploads_path(url):
    """Return the path of `url` inside wp-content/uploads (or None)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = unquote(parts.path)
    if re.fullmatch(r"i\d\.wp\.com", host):
        return _uploads_path("https:/" + path)
    if "/wp-content/uploads/" in path:
        relative = path.split("/wp-content/uploads/", 1)[1]
    elif host.endswith(".files.wordpress.com"):
        relative = path.lstrip("/")
    else:
        return None
    pure = PurePosixPath(relative)
    if not relative or pure.is_absolute() or ".." in pure.parts or "\\" in relative:
        return None
    return pure.as_posix()


def _find_term(name, terms):
    wanted = " ".join(name.split()).casefold()
    for term in terms:
        if wanted in {term.name.casefold(), unquote(term.slug).casefold()}:
            return term
    return None


def _unknown_term(name, terms):
    names = sorted({t.name for t in terms if t.name}, key=str.casefold)
    close = closest_series(name, [(t.name, unquote(t.slug)) for t in terms])
    text = f"Im Export gibt es keine Kategorie und kein Schlagwort „{name}“."
    if close:
        text += f" Meinten Sie „{close}“?"
    if names:
        text += f"\nVorhanden: {', '.join(names)}."
    return text + "\nEs wurde nichts geschrieben."


def _origin(header):
    field = header.get(ORIGIN.lower())
    return field.value.strip() if field else None


def _write_all(planner, overwrite):
    """Write what `planner` planned; leave what exists unless `overwrite`.

    An entry file is only ever replaced by the post it was imported from
    (its `Wordpress_id`): the site's own content stays as it is.
    """
    report = planner.report
    for path in sorted(planner.files):
        what = planner.files[path]
        shown = planner.shown(path)
        if isinstance(what, Path):
            data = what.read_bytes()
        else:
            data = what if isinstance(what, bytes) else what.encode("utf-8")
        if path.exists() or path.is_symlink():
            if path.is_file() and path.read_bytes() == data:
                report.unchanged.append(shown)
                continue
            header = scaffold.header_of(path) if path in planner.origins else None
            ours = header is not None and _origin(header) == planner.origins[path]
            if (
                not overwrite
                or (path in planner.origins and not ours)
                or path.is_symlink()
            ):
                report.skipped.append(shown)
                continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.import")
        temporary.write_bytes(data)
        temporary.replace(path)
        report.written.append(shown)


def as_text(report):
    """Return the report as the editor reads it after an import."""
    lines = ["Aus WordPress (gelesen → übernommen als):"]
    for (kind, status, fate), number in sorted(report.counts.items()):
        if fate:
            lines.append(f"  {kind}, {status}: {number} → {fate}")
        else:
            lines.append(f"  {kind}: {number} → keine eigenen Seiten")
    for title, parts, new in report.series:
        state = "neu angelegt" if new else "gab es schon"
        lines.append(f"  Serie „{title}“: {parts} Teile ({state})")
    lines.append(
        f"Dateien: {len(report.written)} geschrieben, "
        f"{len(report.unchanged)} unverändert, {len(report.skipped)} übersprungen."
    )
    if report.refused:
        lines.append("Nicht übernommen:")
        lines += [f"  {what}: {why}" for what, why in report.refused]
    if report.skipped:
        lines.append("Übersprungen, weil es sie schon gibt (mit --overwrite ersetzen):")
        lines += [f"  {path}" for path in report.skipped]
    if report.warnings:
        lines.append("Bitte prüfen:")
        for where, message in report.warnings:
            lines.append(f"  {where}: {message}")
    if report.external:
        lines.append(
            "Bilder, die noch auf dem alten Blog liegen (mit --media übernehmen oder "
            "von Hand in content/images/ legen):"
        )
        lines += [f"  {where}: {url}" for where, url in report.external]
    lines.append(
        "Als Nächstes: python3 dev.py check zeigt, was noch zu tun ist; "
        "python3 dev.py livereload zeigt die Seite."
    )
    return "\n".join(lines)
