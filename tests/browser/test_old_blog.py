"""Comments and redirect pages of an old blog pass vnu.jar and axe-core.

The sample site has neither, so this builds a small site of its own: an
entry with threaded comments and an old address, under the theme and under
a theme without a redirect.html (the plugin's own).
"""

import json
import subprocess

import pytest
from conftest import Site

from browser.conftest import serving
from browser.test_accessibility import violations
from browser.test_html_validity import VNU

pytestmark = pytest.mark.browser

ENTRY = "2014/erster-tag/"


def old_blog(root):
    site = Site(root)
    site.series("azubitagebuch", "AzubiTagebuch")
    path = site.entry(
        "a/2014-05-12-erster-tag.md",
        "Erster Tag",
        "2014-05-12",
        Series="AzubiTagebuch",
        Redirect_from="/alt/%C3%BC/",
    )
    comments = [
        (1, None, "Toller *Beitrag* mit [Link](https://a.example/)"),
        (2, 1, "> Zitat\n\nDanke!"),
        (3, None, "Noch einer"),
    ]
    path.with_suffix(".comments.json").write_text(
        json.dumps({
            "comments": [
                {"id": i, "parent": p, "author": "Ann", "date": f"2014-05-1{i}", "text": t}
                for i, p, t in comments
            ]
        }),
        "utf-8",
    )  # fmt: skip
    return site


def test_comments_and_redirect_pages_are_valid_and_accessible(tmp_path, java, browser):
    site = old_blog(tmp_path)
    output = tmp_path / "output"
    with serving(output) as url:
        build = site.build("publishconf.py", output, SITEURL=url, FEED_DOMAIN=url)
        # the plugin's own redirect.html, under a theme without one
        plain = site.build("publishconf.py", THEME="simple", TEMPLATE_PAGES={})
        assert build.found == []
        pages = [
            output / ENTRY / "index.html",
            output / "alt/ü/index.html",
            plain.output / "alt/ü/index.html",
        ]
        checked = subprocess.run(
            [java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
            capture_output=True,
            text=True,
            check=False,
        )
        assert json.loads(checked.stderr)["messages"] == []
        page = browser.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{url}/{ENTRY}")
        found = violations(page)
        assert page.locator(".comment").count() == 3
        page.close()
    assert found == []
    assert all(r.startswith(url) for r in requests), requests
