"""`invoke check`: every rule with content that breaks it, and the report."""

import json
import re
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from conftest import ROOT, png, run_task
from pelican.plugins.fortsetzung.api import Problem

from sitetools.runner import as_github, as_gitlab, as_text, has_errors, run_checks

SETTINGS = ROOT / "pelicanconf.py"


@pytest.fixture
def site(site):
    site.series("azubitagebuch", "AzubiTagebuch")
    site.entry("azubitagebuch/1.md", "Erster Tag", "2024-01-01", Series="AzubiTagebuch")
    (site.content / "images").mkdir(exist_ok=True)
    (site.content / "images" / "bild.png").write_bytes(png(4, 3))
    return site


def check(site):
    problems, messages = run_checks(SETTINGS, site.content)
    return problems + messages


def only(problems, severity="error"):
    found = [p for p in problems if p.severity == severity]
    assert len(found) == 1, "\n".join(map(str, problems))
    return found[0]


def test_clean_content_has_no_problems(site):
    assert check(site) == []


def test_the_sample_site_is_clean():
    problems, messages = run_checks(SETTINGS)

    assert [str(p) for p in problems + messages] == []


def test_unknown_series_with_line(site):
    site.entry("a/2.md", "Zwei", "2024-01-02", Series="Azubitagebuhc")

    problem = only(check(site))

    assert problem.path.endswith("content/a/2.md")
    assert problem.field == "Series"
    assert problem.line == 5  # Title, Date, Author, Summary, Series
    assert "Meinten Sie „AzubiTagebuch“?" in problem.message


def test_index_clash_and_gap(site):
    site.entry("a/2.md", "Zwei", "2024-01-02", Series="AzubiTagebuch", Series_index=2)
    site.entry("a/3.md", "Drei", "2024-01-03", Series="AzubiTagebuch", Series_index=2)
    site.entry("a/9.md", "Neun", "2024-01-04", Series="AzubiTagebuch", Series_index=9)

    problems = check(site)
    clash = next(p for p in problems if "mehrmals" in p.message)
    gap = next(p for p in problems if "fehlen Teile" in p.message)

    assert len(problems) == 2
    assert "a/2.md" in clash.message
    assert "a/3.md" in clash.message
    assert gap.path.endswith("a/9.md")
    assert gap.line == 6
    assert "nur 4 Teile" in gap.message


def test_an_index_the_site_shows_otherwise_is_a_warning_on_its_line(site):
    for n in range(2, 6):
        site.entry(f"a/{n}.md", f"Teil {n}", f"2024-01-0{n}", Series="AzubiTagebuch")
    site.entry("a/6.md", "Sechs", "2024-01-06", Series="AzubiTagebuch", Status="draft")
    site.entry("a/7.md", "Sieben", "2024-01-07", Series="AzubiTagebuch", Series_index=7)

    problem = only(check(site), severity="warning")
    page = site.build().html("2024/sieben/").get_text(" ", strip=True)

    assert "Teil 6 von 6" in page
    assert problem.path.endswith("content/a/7.md")
    assert (problem.line, problem.field) == (6, "Series_index")
    assert problem.message == (
        "In der Datei steht „Series_index: 7“, die Website zeigt den Beitrag aber "
        "als Teil 6 von 6 der Serie „AzubiTagebuch“."
    )
    assert problem.fix.startswith("Schreiben Sie „Series_index: 6“ oder löschen")
    assert "noch ein Entwurf oder geplant" in problem.fix


@pytest.mark.parametrize("field", ["Title", "Date", "Author", "Summary"])
def test_missing_field(site, field):
    fields = {
        "Title": "Ohne",
        "Date": "2024-02-01",
        "Author": "Lena K.",
        "Summary": "Kurz.",
        "Series": "AzubiTagebuch",
    }
    del fields[field]
    site.write("a/ohne.md", fields, "Text.")

    problem = only(check(site))

    assert problem.path.endswith("a/ohne.md")
    assert problem.field == field
    assert f"Das Feld {field} fehlt." == problem.message
    assert f"„{field}: " in problem.fix


