"""Private content of an old blog (`Private: yes`) is never written anywhere."""

import json

import pytest
from conftest import ROOT
from test_live_preview import Live

from sitetools.runner import run_checks

SECRET = "Geheimwort"
COMMENT = "Kommentargeheimnis"


@pytest.fixture
def site(site):
    site.series("azubitagebuch", "AzubiTagebuch")
    site.entry(
        "azubitagebuch/1.md",
        "Erster Tag",
        "2014-05-12",
        Series="AzubiTagebuch",
        Tags="Alltag",
    )
    return site


def private_entry(site, name="privat", status="draft", value="yes", **fields):
    if status:
        fields["Status"] = status
    path = site.entry(
        f"azubitagebuch/{name}.md",
        f"Privatissimum {name}",
        "2014-05-13",
        f"Nur für uns: {SECRET}.",
        Series="AzubiTagebuch",
        Tags="Alltag, Verschlusssache",
        Private=value,
        **fields,
    )
    path.with_suffix(".comments.json").write_text(
        json.dumps(
            {
                "comments": [
                    {
                        "id": 1,
                        "parent": None,
                        "author": "Ann",
                        "date": "2014-05-13T10:00:00+02:00",
                        "text": COMMENT,
                    }
                ]
            }
        ),
        "utf-8",
    )
    return path


def assert_nowhere(build):
    text = build.all_text()
    for word in (SECRET, COMMENT, "Privatissimum", "verschlusssache", "privat/"):
        assert word not in text, word
    titles = [
        a.title
        for key in ("articles", "drafts", "hidden_articles")
        for a in build.context[key]
    ]
    assert titles == ["Erster Tag"]
    assert build.html("2014/erster-tag/").find(class_="meta--series").get_text() == (
        "Teil 1 von 1 der Serie „AzubiTagebuch“"
    )


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
@pytest.mark.parametrize("value", ["yes", "Ja", "TRUE", "1"])
def test_a_private_draft_is_written_nowhere(site, settings, value):
    private_entry(site, value=value)

    build = site.build(settings)

    assert_nowhere(build)
    assert build.found == []
    if settings == "pelicanconf.py":  # the preview's list of drafts
        assert build.html("").find(class_="preview-drafts") is None


@pytest.mark.parametrize("settings", ["pelicanconf.py", "publishconf.py"])
def test_without_its_status_line_a_private_entry_stays_unpublished(site, settings):
    private_entry(site, status=None)

    build = site.build(settings)

    assert_nowhere(build)
    [problem] = build.found
    assert (problem.field, problem.line, problem.severity) == ("Private", 7, "warning")
    assert "privat" in problem.message
    assert "löschen Sie die Zeile „Private: …“" in problem.fix


def test_an_unknown_value_keeps_it_private_with_a_warning(site):
    private_entry(site, status="published", value="vielleicht")

    build = site.build()

    assert_nowhere(build)
    [problem] = build.found
    assert "„vielleicht“ ist weder ja noch nein" in problem.message


@pytest.mark.parametrize("value", ["no", "Nein", "false", "0"])
def test_private_no_publishes(site, value):
    private_entry(site, status=None, value=value)

    build = site.build()

    assert SECRET in build.html("2014/privatissimum-privat/").get_text()
    assert build.found == []


def test_a_private_page_is_written_nowhere(site):
    site.write("pages/intern.md", {"Title": "Intern", "Private": "ja"}, SECRET)

    build = site.build("publishconf.py")

    assert SECRET not in build.all_text()
    assert "intern" not in (build.output / "sitemap.xml").read_text("utf-8")
    assert not (build.output / "intern").exists()


def test_check_reports_nothing_of_a_private_draft(site):
    private_entry(site)

    problems, messages = run_checks(ROOT / "pelicanconf.py", site.content)

    assert problems + messages == []


def test_sticky_is_no_problem(site):
    site.entry(
        "azubitagebuch/2.md", "Oben", "2014-05-14", Series="AzubiTagebuch", Sticky="yes"
    )

    problems, messages = run_checks(ROOT / "pelicanconf.py", site.content)

    assert problems + messages == []


def test_the_preview_serves_nothing_private(site, tmp_path):
    live = Live(site, tmp_path)
    try:
        live.build()
        private_entry(site, status=None)
        live.build()
        live.assert_as_fresh()
        snapshot = live.preview.snapshot
        for path in snapshot.writer.by_path:
            _status, _kind, body = live.get(f"/{path}")
            assert SECRET.encode() not in body, path
            assert COMMENT.encode() not in body, path
        # published, then private again: gone at once
        (site.content / "azubitagebuch/privat.md").write_text(
            (site.content / "azubitagebuch/privat.md")
            .read_text("utf-8")
            .replace("Private: yes\n", ""),
            "utf-8",
        )
        live.build()
        assert SECRET.encode() in live.get("/2014/privatissimum-privat/")[2]
        private_entry(site, status=None)
        live.build()
        live.assert_as_fresh()
        assert live.get("/2014/privatissimum-privat/")[0] == 404
    finally:
        live.preview.close()
