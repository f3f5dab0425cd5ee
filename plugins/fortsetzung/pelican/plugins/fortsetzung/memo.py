"""Results that depend on a text alone, kept from one build to the next.

The preview builds the site again after every saved change, and most texts
are then what they were before: reading a file (decoding, cleaning) and
taking an entry's HTML apart for the checks need not be done again. A
`Memo` keeps each result for the build after the one that asked for it, and
forgets what that build did not ask for again, so it never holds more than
two builds' worth. Keys are the texts themselves, so a changed text is a new
key: nothing can be out of date.

A tool may compute ahead in other processes (sitetools/runner.py converts
Markdown on the other cores while Pelican reads): there `export` hands over
what was computed, here `absorb` takes it, for example from the setting
FORTSETZUNG_BEFORE_READING, which a reader calls before it reads a file.
These two are the memos' whole public interface.
"""

_MISSING = object()
#: Every memo by name, to start the next build in all of them at once.
_ALL = {}


class Memo:
    """A cache of a function of a text, for this build and the one before."""

    def __init__(self, name):
        self._now = {}
        self._before = {}
        # one name, one memo: a second would silently take the first's place
        # in `next_build`, `export` and `absorb`
        if name in _ALL:
            raise ValueError(f"two memos named {name!r}")
        _ALL[name] = self

    def get(self, key, make):
        """Return the value for `key`; `make()` it if neither build has it."""
        value = self._now.get(key, _MISSING)
        if value is _MISSING:
            value = self._before.pop(key, _MISSING)
            if value is _MISSING:
                value = make()
            self._now[key] = value
        return value

    def asked(self):
        """Return the keys this build asked for so far."""
        return list(self._now)


def next_build():
    """Forget what the build before the one that just ended asked for."""
    for memo in _ALL.values():
        memo._before, memo._now = memo._now, {}


def export():
    """Return what this process computed since the last `export`, to send it.

    It is forgotten here: the next `export` has only what is new.
    """
    exported = {name: memo._now for name, memo in _ALL.items()}
    for memo in _ALL.values():
        memo._now = {}
    return exported


def absorb(exported):
    """Take what another process computed (`export`) as computed here."""
    for name, entries in exported.items():
        _ALL[name]._now.update(entries)