def test_unparseable_date(site):
    site.entry("a/x.md", "Datum", "am 3. Mai", Series="AzubiTagebuch")

    problem = only(check(site))

    assert (problem.field, problem.line) == ("Date", 2)
    assert problem.message == "„am 3. Mai“ ist kein Datum."
    assert "2025-09-01 10:00" in problem.fix


def test_unparseable_modified_date(site):
    site.entry(
        "a/x.md", "Datum", "2024-05-01", Modified="gestern", Series="AzubiTagebuch"
    )

    problem = only(check(site))

    assert problem.field == "Modified"


def test_placeholder_summary_is_an_error_and_a_long_one_a_warning(site):
    site.entry("a/x.md", "Platzhalter", "2024-02-01", Summary="TODO: schreiben")
    site.entry("a/y.md", "Lang", "2024-02-02", Summary=" ".join(["Wort"] * 80))

    problems = check(site)

    assert "Platzhalter" in only(problems, "error").message
    warning = only(problems, "warning")
    assert warning.path.endswith("a/y.md")
    assert "80 Wörter" in warning.message
    assert not has_errors([warning])


def test_image_field_missing_file_and_alt(site):
    site.entry("a/x.md", "Bild", "2024-02-01", Image="images/fehlt.jpg")
    site.entry("a/y.md", "Bild 2", "2024-02-02", Image="{static}/images/bild.png")

    problems = check(site)

    assert {(p.path[-6:], p.field) for p in problems} == {
        ("a/x.md", "Image"),
        ("a/x.md", "Image_alt"),
        ("a/y.md", "Image_alt"),
    }
    assert "„images/fehlt.jpg“ gibt es nicht" in next(
        p.message for p in problems if p.field == "Image"
    )


def test_images_in_the_text(site):
    site.entry(
        "a/x.md",
        "Bilder",
        "2024-02-01",
        body="""
        Gut: ![Ein Bild]({static}/images/bild.png)

        Ohne Alt: ![]({static}/images/bild.png)

        Fehlt: ![Weg]({static}/images/weg.png)
        """,
    )

    problems = check(site)

    assert [(p.field, p.line) for p in problems] == [("Bild", 8), ("Bild", 10)]
    assert "keinen Alternativtext" in problems[0].message
    assert "content/images/weg.png“ gibt es nicht" in problems[1].message
    assert "siehe" not in problems[1].message  # there is no other message


def test_links_that_lead_nowhere(site):
    site.entry(
        "a/x.md",
        "Links",
        "2024-02-01",
        body="""
        [gut]({filename}/azubitagebuch/1.md), [Serie](/serien/azubitagebuch/),
        [Anker](#oben), [Mail](mailto:info@example.org), [fremd](https://example.com/).

        [kaputt]({filename}/azubitagebuch/99.md)

        [relativ](../nirgendwo/)
        """,
    )

    problems = check(site)

    assert [(p.field, p.line) for p in problems] == [("Link", 9), ("Link", 11)]
    assert "{filename}/azubitagebuch/99.md" in problems[0].message
    assert "../nirgendwo/" in problems[1].message


def test_embeds_that_contact_other_sites(site):
    site.entry(
        "a/x.md",
        "Einbettungen",
        "2024-02-01",
        body="""
        <iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>

        <script src="https://tracker.example.com/t.js"></script>

        ![Logo](https://cdn.example.com/logo.png)

        Ein [Link](https://www.youtube.com/watch?v=abc) ist in Ordnung.
        """,
    )

    problems = check(site)

    assert [(p.field, p.line) for p in problems] == [
        ("Text", 6),
        ("Text", 8),
        ("Bild", 10),
    ]
    assert "<iframe>" in problems[0].message
    assert "<script>" in problems[1].message
    assert "anderen Website" in problems[2].message


