"""Pages load nothing from another host and show their content without JavaScript."""

import pytest

pytestmark = pytest.mark.browser


#: A window this tall shows all of most pages, so that lazy images load too.
TALL = 8000


def test_page_requests_nothing_from_another_host(served_site, page_info, visit):
    visited = visit(page_info, height=TALL, wait_until="networkidle")
    height = visited.page.evaluate("document.documentElement.scrollHeight")
    if height > TALL:  # once more in a window as tall as the page
        visited.page.set_viewport_size({"width": 1280, "height": height})
        visited.page.reload(wait_until="networkidle")
    foreign = [url for url in visited.requests if not served_site.is_local(url)]
    foreign = list(dict.fromkeys(foreign))  # each once, in order
    if foreign:
        pytest.fail(
            f"{page_info.name} (/{page_info.path}) asks other hosts for:\n"
            + "\n".join(f"- {url}" for url in foreign),
            pytrace=False,
        )


def test_main_content_shows_without_javascript(page_info, visit):
    page = visit(page_info, javascript=False).page
    main = page.locator("main")
    assert main.count() == 1, f"{page_info.name}: one <main> expected"
    assert main.locator("h1").first.is_visible(), f"{page_info.name}: no visible h1"
    if page_info.text:
        shown = main.get_by_text(page_info.text).first
        assert shown.is_visible(), f"{page_info.name}: {page_info.text!r} not shown"
