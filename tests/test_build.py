"""Whole builds with the project's theme: pages, links, feeds, and no leaks."""

import datetime
import fcntl
import json
import logging
import os
import re
import subprocess
import sys
import threading

import feedparser
import pytest
from conftest import ROOT, Site, png

from sitetools import deferred_writing, parallel, runner

DRAFT = "Geheimer Entwurf"
HIDDEN = "Versteckter Teil"
SCHEDULED = "Geplanter Teil"


def populate(site):
    site.series("azubitagebuch", "AzubiTagebuch", body="Zwei Azubis *erzählen*.")
    site.series(
        "hoer-bar",
        "Hör-Bar",
        Status="completed",
        Image="images/kopfhoerer.svg",
        Image_alt="Kopfhörer auf Büchern",
        Summary="Hörbuchtipps aus der Musikbibliothek.",
    )
    site.write("images/kopfhoerer.svg", {}, '<svg xmlns="http://www.w3.org/2000/svg"/>')
    site.series("leer", "Noch leer", Status="announced")
    site.series("unsichtbar", "Noch unsichtbar")  # no part yet, not announced
    for n, month in enumerate(["01", "02", "03", "04", "05"], start=1):
        site.entry(
            f"azubitagebuch/2024-{month}-01-teil-{n}.md",
            f"Azubi-Teil {n}",
            f"2024-{month}-01",
            Series="AzubiTagebuch",
            Tags="Ausbildung",
        )
    future = datetime.date.today() + datetime.timedelta(days=30)
    site.entry(
        "azubitagebuch/entwurf.md",
        DRAFT,
        "2024-03-15",
        Series="AzubiTagebuch",
        Status="draft",
    )
    site.entry(
        "azubitagebuch/versteckt.md",
        HIDDEN,
        "2024-03-16",
        Series="AzubiTagebuch",
        Status="hidden",
    )
    site.entry(
        "azubitagebuch/geplant.md",
        SCHEDULED,
        future.isoformat(),
        Series="AzubiTagebuch",
    )
    site.entry("hoer-bar/1.md", "Hörspiele für Kinder", "2024-02-10", Series="hoer-bar")
    site.entry("hoer-bar/2.md", "Die Straße der Krimis", "2024-06-10", Series="Hör-Bar")
    # an author, a category and a tag that share one slug: their feeds must
    # not be written to the same file (Pelican's defaults would collide)
    site.entry(
        "blog/ausbildung.md",
        "Neue Öffnungszeiten",
        "2024-07-01",
        Author="Ausbildung",
        Category="Ausbildung",
        Tags="Ausbildung",
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("published"))
    populate(site)
    return site.build(
        "publishconf.py",
        SITEURL="https://example.org",
        FEED_DOMAIN="https://example.org",
    )


def part_url(build, n):
    article = build.series("azubitagebuch").articles[n - 1]
    return article.url


def test_entry_shows_its_place_and_neighbours(published):
    page = published.html(part_url(published, 3))
    text = page.get_text(" ", strip=True)

    assert "Teil 3 von 5" in text
    assert page.find("a", rel="prev")["href"].endswith(part_url(published, 2))
    assert page.find("a", rel="next")["href"].endswith(part_url(published, 4))
    nav = page.find("nav", attrs={"aria-label": "Teile der Serie"})
    assert nav is not None
    assert any(a["href"].endswith("/serien/azubitagebuch/") for a in nav.find_all("a"))
    current = nav.find(attrs={"aria-current": "page"})
    assert "Azubi-Teil 3" in current.get_text()
    assert current.find("a") is None


def test_first_and_last_part_have_one_neighbour(published):
    first = published.html(part_url(published, 1))
    last = published.html(part_url(published, 5))

    assert first.find("a", rel="prev") is None
    assert first.find("a", rel="next") is not None
    assert last.find("a", rel="next") is None
    assert "Teil 5 von 5" in last.get_text(" ", strip=True)


def test_series_page_lists_parts_in_reading_order(published):
    page = published.html("serien/azubitagebuch/")
    text = page.get_text(" ", strip=True)

    assert page.find("h1").get_text(strip=True) == "AzubiTagebuch"
    assert "erzählen" in page.find("em").get_text()
    linked = [a.get_text(strip=True) for a in page.select("main ol a")]
    assert linked == [f"Azubi-Teil {n}" for n in range(1, 6)]
    start = page.find("a", string=lambda s: s and "Von Anfang an lesen" in s)
    assert start["href"].endswith(part_url(published, 1))
    assert "läuft" in text
    hoerbar = published.html("serien/hoer-bar/")
    assert "abgeschlossen" in hoerbar.get_text()
    image = hoerbar.find("img", alt="Kopfhörer auf Büchern")
    assert image["src"] == "https://example.org/images/kopfhoerer.svg"


