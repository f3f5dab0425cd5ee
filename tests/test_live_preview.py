"""The live preview (`invoke livereload`) serves what a fresh build would write.

It builds again in one process and renders pages on request (see
sitetools/preview.py). After every edit of a sequence, each page it serves is
compared with the same page of a fresh build of the same content: byte for
byte, apart from the script that reloads the page.
"""

import gc
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import weakref
from datetime import UTC, datetime, timedelta

import pytest
from conftest import ROOT, png

import tasks
from sitetools import folders, runner
from sitetools import preview as previewing

SETTINGS = ROOT / "pelicanconf.py"
SCRIPT = re.compile(rb'<script>\(\(\)=>\{const v="[^"]*";.*?</script>')


def pages_per_language(entry):
    """Return {language: pages} of a Pagefind index from its pagefind-entry.json."""
    languages = json.loads(entry)["languages"]
    return {language: value["page_count"] for language, value in languages.items()}


class Live:
    """A preview of a test site, and fresh builds to compare it with."""

    def __init__(self, site, tmp_path, **overrides):
        self.site = site
        self.tmp_path = tmp_path
        self.overrides = overrides
        self.preview = previewing.Preview(
            SETTINGS, site.content, tmp_path / "work", **overrides
        )
        self.fresh_builds = 0

    def build(self, **kwargs):
        result = self.preview.build(**kwargs)
        assert result.error is None, runner.describe(result.error)
        return result

    def get(self, url):
        status, kind, body = self.preview.respond(url)
        return status, kind, SCRIPT.sub(b"", body) if isinstance(body, bytes) else body

    def assert_as_fresh(self, search=True):
        """Every page and file equals a fresh build's; nothing more is served.

        With `search`, the search index holds the same pages (Pagefind makes
        it, in the fresh build and in the preview: two thirds of the time).
        """
        self.fresh_builds += 1
        fresh = self.tmp_path / f"fresh{self.fresh_builds}"
        result = runner.build(
            SETTINGS, self.site.content, fresh, keep_going=True, index=search,
            **self.overrides,
        )  # fmt: skip
        assert result.error is None, runner.describe(result.error)
        written = {
            p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()
        } - {folders.MARKER}  # tells the next build the folder is a build's
        snapshot = self.preview.snapshot
        # the search index is made when the browser first asks for it; Pagefind
        # names its parts differently each time: it must hold the same pages
        index = {path for path in written if path.startswith("pagefind/")}
        assert set(snapshot.writer.by_path) | snapshot.statics | index == written
        entry = "pagefind/pagefind-entry.json"
        if search:
            status, _kind, body = self.get(f"/{entry}")
            assert status == 200
            assert pages_per_language(body) == pages_per_language(
                (fresh / entry).read_bytes()
            )
        for relative in sorted(written - index):
            status, _kind, body = self.get(f"/{relative}")
            assert status == 200, relative
            assert body == (fresh / relative).read_bytes(), relative
        shutil.rmtree(fresh)
        return result


@pytest.fixture
def live(site, tmp_path):
    live = Live(site, tmp_path)
    yield live
    live.preview.close()


@pytest.fixture
def closing():
    """Close the previews a test hands to it, however the test ends.

    A preview is connected to Pelican's signals until it is closed.
    """
    made = []
    yield lambda preview: made.append(preview) or preview
    for preview in made:
        preview.close()


def start(site):
    site.series("fsj", "FSJ")
    site.series("hoer-bar", "Hör-Bar")
    (site.content / "images").mkdir(parents=True, exist_ok=True)
    (site.content / "images" / "bild.png").write_bytes(png(4, 3))
    site.entry(
        "f/1.md",
        "Mein erster Tag",
        "2024-01-01",
        "Es geht los. ![Ein Bild]({static}/images/bild.png)",
        Series="FSJ",
    )
    site.entry(
        "f/2.md",
        "Die zweite Woche",
        "2024-01-08",
        "Weiter mit [dem dritten Teil]({filename}/f/3.md).",
        Series="FSJ",
    )
    site.entry("f/3.md", "Der dritte Teil", "2024-01-15", Series="FSJ")
    site.entry("h/1.md", "Ein Hörtipp", "2024-02-01", Series="Hör-Bar")
    site.write("pages/ueber-uns.md", {"Title": "Über uns"}, "Wir sind die Bibliothek.")


