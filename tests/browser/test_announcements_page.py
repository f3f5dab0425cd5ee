"""The preview's page for the social-media team passes the checks every page does.

The other browser tests open the site as published, which has no such page:
this builds content/ with the preview's settings and checks /ankuendigungen/
with axe-core, the Nu HTML Checker, for requests to other hosts and for a
page wider than a phone.
"""

import json
import subprocess

import pytest
from conftest import ROOT, Site

from browser.conftest import serving
from browser.test_accessibility import describe, violations
from browser.test_html_validity import VNU

pytestmark = pytest.mark.browser

PATH = "ankuendigungen/"


@pytest.fixture(scope="module")
def preview_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("ankuendigungen")
    output = root / "output"
    with serving(output) as url:
        site = Site(root)
        site.content = ROOT / "content"
        build = site.build("pelicanconf.py", output, SITEURL=url, FEED_DOMAIN=url)
        assert build.errors == []
        assert (output / PATH / "index.html").is_file()
        yield url, output


@pytest.fixture
def opened(browser, preview_url):
    url, _output = preview_url
    context = browser.new_context(locale="de-DE", service_workers="block")
    context.route(
        lambda address: not address.startswith(url),
        lambda route: route.abort("blockedbyclient"),
    )
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{url}/{PATH}", wait_until="load")
    yield page, requests, url
    context.close()


def test_page_has_no_wcag_21_aa_violations(opened):
    page, _requests, _url = opened
    found = violations(page)
    assert not found, "\n".join(describe(v) for v in found)


def test_page_loads_nothing_from_elsewhere_and_fits_a_phone(opened):
    page, requests, url = opened
    assert [r for r in requests if not r.startswith(url)] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("textarea").count() >= 5


def test_page_is_valid_html(preview_url, java):
    _url, output = preview_url
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json",
         str(output / PATH / "index.html")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert json.loads(result.stderr)["messages"] == []
