"""The series model as templates see it: order, positions, the series objects."""

import datetime

import pytest
from conftest import titles


@pytest.fixture
def diary(site):
    site.series("azubitagebuch", "AzubiTagebuch", Status="ongoing")
    return site


def test_parts_without_index_follow_their_dates(diary):
    # written to disk in an order that is neither date nor name order
    for name, title, date in [
        ("c", "Dritter", "2024-03-01"),
        ("a", "Vierter", "2024-04-01"),
        ("d", "Erster", "2024-01-01"),
        ("b", "Zweiter", "2024-02-01"),
    ]:
        diary.entry(f"a/{name}.md", title, date, Series="AzubiTagebuch")

    series = diary.build().series("azubitagebuch")

    assert titles(series.articles) == ["Erster", "Zweiter", "Dritter", "Vierter"]
    assert [a.series.index for a in series.articles] == [1, 2, 3, 4]


def test_explicit_index_wins_over_date(diary):
    diary.entry(
        "a/1.md",
        "Neuester, aber Teil 1",
        "2024-05-01",
        Series="AzubiTagebuch",
        Series_index=1,
    )
    diary.entry("a/2.md", "Alt", "2024-01-01", Series="AzubiTagebuch")
    diary.entry(
        "a/3.md", "Mittel, Teil 3", "2024-03-01", Series="AzubiTagebuch", Series_index=3
    )
    diary.entry("a/4.md", "Jünger", "2024-02-01", Series="AzubiTagebuch")

    series = diary.build().series("azubitagebuch")

    assert titles(series.articles) == [
        "Neuester, aber Teil 1",
        "Alt",
        "Mittel, Teil 3",
        "Jünger",
    ]


def test_gaps_in_explicit_indexes_close_up(diary):
    diary.entry("a/x.md", "Zehn", "2024-01-01", Series="AzubiTagebuch", Series_index=10)
    diary.entry("a/y.md", "Fünf", "2024-02-01", Series="AzubiTagebuch", Series_index=5)

    series = diary.build().series("azubitagebuch")

    assert titles(series.articles) == ["Fünf", "Zehn"]
    assert [a.series.index for a in series.articles] == [1, 2]


def test_same_date_is_ordered_by_file_name(diary):
    for name in ("b", "c", "a"):
        diary.entry(
            f"a/{name}.md", f"Teil {name}", "2024-01-01 10:00", Series="AzubiTagebuch"
        )

    series = diary.build().series("azubitagebuch")

    assert titles(series.articles) == ["Teil a", "Teil b", "Teil c"]


def test_series_is_named_by_title_or_slug_in_any_case(site):
    site.series("hoer-bar", "Hör-Bar")
    for n, name in enumerate(
        ["Hör-Bar", "hör-bar", "HOER-BAR", "hoer-bar", " Hör-Bar "]
    ):
        site.entry(f"h/{n}.md", f"Teil {n}", f"2024-01-0{n + 1}", Series=name)

    build = site.build()

    assert build.errors == []
    assert build.series("hoer-bar").count == 5


def test_template_api_is_a_superset_of_pelican_series(diary):
    for n in range(1, 5):
        diary.entry(f"a/{n}.md", f"Teil {n}", f"2024-01-0{n}", Series="AzubiTagebuch")

    build = diary.build()
    series = build.series("azubitagebuch")
    first, second, third, fourth = series.articles
    position = third.series

    assert position.name == "AzubiTagebuch"
    assert position.index == 3
    assert position.count == 4
    assert position.all == [first, second, third, fourth]
    assert position.all_previous == [first, second]
    assert position.all_next == [fourth]
    assert position.previous is second
    assert position.next is fourth
    assert position.url == "serien/azubitagebuch/"
    assert position.series is series
    # pelican-series gives a dict; templates that subscript keep working
    assert position["index"] == 3
    assert position["name"] == "AzubiTagebuch"
    assert first.series.previous is None
    assert fourth.series.next is None
    assert first.series.all_previous == []
    assert build.context["series_list"] == [series]


