"""The generator that reads series descriptions and writes series pages and feeds."""

import logging

from pelican.generators import Generator

from .model import SeriesDescription, build_series, describe_series

logger = logging.getLogger(__name__)


class SeriesGenerator(Generator):
    """Runs after Pelican's article generator: groups its articles into series."""

    def generate_context(self):
        self.series = []
        problems = []
        for path in sorted(self.get_files(self.settings["SERIES_PATHS"])):
            try:
                description = self.readers.read_file(
                    base_path=self.path,
                    path=path,
                    content_class=SeriesDescription,
                    context=self.context,
                )
            except Exception as error:  # a reader's message is all the author needs
                logger.error("%s: Die Datei ist nicht lesbar: %s", path, error)
                continue
            series, found = describe_series(description, self.settings)
            self.series.append(series)
            problems.extend(found)
        self.series.sort(key=lambda s: s.name.casefold())

        unpublished = [
            *self.context.get("drafts", []),
            *self.context.get("hidden_articles", []),
        ]
        unpublished += [
            t for a in self.context.get("articles", []) for t in a.translations
        ]
        problems += build_series(
            self.series, self.context.get("articles", []), unpublished, self.settings
        )
        self.context["series_list"] = self.series
        report(problems)

    def generate_output(self, writer):
        relative_urls = self.settings["RELATIVE_URLS"]
        template = self.get_template("series")
        for series in self.series:
            writer.write_file(
                series.save_as,
                template,
                self.context,
                relative_urls=relative_urls,
                url=series.url,
                series=series,
                articles=series.articles,
            )
            newest_first = sorted(series.articles, key=lambda a: a.date, reverse=True)
            for feed_type, path, url in (
                ("atom", series.feed_atom, series.feed_atom_url),
                ("rss", series.feed_rss, series.feed_rss_url),
            ):
                if path:
                    writer.write_feed(
                        newest_first,
                        self.context,
                        path,
                        url,
                        feed_type=feed_type,
                        feed_title=series.name,
                    )
        writer.write_file(
            self.settings["SERIES_INDEX_SAVE_AS"],
            self.get_template("series_index"),
            self.context,
            relative_urls=relative_urls,
            url=self.settings["SERIES_INDEX_URL"],
        )


def report(problems):
    """Log every problem as an error; stop cleanly if errors are fatal.

    With `pelican --fatal errors`, Pelican's logger raises RuntimeError after
    emitting the first error, and Pelican's main() prints that with a
    traceback. Authors should see all their mistakes and no traceback, so each
    problem is logged, the RuntimeError is noted, and the build ends with exit
    status 1 once all are shown (SystemExit passes Pelican's `except Exception`).
    """
    fatal = False
    for problem in sorted(problems, key=lambda p: p.path):
        try:
            logger.error("%s", problem)
        except RuntimeError:
            fatal = True
    if fatal:
        logger.info(
            "Der Bau wurde wegen %d Fehler(n) im Inhalt abgebrochen.", len(problems)
        )
        raise SystemExit(1)