def test_link_from_a_published_entry_to_a_draft(site):
    site.entry("a/entwurf.md", "Entwurf", "2024-03-01", Status="draft")
    site.entry(
        "a/x.md",
        "Verweis",
        "2024-02-01",
        body="Siehe [bald]({filename}/a/entwurf.md).",
    )

    problem = only(check(site))

    assert problem.path.endswith("a/x.md")
    assert "Entwurf" in problem.message
    assert "a/entwurf.md" in problem.message
    assert problem.line == 6


def test_a_draft_s_own_mistakes_are_warnings(site):
    site.entry("a/entwurf.md", "Entwurf", "2024-03-01", Status="draft", Summary="TODO")

    problems = check(site)

    assert only(problems, "warning").field == "Summary"
    assert not has_errors(problems)


def test_two_entries_with_one_address(site):
    site.entry("a/x.md", "Gleicher Titel", "2024-02-01")
    site.entry("b/y.md", "Gleicher Titel", "2024-05-01")

    problem = only(check(site))

    assert problem.field == "Adresse"
    assert "a/x.md" in problem.message
    assert "b/y.md" in problem.message
    assert "Slug:" in problem.fix


def test_every_problem_at_once_in_a_readable_report(site):
    site.entry("a/2.md", "Zwei", "2024-01-02", Series="Azubitagebuhc")
    site.entry("a/3.md", "Drei", "nie", Series="AzubiTagebuch")
    site.entry("a/4.md", "Vier", "2024-01-04", Summary=" ".join(["x"] * 70))

    problems = check(site)
    report = as_text(problems)

    assert len(problems) == 3
    assert "Fehler (Zeile 5, Series)" in report
    assert "Fehler (Zeile 2, Date)" in report
    assert "Warnung (Zeile 4, Summary)" in report
    assert "→ " in report
    assert report.endswith(
        "2 Fehler, 1 Warnung in 3 Dateien.\n"
        "Fehler verhindern das Veröffentlichen; Warnungen nicht."
    )


def invoke_check(site, *extra):
    return run_task(
        "check", "--content", str(site.content), *extra, cwd=site.root, COLUMNS="500"
    )


def test_invoke_check_exits_non_zero_on_errors_only(site):
    assert invoke_check(site).returncode == 0

    site.entry("a/lang.md", "Lang", "2024-02-02", Summary=" ".join(["x"] * 70))
    warned = invoke_check(site)
    assert warned.returncode == 0
    assert "1 Warnung" in warned.stdout

    site.entry("a/2.md", "Zwei", "2024-01-02", Series="Azubitagebuhc")
    failed = invoke_check(site)
    assert failed.returncode == 1
    assert "Meinten Sie „AzubiTagebuch“?" in failed.stdout


def test_invoke_check_json_for_tools(site):
    site.entry("a/2.md", "Zwei", "2024-01-02", Series="Azubitagebuhc")

    result = invoke_check(site, "--format", "json")
    (problem,) = json.loads(result.stdout)

    assert result.returncode == 1
    assert problem["path"].endswith("a/2.md")
    assert problem["line"] == 5
    assert problem["field"] == "Series"
    assert problem["severity"] == "error"
    assert problem["fix"]


def test_two_drafts_with_one_address_are_a_warning(site):
    site.entry("a/x.md", "Gleicher Entwurf", "2024-02-01", Status="draft")
    site.entry("b/y.md", "Gleicher Entwurf", "2024-05-01", Status="draft")

    problem = only(check(site), "warning")

    assert problem.field == "Adresse"
    assert problem.path.endswith("b/y.md")


def test_a_placeholder_in_code_is_no_placeholder(site):
    site.entry(
        "a/code.md",
        "Code",
        "2024-02-01",
        body="""
        Wer `TODO` in den Code schreibt, meint es so:

            # TODO: aufräumen

        Fertig.
        """,
    )

    assert check(site) == []


def test_a_link_to_a_series_file_leads_to_its_page(site):
    site.entry(
        "a/x.md",
        "Verweis",
        "2024-02-01",
        body="Mehr in der [Serie]({filename}/series/azubitagebuch.md).",
    )

    assert check(site) == []
    build = site.build()
    link = build.html("2024/verweis/").find("a", string="Serie")
    assert link["href"] == "/serien/azubitagebuch/"


