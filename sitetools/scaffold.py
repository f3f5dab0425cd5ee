"""Start a new entry or a new series with complete front matter.

`python3 dev.py new` and `new-series` (tasks.py) are thin wrappers around
`new_entry` and `new_series`. Both take the content folder and return the file
they created; a mistake in what the author asked for raises `ScaffoldError`
with a German message that says how to fix it. Nothing is ever overwritten.
Which fields they write, in which order and with which text, the plugin's
entry schema says (fields.py: a row's `new`). Headers are written by the plugin's one writer (`write_header`): a title or
name with a control character in it is refused, it can never add a field.
"""

import functools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pelican.plugins.fortsetzung import api
from pelican.plugins.fortsetzung.api import (
    MARKUP,
    HeaderError,
    SeriesLookup,
    SourceError,
    closest_series,
    read_header,
    write_header,
)
from pelican.settings import read_settings

from .publish import git

#: The site's settings: where series and pages live, the time zone, slugs.
SETTINGS_FILE = Path(__file__).resolve().parent.parent / "pelicanconf.py"
DATE_FORMAT = "%Y-%m-%d %H:%M"
#: Where an entry without a series goes (a folder of content/).
BLOG_FOLDER = "blog"
NEW_SERIES_HINT = 'python3 dev.py new-series "Name der Serie"'


class ScaffoldError(Exception):
    """A mistake in what the author asked for; the message says how to fix it."""


@functools.cache
def site_settings(settings_file=SETTINGS_FILE):
    """Return the site's settings (pelicanconf.py) with the plugin's defaults."""
    settings = read_settings(str(settings_file))
    api.configure(settings)
    return settings


def _settings(settings):
    return settings if settings is not None else site_settings()


def series_folder(settings=None):
    return _settings(settings)["SERIES_PATHS"][0]


def reserved_folders(settings=None):
    """Folders of content/ that cannot hold a series' entries, and what they hold."""
    settings = _settings(settings)
    return {
        **dict.fromkeys(settings["STATIC_PATHS"], "Bilder und andere Dateien"),
        **dict.fromkeys(
            settings["PAGE_PATHS"], "feste Seiten wie Impressum und Über uns"
        ),
        series_folder(settings): "die Beschreibungen der Serien",
        BLOG_FOLDER: "Beiträge ohne Serie",
    }


@dataclass(frozen=True)
class SeriesFile:
    """A series as its file in the series folder describes it."""

    title: str
    slug: str
    path: Path


def slugify(text, settings=None):
    """Return the slug the site gives `text` (its slug settings, German slugs)."""
    return api.slugify(text, _settings(settings))


def site_now(settings=None):
    """Return the current time in the site's time zone (local time if unknown)."""
    try:
        return datetime.now(ZoneInfo(_settings(settings)["TIMEZONE"]))
    except (ZoneInfoNotFoundError, KeyError, ValueError):
        return datetime.now()


def git_author(cwd):
    """Return `git config user.name` as seen in `cwd`, or None."""
    result = git(cwd, "config", "user.name")
    name = " ".join(result.stdout.split())
    return name if result.returncode == 0 and name else None


def read_series(content, settings=None):
    """Return every series described in the series folder, by file name."""
    settings = _settings(settings)
    series = []
    for path in sorted((Path(content) / series_folder(settings)).glob("*.md")):
        slug = slugify(path.stem, settings)
        header = header_of(path) or {}
        title = header.get("title")
        name = title.value.strip() if title else ""
        series.append(SeriesFile(name or slug, slug, path))
    return series


def series_lookup(series_list, settings=None):
    """Return a `SeriesLookup` of `series_list`: as the plugin finds series."""
    lookup = SeriesLookup(_settings(settings))
    for series in series_list:
        lookup.add(series, series.slug, [])
    for series in series_list:
        lookup.add(series, series.slug, [series.title])
    return lookup


def find_series(content, name, settings=None):
    """Return the series `name` means (title or slug, any case) or explain."""
    series_list = read_series(content, settings)
    found = series_lookup(series_list, settings).find(name)
    if found is None:
        raise ScaffoldError(_unknown_series(name, series_list))
    return found


def _unknown_series(name, series_list):
    titles = sorted((s.title for s in series_list), key=str.casefold)
    close = closest_series(name, [(s.title, s.slug) for s in series_list])
    lines = [f"Die Serie „{name.strip()}“ gibt es nicht."]
    if close:
        lines[0] += f" Meinten Sie „{close}“?"
    lines.append(
        f"Vorhandene Serien: {', '.join(titles)}."
        if titles
        else "Es gibt noch keine Serie."
    )
    lines.append(f"Eine neue Serie legen Sie so an: {NEW_SERIES_HINT}")
    return "\n".join(lines)


def entries(content, settings=None):
    """Yield (path, header) of every entry under `content` (not series, not pages)."""
    settings = _settings(settings)
    content = Path(content)
    skipped = {series_folder(settings), *settings["PAGE_PATHS"]}
    for path in sorted(content.rglob("*.md")):
        if path.relative_to(content).parts[0] in skipped:
            continue
        header = header_of(path)
        if header is not None:
            yield path, header


