"""`invoke new` and `invoke new-series`: scaffolds that build and never overwrite."""

import re
import shutil
import subprocess
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import run_task
from pelican.plugins.fortsetzung.safety.frontmatter import read_header
from pelican.plugins.fortsetzung.safety.source import shown

from sitetools.scaffold import (
    ScaffoldError,
    git_author,
    new_entry,
    new_series,
)

NOW = datetime(2025, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def entry(site, title="Mein erster Tag", **options):
    options.setdefault("author", "Lena K.")
    options.setdefault("now", NOW)
    return new_entry(site.content, title, **options)


def header(path):
    return {key: field.value for key, field in read_header(path).items()}


def series_index(site, series="AzubiTagebuch"):
    return int(header(entry(site, series=series))["series_index"])


@pytest.fixture
def azubi(site):
    site.series("azubitagebuch", "AzubiTagebuch")
    return site


# -- the entry file ----------------------------------------------------------


def test_entry_has_complete_front_matter(azubi):
    path = entry(azubi, series="AzubiTagebuch")

    assert path == azubi.content / "azubitagebuch/2025-09-01-mein-erster-tag.md"
    text = path.read_text("utf-8")
    assert text.startswith(
        "Title: Mein erster Tag\n"
        "Date: 2025-09-01 10:00\n"
        "Author: Lena K.\n"
        "Series: AzubiTagebuch\n"
        "Series_index: 1\n"
        "Tags:\n"
        "Summary: TODO: Ein bis zwei Sätze"
    )
    assert "\nStatus: draft\n\n" in text
    header_text, body = text.split("\n\n", 1)
    assert header_text.endswith("Status: draft")
    # a placeholder paragraph, and how to add an image with alt text
    assert body.startswith("TODO: ")
    assert "<!--" in body
    assert body.rstrip().endswith("-->")
    assert (
        "![Beschreibung des Bildes für Menschen, die es nicht sehen]"
        "({static}/images/azubitagebuch/bild.jpg)"
    ) in body
    assert "content/images/azubitagebuch/" in body
    # nothing in the comment could end it early
    assert body.count("-->") == 1


def test_date_is_now_in_berlin(azubi):
    path = entry(azubi, now=datetime(2025, 12, 31, 23, 30, tzinfo=UTC))

    assert path.name == "2026-01-01-mein-erster-tag.md"
    assert header(path)["date"] == "2026-01-01 00:30"


@pytest.mark.parametrize(
    "date",
    ["2025-03-01 09:00", "2025-03-01T09:00", "01.03.2025 09:00", "1. März 2025 9:00"],
)
def test_date_can_be_given_to_schedule(azubi, date):
    path = entry(azubi, date=date)

    assert path.name == "2025-03-01-mein-erster-tag.md"
    assert header(path)["date"] == "2025-03-01 09:00"


@pytest.mark.parametrize(
    ("date", "says"),
    [
        ("morgen", "„morgen“ ist kein Datum"),
        ("03/01/2025", "gelesen würde es als 1. März 2025"),
    ],
)
def test_a_date_that_is_not_one_is_refused(azubi, date, says):
    with pytest.raises(ScaffoldError, match=re.escape(says)):
        entry(azubi, date=date)
    assert not list(azubi.content.rglob("*mein-erster-tag*"))


def test_entry_outside_a_series_goes_to_blog(site):
    path = entry(site, "Neue Öffnungszeiten")

    assert path == site.content / "blog/2025-09-01-neue-oeffnungszeiten.md"
    fields = header(path)
    assert "series" not in fields
    assert "series_index" not in fields
    assert fields["status"] == "draft"
    assert "({static}/images/blog/bild.jpg)" in path.read_text("utf-8")


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Hörspiele für Kinder", "2025-09-01-hoerspiele-fuer-kinder.md"),
        ("Straße", "2025-09-01-strasse.md"),
        ("ÄRGER über Öl: „Krimi & Co.“", "2025-09-01-aerger-ueber-oel-krimi-co.md"),
    ],
)
def test_file_names_spell_german_the_german_way(site, title, name):
    path = entry(site, title)

    assert path.name == name
    assert header(path)["title"] == title


