"""The `announce` task: announcement texts of published entries, as files.

The site is read as it is published (publishconf.py, through runner.py, so
only published entries, links to SITEURL); the texts come from
socialtext.py. Written into the output folder:

- `hootsuite-<network>.csv`, one per network, for Hootsuite's Bulk
  Composer ("Publisher → New post → Bulk schedule" / "Bulk Composer").
  The format as Hootsuite's upload dialog and its users describe it (we
  had no official page to check it against; docs/werbung.md asks for a
  test upload first): no header row; column A the date and time of
  the post, 24-hour clock, in the format picked when uploading (we write
  day/month/year, "30/11/2026 10:00"), in the future and at a minute that
  ends in 0 or 5; column B the text; column C a link (optional), which
  Hootsuite adds to the text; at most 350 rows per file. A network per
  file, since each network gets a text of its own and Hootsuite sends
  every row of an upload to all the accounts chosen for it.
- `ankuendigungen.txt`: every text, one block per entry and network, to
  copy by hand.

Every cell that a spreadsheet would take for a formula (=, +, -, @ …) gets
an apostrophe in front (socialtext.defused).
"""

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.plugins.fortsetzung import api

from sitetools import runner
from sitetools.socialtext import NETWORKS, announcements, defused

#: The date format of the CSV files (Hootsuite: "day/month/year").
CSV_DATE = "%d/%m/%Y %H:%M"
#: Hootsuite's Bulk Composer takes at most this many rows per file.
MAX_ROWS = 350
TEXT_FILE = "ankuendigungen.txt"
#: When the first post goes out, unless said otherwise: tomorrow at this time.
FIRST_POST = time(10, 0)


#: The plugin's messages in the language this tool speaks.
GERMAN = {"FORTSETZUNG_LANGUAGE": "de"}


class AnnounceError(Exception):
    """The announcements cannot be made; the message is German."""


def parse_day(value, option):
    """Return the day of `value` ("01.09.2025", "2025-09-01"), or None for None.

    Read as the build reads `Date:` (German dates too).
    """
    if value is None:
        return None
    with api.speaking(GERMAN):
        try:
            return api.read_date(value.strip()).date()
        except api.DateError as error:
            raise AnnounceError(
                f"Das Datum bei {option} verstehe ich nicht: {error} Bitte als "
                "TT.MM.JJJJ oder JJJJ-MM-TT, zum Beispiel 01.09.2025."
            ) from None


def parse_start(value, zone, now):
    """Return when the first post goes out: `value` ("01.12.2025 10:00") or tomorrow.

    Read as the build reads `Date:`, in the site's time zone `zone`.
    """
    if value is None:
        return datetime.combine(now.date() + timedelta(days=1), FIRST_POST, zone)
    with api.speaking(GERMAN):
        try:
            start = api.read_date(value.strip())
        except api.DateError as error:
            raise AnnounceError(
                f"Den Zeitpunkt bei --start verstehe ich nicht: {error} Bitte als "
                "„TT.MM.JJJJ HH:MM“, zum Beispiel „01.12.2025 10:00“."
            ) from None
    start = start.astimezone(zone) if start.tzinfo else start.replace(tzinfo=zone)
    if start <= now:
        raise AnnounceError(
            f"--start {value} liegt nicht in der Zukunft; Hootsuite plant nur "
            "Beiträge für später ein."
        )
    if start.minute % 5:
        raise AnnounceError(
            f"--start {value}: Hootsuite nimmt nur Uhrzeiten in 5-Minuten-Schritten "
            "an (…:00, …:05, …:10 …)."
        )
    return start


@dataclass
class Written:
    """What the task wrote, for its summary."""

    items: list  # of socialtext.Announcement
    first: date
    last: date | None
    start: datetime  # of the first post in the CSV files
    files: list  # of Path
    too_long: list  # of (Announcement, Post) left out of the CSV files


