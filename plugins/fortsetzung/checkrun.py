"""`invoke check`: build into a throw-away folder and report every problem.

The checks themselves run in every build (see checks.py); this module runs a
build that writes nothing that matters, gathers the problems and whatever
else Pelican complained about, and presents them for a person or a tool.
"""

import contextlib
import io
import json
import logging
import tempfile
from collections import defaultdict

from pelican import Pelican
from pelican.plugins import signals
from pelican.settings import read_settings
from pelican.writers import FileOverwriteFailedError

from .model import Problem

OURS = "fortsetzung"
#: Beginnings of Pelican's messages about things the checks report better
#: (with line and fix).
COVERED = (
    "Unable to find '%s', skipping url replacement.",
    "Empty alt attribute for image %s in %s",
    "Could not process %s",
    "Skipping %s: could not find information about '%s'",
    "There are %s items",  # one slug for several files: see "Adresse"
    "There are %s original (not translated) items",
    "Cannot get modification stamp for %s",  # a {static} file that is missing
)


def run_checks(settings_file, content=None):
    """Build with `settings_file`; return (problems, Pelican's other messages)."""
    captured = {}
    messages = []

    def grab(generators):
        captured["context"] = generators[0].context

    handler = logging.Handler(level=logging.WARNING)
    handler.emit = lambda record: (
        None
        if record.name.startswith(OURS) or str(record.msg).startswith(COVERED)
        else messages.append(record)
    )
    with tempfile.TemporaryDirectory() as output:
        override = {"OUTPUT_PATH": output, "CACHE_CONTENT": False}
        if content:
            override["PATH"] = str(content)
        settings = read_settings(str(settings_file), override=override)
        root = logging.getLogger()
        root.addHandler(handler)
        signals.all_generators_finalized.connect(grab)
        try:
            # Pelican prints a summary; keep stdout for the report (JSON)
            with contextlib.redirect_stdout(io.StringIO()):
                Pelican(settings).run()
        except FileOverwriteFailedError:
            pass  # two files with one address, reported as "Adresse"
        except Exception as error:
            messages.append(
                logging.makeLogRecord(
                    {"levelno": logging.ERROR, "msg": f"Der Bau brach ab: {error}"}
                )
            )
        finally:
            signals.all_generators_finalized.disconnect(grab)
            root.removeHandler(handler)
    problems = captured.get("context", {}).get("content_problems", [])
    others = [
        Problem(
            "Pelican",
            "Meldung",
            record.getMessage(),
            "",
            severity="error" if record.levelno >= logging.ERROR else "warning",
        )
        for record in messages
    ]
    return sorted(problems, key=lambda p: (p.path, p.line or 0)), others


def has_errors(problems):
    return any(p.severity == "error" for p in problems)


def as_json(problems):
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=1)


def as_text(problems):
    """Return the report for authors: by file, each with line, field and fix."""
    if not problems:
        return "Alles in Ordnung: keine Fehler und keine Warnungen."
    by_file = defaultdict(list)
    for problem in problems:
        by_file[problem.path].append(problem)
    lines = []
    for path, found in by_file.items():
        lines.append(path)
        for problem in found:
            kind = "Fehler" if problem.severity == "error" else "Warnung"
            where = f"Zeile {problem.line}, " if problem.line else ""
            lines.append(f"  {kind} ({where}{problem.field}): {problem.message}")
            if problem.fix:
                lines.append(f"    → {problem.fix}")
        lines.append("")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    lines.append(
        f"{errors} Fehler, {warnings} Warnung{'en' if warnings != 1 else ''} "
        f"in {len(by_file)} Datei{'en' if len(by_file) != 1 else ''}."
    )
    if errors:
        lines.append("Fehler verhindern das Veröffentlichen; Warnungen nicht.")
    return "\n".join(lines)