# -- which series, which part ------------------------------------------------


@pytest.mark.parametrize("name", ["Hör-Bar", "hoer-bar", "HÖR-BAR", " hör-bar "])
def test_series_by_title_or_slug_in_any_case(site, name):
    site.series("hoer-bar", "Hör-Bar")

    path = entry(site, series=name)

    assert path.parent == site.content / "hoer-bar"
    assert header(path)["series"] == "Hör-Bar"


def test_first_part_of_an_empty_series(azubi):
    assert series_index(azubi) == 1


def test_next_part_after_three(azubi):
    for n in (1, 2, 3):
        azubi.entry(
            f"azubitagebuch/{n}.md",
            f"Teil {n}",
            f"2024-0{n}-01 10:00",
            Series="AzubiTagebuch",
        )

    assert series_index(azubi) == 4


def test_next_part_after_the_largest_explicit_index(azubi):
    azubi.entry("a/1.md", "Eins", "2024-01-01", Series="AzubiTagebuch", Series_index=1)
    azubi.entry(
        "a/7.md", "Sieben", "2024-02-01", Series="AzubiTagebuch", Series_index=7
    )

    assert series_index(azubi) == 8


def test_drafts_and_scheduled_parts_count(azubi):
    azubi.entry("azubitagebuch/1.md", "Eins", "2024-01-01", Series="AzubiTagebuch")
    azubi.entry(
        "azubitagebuch/2.md",
        "Zwei",
        "2024-02-01",
        Series="AzubiTagebuch",
        Status="draft",
    )
    azubi.entry("azubitagebuch/3.md", "Drei", "2036-02-01", Series="AzubiTagebuch")

    assert series_index(azubi) == 4


def test_parts_count_wherever_they_are_and_however_they_name_the_series(azubi):
    azubi.series("fsj", "FSJ")
    azubi.entry("azubitagebuch/1.md", "Eins", "2024-01-01", Series="azubitagebuch")
    azubi.entry("blog/2.md", "Zwei", "2024-02-01", Series="AZUBITAGEBUCH")
    azubi.entry("irgendwo/tief/3.md", "Drei", "2024-03-01", Series="AzubiTagebuch")
    azubi.entry("azubitagebuch/fsj.md", "Anderes", "2024-03-01", Series="FSJ")
    azubi.entry("azubitagebuch/ohne.md", "Ohne Serie", "2024-03-01")

    assert series_index(azubi) == 4


def test_an_index_that_is_not_a_number_is_ignored(azubi):
    azubi.entry(
        "a/1.md", "Eins", "2024-01-01", Series="AzubiTagebuch", Series_index="x"
    )

    assert series_index(azubi) == 2


# -- mistakes ------------------------------------------------------------------


def test_never_overwrites(azubi):
    path = entry(azubi, series="AzubiTagebuch")
    path.write_text("Mein Text, schon halb geschrieben.\n", "utf-8")

    with pytest.raises(ScaffoldError) as error:
        entry(azubi, series="AzubiTagebuch")

    assert str(error.value).startswith(
        "Die Datei content/azubitagebuch/2025-09-01-mein-erster-tag.md gibt es schon"
    )
    assert path.read_text("utf-8") == "Mein Text, schon halb geschrieben.\n"


def test_a_title_that_would_share_an_address_is_refused(azubi):
    azubi.entry("fsj/1.md", "Mein erster Tag!", "2024-09-01")

    with pytest.raises(ScaffoldError, match="dieselbe Adresse wie der Beitrag"):
        entry(azubi, series="AzubiTagebuch")
    assert not (azubi.content / "azubitagebuch").exists()


def test_unknown_series_names_the_series_and_gives_hints(azubi):
    azubi.series("hoer-bar", "Hör-Bar")

    with pytest.raises(ScaffoldError) as error:
        entry(azubi, series="Azubitagbuch")

    assert str(error.value) == (
        "Die Serie „Azubitagbuch“ gibt es nicht. Meinten Sie „AzubiTagebuch“?\n"
        "Vorhandene Serien: AzubiTagebuch, Hör-Bar.\n"
        'Eine neue Serie legen Sie so an: python3 dev.py new-series "Name der Serie"'
    )
    assert not (azubi.content / "blog").exists()


