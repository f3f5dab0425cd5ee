"""What reading one content file may cost: its size, the time, the HTML it makes.

Every content file is untrusted input, and what it costs is not its size
alone. Python-Markdown's inline processing is quadratic in the links of one
paragraph (20,000 reference links take hours), and a small file can make a
huge page (a long address defined once and used thousands of times), which
then goes into every feed as well. So, with settings (settings.py):

- a file read as text (Markdown, comments) larger than
  FORTSETZUNG_MAX_TEXT_FILE_SIZE, or a file copied as it is (pictures,
  video) larger than FORTSETZUNG_MAX_STATIC_FILE_SIZE, is refused before it
  is read or copied (`check_size`);
- each step of reading a file (converting its text or its summary from
  Markdown, cleaning the HTML or an SVG drawing) and checking it (check_site.py: every finding is
  looked for in the text) may take FORTSETZUNG_READ_TIMEOUT seconds
  (`limited`), wherever it runs;
- each of these steps fails, whatever the time, where it would follow the
  text deeper than Python's recursion limit (a thousand quotes or emphasis
  marks inside each other): "depth";
- one conversion may make FORTSETZUNG_MAX_HTML_SIZE bytes of HTML: its
  tree is measured before it becomes text (`guard_html`), the text after
  (`check_html`); the site's tools also limit the whole built site
  (FORTSETZUNG_MAX_SITE_SIZE, sitetools/runner.py).

How the time is limited: a watchdog interrupts the step. In the main thread
(a build, and the processes forked to convert ahead of it) a SIGALRM timer
does it, one system call per step; in any other thread (the preview's
builds) a timer thread raises the interruption in the reading thread with
CPython's `PyThreadState_SetAsyncExc`. Either interrupts Python code only,
and all of Python-Markdown is Python: the quadratic loops are interrupted
within milliseconds. (Checking the text for patterns that are slow would be
a list of known cases; the next slow one would not be on it.) The
interruption comes again every AGAIN seconds until the step ends (one can
be lost in a callback of C code), and when the step ends it is stopped and
a pending one cleared, so it never reaches code after the step (nor does
one that comes while the limit is being stopped: when the step ended by
freeing a large text, that can take longer than AGAIN).
"""

import ctypes
import functools
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, fields

from babel.numbers import format_decimal
from markdown.treeprocessors import Treeprocessor

from .. import i18n
from ..i18n import N_, _
from ..settings import SETTINGS


@dataclass(frozen=True)
class Limits:
    """The limits of reading one file (None: no limit); see the settings."""

    text_file: int | None = SETTINGS["FORTSETZUNG_MAX_TEXT_FILE_SIZE"].default
    static_file: int | None = SETTINGS["FORTSETZUNG_MAX_STATIC_FILE_SIZE"].default
    html: int | None = SETTINGS["FORTSETZUNG_MAX_HTML_SIZE"].default
    seconds: float | None = SETTINGS["FORTSETZUNG_READ_TIMEOUT"].default

    @classmethod
    def of(cls, settings):
        return cls(**{
            field.name: settings.get(setting, SETTINGS[setting].default)
            for field in fields(cls)
            for setting in [SETTING_OF[field.name]]
        })  # fmt: skip


#: The setting of each limit.
SETTING_OF = {
    "text_file": "FORTSETZUNG_MAX_TEXT_FILE_SIZE",
    "static_file": "FORTSETZUNG_MAX_STATIC_FILE_SIZE",
    "html": "FORTSETZUNG_MAX_HTML_SIZE",
    "seconds": "FORTSETZUNG_READ_TIMEOUT",
    "checking": "FORTSETZUNG_READ_TIMEOUT",
    "drawing": "FORTSETZUNG_READ_TIMEOUT",
    "depth": None,
}


