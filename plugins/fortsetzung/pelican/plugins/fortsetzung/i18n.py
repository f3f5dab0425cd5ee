"""The plugin's messages and the templates' texts in the site's language.

One mechanism for both: gettext. Messages are written in English in the
code, as `_("… {name} …", name=…)`, and in templates as `{{ _("…") }}`
(Jinja's i18n extension, which `install` puts into every generator's
environment). Translations are gettext catalogues, `<language>.po`, read
and compiled in memory with Babel (which the plugin needs for dates
anyway; no .mo files to build): the plugin's own (`locale/`) for its
messages and templates, and a theme's (`<THEME>/translations/<language>/
LC_MESSAGES/messages.po`, the layout of Babel and of Pelican's i18n_subsites
plugin, and of every folder in THEME_TEMPLATES_OVERRIDES, which replace
single texts) for the theme. FORTSETZUNG_LANGUAGE, else DEFAULT_LANG,
chooses the language when a build starts (`use`); a language without a
catalogue gets English, the language the code and the templates are
written in.

The language is a context variable set anew by every build, so two builds
in one process (tests, livereload) never mix their languages.
"""

import contextlib
import contextvars
import functools
import io
import os
from importlib.resources import files

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import pass_eval_context
from markupsafe import Markup

_language = contextvars.ContextVar("fortsetzung_language", default="en")


@functools.cache
def catalogue(language):
    """Return {English message: translation} of the plugin ({} if there is none)."""
    return {
        message: text
        for message, text in _plugin(language)._catalog.items()
        if isinstance(message, str) and message  # not plurals, not the header
    }


def _plugin(language):
    return _compiled(_plugin_catalogue(language))


def _plugin_catalogue(language):
    return str(files(__package__) / "locale" / f"{language}.po")


def translations(settings):
    """Return the gettext translations of the templates for `settings`.

    The plugin's catalogue, then the theme's, then those of the folders in
    THEME_TEMPLATES_OVERRIDES: a later one's text wins. Made once for each
    language and set of catalogues as they are (every generator of every
    build asks).
    """
    language = language_of(settings)
    folders = [
        settings.get("THEME", ""),
        *settings.get("THEME_TEMPLATES_OVERRIDES", []),
    ]
    paths = [
        _plugin_catalogue(language),
        *(
            os.path.join(folder, "translations", language, "LC_MESSAGES",
                         "messages.po")
            for folder in folders
        ),
    ]  # fmt: skip
    return _merged(tuple((path, _stamp(path)) for path in paths))


@functools.lru_cache(maxsize=64)
def _merged(catalogues):
    merged = _empty()
    for path, stamp in catalogues:
        found = _compile(path, stamp)
        if found._catalog:
            merged.merge(found)
            merged.plural = found.plural  # the language's plural rule
    return merged


def install(generator):
    """Give a generator's templates `_`, `gettext`, `ngettext` and `{% trans %}`.

    Newstyle gettext: under autoescape a text is markup, so `.format(…)` on
    it escapes what is put in. A site that installed translations of its own
    (Pelican's i18n_subsites) keeps them.
    """
    env = generator.env
    env.add_extension("jinja2.ext.i18n")
    if "gettext" not in env.globals:
        found = translations(generator.settings)
        env.install_gettext_translations(found, newstyle=True)
        env.globals["_"] = _quick_gettext(found)


def _quick_gettext(found):
    """Return `_` for templates: Jinja's newstyle gettext, each text looked up once.

    The same result as Jinja's (under autoescape a text is markup, and it is
    a %-format), without two calls through the template's context for each
    of the forty texts of every page.
    """
    known = {}

    @pass_eval_context
    def gettext(eval_context, message, **variables):
        key = (message, eval_context.autoescape)
        text = known.get(key)
        if text is None:
            text = found.gettext(message)
            text = known[key] = Markup(text) if eval_context.autoescape else text
        return text % variables if variables or "%" in text else text

    return gettext


def _empty():
    """Return translations without a text: English, with English plurals."""
    empty = Translations()
    empty._catalog = {}
    empty.plural = lambda n: int(n != 1)
    return empty


def _compiled(path):
    """Return the catalogue at `path` compiled (empty if there is none)."""
    return _compile(path, _stamp(path))


def _stamp(path):
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


@functools.cache
def _compile(path, stamp):
    """Compile the catalogue at `path` as it was at `stamp` (a theme's may change)."""
    if stamp is None:
        return _empty()
    with open(path, "rb") as file:
        read = read_po(file)
    compiled = io.BytesIO()
    write_mo(compiled, read)
    compiled.seek(0)
    return Translations(compiled)


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
