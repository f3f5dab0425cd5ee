"""Every page type passes axe-core's WCAG 2.1 level A and AA rules."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()  # axe-core as shipped in the package; injected, nothing fetched


def describe(violation, shown=3):
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
    more = f" (+{len(targets) - shown} more)" if len(targets) > shown else ""
    return (
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"    {', '.join(targets[:shown])}{more}"
    )


def violations(page):
    """Return axe-core's WCAG 2.1 AA violations on `page` (a Playwright page)."""
    results = AXE.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_21_AA},
            "resultTypes": ["violations"],
        },
    )
    return results.response["violations"]


def test_page_has_no_wcag_21_aa_violations(page_info, visit):
    found = violations(visit(page_info).page)
    if found:
        pytest.fail(
            f"axe-core finds {len(found)} WCAG 2.1 AA violation(s) on "
            f"{page_info.name} (/{page_info.path}):\n"
            + "\n".join(describe(v) for v in found),
            pytrace=False,
        )