def test_links_to_images_left_on_a_wordpress_site_are_warnings(site):
    site.entry(
        "a/x.md",
        "Umzug",
        "2024-02-01",
        """\
        Erster Absatz.

        [Foto](https://azubis.files.wordpress.com/2014/05/foto.JPG?w=300)

        <a href="https://i0.wp.com/bib.example/bild.webp">Bild</a> und
        [Plan](https://bib.example/wp-content/uploads/2014/plan.svg#oben)

        [Plakat](http://alt.wordpress.com/plakat.jpeg)
        """,
    )
    site.entry(
        "a/y.md",
        "Kein Bild",
        "2024-02-02",
        "[Text](https://azubis.wordpress.com/2014/05/12/hallo/) und "
        "[PDF](https://bib.example/wp-content/uploads/2014/flyer.pdf) und "
        "[Bild](https://bib.example/bilder/foto.jpg) und "
        "[Seite](https://bib.example/wp-content/uploads.png/x/)",
    )

    problems = check(site)

    assert {(p.path[-6:], p.line, p.field, p.severity) for p in problems} == {
        ("a/x.md", 8, "Link", "warning"),
        ("a/x.md", 10, "Link", "warning"),
        ("a/x.md", 11, "Link", "warning"),
        ("a/x.md", 13, "Link", "warning"),
    }
    assert len(problems) == 4
    assert "noch auf der alten WordPress-Seite" in problems[0].message
    assert "content/images/" in problems[0].fix
    assert "{static}" in problems[0].fix


# -- placeholders: in what is published, however it is written ----------------------


@pytest.mark.parametrize(
    ("body", "found", "line"),
    [
        ("Lorem\nipsum dolor sit amet.", "Lorem ipsum", 6),
        ("Ein Lorem <em>ipsum</em> dolor.", "Lorem ipsum", 6),
        ("LOREM IPSUM DOLOR.", "LOREM IPSUM", 6),
        ("lorem&nbsp;ipsum dolor.", "lorem ipsum", 6),
        ("<p>Lorem</p><p>ipsum</p>", "Lorem ipsum", 6),
        ("Noch **TO**DO.", "TODO", None),
        ("Noch TO&shy;DO.", "TODO", None),
        ("Noch TO\u200bDO.", "TODO", None),
        ("Bild: ![TODO]({static}/images/bild.png)", "TODO", 6),
        ('Ein [Link](https://example.org/ "TODO: Titel").', "TODO", 6),
        ('Ein <abbr title="Lorem ipsum">LI</abbr>.', "Lorem ipsum", 6),
        # characters that are never shown do not part it (Default_Ignorable)
        ("Noch T\u034fODO.", "TODO", None),  # combining grapheme joiner
        ("Noch TO\ufe0fDO.", "TODO", None),  # variation selector
        ("Noch TO\U000e0041DO.", "TODO", None),  # tag letter
        ("Noch TO\u2066DO.", "TODO", None),  # bidi isolate
        ("Noch TO\u115fDO.", "TODO", None),  # Hangul filler
        ("Lorem\u180b ipsum.", "Lorem ipsum", 6),  # Mongolian selector
        # letters that look the same (NFKC, Unicode's skeletons)
        ("Noch \uff34\uff2f\uff24\uff2f.", "TODO", None),  # fullwidth
        ("Noch \U0001d413\U0001d40e\U0001d403\U0001d40e.", "TODO", None),  # bold
        ("Noch \u0422\u041eD\u041e.", "TODO", None),  # Cyrillic Т and О
        ("Noch \u03a4\u039fD\u039f.", "TODO", None),  # Greek Τ and Ο
        ("L\u03bfrem ipsum.", "Lorem ipsum", None),  # a Greek ο
        (
            "\uff2c\uff4f\uff52\uff45\uff4d \uff49\uff50\uff53\uff55\uff4d",
            "Lorem ipsum",
            None,
        ),
    ],
)
def test_a_placeholder_in_the_published_text(site, body, found, line):
    site.entry("a/x.md", "Platzhalter", "2024-02-01", body=body)

    problem = only(check(site))

    assert (problem.field, problem.line) == ("Text", line)
    assert f"Platzhalter „{found}“" in problem.message


