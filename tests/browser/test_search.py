"""The search page finds German words in any form, from the site's own index.

The sample site (content/) is built as published and indexed as every build
of the site's tools does (sitetools/search.py); a reader types into the
search page in Chromium.
"""

import pytest

from browser.conftest import PageType
from browser.test_accessibility import describe, violations

pytestmark = pytest.mark.browser

SEARCH = PageType("search", "suche/", "Suche")
BUECHERBUS = "Die Straße der Bücher: unterwegs mit dem Bücherbus"


def search(visit, words, series=None):
    """Search like a reader: type, (choose a series,) press Enter; return the page."""
    page = visit(SEARCH).page
    if series:
        page.get_by_label("Nur in der Serie").select_option(series)
    field = page.get_by_label("Suchbegriff").last  # the page's, not the header's
    field.fill(words)
    field.press("Enter")
    page.locator("#suche-status").filter(has_text=f"„{words}“").wait_for()
    return page


def titles(page):
    return page.locator("#suche-ergebnisse h2").all_inner_texts()


@pytest.mark.parametrize("words", ["Büchern", "Rad", "bücherei"])
def test_inflected_forms_and_umlauts_find_the_entry(visit, words):
    # "Büchern" finds "Bücher", "Rad" finds "auf Rädern": German stemming
    page = search(visit, words)
    assert BUECHERBUS in titles(page)


def test_typing_searches_without_enter(visit, served_site):
    page = visit(SEARCH).page
    page.get_by_label("Nur in der Serie").wait_for()  # the page's own search has run
    page.get_by_label("Suchbegriff").last.press_sequentially("Bücherb")
    page.locator("#suche-status").filter(has_text="„Bücherb“").wait_for()
    assert BUECHERBUS in titles(page)
    assert page.url == f"{served_site.url}/suche/?q=B%C3%BCcherb&serie="


def test_without_javascript_the_button_sends_the_form(visit, served_site):
    page = visit(SEARCH, javascript=False).page
    page.get_by_label("Suchbegriff").last.fill("Bücherbus")
    with page.expect_navigation():
        page.get_by_role("button", name="Suchen").click()
    assert page.url.startswith(f"{served_site.url}/suche/?q=B%C3%BCcherbus")


def test_the_snippet_is_the_text_not_title_date_and_byline(visit):
    page = search(visit, "Bücherbus")
    result = page.locator("#suche-ergebnisse li").filter(has_text=BUECHERBUS)
    snippet = result.locator("p:not(.meta)").inner_text()
    assert "Im Februar durfte ich eine Woche lang im Bücherbus mitfahren" in snippet
    for repeated in ("unterwegs mit dem Bücherbus", "10. Februar 2025", "Lena K."):
        assert repeated not in snippet
    # the title is still searched: words only in it find the entry or page
    assert BUECHERBUS in titles(search(visit, "unterwegs"))
    assert "Impressum" in titles(search(visit, "Impressum"))


@pytest.mark.parametrize(
    ("words", "series"),
    [
        ("Mittwochnachmittag", "Vorleseerlebnisse"),
        ("Ausbildungsjahrgang", "AzubiTagebuch"),
    ],
)
def test_a_series_introduction_is_found(visit, served_site, words, series):
    page = search(visit, words)
    assert titles(page) == [series]
    result = page.locator("#suche-ergebnisse li")
    assert words in result.locator("p").inner_text()
    [found] = [s for s in served_site.build.context["series_list"] if s.name == series]
    link = result.get_by_role("link", name=series)
    assert link.get_attribute("href") == f"/{found.url}"
    # the series filter keeps its own page
    assert titles(search(visit, words, series=series)) == [series]


def test_a_result_names_its_series_and_part(visit):
    page = search(visit, "Bücherbus")
    result = page.locator("#suche-ergebnisse li").filter(has_text=BUECHERBUS)
    assert "Teil 5 von 5 der Serie „AzubiTagebuch“" in result.inner_text()
    link = result.get_by_role("link", name=BUECHERBUS)
    assert link.get_attribute("href").endswith(
        "/2025/die-strasse-der-buecher-unterwegs-mit-dem-buecherbus/"
    )


@pytest.mark.parametrize(
    "words",
    ["Prüfungsvorbereitung", "Vergaberecht", "Hörbuchfrühling", "Wunschformular"],
)
def test_drafts_and_scheduled_parts_are_never_found(visit, words):
    # words of a draft (Prüfungsvorbereitung) and of a scheduled part
    page = search(visit, words)
    found = titles(page)
    assert "Prüfungsvorbereitung (Entwurf)" not in found
    assert "Vorschau: Hörbuchfrühling in der Hör-Bar" not in found
    assert "drafts/" not in page.locator("#suche-ergebnisse").inner_html()


def test_the_series_filter_keeps_to_one_series(visit):
    everywhere = titles(search(visit, "Kinder"))
    page = search(visit, "Kinder", series="Hör-Bar")
    only = titles(page)
    assert only and set(only) < set(everywhere)
    for part in page.locator("#suche-ergebnisse .meta").all_inner_texts():
        assert part.endswith("der Serie „Hör-Bar“")


def test_the_header_field_leads_to_the_results(visit, served_site):
    page = visit(PageType("home", "", "")).page
    field = page.get_by_role("search").get_by_label("Suchbegriff")
    field.fill("Bücherbus")
    field.press("Enter")
    page.locator("#suche-status").filter(has_text="„").wait_for()
    assert BUECHERBUS in titles(page)
    assert page.url == f"{served_site.url}/suche/?q=B%C3%BCcherbus"


def test_results_are_accessible(visit):
    found = violations(search(visit, "Bücher"))
    assert not found, "\n".join(describe(v) for v in found)