#: What going over each limit means, and what to do (translated when shown).
SAID = {
    "text_file": (
        N_(
            "The file is {size}; a text file (entry, page, comments) may be at "
            "most {limit} ({setting}). It is not read."
        ),
        N_(
            "Split the text into several entries; pictures, PDF and other large "
            "files belong in content/images/, linked from the text."
        ),
    ),
    "static_file": (
        N_(
            "The file is {size}; a file copied into the site may be at most "
            "{limit} ({setting}; GitHub takes no file over 100 MB). It is not "
            "published."
        ),
        N_(
            "Make it smaller (a picture: about 2000 pixels wide; a video: a "
            "lower resolution), or publish it elsewhere and link to it."
        ),
    ),
    "seconds": (
        N_(
            "The file is too complex to read: it was not converted after "
            "{seconds} seconds, and reading it was stopped ({setting}). Very "
            "many links, brackets or emphasis marks in one paragraph take that "
            "long."
        ),
        N_(
            "Split long paragraphs with empty lines, and write links, brackets "
            "and asterisks only where they are meant."
        ),
    ),
    "drawing": (
        N_(
            "The SVG file is too complex to clean: it was not done after "
            "{seconds} seconds, and cleaning it was stopped ({setting}). It is "
            "not published."
        ),
        N_(
            "Simplify the drawing (fewer shapes and styles) in the drawing "
            "program, or save it as a PNG picture."
        ),
    ),
    "depth": (
        N_(
            "The file is nested too deeply to be read: hundreds of quotes, "
            "lists, emphasis marks, HTML elements or brackets inside each other."
        ),
        N_("Write it flatter: nothing needs more than a few levels."),
    ),
    "checking": (
        N_(
            "The file is too complex to check: its checks had not ended after "
            "{seconds} seconds, and they were stopped ({setting}). Tens of "
            "thousands of links, pictures or mistakes in one file take that long."
        ),
        N_("Split the text into several entries."),
    ),
    "html": (
        N_(
            "The file makes about {size} of HTML; one file may make at most "
            "{limit} ({setting}). Its text goes into its page and into every "
            "feed, and the site would grow too large."
        ),
        N_(
            "Shorten the text or split it into several entries. A link written "
            "as [text][name] repeats its whole address each time: use a long "
            "address only a few times."
        ),
    ),
}


class OverLimit(Exception):
    """Reading went over a limit: `kind` (a field of `Limits`), how much, the limit.

    Kept in memos and sent between processes, so it holds only these; the
    message is made when it is shown, in the language of that build.
    """

    def __init__(self, kind, amount, limit):
        super().__init__(kind, amount, limit)
        self.kind, self.amount, self.limit = kind, amount, limit

    @property
    def message(self):
        return _(
            SAID[self.kind][0],
            size=size(self.amount),
            limit=size(self.limit),
            seconds=number(self.limit),
            setting=SETTING_OF[self.kind],
        )

    @property
    def fix(self):
        return _(SAID[self.kind][1])

    def error(self, path):
        """Return the `SourceError` that says this about the file at `path`."""
        from .source import SourceError, shown  # noqa: PLC0415 (it imports this)

        return SourceError(shown(path), self.message, self.fix)


def check_size(path, limit, kind="text_file", measured=None):
    """Raise `SourceError` if the file at `path` is over `limit` bytes.

    `kind`: "text_file" (it is to be read) or "static_file" (copied);
    `measured`: its size, if known.
    """
    if limit is None:
        return
    if measured is None:
        measured = os.stat(path).st_size
    if measured > limit:
        raise OverLimit(kind, measured, limit).error(path)


def check_html(html, limit):
    """Raise `OverLimit` if `html` is more than `limit` bytes (UTF-8)."""
    if limit is not None and len(html) > limit // 4 and len(html.encode()) > limit:
        raise OverLimit("html", len(html.encode()), limit)


def guard_html(markdown, limit):
    """Let the Python-Markdown instance `markdown` refuse a text over `limit`.

    Before the tree becomes text: there, one address defined once and used
    60,000 times would take gigabytes of memory within a second, long before
    any time limit (the tree holds the address once). `check_html` checks the
    HTML itself afterwards.
    """
    markdown.treeprocessors.register(_TreeSize(markdown, limit), "html_size", -1000)


class _TreeSize(Treeprocessor):
    """Raises `OverLimit` when the text of the tree is already over the limit."""

    def __init__(self, markdown, limit):
        super().__init__(markdown)
        self.limit = limit

    def run(self, root):
        if self.limit is None:
            return
        size = sum(
            len(element.text or "")
            + len(element.tail or "")
            + sum(len(name) + len(value) + 4 for name, value in element.items())
            for element in root.iter()
        )
        if size > self.limit:
            raise OverLimit("html", size, self.limit)


# -- the time limit -------------------------------------------------------------------


class _Interrupted(BaseException):
    """Raised into the step whose time is up.

    Not an `Exception`, so that no `except Exception` in the code it
    interrupts takes it for an error of its own and carries on.
    """


#: Seconds after which the interruption comes again while the step runs: one
#: that lands in a callback of C code (a weak reference's, nh3's) is lost there.
AGAIN = 0.05
_running = threading.local()  # .limited: a step of this thread is limited


def limited(seconds, step, *args, kind="seconds"):
    """Return `step(*args)`; raise `OverLimit` if it takes longer than `seconds`.

    No limit if `seconds` is None (or 0); a step within a limited step is
    limited by the outer one. `kind`: what the step does, for the message
    ("seconds": reading, "checking", "drawing"). A step that recursed too
    deeply (Python's own limit: a text nested a thousand levels deep, which
    reading it follows) is over the limit "depth", whatever the time.
    """
    try:
        return _timed(seconds, step, args, kind)
    except RecursionError:
        raise OverLimit("depth", 0, 0) from None


