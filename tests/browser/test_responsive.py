"""No page is too wide; screenshots of every page type for people to look at.

The screenshots are taken only with `--screenshots` (tests/conftest.py:
`python3 dev.py tests --args "--screenshots -k screenshot"`) and land in
test-artifacts/screenshots/<page type>-<width>.png.
"""

import pytest
from conftest import ROOT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

# The elements that stick out on the right, innermost first, as tag#id.class.
TOO_WIDE = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = new Set([...document.body.querySelectorAll("*")].filter(
    (el) => el.getBoundingClientRect().right > limit + 1));
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map((c) => "." + c).join("");
  return [...wide].filter((el) => ![...el.children].some((c) => wide.has(c)))
    .map((el) => `${name(el)} (to ${Math.round(el.getBoundingClientRect().right)}px)`);
}"""


@pytest.mark.screenshots
@pytest.mark.parametrize("width", [375, 1280])
def test_screenshot(page_info, visit, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{page_info.name}-{width}.png"
    visit(page_info, width=width).page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def test_page_does_not_scroll_sideways_at_320px(page_info, visit):
    page = visit(page_info, width=320).page
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > 320:
        pytest.fail(
            f"{page_info.name} (/{page_info.path}) is {scroll_width}px wide at "
            f"320px; sticking out: {', '.join(page.evaluate(TOO_WIDE)[:5])}",
            pytrace=False,
        )
