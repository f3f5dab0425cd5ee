"""Dates: whether Pelican can use one, and how the site shows it.

`date_mistake` reads a `Date:` or `Modified:` value exactly as Pelican
does (the reader's `get_date`, then the time zone that `Content` gives a
date without one, and the comparisons and conversions to UTC that every
build makes), so that a date Pelican would stumble over is an author's
mistake on its line, not a file Pelican "could not read". It also refuses
what Pelican would take silently but wrongly: a date without a day or a
year (Pelican fills in today's) and a time zone name it does not know
(Pelican drops it).

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
    return _date_mistake(value, key, timezone, i18n.current())


@functools.lru_cache(maxsize=1 << 14)  # every build checks every date
def _date_mistake(value, key, timezone, _language):
    text = value.replace("_", " ") if key == "date" else value  # Pelican's reader
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
    if not _COMPLETE.fullmatch(text) and _incomplete(text):
        return _(
            "“{value}” lacks the year, month or day; Pelican would fill in today's.",
            value=value,
        )
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