def test_series_page_offers_its_feeds(published):
    page = published.html("serien/hoer-bar/")
    hrefs = [a["href"] for a in page.find_all("a")]

    assert "https://example.org/feeds/serie/hoer-bar.atom.xml" in hrefs
    assert "https://example.org/feeds/serie/hoer-bar.rss.xml" in hrefs


def test_all_series_page(published):
    page = published.html("serien/")
    text = page.get_text(" ", strip=True)

    for name in ("AzubiTagebuch", "Hör-Bar", "Noch leer"):
        assert page.find("a", string=name) is not None
    assert "Noch unsichtbar" not in published.all_text()
    assert "5 Teile" in text
    assert "2 Teile" in text
    assert "1. Mai 2024" in text  # last update of AzubiTagebuch, in German
    assert "Hörbuchtipps aus der Musikbibliothek." in text
    assert "abgeschlossen" in text
    assert "läuft" in text


@pytest.mark.parametrize(
    ("path", "series_feed"),
    [
        ("", None),
        ("serien/", None),
        ("archiv/", None),
        ("serien/azubitagebuch/", "azubitagebuch"),
        ("serien/hoer-bar/", "hoer-bar"),
        ("part-3", "azubitagebuch"),
    ],
)
def test_feed_autodiscovery(published, path, series_feed):
    if path == "part-3":
        path = part_url(published, 3)
    links = published.html(path).select('head link[rel="alternate"]')
    found = [(link["type"], link["href"]) for link in links]
    site = "https://example.org/feeds"
    expected = [
        ("application/atom+xml", f"{site}/alle.atom.xml"),
        ("application/rss+xml", f"{site}/alle.rss.xml"),
        ("application/feed+json", f"{site}/alle.json"),
    ]
    if series_feed:
        expected += [
            ("application/atom+xml", f"{site}/serie/{series_feed}.atom.xml"),
            ("application/rss+xml", f"{site}/serie/{series_feed}.rss.xml"),
            ("application/feed+json", f"{site}/serie/{series_feed}.json"),
        ]
    # site feed first, then the page's series feed
    assert found == expected
    assert len({link["title"] for link in links}) == len(links)


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_series_feed_holds_the_published_parts_newest_first(published, kind):
    feed = feedparser.parse(published.output / f"feeds/serie/azubitagebuch.{kind}.xml")

    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == [
        f"AzubiTagebuch, Teil {n}: Azubi-Teil {n}" for n in range(5, 0, -1)
    ]
    assert feed.entries[0].link == "https://example.org/" + part_url(published, 5)
    assert "AzubiTagebuch" in feed.feed.title


def test_feeds_of_author_category_tag_and_series_never_collide(published):
    feeds = {
        path: feedparser.parse(published.output / path)
        for path in (
            "feeds/autorin/ausbildung.atom.xml",
            "feeds/kategorie/ausbildung.atom.xml",
            "feeds/schlagwort/ausbildung.atom.xml",
        )
    }

    for path, feed in feeds.items():
        assert not feed.bozo, path
    assert [e.title for e in feeds["feeds/autorin/ausbildung.atom.xml"].entries] == [
        "Neue Öffnungszeiten"
    ]
    # the tag "Ausbildung" is on five parts and the blog entry
    assert len(feeds["feeds/schlagwort/ausbildung.atom.xml"].entries) == 6


@pytest.mark.parametrize("title", [DRAFT, HIDDEN, SCHEDULED])
def test_unpublished_parts_appear_nowhere(published, title):
    leaks = [
        str(p.relative_to(published.output))
        for p in published.output.rglob("*")
        if p.is_file() and title in p.read_text("utf-8", errors="replace")
    ]
    if title == HIDDEN:
        # a hidden entry is reachable at its own address, and only there,
        # and even there it does not claim a place in the series
        (hidden,) = published.context["hidden_articles"]
        assert leaks == [hidden.save_as]
        header = published.html(hidden.url).find("article").header.get_text(" ")
        assert not re.search(r"Teil \d+ von", header)
    else:
        assert leaks == []