def replace_in(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_every_page_equals_a_fresh_build_after_each_edit(site, live):
    start(site)
    live.build()
    live.assert_as_fresh()
    content = site.content
    edits = [
        # the text of a part
        lambda: replace_in(content / "f/1.md", "Es geht los.", "Es geht richtig los."),
        # a title: the address changes, and the links of the parts around it
        lambda: replace_in(content / "f/3.md", "Der dritte Teil", "Teil drei"),
        # a new part: the series page lists it, the part before links to it
        lambda: site.entry("f/4.md", "Ein neuer Teil", "2024-01-22", Series="FSJ"),
        # the order within the series
        lambda: replace_in(
            content / "f/4.md", "Series: FSJ", "Series: FSJ\nSeries_index: 1"
        ),
        # a part removed
        (content / "f/2.md").unlink,
        # an image of another size (width and height are in the pages)
        lambda: (content / "images" / "bild.png").write_bytes(png(8, 5)),
        # a draft, then published
        lambda: site.entry("f/5.md", "Noch geheim", "2024-02-01", Status="draft"),
        lambda: replace_in(content / "f/5.md", "Status: draft\n", ""),
        # a mistake, shown on every page of the preview, then mended
        lambda: replace_in(content / "h/1.md", "Series: Hör-Bar", "Series: Hörbar"),
        lambda: replace_in(content / "h/1.md", "Series: Hörbar", "Series: Hör-Bar"),
        # a mistake in a header (its checks are kept while it is unchanged)
        lambda: replace_in(content / "f/1.md", "Summary:", "Summray:"),
        lambda: replace_in(content / "f/1.md", "Summray:", "Summary:"),
        # a file that cannot be read, then mended
        lambda: (content / "f/5.md").write_bytes(b"Title: Kaputt\n\n\xe4\n"),
        lambda: site.entry("f/5.md", "Wieder heil", "2024-02-02"),
        # the series renamed (its file), then its file deleted
        lambda: (content / "series/fsj.md").rename(content / "series/fsj-neu.md"),
        (content / "series/fsj-neu.md").unlink,
        # a page
        lambda: replace_in(content / "pages/ueber-uns.md", "Bibliothek", "Bücherei"),
    ]
    pages = len(live.preview.snapshot.writer.by_path)
    for n, edit in enumerate(edits):
        edit()
        found = live.build().found
        # the search index (Pagefind, slow; compared by its number of pages)
        # after the edits that change how many pages there are, and the last
        before, pages = pages, len(live.preview.snapshot.writer.by_path)
        fresh = live.assert_as_fresh(search=pages != before or n == len(edits) - 1)
        # the same problems too: those of unchanged files are kept, not stale
        assert sorted(map(str, found)) == sorted(map(str, fresh.found))


def test_the_problems_of_an_unchanged_entry_follow_the_rest_of_the_site(site, live):
    """The checks of an entry's links are kept only while the site stays the same.

    The entry that links is never edited here; what it links to changes.
    """
    start(site)
    site.entry(
        "h/2.md",
        "Verweise",
        "2024-02-08",
        "Zu [Teil drei]({filename}/f/3.md), [der Woche](/2024/die-zweite-woche/) "
        "und ![einem Bild]({static}/images/bild.png).",
        Series="Hör-Bar",
    )
    live.build()
    content = site.content
    saved = (content / "f/3.md").read_text("utf-8")
    edits = [
        # a linked entry removed, then back
        (content / "f/3.md").unlink,
        lambda: (content / "f/3.md").write_text(saved, "utf-8"),
        # linked by its address, which changes with its title
        lambda: replace_in(content / "f/2.md", "Die zweite Woche", "Woche zwei"),
        lambda: replace_in(content / "f/2.md", "Woche zwei", "Die zweite Woche"),
        # a linked entry made a draft, then published again
        lambda: replace_in(
            content / "f/3.md", "Series: FSJ", "Series: FSJ\nStatus: draft"
        ),
        lambda: (content / "f/3.md").write_text(saved, "utf-8"),
        # a linked image removed
        (content / "images" / "bild.png").unlink,
    ]
    expected = [1, 0, 1, 0, 1, 0, 1]
    for edit, problems in zip(edits, expected, strict=True):
        edit()
        found = [p for p in live.build().found if p.path.endswith("h/2.md")]
        assert len(found) == problems, found
        assert sorted(map(str, live.build().found)) == sorted(
            map(str, live.assert_as_fresh(search=False).found)
        )


def test_a_file_a_text_moves_with_attach_is_where_a_fresh_build_puts_it(site, live):
    """The checks of the unchanged text are kept; its {attach} file is as fresh."""
    start(site)
    (site.content / "f" / "foto.png").write_bytes(png(6, 4))
    site.entry(
        "f/6.md", "Mit Anhang", "2024-03-01", "Hier: ![Ein Foto]({attach}foto.png)."
    )
    live.build()
    for edit in range(2):  # another file each time; this text stays as it is
        replace_in(site.content / "f/1.md", "Es geht", f"Es geht {edit}")
        live.build()
        live.assert_as_fresh()


def test_a_header_mistake_is_found_and_forgotten_from_one_build_to_the_next(site, live):
    """The checks of unchanged headers are kept between builds (headers.py)."""
    start(site)
    live.build()
    entry = site.content / "f/1.md"

    replace_in(entry, "Summary:", "Summray:")
    mistaken = live.build().found
    replace_in(entry, "Summray:", "Summary:")
    mended = live.build().found

    assert sorted(p.field for p in mistaken) == ["Summary", "Summray"]
    assert mended == []


def test_a_link_follows_the_entry_it_points_to(site, live):
    start(site)
    live.build()
    replace_in(site.content / "f/3.md", "Der dritte Teil", "Ganz anders")
    live.build()

    _status, _kind, body = live.get("/2024/die-zweite-woche/")
    assert b'href="/2024/ganz-anders/"' in body
    live.assert_as_fresh()


def test_a_template_edit_shows_without_a_restart(site, tmp_path, closing):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "fortsetzung", theme)
    start(site)
    live = Live(site, tmp_path, THEME=str(theme))
    closing(live.preview)
    live.build()
    replace_in(
        theme / "templates" / "article.html",
        "{% block content %}",
        "{% block content %}<p>Neu im Theme</p>",
    )
    (theme / "static" / "css").mkdir(parents=True, exist_ok=True)
    (theme / "static" / "css" / "extra.css").write_text("p { color: red }")
    live.build()

    assert b"Neu im Theme" in live.get("/2024/mein-erster-tag/")[2]
    assert live.get("/theme/css/extra.css")[:2] == (200, "text/css")
    live.assert_as_fresh()


