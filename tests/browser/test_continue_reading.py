"""Continue reading: the browser remembers the last part read, per series, locally."""

import pytest

from browser.conftest import PageType

pytestmark = pytest.mark.browser


def part_of(served_site, number=3):
    """The part `number` of the sample site's first series with that many."""
    for series in served_site.build.context["series_list"]:
        if len(series.articles) >= number:
            return series, series.articles[number - 1]
    raise LookupError(f"the sample site has no series with {number} parts")


def test_the_last_part_read_is_offered_on_the_series_start_and_all_series_pages(
    served_site, browser_context
):
    series, part = part_of(served_site)
    context = browser_context(True)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{served_site.url}/{series.url}")
    page.evaluate("localStorage.clear()")  # what other tests' visits left
    page.reload()
    offer = page.locator(f'[data-continue="{series.slug}"]')
    assert offer.is_hidden()  # nothing read yet

    page.goto(f"{served_site.url}/{part.url}")
    expected = f"Weiterlesen: Teil 3 – {part.title}"
    for url in (series.url, "serien/", ""):
        page.goto(f"{served_site.url}/{url}")
        link = page.locator(f'[data-continue="{series.slug}"]').get_by_role("link")
        assert link.inner_text() == expected, url
        assert link.get_attribute("href") == f"/{part.url}"
    # a series whose parts were not opened offers nothing
    others = page.locator("[data-continue]:not([hidden])")
    assert others.count() == 1
    assert all(served_site.is_local(url) for url in requests)
    page.evaluate("localStorage.clear()")
    page.close()


def test_without_javascript_nothing_is_offered_and_nothing_breaks(served_site, visit):
    series, part = part_of(served_site)
    visit(PageType("part", part.url, part.title), javascript=False)
    page = visit(PageType("series", series.url, series.name), javascript=False).page
    assert page.locator(f'[data-continue="{series.slug}"]').is_hidden()
    assert page.get_by_role("heading", name=series.name).first.is_visible()
