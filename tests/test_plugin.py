"""The plugin keeps Pelican's contracts: feed signals, feed settings, writers."""

import json
import types
from pathlib import Path

import feedparser
import pytest
from conftest import ROOT
from pelican.plugins import signals
from pelican.plugins.fortsetzung.series import feeds as feeds_module
from pelican.plugins.fortsetzung.settings import RENAMED, SETTINGS
from pelican.settings import get_settings_from_file
from pelican.writers import Writer

from sitetools import deferred_writing
from sitetools import preview as previewing

PLUGINS = get_settings_from_file(str(ROOT / "pelicanconf.py"))["PLUGINS"]


@pytest.fixture
def serial(site):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Eins", "2024-01-01", Series="FSJ")
    site.entry("f/2.md", "Zwei", "2024-01-02", Series="FSJ", Tags="Ausbildung")
    return site


def plugin(**receivers):
    """A plugin (a module object, as Pelican accepts them) connecting receivers."""
    module = types.ModuleType("test_plugin")

    def register():
        for name, receiver in receivers.items():
            getattr(signals, name).connect(receiver)

    module.register = register
    return module


def feeds(output):
    """Every feed file the build wrote (the OPML file is a list, not a feed)."""
    return {
        p
        for p in output.rglob("*")
        if p.suffix in (".xml", ".json") and "feeds" in p.parts
    }


def test_every_feed_fires_feed_generated_and_feed_written(serial):
    generated, written = [], []

    def on_generated(context, feed):
        generated.append(feed)

    def on_written(path, context, feed):
        written.append(Path(path))

    build = serial.build(
        PLUGINS=[
            *PLUGINS,
            plugin(feed_generated=on_generated, feed_written=on_written),
        ]
    )

    assert set(written) == feeds(build.output)
    assert len(written) == len(generated) == len(set(written))
    series_feeds = {p.name for p in written if p.parent.name == "serie"}
    assert series_feeds == {"fsj.atom.xml", "fsj.rss.xml", "fsj.json"}


def test_a_feed_plugin_can_change_every_feed(serial):
    def retitle(context, feed):
        feed.feed["title"] = f"[Test] {feed.feed['title']}"

    build = serial.build(PLUGINS=[*PLUGINS, plugin(feed_generated=retitle)])

    written = feeds(build.output)
    xml = {path for path in written if path.suffix == ".xml"}
    assert xml
    assert len(written - xml) == 2  # the site's and the series' JSON Feed
    for path in xml:
        assert feedparser.parse(path.read_bytes()).feed.title.startswith("[Test] ")
    for path in written - xml:
        assert json.loads(path.read_text("utf-8"))["title"].startswith("[Test] "), path


def test_feed_append_ref_marks_every_link(serial):
    build = serial.build(FEED_APPEND_REF=True)

    for name in ("feeds/serie/fsj.atom.xml", "feeds/alle.rss.xml"):
        links = [e.link for e in feedparser.parse(build.output / name).entries]
        assert links, name
        assert all(link.endswith("?ref=feed") for link in links), links


def test_feed_max_items_and_summary_only_as_pelican_documents(serial):
    build = serial.build(FEED_MAX_ITEMS=1, RSS_FEED_SUMMARY_ONLY=True)

    site = feedparser.parse(build.output / "feeds/alle.rss.xml")
    series = feedparser.parse(build.output / "feeds/serie/fsj.atom.xml")
    assert len(site.entries) == 1
    assert site.entries[0].summary == "<p>Worum es geht.</p>"
    assert len(series.entries) == 2  # a series feed: SERIES_FEED_MAX_ITEMS


def test_another_plugin_s_writer_writes_every_feed_json_and_series_too(serial):
    """Pelican uses one writer: one that another plugin supplies writes all."""
    opened = []

    class OtherWriter(Writer):
        """Another plugin's writer: Pelican's, noting each file it writes."""

        def _open_w(self, filename, encoding, override=False):
            opened.append(Path(filename))
            return super()._open_w(filename, encoding, override)

    def get_writer(pelican):
        return OtherWriter

    try:
        build = serial.build(PLUGINS=[*PLUGINS, plugin(get_writer=get_writer)])
    finally:
        signals.get_writer.disconnect(get_writer)

    assert feeds(build.output) <= set(opened)
    for name in ("alle.json", "serie/fsj.json", "serie/fsj.atom.xml", "serien.opml"):
        assert (build.output / "feeds" / name).is_file(), name
    assert not [w for w in build.warnings if "writer" in w.lower()]
    series = feedparser.parse(build.output / "feeds/serie/fsj.atom.xml")
    assert [e.title for e in series.entries] == [
        "FSJ, Teil 2: Zwei",
        "FSJ, Teil 1: Eins",
    ]
    # the site's settings still change Pelican's feeds, whoever writes them
    site = feedparser.parse(build.output / "feeds/alle.atom.xml")
    assert [e.title for e in site.entries] == ["FSJ, Teil 2: Zwei", "FSJ, Teil 1: Eins"]


