"""The preview (`python3 dev.py livereload`): a saved change is in the browser in a moment.

A fresh build of a large archive takes many seconds; the preview does not
repeat what a saved change leaves as it was:

- it runs Pelican again and again in one process (`Preview.build`), with
  readers that keep every content object made from a file, together with
  the file's stamp (`RememberingReaders`). An unchanged file is not read
  again: each build gets a fresh copy of the object that reading made, so
  nothing a build does to its objects (series, links, addresses) is seen by
  the next. What the checks compute from a text alone is kept as well
  (the plugin's memo.py);
- Pelican's writer only records the pages and feeds (deferred_writing.py); a page is
  rendered when the browser asks for it, from the build that is current
  then. Static files are copied as Pelican copies them, when they changed.
  When another plugin listens to what is written, or waits for the build
  to be `finalized` (pelican-sitemap does both), it must hear of every
  file: then each build writes every page (deferred_writing.write_all), as a fresh
  build would, and the preview serves the files; it says so once on the
  console. A file such a plugin writes itself is served if this build
  wrote it.

So every page it serves is the page a fresh build would write; the tests
compare them (tests/test_live_preview.py). That holds over time as well: an
entry with a future date is a draft ("geplant") until that date, and when
the date comes the preview builds again on its own, no file having changed
(`Preview.falls_due`, asked by `watch` whenever nothing changed for IDLE
milliseconds, so the part appears within a second of its time), and reads
that entry again. Changed settings start from
scratch (a new Pelican), changed code of the plugin or the tools restarts
the process. Every HTML page gets a small script that reloads it when a
newer build is ready; an address that does not exist gets status 404 and
the theme's 404 page.
"""

import copy
import gc
import logging
import mimetypes
import os
import posixpath
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import watchfiles
from markupsafe import escape
from pelican import Pelican
from pelican.contents import Content, Page
from pelican.plugins import signals
from pelican.readers import Readers

from sitetools import deferred_writing, editor, folders, runner, search

#: Where the page asks whether a newer build is ready (Server-Sent Events).
EVENTS = "/.fortsetzung/events"
RELOAD = (
    '<script>(()=>{{const v="{version}";const s=new EventSource("{events}");'
    "s.onmessage=e=>{{if(e.data!==v){{s.close();location.reload();}}}};}})();"
    "</script>"
)
#: Types the standard library does not know (feeds are XML).
TYPES = {".xml": "application/xml", ".xsl": "text/xsl", ".opml": "application/xml"}
#: Milliseconds without a change after which the preview collects garbage …
IDLE = 1000
#: … or builds after which it does, if changes keep coming (a collection
#: takes as long as half a build: not after every one; until then each
#: build leaves its garbage, about 12 MB at 2,000 entries).
BUILDS_BETWEEN_COLLECTIONS = 20


def stamp(path):
    """Return what tells a changed file: modification time, size, inode."""
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size, status.st_ino


def own_copy(content, context):
    """Return a copy of `content` with attributes and metadata of its own.

    What one build does to it (series, links, addresses) is not seen by the
    object it was copied from, nor by other copies.
    """
    twin = copy.copy(content)
    twin.metadata = dict(content.metadata)
    twin.translations = []
    twin._context = context
    return twin


@dataclass
class Kept:
    """A content object as reading made it, and what reading logged."""

    stamp: tuple
    pristine: Content
    records: list
    until: object = None  # the date that makes a scheduled entry due

    def fresh(self, context):
        """Return a copy for one build."""
        return own_copy(self.pristine, context)


class RememberingReaders(Readers):
    """Pelican's readers, keeping what they make from each file (see above)."""

    def __init__(self, settings, cache_name, memory):
        super().__init__(settings, cache_name)
        self.memory = memory  # (path, class, format) -> Kept

    def read_file(self, base_path, path, content_class=Page, fmt=None, **kwargs):
        """Pelican's `read_file`; an unchanged file's object again, as a copy."""
        full = os.path.abspath(os.path.join(base_path, path))
        key = (full, content_class, fmt)
        try:
            now = stamp(full)
        except OSError:
            now = None
        kept = self.memory.get(key)
        if kept is not None and kept.stamp == now and not _due(kept.until):
            self.memory.used.add(key)
            for record in kept.records:
                logging.getLogger(record.name).handle(record)
            return kept.fresh(kwargs.get("context"))
        records = []
        catcher = logging.Handler(level=logging.WARNING)
        catcher.emit = records.append
        logging.getLogger().addHandler(catcher)
        try:
            content = super().read_file(base_path, path, content_class, fmt, **kwargs)
        finally:
            logging.getLogger().removeHandler(catcher)
        if now is not None:
            pristine = own_copy(content, None)
            self.memory[key] = Kept(now, pristine, records, _scheduled(content))
            self.memory.used.add(key)
        return content


