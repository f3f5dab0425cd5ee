"""The command line answers in German, and every hint names `python3 dev.py`.

The tasks run as an editor runs them, through the program dev.py starts
(sitetools/cli.py: invoke's, with its texts and the parser's errors in
German), in a process of their own.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_task

import tasks
from sitetools import cli, runner
from sitetools import preview as previewing

#: The tasks, as they are typed.
TASKS = [
    task.name.replace("_", "-")
    for task in vars(tasks).values()
    if type(task).__name__ == "Task"
]
ENGLISH = ("No idea", "did not receive", "Flag ", "Usage", "Available", "Traceback")


def said(result):
    """All a command printed; asserted free of invoke's English and tracebacks."""
    text = result.stdout + result.stderr
    for english in ENGLISH:
        assert english not in text, text
    return text


def test_dev_py_runs_the_german_program():
    result = subprocess.run(
        [sys.executable, str(ROOT / "dev.py"), "annouce"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 1
    assert said(result).strip() == (
        "Unbekannter Befehl „annouce“. Meinten Sie „announce“? "
        "Alle Befehle: python3 dev.py --list"
    )


def test_the_list_of_tasks_is_german():
    result = run_task("--list")
    assert result.returncode == 0
    text = said(result)
    assert text.startswith("Alle Befehle (python3 dev.py BEFEHL --help zeigt")
    assert "build Die Seite für die Vorschau bauen" in " ".join(text.split())
    for task in vars(tasks).values():
        if type(task).__name__ == "Task":
            first = task.__doc__.splitlines()[0]
            assert " ".join(first.split()[:3]) in " ".join(text.split()), task.name


def test_a_task_without_its_argument_names_what_is_missing():
    result = run_task("poster")
    assert result.returncode == 1
    assert said(result).splitlines() == [
        "Bei „poster“ fehlt eine Angabe:",
        "  SERIE: die Serie, nach Titel oder Slug (beliebig geschrieben); --all: "
        "alle veröffentlichten Serien",
        "Aufruf: python3 dev.py poster [--optionen] SERIE",
    ]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["build", "--contnet", "x"], "„build“ kennt keine Option „--contnet“. "
         "Meinten Sie „--content“? Alle Optionen: python3 dev.py build --help"),
        (["build", "--content"], "Hinter --content fehlt der Wert. Was dort stehen "
         "kann, zeigt python3 dev.py build --help."),
        (["serve", "--port", "acht"], "„acht“ ist keine ganze Zahl"),
        (["--lsit"], "Unbekannte Option „--lsit“. Meinten Sie „--list“?"),
        (["--help", "bild"], "Unbekannter Befehl „bild“. Meinten Sie „build“?"),
    ],
)  # fmt: skip
def test_a_mistyped_command_line_is_explained_in_german(args, says):
    result = run_task(*args)
    assert result.returncode == 1
    assert says in said(result)


def test_help_is_german():
    general = said(run_task("--help"))
    assert general.startswith("Aufruf: python3 dev.py BEFEHL [--optionen]")
    assert "alle Befehle zeigen" in general
    one = said(run_task("build", "--help"))
    assert one.startswith("Aufruf: python3 dev.py build [--optionen]\n")
    assert "-c TEXT, --content=TEXT" in one
    assert "der Inhaltsordner (Vorgabe: content/)" in one


@pytest.mark.parametrize(
    ("task", "says"),
    [
        ("build", "Den Inhaltsordner gibtsnicht/ gibt es nicht (--content).\n"
         "Nicht gebaut"),
        ("check", "Nicht geprüft: Den Inhaltsordner gibtsnicht/ gibt es nicht"),
        ("poster", "Keine Plakate: Den Inhaltsordner gibtsnicht/ gibt es nicht"),
    ],
)  # fmt: skip
def test_a_content_folder_that_does_not_exist_is_said_plainly(tmp_path, task, says):
    extra = ["--all"] if task == "poster" else []
    result = run_task(task, *extra, "--content", "gibtsnicht", cwd=tmp_path)
    assert result.returncode == 1
    text = said(result)
    assert says in text
    for wrong in ("Alles in Ordnung", "ValueError", "Theme", "Plugin"):
        assert wrong not in text


def user_strings(path):
    """The string literals of a module but its docstrings: what it may say."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize(
    "path",
    [ROOT / "tasks.py", *sorted((ROOT / "sitetools").glob("*.py"))],
    ids=lambda path: path.name,
)
def test_every_hint_names_python3_dev_py(path):
    commands = [f"invoke {name}" for name in [*TASKS, "--", "-l"]]
    hints = [text for text in user_strings(path) if any(c in text for c in commands)]
    assert hints == [], f"{Path(path).name}: say `python3 dev.py …`"


def test_every_core_option_is_explained_in_german():
    arguments = [*cli.program.core_args(), *cli.program.task_args()]
    assert {argument.name for argument in arguments} == set(cli.CORE_HELP)


def test_the_preview_does_not_start_without_its_content_folder(tmp_path):
    with pytest.raises(runner.BuildError) as refused:
        previewing.Preview(ROOT / "pelicanconf.py", tmp_path / "nicht", tmp_path / "w")
    assert (
        str(refused.value)
        == f"Den Inhaltsordner {tmp_path}/nicht/ gibt es nicht (--content)."
    )
