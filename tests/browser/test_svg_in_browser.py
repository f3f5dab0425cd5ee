"""Every SVG a site serves, opened at its own address, runs nothing and loads nothing.

An SVG opened as a document of its own (its URL in the address bar) is
where a script in it would run, on the library's domain. Each file is
opened in Chromium with JavaScript on, every element is clicked (event
handlers, links, animated links), and every request is recorded: there
must be no dialog, no console message from a script and no request to
another host. Run over the sample site and over a site whose content holds
every hostile variant of tests/test_svg.py (built as the preview builds it,
with its errors).
"""

from urllib.parse import urlsplit

import pytest
from conftest import Site
from test_svg import EDITORS, HOSTILE, slug

from browser.conftest import serving

pytestmark = pytest.mark.browser

#: Clicks every element (handlers run, links are followed), then waits for
#: what that queued (a javascript: navigation) to run.
CLICK_ALL = """async () => {
    for (const element of document.querySelectorAll("*")) {
        element.dispatchEvent(new MouseEvent("click", {bubbles: true}));
    }
    await new Promise(done => setTimeout(done, 0));
}"""


def misdeeds(context, url):
    """What opening the SVG at `url` did: scripts run and foreign requests."""
    local = urlsplit(url).netloc
    found = []

    def request(route):
        target = route.request.url
        if urlsplit(target).scheme in {"http", "https"} and (
            urlsplit(target).netloc != local
        ):
            found.append(f"request {target}")
            route.abort("blockedbyclient")
        else:
            route.continue_()

    page = context.new_page()
    page.route("**/*", request)
    page.on("dialog", lambda dialog: (found.append("dialog"), dialog.dismiss()))
    page.on("console", lambda message: found.append(f"console {message.text}"))
    page.on("popup", lambda popup: found.append(f"popup {popup.url}"))
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        found.append(f"status {response and response.status}")
    try:
        page.evaluate(CLICK_ALL)
        page.evaluate("() => new Promise(done => setTimeout(done, 0))")
    except Exception as error:  # a navigation replaced the document
        found.append(f"navigated: {error}")
    if page.url.split("#")[0] != url:  # a link within the drawing may lead to #id
        found.append(f"navigated to {page.url}")
    page.close()
    return found


def check_every_svg(browser, url, output):
    served = sorted(output.rglob("*.svg"))
    assert served
    found = {}
    # one context (a new one for each file took a third of a second): a
    # page of its own for each file, and whatever a script did is found
    # at the file that did it
    context = browser.new_context(service_workers="block")
    try:
        for path in served:
            relative = path.relative_to(output).as_posix()
            if problems := misdeeds(context, f"{url}/{relative}"):
                found[relative] = problems
    finally:
        context.close()
    assert found == {}


def test_the_sample_sites_svgs_run_nothing_and_load_nothing(served_site, browser):
    check_every_svg(browser, served_site.url, served_site.output)


def test_hostile_svgs_run_nothing_and_load_nothing(tmp_path, browser):
    site = Site(tmp_path)
    site.series("fsj", "FSJ", Image="images/inkscape.svg", Image_alt="Kopfhörer")
    site.entry(
        "fsj/eins.md",
        "Eins",
        "2024-01-01 10:00",
        "![Logo]({static}/images/illustrator.svg)",
        Series="FSJ",
    )
    folder = site.content / "images" / "feindlich"
    folder.mkdir(parents=True)
    for name, data in HOSTILE.items():
        (folder / f"{slug(name)}.svg").write_bytes(data)
    for name, data in EDITORS.items():
        (site.content / "images" / f"{name}.svg").write_bytes(data)
    output = tmp_path / "output"
    with serving(output) as url:
        # as the preview builds it: with the content's errors
        build = site.build("pelicanconf.py", output, SITEURL=url, FEED_DOMAIN=url)
        assert build.errors
        assert len(list(folder.iterdir())) == len(HOSTILE)
        assert all(
            (output / "images/feindlich" / p.name).is_file() for p in folder.iterdir()
        )
        check_every_svg(browser, url, output)