def test_unpublished_parts_do_not_count(published):
    series = published.series("azubitagebuch")

    assert series.count == 5
    assert published.context["drafts"]  # the draft and the scheduled part
    assert not published.html(part_url(published, 5)).find(
        string=lambda s: s and "von 6" in s
    )


def test_preview_lists_drafts_only_in_its_drafts_box(site):
    populate(site)
    build = site.build("pelicanconf.py")

    draft_pages = {
        str(p.relative_to(build.output))
        for p in build.output.rglob("*.html")
        if DRAFT in p.read_text("utf-8")
    }
    assert draft_pages == {"drafts/geheimer-entwurf.html", "index.html"}
    home = build.html("")
    home.find(class_="preview-drafts").decompose()
    assert DRAFT not in str(home)
    assert build.series("azubitagebuch").count == 5


def test_long_series_page_is_paginated(site):
    site.series("lang", "Lange Serie")
    start = datetime.date(2020, 1, 1)
    for n in range(1, 61):
        day = start + datetime.timedelta(days=n)
        site.entry(f"l/{n:02}.md", f"Folge {n}", day.isoformat(), Series="Lange Serie")

    build = site.build("publishconf.py", SITEURL="https://example.org")
    first = build.html("serien/lang/")
    second = build.html("serien/lang/seite/2/")

    def numbers(page):
        return [int(li["value"]) for li in page.select("ol.series-parts li")]

    assert numbers(first) == list(range(1, 51))
    assert numbers(second) == list(range(51, 61))
    assert second.select("ol.series-parts a")[0].get_text() == "Folge 51"
    assert first.find("a", href="https://example.org/serien/lang/seite/2/")
    start_link = second.find("a", string=lambda s: s and "Von Anfang an lesen" in s)
    assert start_link["href"].endswith(build.series("lang").first.url)


def test_authors_comments_reach_no_reader(site):
    site.series("s", "Serie")
    site.entry(
        "s/1.md",
        "Mit Notiz",
        "2024-01-01",
        Series="Serie",
        body="""
        Sichtbarer Text.

        <!--
        Interne Notiz: Bild fehlt noch.
        -->

            <!-- im Code bleibt das stehen -->
        """,
    )

    build = site.build("publishconf.py", SITEURL="https://example.org")
    everything = build.all_text()

    assert "Sichtbarer Text." in everything
    assert "Interne Notiz" not in everything
    # in a code block a comment is text, shown as typed (escaped, highlighted)
    assert "&lt;!--" in everything
    assert "stehen" in everything


def test_a_draft_with_an_address_of_its_own_stays_unpublished(tmp_path):
    site = Site(tmp_path)
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Erster", "2024-01-01", Series="FSJ")
    site.entry(
        "f/2.md",
        "Geheimer Entwurf",
        "2024-02-01",
        Status="draft",
        Save_as="geheim.html",
    )
    site.entry(
        "f/3.md",
        "Geplant mit Adresse",
        "2999-01-01",
        Save_as="bald.html",
        Url="bald.html",
    )
    site.write(
        "pages/p.md", {"Title": "Seitenentwurf", "Status": "draft", "Save_as": "p.html"}
    )

    published = site.build("publishconf.py")
    preview = site.build("pelicanconf.py")

    assert not (published.output / "geheim.html").exists()
    assert not (published.output / "bald.html").exists()
    assert not (published.output / "p.html").exists()
    for title in ("Geheimer Entwurf", "Geplant mit Adresse", "Seitenentwurf"):
        assert title not in published.all_text()
    # the preview shows them where drafts go
    assert (preview.output / "drafts/geheimer-entwurf.html").is_file()
    assert (preview.output / "drafts/geplant-mit-adresse.html").is_file()


