"""Run Pelican for the site's commands and report the way `check` does.

`check`, `build`, `preview`, `livereload` and `publish` all build through
this module, so they all speak alike:

- Pelican's log is captured, not printed as it comes: no English traceback,
  no line wrapped at 80 columns in the middle of a file name; every problem
  in the content is reported at once, German, with file, line, field and fix
  (`as_text`), followed by whatever else Pelican said;
- a build that breaks off (a mistake in the theme, a full disk) is reported
  in one German sentence (the traceback only with FORTSETZUNG_DEBUG=1);
- `build` builds into a fresh folder next to the output folder and puts it
  in place only when it succeeded: nothing already built is lost or half
  overwritten. One build at a time holds a lock next to the output folder;
  what an interrupted build left behind is cleaned up by the next. When the
  output folder is a symbolic link (to a web server's folder), the folder it
  points to is replaced, and the link stays. It replaces only a folder that
  folders.py allows (a previous build, or an empty or new folder; never the
  content, the project, the home folder): anything else is refused before
  anything is touched;
- a built site larger than FORTSETZUNG_MAX_SITE_SIZE (GitHub Pages' 1 GB)
  is an error naming its largest files and texts, and is never put in
  place (`check_site_size`; `check` reports it too).
"""

import contextlib
import hashlib
import heapq
import io
import json
import logging
import mmap
import os
import secrets
import shutil
import tempfile
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from filelock import FileLock, Timeout
from pelican import Pelican
from pelican.plugins import signals
from pelican.plugins.fortsetzung import api
from pelican.settings import read_settings

from sitetools import deferred_writing, folders, parallel, pelican_speedups, search

#: Beginnings of Pelican's messages about things the checks report better
#: (with line and fix).
COVERED = (
    "Unable to find '%s', skipping url replacement.",
    "Empty alt attribute for image %s in %s",
    "Could not process %s",
    "Skipping %s: could not find information about '%s'",
    "Skipping %s: file %r would be written outside output path",
    "Unknown status '%s' for file %s, skipping it. (Not in %s)",
    "There are %s items",  # one slug for several files: see "Adresse"
    "There are %s original (not translated) items",
    "Cannot get modification stamp for %s",  # a {static} file that is missing
    "Unable to generate valid slug for %s",  # see "Slug" and "Title"
    # the file stays where {static} puts it, and the link leads there
    "The {attach} link in %s cannot relocate ",
    "Duplicate definition of `%s` for %s. Using first one.",  # a field twice
)
DEBUG = "FORTSETZUNG_DEBUG"


class StopBuild(Exception):
    """Raised before anything is written, when the content has errors."""


@dataclass
class Result:
    """What one run of Pelican found and whether it finished."""

    problems: list = field(default_factory=list)  # in the content, from the checks
    messages: list = field(default_factory=list)  # Pelican's other warnings/errors
    records: list = field(default_factory=list)  # every log record (for tests)
    context: dict | None = None
    writer: deferred_writing.Recorder | None = None  # its jobs: the pages and feeds
    processes: int = 0  # how many rendered the pages and feeds
    error: BaseException | None = None  # what broke the build off, if anything

    @property
    def found(self):
        return self.problems + self.messages

    @property
    def ok(self):
        return self.error is None and not has_errors(self.found)


#: Fewer Markdown files than this per process are not worth one.
MIN_FILES_PER_WORKER = 100
#: Seconds the reader waits for a file a helper is converting, at most.
HELPER_PATIENCE = 5
#: Fewer items than this per process are not worth one (the plugin's
#: checks of the contents, its share images: FORTSETZUNG_MAP).
MIN_ITEMS_PER_WORKER = 50


