"""Work shared out to processes forked from the build, one per core.

A forked process has everything the build has made so far (the settings,
the content, the site's model) without sending any of it: it works on its
share and sends back only its result, its log records and, if it failed,
its error. Where forking is not possible or not safe (no `os.fork`, or
other threads running, which a fork would not copy), everything is done in
this process.
"""

import contextlib
import gc
import logging
import mmap
import os
import pickle
import select
import signal
import sys
import tempfile
import threading

try:
    import fcntl
except ImportError:  # no fork there either: one process, no lock
    fcntl = None


def workers(wanted_at_most, workers=None):
    """Return how many processes to use.

    `workers` (default: one per core), at most `wanted_at_most`, at least 1,
    and 1 where forking is unsafe.
    """
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    return max(1, min(workers or os.cpu_count() or 1, wanted_at_most))


def run(shares, work):
    """Return [work(share) for share in shares], the first share done here.

    The others are done by forked processes at the same time. Their log
    records are handled here as if they were this process's; an error in
    any of them is raised here once all have finished.
    """
    children = [_fork(work, share) for share in shares[1:]]
    results, error = [], None
    try:
        results.append(work(shares[0]) if shares else None)
    except BaseException as raised:
        error = raised
        for pid, _pipe in children:
            _kill(pid)
    for pid, pipe in children:
        result, records, failed = _collect(pid, pipe)
        for record in records:
            # filtered by the child's logger already: a second time here,
            # Pelican's filter would raise for a message logged before
            logger = logging.getLogger(record.name)
            if not logger.disabled:
                logger.callHandlers(record)
        results.append(result)
        error = error or failed
    if error is not None:
        raise error
    return results


def map_all(function, items, processes=None, least=1):
    """Return [function(item) for item in items], in up to `processes` processes.

    (Default: one per core, see `workers`.) Each process is worth `least`
    items at least; they take the items from a `Queue`.
    """
    items = list(items)
    count = workers(len(items) // least, processes)
    queue = Queue(len(items), count)
    try:
        shares = run(
            range(count),
            lambda k: [(n, function(items[n])) for n in queue.taken_by(k)],
        )
    finally:
        queue.close()
    results = [None] * len(items)
    for share in shares:
        for n, result in share:
            results[n] = result
    return results


class Queue:
    """The numbers 0 … total - 1, handed out to `count` processes as they ask.

    They are cut into one run of neighbours per process: neighbouring jobs
    share what they render (an entry's teaser on its lists, a feed's entries
    in three formats), which a process then renders once. Process k takes
    the next number of run k, and when that is done, the last one of the
    longest run left, so that all finish at about the same time. The runs
    lie in shared memory; a lock on a temporary file guards them (the
    system releases it when a process dies holding it).
    """

    def __init__(self, total, count):
        self.count = count
        self._memory = mmap.mmap(-1, 16 * count)
        self._bounds = memoryview(self._memory).cast("q")  # run k: [2k, 2k + 1)
        for k in range(count):
            self._bounds[2 * k] = total * k // count
            self._bounds[2 * k + 1] = total * (k + 1) // count
        # POSIX locks belong to a process, not to the file a fork shares
        self._lock = tempfile.TemporaryFile() if count > 1 else None  # noqa: SIM115 (closed in close)

    def taken_by(self, k):
        """Yield the numbers process `k` takes, until none are left."""
        while True:
            if self._lock is None:
                number = self._next(k)
            else:
                fcntl.lockf(self._lock, fcntl.LOCK_EX)
                try:
                    number = self._next(k)
                finally:
                    fcntl.lockf(self._lock, fcntl.LOCK_UN)
            if number is None:
                return
            yield number

    def _next(self, k):
        bounds = self._bounds
        if bounds[2 * k] < bounds[2 * k + 1]:
            bounds[2 * k] += 1
            return bounds[2 * k] - 1
        j = max(range(self.count), key=lambda j: bounds[2 * j + 1] - bounds[2 * j])
        if bounds[2 * j] < bounds[2 * j + 1]:
            bounds[2 * j + 1] -= 1
            return bounds[2 * j + 1]
        return None

    def close(self):
        self._bounds.release()
        self._memory.close()
        if self._lock is not None:
            self._lock.close()


def _fork(work, share):
    """Start a process that does `work(share)`; return (pid, its pipe)."""
    read, write = os.pipe()
    pid = _forked()
    if pid:
        os.close(write)
        return pid, read
    os.close(read)  # the worker, from here on
    try:
        records, result, error = [], None, None
        collector = logging.Handler(level=logging.WARNING)
        collector.emit = records.append
        root = logging.getLogger()
        for handler in root.handlers[:]:
            root.removeHandler(handler)
        root.addHandler(collector)
        try:
            result = work(share)
        except BaseException as raised:  # sent to the parent
            error = raised
        with os.fdopen(write, "wb") as pipe:
            pipe.write(_dumps(result, records, error))
    finally:
        # never back into the parent's code (its cleanup, its lock): the
        # parent learns from the missing result that this went wrong
        os._exit(0)


def _forked():
    """Fork; return the child's pid here, 0 in the child.

    What stdout and stderr hold is written first, so that the child does
    not write it again. What exists at the fork is frozen for the child's garbage collector:
    a full collection there would write to every object the build has made
    (CPython keeps the collector's marks in the objects), and each page
    written to is copied for the child. Here it is collected as before.
    """
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    gc.freeze()
    try:
        pid = os.fork()
    except BaseException:
        gc.unfreeze()
        raise
    if pid:
        gc.unfreeze()
    return pid


def _dumps(result, records, error):
    if error is not None:
        try:  # some exceptions pickle but cannot be unpickled
            pickle.loads(pickle.dumps(error))
        except Exception:
            error = RuntimeError(f"{type(error).__name__}: {error}")
    for record in records:
        record.exc_info = record.exc_text = None
        try:
            pickle.dumps(record)
        except Exception:
            record.msg, record.args = record.getMessage(), None
    try:
        return pickle.dumps((result, records, error))
    except Exception:
        error = error and RuntimeError(f"{type(error).__name__}: {error}")
        return pickle.dumps((None, records, error))


def _collect(pid, pipe):
    with os.fdopen(pipe, "rb") as stream:
        data = stream.read()
    _pid, status = os.waitpid(pid, 0)
    try:
        result, records, error = pickle.loads(data)
    except Exception:
        result, records, error = None, [], None
    if error is None and (not data or os.waitstatus_to_exitcode(status)):
        error = RuntimeError(
            f"A process that built part of the site ended unexpectedly ({status})."
        )
    return result, records, error


def _kill(pid):
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)