def test_changed_settings_are_read_again(site, tmp_path, closing):
    settings = tmp_path / "einstellungen.py"
    settings.write_text("from pelicanconf import *\nSITENAME = 'Erster Name'\n")
    start(site)
    live = closing(previewing.Preview(settings, site.content, tmp_path / "work"))
    live.build()
    settings.write_text("from pelicanconf import *\nSITENAME = 'Zweiter Name'\n")

    live.build(anew=True)

    assert b"Zweiter Name" in live.respond("/")[2]


def test_an_unknown_address_gets_the_theme_s_404_page(site, live):
    start(site)
    live.build()

    status, kind, body = live.get("/gibt/es/nicht.html")

    assert (status, kind) == (404, "text/html")
    assert body == live.get("/404.html")[2]
    assert b"Seite nicht gefunden" in body
    for outside in ("/../pelicanconf.py", "/%2e%2e/pelicanconf.py", "/images/../../x"):
        assert live.get(outside)[0] == 404


def test_a_folder_without_a_slash_is_redirected(site, live):
    start(site)
    live.build()

    assert live.get("/serien/fsj")[:3:2] == (301, "/serien/fsj/")
    assert live.get("/serien/fsj/")[0] == 200
    site.entry("f/4.md", "Grüße", "2024-03-01", Slug="grüße")
    live.build()
    greetings = "/2024/gr%C3%BC%C3%9Fe"
    assert live.get(greetings)[:3:2] == (301, f"{greetings}/")
    assert live.get(f"{greetings}/")[0] == 200


def test_a_broken_build_keeps_the_pages_as_they_were(site, tmp_path, capsys, closing):
    settings = tmp_path / "einstellungen.py"
    settings.write_text("from pelicanconf import *\n")
    start(site)
    live = closing(previewing.Preview(settings, site.content, tmp_path / "work"))
    said = tasks.Said()
    said(live.build(), 1.0)
    before = live.respond("/")[2]
    settings.write_text("from pelicanconf import *\nTHEME = 'gibt-es-nicht'\n")

    result = live.build(anew=True)
    said(result, 1.0)

    assert result.error is not None
    assert "Die Vorschau zeigt weiter den Stand davor." in capsys.readouterr().out
    assert live.respond("/")[2].replace(b"-x", b"") == before