def prepare_markdown(pelican, workers=None):
    """Start converting the content's Markdown on the other cores.

    Pelican reads one file after another, and converting Markdown (and
    cleaning the HTML) is most of reading. Helpers, one per other core,
    convert files (from the last one backwards) while Pelican reads; whoever
    starts on a file first claims it, so no file is converted twice: before
    it reads a file (the plugin's setting FORTSETZUNG_BEFORE_READING), the
    reader takes what the helpers sent (api.absorb_cache), waits for a file a
    helper is working on, and converts the others itself. Returns a function
    that stops the helpers (call it when Pelican has read everything).
    """
    settings = pelican.settings
    paths = sorted(
        os.path.join(folder, name)
        for folder, _dirs, names in os.walk(settings["PATH"], followlinks=True)
        for name in names
        if name.lower().endswith(api.MARKDOWN_FILES)
    )
    count = parallel.workers(len(paths) // MIN_FILES_PER_WORKER + 1, workers) - 1
    if count < 1:
        return lambda: None
    number = {path: n for n, path in enumerate(paths)}
    claims = mmap.mmap(-1, len(paths))  # shared: 0 free, 1 Pelican's, 2 a helper's
    done = set()

    def claimed(share):
        for path in share:
            if claims[number[path]] == 0:
                claims[number[path]] = 2
                yield path

    def work(share, send):
        # a file is claimed when the helper is ready for it, not before
        for path in api.convert_ahead(claimed(share), settings):
            send((path, api.export_cache()))

    backwards = paths[::-1]
    helpers = [parallel.Ahead(work, backwards[n::count]) for n in range(count)]

    def take(wait=0):
        for helper in parallel.Ahead.ready(helpers, wait):
            for path, exported in helper.received():
                api.absorb_cache(exported)
                done.add(path)

    def reading(path):
        take()
        n = number.get(path)
        if n is None:
            return
        if claims[n] == 0:
            claims[n] = 1
            return
        deadline = time.monotonic() + HELPER_PATIENCE
        while (
            claims[n] == 2
            and path not in done
            and any(helper.pipe is not None for helper in helpers)  # one is at work
            and time.monotonic() < deadline
        ):
            take(wait=0.05)

    def stop():
        settings["FORTSETZUNG_BEFORE_READING"] = None
        for helper in helpers:
            helper.stop()
        claims.close()

    settings["FORTSETZUNG_BEFORE_READING"] = reading
    return stop


def run_pelican(  # noqa: PLR0913 (keyword options)
    settings, stop_on_errors=False, write=True, workers=None, prepare=True, *,
    check_here=None, model_only=False,
):  # fmt: skip
    """Run Pelican with `settings`; return a `Result`, never raise.

    `settings` is a dict, or a function that reads them (a mistake in a
    settings file is reported like any other), or a `Pelican` to run again
    (the preview). With `stop_on_errors`, a build whose content has errors
    stops before anything is written. The content is checked, and the share
    images drawn, by `workers` processes (the plugin's setting
    FORTSETZUNG_MAP); the pages and feeds are recorded (deferred_writing.record) and
    written at the end, before Pelican's `finalized`, by as many
    (deferred_writing.write_all). Without `write`, nothing is written
    (`result.writer` has the pages). With `check_here` (default: without
    `write`), the checks run in this process, so that what they learn stays
    in its memos for the next build (the preview). With `prepare`, the
    Markdown is converted on all cores first (`prepare_markdown`). With
    `model_only`, Pelican stops at the final model (the plugin's
    `api.read_site`): nothing is rendered. KeyboardInterrupt passes.
    """
    result = Result()
    stop_helpers = lambda: None  # noqa: E731 (replaced when there are helpers)
    if check_here is None:
        check_here = not write

    def grab(generators):
        stop_helpers()  # everything is read
        # Pelican's signals call their receivers in no fixed order: the
        # plugin's check may come after this. Its problems are looked at
        # again before anything is written (`finish`).
        result.context = generators[0].context
        if stop_on_errors and has_errors(result.context.get("content_problems", [])):
            raise StopBuild
        deferred_writing.record(generators, finish)

    def finish(recorder):
        result.writer = recorder
        if stop_on_errors and has_errors(result.context.get("content_problems", [])):
            raise StopBuild
        result.processes = deferred_writing.write_all(recorder, workers, pages=write)

    def share_out(function, items):
        stop_helpers()  # everything is read; their pipes are not this work's
        processes = 1 if check_here else workers
        return parallel.map_all(function, items, processes, MIN_ITEMS_PER_WORKER)

    handler = logging.Handler(level=logging.WARNING)
    handler.emit = result.records.append
    root = logging.getLogger()
    root.addHandler(handler)
    pelican = None
    try:
        if not isinstance(settings, Pelican):
            settings = Pelican(settings() if callable(settings) else settings)
        pelican = settings
        pelican_speedups.quick_templates(pelican.settings)
        if prepare:
            stop_helpers = prepare_markdown(pelican, workers)
        pelican.settings["FORTSETZUNG_MAP"] = share_out
        # Pelican prints a summary; keep stdout for the report (JSON)
        with (
            connected(signals.all_generators_finalized, grab),
            connected(
                signals.article_generator_finalized, pelican_speedups.quick_membership
            ),
            pelican_speedups.remembered_source_paths(),
            pelican_speedups.remembered_static_links(),
            pelican_speedups.quick_date_formats(),
            contextlib.redirect_stdout(io.StringIO()),
        ):
            api.read_site(pelican) if model_only else pelican.run()
    except StopBuild:
        pass
    except Exception as error:  # reported in German, see describe
        result.error = error
    finally:
        stop_helpers()
        if pelican is not None:
            pelican.settings["FORTSETZUNG_MAP"] = None
        root.removeHandler(handler)
    context = result.context or {}
    result.problems = sorted(
        context.get("content_problems", []), key=lambda p: (p.path, p.line or 0)
    )
    result.messages = messages(result.records)
    return result


def messages(records):
    """Return Pelican's warnings and errors but those the checks report better."""
    return [
        api.Problem(
            "Pelican",
            "Meldung",
            record.getMessage(),
            "",
            severity="error" if record.levelno >= logging.ERROR else "warning",
        )
        for record in records
        # the plugin's report of the problems: they are in result.problems
        if record.name != api.PROBLEMS_LOGGER
        and not str(record.msg).startswith(COVERED)
    ]


@contextlib.contextmanager
def connected(signal, receiver):
    """Connect `receiver` to Pelican's `signal` for one build."""
    signal.connect(receiver)
    try:
        yield
    finally:
        signal.disconnect(receiver)


def settings_for(settings_file, content=None, output=None, **overrides):
    """Read `settings_file` with the content and output folders overridden.

    A content folder that is not there is a `BuildError` (said as it is,
    see `describe`), not a failure of Pelican's.
    """
    override = {"CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False, **overrides}
    if content:
        override["PATH"] = str(content_folder(content).resolve())
    if output:
        override["OUTPUT_PATH"] = str(output)
    return read_settings(str(settings_file), override=override)


def content_folder(content):
    """Return the folder `content` as a Path; raise `BuildError` if it is none."""
    folder = Path(content)
    if folder.is_dir():
        return folder
    shown = folder
    if folder.is_absolute() and folder.is_relative_to(Path.cwd()):
        shown = folder.relative_to(Path.cwd())
    if folder.exists():
        raise BuildError(f"{shown} ist kein Ordner, sondern eine Datei (--content).")
    raise BuildError(f"Den Inhaltsordner {shown}/ gibt es nicht (--content).")


def read_site(settings_file, content=None):
    """Run Pelican on the content without writing a page; return its `Result`.

    For tools that need the site's model (series, published entries).
    """
    with tempfile.TemporaryDirectory() as output:
        settings = partial(settings_for, settings_file, content, output)
        return run_pelican(settings, write=False, model_only=True)


def run_checks(settings_file, content=None, **overrides):
    """Build into a throw-away folder; return (problems, Pelican's other messages).

    Raises `BuildError` when there is nothing to check (no content folder).
    """
    with tempfile.TemporaryDirectory() as output:
        result = run_pelican(
            partial(settings_for, settings_file, content, output, **overrides)
        )
        if isinstance(result.error, BuildError):
            raise result.error
        check_site_size(output, result)
    return result.problems, result.messages + _crash(result)


def _crash(result):
    if result.error is None:
        return []
    return [api.Problem("Pelican", "Bau", describe(result.error), "", severity="error")]


#: Values of FORTSETZUNG_DEBUG that mean "off", as people write it.
OFF = {"", "0", "false", "no", "off", "nein", "aus"}


def debugging():
    """Whether FORTSETZUNG_DEBUG asks for the whole message (not 0, off, nein …)."""
    return os.environ.get(DEBUG, "").strip().lower() not in OFF


def describe(error):
    """Say in German that the build broke off, and why (Pelican's words).

    A `BuildError` is said as it is: its message is German and names the cause.
    """
    if isinstance(error, BuildError):
        return str(error)
    if debugging():
        traceback.print_exception(error)
    return (
        f"Der Bau brach ab: {type(error).__name__}: {error}. Das liegt meist am "
        "Theme, an einem Plugin oder an den Einstellungen, nicht am Inhalt "
        f"(die ganze Meldung zeigt {DEBUG}=1)."
    )


# -- building into the output folder ---------------------------------------------


def build(  # noqa: PLR0913  (keyword options)
    settings_file, content, output, *, keep_going=False, finish=None, index=False,
    **overrides,
):  # fmt: skip
    """Build into a fresh folder; make it `output` if all went well.

    With `keep_going` (what the live preview shows), a site with errors in
    its content is put in place too (its pages list the problems); a build
    that broke off never is. With `index`, the site's search index is
    written (search.py; where SEARCH_URL is set). `finish(folder, result)`
    may add to the new site before it is put in place (publish stamps it).
    Returns the `Result`.
    """
    target = judged_output(settings_file, content, output)
    with output_lock(target):
        clean_leftovers(target)
        fresh = Path(tempfile.mkdtemp(prefix=f"{target.name}.new-", dir=target.parent))
        try:
            # mkdtemp makes the folder private (0700); the site must stay
            # readable for a web server after `rsync -a` copies permissions.
            fresh.chmod(0o777 & ~current_umask())
            folders.mark(fresh)  # Pelican must not delete it: the folder is new
            settings = partial(
                settings_for, settings_file, content, fresh, **overrides,
                DELETE_OUTPUT_DIRECTORY=False,
            )  # fmt: skip
            result = run_pelican(settings, stop_on_errors=not keep_going)
            if index and result.error is None and result.context.get("SEARCH_URL"):
                _index(fresh, result)
            fits = check_site_size(fresh, result)
            if result.error is None and fits and (keep_going or result.ok):
                if finish:
                    finish(fresh, result)
                swap_in(fresh, target)
        finally:
            shutil.rmtree(fresh, ignore_errors=True)  # gone already if swapped in
    return result


#: The contributors a site that is too large names, of each kind.
LARGEST = 5


def check_site_size(folder, result):
    """Whether the site in `folder` is within FORTSETZUNG_MAX_SITE_SIZE.

    If not, an error naming the largest files and texts is added to
    `result`. (A limit per file is not enough: every feed carries the
    entries' text again, GitHub Pages publishes at most 1 GB.)
    """
    context = result.context or {}
    limit = context.get("FORTSETZUNG_MAX_SITE_SIZE")
    if result.error is not None or limit is None:
        return True
    files = []
    for place, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(place, name)
            files.append((os.lstat(path).st_size, os.path.relpath(path, folder)))
    total = sum(size for size, _path in files)
    if total <= limit:
        return True
    texts = {
        (len(content.content.encode()), api.shown(content.source_path))
        for key in (*api.PUBLISHED_LISTS, "drafts", "draft_pages")
        for content in context.get(key, [])
    }
    said = [
        f"Die gebaute Seite ist {api.size(total)} groß; erlaubt sind "
        f"{api.size(limit)} (FORTSETZUNG_MAX_SITE_SIZE; GitHub Pages "
        "veröffentlicht höchstens 1 GB).",
        "Am größten: "
        + ", ".join(f"{p} ({api.size(s)})" for s, p in heapq.nlargest(LARGEST, files))
        + ".",
    ]
    longest = [(s, p) for s, p in heapq.nlargest(LARGEST, texts) if s >= limit / 1000]
    if longest:
        said.append(
            "Die längsten Texte (jeder steht auch in den Feeds): "
            + ", ".join(f"{p} ({api.size(s)} HTML)" for s, p in longest)
            + "."
        )
    result.problems.append(
        api.Problem(
            api.shown(context["PATH"]),
            "Größe",
            " ".join(said),
            "Große Bilder und Videos verkleinern oder anderswo veröffentlichen und "
            "verlinken; sehr lange Texte kürzen oder auf mehrere Beiträge verteilen.",
        )
    )
    return False


def _index(folder, result):
    """Write the search index of the site in `folder`; its failure is the build's."""
    try:
        search.index_folder(folder)
    except Exception as error:  # reported in German, see describe
        result.error = error


def real_output(output):
    """Return the folder to replace: `output`, or the folder it links to."""
    return Path(os.path.realpath(output))


def judged_output(settings_file, content, output):
    """Return the real folder `output` if a build may replace it (folders.judge).

    Raises `BuildError` otherwise, before anything is touched.
    """
    if content is None:
        content = settings_for(settings_file)["PATH"]
    try:
        return folders.judge(output, content, Path(settings_file).parent)
    except folders.Refused as refused:
        raise BuildError(str(refused)) from None


@contextlib.contextmanager
def output_lock(target):
    """Let one build at a time write next to `target`; say who holds it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(target.with_name(f".{target.name}.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise BuildError(
            f"Gerade baut schon ein anderer Befehl nach {target.name}/ (zum Beispiel "
            "`livereload` oder ein zweites `publish`). Warten Sie, bis er fertig ist, "
            "und versuchen Sie es dann noch einmal."
        ) from None
    try:
        yield
    finally:
        lock.release()


def clean_leftovers(target):
    """Remove what an interrupted build left next to `target`.

    If `target` itself is gone (a build stopped between the two renames of
    `swap_in`), the old site is put back first.
    """
    olds = sorted(_leftovers(target, "old"), key=os.path.getmtime)
    if olds and not (target.exists() or target.is_symlink()):
        olds.pop().rename(target)
    for leftover in [*olds, *_leftovers(target, "new")]:
        shutil.rmtree(leftover, ignore_errors=True)


def _leftovers(target, kind):
    """Folders a build left next to `target`: only its own (never a look-alike)."""
    found = target.parent.glob(f"{target.name}.{kind}-*")
    return [p for p in found if not p.is_symlink() and folders.disposable(p)]


class BuildError(Exception):
    """Building into the output folder failed; the message is German."""

    #: Whether the output folder is as it was before.
    output_unchanged = True


class OutputMoved(BuildError):
    """The old output could not be put back; the message says where it is."""

    output_unchanged = False


def swap_in(fresh, output):
    """Rename `output` away, `fresh` into its place, then delete the old one.

    If the second rename fails, the old output is put back.
    """
    old = fresh.with_name(fresh.name.replace(".new-", ".old-", 1))
    had_old = output.exists() or output.is_symlink()
    if had_old:
        try:
            output.rename(old)
        except OSError as error:
            raise BuildError(
                f"{output.name}/ ließ sich nicht beiseitelegen ({error})."
            ) from error
    try:
        fresh.rename(output)
    except BaseException as error:  # Ctrl+C as well
        if had_old:
            try:
                old.rename(output)
            except OSError:
                raise OutputMoved(
                    f"Die neue Seite ließ sich nicht nach {output.name}/ bringen "
                    f"({error}), und das bisherige {output.name}/ nicht zurück: "
                    f"es liegt jetzt in {old}."
                ) from error
        if not isinstance(error, OSError):
            raise
        raise BuildError(
            f"Die neue Seite ließ sich nicht nach {output.name}/ bringen ({error})."
        ) from error
    if had_old:
        shutil.rmtree(old, ignore_errors=True)


def current_umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# -- reports -------------------------------------------------------------------------


def has_errors(problems):
    return any(p.severity == "error" for p in problems)


def as_json(problems):
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=1)


def as_github(problems):
    """Return GitHub Actions annotations, then the report for people (`as_text`).

    One workflow command a problem (`::error file=…,line=…,title=…::…`):
    GitHub shows it on the file and line of the change in a pull request and
    the log shows the report. Values are escaped as GitHub's toolkit does
    (issueCommand), so that a message can neither end the command nor start
    another; the report, which quotes the content, is printed between
    `::stop-commands::` and its random token, so that no line of it is
    taken for a command.
    """
    lines = []
    for problem in problems:
        properties = {
            "file": problem.path,
            "line": problem.line,
            "title": problem.field,
        }
        said = ",".join(
            f"{name}={_escaped(str(value), _GITHUB_PROPERTY)}"
            for name, value in properties.items()
            if value
        )
        message = _escaped(_with_fix(problem, "\n"), _GITHUB_DATA)
        lines.append(f"::{problem.severity} {said}::{message}")
    token = secrets.token_hex(16)
    return "\n".join([
        *lines, f"::stop-commands::{token}", as_text(problems), f"::{token}::"
    ])  # fmt: skip


#: What GitHub's toolkit escapes in a command's message, and in its properties.
_GITHUB_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_GITHUB_PROPERTY = {**_GITHUB_DATA, ":": "%3A", ",": "%2C"}


def _escaped(text, table):
    return "".join(table.get(character, character) for character in text)


def _with_fix(problem, between):
    return (
        f"{problem.message}{between}→ {problem.fix}" if problem.fix else problem.message
    )


#: GitLab's Code Quality severities of our errors (they block publishing) and warnings.
_GITLAB_SEVERITY = {"error": "blocker", "warning": "minor"}


def as_gitlab(problems):
    """Return a GitLab Code Quality report (JSON): the merge request shows it.

    GitLab compares the problems of a merge request with its target's by
    their fingerprints, so a fingerprint depends on what the problem is
    (file, field, message), not on the line it moved to, and is the same in
    every run; the same problem twice in one file is counted.
    """
    seen = defaultdict(int)
    issues = []
    for problem in problems:
        what = (problem.path, problem.field, problem.message)
        seen[what] += 1
        identity = "\0".join([*what, str(seen[what])])
        issues.append({
            "description": _with_fix(problem, " "),
            "check_name": problem.field,
            "fingerprint": hashlib.sha256(identity.encode("utf-8")).hexdigest(),
            "severity": _GITLAB_SEVERITY[problem.severity],
            "location": {"path": problem.path, "lines": {"begin": problem.line or 1}},
        })  # fmt: skip
    return json.dumps(issues, ensure_ascii=False, indent=1)


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


#: The formats of `check --format`, each a function of the problems.
FORMATS = {"text": as_text, "json": as_json, "github": as_github, "gitlab": as_gitlab}


def report(result, output):
    """Return what a build says: its problems, then what became of `output`."""
    name = f"{Path(output).name}/"
    # a build that broke off has not checked everything: no "Alles in Ordnung"
    lines = [as_text(result.found)] if result.found or result.error is None else []
    if result.error is not None:
        lines.append(describe(result.error))
        lines.append(f"Nicht gebaut: {name} ist unverändert.")
    elif result.ok:
        lines.append(f"Gebaut: {name} enthält die neue Seite.")
    else:
        lines.append(
            f"Nicht gebaut: Der Inhalt hat Fehler (siehe oben); {name} ist unverändert."
        )
    return "\n".join(lines)
