"""A build replaces only its own folder: never content, project, home or a stranger's.

`--output` names the folder a build replaces (and `clean` deletes). Each
test gives a folder that must not be lost and asserts the German refusal
and that every file below tmp_path is exactly as it was: nothing deleted,
moved or added.
"""

import hashlib
import os

import pytest
from conftest import ROOT, run_task
from invoke import Context, Exit

import tasks
from sitetools import folders, preview, runner

SETTINGS = ROOT / "pelicanconf.py"
NOTHING_CHANGED = "Nichts wurde verändert."


def snapshot(root):
    """Every file and folder below `root` (links not followed), with its bytes' hash."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root)
            if os.path.islink(path):
                found[relative] = "→ " + os.readlink(path)
            elif os.path.isdir(path):
                found[relative] = "/"
            else:
                with open(path, "rb") as file:
                    found[relative] = hashlib.sha256(file.read()).hexdigest()
    return found


@pytest.fixture
def project(site, tmp_path, monkeypatch):
    """A site in tmp_path/content, with notes of the editor beside it."""
    site.series("fsj", "FSJ")
    site.entry("fsj/erster-tag.md", "Erster Tag", "2024-01-01", Series="FSJ")
    (tmp_path / "notizen.txt").write_text("Nicht löschen!", "utf-8")
    monkeypatch.chdir(tmp_path)
    return site


def refused_build(content, output, settings=SETTINGS):
    """Build `content` into `output`; return the refusal's message."""
    root = runner.real_output(content).parent
    before = snapshot(root)
    with pytest.raises(runner.BuildError) as refused:
        runner.build(settings, content, output)
    assert snapshot(root) == before
    message = str(refused.value)
    assert NOTHING_CHANGED in message
    assert "--output" in message  # what to do
    return message


def test_the_content_folder_itself_is_refused(project):
    # the example: every entry was gone, and the build said "Gebaut"
    message = refused_build(project.content, project.content)

    assert message.startswith("„content“ ist der Inhaltsordner.")


def test_a_marker_planted_in_the_content_folder_does_not_make_it_replaceable(
    project,
):
    for marker in (folders.MARKER, folders.PUBLISH_STAMP):
        (project.content / marker).write_text("", "utf-8")

    message = refused_build(project.content, project.content)

    assert message.startswith("„content“ ist der Inhaltsordner.")


def test_the_folder_holding_the_content_is_refused(project, tmp_path):
    message = refused_build(project.content, tmp_path)

    assert message.startswith("„.“ enthält den Inhaltsordner (content).")


def test_the_project_folder_is_refused(project, tmp_path):
    folder = tmp_path / "projekt"
    folder.mkdir()
    settings = folder / "pelicanconf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"THEME = {str(ROOT / 'themes' / 'fortsetzung')!r}\n",
        "utf-8",
    )

    message = refused_build(project.content, folder, settings)

    assert message.startswith("„projekt“ ist der Projektordner.")
    assert refused_build(project.content, tmp_path, settings).startswith(
        "„.“ enthält den Projektordner (projekt)."
    )


def test_the_home_folder_and_what_holds_it_are_refused(project, tmp_path, monkeypatch):
    home = tmp_path / "home" / "lena"
    home.mkdir(parents=True)
    (home / "Briefe.txt").write_text("Privat", "utf-8")
    monkeypatch.setenv("HOME", str(home))

    assert refused_build(project.content, home).startswith(
        "„home/lena“ ist Ihr persönlicher Ordner."
    )
    assert refused_build(project.content, home.parent).startswith(
        "„home“ enthält Ihren persönlichen Ordner (home/lena)."
    )


def test_the_root_of_the_file_system_is_refused(project):
    # judged only: a build is never started there, not even in a test
    with pytest.raises(folders.Refused) as refused:
        folders.judge("/", project.content, ROOT)

    assert str(refused.value).startswith(
        "„/“ ist das oberste Verzeichnis des Rechners."
    )
    with pytest.raises(folders.Refused):
        folders.judge("/tmp/../", project.content, ROOT)


def test_a_folder_with_other_files_is_refused(project, tmp_path):
    mine = tmp_path / "meine-seite"
    mine.mkdir()
    (mine / "index.html").write_text("Meine Seite", "utf-8")
    (mine / "bilder").mkdir()

    message = refused_build(project.content, mine)

    assert message.startswith(
        "„meine-seite“ enthält Dateien, die nicht aus einem Bau dieser Seite "
        "stammen (es fehlt die Datei .fortsetzung-build"
    )
    assert "rm -r meine-seite" in message  # an old output/: delete it once


def test_a_link_to_the_content_folder_is_judged_by_where_it_leads(project, tmp_path):
    (tmp_path / "ausgabe").symlink_to(project.content, target_is_directory=True)

    message = refused_build(project.content, tmp_path / "ausgabe")

    assert message.startswith("„ausgabe“ (führt zu „content“) ist der Inhaltsordner.")


def test_a_link_to_a_folder_holding_the_content_is_refused(project, tmp_path):
    (tmp_path / "web").symlink_to(tmp_path, target_is_directory=True)

    message = refused_build(project.content, tmp_path / "web")
    assert message.startswith("„web“ (führt zu „.“) enthält den Inhaltsordner")
    message = refused_build(project.content, tmp_path / "web" / "web" / "content")
    assert "ist der Inhaltsordner" in message