def test_a_mistake_is_reported_once_and_the_preview_goes_on(site, live, capsys):
    start(site)
    said = tasks.Said()
    said(live.build(), 0.5)
    site.entry("f/9.md", "Tippfehler", "2024-01-02", Series="FJS")

    said(live.build(), 0.25)
    said(live.build(), 0.25)

    out = capsys.readouterr().out
    assert out.count("Die Serie „FJS“ gibt es nicht.") == 1
    assert "Traceback" not in out
    assert out.count("Aktualisiert in 0,2 s.") == 2
    assert b"Tippfehler" in live.get("/")[2]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_server_reloads_the_page_when_a_file_is_saved(site, tmp_path):
    """The whole way: a saved file, the watcher, a new build, the page."""
    start(site)
    live = previewing.Preview(SETTINGS, site.content, tmp_path / "work")
    live.build()
    server = previewing.serve(live, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    stop = threading.Event()
    built = threading.Event()
    watcher = threading.Thread(
        target=previewing.watch,
        args=(live, [site.content], ROOT, stop, lambda result, seconds: built.set()),
    )
    watcher.start()
    try:
        status, page = fetch(f"{base}/2024/mein-erster-tag/")
        assert status == 200
        version = re.search(rb'const v="([^"]*)"', page)[1].decode()
        events = urllib.request.urlopen(f"{base}{previewing.EVENTS}", timeout=30)
        assert events.readline() == b"retry: 500\n"
        assert events.readline() == b"\n"
        assert events.readline() == f"data: {version}\n".encode()

        replace_in(site.content / "f/1.md", "Es geht los.", "Es geht weiter.")

        assert built.wait(timeout=60)
        events.readline()
        assert events.readline().startswith(b"data: ")  # a newer version
        events.close()
        status, page = fetch(f"{base}/2024/mein-erster-tag/")
        assert b"Es geht weiter." in page
        assert fetch(f"{base}/nirgends/")[0] == 404
        status, image = fetch(f"{base}/images/bild.png")
        assert (status, image) == (200, png(4, 3))

        # no collection of cycles during builds; one when nothing changes
        assert not gc.isenabled()
        cycle = Cycle()
        cycle.itself, gone = cycle, weakref.ref(cycle)
        del cycle
        for _ in range(300):  # IDLE is a second; 30 s at the very most
            if gone() is None:
                break
            time.sleep(0.1)
        assert gone() is None
    finally:
        stop.set()
        watcher.join(timeout=30)
        server.stop()
        live.close()
    assert gc.isenabled()


class Cycle:
    """An object that refers to itself: only the cycle collector frees it."""


def test_a_scheduled_part_appears_when_it_falls_due(site, tmp_path, closing):
    """No file changes: the preview builds again when the part's date comes."""
    start(site)
    live = closing(previewing.Preview(SETTINGS, site.content, tmp_path / "work"))
    live.build()  # the first build reads everything
    # two to three seconds ahead (the date has whole seconds)
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=3)
    site.entry(
        "f/4.md", "Der vierte Teil", f"{due:%Y-%m-%d %H:%M:%S}+00:00", Series="FSJ"
    )
    live.build()
    page = f"/{due:%Y}/der-vierte-teil/"
    assert live.respond(page)[0] == 404  # scheduled: a draft ("geplant")
    stop, built = threading.Event(), []
    watcher = threading.Thread(
        target=previewing.watch,
        args=(live, [site.content], ROOT, stop, lambda result, s: built.append(result)),
    )
    watcher.start()
    try:
        deadline = time.monotonic() + 60
        seen = live.version
        while live.respond(page)[0] != 200 and time.monotonic() < deadline:
            seen = live.wait_for_change(seen, deadline - time.monotonic(), stop)
    finally:
        stop.set()
        watcher.join(timeout=30)

    assert live.respond(page)[0] == 200
    assert len(built) == 1  # one build, for the part that came due
    assert built[0].error is None


def test_the_feeds_point_at_the_port_the_preview_serves_on(site, tmp_path, closing):
    start(site)
    live = closing(tasks.live_preview(site.content, 8123, tmp_path / "work"))
    live.build()
    status, _type, body = live.respond("/2024/mein-erster-tag/")
    assert status == 200
    feeds = re.findall(rb'href="([^"]*/feeds/alle\.atom\.xml)"', body)
    assert feeds
    assert set(feeds) == {b"http://localhost:8123/feeds/alle.atom.xml"}


def test_stopping_the_server_ends_the_pages_event_streams(site, tmp_path, closing):
    start(site)
    live = closing(previewing.Preview(SETTINGS, site.content, tmp_path / "work"))
    live.build()
    server = previewing.serve(live, "127.0.0.1", 0)
    port = server.server_address[1]
    events = urllib.request.urlopen(
        f"http://127.0.0.1:{port}{previewing.EVENTS}", timeout=5
    )
    assert events.readline() == b"retry: 500\n"
    events.readline()
    assert events.readline().startswith(b"data: ")

    server.stop()

    events.readline()  # the blank line after the data
    assert events.readline() == b""  # ended, not kept open for 10 s
    events.close()


def test_ctrl_c_ends_the_preview_cleanly(site, tmp_path):
    """Ctrl+C in a terminal reaches dev.py and the preview (one process
    group): no traceback, no process and no temporary folder left."""
    start(site)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "dev.py"), "livereload",
         "--content", str(site.content), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env={**os.environ, "TMPDIR": str(temporary)},
    )  # fmt: skip
    said = []
    for line in process.stdout:
        said.append(line)
        if line.startswith("Vorschau: http"):
            break
    assert said and said[-1].startswith("Vorschau: http"), said
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl+C in a terminal does
    out, err = process.communicate(timeout=60)
    assert "Traceback" not in out + err
    assert process.returncode == 0
    assert list(temporary.iterdir()) == []