def _scheduled(content):
    """Return the date of an entry that is a draft only because it lies ahead."""
    date = getattr(content, "date", None)
    if date is None or content.settings.get("WITH_FUTURE_DATES", True):
        return None
    return date if _due(date) is False else None


def _due(date):
    if date is None:
        return None
    now = time.time()
    return date.timestamp() <= now


class Memory(dict):
    """Kept content objects; forgets those the last build did not use."""

    def __init__(self):
        super().__init__()
        self.used = set()

    def forget_unused(self):
        for key in self.keys() - self.used:
            del self[key]
        self.used = set()

    def forget_readers_of(self, names):
        """Forget every object whose text names one of these files (an image)."""
        names = {n for name in names for n in (name, quote(name))}
        for key, kept in list(self.items()):
            text = f"{getattr(kept.pristine, '_content', '')}{kept.pristine.metadata}"
            if any(name in text for name in names):
                del self[key]


@dataclass
class Snapshot:
    """One finished build: what the preview serves until the next one."""

    version: str
    writer: object  # deferred_writing.Recorder, with the jobs
    statics: set  # relative paths of the static files (copied to the output)
    started: int | None = None  # when it began writing every file (time_ns)
    rendered: dict = field(default_factory=dict)  # relative path -> bytes
    lock: threading.Lock = field(default_factory=threading.Lock)
    index: Path | None = None  # its search index, made when first asked for
    indexing: threading.Lock = field(default_factory=threading.Lock)


