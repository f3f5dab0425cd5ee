"""The generator that reads series descriptions and writes series pages and feeds."""

import logging
import os
from dataclasses import replace

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from pelican.generators import Generator

from . import comments, memo, redirects
from .checks import PUBLISHED, check_site, locate, versions
from .feeds import MADE, OWN, FeedFile
from .i18n import _
from .model import (
    Problem,
    SeriesDescription,
    build_series,
    describe_series,
    display_path,
)
from .private import check_private
from .source import SourceError, shown
from .vetting import (
    keep_drafts_at_draft_addresses,
    problems_of,
    refuse_static_files,
)

logger = logging.getLogger(__name__)


#: Templates for themes that have none for series (the theme's win).
TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


class SeriesGenerator(Generator):
    """Runs after Pelican's article generator: groups its articles into series.

    Its templates come from the theme, or else from the plugin (`TEMPLATES`,
    also reachable as "!fortsetzung/series.html" to extend them), the way
    Pelican falls back to its `simple` theme.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fallback = FileSystemLoader(TEMPLATES)
        self.env.loader = ChoiceLoader(
            [self.env.loader, fallback, PrefixLoader({"!fortsetzung": fallback})]
        )

    def generate_context(self):
        self.context[MADE] = {}  # shared by every feed of this build (feeds.py)
        found_series = []
        problems = []
        for path in sorted(self.get_files(self.settings["SERIES_PATHS"])):
            try:
                description = self.readers.read_file(
                    base_path=self.path,
                    path=path,
                    content_class=SeriesDescription,
                    context=self.context,
                )
            except Exception as error:
                problems.append(_unreadable(os.path.join(self.path, path), error))
                continue
            # content like any other: {filename}/series/x.md links to its page
            self.add_source_path(description)
            series, found = describe_series(description, self.settings)
            problems.extend(found)
            if series is not None:
                found_series.append(series)
        found_series.sort(key=lambda s: s.name.casefold())

        published = self.context.get("articles", [])
        unpublished = [
            *self.context.get("drafts", []),
            *self.context.get("hidden_articles", []),
            *(t for a in published for t in a.translations),
        ]
        # Pelican takes two entries with one slug (in different years) for
        # translations of each other: each is published, and counted once
        listed = {id(a) for a in published}
        unpublished = list(
            {id(a): a for a in unpublished if id(a) not in listed}.values()
        )
        problems += build_series(found_series, published, unpublished, self.settings)
        found_series = [s for s in found_series if not getattr(s, "duplicate", False)]
        self.series = [s for s in found_series if s.public]
        self.draft_series = [s for s in found_series if not s.public]
        # a series nobody can see yet must not block publishing
        unseen = {display_path(s) for s in self.draft_series}
        self.problems = [
            replace(p, severity="warning") if p.path in unseen else p for p in problems
        ]  # reported with the content checks, see check
        self.context["series_list"] = self.series
        self.context["draft_series"] = self.draft_series
        # pelican-series' name for it, so that its themes keep working
        self.context["article_series"] = {s.name: s.articles for s in self.series}

    def generate_output(self, writer):
        relative_urls = self.settings["RELATIVE_URLS"]
        template = self.get_template("series")
        for series in [*self.series, *self.draft_series]:
            writer.write_file(
                series.save_as,
                template,
                self.context,
                relative_urls=relative_urls,
                paginated={"articles": series.articles},
                template_name="series",  # paginated as PAGINATED_TEMPLATES says
                url=series.url,
                series=series,
                articles=series.articles,
            )
            self.write_series_feeds(writer, series)
        writer.write_file(
            self.settings["SERIES_INDEX_SAVE_AS"],
            self.get_template("series_index"),
            self.context,
            relative_urls=relative_urls,
            url=self.settings["SERIES_INDEX_URL"],
        )
        if self.settings.get("FORTSETZUNG_FEED_ALL_JSON"):
            self.write_feed(
                writer,
                FeedFile(
                    "json",
                    self.context["articles"],
                    self.settings["FORTSETZUNG_FEED_ALL_JSON"],
                    self.settings.get("FORTSETZUNG_FEED_ALL_JSON_URL"),
                ),
            )
        redirects.write(self, writer, self.context.get("redirects", []))
        if self.settings["SERIES_OPML_SAVE_AS"]:
            writer.write_file(
                self.settings["SERIES_OPML_SAVE_AS"],
                self.env.get_template("fortsetzung/series.opml"),
                self.context,
                relative_urls=False,  # feed readers need absolute addresses
            )

    def write_series_feeds(self, writer, series):
        """Write the feeds of a public series: every published part, newest first.

        An announced series without parts gets its feeds too (with no
        entries), so that readers can subscribe before the first part.
        """
        newest_first = sorted(series.articles, key=lambda a: a.date, reverse=True)
        for kind in ("atom", "rss", "json"):
            if series.feed_path(kind):
                self.write_feed(
                    writer,
                    FeedFile(
                        kind,
                        newest_first,
                        series.feed_path(kind),
                        series.feed_url(kind),
                        title=series.name,
                        series=series,
                    ),
                    feed_series=series,
                )

    def write_feed(self, writer, feed, **kwargs):
        """Write one of the plugin's feeds through Pelican's writer (feeds.py)."""
        writer.write_file(feed.path, feed, self.context, **{OWN: feed}, **kwargs)


def _unreadable(path, error):
    """Return the problem of a series file that cannot be read."""
    if isinstance(error, SourceError):
        return Problem(error.path, _("File"), error.message, error.fix, error.line)
    return Problem(
        shown(path),
        _("File"),
        _("The file cannot be read: {reason}", reason=error),
        _("Check the header lines (Title, Status …) and the empty line after them."),
        1,
    )


def check(generators):
    """Check all content once everything is read, before anything is written.

    Connected to `all_generators_finalized`: by then static files are known
    too, so links and images can be checked. Refused static files are taken
    out of the build first. The problems are also put into the context
    (`content_problems`) for `invoke check` and the preview.
    """
    ours = next((g for g in generators if isinstance(g, SeriesGenerator)), None)
    if ours is None:
        return
    statics = [s for g in generators for s in getattr(g, "staticfiles", [])]
    ours.context["refused_files"] = refuse_static_files(generators)
    keep_drafts_at_draft_addresses(ours.context)
    problems = [locate(p) for p in ours.problems]
    problems += [p for s in statics for p in problems_of(s)]
    problems += check_site(
        ours.context, ours.settings, ours.series, ours.draft_series, ours.get_template
    )
    refuse_static_files(generators)  # what lost its address (addresses.py)
    problems += [locate(p) for p in check_private(generators)]
    problems += comments.attach(
        [v for k in PUBLISHED for c in ours.context.get(k, []) for v in versions(c)],
        ours.settings,
    )
    problems += comments.orphans(
        ours.get_files([""], extensions=("json",)),
        ours.context.get("generated_content", {}),
        ours.path,
    )
    # a file in a linked folder, a series of several files: each once
    problems = list(dict.fromkeys(problems))
    ours.context["content_problems"] = problems
    memo.next_build()
    report(problems)


def report(problems):
    """Log the problems in one record (an error if one of them is).

    One record, so that `pelican --fatal errors` shows every mistake before
    Pelican stops the build (its logger raises after the first error). Tools
    that show the problems themselves skip the record (`REPORT`).
    """
    if not problems:
        return
    errors = sum(p.severity == "error" for p in problems)
    logger.log(
        logging.ERROR if errors else logging.WARNING,
        "%s",
        "\n".join(
            str(p) for p in sorted(problems, key=lambda p: (p.path, p.line or 0))
        ),
        extra={REPORT: True},
    )


#: Marks the log record that holds the content's problems.
REPORT = "fortsetzung_problems"
