"""Author mistakes are errors that name the file and the fix, never tracebacks."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT, run_task
from invoke import Exit

import tasks
from sitetools import folders


@pytest.fixture
def diary(site):
    site.series("azubitagebuch", "AzubiTagebuch")
    site.series("fsj", "FSJ")
    return site


def only_error(build):
    assert len(build.errors) == 1, build.errors
    return build.errors[0]


def test_unknown_series_suggests_the_closest_name(diary):
    diary.entry("a/tippfehler.md", "Teil 1", "2024-01-01", Series="Azubitagebuhc")

    build = diary.build()
    error = only_error(build)

    assert "a/tippfehler.md" in error
    assert "Series" in error
    assert "„Azubitagebuhc“ gibt es nicht" in error
    assert "Meinten Sie „AzubiTagebuch“?" in error
    assert "content/series/" in error  # how to start a new series instead
    # never silently a new series
    known = [*build.context["series_list"], *build.context["draft_series"]]
    assert sorted(s.slug for s in known) == ["azubitagebuch", "fsj"]


def test_unknown_series_without_a_close_match_lists_all_series(diary):
    diary.entry("a/x.md", "Teil 1", "2024-01-01", Series="Kochrezepte")

    error = only_error(diary.build())

    assert "Meinten Sie" not in error
    assert "AzubiTagebuch, FSJ" in error


def test_duplicate_index_names_both_files(diary):
    diary.entry(
        "a/eins.md", "Eins", "2024-01-01", Series="AzubiTagebuch", Series_index=2
    )
    diary.entry(
        "a/zwei.md", "Zwei", "2024-02-01", Series="AzubiTagebuch", Series_index=2
    )

    build = diary.build()
    error = only_error(build)

    assert "a/eins.md" in error
    assert "a/zwei.md" in error
    assert "Teil 2" in error
    assert "Series_index" in error
    # both parts are still published, in a deterministic order
    assert [a.title for a in build.series("azubitagebuch").articles] == ["Eins", "Zwei"]


def test_a_draft_s_series_mistakes_are_warnings(diary):
    diary.entry(
        "a/eins.md", "Eins", "2024-01-01", Series="AzubiTagebuch", Series_index=1
    )
    diary.entry(
        "a/entwurf.md",
        "Entwurf",
        "2024-02-01",
        Series="AzubiTagebuch",
        Series_index=1,
        Status="draft",
    )
    diary.entry(
        "a/tipp.md", "Tipp", "2024-02-02", Series="Azubitagebuhc", Status="draft"
    )

    build = diary.build()

    assert build.errors == []
    assert len(build.warnings) == 2
    assert any("a/entwurf.md" in w and "mehrmals" in w for w in build.warnings)
    assert any("a/tipp.md" in w and "Meinten Sie" in w for w in build.warnings)


@pytest.mark.parametrize("value", ["drei", "2.5", "0", "-1", ""])
def test_index_that_is_no_positive_integer(diary, value):
    diary.entry(
        "a/x.md", "Teil", "2024-01-01", Series="AzubiTagebuch", Series_index=value
    )

    build = diary.build()
    error = only_error(build)

    assert "a/x.md" in error
    assert "Series_index" in error
    assert "ganze Zahl ab 1" in error
    # the part is still shown, ordered by its date
    assert build.series("azubitagebuch").count == 1


def test_series_file_without_title(diary):
    diary.series("ohne-titel", None, Status="ongoing")
    diary.entry("o/1.md", "Teil 1", "2024-01-01", Series="ohne-titel")

    build = diary.build()
    error = only_error(build)

    assert "series/ohne-titel.md" in error
    assert "Title" in error
    assert "Title: Name der Serie" in error


def test_unknown_series_status(diary):
    diary.series("neu", "Neu", Status="laufend")
    diary.entry("n/1.md", "Teil 1", "2024-01-01", Series="Neu")

    error = only_error(diary.build())

    assert "series/neu.md" in error
    assert "„laufend“" in error
    assert "Status: ongoing" in error


def test_two_series_with_the_same_title(diary):
    diary.series("azubi-2", "AzubiTagebuch")
    diary.entry("a/1.md", "Teil 1", "2024-01-01", Series="azubi-2")
    diary.entry("a/2.md", "Teil 2", "2024-01-02", Series="azubitagebuch")

    error = only_error(diary.build())

    assert "series/azubi-2.md" in error


def test_an_unpublished_series_mistakes_are_warnings(diary):
    # one colleague's new series must not block everyone's publishing
    diary.series("ohne-titel", None, Status="laufend")
    diary.series("azubi-2", "AzubiTagebuch")

    build = diary.build()

    assert build.errors == []
    assert len(build.warnings) == 3
    assert all("series/" in w for w in build.warnings)


def test_all_mistakes_are_reported_in_one_build(diary):
    diary.entry("a/1.md", "Eins", "2024-01-01", Series="Azubitagebuhc")
    diary.entry("a/2.md", "Zwei", "2024-01-02", Series="FSJ", Series_index="zwei")
    diary.series("leer", None)
    diary.entry("a/3.md", "Drei", "2024-01-03", Series="leer")

    assert len(diary.build().errors) == 3


def pelican_cli(site, *extra):
    return subprocess.run(
        [
            sys.executable, "-m", "pelican", str(site.content),
            "-s", str(ROOT / "pelicanconf.py"), "-o", str(site.root / "out"),
            *extra,
        ],
        capture_output=True, text=True, cwd=site.root, check=False,
        env={**os.environ, "COLUMNS": "500"},  # no wrapped log lines
    )  # fmt: skip


def test_plain_pelican_with_fatal_errors_shows_every_mistake_then_stops(diary):
    """Pelican's own way: --fatal errors stops at the first error record.

    The plugin reports every problem in one record, so all are shown; the
    build stops before anything is written (Pelican prints its traceback;
    this project's commands print none, see test_every_command_...).
    """
    diary.entry("a/1.md", "Eins", "2024-01-01", Series="Azubitagebuhc")
    diary.entry("a/2.md", "Zwei", "2024-01-02", Series="FSJ", Series_index="zwei")

    result = pelican_cli(diary, "--fatal", "errors")
    output = result.stdout + result.stderr

    assert result.returncode == 1
    assert "Meinten Sie" in output
    assert "ganze Zahl ab 1" in output
    assert not (diary.root / "out" / "index.html").exists()


def test_clean_content_builds_with_fatal_errors(diary):
    diary.entry("a/1.md", "Eins", "2024-01-01", Series="AzubiTagebuch")

    result = pelican_cli(diary, "--fatal", "errors")

    assert result.returncode == 0, result.stdout + result.stderr


LONG_NAME = "fsj/2024-06-03-katalogisieren-mit-einem-dateinamen-der-nicht-umbricht.md"


@pytest.mark.parametrize(
    "command",
    [
        ("check",),
        ("build", "--output", "output"),
        ("rebuild", "--output", "output"),
        ("preview", "--output", "output"),
    ],
    ids=lambda c: c[0],
)
def test_every_command_reports_every_mistake_like_check(diary, command):
    diary.entry("a/1.md", "Eins", "2024-01-01", Series="FSJ")
    diary.write(LONG_NAME, {"Date": "2024-06-03", "Author": "A", "Summary": "S."})
    diary.entry("a/datum.md", "Datum", "2025-13-45", Series="FSJ")
    folders.mark(diary.root / "output")  # a site built before
    (diary.root / "output" / "alt.html").write_text("alt", "utf-8")

    result = run_task(
        *command, "--content", str(diary.content), cwd=diary.root, COLUMNS=None
    )
    said = result.stdout + result.stderr

    assert result.returncode == 1
    assert "Traceback" not in said
    assert "ERROR" not in said
    # whole lines: a file name is never broken, whatever the width
    lines = said.splitlines()
    assert f"content/{LONG_NAME}" in lines
    assert "  Fehler (Zeile 1, Title): Das Feld Title fehlt." in lines
    assert "content/a/datum.md" in lines
    assert "  Fehler (Zeile 2, Date): „2025-13-45“ ist kein Datum." in lines
    assert "2 Fehler, 0 Warnungen in 2 Dateien." in lines
    if command[0] != "check":
        assert lines[-1] == (
            "Nicht gebaut: Der Inhalt hat Fehler (siehe oben); output/ ist unverändert."
        )
        assert sorted(p.name for p in (diary.root / "output").iterdir()) == [
            folders.MARKER,
            "alt.html",
        ]


@pytest.mark.parametrize("debug", [None, "0", "false", "off", "Nein", " "])
def test_a_build_that_breaks_off_says_so_in_one_sentence(
    diary, tmp_path, capsys, monkeypatch, debug
):
    if debug is not None:  # a value that says "off" is off
        monkeypatch.setenv("FORTSETZUNG_DEBUG", debug)
    diary.entry("a/1.md", "Eins", "2024-01-01", Series="FSJ")
    settings = tmp_path / "kaputt.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"THEME = {str(tmp_path / 'kein-theme')!r}\n",
        "utf-8",
    )

    with pytest.raises(Exit) as failed:  # nothing else escapes
        tasks.build_or_fail(settings, diary.content, diary.root / "output")

    said = capsys.readouterr()
    assert failed.value.code == 1
    assert "Traceback" not in said.out + said.err
    assert "Der Bau brach ab: " in said.out
    assert said.out.rstrip().endswith("Nicht gebaut: output/ ist unverändert.")
    assert not (diary.root / "output").exists()


@pytest.mark.parametrize("debug", ["1", "true", "ja"])
def test_fortsetzung_debug_shows_the_whole_message(
    diary, tmp_path, capsys, monkeypatch, debug
):
    monkeypatch.setenv("FORTSETZUNG_DEBUG", debug)
    settings = tmp_path / "kaputt.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"THEME = {str(tmp_path / 'kein-theme')!r}\n",
        "utf-8",
    )

    with pytest.raises(Exit):
        tasks.build_or_fail(settings, diary.content, diary.root / "output")

    assert "Traceback" in capsys.readouterr().err
