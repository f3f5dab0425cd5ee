"""German slugs: "Hör-Bar" -> "hoer-bar", "Straße" -> "strasse".

Pelican's `slugify` runs Unidecode *before* `SLUG_REGEX_SUBSTITUTIONS`, so by
the time a substitution could turn "ö" into "oe" the "ö" has already become
"o". With FORTSETZUNG_GERMAN_SLUGS, `slugify` transliterates first and then
hands over to Pelican's function unchanged; vet_content.py gives every entry,
page, author, tag and category that slug as Pelican makes it (nothing of
Pelican's is patched). A slug never begins with "_": hosts read
names that begin with "_" as their settings (output_plan.py).
"""

import functools
import unicodedata

from pelican import utils

_GERMAN = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ẞ": "SS",
    }
)


def transliterate(text):
    """Spell German umlauts and ß the German way in ASCII."""
    # NFC first: a decomposed "o" + combining diaeresis is an "ö" too.
    return unicodedata.normalize("NFC", text).translate(_GERMAN)


def slugify(value, settings, kind="SLUG"):
    """Slugify `value` the way Pelican does for `kind` (SLUG, TAG …) under `settings`.

    German umlauts are spelled out with FORTSETZUNG_GERMAN_SLUGS, unless
    slugs stay Unicode (SLUGIFY_USE_UNICODE).
    """
    use_unicode = settings.get("SLUGIFY_USE_UNICODE", False)
    substitutions = settings.get(
        f"{kind}_REGEX_SUBSTITUTIONS", settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    )
    return _slugify(
        value,
        tuple(tuple(pair) for pair in substitutions),
        settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode,
        bool(settings.get("FORTSETZUNG_GERMAN_SLUGS")),
    )


@functools.lru_cache(maxsize=1 << 14)  # a tag or author: once per entry
def _slugify(value, substitutions, preserve_case, use_unicode, german):
    if german and not use_unicode:
        value = transliterate(value)
    # no leading "_": hosts read such names (output_plan.py)
    return utils.slugify(
        value,
        regex_subs=[list(pair) for pair in substitutions],
        preserve_case=preserve_case,
        use_unicode=use_unicode,
    ).lstrip("_")