#: Builds `content` with helpers converting ahead, then without; prints what
#: each said. In a process of its own: helpers are forked only where no
#: other thread runs (the browser tests' servers would stop them here).
AHEAD_AND_ALONE = """
import json, sys
from pathlib import Path
from pelican.plugins.fortsetzung import memo
from sitetools import parallel, runner

content, settings = sys.argv[1:]
started = []
start = parallel.Ahead.__init__

def counting(self, *args):
    started.append(self)
    start(self, *args)

parallel.Ahead.__init__ = counting
helpers_stopped = []  # per build: when each parallel.map_all began
map_all = parallel.map_all

def mapping(*args, **kwargs):
    helpers_stopped[-1].append(all(h.pipe is None for h in started))
    return map_all(*args, **kwargs)

parallel.map_all = mapping
runner.MIN_ITEMS_PER_WORKER = 1  # the checks on both cores too
said = {}
for name, files_per_helper in (("ahead", 1), ("alone", 10**9)):
    runner.MIN_FILES_PER_WORKER = files_per_helper
    memo.next_build()  # nothing kept from the build before
    memo.next_build()
    output = Path(content).parent / name
    helpers_stopped.append([])
    result = runner.build(settings, content, output, keep_going=True)
    said[name] = {
        "error": None if result.error is None else repr(result.error),
        "found": [[p.severity, str(p)] for p in result.found],
        "helpers": len(started),
        # the share images are the first to use map_all (the reading is
        # done), the checks the second, the writing the third
        "helpers stopped before the checks": helpers_stopped[-1][0],
        "uses of map_all": len(helpers_stopped[-1]),
    }
print(json.dumps(said))
"""


