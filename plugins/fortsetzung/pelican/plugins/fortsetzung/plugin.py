"""Fortsetzung: Markdown entries tagged with a series become ordered serials.

Connects the signals: the settings (settings.py), and the date filter, the
`{% once %}` tag (extras/once_tag.py) and the translations of the templates
(i18n.py) at start-up; readers that read only safe content files
(safety/source.py); vetting of every content object as it is made
(safety/vet_content.py); private posts of an old blog out of every list
(oldblog/private.py); the generator that builds the series model, series
pages and per-series feeds, and finalises and checks the model
(generator.py); and the changes to Pelican's feeds that settings ask for
(series/feeds.py). All state lives in the generator, which Pelican creates
anew for every build, so rebuilds in one process (livereload) never see old
series.
"""

import functools

from pelican import signals

from . import i18n
from . import settings as plugin_settings
from .dates import long_date
from .extras.once_tag import Once
from .generator import SeriesGenerator, finalise_and_check
from .oldblog.private import drop_private
from .safety.source import safe_readers
from .safety.vet_content import vet
from .series import feeds


def configure(pelican):
    """Check the settings; keep series descriptions out of articles and pages."""
    settings = pelican.settings
    plugin_settings.configure(settings)
    i18n.use(settings)
    # a series page lists its parts, SERIES_PAGINATION at a time
    settings["PAGINATED_TEMPLATES"].setdefault("series", settings["SERIES_PAGINATION"])
    for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
        settings[key] = list(dict.fromkeys([*settings[key], *settings["SERIES_PATHS"]]))
    # reStructuredText could include any file of the machine (.. include::)
    settings["DOCUTILS_SETTINGS"] = {
        **(settings.get("DOCUTILS_SETTINGS") or {}),
        "file_insertion_enabled": False,
    }


def add_filters(generator):
    generator.env.add_extension(Once)
    i18n.install(generator)
    generator.env.filters.setdefault(
        "long_date",
        functools.partial(long_date, lang=generator.settings["DEFAULT_LANG"]),
    )


def get_generators(pelican):
    return SeriesGenerator


def register():
    signals.initialized.connect(configure)
    signals.generator_init.connect(add_filters)
    signals.readers_init.connect(safe_readers)
    signals.content_object_init.connect(vet)
    signals.article_generator_pretaxonomy.connect(drop_private)
    signals.page_generator_finalized.connect(drop_private)
    signals.get_generators.connect(get_generators)
    signals.feed_generated.connect(feeds.adjust)
    signals.content_written.connect(feeds.relay_written)
    signals.all_generators_finalized.connect(finalise_and_check)
