"""The plugin's settings, declared in one place and checked at start-up.

Each setting has a default, the kinds of value it takes and, for a pattern,
the placeholders it may (and must) use. `configure` fills in the defaults
and checks every value before anything is read or written: a wrong type, an
unknown placeholder ("{titel}") or a missing one ("{slug}" in a per-series
path) is one `SettingsError` naming the setting. Settings Pelican does not
have are prefixed SERIES_ (series) or FORTSETZUNG_ (everything else).
"""

import string
from collections.abc import Callable
from dataclasses import dataclass

from . import fields

NOTHING = type(None)


@dataclass(frozen=True)
class Setting:
    """A setting: default, accepted types, placeholders of a pattern."""

    default: object
    kinds: tuple = (str,)
    allowed: frozenset = frozenset()  # placeholders a pattern may use
    required: frozenset = frozenset()  # placeholders it must use
    meaning: str = ""
    positive: bool = False  # a number must be more than 0


SLUG = frozenset({"slug"})
#: Static files plain Pelican sites publish (FORTSETZUNG_STATIC_TYPES):
#: pictures, audio and video, documents and downloads, the web's own files
#: (stylesheets, scripts, pages) and fonts.
# fmt: off
STATIC_TYPES = (
    "avif", "bmp", "gif", "ico", "jpeg", "jpg", "png", "svg", "webp",
    "flac", "m4a", "mp3", "oga", "ogg", "opus", "wav",
    "m4v", "mp4", "ogv", "webm",
    "csv", "epub", "json", "pdf", "txt", "vtt", "xml", "zip",
    "css", "htm", "html", "js", "map", "mjs", "webmanifest",
    "eot", "otf", "ttf", "woff", "woff2",
)
# fmt: on


def limit(default, meaning, kinds=(int,)):
    """Declare a limit: a number more than 0, or None for none (limits.py)."""
    return Setting(default, (*kinds, NOTHING), meaning=meaning, positive=True)


def path(default, meaning, optional=False, per_series=False):
    """Declare a path or URL setting (None or "" switches an `optional` one off)."""
    return Setting(
        default,
        (str, NOTHING) if optional else (str,),
        SLUG if per_series else frozenset(),
        SLUG if per_series else frozenset(),
        meaning,
    )


