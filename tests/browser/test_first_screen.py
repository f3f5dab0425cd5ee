"""What a reader comes for is on the first screen: parts of a series, a part's text."""

import pytest

pytestmark = pytest.mark.browser


def opened(served_site, browser_context, path, width, height):
    page = browser_context(True).new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{served_site.url}/{path}")
    return page


def test_a_series_page_shows_its_first_parts_at_1280_by_800(
    served_site, browser_context
):
    for series in served_site.build.context["series_list"]:
        page = opened(served_site, browser_context, series.url, 1280, 800)
        first = page.locator(".series-all li").first.bounding_box()
        assert first["y"] + first["height"] <= 800, series.url
        page.close()


def test_a_part_starts_its_text_on_a_phones_first_screen(served_site, browser_context):
    articles = served_site.build.context["articles"]
    middle = [a for a in articles if getattr(a, "series", None) and a.series.next]
    for part in middle[:3]:
        page = opened(served_site, browser_context, part.url, 375, 667)
        text = page.locator(".entry-content > *").first.bounding_box()
        assert text["y"] + 3 * 24 <= 667, part.url  # three lines of it at least
        # the pager above the text is one line; its links keep the titles
        pager = page.locator(".series-pager .prev-next").bounding_box()
        assert pager["height"] < 60, part.url
        pager = page.locator(".series-pager")
        name = f"Nächster Teil: {part.series.next.title}"
        assert pager.get_by_role("link", name=name, exact=True).count() == 1
        page.close()
