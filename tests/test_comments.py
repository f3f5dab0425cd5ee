"""Comments of an old blog (<entry>.comments.json) under their entry."""

import json

import pytest
from conftest import ROOT
from test_live_preview import Live

from sitetools.runner import run_checks

ENTRY = "2014/erster-tag/"
FILE = "azubitagebuch/2014-05-12-erster-tag"


def comment(id, text="Schön!", parent=None, author="Ann", date=None):
    return {
        "id": id,
        "parent": parent,
        "author": author,
        "date": date or f"2014-05-12T1{id % 10}:00:00+02:00",
        "text": text,
    }


@pytest.fixture
def site(site):
    site.series("azubitagebuch", "AzubiTagebuch")
    site.entry(f"{FILE}.md", "Erster Tag", "2014-05-12", Series="AzubiTagebuch")
    return site


def write_comments(site, comments, stem=FILE):
    path = site.content / f"{stem}.comments.json"
    path.write_text(json.dumps({"comments": comments}, indent=2), "utf-8")
    return path


def section(build, url=ENTRY):
    return build.html(url).find("section", class_="comments")


def thread(element):
    """[(author, text, replies)] of a list of comments, as shown."""
    return [
        (
            li.find(class_="comment__meta").get_text().split(" am ")[0],
            li.find(class_="comment__text").get_text().strip(),
            thread(li.find("ol")) if li.find("ol") else [],
        )
        for li in element.find_all("li", class_="comment", recursive=False)
    ]


def test_comments_are_shown_threaded_with_date_and_count(site):
    write_comments(
        site,
        [
            comment(3, "Antwort auf die Antwort", parent=2, author="Cem"),
            comment(1, "Toller *Beitrag*", author="Ann"),
            comment(2, "Danke!", parent=1, author="Lena K."),
            comment(4, "Noch einer", author="Bo"),
        ],
    )

    build = site.build()

    assert build.found == []
    comments = section(build)
    assert comments.find("h2").get_text() == "4 Kommentare"
    assert "aus dem früheren Blog" in comments.find("p").get_text()
    assert "nicht möglich" in comments.find("p").get_text()
    assert thread(comments.find("ol")) == [
        (
            "Ann",
            "Toller Beitrag",
            [("Lena K.", "Danke!", [("Cem", "Antwort auf die Antwort", [])])],
        ),
        ("Bo", "Noch einer", []),
    ]
    first = comments.find("li", id="kommentar-1")
    assert first.find("em").get_text() == "Beitrag"
    time = first.find("time")
    assert (time["datetime"], time.get_text()) == (
        "2014-05-12T11:00:00+02:00",
        "12. Mai 2014",
    )


def test_a_reply_whose_parent_is_missing_is_top_level(site):
    write_comments(site, [comment(1, "Erster"), comment(2, "Waise", parent=99)])

    build = site.build()

    assert [c[1] for c in thread(section(build).find("ol"))] == ["Erster", "Waise"]


def test_replies_in_a_circle_are_shown_once(site):
    write_comments(site, [comment(1, "A", parent=2), comment(2, "B", parent=1)])

    build = site.build()

    assert thread(section(build).find("ol")) == [("Ann", "A", [("Ann", "B", [])])]


def test_a_comment_s_text_keeps_only_harmless_markup(site):
    text = (
        "Hallo <script>alert('x')</script><img src=https://tracker.example/p.gif>"
        "![Bild](https://tracker.example/b.png) <iframe src=https://x.example/></iframe>"
        "[böse](javascript:alert(1)) [relativ](/admin/) "
        "<a href='https://gut.example/' onclick='x()' style='color:red'>gut</a> "
        "[Mail](mailto:a@b.example) <b>fett</b> <u>nicht</u>\n\n> zitiert"
    )
    write_comments(site, [comment(1, text, author="<b>Eve</b>")])

    build = site.build()

    shown = section(build)
    text = shown.find(class_="comment__text")
    assert {e.name for e in text.find_all(True)} <= {"p", "a", "b", "blockquote"}
    assert [(a.get("href"), a["rel"]) for a in text.find_all("a")] == [
        (None, ["nofollow", "ugc"]),
        (None, ["nofollow", "ugc"]),
        ("https://gut.example/", ["nofollow", "ugc"]),
        ("mailto:a@b.example", ["nofollow", "ugc"]),
    ]
    assert not any(a.get("onclick") or a.get("style") for a in text.find_all("a"))
    assert "alert" not in str(shown)
    assert "tracker.example" not in str(shown)
    assert shown.find(class_="comment__meta").get_text().startswith("<b>Eve</b> am")


def test_comments_are_in_no_feed(site):
    write_comments(site, [comment(1, "Kommentarwort")])

    build = site.build("publishconf.py", SITEURL="https://bib.example")

    assert "Kommentarwort" in build.html(ENTRY).get_text()
    for feed in build.output.glob("feeds/**/*.*"):
        assert "Kommentarwort" not in feed.read_text("utf-8"), feed


