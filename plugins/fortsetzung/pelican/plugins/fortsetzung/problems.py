"""Problems: an author's mistake, named as the author sees it, and how a build reports them.

Every concern of the plugin (the header checks, the vetting of content, the
series, the comments and redirects of an old blog …) reports what is wrong as a
`Problem`: file (as the author types it, `display_path`), line, field, what
is wrong and the fix. A build logs them together in one record (`report`)
under one logger (`PROBLEMS`), which tools that show problems themselves
leave out.
"""

import logging
from dataclasses import asdict, dataclass

from .safety.source import shown


@dataclass(frozen=True)
class Problem:
    """An author's mistake: which file, line and field, what is wrong, the fix.

    Errors stop `--fatal errors` builds and `invoke publish`; warnings are
    reported only.
    """

    path: str
    field: str
    message: str
    fix: str
    line: int | None = None
    severity: str = "error"

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message} {self.fix}"

    def as_dict(self):
        return asdict(self)


def display_path(content):
    """Return the path of a content file as an author would type it."""
    return shown(content.source_path)


def report(problems):
    """Log the problems in one record (an error if one of them is).

    One record, so that `pelican --fatal errors` shows every mistake before
    Pelican stops the build (its logger raises after the first error). Tools
    that show the problems themselves skip the record by its logger's name
    (`PROBLEMS`, in the README).
    """
    if not problems:
        return
    errors = sum(p.severity == "error" for p in problems)
    logging.getLogger(PROBLEMS).log(
        logging.ERROR if errors else logging.WARNING,
        "%s",
        "\n".join(
            str(p) for p in sorted(problems, key=lambda p: (p.path, p.line or 0))
        ),
    )


#: The logger of the record that holds the content's problems.
PROBLEMS = "pelican.plugins.fortsetzung.problems"