SETTINGS = {
    "SERIES_PATHS": Setting(
        ["series"], (list, tuple), meaning="folders of series descriptions"
    ),
    "SERIES_URL": path("series/{slug}/", "a series' page", per_series=True),
    "SERIES_SAVE_AS": path(
        "series/{slug}/index.html", "a series' page", per_series=True
    ),
    "SERIES_DRAFT_URL": path(
        "drafts/series/{slug}/", "a series without a published part", per_series=True
    ),
    "SERIES_DRAFT_SAVE_AS": path(
        "drafts/series/{slug}/index.html",
        'a series without a published part ("": not written)',
        optional=True,
        per_series=True,
    ),
    "SERIES_INDEX_URL": path("series/", "the page of all series"),
    "SERIES_INDEX_SAVE_AS": path(
        "series/index.html", "the page of all series", optional=True
    ),
    "SERIES_FEED_ATOM": path(
        "feeds/series/{slug}.atom.xml", "a series' Atom feed", True, True
    ),
    "SERIES_FEED_RSS": path(
        "feeds/series/{slug}.rss.xml", "a series' RSS feed", True, True
    ),
    "SERIES_FEED_JSON": path(
        "feeds/series/{slug}.json", "a series' JSON Feed", True, True
    ),
    "SERIES_FEED_ATOM_URL": path(None, "public URL of the Atom feed", True, True),
    "SERIES_FEED_RSS_URL": path(None, "public URL of the RSS feed", True, True),
    "SERIES_FEED_JSON_URL": path(None, "public URL of the JSON Feed", True, True),
    "SERIES_FEED_MAX_ITEMS": Setting(
        1000, (int, NOTHING), meaning="parts in a series feed"
    ),
    "SERIES_FEED_SUMMARY_ONLY": Setting(
        False, (bool,), meaning="series feeds carry summaries, not the text"
    ),
    "SERIES_FEED_ITEM_TITLE": Setting(
        "{series}, part {index}: {title}",
        (str,),
        frozenset({"series", "index", "count", "title"}),
        frozenset({"title"}),
        "the title of a part in every feed",
    ),
    "SERIES_OPML_SAVE_AS": path(
        "feeds/series.opml", "the OPML file of every series feed", optional=True
    ),
    "SERIES_OPML_URL": path("feeds/series.opml", "its public URL", optional=True),
    "SERIES_OPML_TITLE": Setting(
        "Series – {site}", (str,), frozenset({"site"}), meaning="its title"
    ),
    "SERIES_PAGINATION": Setting(
        50, (int, NOTHING), meaning="parts on one page of a series page"
    ),
    "SERIES_TOC_NEIGHBOURS": Setting(
        2, (int,), meaning="parts each side of the current one in its table"
    ),
    "FORTSETZUNG_FEED_ALL_JSON": path(
        None, "the site's JSON Feed (Pelican writes only Atom and RSS)", True
    ),
    "FORTSETZUNG_FEED_ALL_JSON_URL": path(None, "its public URL", True),
    "FORTSETZUNG_FEED_STYLESHEET": path(
        None, "XSLT stylesheet announced in Atom and RSS feeds", True
    ),
    # what the plugin changes in the feeds Pelican writes (feeds.py)
    "FORTSETZUNG_FEED_STABLE_IDS": Setting(
        False,
        (bool,),
        meaning="Pelican's feeds: entry ids from the source file (survive a new "
        "title or slug), each feed's id its own address",
    ),
    "FORTSETZUNG_FEED_ITEM_TITLES": Setting(
        False,
        (bool,),
        meaning="Pelican's feeds: item titles as the plugin's (the title as text; "
        "a part's as SERIES_FEED_ITEM_TITLE says), a part tagged with its series",
    ),
    "FORTSETZUNG_FEED_ABSOLUTE_URLS": Setting(
        False,
        (bool,),
        meaning="Pelican's feeds: absolute URLs inside summaries and texts, on "
        "FEED_DOMAIN where SITEURL is empty",
    ),
    "FORTSETZUNG_FEED_METADATA": Setting(
        False,
        (bool,),
        meaning="Pelican's feeds: the site's language, author and description, "
        "every author of an entry",
    ),
    "FORTSETZUNG_FEED_TITLE": Setting(
        "{site} - {title}",
        (str,),
        frozenset({"site", "title"}),
        frozenset({"title"}),
        "the title of a feed of a category, tag, author or series",
    ),
    "FORTSETZUNG_REDIRECTS_HTACCESS_SAVE_AS": path(
        ".htaccess", 'Apache\'s redirects of old addresses ("": not written)', True
    ),
    "FORTSETZUNG_REDIRECTS_NGINX_SAVE_AS": path(
        "redirects.nginx.conf",
        'an nginx map of the redirects of old addresses ("": not written)',
        True,
    ),
    "FORTSETZUNG_GERMAN_SLUGS": Setting(
        False, (bool,), meaning="slugs spell ä, ö, ü, ß as ae, oe, ue, ss"
    ),
    "FORTSETZUNG_SHARE_IMAGES_SAVE_AS": Setting(
        "share/{path}-{key}.png",
        (str, NOTHING),
        frozenset({"path", "key"}),
        frozenset({"path", "key"}),
        "share images (sharecards); {path} is the page's, without .html, "
        '{key} tells versions of the picture apart ("": none drawn)',
    ),
    "FORTSETZUNG_SHARE_IMAGES_COLOR": Setting(
        None,
        (str, NOTHING),
        meaning='background of share images (None: THEME_COLORS["accent"])',
    ),
    "FORTSETZUNG_PUBLISHED_ADDRESSES": Setting(
        [],
        (list, tuple),
        meaning="addresses published before, as (URL, source file, title): each "
        "that no content has now redirects to the content of that file (or "
        "title), like Redirect_from; a publishing tool fills it in",
    ),
    "FORTSETZUNG_RESERVED_PATHS": Setting(
        [],
        (list, tuple),
        meaning="what other tools write into the output, which content may not "
        'claim ("x/": a whole folder)',
    ),
    "FORTSETZUNG_ARTICLE_TEMPLATES": Setting(
        ["article"],
        (list, tuple),
        meaning="templates an entry may name in Template: (besides article)",
    ),
    "FORTSETZUNG_PAGE_TEMPLATES": Setting(
        ["page"],
        (list, tuple),
        meaning="templates a page may name in Template: (besides page)",
    ),
    "FORTSETZUNG_REQUIRED_FIELDS": Setting(
        {},
        (dict,),
        meaning='fields entries must have beyond the schema\'s ({"article": '
        '["Summary"], "page": […]})',
    ),
    "FORTSETZUNG_LANGUAGE": Setting(
        None,
        (str, NOTHING),
        meaning="language of the messages (de or en; None: DEFAULT_LANG)",
    ),
    # house rules: what a site publishes of its content (vet_content.py); the
    # defaults are what plain Pelican sites publish, a site narrows them
    "FORTSETZUNG_STATIC_TYPES": Setting(
        STATIC_TYPES,
        (list, tuple, set, frozenset, NOTHING),
        meaning="types (file name endings) of static files that are published; "
        "a file EXTRA_PATH_METADATA gives an address is, whatever its type "
        "(None: every type)",
    ),
    # what one content file, and the whole site, may cost (limits.py)
    "FORTSETZUNG_MAX_TEXT_FILE_SIZE": limit(
        1_000_000, "bytes of a content file read as text (Markdown, comments)"
    ),
    "FORTSETZUNG_MAX_STATIC_FILE_SIZE": limit(
        100_000_000,
        "bytes of a file copied as it is (pictures, video; GitHub: 100 MiB at most)",
    ),
    "FORTSETZUNG_MAX_HTML_SIZE": limit(
        5_000_000, "bytes of HTML that one content file's text may make"
    ),
    "FORTSETZUNG_MAX_SITE_SIZE": limit(
        1_000_000_000,
        "bytes of the whole built site (GitHub Pages: 1 GB; the site's tools check it)",
    ),
    "FORTSETZUNG_READ_TIMEOUT": limit(
        15,
        "seconds converting, cleaning or checking one file's text may take",
        (int, float),
    ),
    # Ways for a tool that runs Pelican to speed up one build (sitetools/
    # runner.py sets them for each run): not part of what the site is.
    "FORTSETZUNG_MAP": Setting(
        None,
        (Callable, NOTHING),
        meaning="a function like `map`, returning a list, by which the plugin goes "
        "through many items (the checks of the contents, the drawing of share "
        "images), e.g. on every core; None: one after another",
    ),
    "FORTSETZUNG_BEFORE_READING": Setting(
        None,
        (Callable, NOTHING),
        meaning="called with a file's path before a reader reads it (e.g. to take "
        "what other processes converted ahead, memo.absorb); None: nothing",
    ),
}
#: Settings that change how a build runs, not what it makes.
RUNNING = frozenset({"FORTSETZUNG_MAP", "FORTSETZUNG_BEFORE_READING"})
#: Settings that had Pelican's prefixes, and their names now.
RENAMED = {
    "FEED_ALL_JSON": "FORTSETZUNG_FEED_ALL_JSON",
    "FEED_ALL_JSON_URL": "FORTSETZUNG_FEED_ALL_JSON_URL",
    "FEED_STYLESHEET": "FORTSETZUNG_FEED_STYLESHEET",
    "SLUGIFY_GERMAN": "FORTSETZUNG_GERMAN_SLUGS",
}


