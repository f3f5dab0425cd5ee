"""Dates in the site's language, without depending on the machine's locales."""

import functools

from babel.dates import format_date


@functools.lru_cache(maxsize=1 << 14)  # a date is shown on many pages
def long_date(value, lang="de"):
    """Format a date as "3. Dezember 2024" (for lang "de")."""
    return format_date(value, format="long", locale=lang)