class Preview:
    """Builds the site again and again in this process; answers for its pages."""

    def __init__(self, settings_file, content, work, **overrides):
        self.settings_file = Path(settings_file)
        self.overrides = overrides  # of the settings (tests)
        self.content = runner.content_folder(content).resolve()
        # the preview writes into `work` and deletes in it: never a foreign folder
        work = runner.judged_output(settings_file, content, work)
        folders.mark(work)
        self.output = work / "output"
        self.indexes = work / "suche"  # a search index per build
        self.memory = Memory()
        self.due = None  # when the next scheduled entry of the last build is due
        self.pelican = None
        self.snapshot = None
        self.error = None  # why the last build broke off (the page says so)
        self.builds = 0
        self.files = {}  # path -> stamp, of every file in the content folder
        self.text_suffixes = ()  # see _remembering
        self.listeners = []  # other plugins that hear what is written
        self.changed = threading.Condition()
        self._building = threading.Lock()
        signals.generator_init.connect(self._remembering)

    def _remembering(self, generator):
        if self.pelican is not None and generator.settings is self.pelican.settings:
            readers = RememberingReaders(generator.settings, "", self.memory)
            generator.readers = readers
            # files a reader reads as text; the others are static (images …)
            self.text_suffixes = tuple(f".{suffix}" for suffix in readers.extensions)

    def _settings(self):
        return runner.settings_for(
            self.settings_file,
            self.content,
            self.output,
            DELETE_OUTPUT_DIRECTORY=False,
            STATIC_CHECK_IF_MODIFIED=True,
            **self.overrides,
        )

    def build(self, anew=False):
        """Build the site again; return the `runner.Result`.

        `anew`: read the settings again and every file (a new Pelican).
        """
        with self._building:
            if anew or self.pelican is None:
                self.memory.clear()
                self.pelican = None
                try:
                    self.pelican = Pelican(self._settings())
                except Exception as error:
                    return self._failed(runner.Result(error=error))
                self._tell_about_listeners()
            self._forget_readers_of_changed_files()
            # Pelican keeps each object's rendered text; these objects are old
            Content.get_content.cache.clear()
            Content.get_summary.cache.clear()
            # the first build reads everything: then on all cores
            first = not self.memory
            started = time.time_ns() if self.listeners else None
            result = runner.run_pelican(
                self.pelican,
                write=bool(self.listeners),
                prepare=first,
                check_here=True,
            )
            self.memory.forget_unused()
            self.due = min(
                (kept.until for kept in self.memory.values() if kept.until),
                default=None,
            )
            if result.writer is None or result.error is not None:
                return self._failed(result)
            self.builds += 1
            snapshot = Snapshot(
                f"{os.getpid()}-{self.builds}",
                result.writer,
                self._statics(result.context),
                started,
            )
            with self.changed:
                self.snapshot, self.error = snapshot, None
                self.changed.notify_all()
            return result

    def falls_due(self):
        """Whether a scheduled entry of the last build is due: then build again."""
        return bool(_due(self.due))

    def _forget_readers_of_changed_files(self):
        """Forget the objects made from texts that name a changed static file.

        Reading an entry looks at the images it shows (their size); the
        entry's own file need not have changed.
        """
        files = {}
        for folder, _dirs, names in os.walk(self.content, followlinks=True):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    files[path] = stamp(path)
                except OSError:
                    continue
        changed = {
            os.path.basename(path)
            for path in files.keys() ^ self.files.keys()
            | {p for p in files.keys() & self.files.keys() if files[p] != self.files[p]}
            if not path.endswith(self.text_suffixes)
        }
        self.files = files
        if changed:
            self.memory.forget_readers_of(changed)

    def _tell_about_listeners(self):
        """Say once on the console when every build writes every page (see above)."""
        listeners = deferred_writing.listeners(
            (*deferred_writing.WRITE_SIGNALS, "finalized")
        )
        if listeners and listeners != self.listeners:
            print(
                "Hinweis: Die Plugins "
                + ", ".join(listeners)
                + " wollen von jeder geschriebenen Datei hören. Die Vorschau "
                "schreibt darum bei jedem Bau alle Seiten; das dauert länger.",
                flush=True,
            )
        self.listeners = listeners

    def _failed(self, result):
        with self.changed:
            self.error = result.error or RuntimeError("Der Bau brach ab.")
            self.changed.notify_all()
        return result

    def _statics(self, context):
        statics = {
            posixpath.normpath(static.save_as)
            for static in context.get("staticfiles", [])
            if static.save_as
        }
        settings = self.pelican.settings
        theme = Path(settings["THEME"])
        folder = settings["THEME_STATIC_DIR"]
        for name in settings["THEME_STATIC_PATHS"]:
            source = theme / name
            files = [source] if source.is_file() else source.rglob("*")
            for file in files:
                if file.is_file():
                    inside = file.name if file == source else file.relative_to(source)
                    statics.add(posixpath.join(folder, Path(inside).as_posix()))
        return statics

    # -- answering ---------------------------------------------------------------

    @property
    def version(self):
        snapshot = self.snapshot
        error = self.error
        return f"{snapshot.version if snapshot else '0'}{'-x' if error else ''}"

    def respond(self, url):
        """Return (status, content type, body) for a requested path."""
        snapshot = self.snapshot
        if snapshot is None:
            return self._broken()
        path = unquote(urlsplit(url).path)
        relative = posixpath.normpath(path.lstrip("/") or ".")
        if path.endswith("/") or relative == ".":
            relative = posixpath.join(relative, "index.html")
        relative = relative.removeprefix("./")
        if relative.startswith("../") or "\0" in relative:
            return self._missing(snapshot)
        if relative.startswith(f"{search.FOLDER}/"):
            body = self._search_file(snapshot, relative)
        else:
            body = self._page(snapshot, relative)
        if body is None and (
            relative in snapshot.statics or self._written_by_plugin(snapshot, relative)
        ):
            try:
                body = (self.output / relative).read_bytes()
            except OSError:
                body = None
        if body is None:
            index = posixpath.join(relative, "index.html")
            if not path.endswith("/") and (
                index in snapshot.writer.by_path or index in snapshot.statics
            ):
                # a header is Latin-1: the address as the browser sent it
                return HTTPStatus.MOVED_PERMANENTLY, None, f"{quote(path)}/"
            return self._missing(snapshot)
        return HTTPStatus.OK, _type(relative), self._live(relative, body)

    def _written_by_plugin(self, snapshot, relative):
        """Whether another plugin wrote this file in the build of `snapshot`."""
        if snapshot.started is None:
            return False
        try:
            return (self.output / relative).stat().st_mtime_ns >= snapshot.started
        except OSError:
            return False

    def _page(self, snapshot, relative):
        job = snapshot.writer.by_path.get(relative)
        if job is None:
            return None
        if snapshot.started is not None:  # written
            try:
                return (self.output / relative).read_bytes()
            except OSError:
                return None
        with snapshot.lock:
            if relative not in snapshot.rendered:
                pages = snapshot.writer.render(job)
                for path, text in pages.items():
                    snapshot.rendered[path] = text.encode("utf-8")
            return snapshot.rendered.get(relative)

    def _search_file(self, snapshot, relative):
        """Return a file of the search index of `snapshot` (made when first asked)."""
        with snapshot.indexing:  # (pages are rendered under snapshot.lock)
            if snapshot.index is None and self.pelican.settings.get("SEARCH_URL"):
                shutil.rmtree(self.indexes, ignore_errors=True)  # older builds'
                snapshot.index = self.indexes / snapshot.version
                search.index_pages(self._searchable(snapshot), snapshot.index)
        if snapshot.index is None:
            return None
        try:
            return (
                snapshot.index / relative.removeprefix(f"{search.FOLDER}/")
            ).read_bytes()
        except OSError:
            return None

    def _searchable(self, snapshot):
        """Yield (URL, HTML) of every published entry, page and series of `snapshot`.

        The pages a build's index would hold (the theme marks what of them
        Pagefind reads), without rendering the lists that hold none.
        """
        for path, job in sorted(snapshot.writer.by_path.items()):
            content = job.kwargs.get("article") or job.kwargs.get("page")
            series = job.kwargs.get("series")
            if content is not None:
                searchable = content.status == "published"
            else:
                searchable = series is not None and series.public
            if not searchable:
                continue
            body = self._page(snapshot, path)
            if body is not None:
                yield "/" + path.removesuffix("index.html"), body.decode("utf-8")

    def _missing(self, snapshot):
        body = self._page(snapshot, "404.html") or (
            b"<!DOCTYPE html><title>Nicht gefunden</title>"
            b"<p>Diese Seite gibt es nicht.</p>"
        )
        return HTTPStatus.NOT_FOUND, "text/html", self._live("404.html", body)

    def _broken(self):
        said = runner.describe(self.error) if self.error else "Die Vorschau baut …"
        body = (
            '<!DOCTYPE html><html lang="de"><title>Vorschau</title>'
            f"<p>{escape(said)}</p><p>Das Terminal sagt mehr.</p></html>"
        ).encode()
        return HTTPStatus.SERVICE_UNAVAILABLE, "text/html", self._live("x.html", body)

    def _live(self, relative, body):
        """Add the script that reloads an HTML page when a newer build is ready."""
        if not relative.endswith((".html", ".htm")):
            return body
        script = RELOAD.format(version=self.version, events=EVENTS).encode()
        at = body.rfind(b"</body>")
        return body[:at] + script + body[at:] if at >= 0 else body + script

    def wait_for_change(self, seen, timeout, stopping):
        """Return the version once it is not `seen`, or after `timeout` seconds.

        Returns at once when `stopping` is set (and `self.changed` notified).
        """
        with self.changed:
            self.changed.wait_for(
                lambda: self.version != seen or stopping.is_set(), timeout
            )
            return self.version

    def close(self):
        signals.generator_init.disconnect(self._remembering)