class SettingsError(ValueError):
    """Settings the plugin cannot work with; the message names each of them."""


def configure(settings):
    """Fill in the defaults and check every setting; raise `SettingsError`."""
    for name, setting in SETTINGS.items():
        settings.setdefault(name, setting.default)
    mistakes = [
        f"{old} is now called {new}." for old, new in RENAMED.items() if old in settings
    ]
    for name, setting in SETTINGS.items():
        mistake = _mistake(settings[name], setting)
        if mistake:
            mistakes.append(f"{name} = {settings[name]!r}: {mistake}")
    mistakes += [
        f"FORTSETZUNG_REQUIRED_FIELDS {mistake}"
        for mistake in fields.setting_mistakes(settings["FORTSETZUNG_REQUIRED_FIELDS"])
    ]
    if mistakes:
        raise SettingsError(
            "The settings of the plugin fortsetzung need correcting: "
            + " ".join(mistakes)
        )


def _mistake(value, setting):
    """Return what is wrong with `value` for `setting`, or None."""
    if not isinstance(value, setting.kinds) or (
        isinstance(value, bool) and bool not in setting.kinds
    ):
        kinds = " or ".join(
            "None" if k is NOTHING else k.__name__ for k in setting.kinds
        )
        return f"must be {kinds} ({setting.meaning})."
    if not isinstance(value, str) or not value:
        below = setting.positive and value is not None and value <= 0
        return (
            f"must be more than 0 ({setting.meaning}; None: none)." if below else None
        )
    try:
        names = {
            field.split(".")[0].split("[")[0]
            for _, field, _, _ in string.Formatter().parse(value)
            if field is not None
        }
    except ValueError as error:  # "{slug" and the like
        return f"is not a valid pattern ({error})."
    if names - setting.allowed:
        return _placeholders(setting, names - setting.allowed)
    if setting.required - names:
        missing = ", ".join("{" + n + "}" for n in sorted(setting.required - names))
        return f"must contain {missing}, so that each series gets its own."
    return None


def _placeholders(setting, wrong):
    allowed = ", ".join("{" + n + "}" for n in sorted(setting.allowed)) or "none"
    return (
        f"knows no {', '.join('{' + n + '}' for n in sorted(wrong))} "
        f"(placeholders: {allowed})."
    )