def test_what_only_looks_like_a_placeholder(site):
    site.entry(
        "a/x.md",
        "Keine Platzhalter",
        "2024-02-01",
        body=(
            "Meine ToDo-Liste. `Lorem ipsum` im Code. „Tödo“, T\u00d6DO und "
            "Lorem-ipsum-Generatoren sind keine; T\u00f6do auch nicht.\n\n"
            "    TODO: im Block"
        ),
    )

    assert check(site) == []


@pytest.mark.parametrize(
    ("fields", "field", "line"),
    [
        ({"Image": "images/bild.png", "Image_alt": "TODO"}, "Image_alt", 7),
        ({"Tags": "Ausleihe, TODO"}, "Tags", 6),
        ({"Summary": "Lorem\n    ipsum."}, "Summary", 4),
        ({"Category": "Lorem Ipsum"}, "Category", 6),
    ],
)
def test_a_placeholder_in_a_shown_field(site, fields, field, line):
    site.entry("a/x.md", "Feld", "2024-02-01", Series="AzubiTagebuch", **fields)

    problem = only(check(site))

    assert (problem.field, problem.line) == (field, line)


def test_a_placeholder_in_a_comment_or_a_series_introduction(site):
    site.write(
        "azubitagebuch/1.comments.json",
        {},
        '{"comments": [{"id": 1, "parent": null, "author": "Ann", '
        '"date": "2024-01-01T10:00:00+01:00", "text": "Lorem\\nipsum"}]}',
    )
    site.series("azubitagebuch", "AzubiTagebuch", body="Wir TODO erzählen.")

    problems = check(site)

    assert {(p.path.rsplit("content/")[-1], p.field) for p in problems} == {
        ("azubitagebuch/1.comments.json", "text"),
        ("series/azubitagebuch.md", "Text"),
    }
    assert all(p.severity == "error" for p in problems)


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("images/notiz.txt", "Eine Notiz.\nTODO: Text fehlt noch.", 2),
        ("images/untertitel.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nLorem ipsum", 4),
        (
            "images/plakat.svg",
            '<svg xmlns="http://www.w3.org/2000/svg"><title>TO<!-- -->DO Titel'
            '</title><text x="1" y="5">Plakat</text></svg>',
            None,
        ),
        (
            "images/zeichnung.svg",
            '<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="5">Lorem'
            '</text><text x="1" y="9">ipsum</text></svg>',
            None,
        ),
        (
            "images/knopf.svg",
            '<svg xmlns="http://www.w3.org/2000/svg"><rect aria-label="TODO" '
            'width="5" height="5"/></svg>',
            None,
        ),
    ],
)
def test_a_placeholder_in_a_text_file_or_drawing_published_as_it_is(
    site, name, text, line
):
    (site.content / name).write_text(text, "utf-8")

    problem = only(check(site))

    assert problem.path.endswith(f"content/{name}")
    assert (problem.field, problem.line) == ("Datei", line)
    assert problem.message.startswith("In der Datei steht noch der Platzhalter")


def test_what_a_drawing_styles_is_no_placeholder(site):
    (site.content / "images/stil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><style>.TODO{fill:red}</style>'
        '<rect class="TODO" width="5" height="5"/></svg>',
        "utf-8",
    )

    assert check(site) == []


# -- dates, time zones and templates Pelican cannot use -----------------------------


