"""Installing the plugin changes none of the feeds Pelican writes; settings may.

A site like Pelican's own sample (Pelican's wheel does not ship its
`samples/` folder): Markdown and reStructuredText articles in categories,
with tags, one and several authors, a translation, relative links, images,
a summary that is the whole text, and parts of a series. It is built by
Pelican alone and with the plugin, each in a process of its own (a plugin
once loaded stays connected to Pelican's signals), with the site feed, the
category, tag, author and translation feeds in Atom and RSS. Every feed
Pelican writes must be the same file; the plugin adds only its own. Each of
the plugin's settings for Pelican's feeds then changes what it says.
"""

import subprocess
import sys
import textwrap

import feedparser
import pytest
from conftest import png
from lxml import etree

SITEURL = "https://example.org"
SETTINGS = f"""
SITENAME = "Sample & Co."
SITEURL = "{SITEURL}"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"
THEME = "simple"
ARTICLE_EXCLUDES = ["series"]  # the plugin's series descriptions
FEED_ATOM = "feeds/index.atom.xml"
FEED_RSS = "feeds/index.rss.xml"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{{slug}}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{{slug}}.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{{slug}}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{{slug}}.rss.xml"
AUTHOR_FEED_ATOM = "feeds/author/{{slug}}.atom.xml"
AUTHOR_FEED_RSS = "feeds/author/{{slug}}.rss.xml"
TRANSLATION_FEED_ATOM = "feeds/all-{{lang}}.atom.xml"
TRANSLATION_FEED_RSS = "feeds/all-{{lang}}.rss.xml"
"""

CONTENT = {
    "series/a-serial.md": """
        Title: A Serial
        Summary: A story in parts.

        The introduction.
        """,
    "stories/part-one.md": """
        Title: Part one
        Date: 2024-01-01 10:00
        Author: Ann
        Category: Stories
        Tags: serial, fiction
        Series: A Serial
        Summary: The first part.

        It begins, see [part two]({filename}part-two.md) and the
        [archives](../archives.html), with ![a picture]({static}/images/pic.png).
        """,
    "stories/part-two.md": """
        Title: Part two
        Date: 2024-02-01 10:00
        Modified: 2024-02-03 08:00
        Authors: Ann, Bob
        Category: Stories
        Tags: serial
        Series: A Serial
        Summary: The second part.

        It goes on. <a href="#end">The end</a> is [near](/near/).
        """,
    "stories/part-two-fr.md": """
        Title: Deuxième partie
        Date: 2024-02-01 10:00
        Author: Ann
        Category: Stories
        Slug: part-two
        Lang: fr
        Summary: La deuxième partie.

        Ça continue.
        """,
    "blog/fish.md": """
        Title: Fish & Chips "quoted"
        Date: 2024-03-01 12:00
        Author: Bob
        Category: Food
        Tags: fiction, food
        Summary: Short.

        Short.
        """,
    "blog/entities.md": """
        Title: 1 &lt; 2 &amp; 3
        Date: 2024-03-02 12:00
        Author: Bob
        Category: Food
        Summary: Entities.

        Text.
        """,
    "blog/notes.rst": """
        Notes in reST
        #############

        :date: 2024-04-01 09:00
        :author: Ann
        :category: Food
        :tags: food
        :summary: Notes, in reStructuredText.

        A `link <other/page.html>`_ and text.
        """,
}


#: This site's settings for Pelican's feeds, and a preview without SITEURL.
OPTED_IN = """
FORTSETZUNG_FEED_STABLE_IDS = True
FORTSETZUNG_FEED_ITEM_TITLES = True
FORTSETZUNG_FEED_ABSOLUTE_URLS = True
FORTSETZUNG_FEED_METADATA = True
FORTSETZUNG_FEED_TITLE = "{title} – {site}"
FORTSETZUNG_FEED_STYLESHEET = "feed.xsl"
SITEURL = ""
FEED_DOMAIN = "http://localhost:8000"
RSS_FEED_SUMMARY_ONLY = False  # Pelican's own setting: full text in RSS too
"""


def build(tmp_path, name, plugins, settings=""):
    site = tmp_path / "site"
    if not site.exists():
        for path, text in CONTENT.items():
            target = site / "content" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip(), "utf-8")
        (site / "content/images").mkdir()
        (site / "content/images/pic.png").write_bytes(png(2, 2))
    conf = site / f"{name}.py"
    conf.write_text(SETTINGS + f"PLUGINS = {plugins!r}\n" + settings, "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", conf.name, "-o", name],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return site / name


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("unchanged")
    return build(tmp_path, "alone", []), build(tmp_path, "plugin", ["fortsetzung"])