class Ahead:
    """A forked process that works ahead and sends results as it goes.

    `work(share, send)` runs in the process; each `send(value)` reaches this
    process, where `received()` returns what has arrived so far without
    waiting. `stop()` ends the process, done or not (what it had not sent is
    lost: the work is then done here, when it is needed).
    """

    def __init__(self, work, share):
        read, write = os.pipe()
        self.pid = _forked()
        if self.pid == 0:
            os.close(read)
            with contextlib.suppress(BaseException), os.fdopen(write, "wb") as pipe:

                def send(value):
                    data = pickle.dumps(value)
                    pipe.write(len(data).to_bytes(8, "big") + data)
                    pipe.flush()

                work(share, send)
            os._exit(0)
        os.close(write)
        os.set_blocking(read, False)
        self.pipe = read
        self.buffer = bytearray()

    @staticmethod
    def ready(helpers, wait=0):
        """Return those of `helpers` that have sent something (waits up to `wait` s)."""
        pipes = {helper.pipe: helper for helper in helpers if helper.pipe is not None}
        if not pipes:
            return []
        readable, _, _ = select.select(list(pipes), [], [], wait)
        return [pipes[pipe] for pipe in readable]

    def received(self):
        """Return the values sent since the last call (never waits)."""
        if self.pipe is None:
            return []
        while True:
            try:
                chunk = os.read(self.pipe, 1 << 20)
            except BlockingIOError:
                break
            if not chunk:  # it has sent everything and ended
                self._close()
                break
            self.buffer += chunk
        values = []
        while len(self.buffer) >= 8:
            size = int.from_bytes(self.buffer[:8], "big")
            if len(self.buffer) < 8 + size:
                break
            values.append(pickle.loads(self.buffer[8 : 8 + size]))
            del self.buffer[: 8 + size]
        return values

    def stop(self):
        if self.pipe is not None:
            _kill(self.pid)
            self._close()

    def _close(self):
        os.close(self.pipe)
        self.pipe = None
        os.waitpid(self.pid, 0)