@pytest.mark.parametrize(
    ("date", "says"),
    [
        ("2024-03-01 10:00 +99:00", "höchstens 23:59 Stunden"),
        ("2024-03-01 10:00 -24:00", "höchstens 23:59 Stunden"),
        ("0001-01-01 00:00 +05:00", "zu weit in der Vergangenheit"),
        ("9999-12-31 23:00 -05:00", "zu weit in der Vergangenheit oder Zukunft"),
        ("2024-03", "fehlt das Jahr, der Monat oder der Tag"),
        ("10:00", "fehlt das Jahr, der Monat oder der Tag"),
        ("2024-03-01 10:00 MESZ", "Zeitzone ist unbekannt"),
        ("2024-02-30", "ist kein Datum"),
        ("30.02.2024", "ist kein Datum"),
        (
            "05/11/2024",
            "Tag und Monat vertauscht sein; gelesen würde es als 11. Mai 2024",
        ),
        ("05.11.24 10:00", "vertauscht sein; gelesen würde es als 11. Mai 2024, 10:00"),
    ],
)
def test_a_date_pelican_cannot_use_is_an_error_on_its_line(site, date, says):
    site.entry("a/x.md", "Datum", date, Series="AzubiTagebuch")

    problems = [p for p in check(site) if p.severity == "error" or p.field == "Date"]

    assert [(p.field, p.line) for p in problems] == [("Date", 2)]
    assert says in problems[0].message


@pytest.mark.parametrize(
    "date",
    [
        "05.11.2025 10:00",
        "5.11.2025 10:00",
        "5. November 2025 10:00",
        "5. Nov. 2025, 10:00 Uhr",
        "5 Nov 2025 10:00",
        "05.11.2025_10:00",
        "5.11.2025 10:00 +01:00",
        "2025-11-05 10:00",
    ],
)
def test_a_german_date_is_read_as_german(site, date):
    site.entry("a/x.md", "Datum", date, Modified="07.12.2025", Series="AzubiTagebuch")

    build = site.build()
    part = next(a for a in build.context["articles"] if a.title == "Datum")

    assert check(site) == []
    assert (part.date.month, part.date.day, part.date.hour) == (11, 5, 10)
    assert (part.modified.month, part.modified.day) == (12, 7)
    assert "5. November 2025" in build.html(part.url).get_text()


def test_german_month_names_and_their_abbreviations(site):
    months = "Jan. Februar März Apr Mai Juni Juli Aug. Sept. Okt. Nov Dezember"
    for number, month in enumerate(months.split(), 1):
        site.entry(f"a/{number}.md", f"Teil {number}", f"1. {month} 2025")

    build = site.build()

    assert check(site) == []
    found = {a.title: a.date.month for a in build.context["articles"]}
    assert [found[f"Teil {n}"] for n in range(1, 13)] == list(range(1, 13))


def test_an_unknown_time_zone_is_an_error_on_its_line(site):
    site.entry("a/x.md", "Zone", "2024-03-01", Timezone="Mars/Olympus")

    problem = only(check(site))

    assert (problem.field, problem.line) == ("Timezone", 5)
    assert problem.message == "„Mars/Olympus“ ist keine Zeitzone."


@pytest.mark.parametrize("template", ["redirect", "page", "index", "../base"])
def test_content_names_only_templates_of_its_kind(site, template):
    site.entry("a/x.md", "Vorlage", "2024-03-01", Template=template)

    build = site.build()  # with the usual template, no break-off
    problem = only(build.found)

    assert (problem.field, problem.line) == ("Template", 5)
    assert "keine Vorlage für diesen Inhalt; möglich sind: article" in problem.message
    assert build.html("2024/vorlage/").find("article") is not None


def test_a_template_the_settings_allow_must_be_in_the_theme(site):
    site.entry("a/x.md", "Vorlage", "2024-03-01", Template="breit")

    problem = only(site.build(FORTSETZUNG_ARTICLE_TEMPLATES=["breit"]).found)

    assert problem.message == "Eine Vorlage „breit“ hat das Theme nicht."


GITHUB_COMMAND = re.compile(r"^::(error|warning) ([^:]*)::(.*)$")