@pytest.fixture(scope="module")
def opted_in(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("opted")
    return build(tmp_path, "opted", ["fortsetzung"], OPTED_IN)


def feeds(output):
    return {
        p.relative_to(output).as_posix(): p
        for p in output.rglob("*")
        if p.is_file() and p.name.endswith((".atom.xml", ".rss.xml"))
    }


def test_pelican_writes_every_kind_of_feed(outputs):
    alone, _plugin = outputs
    written = set(feeds(alone))

    for path in (
        "feeds/index.atom.xml", "feeds/all.rss.xml", "feeds/all-fr.atom.xml",
        "feeds/category/stories.rss.xml", "feeds/tag/serial.atom.xml",
        "feeds/author/bob.rss.xml",
    ):  # fmt: skip
        assert path in written, written


def test_every_feed_pelican_writes_is_the_same_with_the_plugin(outputs):
    alone, plugin = outputs
    before, after = feeds(alone), feeds(plugin)

    assert set(before) <= set(after)
    for path, file in before.items():
        old, new = feedparser.parse(file), feedparser.parse(after[path])
        assert [e.get("id") for e in new.entries] == [e.get("id") for e in old.entries]
        for was, now in zip(old.entries, new.entries, strict=True):
            for key in ("title", "link", "summary", "content", "tags", "author"):
                assert now.get(key) == was.get(key), (path, key)
        assert after[path].read_bytes() == file.read_bytes(), path


def test_the_plugin_adds_its_series_feeds(outputs):
    alone, plugin = outputs
    added = set(feeds(plugin)) - set(feeds(alone))

    assert added == {"feeds/series/a-serial.atom.xml", "feeds/series/a-serial.rss.xml"}


# --- what the settings change ----------------------------------------------


def entries(output, path):
    feed = feedparser.parse(output / path)
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    return feed


def test_stable_ids_come_from_the_source_file(opted_in):
    atom = entries(opted_in, "feeds/all.atom.xml")
    rss = etree.parse(str(opted_in / "feeds/all.rss.xml")).getroot()

    assert "tag:localhost,2024-01-01:stories/part-one.md" in [
        e.id for e in atom.entries
    ]
    assert "tag:localhost,2024-02-01:stories/part-two-fr.md" in [
        e.id for e in atom.entries
    ]
    assert atom.feed.id == "http://localhost:8000/feeds/all.atom.xml"
    assert {g.get("isPermaLink") for g in rss.iter("guid")} == {"false"}


def test_item_titles_are_text_and_name_series_and_part(opted_in):
    feed = entries(opted_in, "feeds/tag/serial.atom.xml")

    assert [e.title for e in feed.entries] == [
        "A Serial, part 2: Part two",
        "A Serial, part 1: Part one",
    ]
    assert "A Serial" in [t.term for t in feed.entries[0].tags]
    others = entries(opted_in, "feeds/category/food.atom.xml")
    assert [e.title for e in others.entries] == [
        "Notes in reST",
        "1 &lt; 2 &amp; 3",  # as the author wrote it (Pelican: "1 < 2 & 3")
        'Fish & Chips "quoted"',
    ]


@pytest.mark.parametrize("suffix", ["atom.xml", "rss.xml"])
def test_absolute_urls_inside_the_text_and_on_feed_domain(opted_in, suffix):
    feed = entries(opted_in, f"feeds/category/stories.{suffix}")
    part_one = next(e for e in feed.entries if e.title.endswith("Part one"))
    text = part_one.content[0].value if suffix == "atom.xml" else part_one.summary

    assert part_one.link == "http://localhost:8000/part-one.html"
    assert 'href="http://localhost:8000/archives.html"' in text
    assert 'href="http://localhost:8000/part-two.html"' in text
    assert 'src="http://localhost:8000/images/pic.png"' in text
    assert feed.feed.link == "http://localhost:8000/"


def test_metadata_names_language_author_and_description(opted_in):
    atom = etree.parse(str(opted_in / "feeds/author/ann.atom.xml")).getroot()
    rss = etree.parse(str(opted_in / "feeds/all.rss.xml")).getroot()
    feed = entries(opted_in, "feeds/author/ann.atom.xml")

    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert rss.findtext("channel/language") == "en"
    assert rss.findtext("channel/description") == "Sample & Co."
    assert feed.feed.author == "Sample & Co."
    part_two = next(e for e in feed.entries if e.title.endswith("Part two"))
    assert part_two.author == "Ann, Bob"


def test_feed_titles_follow_the_pattern(opted_in):
    assert entries(opted_in, "feeds/category/food.atom.xml").feed.title == (
        "Food – Sample & Co."
    )
    assert entries(opted_in, "feeds/all.atom.xml").feed.title == "Sample & Co."
    series = entries(opted_in, "feeds/series/a-serial.atom.xml")
    assert series.feed.title == "A Serial – Sample & Co."


@pytest.mark.parametrize("suffix", ["atom.xml", "rss.xml"])
def test_a_stylesheet_is_announced_in_pelican_s_feeds_too(opted_in, suffix):
    text = (opted_in / f"feeds/category/food.{suffix}").read_text("utf-8")

    assert text.splitlines()[1] == (
        '<?xml-stylesheet type="text/xsl" href="http://localhost:8000/feed.xsl"?>'
    )
