"""Pelican's output, recorded first and written afterwards: in parallel, or on request.

Pelican renders and writes each page while its generators run
(`write_file`, `write_feed` of the writer it chose: its own, or the one a
plugin supplies). `record` puts a `Recorder` in front of that writer for
one build: it notes each call as a `Job` with the files it will write, and
applies there the rules Pelican's writer applies when it writes (a file
written twice is an error, unless one write overrides the other). The jobs
are then

- written all at once, across the machine's cores (`write_all`), before
  Pelican says the build is `finalized`: the workers are processes forked
  when the site's model is complete, so each has all of it. When another
  plugin listens to what is written (`content_written`, `feed_generated`,
  `feed_written`), the workers only render the pages; this process then
  writes every file through Pelican's writer in the order one process
  would, so the receivers hear each file here, as they would without us;
- or rendered one at a time when the preview is asked for a page
  (`Recorder.render`): a saved change is visible as soon as the model is
  rebuilt, without rendering thousands of pages again.

Either way the rendering and writing itself is the chosen writer's.
"""

import contextlib
import functools
import io
import logging
import os
import weakref
from dataclasses import dataclass, field

import jinja2
from pelican.generators import StaticGenerator
from pelican.plugins import signals
from pelican.plugins.fortsetzung.api import fold, pages_of
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError

from sitetools import parallel

logger = logging.getLogger(__name__)

#: Signals sent while writing: their receivers must hear every file, in the
#: order one process writes them, in this process.
WRITE_SIGNALS = ("content_written", "feed_generated", "feed_written")
#: The plugin's own receivers of them act on the file being written, in
#: whichever process writes it (series/feeds.py).
PLUGIN = "pelican.plugins.fortsetzung."
#: Fewer jobs than this per worker are not worth a process.
MIN_JOBS_PER_WORKER = 50


def listeners(names=WRITE_SIGNALS):
    """Return the modules of other plugins' receivers of the signals `names`."""
    modules = {
        getattr(receiver, "__module__", None) or repr(receiver)
        for name in names
        for receiver in _receivers(getattr(signals, name))
    }
    return sorted(m for m in modules if not m.startswith(PLUGIN))


def _receivers(signal):
    for ref in list(signal.receivers.values()):
        receiver = ref() if isinstance(ref, weakref.ref) else ref
        if receiver is not None:
            yield receiver


@dataclass(eq=False)
class Job:
    """One call of the writer: what to render, and the files it writes."""

    method: str  # "write_file" or "write_feed"
    args: tuple
    kwargs: dict
    paths: list  # relative to the output folder, "/"-separated
    skipped: set = field(default_factory=set)  # paths a later job overrides


def record(generators, finish):
    """Let the generators of one build write through a `Recorder`.

    Pelican makes its writer (`get_writer`) after `all_generators_finalized`
    and hands it to each generator's public `generate_output`, one after
    another, then sends `finalized`; there is no hook in between. So this
    wraps `generate_output` of each of this build's generators (Pelican
    makes them anew for every build): each gets a `Recorder` in front of the
    writer Pelican chose, and `finish(recorder)` runs after the last one,
    before `finalized`, so that receivers of `finalized` find every file
    written. Called from `all_generators_finalized` (runner.py); the test
    `test_pelican_hands_its_writer_to_each_generator_in_turn` fails if
    Pelican changes that order.

    Pelican's static generator copies its files without the writer: that
    is kept for `finish` too (`Recorder.copying`), so that it is done while
    the pages are written (`write_all`), or by `Recorder.copy`, not by this
    process alone while the others wait.
    """
    writing = [g for g in generators if hasattr(g, "generate_output")]
    made = []

    def wrapped(generator, last):
        own = generator.generate_output

        def generate_output(writer):
            if not made:
                made.append(Recorder(writer))
            if isinstance(generator, StaticGenerator):
                made[0].copying.append(functools.partial(own, made[0]))
            else:
                own(made[0])
            if last:
                finish(made[0])

        return generate_output

    for n, generator in enumerate(writing):
        generator.generate_output = wrapped(generator, n == len(writing) - 1)


@contextlib.contextmanager
def opening(writer, opener):
    """Let `opener(filename, encoding, override, own)` open what `writer` writes.

    Pelican's writer opens every file it writes with
    `_open_w(filename, encoding, override)` (its own check against writing a
    file twice, and that of a writer a plugin supplies) and offers no hook
    to keep a page in memory instead: this is the one place that relies on
    it (tests/test_other_plugins.py checks that Pelican still does). `own`
    is the writer's own `_open_w`.
    """
    own = writer._open_w
    writer._open_w = lambda filename, encoding, override=False: opener(
        os.path.normpath(filename), encoding, override, own
    )
    try:
        yield
    finally:
        del writer._open_w


class Prerendered:
    """A template whose pages are rendered already: by name of the file."""

    def __init__(self, texts, output_path):
        self.texts = texts  # normalised absolute path -> text
        self.output_path = output_path

    def render(self, context):
        path = sanitised_join(self.output_path, context["output_file"])
        return self.texts[os.path.normpath(path)]