def test_markdown_converted_ahead_on_other_cores_changes_nothing(site):
    """Helpers convert files while Pelican reads (runner.prepare_markdown):
    the site and the report are those of a build without them."""
    site.series("fsj", "FSJ")
    for n in range(40):
        site.entry(
            f"fsj/{n:02}.md",
            f"Woche {n}",
            f"2024-01-{n % 28 + 1:02} 10:{n:02}",
            body=f"## Woche {n}\n\nMit *Betonung* und [Link](https://example.org/{n}).\n"
            '\n<script>alert("x")</script>\n',
            Series="FSJ",
            Summary=f"Die **Woche** {n}.",
        )
    (site.content / "fsj" / "alt.md").write_bytes(
        "Title: Caf\xe9\nDate: 2024-02-01\n\nGr\xfc\xdfe".encode("latin-1")
    )

    run = subprocess.run(
        [sys.executable, "-c", AHEAD_AND_ALONE, str(site.content),
         str(ROOT / "pelicanconf.py")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip

    assert run.returncode == 0, run.stderr
    said = json.loads(run.stdout.splitlines()[-1])
    ahead, alone = said["ahead"], said["alone"]
    assert ahead["error"] is None and alone["error"] is None
    assert ahead["helpers"] > 0
    assert alone["helpers"] == ahead["helpers"]  # none in the second build
    first, second = site.root / "ahead", site.root / "alone"
    files = sorted(p.relative_to(first) for p in first.rglob("*"))
    assert files == sorted(p.relative_to(second) for p in second.rglob("*"))
    for name in files:
        if (first / name).is_file():
            assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert ahead["found"] == alone["found"]
    assert ahead["uses of map_all"] == 3
    assert ahead["helpers stopped before the checks"]
    errors = [text for severity, text in ahead["found"] if severity == "error"]
    scripts = [e for e in errors if ": Text: <script> führt ein Programm" in e]
    assert len(scripts) == 40
    (latin,) = [e for e in errors if "alt.md:1: Datei: " in e]
    assert "nicht als UTF-8 gespeichert" in latin


def test_static_files_are_copied_with_the_pages_and_not_by_a_build_that_stops(
    site, monkeypatch
):
    """deferred_writing: Pelican's static generator copies its files while
    the workers write the pages (write_all), once; a build that stops on
    errors before writing copies nothing either."""
    monkeypatch.setattr(deferred_writing, "MIN_JOBS_PER_WORKER", 1)  # a small site
    log = site.root / "copied-by"
    copy = deferred_writing.Recorder.copy

    def logged(recorder):
        with log.open("a") as file:  # a worker's list would not reach this one
            file.write(f"{os.getpid()} {len(recorder.jobs)}\n")
        copy(recorder)

    monkeypatch.setattr(deferred_writing.Recorder, "copy", logged)
    image = png(30, 20)
    (site.content / "images").mkdir()
    (site.content / "images" / "regal.png").write_bytes(image)
    for n in range(6):
        site.entry(f"{n}.md", f"Teil {n}", f"2024-01-0{n + 1}",
                   body="![Ein Regal]({static}/images/regal.png)")  # fmt: skip

    output = site.root / "output"
    result = runner.run_pelican(site.settings(output), workers=2)
    assert result.error is None and result.processes == 2
    assert (output / "images" / "regal.png").read_bytes() == image
    ((_pid, jobs),) = [line.split() for line in log.read_text().splitlines()]
    assert int(jobs) == len(result.writer.jobs) > 6  # every page was recorded

    site.entry("kaputt.md", "Kaputt", "2024-02-01", body="<script>x()</script>")
    stopped = site.root / "stopped"
    result = runner.run_pelican(site.settings(stopped), stop_on_errors=True)
    assert result.error is None and not result.ok
    assert not (stopped / "images").exists()


def test_a_worker_that_cannot_send_its_result_never_runs_the_builds_code(
    tmp_path, monkeypatch
):
    """A forked worker ends, whatever happens (else it would run the rest of
    the build: its cleanup, the release of the output lock)."""
    parent = os.getpid()
    escaped = tmp_path / "escaped"

    def broken(*_):
        raise OSError("Broken pipe")

    monkeypatch.setattr(parallel, "_dumps", broken)
    try:
        with pytest.raises(RuntimeError, match="ended unexpectedly"):
            parallel.run([1, 2], lambda share: share)
    finally:
        if os.getpid() != parent:  # a worker got here
            escaped.touch()
            os._exit(1)
    assert not escaped.exists()


def test_a_helper_that_has_sent_everything_is_reaped():
    def work(share, send):
        for value in share:
            send(value)

    helper = parallel.Ahead(work, [1, 2, 3])
    received = []
    for _ in range(100):  # the helper ends at once; 100 s at the very most
        parallel.Ahead.ready([helper], wait=1)
        received += helper.received()
        if helper.pipe is None:
            break
    assert received == [1, 2, 3]
    assert helper.pipe is None
    assert parallel.Ahead.ready([helper], wait=0) == []
    with pytest.raises(ChildProcessError):
        os.waitpid(helper.pid, os.WNOHANG)  # already reaped


def test_the_queue_hands_out_every_job_once():
    """Runs of neighbours first, then the rest of the longest run, from its end."""
    queue = parallel.Queue(10, 3)  # runs [0, 3), [3, 6), [6, 10)
    try:
        first, second = queue.taken_by(0), queue.taken_by(1)
        assert [next(first) for _ in range(4)] == [0, 1, 2, 9]  # then from run 3's end
        assert [next(second) for _ in range(2)] == [3, 4]
        assert list(first) == [8, 7, 5, 6]  # from the longest run left, each time
        assert list(second) == []
        assert list(queue.taken_by(2)) == []
    finally:
        queue.close()


def test_processes_share_a_queue():
    queue = parallel.Queue(500, 2)
    try:
        taken = parallel.run([0, 1], lambda k: list(queue.taken_by(k)))
    finally:
        queue.close()
    assert sorted(taken[0] + taken[1]) == list(range(500))  # each once


def test_a_process_that_dies_holding_the_queue_stops_nobody():
    queue = parallel.Queue(10, 2)
    try:
        pid = os.fork()
        if pid == 0:  # takes the lock and dies with it
            fcntl.lockf(queue._lock, fcntl.LOCK_EX)
            os._exit(0)
        os.waitpid(pid, 0)
        taken = []
        taking = threading.Thread(target=lambda: taken.extend(queue.taken_by(0)))
        taking.start()
        taking.join(timeout=60)
        assert not taking.is_alive()
        assert sorted(taken) == list(range(10))
    finally:
        queue.close()


class Unpicklable(Exception):
    """Pickles, but cannot be unpickled (its arguments are not its __init__'s)."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")


def test_an_error_that_cannot_travel_arrives_as_its_message():
    def work(share):
        if share == 2:
            raise Unpicklable("f/1.md", "weg")
        return share

    with pytest.raises(RuntimeError, match=r"Unpicklable: f/1\.md: weg"):
        parallel.run([1, 2], work)


def test_a_message_a_helper_repeats_is_passed_on_not_raised(caplog):
    """Pelican's loggers drop a message said before by raising inside their
    filter; a helper's record was filtered in the helper already."""
    logger = logging.getLogger("pelican.test_build.repeated")
    said = f"Unable to find {os.getpid()}-{id(caplog)}"

    def work(share):
        logger.warning(said)
        return share

    assert parallel.run([1, 2], work) == [1, 2]
    assert [r.getMessage() for r in caplog.records].count(said) == 2
