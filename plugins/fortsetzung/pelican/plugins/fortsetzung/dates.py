"""Dates: how the plugin reads one, whether Pelican can use it, how it is shown.

Authors write dates the German way (05.11.2026, 5.11.2026 10:00,
5. November 2026, 5. Nov. 2026), which Pelican's `get_date` (dateutil)
reads month first: 05.11.2026 would be 11 May. `normal` turns such a
date into year-month-day before Pelican parses it. It is the one place
where a date is read: the plugin's readers (safety/source.py) hand
Pelican's own metadata processing `normal(value, key)` instead of the
value, for `Date` and `Modified` alike, so a plain Pelican site without
the plugin keeps Pelican's reading, and everything else about a date
(time zones, what dateutil reads) stays Pelican's; the site's tools (`new
--date`, `announce --since`) read theirs with `read_date`. Every other
form keeps Pelican's reading, ISO dates exactly as before.

`date_mistake` reads a `Date:` or `Modified:` value exactly as the reader
does (`normal`, Pelican's `get_date`, then the time zone that `Content` gives
a date without one, and the comparisons and conversions to UTC that every
build makes), so that a date Pelican would stumble over is an author's
mistake on its line, not a file Pelican "could not read". It also refuses
what Pelican would take silently but wrongly: a date without a day or a
year (Pelican fills in today's), a date whose day and month could be
either way round (05/11/2026, 05.11.26: dateutil takes the month first),
and a time zone name it does not know (Pelican drops it).

`long_date` formats a date in the site's language without depending on
the machine's locales.
"""

import datetime
import functools
import re
import warnings
from zoneinfo import ZoneInfo

import dateutil.parser
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from pelican.utils import get_date, set_date_tzinfo

from . import i18n
from .i18n import _

#: Two days apart in every part: a date that reads differently with each
#: as the default lacks that part.
_DEFAULTS = (datetime.datetime(2001, 2, 3), datetime.datetime(2002, 3, 4))


#: A date with its year, month and day (as `new` writes it, 2024-05-01 or
#: 2024-05-01 09:30): Pelican fills in nothing.
_COMPLETE = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?")

#: A German date: day, month (a number, or a name: `_MONTHS`) and a year of
#: four digits, and perhaps a time ("10:00", "10:00:30", "10:00 Uhr") with
#: its offset from UTC ("+01:00").
_GERMAN = re.compile(
    r"(?P<day>\d{1,2})(?:\.\s*(?P<month>\d{1,2})\.|\.?\s*(?P<name>[^\W\d_]+)\.?)"
    r"\s*(?P<year>\d{4})"
    r"(?:,?\s+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?:\s*Uhr)?"
    r"(?P<zone>\s*(?:[+-]\d{2}:?\d{2}|Z))?)?"
)
#: German month names; a name is also known by its first three letters or
#: more ("Nov", "Sept"), and by a few other spellings.
_MONTH_NAMES = (
    "januar", "februar", "märz", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "dezember",
)  # fmt: skip
_MONTHS = {
    **{
        name[:length]: number
        for number, name in enumerate(_MONTH_NAMES, 1)
        for length in range(3, len(name) + 1)
    },
    "jänner": 1, "jän": 1, "feber": 2, "maerz": 3, "mrz": 3,
}  # fmt: skip