def test_unknown_series_without_a_close_match(azubi):
    with pytest.raises(ScaffoldError) as error:
        entry(azubi, series="Krimis")

    assert "Meinten Sie" not in str(error.value)
    assert "Vorhandene Serien: AzubiTagebuch." in str(error.value)


def test_unknown_series_when_there_is_none(site):
    with pytest.raises(ScaffoldError, match=re.escape("Es gibt noch keine Serie.")):
        entry(site, series="AzubiTagebuch")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"author": None}, '--author "Lena K."'),
        ({"author": "  "}, '--author "Lena K."'),
        ({"title": ""}, 'Der Beitrag braucht einen Titel, zum Beispiel: --title "'),
        ({"title": "?!"}, "Aus „?!“ lässt sich keine Adresse bilden."),
    ],
)
def test_missing_author_or_title(azubi, options, message):
    with pytest.raises(ScaffoldError, match=re.escape(message)):
        new_entry(azubi.content, **{"title": "Titel", "now": NOW, **options})


# -- author from git ---------------------------------------------------------


@pytest.fixture
def no_global_git(monkeypatch, tmp_path):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_author_from_git_config(tmp_path, no_global_git):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "config", "user.name", "Lena K."], cwd=repo, check=True)

    assert git_author(repo) == "Lena K."


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_no_author_without_git_config(tmp_path, no_global_git):
    folder = tmp_path / "kein-repo"
    folder.mkdir()

    assert git_author(folder) is None


# -- new series ----------------------------------------------------------------


def test_new_series_creates_the_file_and_the_folder(site):
    path = new_series(site.content, "Hörspiele für Kinder")

    assert path == site.content / "series/hoerspiele-fuer-kinder.md"
    assert (site.content / "hoerspiele-fuer-kinder").is_dir()
    fields = header(path)
    assert fields["title"] == "Hörspiele für Kinder"
    assert fields["status"] == "ongoing"
    assert fields["summary"].startswith("TODO: ")
    # Image hints are in a comment in the body, not in the header
    assert "image" not in fields
    body = path.read_text("utf-8").split("\n\n", 1)[1]
    assert "Image: images/series/hoerspiele-fuer-kinder.svg" in body
    assert "Image_alt: " in body
    assert body.rstrip().endswith("-->")
    # and the next entry finds it
    assert entry(site, series="hoerspiele-fuer-kinder").parent == path.parent.parent / (
        "hoerspiele-fuer-kinder"
    )


@pytest.mark.parametrize("title", ["Hör-Bar", "hör-bar", "HOER-BAR", "Hoer Bar"])
def test_new_series_refuses_an_existing_one(site, title):
    existing = site.series("hoer-bar", "Hör-Bar")
    before = existing.read_text("utf-8")

    with pytest.raises(ScaffoldError) as error:
        new_series(site.content, title)

    assert str(error.value).startswith(
        "Die Serie „Hör-Bar“ gibt es schon: content/series/hoer-bar.md."
    )
    assert existing.read_text("utf-8") == before
    assert sorted(p.name for p in (site.content / "series").iterdir()) == [
        "hoer-bar.md"
    ]


def test_new_series_refuses_a_title_of_another_file(site):
    site.series("hoerbar-tipps", "Hör-Bar")

    with pytest.raises(ScaffoldError, match="gibt es schon"):
        new_series(site.content, "Hör-Bar")


@pytest.mark.parametrize("title", ["Pages", "Images", "Blog", "Series"])
def test_new_series_refuses_folders_with_another_purpose(site, title):
    with pytest.raises(ScaffoldError, match="geht als Name einer Serie nicht"):
        new_series(site.content, title)


# -- whole builds --------------------------------------------------------------


def part(site, relative, title, date, **fields):
    fields.setdefault("Summary", "Ein Satz.")
    return site.entry(relative, title, date, Series="AzubiTagebuch", **fields)


