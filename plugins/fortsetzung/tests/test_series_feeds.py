"""A series' own feeds (Atom, RSS, JSON Feed) and the OPML list of them."""

import json

import feedparser
import lxml.etree
import pytest

from .plain import SITEURL, PlainSite, entry


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One site with two series; the tests only read what it wrote."""

    site = PlainSite(tmp_path_factory.mktemp("feeds"))
    site.write("series/diary.md", "Title: Diary\nSummary: A diary.\n\nIntro.\n")
    site.write("series/tips.md", "Title: Tips\n\nAudio book tips.\n")
    site.write("diary/1.md", entry("First day", "2024-01-01", "Diary"))
    site.write("diary/2.md", entry("Second day", "2024-01-02", "Diary"))
    site.write("diary/3.md", entry("Unsent", "2024-01-03", "Diary", Status="draft"))
    site.write("tips/1.md", entry("A tip", "2024-02-01", "Tips"))
    site.write("news.md", entry("News", "2024-03-01"))
    return site.build(FEED_ALL_ATOM="feeds/all.atom.xml")


@pytest.mark.parametrize("kind", ["atom.xml", "rss.xml"])
def test_a_series_feed_holds_its_published_parts(built, kind):
    feed = feedparser.parse(built.output / f"feeds/series/diary.{kind}")

    assert not feed.bozo, feed.get("bozo_exception")
    texts = [e.title for e in feed.entries]
    assert len(texts) == 2
    assert "Second day" in texts[0]  # the newest first
    assert "First day" in texts[1]
    assert all("Unsent" not in t and "A tip" not in t for t in texts)
    assert all(e.link.startswith(SITEURL) for e in feed.entries)


def test_a_series_json_feed(built):
    feed = json.loads((built.output / "feeds/series/diary.json").read_text("utf-8"))

    assert feed["version"].startswith("https://jsonfeed.org/version/1")
    assert len(feed["items"]) == 2
    assert all(item["url"].startswith(SITEURL) for item in feed["items"])


def test_the_opml_file_lists_every_series_feed(built):
    opml = lxml.etree.parse(built.output / "feeds/series.opml")

    urls = sorted(o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl"))
    assert urls == [
        f"{SITEURL}/feeds/series/diary.atom.xml",
        f"{SITEURL}/feeds/series/tips.atom.xml",
    ]


def test_the_series_page_links_its_feed(built):
    page = built.html("series/diary/")

    assert page.xpath(f"//a[@href='{SITEURL}/feeds/series/diary.atom.xml']")


def test_feeds_can_be_switched_off(site):
    site.write("series/s.md", "Title: S\n\nIntro.\n")
    site.write("s/1.md", entry("One", "2024-01-01", "S"))

    built = site.build(
        SERIES_FEED_RSS=None, SERIES_FEED_JSON=None, SERIES_OPML_SAVE_AS=None
    )

    written = {f for f in built.files() if f.startswith("feeds/series")}
    assert written == {"feeds/series/s.atom.xml"}
