"""German transliteration for slugs: "Hör-Bar" -> "hoer-bar", "Straße" -> "strasse".

Pelican's `slugify` runs Unidecode *before* `SLUG_REGEX_SUBSTITUTIONS`, so by the
time a substitution could turn "ö" into "oe" the "ö" has already become "o".
The only place to transliterate is before Pelican's `slugify` sees the text, so
`install()` points the two modules that call it (contents: articles and pages;
urlwrappers: tags, categories, authors and our series) at `german_slugify`,
which transliterates and then hands over to Pelican's own function unchanged.
"""

import unicodedata

from pelican import contents, urlwrappers, utils

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


def german_slugify(value, regex_subs=(), preserve_case=False, use_unicode=False):
    """Pelican's `slugify`, with German transliteration unless slugs stay Unicode."""
    if not use_unicode:
        value = transliterate(value)
    return utils.slugify(
        value,
        regex_subs=regex_subs,
        preserve_case=preserve_case,
        use_unicode=use_unicode,
    )


def slugify(value, settings, kind="SLUG"):
    """Slugify `value` the way Pelican does for `kind` under `settings`."""
    return german_slugify(
        value,
        regex_subs=settings.get(
            f"{kind}_REGEX_SUBSTITUTIONS", settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
        ),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def install(enabled):
    """Make Pelican slugify the German way (or Pelican's way again)."""
    function = german_slugify if enabled else utils.slugify
    contents.slugify = function
    urlwrappers.slugify = function
