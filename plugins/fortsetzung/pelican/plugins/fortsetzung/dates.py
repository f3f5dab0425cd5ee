"""Dates in the site's language, without depending on the machine's locales."""

from babel.dates import format_date


def long_date(value, lang="de"):
    """Format a date as "3. Dezember 2024" (for lang "de")."""
    return format_date(value, format="long", locale=lang)