def test_a_link_to_a_web_servers_folder_of_other_files_is_refused(project, tmp_path):
    webroot = tmp_path / "www" / "html"
    webroot.mkdir(parents=True)
    (webroot / "index.html").write_text("Die Seite des Servers", "utf-8")
    (tmp_path / "output").symlink_to(webroot, target_is_directory=True)

    message = refused_build(project.content, tmp_path / "output")

    assert message.startswith("„output“ (führt zu „www/html“) enthält Dateien, die")


@pytest.mark.parametrize(
    "output",
    ["content/images/..", "output/../content", "./content/.", "content/../.."],
)
def test_paths_with_dots_are_judged_where_they_lead(project, output):
    (project.content / "images").mkdir()

    message = refused_build(project.content, output)

    assert "Inhaltsordner" in message


def test_a_folder_inside_the_content_folder_is_refused(project):
    message = refused_build(project.content, project.content / "output")

    assert message.startswith("„content/output“ liegt im Inhaltsordner")
    assert not (project.content / "output").exists()


def test_a_previous_build_holding_the_content_is_refused(project, tmp_path):
    """The marker does not make a folder with the content in it replaceable."""
    output = tmp_path / "output"
    runner.build(SETTINGS, project.content, output)
    (project.content).rename(output / "content")

    message = refused_build(output / "content", output)

    assert message.startswith("„output“ enthält den Inhaltsordner (output/content).")


def test_a_file_is_refused(project, tmp_path):
    message = refused_build(project.content, tmp_path / "notizen.txt")

    assert message.startswith("„notizen.txt“ ist eine Datei, kein Ordner.")


# -- what a build may replace -------------------------------------------------------


def test_a_new_an_empty_and_a_previous_build_folder_are_replaced(project, tmp_path):
    for output in (tmp_path / "neu" / "output", tmp_path / "leer"):
        if output.name == "leer":
            output.mkdir()
        assert runner.build(SETTINGS, project.content, output).ok
        assert (output / "2024/erster-tag/index.html").is_file()
        assert (output / folders.MARKER).is_file()
        assert runner.build(SETTINGS, project.content, output).ok  # again


def test_a_site_published_before_the_marker_is_replaced(project, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("alt", "utf-8")
    (output / folders.PUBLISH_STAMP).write_text("{}", "utf-8")

    assert runner.build(SETTINGS, project.content, output).ok
    assert (output / "2024/erster-tag/index.html").is_file()


def test_folders_that_look_like_leftovers_are_left_alone(project, tmp_path):
    output = tmp_path / "output"
    runner.build(SETTINGS, project.content, output)
    for name in ("output.new-entwurf", "output.old-2023"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "wichtig.txt").write_text("bleibt", "utf-8")
    leftover = tmp_path / "output.new-abc123"  # an interrupted build's
    folders.mark(leftover)

    assert runner.build(SETTINGS, project.content, output).ok

    assert (tmp_path / "output.new-entwurf" / "wichtig.txt").is_file()
    assert (tmp_path / "output.old-2023" / "wichtig.txt").is_file()
    assert not leftover.exists()


# -- the tasks ----------------------------------------------------------------------


def test_build_task_says_so_and_exits(project):
    before = snapshot(project.root)

    result = run_task(
        "build", "--content", "content", "--output", "content", cwd=project.root
    )

    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert said.startswith("Nicht gebaut: „content“ ist der Inhaltsordner.")
    assert "Gebaut" not in said and "Traceback" not in said
    assert snapshot(project.root) == before


def test_clean_deletes_a_build_and_refuses_anything_else(project, tmp_path):
    output = tmp_path / "output"
    runner.build(SETTINGS, project.content, output)
    tasks.clean(Context(), output=str(output))
    assert not output.exists()

    mine = tmp_path / "meine-seite"
    mine.mkdir()
    (mine / "index.html").write_text("Meine Seite", "utf-8")
    before = snapshot(tmp_path)
    for folder in (mine, tmp_path, ROOT / "content", ROOT):
        with pytest.raises(Exit) as refused:
            tasks.clean(Context(), output=str(folder))
        assert refused.value.message.startswith("Nicht gelöscht: „")
        assert NOTHING_CHANGED in refused.value.message
    assert snapshot(tmp_path) == before
    assert (ROOT / "tasks.py").is_file()


def test_the_preview_works_only_in_a_folder_of_its_own(project, tmp_path):
    before = snapshot(tmp_path)
    for work in (tmp_path, project.content, project.content / "vorschau"):
        with pytest.raises(runner.BuildError):
            preview.Preview(SETTINGS, project.content, work)
    assert snapshot(tmp_path) == before

    live = preview.Preview(SETTINGS, project.content, tmp_path / "work")
    try:
        assert live.build().ok
    finally:
        live.close()
    assert (tmp_path / "work" / folders.MARKER).is_file()
    again = preview.Preview(SETTINGS, project.content, tmp_path / "work")
    again.close()