def github_annotations(output):
    """Read GitHub's workflow commands back: (kind, properties, message) each.

    As GitHub's runner does: a line is a command after leading spaces, and
    none is between `::stop-commands::TOKEN` and `::TOKEN::`.
    """
    found, stopped = [], None
    for line in (line.lstrip() for line in output.splitlines()):
        if stopped:
            stopped = None if line == f"::{stopped}::" else stopped
            continue
        if line.startswith("::stop-commands::"):
            stopped = line.removeprefix("::stop-commands::")
            continue
        command = GITHUB_COMMAND.match(line)
        if command:
            kind, said, message = command.groups()
            properties = dict(part.split("=", 1) for part in said.split(","))
            found.append((
                kind,
                {name: unquote(value) for name, value in properties.items()},
                unquote(message),
            ))  # fmt: skip
    return found


def test_check_for_github_annotates_file_and_line(site):
    site.entry("a/2.md", "Zwei", "2024-01-02", Series="Azubitagebuhc")
    # a comma and a colon in a file name must not end the property
    site.entry(
        "a/lang, aber: gut.md", "Lang", "2024-02-02", Summary=" ".join(["x"] * 70)
    )

    result = invoke_check(site, "--format", "github")
    (error, warning) = sorted(github_annotations(result.stdout))

    assert result.returncode == 1
    kind, properties, message = error
    assert kind == "error"
    assert properties["file"].endswith("content/a/2.md")
    assert not Path(properties["file"]).is_absolute()
    assert properties["line"] == "5"
    assert properties["title"] == "Series"
    said, fix = message.split("\n→ ")
    assert "Meinten Sie „AzubiTagebuch“?" in said
    assert fix
    assert warning[0] == "warning"
    assert warning[1]["file"].endswith("content/a/lang, aber: gut.md")
    # and the report for people follows, for the log
    assert "1 Fehler, 1 Warnung in 2 Dateien." in result.stdout


def test_no_line_of_a_message_is_taken_for_a_command():
    said = "Falsch.\n::error file=README.md,line=1::untergeschoben\n  ::add-mask::x"
    hostile = [Problem("content/a.md", "Text", said, "Anders.\n::warning::auch", 3)]

    output = as_github(hostile)
    ((kind, properties, message),) = github_annotations(output)

    assert (kind, properties["file"], properties["line"]) == (
        "error",
        "content/a.md",
        "3",
    )
    assert message == f"{said}\n→ Anders.\n::warning::auch"
    assert "::stop-commands::" in output  # the report, which quotes it, is inert


def test_check_for_gitlab_is_a_code_quality_report(site):
    site.entry("a/2.md", "Zwei", "2024-01-02", Series="Azubitagebuhc")
    site.entry("a/3.md", "Drei", "2024-01-03", Series="Azubitagebuhc")

    result = invoke_check(site, "--format", "gitlab")
    report = json.loads(result.stdout)
    schema = json.loads((ROOT / "tests/schemas/gitlab-codequality.json").read_text())

    assert result.returncode == 1
    jsonschema.validate(report, schema)
    (first, second) = sorted(report, key=lambda issue: issue["location"]["path"])
    assert first["location"]["path"].endswith("content/a/2.md")
    assert first["location"]["lines"]["begin"] == 5
    assert first["check_name"] == "Series"
    assert first["severity"] == "blocker"
    assert "Meinten Sie „AzubiTagebuch“?" in first["description"]
    assert first["fingerprint"] != second["fingerprint"]
    # the same problems have the same fingerprints in the next run, also
    # when a line above them was added
    site.entry("a/2.md", "Zwei", "2024-01-02", Series="Azubitagebuhc", Tags="Neu")
    again = json.loads(invoke_check(site, "--format", "gitlab").stdout)
    assert {i["fingerprint"] for i in again} == {i["fingerprint"] for i in report}


def test_the_same_problem_twice_has_two_fingerprints():
    twice = [
        Problem("content/a.md", "Text", "Ein Fehler.", "", line) for line in (3, 9)
    ]

    report = json.loads(as_gitlab(twice))

    assert len({issue["fingerprint"] for issue in report}) == 2


def test_check_refuses_an_unknown_format(site):
    result = invoke_check(site, "--format", "xml")

    assert result.returncode == 1
    assert "Unbekanntes Format „xml“: erlaubt sind text, json, github, gitlab." in (
        result.stderr
    )
    assert result.stdout == ""
