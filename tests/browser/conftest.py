"""The sample site, built as published, served on 127.0.0.1 and opened in Chromium.

Every test in this folder is marked `browser`: `pytest -m "not browser"` leaves
them out. They need Debian's Chromium (`apt-get install chromium`) and Java;
`.ci/run` installs both. Where one is missing they are skipped with a hint, but
fail in CI (`CI=true`), where a skip would hide that nothing was checked.

The server and the browser live as long as this folder's tests (scope
"package"), not the session: their threads would keep the tests after these
from forking (`parallel.workers` forks only a process without threads).
"""

import contextlib
import functools
import os
import shutil
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, Site
from playwright.sync_api import sync_playwright

from sitetools import search

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    # Belt and braces: Chromium resolves no host name but the local server's.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

# One page of every kind the site has; the names are test ids and file names.
PAGE_TYPES = [
    "home",
    "home-page-2",
    "entry-in-series",
    "entry-outside-series",
    "series",
    "all-series",
    "archives",
    "tags",
    "tag",
    "authors",
    "author",
    "categories",
    "static-page",
    "search",
    "404",
]


def missing(what, install):
    """Fail in CI, skip elsewhere: a tool the browser tests need is not there."""
    message = f"{what} is not installed; install it with `{install}` (.ci/run does)."
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class PageType:
    name: str
    path: str  # URL path below the site root, as in the built output
    text: str  # what the main content must show (without JavaScript too)


@dataclass
class ServedSite:
    """The built sample site and the address it is served at."""

    url: str  # http://127.0.0.1:<port>, no trailing slash
    build: object  # conftest.Build
    pages: dict  # page type name -> PageType

    @property
    def output(self):
        return self.build.output

    @property
    def netloc(self):
        return urlsplit(self.url).netloc

    def is_local(self, url):
        parts = urlsplit(url)
        return parts.scheme in {"data", "blob", "about"} or parts.netloc == self.netloc


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serving(folder):
    """Serve `folder` on a free local port while the block runs; yield its URL.

    The port is known before anything is built: it is part of the URLs a
    build writes, so build into `folder` inside the block.
    """
    handler = functools.partial(QuietHandler, directory=str(folder))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            thread.join()


def first(items, what):
    """The first of `items`, or a clear error if the sample site has none."""
    for item in items:
        return item
    raise LookupError(f"the sample site (content/) has no {what}")


def choose_pages(build):
    """One URL of every page type, chosen from what the build wrote."""
    context = build.context
    articles = context["articles"]  # newest first
    in_series = [a for a in articles if getattr(a, "series", None)]
    # A part in the middle of its series shows every part of the navigation.
    middle = [a for a in in_series if a.series.previous and a.series.next]
    entry = first(middle or in_series, "entry in a series")
    loner = first(
        (a for a in articles if not getattr(a, "series", None)),
        "entry outside a series",
    )
    series = entry.series.series
    # The tag and the author with the most entries; Pelican keeps tags in a
    # dict and authors and categories in lists of pairs.
    tag = max(dict(context["tags"]).items(), key=lambda pair: len(pair[1]))[0]
    author = max(dict(context["authors"]).items(), key=lambda pair: len(pair[1]))[0]
    category = next(iter(dict(context["categories"])))
    static = first((p for p in context["pages"] if p.slug == "ueber-uns"), "ueber-uns")
    per_page = context["DEFAULT_PAGINATION"]
    pages = [
        PageType("home", "", articles[0].title),
        PageType("home-page-2", "seite/2/", articles[per_page].title),
        PageType("entry-in-series", entry.url, entry.title),
        PageType("entry-outside-series", loner.url, loner.title),
        PageType("series", series.url, series.name),
        PageType("all-series", "serien/", context["series_list"][0].name),
        PageType("archives", "archiv/", articles[0].title),
        PageType("tags", "schlagworte/", tag.name),
        PageType("tag", tag.url, tag.name),
        PageType("authors", "autorinnen/", author.name),
        PageType("author", author.url, author.name),
        PageType("categories", "kategorien/", category.name),
        PageType("static-page", static.url, static.title),
        PageType("search", "suche/", "Suche"),
        PageType("404", "404.html", ""),
    ]
    assert [p.name for p in pages] == PAGE_TYPES
    return {p.name: p for p in pages}


@pytest.fixture(scope="package")
def served_site(tmp_path_factory):
    """Build content/ with publishconf.py for a local address and serve it."""
    root = tmp_path_factory.mktemp("browser")
    output = root / "output"
    with serving(output) as url:
        site = Site(root)
        site.content = ROOT / "content"
        build = site.build("publishconf.py", output, SITEURL=url, FEED_DOMAIN=url)
        assert build.errors == []
        search.index_folder(output)  # as every build of the site's tools does
        yield ServedSite(url, build, choose_pages(build))


def pytest_generate_tests(metafunc):
    if "page_type" in metafunc.fixturenames:
        metafunc.parametrize("page_type", PAGE_TYPES)


@pytest.fixture
def page_info(served_site, page_type):
    """The PageType a test is parametrized with; skipped if the build lacks it."""
    info = served_site.pages[page_type]
    file = served_site.output / info.path
    if not info.path or info.path.endswith("/"):
        file /= "index.html"
    if page_type == "404" and not file.exists():
        pytest.skip("the site has no 404.html")
    assert file.is_file(), f"{page_type}: {info.path} was not built"
    return info


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        missing(f"Chromium ({CHROMIUM})", "apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class Visit:
    page: object  # playwright Page
    requests: list  # every URL the page asked for, in order


@pytest.fixture(scope="package")
def browser_context(browser, served_site):
    """One browser context with JavaScript and one without, made when first asked.

    Requests to any other host are recorded by `visit` and then aborted here,
    so a test never reaches the internet even if the theme asks for something.
    """
    contexts = {}

    def get(javascript):
        if javascript not in contexts:
            context = browser.new_context(
                java_script_enabled=javascript,
                locale="de-DE",
                service_workers="block",
            )
            context.route(
                lambda url: not served_site.is_local(url),
                lambda route: route.abort("blockedbyclient"),
            )
            contexts[javascript] = context
        return contexts[javascript]

    yield get
    for context in contexts.values():
        context.close()


@pytest.fixture
def visit(browser_context, served_site):
    """Open a page type in a new tab: `visit(info, width=1280, javascript=True)`."""
    pages = []

    def open_page(info, width=1280, javascript=True, wait_until="load", height=800):
        page = browser_context(javascript).new_page()
        pages.append(page)
        page.set_viewport_size({"width": width, "height": height})
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{served_site.url}/{info.path}", wait_until=wait_until)
        return Visit(page, requests)

    yield open_page
    for page in pages:
        page.close()


@pytest.fixture(scope="package")
def java():
    found = shutil.which("java")
    if not found:
        missing("Java", "apt-get install default-jre-headless")
    return found