def header_of(path):
    """Return the header of a Markdown file, or None if it cannot be read."""
    try:
        return read_header(path)
    except SourceError:
        return None  # not ours to judge here; the build reports it


def claimed_slug(header, settings=None):
    """Return the slug a file's header gives it: `Slug`, else its title's."""
    if "slug" in header:
        return header["slug"].value.strip()
    title = header.get("title")
    return slugify(title.value, settings) if title else None


def next_index(content, series, settings=None, read=None):
    """Return the next free `Series_index` of `series`.

    One more than the largest explicit index and than the number of entries
    that already name the series, drafts and scheduled parts included.
    `read`: the entries as `entries` yields them, if already read (the
    browser editor proposes a number for every series at once).
    """
    lookup = series_lookup(read_series(content, settings), settings)
    count = highest = 0
    for _path, header in entries(content, settings) if read is None else read:
        named = header.get("series")
        if named is None or lookup.find(named.value) != series:
            continue
        count += 1
        index = header.get("series_index")
        if index is not None and index.value.strip().isdigit():
            highest = max(highest, int(index.value))
    return max(count, highest) + 1


def new_entry(  # noqa: PLR0913  (one per option)
    content, title, *, now, series=None, author=None, date=None, settings=None
):
    """Create a draft entry in its series' folder (or content/blog/); return its path.

    `now` is the current time (aware, or in the site's time zone); `date` a
    string like "01.03.2025 09:00" (read as `Date:` is) to schedule the entry
    instead. `settings`
    are the site's (default: pelicanconf.py).
    """
    settings = _settings(settings)
    content = _content_folder(content)
    title = _one_line(title)
    if not title:
        raise ScaffoldError(
            'Der Beitrag braucht einen Titel, zum Beispiel: --title "Mein erster Tag"'
        )
    slug = _slug_of(title, settings)
    author = _one_line(author)
    if not author:
        raise ScaffoldError(
            "Wer schreibt den Beitrag? Git kennt Ihren Namen nicht. Geben Sie ihn "
            'an, zum Beispiel: --author "Lena K." (oder einmal für immer: '
            'git config --global user.name "Lena K.").'
        )
    when = _in_site_zone(_parse_date(date, settings) if date else now, settings)
    found = find_series(content, series, settings) if _one_line(series) else None
    folder = content / (found.slug if found else BLOG_FOLDER)
    path = folder / f"{when:%Y-%m-%d}-{slug}.md"
    if path.exists():
        raise ScaffoldError(_exists(path, content))
    _refuse_same_slug(content, slug, title, settings)
    fields, body = new_entry_parts(
        content, found, title=title, when=when, author=author, settings=settings
    )
    _write(path, content, header(fields, settings) + body)
    return path


def new_entry_parts(  # noqa: PLR0913
    content, found, *, title, when, author, settings=None, read=None
):
    """Return the (name, value) pairs and the text `new` writes for an entry.

    `found` is its series (a `SeriesFile`, or None: the blog), `when` its date
    in the site's time zone; `read` as for `next_index`. The browser
    editor's new entries start from the same (editor_config.py).
    """
    settings = _settings(settings)
    index = next_index(content, found, settings, read) if found else None
    fields = _new_fields(
        api.ENTRY,
        settings,
        title=title,
        date=f"{when:{DATE_FORMAT}}",
        author=author,
        series=found.title if found else None,
        series_index=index,
    )
    images = f"{settings['STATIC_PATHS'][0]}/{found.slug if found else BLOG_FOLDER}"
    return fields, ENTRY_TEXT.format(images=images)


#: The text below a new entry's header (`images`: the folder of its pictures).
ENTRY_TEXT = """\
TODO: Hier beginnt Ihr Text. Absätze trennen Sie durch eine Leerzeile,
Zwischenüberschriften beginnen mit „## “. Löschen Sie diesen Absatz.

<!--
So fügen Sie ein Bild ein:
1. Legen Sie die Bilddatei in den Ordner content/{images}/.
2. Schreiben Sie an die Stelle im Text, an der das Bild stehen soll:
   ![Beschreibung des Bildes für Menschen, die es nicht sehen]({{static}}/{images}/bild.jpg)
3. Ersetzen Sie „bild.jpg“ durch den Namen Ihrer Datei und den Text in den
   eckigen Klammern durch einen Satz, der sagt, was auf dem Bild zu sehen ist.
Diesen Hinweis sehen Leserinnen und Leser nicht; Sie können ihn löschen.
-->
"""