def test_what_another_feed_plugin_changed_stays(serial):
    """The plugin changes an id or title only as Pelican's writer made it,
    and texts only in addition: another receiver of feed_generated may run
    before it (blinker calls receivers in no fixed order)."""
    context = serial.build().context
    signals.feed_generated.disconnect(feeds_module.adjust)
    try:  # the feed as Pelican's writer sends it
        feed = Writer(context["OUTPUT_PATH"], context).write_feed(
            context["articles"], context
        )
    finally:
        signals.feed_generated.connect(feeds_module.adjust)
    for item in feed.items[:1]:  # another plugin's receiver, first
        item["unique_id"] = "urn:other:" + item["link"]
        item["title"] = "[Other] " + item["title"]

    feeds_module.adjust(context, feed)

    assert [i["unique_id"] for i in feed.items] == [
        "urn:other:/2024/zwei/",
        "tag:localhost,2024-01-01:f/1.md",
    ]
    assert [i["title"] for i in feed.items] == ["[Other] Zwei", "FSJ, Teil 1: Eins"]
    assert feed.items[0]["link"] == "http://localhost:8000/2024/zwei/"


def test_the_plugin_s_feed_receivers_leave_the_writing_parallel(serial):
    """They act on the feed being written, in whichever process writes it."""
    serial.build()  # the plugin is loaded and its receivers connected

    heard = {
        receiver.__module__
        for name in deferred_writing.WRITE_SIGNALS
        for receiver in getattr(signals, name).receivers_for(None)
    }
    assert "pelican.plugins.fortsetzung.series.feeds" in heard
    # so no other plugin listens, and write_all renders on every core
    assert deferred_writing.listeners() == []


def test_the_readme_explains_every_setting():
    readme = (ROOT / "plugins" / "fortsetzung" / "README.md").read_text("utf-8")

    for name in [*SETTINGS, *RENAMED]:
        assert f"`{name}`" in readme, name


def test_themes_written_for_pelican_series_find_its_context(serial):
    build = serial.build()

    series = build.context["article_series"]
    assert list(series) == ["FSJ"]
    assert [a.title for a in series["FSJ"]] == ["Eins", "Zwei"]
    part = series["FSJ"][1]
    assert (part.series.name, part.series.index, part.series["index"]) == ("FSJ", 2, 2)
    assert part.series.previous is series["FSJ"][0]
    assert part.series.all_previous == [series["FSJ"][0]]


def test_tag_category_and_author_lists_answer_in_as_lists_do(site):
    """Their `in` is quick (sitetools/pelican_speedups.py), still "this very entry"."""
    tags = ["Ausbildung", "Bücher", "Ausbildung, Bücher", "Kinder", "Bücher", ""]
    for n, tag in enumerate(tags):
        fields = {"Tags": tag} if tag else {}
        author = "Lena K." if n % 2 else "Ali M."
        site.entry(
            f"e/{n}.md", f"Eintrag {n}", f"2024-03-0{n + 1}", Author=author, **fields
        )
    build = site.build()
    context = build.context
    dates = context["dates"]
    for key in ("tags", "categories", "authors"):
        for term, articles in context[key]:
            same = [a for a in dates if any(a is b for b in articles)]
            assert [a for a in dates if a in articles] == same, (key, term)
            assert len(same) == len(articles) > 0
    books = dict(context["tags"])[
        next(t for t, _ in context["tags"] if t.name == "Bücher")
    ]
    assert [a.title for a in books] == ["Eintrag 4", "Eintrag 2", "Eintrag 1"]
    assert dates[0] not in books  # Eintrag 5 has no tag
    twin = type("Twin", (), {"__eq__": lambda self, other: True, "__hash__": None})()
    assert twin in books  # an item with its own __eq__ is compared as a list would
    page = build.html("schlagwort/buecher/")
    titles = [a.get_text(strip=True) for a in page.select("main h2 a")]
    assert titles == ["Eintrag 4", "Eintrag 2", "Eintrag 1"]


def test_a_plugin_on_finalized_finds_every_page_written(serial, tmp_path, capsys):
    """Pages are written before `finalized`, in the build and in the live
    preview, which then writes every page in each build and says so."""
    seen = []

    def on_finalized(pelican):
        output = Path(pelican.output_path)
        seen.append(
            [(output / p).is_file() for p in ("index.html", "serien/fsj/index.html")]
        )

    others = [*PLUGINS, plugin(finalized=on_finalized)]
    try:
        serial.build(PLUGINS=others)
        live = previewing.Preview(
            ROOT / "pelicanconf.py", serial.content, tmp_path / "work", PLUGINS=others
        )
        try:
            live.build()
            status, _type, body = live.respond("/")
        finally:
            live.close()
    finally:
        signals.finalized.disconnect(on_finalized)

    assert seen == [[True, True], [True, True]]
    assert status == 200
    assert b"FSJ" in body
    assert "schreibt darum bei jedem Bau alle Seiten" in capsys.readouterr().out


def test_where_the_settings_put_entries_at_the_root_an_entry_may_be_there(site):
    """Pelican's defaults write {slug}.html at the root: a plain site keeps that."""
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Eins", "2024-01-01", Series="FSJ", Save_as="eins.html")
    site.entry("f/2.md", "Zwei", "2024-01-02", Series="FSJ")

    build = site.build(ARTICLE_SAVE_AS="{slug}.html", ARTICLE_URL="{slug}.html")

    assert build.errors == []
    assert (build.output / "eins.html").is_file()
    assert (build.output / "zwei.html").is_file()

    # this site keeps its entries in folders: a Save_as at the root is refused
    build = site.build()
    [error] = build.errors
    assert "obersten Ebene" in error
    assert not (build.output / "eins.html").exists()
