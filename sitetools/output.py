"""Pelican's output, recorded first and written afterwards: in parallel, or on request.

Pelican renders and writes each page while its generators run
(`Writer.write_file`, `write_feed`). `RecordingWriter` notes each of those
calls as a `Job` with the files it will write, and applies there the rules
Pelican's writer applies when it writes (a file written twice is an error,
unless one write overrides the other). The jobs are then

- written all at once, across the machine's cores (`write_all`): the workers
  are processes forked when the site's model is complete, so each has all of
  it and sends back only its log records and, if it failed, its error;
- or rendered one at a time when the preview is asked for a page
  (`RecordingWriter.render`): a saved change is visible as soon as the model
  is rebuilt, without rendering thousands of pages again.

Either way the writing itself is Pelican's `Writer`.
"""

import io
import logging
import os
import weakref
from dataclasses import dataclass, field

from pelican.plugins import signals
from pelican.plugins.fortsetzung.addresses import pages_of
from pelican.plugins.fortsetzung.lookalike import fold
from pelican.plugins.fortsetzung.source import inside, real_folder
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from sitetools import parallel

logger = logging.getLogger(__name__)

#: Signals sent while writing: a receiver of one of them must see every file
#: written in this process, so then nothing is written in parallel.
WRITE_SIGNALS = ("content_written", "feed_generated", "feed_written")
#: The plugin's receivers of them act on the file being written, wherever.
PLUGIN = "pelican.plugins.fortsetzung."
#: Fewer jobs than this per worker are not worth a process.
MIN_JOBS_PER_WORKER = 50


@dataclass(eq=False)
class Job:
    """One call of the writer: what to render, and the files it writes."""

    method: str  # "write_file" or "write_feed"
    args: tuple
    kwargs: dict
    paths: list  # relative to the output folder, "/"-separated
    skipped: set = field(default_factory=set)  # paths a later job overrides


class RecordingWriter(Writer):
    """Pelican's writer, except that it records each page and feed as a `Job`."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._files = {}  # see claim_file
        self.jobs = []
        self.by_path = {}  # relative path -> the job that writes it
        self._claims = {}  # absolute path -> (job, relative path)
        self._overridden = set()
        self._job = None  # the job being written
        self._pages = None  # with `render`: relative path -> text

    # -- recording ---------------------------------------------------------------

    def write_file(  # noqa: PLR0913, PLR0917 (Pelican's signature)
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        if not name:
            return
        kwargs.update(
            relative_urls=relative_urls,
            paginated=paginated,
            template_name=template_name,
            override_output=override_output,
            url=url,
        )
        paths = self._paginated(name, url, paginated, template_name, kwargs)
        # the context itself, not a copy: Pelican sets "localsiteurl" in it
        self._record("write_file", (name, template, context), kwargs, paths)

    def write_feed(  # noqa: PLR0913, PLR0917 (Pelican's signature)
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        if not path:  # nothing to write: the feed, at once
            return super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
        kwargs = {
            "path": path,
            "url": url,
            "feed_type": feed_type,
            "override_output": override_output,
            "feed_title": feed_title,
        }
        self._record("write_feed", (elements, context), kwargs, [path])
        return None

    def _paginated(self, name, url, paginated, template_name, kwargs):
        """Return the files `write_file` writes: one, or one per page."""
        if paginated is None:
            paginated = {k: v for k, v in kwargs.items() if k in {"articles", "dates"}}
        objects = next(iter(paginated.values())) if paginated else None
        return pages_of(self.settings, name, url, objects, template_name)

    def _record(self, method, args, kwargs, paths):
        job = Job(method, args, kwargs, [])
        override = kwargs["override_output"]
        for path in paths:
            # raises, as Pelican's writer does, for a path outside the output
            absolute = os.path.normpath(sanitised_join(self.output_path, path))
            relative = os.path.relpath(absolute, self.output_path).replace(os.sep, "/")
            self.claim_file(absolute)
            job.paths.append(relative)
            if absolute in self._overridden:
                if override:
                    raise FileOverwriteFailedError(
                        f'Failed to overwrite "{absolute}" a second time '
                        "(was previously overwritten)"
                    )
                logger.info('Skipping "%s", not overwriting', absolute)
                job.skipped.add(relative)
                continue
            if absolute in self._claims:
                if not override:
                    raise FileOverwriteFailedError(
                        f'Failed to overwrite "{absolute}" as Pelican has already '
                        "written to it previously (set `override=True` if intended)"
                    )
                logger.info('Overwriting "%s"', absolute)
                earlier, earlier_path = self._claims[absolute]
                earlier.skipped.add(earlier_path)
            if override:
                self._overridden.add(absolute)
            self._claims[absolute] = (job, relative)
            self.by_path[relative] = job
        self.jobs.append(job)

    # -- writing -----------------------------------------------------------------

    def write(self, job):
        """Render `job` and write its files, as Pelican would have."""
        self._job = job
        try:
            method = getattr(Writer, job.method)
            method(self, *job.args, **job.kwargs)
        finally:
            self._job = None

    def render(self, job):
        """Render `job`; return {relative path: text} instead of writing files."""
        self._pages = {}
        try:
            self.write(job)
            return self._pages
        finally:
            self._pages = None

    def _open_w(self, filename, encoding, override=False):
        relative = os.path.relpath(filename, self.output_path).replace(os.sep, "/")
        if self._job is not None and relative in self._job.skipped:
            return open(os.devnull, "w", encoding=encoding)
        if self._pages is not None:
            return _Collected(self._pages, relative)
        # "out/./index.html" and "out/index.html" are one file
        filename = os.path.normpath(filename)
        if not inside(os.path.realpath(filename), real_folder(self.output_path)):
            raise RuntimeError(f"{filename} lies outside {self.output_path}")
        return super()._open_w(filename, encoding, override)

    def claim_file(self, filename):
        """Refuse a file that a case-insensitive file system takes for another.

        The plan of the build (addresses.py) keeps content from such clashes;
        this catches two of the site's own pages, or another plugin's.
        """
        relative = os.path.relpath(filename, self.output_path).replace(os.sep, "/")
        first = self._files.setdefault(fold(relative), relative)
        if first != relative:
            raise FileOverwriteFailedError(
                f"„{first}“ und „{relative}“ wären auf vielen Computern und "
                "Webservern eine Datei (sie unterscheiden sich nur in Groß- und "
                "Kleinschreibung oder in Punkten und Leerzeichen am Ende)."
            )


class _Collected(io.StringIO):
    """A file that `render` keeps in memory."""

    def __init__(self, pages, path):
        super().__init__()
        self._into = (pages, path)

    def close(self):
        pages, path = self._into
        pages[path] = self.getvalue()
        super().close()


# -- writing everything, in parallel ------------------------------------------------


def write_all(writer, workers=None):
    """Write every job of `writer`, in up to `workers` processes (parallel.py).

    The workers take the jobs as they go (parallel.Queue). Not in parallel
    when a plugin listens to what is written: it must hear of every file in
    this process.
    """
    if any(
        not getattr(_dereferenced(receiver), "__module__", "").startswith(PLUGIN)
        for name in WRITE_SIGNALS
        for receiver in getattr(signals, name).receivers.values()
    ):
        workers = 1
    parallel.map_all(writer.write, writer.jobs, workers, least=MIN_JOBS_PER_WORKER)


def _dereferenced(receiver):
    """Return a receiver that blinker holds weakly (its default) or not."""
    return receiver() if isinstance(receiver, weakref.ref) else receiver