def new_series(content, title, settings=None):
    """Create content/series/<slug>.md and the folder for its entries; return the file."""
    settings = _settings(settings)
    content = _content_folder(content)
    title = _one_line(title)
    if not title:
        raise ScaffoldError(
            "Die Serie braucht einen Namen, zum Beispiel: "
            'python3 dev.py new-series "Hörspiele für Kinder"'
        )
    slug = _slug_of(title, settings)
    reserved = reserved_folders(settings)
    if slug in reserved:
        raise ScaffoldError(
            f"„{title}“ geht als Name einer Serie nicht: Der Ordner content/{slug}/ "
            f"ist für {reserved[slug]} da. Wählen Sie einen anderen Namen."
        )
    for series in read_series(content, settings):
        if series.slug == slug or series.title.casefold() == title.casefold():
            raise ScaffoldError(
                f"Die Serie „{series.title}“ gibt es schon: "
                f"{_shown(series.path, content)}. Einen neuen Beitrag dafür legen "
                f'Sie so an: python3 dev.py new --series "{series.title}" '
                '--title "Titel des Beitrags"'
            )
    path = content / series_folder(settings) / f"{slug}.md"
    fields = _new_fields(api.SERIES_FILE, settings, title=title)
    text = f"""\
TODO: Stellen Sie die Serie hier in ein paar Sätzen vor: Wer schreibt, worum
geht es, wie oft erscheint ein neuer Teil? Dieser Text steht oben auf der
Seite der Serie. Löschen Sie diesen Absatz.

<!--
Ein Bild für die Serie (freiwillig):
1. Legen Sie die Bilddatei in den Ordner content/images/series/.
2. Schreiben Sie oben unter die Zeile „Status: ongoing“ diese zwei Zeilen:
   Image: images/series/{slug}.svg
   Image_alt: Ein Satz, was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen
   (mit dem Namen Ihrer Datei statt „{slug}.svg“).
Ist die Serie abgeschlossen, ändern Sie „Status: ongoing“ in „Status: completed“.
Diesen Hinweis sehen Leserinnen und Leser nicht; Sie können ihn löschen.
-->
"""
    _write(path, content, header(fields, settings) + text)
    (content / slug).mkdir(exist_ok=True)
    return path


def _new_fields(table, settings, **inputs):
    """Return what the schema says `new` writes, in the site's language."""
    with api.speaking(settings):
        return api.new_header(table, **inputs)


def header(fields, settings=None):
    """Return the header of (name, value) pairs, written by the plugin's writer.

    A value it refuses (a control character in a title …) is a `ScaffoldError`.
    """
    api.use(_settings(settings))  # its refusals in the site's language
    try:
        return write_header(fields)
    except HeaderError as error:
        raise ScaffoldError(str(error)) from None


def _content_folder(content):
    content = Path(content)
    if not content.is_dir():
        raise ScaffoldError(f"Den Inhaltsordner „{content}“ gibt es nicht.")
    return content


def _one_line(text):
    """Return `text` on one line; refuse markup (fields are plain text)."""
    line = " ".join((text or "").split())
    if MARKUP.search(line):
        raise ScaffoldError(
            f"„{line}“ enthält HTML-Code (spitze Klammern). Titel und Namen sind "
            "reiner Text: Lassen Sie die spitzen Klammern weg."
        )
    return line


def _slug_of(title, settings):
    slug = slugify(title, settings)
    if not slug:
        raise ScaffoldError(
            f"Aus „{title}“ lässt sich keine Adresse bilden. "
            "Verwenden Sie Buchstaben oder Ziffern im Titel."
        )
    return slug


def _parse_date(text, settings):
    """Return the date `text` means, read as the build reads `Date:` (German too)."""
    with api.speaking(settings):
        try:
            return api.read_date(text.strip())
        except api.DateError as error:
            raise ScaffoldError(
                f"{error} Schreiben Sie Tag.Monat.Jahr und Uhrzeit, zum Beispiel: "
                '--date "01.03.2025 09:00" (oder --date "2025-03-01 09:00").'
            ) from None


def _in_site_zone(now, settings):
    if now.tzinfo is None:
        return now
    try:
        return now.astimezone(ZoneInfo(settings["TIMEZONE"]))
    except (ZoneInfoNotFoundError, KeyError, ValueError):
        return now.astimezone()


def _refuse_same_slug(content, slug, title, settings):
    """Two entries with one slug would share (or fight over) one address."""
    for path, header in entries(content, settings):
        if claimed_slug(header, settings) == slug:
            raise ScaffoldError(
                f"Der Titel „{title}“ ergäbe dieselbe Adresse wie der Beitrag "
                f"{_shown(path, content)}. Wählen Sie einen anderen Titel, zum "
                "Beispiel mit einem Zusatz."
            )


def _exists(path, content):
    return (
        f"Die Datei {_shown(path, content)} gibt es schon; sie bleibt, wie sie ist. "
        "Wählen Sie einen anderen Titel oder öffnen Sie die vorhandene Datei."
    )


def _write(path, content, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        raise ScaffoldError(_exists(path, content)) from None


def _shown(path, content):
    """Return `path` as the author sees it: content/<…>."""
    return path.relative_to(content.parent).as_posix()


def shown(path):
    """Return `path` relative to the working folder if it lies inside it."""
    path = Path(path).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
