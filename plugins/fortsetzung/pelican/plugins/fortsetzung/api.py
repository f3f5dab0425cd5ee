"""The plugin's public interface: what tools built on it may use.

A site's own scripts (this project's `sitetools/`: the site's runner,
`new`, the WordPress import, posters, publishing) use the plugin through
this module only; every other module of the plugin is its own and may
change. What is here keeps its name and meaning:

- problems: `Problem` (file, line, field, message, fix, severity), the
  logger name the build reports them under (`PROBLEMS_LOGGER`), how a file
  is named in a message (`shown`, `display_path`);
- the site model without writing: `read_site`, and the series in it
  (`SeriesLookup`, `closest_series`, `next_date`);
- dates as `Date:` is read, German ones too (`read_date`, `DateError`);
- slugs (`slugify`), the header grammar (`read_header`, `parse_header`, `write_header`,
  `HeaderError`, `MARKUP`) and the entry schema (`ENTRY`, `SERIES_FILE`,
  `named`, `new_header`, `in_order`, `required_fields`, `MAIN_FIELDS`: the
  rows of the guide's main table; fields.py);
- the settings (`configure`) and the language of the messages (`use`,
  `speaking`, and `translate` for the schema's texts);
- the safety rules a tool applies to what it brings in: drawings
  (`clean_svg`), pictures (`open_upright`, `content_locator`), addresses as
  the build compares them (`normal`, `fold`, `pages_of`);
- what a tool that runs Pelican may hand the plugin for one build (the
  settings FORTSETZUNG_BEFORE_READING and FORTSETZUNG_MAP) and the
  cache of converted texts a tool may fill from other processes
  (`convert_ahead`, `export_cache`, `absorb_cache`).
"""

from pathlib import Path

from pelican import Pelican, signals

from .dates import DateError, read_date
from .extras.responsive_images import content_locator
from .extras.sharecards import FONTS as SHARE_IMAGE_FONTS
from .fields import ENTRY, SERIES_FILE, in_order, named, new_header
from .fields import MAIN as MAIN_FIELDS
from .fields import required as required_fields
from .i18n import _ as translate
from .i18n import speaking, use
from .memo import absorb as absorb_cache
from .memo import export as export_cache
from .oldblog.comments import SUFFIX as COMMENTS_SUFFIX
from .oldblog.redirects import PUBLISHED as PUBLISHED_REDIRECT
from .problems import PROBLEMS as PROBLEMS_LOGGER
from .problems import Problem, display_path
from .safety.check_site import PUBLISHED as PUBLISHED_LISTS
from .safety.frontmatter import (
    MARKDOWN_FILES,
    HeaderError,
    parse_header,
    read_header,
    write_header,
)
from .safety.limits import size
from .safety.lookalike import fold
from .safety.output_plan import normal, pages_of
from .safety.pictures import open_upright
from .safety.source import SourceError, shown
from .safety.source import prepare as convert_ahead
from .safety.svg import clean as clean_svg
from .safety.vet_content import MARKUP
from .series.model import SeriesLookup, closest_series, next_date
from .settings import configure
from .slugs import slugify

#: The fonts the plugin draws share images with (tools may draw with them).
FONTS = Path(SHARE_IMAGE_FONTS)

__all__ = [
    "COMMENTS_SUFFIX", "ENTRY", "FONTS", "MAIN_FIELDS", "MARKDOWN_FILES", "MARKUP",
    "PROBLEMS_LOGGER", "PUBLISHED_LISTS", "PUBLISHED_REDIRECT", "SERIES_FILE",
    "DateError", "HeaderError", "Problem", "SeriesLookup", "SourceError", "absorb_cache",
    "clean_svg", "closest_series", "configure", "content_locator",
    "convert_ahead", "display_path", "export_cache", "fold", "in_order",
    "named", "new_header", "next_date", "normal", "open_upright", "pages_of",
    "parse_header",
    "read_date", "read_header", "read_site", "required_fields", "shown", "size",
    "slugify", "speaking", "translate", "use",
    "write_header",
]  # fmt: skip


class _Read(Exception):
    """Stops Pelican once the model is final, before anything is written."""


def read_site(settings):
    """Run Pelican (a `Pelican`, or its settings) up to the final model.

    Returns the model, Pelican's context. Nothing is written or deleted: the run stops when Pelican asks
    for its writer (the `get_writer` signal, sent once every receiver of
    `all_generators_finalized`, the plugin's finalising and checking among
    them, is done). The context holds `series_list`, `articles` … and
    `content_problems`. Pelican's own errors (a broken theme or setting)
    are raised as Pelican raises them.
    """
    found = {}

    def stop(pelican):
        raise _Read

    def keep(generators):
        found["context"] = generators[0].context

    if isinstance(settings, Pelican):
        pelican = settings
    else:
        pelican = Pelican({**settings, "DELETE_OUTPUT_DIRECTORY": False})
    pelican.delete_outputdir = False  # Pelican's attribute for the setting
    signals.all_generators_finalized.connect(keep)
    signals.get_writer.connect(stop)
    try:
        pelican.run()
    except _Read:
        pass
    finally:
        signals.get_writer.disconnect(stop)
        signals.all_generators_finalized.disconnect(keep)
    return found["context"]