def publish(path, text="Mein richtiger Text.\n"):
    """Do what the author does: write a summary and the text (in place of the
    placeholder paragraph), delete `Status: draft` if any."""
    header, _, body = path.read_text("utf-8").partition("\n\n")
    lines = [
        "Summary: Ein richtiger Satz." if line.startswith("Summary:") else line
        for line in header.split("\n")
        if line != "Status: draft"
    ]
    placeholder, _, rest = body.partition("\n\n")
    assert placeholder.startswith("TODO:")
    path.write_text("\n".join(lines) + "\n\n" + text + "\n" + rest, "utf-8")


def test_a_published_scaffold_builds_as_the_next_part(azubi):
    part(azubi, "azubitagebuch/1.md", "Teil 1", "2024-01-01 10:00")
    part(azubi, "azubitagebuch/2.md", "Teil 2", "2024-02-01 10:00")
    part(azubi, "azubitagebuch/e.md", "Entwurf", "2024-03-01", Status="draft")
    path = entry(azubi, series="azubitagebuch")
    assert header(path)["series_index"] == "4"
    publish(path)

    build = azubi.build()

    assert build.errors == []
    assert not [p for p in build.found if "bild.jpg" in str(p)]
    series = build.series("azubitagebuch")
    assert [a.title for a in series.articles] == ["Teil 1", "Teil 2", "Mein erster Tag"]
    article = series.articles[-1]
    assert article.series.index == 3
    assert article.author.name == "Lena K."
    assert article.status == "published"
    page = build.html("2025/mein-erster-tag/")
    assert page.find("h1").get_text(strip=True) == "Mein erster Tag"
    # the image hint is a comment: nothing of it is shown
    assert "bild.jpg" not in page.get_text()
    assert not page.find("img", src=lambda src: src and "bild.jpg" in src)


def test_a_scaffold_stays_out_while_it_is_a_draft(azubi):
    part(azubi, "azubitagebuch/1.md", "Teil 1", "2024-01-01")
    path = entry(azubi, series="AzubiTagebuch")

    build = azubi.build()

    assert build.errors == []
    assert [a.title for a in build.series("azubitagebuch").articles] == ["Teil 1"]
    assert "Mein erster Tag" not in build.html("serien/azubitagebuch/").get_text()
    assert not (build.output / "2025/mein-erster-tag").exists()
    # where `invoke new` says the preview shows it
    assert (build.output / "drafts/mein-erster-tag.html").is_file()
    assert path.is_file()


def test_a_scaffolded_series_and_blog_entry_build(site):
    publish(new_series(site.content, "Hörspiele für Kinder"))
    publish(entry(site, "Neue Öffnungszeiten"))
    part = entry(site, "Folge 1", series="Hörspiele für Kinder")
    publish(part)

    build = site.build()

    assert build.errors == []
    series = build.series("hoerspiele-fuer-kinder")
    assert series.name == "Hörspiele für Kinder"
    assert series.status == "ongoing"
    assert [a.title for a in series.articles] == ["Folge 1"]
    assert (build.output / "2025/neue-oeffnungszeiten/index.html").is_file()


def test_a_published_part_with_the_body_placeholder_is_an_error(azubi):
    part(azubi, "azubitagebuch/1.md", "Teil 1", "2024-01-01 10:00")
    path = entry(azubi, series="AzubiTagebuch")
    # the author fills in the summary and deletes "Status: draft", no more
    text = path.read_text("utf-8").replace("Status: draft\n", "")
    path.write_text(text.replace("Summary: TODO:", "Summary: Ein Satz. Nicht"), "utf-8")

    problems = [
        p for p in azubi.build().context["content_problems"] if p.severity == "error"
    ]

    assert [(p.path, p.field) for p in problems] == [(shown(path), "Text")]
    assert (
        problems[0].line
        == text.split("\n").index(
            next(line for line in text.split("\n") if line.startswith("TODO:"))
        )
        + 1
    )
    assert "Platzhalter „TODO“" in problems[0].message