class Recorder:
    """In front of Pelican's writer: records each page and feed as a `Job`.

    Whatever else a generator asks of the writer goes to the writer itself.
    """

    def __init__(self, writer):
        self.writer = writer
        self.output_path = writer.output_path
        self.settings = writer.settings
        self._files = {}  # see claim_file
        self.jobs = []
        self.by_path = {}  # relative path -> the job that writes it
        self._claims = {}  # absolute path -> (job, relative path)
        self._overridden = set()
        #: Work that writes files without the writer (the static files).
        self.copying = []

    def __getattr__(self, name):
        return getattr(self.writer, name)

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
            return self.writer.write_feed(
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
            relative = self._relative(absolute)
            self.claim_file(relative)
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

    def claim_file(self, relative):
        """Refuse a file that a case-insensitive file system takes for another.

        The plan of the build (output_plan.py) keeps content from such clashes;
        this catches two of the site's own pages, or another plugin's.
        """
        first = self._files.setdefault(fold(relative), relative)
        if first != relative:
            raise FileOverwriteFailedError(
                f"„{first}“ und „{relative}“ wären auf vielen Computern und "
                "Webservern eine Datei (sie unterscheiden sich nur in Groß- und "
                "Kleinschreibung oder in Punkten und Leerzeichen am Ende)."
            )

    # -- writing -----------------------------------------------------------------

    def copy(self):
        """Do the work that writes without the writer (copy the static files)."""
        for work in self.copying:
            work()

    def _play(self, job):
        getattr(self.writer, job.method)(*job.args, **job.kwargs)

    def _relative(self, filename):
        return os.path.relpath(filename, self.output_path).replace(os.sep, "/")

    def write(self, job):
        """Render `job` and write its files, as Pelican would have."""

        def opener(filename, encoding, override, own):
            if self._relative(filename) in job.skipped:
                return open(os.devnull, "w", encoding=encoding)
            return own(filename, encoding, override)

        with opening(self.writer, opener):
            self._play(job)

    def render(self, job):
        """Render `job`; return {relative path: text} instead of writing files.

        What another job overrides is left out.
        """
        pages = self.texts(job)
        return {
            relative: text
            for relative, text in ((self._relative(p), t) for p, t in pages.items())
            if relative not in job.skipped
        }

    def texts(self, job):
        """Render `job`; return {absolute path: text} of every file it writes.

        Nothing is written, and no plugin hears of a page. Whatever else
        is rendered (the plugin's own feeds) is made as it is when written:
        `feed_generated` reaches its receivers (write_all never renders such
        a job elsewhere than where it is written).
        """
        pages = {}

        def opener(filename, _encoding, _override, _own):
            return _Collected(pages, filename)

        with contextlib.ExitStack() as stack:
            for name in WRITE_SIGNALS if _page(job) else ():
                stack.enter_context(getattr(signals, name).muted())
            stack.enter_context(opening(self.writer, opener))
            self._play(job)
        return pages


def _page(job):
    """Whether `job` is a page a Jinja template renders (anywhere, silently)."""
    return job.method == "write_file" and isinstance(job.args[1], jinja2.Template)


class _Collected(io.StringIO):
    """A file that is kept in memory."""

    def __init__(self, pages, path):
        super().__init__()
        self._into = (pages, path)

    def close(self):
        pages, path = self._into
        pages[path] = self.getvalue()
        super().close()


# -- writing everything, in parallel ------------------------------------------------


def write_all(recorder, workers=None, pages=True):
    """Write every job of `recorder`, in up to `workers` processes (parallel.py).

    Without `pages`, only the static files are copied (the preview renders
    a page when it is asked for, and serves the copied files).

    The workers take the jobs as they go (parallel.Queue). When a plugin
    listens to what is written, they render the pages only, and this
    process writes every file in the order of the jobs, through Pelican's
    writer, which sends the signals (feeds are made here too: a receiver of
    `feed_generated` may change a feed before it is written; so is whatever
    is rendered by another than a Jinja template, as the plugin's own feeds
    are). The static files are copied meanwhile, by one of the workers (or
    here, last, as Pelican does it, when this process writes). Returns the
    number of processes that rendered.
    """
    if not pages:
        recorder.copy()
        return 0
    jobs = recorder.jobs
    count = parallel.workers(len(jobs) // MIN_JOBS_PER_WORKER, workers)
    if not listeners():
        # first: the queue hands it out before the pages, so the others
        # take its share of them
        parallel.map_all(_write, [recorder.copy, *((recorder, j) for j in jobs)], count)
        return count
    rendering = [job for job in jobs if _page(job)]
    texts = {}
    for rendered in parallel.map_all(recorder.texts, rendering, count):
        texts.update(rendered)
    prerendered = Prerendered(texts, recorder.output_path)
    for job in jobs:
        if _page(job):
            name, _template, context = job.args
            recorder.writer.write_file(name, prerendered, context, **job.kwargs)
        else:
            recorder._play(job)
    recorder.copy()
    return count


def _write(work):
    """Do one piece of `write_all`'s work: copy, or (recorder, job) to write."""
    if callable(work):
        return work()
    recorder, job = work
    return recorder.write(job)