def test_series_object_carries_its_description(site):
    site.series(
        "hoer-bar",
        "Hör-Bar",
        body="Wir *hören* für Sie.",
        Status="completed",
        Image="images/hoerbar.svg",
        Image_alt="Kopfhörer auf einem Bücherstapel",
    )
    site.write("images/hoerbar.svg", {}, '<svg xmlns="http://www.w3.org/2000/svg"/>')
    site.entry("h/1.md", "Erster", "2024-01-01", Series="Hör-Bar")
    site.entry(
        "h/2.md", "Zweiter", "2024-03-01", Series="Hör-Bar", Modified="2024-06-01"
    )
    site.entry(
        "h/3.md", "Dritter mit Index 2", "2024-02-01", Series="Hör-Bar", Series_index=2
    )

    series = site.build().series("hoer-bar")

    assert series.name == "Hör-Bar"
    assert series.url == "serien/hoer-bar/"
    assert series.save_as == "serien/hoer-bar/index.html"
    assert series.status == "completed"
    assert series.image == "images/hoerbar.svg"
    assert series.image_alt == "Kopfhörer auf einem Bücherstapel"
    assert "<em>hören</em>" in series.intro
    assert series.count == 3
    assert series.first.title == "Erster"
    assert series.latest.title == "Zweiter"  # newest date, not last in order
    assert series.updated.date() == datetime.date(2024, 6, 1)
    assert series.feed_atom == "feeds/serie/hoer-bar.atom.xml"
    assert series.feed_rss == "feeds/serie/hoer-bar.rss.xml"


def test_status_defaults_to_ongoing_and_series_list_is_sorted(site):
    site.series("z", "Zeitreisen")
    site.series("a", "alte Schätze")
    site.series("m", "Mittendrin")
    for slug in "zam":
        site.entry(f"{slug}/1.md", "Teil 1", "2024-01-01", Series=slug, Slug=slug)

    build = site.build()

    assert [s.name for s in build.context["series_list"]] == [
        "alte Schätze",
        "Mittendrin",
        "Zeitreisen",
    ]
    assert {s.status for s in build.context["series_list"]} == {"ongoing"}


def test_a_series_is_public_once_a_part_is_published_or_it_is_announced(site):
    site.series("leer", "Noch leer")
    site.series("entwurf", "Nur Entwürfe")
    site.entry("e/1.md", "Entwurf", "2024-01-01", Series="entwurf", Status="draft")
    site.series("geplant", "Nur Geplantes")
    site.entry("g/1.md", "Geplant", "2999-01-01", Series="geplant")
    site.series("angekuendigt", "Angekündigt", Status="announced")

    build = site.build()

    assert [s.name for s in build.context["series_list"]] == ["Angekündigt"]
    assert build.series("angekuendigt").count == 0
    assert build.series("angekuendigt").status == "announced"
    assert [s.name for s in build.context["draft_series"]] == [
        "Noch leer",
        "Nur Entwürfe",
        "Nur Geplantes",
    ]
    assert all(not s.public for s in build.context["draft_series"])


def test_series_descriptions_are_not_articles_or_pages(diary):
    diary.entry("a/1.md", "Teil 1", "2024-01-01", Series="AzubiTagebuch")

    build = diary.build()

    assert titles(build.context["articles"]) == ["Teil 1"]
    assert build.context["pages"] == []


def test_articles_outside_a_series_have_no_series(diary):
    diary.entry("blog/x.md", "Neue Öffnungszeiten", "2024-01-01")

    build = diary.build()

    assert not getattr(build.context["articles"][0], "series", None)


@pytest.mark.parametrize(
    ("index", "count", "expected"),
    [
        # first, two neighbours each side, last; None marks left-out parts
        (1, 12, [1, 2, 3, None, 12]),
        (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
        (12, 12, [1, None, 10, 11, 12]),
        # a gap of exactly one part shows that part instead of "…"
        (4, 12, [1, 2, 3, 4, 5, 6, None, 12]),
        (3, 5, [1, 2, 3, 4, 5]),
        (1, 1, [1]),
    ],
)
def test_table_of_contents_is_shortened_around_the_current_part(
    site, index, count, expected
):
    site.series("s", "Serie")
    for n in range(1, count + 1):
        site.entry(f"s/{n:02}.md", f"Teil {n}", f"2024-01-{n:02}", Series="Serie")

    series = site.build().series("s")
    toc = series.articles[index - 1].series.toc

    assert [a.series.index if a else None for a in toc] == expected


def test_table_of_contents_stays_short_in_a_long_series(site):
    site.series("s", "Serie")
    for n in range(1, 301):
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=n)
        site.entry(f"s/{n:03}.md", f"Teil {n}", day.isoformat(), Series="Serie")

    series = site.build().series("s")

    assert max(len(a.series.toc) for a in series.articles) <= 9


def test_series_with_quotes_in_its_title_is_found_as_typed(site):
    site.series("krimi", '"Krimi" & Co.')
    site.entry("k/1.md", "Eins", "2024-01-01", Series='"Krimi" & Co.')

    build = site.build()

    assert build.errors == []
    assert build.series("krimi").name == "„Krimi“ & Co."
    assert build.series("krimi").count == 1
