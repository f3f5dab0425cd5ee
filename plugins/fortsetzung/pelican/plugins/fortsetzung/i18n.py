"""The plugin's messages in the site's language: English, or German.

Messages are written in English in the code, as `_("… {name} …", name=…)`;
translations are gettext catalogues (`locale/<language>.po`), read with
Babel (which the plugin needs for dates anyway). FORTSETZUNG_LANGUAGE, else
DEFAULT_LANG, chooses the language when a build starts (`use`); a language
without a catalogue gets English.

The language is a context variable set anew by every build, so two builds
in one process (tests, livereload) never mix their languages.
"""

import contextlib
import contextvars
import functools
from importlib.resources import files

from babel.messages.pofile import read_po

_language = contextvars.ContextVar("fortsetzung_language", default="en")


@functools.cache
def catalogue(language):
    """Return {English message: translation} for `language` ({} if there is none)."""
    path = files(__package__) / "locale" / f"{language}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as file:
        return {m.id: m.string for m in read_po(file) if m.id and m.string}


def language_of(settings):
    """Return the language of the messages for `settings` ("de", "en" …)."""
    code = settings.get("FORTSETZUNG_LANGUAGE") or settings.get("DEFAULT_LANG") or "en"
    return code.replace("_", "-").split("-")[0].lower()


def use(settings):
    """Speak the language of `settings` from now on (at the start of a build)."""
    _language.set(language_of(settings))


@contextlib.contextmanager
def speaking(settings):
    """Speak the language of `settings` within the block (a tool outside a build)."""
    token = _language.set(language_of(settings))
    try:
        yield
    finally:
        _language.reset(token)


def current():
    """Return the language messages are in now."""
    return _language.get()


def N_(message):
    """Mark `message` for translation where it is shown, not where it is written."""
    return message


def _(message, **values):
    """Return `message` in the current language, with `values` filled in.

    Messages are str.format patterns: a brace meant as such is doubled
    ("{{static}}").
    """
    return catalogue(_language.get()).get(message, message).format(**values)
