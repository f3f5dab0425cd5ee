"""Series on a plain Pelican site: the model, navigation and the series pages."""

import pytest

from .plain import SITEURL, entry


@pytest.fixture
def diary(site):
    site.write(
        "series/diary.md",
        """
        Title: The Diary
        Summary: A year at the library.

        Why we keep a diary.
        """,
    )
    site.write("diary/one.md", entry("One", "2024-01-01", "The Diary"))
    site.write("diary/two.md", entry("Two", "2024-01-03", "the diary"))  # any case
    site.write("diary/three.md", entry("Three", "2024-01-02", "diary"))  # the slug
    site.write("diary/draft.md", entry("Draft", "2024-01-04", "diary", Status="draft"))
    # Pelican publishes a future date unless WITH_FUTURE_DATES is False
    site.write("diary/later.md", entry("Later", "2999-01-01", "diary"))
    site.write("other.md", entry("Alone", "2024-01-05"))
    return site


def test_parts_are_ordered_by_date_and_navigate_to_each_other(diary):
    built = diary.build(WITH_FUTURE_DATES=False)

    assert built.errors == []
    [series] = built.context["series_list"]
    assert (series.name, series.slug) == ("The Diary", "diary")
    assert [a.title for a in series.articles] == ["One", "Three", "Two"]
    one, three, two = series.articles
    assert (three.series.index, three.series.previous, three.series.next) == (
        2,
        one,
        two,
    )
    assert one.series.previous is None
    assert two.series.all_previous == [one, three]
    alone = next(a for a in built.context["articles"] if a.title == "Alone")
    assert getattr(alone, "series", None) is None


def test_series_index_wins_over_the_date(site):
    site.write("series/s.md", "Title: S\n\nIntro.\n")
    site.write("s/a.md", entry("A", "2024-01-01", "S", Series_index="2"))
    site.write("s/b.md", entry("B", "2024-02-01", "S", Series_index="1"))

    built = site.build()

    [series] = built.context["series_list"]
    assert [a.title for a in series.articles] == ["B", "A"]


@pytest.mark.parametrize("theme", ["simple", "notmyidea"])
def test_series_pages_list_the_published_parts_in_order(diary, theme):
    built = diary.build(THEME=theme, WITH_FUTURE_DATES=False)

    page = built.html("series/diary/")
    parts = page.xpath("//ol[@class='series-parts']/li/a")
    assert [a.text_content() for a in parts] == ["One", "Three", "Two"]
    assert parts[0].get("href") == f"{SITEURL}/one.html"
    assert "Why we keep a diary." in page.text_content()
    listed = built.html("series/").text_content()
    assert "The Diary" in listed
    assert "Draft" not in built.html("series/diary/").text_content()
    assert "Later" not in built.html("series/diary/").text_content()


def test_an_unknown_series_is_an_error_with_a_hint(diary):
    diary.write("diary/typo.md", entry("Typo", "2024-01-06", "The Dairy"))

    built = diary.build()

    [error] = built.errors
    assert error.path.endswith("typo.md")
    assert error.field == "Series"
    assert "The Diary" in error.fix
    [series] = built.context["series_list"]
    assert "Typo" not in [a.title for a in series.articles]


def test_two_parts_with_one_index_are_an_error(site):
    site.write("series/s.md", "Title: S\n\nIntro.\n")
    site.write("s/a.md", entry("A", "2024-01-01", "S", Series_index="1"))
    site.write("s/b.md", entry("B", "2024-02-01", "S", Series_index="1"))

    built = site.build()

    assert [e.field for e in built.errors] == ["Series_index"]


def test_a_series_without_a_published_part_is_a_draft_series(site):
    site.write("series/soon.md", "Title: Soon\n\nComing.\n")
    site.write("soon/a.md", entry("A", "2024-01-01", "Soon", Status="draft"))

    built = site.build()

    assert built.context["series_list"] == []
    assert "series/soon/index.html" not in built.files()
    assert "drafts/series/soon/index.html" in built.files()