def test_a_new_series_stays_off_the_site_until_its_first_part(site):
    series = new_series(site.content, "Hörspiele für Kinder")  # TODO placeholders

    preview = site.build()
    published = site.build("publishconf.py")

    assert preview.errors == []  # a colleague's new series blocks no one
    assert {p.field for p in preview.context["content_problems"]} == {"Summary", "Text"}
    assert published.context["series_list"] == []
    assert "Hörspiele" not in published.all_text()
    # the preview shows it, marked, at an address of its own
    page = preview.html("drafts/serien/hoerspiele-fuer-kinder/")
    assert page.find(class_="draft-notice") is not None

    part = entry(site, "Folge 1", series="Hörspiele für Kinder")
    publish(part)
    errors = site.build().errors
    assert len(errors) == 2  # now the series is public: its placeholders too
    assert all(shown(series) in error for error in errors)


# -- the invoke tasks ----------------------------------------------------------


def invoke(*args):
    return run_task(*args, PYTHONUTF8="1")


def test_invoke_new_and_new_series(site):
    content = str(site.content)

    made = invoke("new-series", "Hörspiele für Kinder", "--content", content)
    assert made.returncode == 0, made.stderr
    assert "series/hoerspiele-fuer-kinder.md" in made.stdout
    assert "mit ihrem ersten veröffentlichten Teil" in made.stdout
    assert "„Status: announced“" in made.stdout

    made = invoke(
        "new",
        "--series",
        "HÖRSPIELE FÜR KINDER",
        "--title",
        "Die Olchis",
        "--author",
        "Ali R.",
        "--date",
        "2025-03-01 09:00",
        "--content",
        content,
    )
    assert made.returncode == 0, made.stderr
    path = site.content / "hoerspiele-fuer-kinder/2025-03-01-die-olchis.md"
    assert "Angelegt: " in made.stdout
    assert path.name in made.stdout
    assert "Als Nächstes:" in made.stdout
    assert "/drafts/die-olchis.html" in made.stdout
    assert header(path)["author"] == "Ali R."
    assert header(path)["series_index"] == "1"

    again = invoke(
        "new",
        "--series",
        "hoerspiele-fuer-kinder",
        "--title",
        "Die Olchis",
        "--author",
        "Ali R.",
        "--date",
        "2025-03-01 09:00",
        "--content",
        content,
    )
    assert again.returncode == 1
    assert "gibt es schon" in again.stderr

    unknown = invoke(
        "new",
        "--series",
        "Hörspiele",
        "--title",
        "X",
        "--author",
        "A",
        "--content",
        content,
    )
    assert unknown.returncode == 1
    assert "Die Serie „Hörspiele“ gibt es nicht." in unknown.stderr
    assert "Meinten Sie „Hörspiele für Kinder“?" in unknown.stderr
    assert "new-series" in unknown.stderr


@pytest.mark.parametrize(
    "title",
    [
        'Neu <script src="https://evil.example/t.js">',
        "Mein <b>Tag</b>",
        "Text <!-- x -->",
    ],
)
def test_markup_in_a_new_title_is_refused(azubi, title):
    with pytest.raises(ScaffoldError, match="HTML-Code"):
        entry(azubi, title, series="AzubiTagebuch")
    with pytest.raises(ScaffoldError, match="HTML-Code"):
        new_series(azubi.content, title)
    assert sorted(p.name for p in (azubi.content / "series").iterdir()) == [
        "azubitagebuch.md"
    ]


def test_no_author_and_no_traceback_without_git(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no git there

    assert git_author(tmp_path) is None


@pytest.mark.parametrize(
    ("title", "author"),
    [
        ("Rot\x1b[31m", "Lena K."),
        ("Mein Tag", "Lena\x00\nSave_as: index.html"),
        ("Mein Tag\x9b", "Lena K."),
        ("Mein Tag\ufeff", "Lena K."),
    ],
)
def test_control_characters_in_a_new_header_are_refused(azubi, title, author):
    with pytest.raises(ScaffoldError, match="Steuerzeichen"):
        entry(azubi, title, author=author, series="AzubiTagebuch")
    if author == "Lena K.":
        with pytest.raises(ScaffoldError, match="Steuerzeichen"):
            new_series(azubi.content, title)
    assert [p.name for p in azubi.content.rglob("*.md")] == ["azubitagebuch.md"]