def test_a_page_can_have_comments(site):
    site.write("pages/team.md", {"Title": "Team"}, "Wir.")
    write_comments(site, [comment(1, "Seitenkommentar")], stem="pages/team")

    build = site.build()

    assert section(build, "team/").find(class_="comment__text").get_text().strip() == (
        "Seitenkommentar"
    )


@pytest.mark.parametrize("status", [{"Status": "draft"}, {"Date": "2099-01-01"}])
def test_a_draft_shows_no_comments(site, status):
    site.entry(
        "azubitagebuch/entwurf.md",
        "Entwurf",
        "2014-05-13",
        Series="AzubiTagebuch",
        **status,
    )
    write_comments(
        site, [comment(1, "Entwurfskommentar")], stem="azubitagebuch/entwurf"
    )

    build = site.build()

    assert build.found == []  # not even an entry without comments
    draft = build.context["drafts"][0]
    assert build.html(draft.url).find("section", class_="comments") is None
    assert "Entwurfskommentar" not in build.all_text()


BROKEN = [
    # (file text, line, field, words of the message)
    (
        '{"comments": [\n  {"id": 1,\n  "author": "Ann"\n  "date": "x"}\n]}',
        4,
        "Datei",
        "kein gültiges JSON (Zeile 4",
    ),
    ('["nur", "eine", "Liste"]', 1, "comments", "keine Liste „comments“"),
    ('{"comments": [\n  "Text"\n]}', 2, "comments", "Kommentar 1: er ist kein Objekt"),
]


def fields_file(**changes):
    """A file of two comments, the second with `changes` (None: field left out)."""
    second = {**comment(2), **changes}
    second = {k: v for k, v in second.items() if v is not None or k == "parent"}
    return json.dumps({"comments": [comment(1), second]}, indent=2)


@pytest.mark.parametrize(
    ("text", "line", "field", "says"),
    [
        *BROKEN,
        (
            fields_file(author=None),
            10,
            "author",
            "Kommentar 2: das Feld „author“ fehlt",
        ),
        (
            fields_file(id="zwei"),
            11,
            "id",
            "Kommentar 2: „id“ ist nicht eine ganze Zahl",
        ),
        (fields_file(id=1), 11, "id", "die id 1 kommt zweimal vor"),
        (
            fields_file(parent="1"),
            12,
            "parent",
            "„parent“ ist nicht eine ganze Zahl oder null",
        ),
        (fields_file(date="gestern"), 14, "date", "„date“ ist nicht ein Datum"),
        (fields_file(text=["a"]), 15, "text", "„text“ ist nicht ein Text"),
    ],
)
def test_a_broken_comments_file_is_an_error_with_line_and_field(
    site, text, line, field, says
):
    path = site.content / f"{FILE}.comments.json"
    path.write_text(text, "utf-8")

    build = site.build()

    [problem] = build.found
    assert problem.path.endswith(f"{FILE}.comments.json")
    assert (problem.line, problem.field, problem.severity) == (line, field, "error")
    assert says in problem.message
    assert section(build) is None


def test_a_comments_file_in_another_encoding_is_an_error(site):
    (site.content / f"{FILE}.comments.json").write_bytes(
        b'{"comments": [{"id": 1, "author": "J\xfcrgen"}]}'
    )

    [problem] = site.build().found

    assert "UTF-8" in problem.message


def test_a_comments_file_without_its_entry_is_a_warning(site):
    write_comments(site, [comment(1)], stem="azubitagebuch/2014-05-12-ertser-tag")

    build = site.build()

    [problem] = build.found
    assert problem.severity == "warning"
    assert problem.path.endswith("2014-05-12-ertser-tag.comments.json")
    assert "keinen Beitrag" in problem.message


def test_the_checker_takes_a_comments_file_for_no_content_file(site):
    write_comments(site, [comment(1)])

    problems, messages = run_checks(ROOT / "pelicanconf.py", site.content)

    assert problems + messages == []


def test_a_comments_file_in_a_static_folder_is_not_copied(site):
    write_comments(site, [comment(1, "Nur unter dem Beitrag")])

    build = site.build(STATIC_PATHS=["images", "azubitagebuch"])

    assert build.found == []
    assert not list(build.output.rglob("*.comments.json"))
    assert "Nur unter dem Beitrag" in build.html(ENTRY).get_text()


def test_the_preview_shows_comment_edits_as_a_fresh_build(site, tmp_path):
    live = Live(site, tmp_path)
    try:
        live.build()
        path = write_comments(site, [comment(1, "Erste Fassung")])
        edits = [
            lambda: None,  # added
            lambda: write_comments(
                site, [comment(1, "Zweite Fassung"), comment(2, parent=1)]
            ),
            lambda: path.write_text("{kaputt", "utf-8"),
            lambda: write_comments(site, [comment(1, "Wieder heil")]),
            path.unlink,
        ]
        shown = []
        for edit in edits:
            edit()
            live.build()
            live.assert_as_fresh(search=False)
            _status, _kind, body = live.get(f"/{ENTRY}")
            shown.append(body.count(b'class="comment"'))
        assert shown == [1, 2, 0, 1, 0]
    finally:
        live.preview.close()