def read_site(settings_file, content):
    """Read the site as published; return Pelican's context. Errors are German."""
    result = runner.read_site(settings_file, content)
    if result.error is not None:
        raise AnnounceError(runner.describe(result.error))
    if not result.ok:
        errors = [p for p in result.found if p.severity == "error"]
        raise AnnounceError(
            f"{runner.as_text(errors)}\nKeine Ankündigungen: Der Inhalt hat Fehler "
            "(siehe oben), so würde er nicht veröffentlicht."
        )
    return result.context


def announce(settings_file, content, output, since, until=None, start=None, now=None):  # noqa: PLR0913, PLR0917  (one per option)
    """Write the CSV files and the text file; return `Written`."""
    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    if last is not None and last < first:
        raise AnnounceError(f"--until {until} liegt vor --since {since}.")
    context = read_site(settings_file, content)
    zone = ZoneInfo(context.get("TIMEZONE") or "UTC")
    now = now or datetime.now(zone)
    start = parse_start(start, zone, now)
    items = announcements(
        context["articles"],
        context["SITEURL"],
        datetime.combine(first, time.min, zone),
        datetime.combine(last, time.max, zone) if last else now,
    )
    written = Written(items, first, last, start, [], [])
    if not items:
        return written
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    # one post a day, oldest entry first
    times = [start + timedelta(days=n) for n in range(len(items))]
    for number, network in enumerate(NETWORKS):
        path = output / f"hootsuite-{network.key}.csv"
        with path.open("w", encoding="utf-8", newline="") as file:
            rows = csv.writer(file)
            for when, item in zip(times, items, strict=True):
                post = item.posts[number]
                if not post.fits:
                    written.too_long.append((item, post))
                    continue
                rows.writerow(
                    [
                        defused(when.strftime(CSV_DATE)),
                        defused(post.body),
                        defused(post.link),
                    ]
                )
        written.files.append(path)
    text = output / TEXT_FILE
    text.write_text(as_text(items), encoding="utf-8")
    written.files.append(text)
    return written


def as_text(items):
    """Return every text, one block per entry and network, for copying."""
    blocks = []
    for item in items:
        blocks.append(f"===== {item.headline} ({item.date:%d.%m.%Y}) =====\n")
        for post in item.posts:
            state = "" if post.fits else " – ZU LANG, bitte kürzen"
            blocks.append(
                f"----- {post.network.name}: {post.length} von "
                f"{post.network.limit} Zeichen{state} -----\n{post.text}\n"
            )
    return "\n".join(blocks)


def summary(written, shown=str):
    """Return what the task says when it is done (German); `shown` names a file."""
    items, first, last = written.items, written.first, written.last
    period = (
        f"vom {first:%d.%m.%Y} bis {last:%d.%m.%Y}"
        if last
        else f"seit {first:%d.%m.%Y}"
    )
    if not items:
        return f"Keine Ankündigungen: {period} ist kein Beitrag erschienen. Nichts geschrieben."
    parts = sum(1 for i in items if i.series)
    others = len(items) - parts
    counts = [f"{parts} Serienteil{'e' if parts != 1 else ''}"]
    if others:
        counts.append(
            f"{others} Beitrag ohne Serie"
            if others == 1
            else f"{others} Beiträge ohne Serie"
        )
    lines = [
        f"Ankündigungen für {len(items)} Beitr{'äge' if len(items) != 1 else 'ag'} "
        f"{period} ({', '.join(counts)}):"
    ]
    lines += [f"  {shown(path)}" for path in written.files]
    lines.append(
        f"In den CSV-Dateien für Hootsuite: ab {written.start:%d.%m.%Y %H:%M} Uhr "
        "ein Beitrag pro Tag (in Hootsuite änderbar). Anleitung: docs/werbung.md."
    )
    for item, post in written.too_long:
        lines.append(
            f"Zu lang für {post.network.name}, nicht in der CSV-Datei: „{item.headline}“ "
            f"({post.length} von {post.network.limit} Zeichen, der Link allein ist "
            "zu lang) – bitte von Hand kürzen."
        )
    if len(items) > MAX_ROWS:
        lines.append(
            f"Hootsuite nimmt höchstens {MAX_ROWS} Zeilen je Datei: bitte mit "
            "--since/--until in kleineren Abschnitten erstellen."
        )
    return "\n".join(lines)