def _type(relative):
    suffix = posixpath.splitext(relative)[1].lower()
    guessed = TYPES.get(suffix) or mimetypes.guess_type(relative)[0]
    return guessed or "application/octet-stream"


# -- serving and watching -------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    """Answers from `server.preview`; the events keep the page up to date."""

    server_version = "Fortsetzung-Vorschau"

    def do_GET(self):
        if urlsplit(self.path).path == EVENTS:
            self._events()
            return
        self._answer(head=False)

    def do_HEAD(self):
        self._answer(head=True)

    def do_POST(self):
        # only the editor's local backend, /admin/api/v1 (editor_backend.py)
        editor.answer(self, getattr(self.server.editor, "backend", None))

    def _answer(self, head):
        preview = self.server.preview
        path = urlsplit(self.path).path
        editing = self.server.editor is not None and path.startswith(editor.PREFIX)
        try:
            if editing:
                status, kind, body = self.server.editor.respond(
                    unquote(path).removeprefix(editor.PREFIX)
                )
            elif self.server.editor is not None and path == editor.PREFIX[:-1]:
                status, kind, body = HTTPStatus.MOVED_PERMANENTLY, None, editor.PREFIX
            else:
                status, kind, body = preview.respond(self.path)
        except Exception as error:
            status, kind = HTTPStatus.INTERNAL_SERVER_ERROR, "text/html"
            body = (
                '<!DOCTYPE html><html lang="de"><title>Fehler</title>'
                f"<p>{escape(runner.describe(error))}</p></html>"
            ).encode()
            body = preview._live("x.html", body)
            print(runner.describe(error), flush=True)
        self.send_response(status)
        if status == HTTPStatus.MOVED_PERMANENTLY:
            self.send_header("Location", body)
            body = b""
        else:
            charset = (
                "; charset=utf-8"
                if kind.startswith(("text/", "application/xml"))
                else ""
            )
            self.send_header("Content-Type", f"{kind}{charset}")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if editing:
            self.send_header("Content-Security-Policy", editor.POLICY)
            self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self):
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = None
        try:
            self.wfile.write(b"retry: 500\n\n")
            while True:
                version = preview.wait_for_change(seen, 10, self.server.stopping)
                if self.server.stopping.is_set():
                    break
                if version != seen:
                    self.wfile.write(f"data: {version}\n\n".encode())
                    seen = version
                else:
                    self.wfile.write(b": \n\n")  # keeps the connection open
                self.wfile.flush()
        except OSError:
            pass  # the page was closed

    def log_message(self, format, *args):
        pass  # no line per request