def _timed(seconds, step, args, kind):
    if not seconds or getattr(_running, "limited", False):
        return step(*args)
    if threading.current_thread() is threading.main_thread() and hasattr(
        signal, "setitimer"
    ):
        watchdog = _Alarm(seconds)
    elif _SET_ASYNC_EXC is not None:
        watchdog = _Watchdog(seconds)
    else:  # another Python than CPython, in a thread: no way to interrupt
        return step(*args)
    _running.limited = True
    hook = sys.unraisablehook
    sys.unraisablehook = functools.partial(_unraisable, hook)
    try:
        try:
            watchdog.start()  # in here: it may ring before start returns
            return step(*args)
        except _Interrupted:
            pass
        finally:
            # Stop the watchdog, also when an interruption sent just before the
            # step ended lands here. No function call but the one in `try`:
            # Python takes interruptions on calls and loops, and the watchdog
            # sends none while this module's own code (`_OWN`) runs.
            stopped = False
            while not stopped:
                try:
                    watchdog.stop()
                    stopped = True
                except _Interrupted:
                    pass
    finally:
        _running.limited = False
        if getattr(sys.unraisablehook, "func", None) is _unraisable:
            sys.unraisablehook = hook
    raise OverLimit(kind, seconds, seconds)


def _unraisable(hook, unraisable):
    """Say nothing of an interruption lost in a callback (the next one comes)."""
    if not isinstance(unraisable.exc_value, _Interrupted):
        hook(unraisable)


class _Alarm:
    """SIGALRM after `seconds` (and again), raising `_Interrupted` in the main thread.

    A timer or handler set before (a test runner's) is put back afterwards.
    """

    def __init__(self, seconds):
        self.seconds = seconds
        self.armed = False
        self.previous = self.before = None

    def start(self):
        self.started = time.monotonic()
        self.previous = signal.signal(signal.SIGALRM, self._ring)
        self.armed = True
        self.before = signal.setitimer(signal.ITIMER_REAL, self.seconds, AGAIN)

    def _ring(self, signum, frame):
        if self.armed and frame is not None and frame.f_code not in _OWN:
            raise _Interrupted

    def stop(self):
        """Disarm and put back what was set before (again: nothing happens)."""
        self.armed = False
        if self.previous is None:
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        _let_pending_handlers_run()  # while the handler is still ours
        signal.signal(signal.SIGALRM, self.previous)
        self.previous = None
        delay, interval = self.before or (0, 0)
        if delay:
            left = delay - (time.monotonic() - self.started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), interval)


def _let_pending_handlers_run():
    """Python runs pending signal handlers when a function is called: here."""


#: CPython's function that raises an exception in another thread, if there is one.
_SET_ASYNC_EXC = getattr(
    getattr(ctypes, "pythonapi", None), "PyThreadState_SetAsyncExc", None
)


class _Watchdog:
    """A thread that raises `_Interrupted` in this one after `seconds` (and again)."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.target = ctypes.c_ulong(threading.get_ident())
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def start(self):
        self.thread.start()

    def _watch(self):
        wait = self.seconds
        while not self.stopped.wait(wait):
            with self.lock:
                if self.stopped.is_set():
                    return
                frame = sys._current_frames().get(self.target.value)
                if frame is not None and frame.f_code not in _OWN:
                    _SET_ASYNC_EXC(self.target, ctypes.py_object(_Interrupted))
            wait = AGAIN

    def stop(self):
        """Stop watching; clear an interruption not raised yet (NULL clears it)."""
        with self.lock:
            self.stopped.set()
            _SET_ASYNC_EXC(self.target, None)


#: The code that starts and stops a limit: an interruption that landed in it,
#: after the step ended, would reach the code that called `limited`.
_OWN = frozenset(
    f.__code__
    for f in (limited, _timed, _Alarm.stop, _let_pending_handlers_run, _Watchdog.stop)
)


# -- numbers in messages ------------------------------------------------------------


def number(value):
    """Return `value` as the current language writes numbers (0,5 in German)."""
    return format_decimal(value, locale=i18n.current())


def size(count):
    """Return a number of bytes in kB, MB or GB (decimal, as GitHub counts)."""
    value, unit = next(
        (count / factor, unit)
        for factor, unit in ((10**9, "GB"), (10**6, "MB"), (10**3, "kB"))
        if count >= factor or unit == "kB"
    )
    digits = "0.#" if value < 100 else "0"
    return f"{format_decimal(value, digits, locale=i18n.current())} {unit}"