def _incomplete(text):
    """Whether Pelican reads `text` differently with another day as its default."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dateutil.parser.UnknownTimezoneWarning)
        readings = {
            dateutil.parser.parse(re.sub(" +", " ", text), default=d).replace(
                tzinfo=None
            )
            for d in _DEFAULTS
        }
    return len(readings) > 1


def normal(value, key="date"):
    """Return the text Pelican's `get_date` is to read for the field `key`.

    A German date as year-month-day (and time), else the value as it is:
    "05.11.2026 10:00" -> "2026-11-05 10:00", "5. Nov. 2026" -> "2026-11-05";
    a day or month out of range is left to Pelican (which refuses it). In
    `Date`, "_" is a space (as Pelican's reader makes it: 05.11.2026_10:00).
    """
    return _iso(value.replace("_", " ") if key == "date" else value)


def _iso(text):
    match = _GERMAN.fullmatch(text.strip())
    if match is None:
        return text
    month = int(match["month"] or _MONTHS.get(match["name"].casefold(), 0))
    if not month:  # not a German month ("5 May 2026"): Pelican's reading
        return text
    day = f"{match['year']}-{month:02}-{int(match['day']):02}"
    if match["time"] is None:
        return day
    return f"{day} {match['time'].zfill(5)}{match['zone'] or ''}"


class DateError(ValueError):
    """A date the plugin cannot read; the message says why (site's language)."""


def read_date(value):
    """Return the datetime `value` is read as (as `Date:` is); raise `DateError`.

    For the site's tools (`new --date`, `announce --since`): a German date,
    year-month-day, or another form Pelican reads without doubt.
    """
    mistake = date_mistake(value)
    if mistake:
        raise DateError(mistake)
    return get_date(normal(value))


def _doubt(value, text, date):
    """Return why `text` (`value` as read) may not mean `date`, its reading, or None."""
    if _incomplete(text):
        return _(
            "“{value}” lacks the year, month or day; Pelican would fill in today's "
            "({reading}).",
            value=value,
            reading=_shown(date),
        )
    if _either_way(text):
        return _(
            "In “{value}” the day and the month could be either way round; it would "
            "be read as {reading}.",
            value=value,
            reading=_shown(date),
        )
    return None


def _either_way(text):
    """Whether day and month of `text` read differently when the day comes first.

    (dateutil takes the month first, unless the year comes first: 2026/05/11.)
    """
    if re.match(r"\s*\d{4}", text):
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dateutil.parser.UnknownTimezoneWarning)
        try:
            month_first, day_first = (
                dateutil.parser.parse(text, default=_DEFAULTS[0], dayfirst=first)
                for first in (False, True)
            )
        except (ValueError, OverflowError):  # one of the readings is no date
            return True
    return month_first != day_first


def _shown(date):
    """Return `date` as the site shows it, with the time if it has one."""
    shown = long_date(date.date(), i18n.current())
    return f"{shown}, {date:%H:%M}" if (date.hour, date.minute) != (0, 0) else shown


def zone_mistake(name):
    """Return why `name` is no time zone Pelican can use (a message), or None."""
    try:
        ZoneInfo(name)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return _("“{zone}” is no time zone.", zone=name)
    return None


def date_mistake(value, key="date", timezone="UTC"):
    """Return why Pelican cannot use `value` as the field `key` (a message), or None.

    `timezone` is the one Pelican gives a date without its own (the
    content's `Timezone`, else TIMEZONE).
    """
    today = datetime.date.today()  # what Pelican fills in (a message shows it)
    return _date_mistake(value, key, timezone, i18n.current(), today)


@functools.lru_cache(maxsize=1 << 14)  # every build checks every date
def _date_mistake(value, key, timezone, _language, _today):
    text = normal(value, key)  # as the reader hands it to Pelican
    with warnings.catch_warnings(record=True) as unknown:
        warnings.simplefilter("always", dateutil.parser.UnknownTimezoneWarning)
        try:
            date = get_date(text)
        except (ValueError, OverflowError):
            return _("“{value}” is not a date.", value=value)
    if any(
        issubclass(w.category, dateutil.parser.UnknownTimezoneWarning) for w in unknown
    ):
        return _(
            "“{value}”: the time zone is unknown; Pelican would leave it out.",
            value=value,
        )
    doubt = not _COMPLETE.fullmatch(text) and _doubt(value, text, date)
    if doubt:
        return doubt
    try:
        date = set_date_tzinfo(date, timezone)
        date.astimezone(datetime.UTC)  # feeds, sorting, "scheduled"
    except ValueError:
        return _(
            "“{value}”: a time zone is at most 23:59 hours off UTC.",
            value=value,
        )
    except OverflowError:
        return _("“{value}” lies too far in the past or the future.", value=value)
    return None


@functools.lru_cache(maxsize=1 << 14)  # a date is shown on many pages
def long_date(value, lang="en"):
    """Format a date as "December 3, 2024" ("3. Dezember 2024" for lang "de")."""
    return format_date(value, format="long", locale=date_locale(lang))


@functools.cache
def date_locale(lang):
    """Return Babel's locale for a language code ("de-DE", "pt_BR"), else English."""
    try:
        return Locale.parse((lang or "en").replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale("en")
