"""The preview (`invoke livereload`): rebuilds on every change, keeps no state."""

from conftest import ROOT
from filelock import FileLock
from pelican.plugins.fortsetzung.source import shown

import tasks


def test_the_preview_watches_content_theme_plugins_and_settings():
    server = tasks.preview_server()

    watched = set(server.watcher._tasks)  # livereload keeps no public list

    assert watched == {
        str(ROOT / "content"),
        str(ROOT / "themes"),
        str(ROOT / "plugins"),
        str(ROOT / "sitetools"),
        str(ROOT / "pelicanconf.py"),
    }


def test_rebuilds_show_no_trace_of_a_removed_series(site):
    site.series("fsj", "FSJ")
    site.series("hoer-bar", "Hör-Bar")
    site.entry("f/1.md", "Mein FSJ", "2024-01-01", Series="FSJ")
    site.entry("h/1.md", "Hörtipp", "2024-01-02", Series="Hör-Bar")
    output = site.root / "output"

    assert tasks.build_preview(site.content, output)
    assert (output / "serien/fsj/index.html").is_file()

    (site.content / "series/fsj.md").unlink()
    (site.content / "f/1.md").unlink()
    assert tasks.build_preview(site.content, output)

    assert not (output / "serien/fsj").exists()
    assert not (output / "feeds/serie/fsj.atom.xml").exists()
    assert "Mein FSJ" not in (output / "index.html").read_text("utf-8")
    assert "FSJ" not in (output / "serien/index.html").read_text("utf-8")


def test_a_mistake_is_reported_and_the_preview_goes_on(site, capfd):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Mein FSJ", "2024-01-01", Series="FSJ")
    output = site.root / "output"
    assert tasks.build_preview(site.content, output)
    capfd.readouterr()

    site.entry("f/2.md", "Tippfehler", "2024-01-02", Series="FJS")
    site.entry("f/3.md", "Ohne Datum", "")
    assert tasks.build_preview(site.content, output)  # the preview goes on
    said = capfd.readouterr().out
    # like `check`: every mistake, German, file and line in one piece
    assert f"{shown(site.content / 'f/2.md')}\n" in said
    assert "  Fehler (Zeile 5, Series): Die Serie „FJS“ gibt es nicht." in said
    assert "  Fehler (Zeile 1, Date): Das Feld Date fehlt." in said
    assert "Traceback" not in said
    assert "Tippfehler" in (output / "index.html").read_text("utf-8")


def test_a_build_that_cannot_run_keeps_the_preview_as_it_was(site, capfd):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Mein FSJ", "2024-01-01", Series="FSJ")
    output = site.root / "output"
    assert tasks.build_preview(site.content, output)
    site.entry("f/2.md", "Zweites Jahr", "2024-01-02", Series="FSJ")

    with FileLock(site.root / ".output.lock"):  # e.g. `publish` is running
        assert tasks.build_preview(site.content, output) is False

    said = capfd.readouterr().out
    assert "Gerade baut schon ein anderer Befehl nach output/" in said
    assert "Zweites Jahr" not in (output / "index.html").read_text("utf-8")


def test_the_preview_shows_content_problems_on_every_page(site):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Mein FSJ", "2024-01-01", Series="FSJ")
    site.entry("f/2.md", "Tippfehler", "2024-01-02", Series="FJS")

    preview = site.build("pelicanconf.py")
    published = site.build("publishconf.py")

    for page in ("", "serien/", preview.series("fsj").articles[0].url):
        box = preview.html(page).find(class_="preview-problems")
        assert "f/2.md" in box.get_text()
        assert "Die Serie „FJS“ gibt es nicht." in box.get_text()
    assert published.html("").find(class_="preview-problems") is None


def test_drafts_and_scheduled_parts_are_marked_in_the_preview_only(site):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Entwurf", "2024-01-01", Series="FSJ", Status="draft")
    site.entry("f/2.md", "Geplant", "2099-03-01 09:00", Series="FSJ")

    preview = site.build("pelicanconf.py")
    published = site.build("publishconf.py")

    notices = {
        draft.title: preview.html(draft.url).find(class_="draft-notice").get_text()
        for draft in preview.context["drafts"]
    }
    assert notices == {
        "Entwurf": "Entwurf – nicht veröffentlicht",
        "Geplant": "Geplant für 1. März 2099 – nicht veröffentlicht",
    }
    listed = preview.html("").find(class_="preview-drafts").find_all("a")
    # FSJ has no published part yet: a new series, shown in the preview only
    assert sorted(a.get_text() for a in listed) == ["Entwurf", "FSJ", "Geplant"]
    assert preview.html("serien/").find(class_="preview-drafts") is None
    assert not (published.output / "drafts").exists()
    assert "Entwurf" not in published.all_text()
    assert "Geplant" not in published.all_text()
