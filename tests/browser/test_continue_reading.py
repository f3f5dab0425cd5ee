"""Continue reading: the browser remembers, per series, where a reader is, locally.

A part left before its end is offered again; a part read to its end (its
last paragraph reached, or "Nächster Teil" followed) makes the part after it
the one offered; with nothing left the pages say that the reader is up to
date. Each test visits pages one after the other in one browser, as a
reader does.
"""

import json

import pytest

from browser.conftest import PageType

pytestmark = pytest.mark.browser

UP_TO_DATE = (
    "Sie sind auf dem neuesten Stand: Sie haben alle bisher erschienenen Teile gelesen."
)
# the series page, the all-series page and the start page offer it
OFFERED_ON = ("{series}", "serien/", "")


def part_of(served_site, number=3):
    """The part `number` of the sample site's first series with one after it."""
    for series in served_site.build.context["series_list"]:
        if len(series.articles) > number:
            return series, series.articles[number - 1]
    raise LookupError(f"the sample site has no series with {number + 1} parts")


@pytest.fixture
def reader(served_site, browser_context):
    """A tab of a browser that has read nothing yet; every request recorded."""
    page = browser_context(True).new_page()
    page.set_viewport_size({"width": 1280, "height": 600})
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(f"{served_site.url}/serien/")
    page.evaluate("localStorage.clear()")  # what other tests' visits left
    yield page
    assert all(served_site.is_local(url) for url in page.requests)
    page.evaluate("localStorage.clear()")
    page.close()


def open_part(page, served_site, part):
    """Open `part` at its top, its last paragraph not yet on the screen."""
    page.goto(f"{served_site.url}/{part.url}")
    end = page.locator(".entry-content > :last-child")
    assert end.evaluate("element => element.getBoundingClientRect().top") > 600
    return end


def read_to_the_end(page, served_site, part):
    open_part(page, served_site, part).scroll_into_view_if_needed()
    slug = part.series.series.slug
    page.wait_for_function(
        f"JSON.parse(localStorage.getItem('fortsetzung:weiterlesen:{slug}')).done"
    )


def offers(page, served_site, series):
    """What each page that offers a series shows for it: {url: (text, href)}."""
    shown = {}
    for url in (u.format(series=series.url) for u in OFFERED_ON):
        # networkidle: a page may first ask the site for a part's page
        page.goto(f"{served_site.url}/{url}", wait_until="networkidle")
        slot = page.locator(f'[data-continue="{series.slug}"]')
        if slot.is_hidden():
            shown[url] = None
            continue
        links = slot.get_by_role("link")
        href = links.get_attribute("href") if links.count() else None
        shown[url] = (slot.inner_text(), href)
    return shown


def everywhere(series, text, href):
    return {url.format(series=series.url): (text, href) for url in OFFERED_ON}


def offered(part):
    return f"Weiterlesen: Teil {part.series.index} – {part.title}", f"/{part.url}"


def test_a_part_left_before_its_end_stays_offered(served_site, reader):
    series, part = part_of(served_site)
    assert set(offers(reader, served_site, series).values()) == {None}  # none read
    open_part(reader, served_site, part)
    assert offers(reader, served_site, series) == everywhere(series, *offered(part))
    # a series whose parts were not opened offers nothing
    assert reader.locator("[data-continue]:not([hidden])").count() == 1
    # "Nächster Teil" followed: the part after it
    open_part(reader, served_site, part)
    with reader.expect_navigation():
        reader.get_by_role("link", name="Nächster Teil").first.click()
    after = series.articles[part.series.index]
    assert offers(reader, served_site, series) == everywhere(series, *offered(after))


def test_a_part_read_to_its_last_paragraph_offers_the_next_part(served_site, reader):
    series, part = part_of(served_site)
    read_to_the_end(reader, served_site, part)
    after = series.articles[part.series.index]
    assert offers(reader, served_site, series) == everywhere(series, *offered(after))
    # opened again and left before its end: offered again
    open_part(reader, served_site, part)
    assert offers(reader, served_site, series) == everywhere(series, *offered(part))


def test_with_the_last_part_read_the_reader_is_up_to_date(served_site, reader):
    series, _part = part_of(served_site)
    last = series.articles[-1]
    read_to_the_end(reader, served_site, last)
    assert offers(reader, served_site, series) == everywhere(series, UP_TO_DATE, None)


def test_parts_published_since_the_last_was_read_are_offered(served_site, reader):
    """Part 2 was the newest when it was read; parts 3 … appeared since."""
    series, part = part_of(served_site, 2)
    remembered = {"url": f"/{part.url}", "title": part.title, "index": "2"}
    remembered |= {"next": None, "done": True}
    reader.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [f"fortsetzung:weiterlesen:{series.slug}", json.dumps(remembered)],
    )
    after = series.articles[2]
    assert offers(reader, served_site, series) == everywhere(series, *offered(after))


def test_without_javascript_nothing_is_offered_and_nothing_breaks(served_site, visit):
    series, part = part_of(served_site)
    visit(PageType("part", part.url, part.title), javascript=False)
    page = visit(PageType("series", series.url, series.name), javascript=False).page
    assert page.locator(f'[data-continue="{series.slug}"]').is_hidden()
    assert page.get_by_role("heading", name=series.name).first.is_visible()
