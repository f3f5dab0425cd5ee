"""Conversions from Markdown kept in the cache folder for the next build.

They are kept in one file, `CACHE_PATH/fortsetzung/conversions.txt`, one
line each: the digest of what the conversion is made from (source.py:
the text, the settings, the converting code), a space, and the JSON of
its HTML and header. A build appends each conversion it makes, with one
write to a file it keeps open, and reads the file once, with what others
appended since as they come. One file, not one per conversion: creating a
file cost 0.05–0.8 ms on the machines here, a cold build makes 2,000 of
them, and a warm one opened as many.

The file is only ever appended to or replaced whole. A line cut short (a
build stopped while writing) or otherwise broken is not a conversion:
source.py converts the text again. At the end of a build, a file that
holds more than twice the conversions the build used (edited texts, an
older version of the code) is written anew with only those (`prune`).
What is read is no more trusted than the text it was made from: the HTML
and the header are vetted after reading, as always.
"""

import contextlib
import os

from .. import derived
from ..settings import SETTINGS

#: The file's name, in the plugin's cache folder.
NAME = "conversions.txt"
#: A file with more lines than twice the conversions a build used, and
#: this many, is written anew with only those.
SLACK = 16
#: How many sites' files one process keeps open (tests build hundreds).
OPEN_AT_ONCE = 8

_JOURNALS = {}
#: Read and appended to, as bytes (Windows: no line ends changed), and not
#: passed on to programs the build starts.
_APPENDING = (
    os.O_RDWR | os.O_APPEND | os.O_CREAT
    | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
)  # fmt: skip


def journal(settings, largest_line):
    """Return the `Journal` of the site with `settings`.

    `largest_line`: a longer line is not a conversion (-1: any length).
    """
    path = os.path.join(derived.cache_folder(settings), NAME)
    found = _JOURNALS.get(path)
    if found is None:
        setting = "FORTSETZUNG_MAX_SITE_SIZE"
        # a site's HTML is at most this (and all of it is in memory before
        # it is written): a larger file is not read
        largest = settings.get(setting, SETTINGS[setting].default)
        found = _JOURNALS[path] = Journal(path, largest_line, largest)
        if len(_JOURNALS) > OPEN_AT_ONCE:
            _JOURNALS.pop(next(iter(_JOURNALS))).close()
    found.largest_line = largest_line
    return found


class Journal:
    """The kept conversions of one site: digest -> JSON of [HTML, header]."""

    def __init__(self, path, largest_line=-1, largest_file=None):
        self.path = path
        self.largest_line = largest_line
        self.largest_file = largest_file
        self.fd = None  # for appending, opened at the first conversion kept
        self._forget()
        self.failed = False  # the cache folder cannot be written to

    def _forget(self):
        """Forget what was read, and the file appended to (it may be gone)."""
        self.close()
        self.lines = {}
        self.count = 0  # complete lines read
        self.read_to = 0  # offset after the last complete line read
        self.identity = None  # (device, inode) of the file read

    def get(self, digest):
        """Return the JSON kept for `digest` (bytes), or None."""
        self._catch_up()
        return self.lines.get(digest)

    def add(self, digest, kept):
        """Append the JSON `kept` for `digest`; nothing if the folder is not writable."""
        if self.failed:
            return
        line = f"{digest} {kept}\n".encode()
        try:
            if self.fd is None:
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
                self.fd = os.open(self.path, _APPENDING, 0o666)
                if not _ends_a_line(self.fd):
                    line = b"\n" + line  # after a line cut short, not in it
            view = memoryview(line)
            while view:  # one write, but for a full disk
                view = view[os.write(self.fd, view) :]
        except OSError:
            self.failed = True
            self.close()

    def close(self):
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None

    def _catch_up(self):
        """Read what was appended since, or the whole file if it was replaced."""
        try:
            found = os.stat(self.path)
        except OSError:
            self._forget()
            return
        identity = (found.st_dev, found.st_ino)
        if identity != self.identity or found.st_size < self.read_to:
            self._forget()
            self.identity = identity
        if found.st_size == self.read_to:
            return
        if self.largest_file is not None and found.st_size > self.largest_file:
            # not one the builds wrote: made again from the start
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            self._forget()
            return
        try:
            with open(self.path, "rb") as file:
                if os.fstat(file.fileno()).st_ino != found.st_ino:
                    return  # replaced meanwhile: read at the next question
                file.seek(self.read_to)
                data = file.read(found.st_size - self.read_to)
        except OSError:
            return
        end = data.rfind(b"\n") + 1  # a line being written is read when complete
        self.read_to += end
        for line in data[:end].split(b"\n")[:-1]:
            self.count += 1
            if 0 <= self.largest_line < len(line):
                continue
            digest, _space, kept = line.partition(b" ")
            self.lines[digest.decode("ascii", "replace")] = kept

    def prune(self, texts, digest_of):
        """Write the file anew with the lines of `texts` if it has many more.

        `texts`: what a build converted; `digest_of(text)`: its line's digest.
        """
        self._catch_up()
        if self.count <= 2 * len(texts) + SLACK:
            return
        used = dict.fromkeys(map(digest_of, texts))
        kept = b"".join(
            b"%s %s\n" % (digest.encode(), self.lines[digest])
            for digest in used
            if digest in self.lines
        )
        with contextlib.suppress(OSError):
            derived.make_whole(self.path, lambda name: _write(name, kept))
        self._forget()


def _write(path, data):
    with open(path, "xb") as file:
        file.write(data)


def _ends_a_line(fd):
    """Whether the file `fd` is empty or its last byte ends a line."""
    size = os.lseek(fd, 0, os.SEEK_END)
    if not size:
        return True
    os.lseek(fd, size - 1, os.SEEK_SET)
    return os.read(fd, 1) == b"\n"
