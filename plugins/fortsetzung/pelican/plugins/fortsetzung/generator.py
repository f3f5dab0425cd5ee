"""The generator that reads series descriptions and writes series pages and feeds.

Also the one step between reading and writing: once every generator has
read its content, `finalise` makes the model what the build writes (in an
order written down there), and `check` reports its problems without
changing anything.
"""

import logging
import os
from dataclasses import dataclass, replace

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from pelican.generators import Generator

from . import memo
from .i18n import _
from .oldblog import comments, redirects
from .oldblog.private import check_private
from .problems import Problem, display_path, report
from .safety.check_site import (
    PUBLISHED,
    check_site,
    contents,
    locate,
    map_site,
    plan_redirects,
    replace_templates,
    versions,
)
from .safety.output_plan import OutputPlan
from .safety.source import SourceError, prune_kept, shown
from .safety.vet_content import (
    keep_drafts_at_draft_addresses,
    problems_of,
    refuse_static_files,
)
from .series.feeds import MADE, OWN, FeedFile
from .series.model import SeriesDescription, build_series, describe_series

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


def finalise_and_check(generators):
    """Finalise the model, check it and report (on `all_generators_finalized`).

    By then static files are known too, so links and images can be checked;
    nothing is written yet. The problems are put into the context
    (`content_problems`) for `invoke check` and the preview, and logged
    (`report`).
    """
    ours = _ours(generators)
    if ours is None:
        return
    finalise(generators)
    problems = check(generators)
    ours.context["content_problems"] = problems
    prune_kept(ours.settings)  # before the memos forget what this build read
    memo.next_build()  # the caches of the build's texts (memo.py)
    report(problems)


def _ours(generators):
    return next((g for g in generators if isinstance(g, SeriesGenerator)), None)


@dataclass
class Finalised:
    """What `finalise` decided: the map of the site's files, and why it changed what.

    `problems` are the content's mistakes that `finalise` acted on (a clash
    lost, a redirect or template refused, a comments file misread): once
    acted on, they cannot be seen in the model any more, so `check`
    reports them from here.
    """

    site: OutputPlan
    problems: list


def finalise(generators):
    """Make the model what the build writes, once, before it is checked.

    In this order, each step a function of its own:

    1. the static files' problems are kept, and those that vetting refused
       are taken out (`refuse_static_files`; an SVG is replaced by its
       cleaned file);
    2. drafts lose their own addresses (`keep_drafts_at_draft_addresses`);
    3. every entry's and page's URL is frozen, every static file's URL
       percent-encoded, every file the build writes is mapped, and what
       loses a clash is disabled (`map_site`);
    4. static files that lost their address are taken out
       (`refuse_static_files` again);
    5. the redirects are planned, each claiming its address
       (`plan_redirects`: `Redirect_from` and FORTSETZUNG_PUBLISHED_ADDRESSES,
       into the context as `redirects`);
    6. a template content may not name is replaced by its default
       (`replace_templates`);
    7. comments files are read and attached (`comments.attach`).

    What it decided is kept on the plugin's generator (`Finalised`).
    """
    ours = _ours(generators)
    context, settings = ours.context, ours.settings
    # what vetting found in static files, before refused ones are taken out
    problems = [
        p
        for g in generators
        for s in getattr(g, "staticfiles", [])
        for p in problems_of(s)
    ]
    context["refused_files"] = refuse_static_files(generators)
    keep_drafts_at_draft_addresses(context)
    site, found = map_site(context, settings, [*ours.series, *ours.draft_series])
    problems += found
    refuse_static_files(generators)
    published, drafts = contents(context, ours.series, ours.draft_series)
    context["redirects"], found = plan_redirects(
        site, settings, published, drafts, ours.series
    )
    problems += found
    problems += replace_templates(published, drafts, ours.get_template)
    problems += comments.attach(
        [v for k in PUBLISHED for c in context.get(k, []) for v in versions(c)],
        settings,
    )
    ours.finalised = Finalised(site, problems)


def check(generators):
    """Return every problem of the finalised model (`finalise`); change nothing.

    Checking twice gives the same problems and leaves the model as it was.
    """
    ours = _ours(generators)
    if ours is None:
        return []
    context, settings = ours.context, ours.settings
    published, drafts = contents(context, ours.series, ours.draft_series)
    problems = [locate(p) for p in ours.problems]
    problems += ours.finalised.problems
    problems += check_site(context, settings, ours.finalised.site, published, drafts)
    problems += [locate(p) for p in check_private(generators)]
    problems += comments.orphans(
        ours.get_files([""], extensions=("json",)),
        context.get("generated_content", {}),
        ours.path,
    )
    # a file in a linked folder, a series of several files: each once
    return list(dict.fromkeys(problems))
