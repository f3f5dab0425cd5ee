"""A feed opened in Chromium is shown without warnings (no XSLT, nothing loaded)."""

import pytest

pytestmark = pytest.mark.browser


def test_a_series_feed_opens_without_warnings(served_site, browser_context):
    series = served_site.build.context["series_list"][0]
    page = browser_context(True).new_page()
    said, requests = [], []
    page.on("console", lambda message: said.append(message.text))
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto(f"{served_site.url}/{series.feed_path('atom')}")
    assert response.ok
    assert requests == [response.url]  # no stylesheet, nothing else
    assert not [text for text in said if "XSLT" in text or "xslt" in text.lower()]
    assert series.name in page.content()
    page.close()