class Server(ThreadingHTTPServer):
    """An HTTP server for one `Preview`, a thread per request."""

    daemon_threads = True

    def __init__(self, address, preview, editor=None):
        super().__init__(address, Handler)
        self.preview = preview
        self.editor = editor  # the browser editor below /admin/ (editor.py), if any
        self.stopping = threading.Event()

    def stop(self):
        """Stop serving; the pages' event streams end at once."""
        self.stopping.set()
        if self.preview is not None:
            with self.preview.changed:
                self.preview.changed.notify_all()
        self.shutdown()
        self.server_close()


def serve(preview, host, port, editor=None):
    """Serve `preview` (and `editor`) at host:port in a thread; return the server."""
    server = Server((host, port), preview, editor)
    # stop() waits for serve_forever to look up: a tenth, not half a second
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    return server


#: Changes in these need a new process (the code that builds).
CODE = ("plugins", "sitetools")


def watch(preview, paths, root, stop, on_build):
    """Build again on every change under `paths` until `stop` is set.

    And when a scheduled entry falls due (`Preview.falls_due`), nothing
    having changed. Returns "restart" when code under `root`/plugins or sitetools changed.
    Python's collector of reference cycles waits meanwhile: with thousands
    of entries in memory, one of its full rounds takes a tenth of a second
    or more, and it would start in the middle of a build. It runs when no
    change came for IDLE milliseconds instead, and before a build when the
    last BUILDS_BETWEEN_COLLECTIONS came without a pause.
    """
    settings_file = preview.settings_file.resolve()
    collecting = gc.isenabled()
    gc.disable()
    builds = 0  # since the last collection
    try:
        for changes in watchfiles.watch(
            *paths,
            step=30,
            debounce=1600,
            stop_event=stop,
            ignore_permission_denied=True,
            rust_timeout=IDLE,
            yield_on_timeout=True,
        ):
            if not changes and not preview.falls_due():  # quiet for IDLE ms
                if builds or gc.get_count()[0] > gc.get_threshold()[0]:
                    gc.collect()
                    builds = 0
                continue
            if builds >= BUILDS_BETWEEN_COLLECTIONS:
                gc.collect()
                builds = 0
            changed = {Path(path) for _change, path in changes}
            if any(
                path.suffix == ".py" and path.is_relative_to(root / folder)
                for path in changed
                for folder in CODE
            ):
                return "restart"
            anew = settings_file in changed
            started = time.perf_counter()
            result = preview.build(anew=anew)
            builds += 1
            on_build(result, time.perf_counter() - started)
        return "stopped"
    finally:
        if collecting:
            gc.enable()


def restart():
    """Start this command again in this process (after the code changed)."""
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, *sys.argv])
