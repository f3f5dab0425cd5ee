"""Fortsetzung: Markdown entries tagged with a series become ordered serials.

Connects the signals: settings defaults, German slugs and the date filter at
start-up; readers that read only safe content files (source.py); vetting of
every content object as it is made (vetting.py); and the generator that builds
the series model, series pages and per-series feeds. All state lives in the
generator, which Pelican creates anew for every build, so rebuilds in one
process (livereload) never see old series.
"""

import functools
import logging

from pelican import signals

from . import slugs
from .dates import long_date
from .feeds import FeedWriter
from .generator import SeriesGenerator, check
from .source import safe_readers
from .vetting import vet

logger = logging.getLogger(__name__)

DEFAULT_SETTINGS = {
    "SERIES_PATHS": ["series"],
    "SERIES_URL": "serien/{slug}/",
    "SERIES_SAVE_AS": "serien/{slug}/index.html",
    # A series without a published part (and not announced): the preview
    # shows it here; set SERIES_DRAFT_SAVE_AS = "" where it must not be seen.
    "SERIES_DRAFT_URL": "drafts/serien/{slug}/",
    "SERIES_DRAFT_SAVE_AS": "drafts/serien/{slug}/index.html",
    "SERIES_INDEX_URL": "serien/",
    "SERIES_INDEX_SAVE_AS": "serien/index.html",
    # Series feeds have a folder of their own: no author, category or tag
    # feed can ever be written to the same path.
    "SERIES_FEED_ATOM": "feeds/serie/{slug}.atom.xml",
    "SERIES_FEED_RSS": "feeds/serie/{slug}.rss.xml",
    "SERIES_FEED_JSON": "feeds/serie/{slug}.json",
    "SERIES_FEED_ATOM_URL": None,
    "SERIES_FEED_RSS_URL": None,
    "SERIES_FEED_JSON_URL": None,
    # A series feed holds every part (up to this many), in full text.
    "SERIES_FEED_MAX_ITEMS": 1000,
    "SERIES_FEED_SUMMARY_ONLY": False,
    # Item titles of parts, in every feed; also {count}.
    "SERIES_FEED_ITEM_TITLE": "{series}, Teil {index}: {title}",
    # One OPML file with every series feed, to subscribe to all at once.
    "SERIES_OPML_SAVE_AS": "feeds/serien.opml",
    "SERIES_OPML_URL": "feeds/serien.opml",
    "SERIES_OPML_TITLE": "Serien – {site}",
    # The site's JSON Feed (Pelican writes only Atom and RSS).
    "FEED_ALL_JSON": None,
    "FEED_ALL_JSON_URL": None,
    # XSLT stylesheet (relative to SITEURL) that browsers use to show feeds.
    "FEED_STYLESHEET": "theme/feed.xsl",
    # Parts listed on one page of a series page (None: DEFAULT_PAGINATION).
    "SERIES_PAGINATION": 50,
    # Parts shown on each side of the current one in a part's table of contents.
    "SERIES_TOC_NEIGHBOURS": 2,
    "SLUGIFY_GERMAN": True,
}


PER_SERIES_PATHS = (
    "SERIES_SAVE_AS",
    "SERIES_DRAFT_SAVE_AS",
    "SERIES_FEED_ATOM",
    "SERIES_FEED_RSS",
    "SERIES_FEED_JSON",
)


def configure(pelican):
    """Fill in default settings and keep series descriptions out of the articles."""
    settings = pelican.settings
    for key, value in DEFAULT_SETTINGS.items():
        settings.setdefault(key, value)
    # a series page lists its parts, SERIES_PAGINATION at a time
    settings["PAGINATED_TEMPLATES"].setdefault("series", settings["SERIES_PAGINATION"])
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        settings[key] = list(dict.fromkeys([*settings[key], *settings["SERIES_PATHS"]]))
    slugs.install(settings["SLUGIFY_GERMAN"])
    # reStructuredText could include any file of the machine (.. include::)
    settings["DOCUTILS_SETTINGS"] = {
        **(settings.get("DOCUTILS_SETTINGS") or {}),
        "file_insertion_enabled": False,
    }
    for key in PER_SERIES_PATHS:
        if settings[key] and "{slug}" not in settings[key]:
            # every series would be written to the same file: write none
            logger.error(
                "%s = %r: the path must contain {slug}, e.g. %r.",
                key,
                settings[key],
                DEFAULT_SETTINGS[key],
            )
            settings[key] = None


def add_filters(generator):
    generator.env.filters.setdefault(
        "long_date",
        functools.partial(long_date, lang=generator.settings["DEFAULT_LANG"]),
    )


def get_generators(pelican):
    return SeriesGenerator


def get_writer(pelican):
    return FeedWriter


def register():
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_filters)
    signals.readers_init.connect(safe_readers)
    signals.content_object_init.connect(vet)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
    signals.all_generators_finalized.connect(check)
