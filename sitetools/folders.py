"""Which folders a build may replace and `clean` may delete.

A build writes the site into a fresh folder and then replaces the output
folder with it (runner.build); `clean` deletes the output folder; the live
preview writes into a work folder. Whatever `--output` names is therefore
lost, so it is judged before anything is touched (`judge`), by its real
path (symbolic links and `..` resolved):

- never the content folder, the project (the folder of the settings file),
  the home folder or the root of the file system, nor a folder that holds
  one of them, nor a folder inside the content folder;
- an existing folder only if it is empty or a previous build of a site
  like this one: every build puts a marker file (`MARKER`) into its folder
  from the start. A dot-file, so that no content can claim that address.
  Sites that `publish` built before there was a marker have its stamp
  (`PUBLISH_STAMP`), which counts as well; any other folder with files in
  it is refused with a German message that says what to do.

Nothing is deleted or moved when a folder is refused.
"""

import os
import shlex
from pathlib import Path

#: Written into every folder a build makes; tells the next build it may replace it.
MARKER = ".fortsetzung-build"
MARKER_TEXT = (
    "Dieser Ordner ist eine gebaute Seite von Fortsetzung. Der nächste Bau "
    "ersetzt ihn ganz: Legen Sie hier nichts ab, was bleiben soll.\n"
)
#: The stamp `publish` writes into every site it builds (publish.py).
PUBLISH_STAMP = ".fortsetzung-publish.json"
#: Why a folder is judged at all.
REPLACED = (
    "Ein Bau ersetzt seinen Ausgabeordner ganz (und `clean` löscht ihn), mit "
    "allem, was darin liegt."
)
#: What to do instead, said after every refusal.
ANOTHER = (
    "Geben Sie mit --output einen eigenen Ordner nur für die gebaute Seite an "
    "(zum Beispiel output im Projektordner)."
)


class Refused(Exception):
    """A folder a build must not replace; the message (German) names it."""


def judge(folder, content, project):
    """Return the real path of `folder` if a build may replace it; else raise `Refused`.

    `content` is the content folder, `project` the folder of the settings
    file. Nothing is changed on disk.
    """
    real = Path(os.path.realpath(folder))
    named = _named(folder, real)
    content = Path(os.path.realpath(content))
    untouchable = (  # (the folder, what it is, … in the accusative)
        (Path(real.anchor), *["das oberste Verzeichnis des Rechners"] * 2),
        (Path(os.path.realpath(Path.home())), "Ihr persönlicher Ordner",
         "Ihren persönlichen Ordner"),
        (Path(os.path.realpath(project)), "der Projektordner", "den Projektordner"),
        (content, "der Inhaltsordner", "den Inhaltsordner"),
    )  # fmt: skip
    for protected, it_is, holding in untouchable:
        if _same(real, protected):
            raise Refused(
                f"{named} ist {it_is}. {REPLACED} Nichts wurde verändert. {ANOTHER}"
            )
        if _within(protected, real):
            raise Refused(
                f"{named} enthält {holding} ({_shown(protected)}). {REPLACED} "
                f"Nichts wurde verändert. {ANOTHER}"
            )
    if _within(real, content):
        raise Refused(
            f"{named} liegt im Inhaltsordner: Dort gehört nur, was veröffentlicht "
            "werden soll, und der nächste Bau läse die gebaute Seite als Inhalt. "
            f"Nichts wurde verändert. {ANOTHER}"
        )
    if os.path.lexists(real) and not real.is_dir():
        raise Refused(
            f"{named} ist eine Datei, kein Ordner. Nichts wurde verändert. {ANOTHER}"
        )
    if real.is_dir() and not disposable(real):
        raise Refused(
            f"{named} enthält Dateien, die nicht aus einem Bau dieser Seite stammen "
            f"(es fehlt die Datei {MARKER}, die jeder Bau hineinlegt). {REPLACED} "
            f"Nichts wurde verändert. {ANOTHER} Ist "
            f"{named} eine gebaute Seite aus einer älteren Version von Fortsetzung, "
            f"löschen Sie den Ordner einmal selbst (zum Beispiel mit rm -r "
            f"{shlex.quote(_shown(real))}); danach erkennt jeder Bau seinen Ordner "
            "wieder."
        )
    return real


def _same(one, other):
    """Whether two paths are one folder (also where names ignore case: macOS)."""
    try:
        return os.path.samefile(one, other)
    except OSError:  # one of them does not exist
        return one == other


def _within(inner, outer):
    """Whether `inner` is `outer` or lies below it."""
    return any(_same(folder, outer) for folder in (inner, *inner.parents))


def disposable(folder):
    """Whether `folder` is a previous build (see `MARKER`) or an empty folder."""
    folder = Path(folder)
    try:
        with os.scandir(folder) as entries:
            names = {entry.name for entry in entries}
    except OSError:
        return False
    return not names or MARKER in names or PUBLISH_STAMP in names


def mark(folder):
    """Mark `folder` (made if missing) as a build that the next may replace."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(MARKER_TEXT, "utf-8")


def _named(folder, real):
    """Return the folder as the editor wrote it, and where it leads if elsewhere."""
    written = Path(os.path.abspath(folder))
    if written == real:
        return f"„{_shown(written)}“"
    return f"„{_shown(written)}“ (führt zu „{_shown(real)}“)"


def _shown(path):
    """Return `path` relative to the working folder if it lies inside, else whole."""
    here = Path(os.path.abspath(os.curdir))
    path = Path(os.path.abspath(path))
    if path == here:
        return "."
    return path.relative_to(here).as_posix() if path.is_relative_to(here) else str(path)
