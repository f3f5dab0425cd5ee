"""Feeds that every reader and validator accepts: Atom, RSS, JSON Feed, OPML."""

import datetime
import email.utils
import json
import re
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
import rnc2rng
from conftest import Site, png
from lxml import etree

SITEURL = "https://example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '„Krimi & Co.“ für < 3 Std. "zitiert" 🎧 Ärger'
LONG_WORDS = 20_000
DRAFT, HIDDEN, SCHEDULED = "Entwurf XY", "Versteckt XY", "Geplant XY"


def atom_schema():
    """RFC 4287's schema, converted from the compact syntax for lxml."""
    rng = rnc2rng.dumps(
        rnc2rng.loads((Path(__file__).parent / "schemas/atom.rnc").read_text())
    )
    # rnc2rng declares the RFC's `local` prefix as xmlns:local="", which XML
    # forbids; every use of it is already written out as ns="".
    rng = rng.replace(' xmlns:local=""', "").replace('xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(rng.encode()))


def populate(site):
    site.series("hoer-bar", "Hör-Bar", Summary="Hörbuchtipps & mehr.")
    site.series("lang", "Lange Serie")
    site.series("bald", "Bald", Status="announced")  # no parts yet
    (site.content / "images").mkdir(exist_ok=True)
    (site.content / "images" / "kopfhoerer.png").write_bytes(png(4, 3))
    site.entry(
        "h/1.md",
        "Erster Tipp",
        "2024-01-10",
        Series="Hör-Bar",
        Tags="Hörbuch, Krimi",
        Summary="Kurz gesagt: hören!",
        body="""
        Mehr im [nächsten Teil]({filename}/h/2.md) und auf der
        [Serienseite](/serien/hoer-bar/), im [Archiv](../archiv/) und
        [unten](#fussnote).

        ![Kopfhörer]({static}/images/kopfhoerer.png)

        <img src="bild.png" srcset="bild.png 1x, /bilder/bild-2x.png 2x" alt="Bild">

        <a href="mailto:info@example.org">Mail</a>
        """,
    )
    site.entry(
        "h/2.md",
        HOSTILE,
        "2024-02-10 09:30",
        Series="Hör-Bar",
        Modified="2024-05-01 12:00",
        Author="Ali R.",
    )
    site.entry(
        "h/3.md",
        "Sehr langer Teil",
        "2024-03-10",
        Series="Hör-Bar",
        body=" ".join(["Hörbuch"] * LONG_WORDS) + " ENDE",
    )
    future = datetime.date.today() + datetime.timedelta(days=30)
    site.entry("h/d.md", DRAFT, "2024-02-11", Series="Hör-Bar", Status="draft")
    site.entry("h/h.md", HIDDEN, "2024-02-12", Series="Hör-Bar", Status="hidden")
    site.entry("h/s.md", SCHEDULED, future.isoformat(), Series="Hör-Bar")
    start = datetime.date(2020, 1, 1)
    for n in range(1, 201):
        day = start + datetime.timedelta(days=n)
        site.entry(
            f"lang/{n:03}.md", f"Folge {n}", day.isoformat(), Series="Lange Serie"
        )
    site.entry("blog/x.md", "Ohne Serie", "2024-04-01", Tags="Krimi")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("feeds"))
    populate(site)
    return site.build("publishconf.py", SITEURL=SITEURL, FEED_DOMAIN=SITEURL)


def feed_files(build, suffix):
    return sorted(build.output.glob(f"feeds/**/*{suffix}"))


def parse(build, path):
    feed = feedparser.parse(str(build.output / path))
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    return feed


@dataclass
class Item:
    """One entry of any format, as tests compare them."""

    title: str
    id: str
    author: str
    tags: list
    published: datetime.datetime
    updated: datetime.datetime | None
    html: str  # the content exactly as written, not as feedparser cleans it


def items(build, path):
    """The entries of a feed; Atom and RSS also pass feedparser without bozo.

    feedparser 6 cannot read JSON Feed, so JSON is read as the spec says.
    """
    path = build.output / path
    if path.suffix == ".json":
        return [
            Item(
                i["title"],
                i["id"],
                i["authors"][0]["name"],
                i.get("tags", []),
                datetime.datetime.fromisoformat(i["date_published"]),
                i.get("date_modified")
                and datetime.datetime.fromisoformat(i["date_modified"]),
                i["content_html"],
            )
            for i in json.loads(path.read_text("utf-8"))["items"]
        ]
    feed = parse(build, path.relative_to(build.output))
    root = etree.parse(str(path)).getroot()
    if root.tag == "rss":
        raw = [i.findtext("description") for i in root.iter("item")]
    else:
        raw = [
            e.findtext(f"{ATOM}content") or e.findtext(f"{ATOM}summary")
            for e in root.iter(f"{ATOM}entry")
        ]
    return [
        Item(
            e.title,
            e.id,
            e.author,
            [t.term for t in e.get("tags", [])],
            utc(e.published_parsed),
            utc(e.updated_parsed) if root.tag != "rss" else None,
            html,
        )
        for e, html in zip(feed.entries, raw, strict=True)
    ]


def utc(parsed):
    return datetime.datetime(*parsed[:6], tzinfo=datetime.UTC)


def entry(entries, title_part):
    return next(e for e in entries if title_part in e.title)


# --- formats and paths ----------------------------------------------------


def test_every_format_is_written_for_the_site_and_each_series(built):
    for path in ("feeds/alle.atom.xml", "feeds/alle.rss.xml", "feeds/alle.json"):
        assert (built.output / path).is_file(), path
    for slug in ("hoer-bar", "lang", "bald"):
        for suffix in (".atom.xml", ".rss.xml", ".json"):
            assert (built.output / f"feeds/serie/{slug}{suffix}").is_file()


def test_feed_paths_are_configurable(site):
    site.series("s", "Serie")
    site.entry("s/1.md", "Eins", "2024-01-01", Series="Serie")

    build = site.build(
        SERIES_FEED_ATOM="abo/{slug}/atom.xml",
        SERIES_FEED_RSS=None,
        SERIES_FEED_JSON="abo/{slug}/feed.json",
        FORTSETZUNG_FEED_ALL_JSON="abo/alles.json",
        SERIES_OPML_SAVE_AS="abo/serien.opml",
    )

    assert (build.output / "abo/s/atom.xml").is_file()
    assert (build.output / "abo/s/feed.json").is_file()
    assert (build.output / "abo/alles.json").is_file()
    assert (build.output / "abo/serien.opml").is_file()
    assert not (build.output / "feeds/serie/s.rss.xml").exists()
    page = build.html("serien/s/")
    assert not page.find("link", type="application/rss+xml", href=re.compile("/s\\."))


def test_a_feed_that_is_not_written_is_not_linked_even_with_an_url_setting(site):
    site.series("s", "Serie")
    site.entry("s/1.md", "Eins", "2024-01-01", Series="Serie")

    build = site.build(
        SERIES_FEED_RSS=None,
        SERIES_FEED_RSS_URL="abo/{slug}.rss",
        SERIES_FEED_ATOM_URL="abo/{slug}.atom",
        FEED_ALL_RSS=None,
        FEED_ALL_RSS_URL="abo/alle.rss",
        FEED_ALL_ATOM_URL="abo/alle.atom",
    )

    assert not (build.output / "feeds/serie/s.rss.xml").exists()
    for page in ("index.html", "serien/index.html", "serien/s/index.html"):
        html = (build.output / page).read_text("utf-8")
        assert "abo/alle.rss" not in html, page
        assert "abo/alle.atom" in html, page
    series_page = (build.output / "serien/s/index.html").read_text("utf-8")
    assert "abo/s.rss" not in series_page
    assert "abo/s.atom" in series_page


# --- validity -------------------------------------------------------------


def test_every_atom_feed_is_valid_against_rfc_4287(built):
    schema = atom_schema()
    files = feed_files(built, ".atom.xml")
    assert len(files) >= 8  # site, 3 series, authors, categories, tags

    for path in files:
        document = etree.parse(str(path))
        assert schema.validate(document), (path, schema.error_log)
        root = document.getroot()
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
        # the RFC's Schematron rules
        ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
        assert len(ids) == len(set(ids)), path
        for item in root.iter(f"{ATOM}entry"):
            assert item.find(f"{ATOM}author/{ATOM}name").text
            assert item.find(f"{ATOM}link[@rel='alternate']") is not None


def test_the_schema_rejects_an_invalid_feed():
    schema = atom_schema()
    no_id = etree.fromstring(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
        b"<updated>2024-01-01T00:00:00Z</updated></feed>"
    )
    assert not schema.validate(no_id)


def test_every_rss_feed_has_the_required_elements_and_rfc_822_dates(built):
    files = feed_files(built, ".rss.xml")
    assert len(files) >= 8

    for path in files:
        root = etree.parse(str(path)).getroot()
        assert root.tag == "rss"
        assert root.get("version") == "2.0"
        channel = root.find("channel")
        for name in ("title", "link", "description"):
            assert channel.findtext(name), (path, name)
        assert channel.findtext("language") == "de"
        for item in channel.iter("item"):
            assert item.findtext("title")
            assert item.findtext("link").startswith(SITEURL + "/")
            assert item.find("guid").get("isPermaLink") == "false"
            date = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
            assert date.tzinfo is not None


def test_every_json_feed_follows_json_feed_1_1(built):
    files = feed_files(built, ".json")
    assert len(files) >= 4

    for path in files:
        feed = json.loads(path.read_text("utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["title"]
        assert feed["language"] == "de"
        assert feed["feed_url"] == f"{SITEURL}/{path.relative_to(built.output)}"
        assert feed["home_page_url"].startswith(SITEURL + "/")
        assert isinstance(feed["items"], list)
        for item in feed["items"]:
            assert isinstance(item["id"], str)
            assert item["id"]
            assert item.get("content_html") or item.get("content_text")
            assert item["url"].startswith(SITEURL + "/")
            datetime.datetime.fromisoformat(item["date_published"])
            assert item["authors"][0]["name"]


@pytest.mark.parametrize("suffix", [".atom.xml", ".rss.xml"])
def test_every_feed_round_trips_through_feedparser(built, suffix):
    for path in feed_files(built, suffix):
        parse(built, path.relative_to(built.output))


# --- content --------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["atom.xml", "rss.xml", "json"])
def test_series_feed_has_every_part_newest_first(built, suffix):
    entries = items(built, f"feeds/serie/lang.{suffix}")

    assert len(entries) == 200
    assert entries[0].title == "Lange Serie, Teil 200: Folge 200"
    assert entries[-1].title == "Lange Serie, Teil 1: Folge 1"


def test_series_feed_limit_is_configurable(site):
    site.series("s", "Serie")
    for n in range(1, 8):
        site.entry(f"s/{n}.md", f"Teil {n}", f"2024-01-0{n}", Series="Serie")

    build = site.build(SERIES_FEED_MAX_ITEMS=3)

    feed = feedparser.parse(str(build.output / "feeds/serie/s.atom.xml"))
    assert [e.title for e in feed.entries] == [
        "Serie, Teil 7: Teil 7",
        "Serie, Teil 6: Teil 6",
        "Serie, Teil 5: Teil 5",
    ]


def test_site_feeds_carry_the_20_newest_entries_and_a_series_feed_every_part(site):
    site.series("s", "Serie")
    for n in range(1, 26):
        site.entry(f"s/{n:02}.md", f"Teil {n}", f"2024-01-{n:02}", Series="Serie")

    build = site.build()

    newest = [f"Serie, Teil {n}: Teil {n}" for n in range(25, 5, -1)]
    for path in ("feeds/alle.atom.xml", "feeds/alle.rss.xml"):
        feed = feedparser.parse(str(build.output / path))
        assert [e.title for e in feed.entries] == newest, path
    feed = feedparser.parse(str(build.output / "feeds/serie/s.atom.xml"))
    assert len(feed.entries) == 25


@pytest.mark.parametrize("suffix", ["atom.xml", "rss.xml", "json"])
def test_series_feeds_carry_the_full_text(built, suffix):
    html = entry(items(built, f"feeds/serie/hoer-bar.{suffix}"), "Sehr langer").html

    assert html.count("Hörbuch") == LONG_WORDS
    assert "ENDE" in html


def test_series_feeds_can_carry_summaries_only(site):
    site.series("s", "Serie")
    site.entry(
        "s/1.md",
        "Eins",
        "2024-01-01",
        Series="Serie",
        Summary="Nur das.",
        body="Der ganze Text.",
    )

    build = site.build(SERIES_FEED_SUMMARY_ONLY=True)

    for suffix in ("atom.xml", "rss.xml", "json"):
        text = (build.output / f"feeds/serie/s.{suffix}").read_text("utf-8")
        assert "Nur das." in text, suffix
        assert "Der ganze Text." not in text, suffix


@pytest.mark.parametrize("suffix", ["atom.xml", "rss.xml", "json"])
def test_every_url_inside_the_content_is_absolute(built, suffix):
    html = entry(items(built, f"feeds/serie/hoer-bar.{suffix}"), "Erster Tipp").html
    urls = re.findall(r'(?:href|src)="([^"]*)"', html)
    urls += [
        candidate.split()[0]
        for srcset in re.findall(r'srcset="([^"]*)"', html)
        for candidate in srcset.split(",")
    ]

    assert len(urls) >= 8
    for url in urls:
        assert url.startswith((SITEURL + "/", "mailto:")), url
    assert f"{SITEURL}/serien/hoer-bar/" in urls
    assert f"{SITEURL}/images/kopfhoerer.png" in urls
    assert f"{SITEURL}/bilder/bild-2x.png" in urls
    part_1 = built.series("hoer-bar").articles[0].url
    assert f"{SITEURL}/{part_1}#fussnote" in urls


@pytest.mark.parametrize("suffix", ["atom.xml", "rss.xml", "json"])
def test_items_name_series_part_authors_and_dates(built, suffix):
    entries = items(built, f"feeds/serie/hoer-bar.{suffix}")
    hostile = entry(entries, "Teil 2:")

    # titles get German quotes (extras/typography.py of the plugin)
    assert (
        hostile.title
        == "Hör-Bar, Teil 2: „Krimi & Co.“ für < 3 Std. „zitiert“ 🎧 Ärger"
    )
    assert hostile.author == "Ali R."
    assert "Hör-Bar" in hostile.tags
    berlin_winter = datetime.timedelta(hours=1)
    assert (
        hostile.published
        == datetime.datetime(2024, 2, 10, 9, 30, tzinfo=datetime.UTC) - berlin_winter
    )
    if suffix != "rss.xml":  # RSS has no element for it
        berlin_summer = datetime.timedelta(hours=2)
        assert (
            hostile.updated
            == datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.UTC) - berlin_summer
        )
    assert [e.title.split(":")[0] for e in entries] == [
        "Hör-Bar, Teil 3",
        "Hör-Bar, Teil 2",
        "Hör-Bar, Teil 1",
    ]


def test_item_title_is_configurable(site):
    site.series("s", "Serie")
    site.entry("s/1.md", "Eins", "2024-01-01", Series="Serie")

    build = site.build(SERIES_FEED_ITEM_TITLE="{title} ({series} {index}/{count})")

    feed = feedparser.parse(str(build.output / "feeds/serie/s.atom.xml"))
    assert feed.entries[0].title == "Eins (Serie 1/1)"


def test_site_feed_names_the_series_of_a_part_and_plain_titles_otherwise(built):
    feed = parse(built, "feeds/alle.atom.xml")
    titles = [e.title for e in feed.entries]

    assert "Ohne Serie" in titles
    assert "Hör-Bar, Teil 1: Erster Tipp" in titles


def test_feeds_declare_german(built):
    atom = parse(built, "feeds/serie/hoer-bar.atom.xml")
    rss = parse(built, "feeds/serie/hoer-bar.rss.xml")
    data = json.loads((built.output / "feeds/serie/hoer-bar.json").read_text("utf-8"))

    assert atom.feed.language == "de"
    assert rss.feed.language == "de"
    assert data["language"] == "de"


def test_series_feed_describes_the_series(built):
    feed = parse(built, "feeds/serie/hoer-bar.atom.xml")

    assert feed.feed.title == "Hör-Bar – Fortsetzung folgt"
    assert feed.feed.link == f"{SITEURL}/serien/hoer-bar/"
    assert feed.feed.subtitle == "Hörbuchtipps & mehr."


def test_entry_ids_survive_a_new_title_and_slug(site):
    site.series("s", "Serie")
    site.entry("s/1.md", "Alter Titel", "2024-01-01", Series="Serie")
    before = feedparser.parse(str(site.build().output / "feeds/serie/s.atom.xml"))

    site.entry("s/1.md", "Neuer Titel", "2024-01-01", Series="Serie", Slug="ganz-neu")
    after = feedparser.parse(str(site.build().output / "feeds/serie/s.atom.xml"))

    assert before.entries[0].link != after.entries[0].link
    assert before.entries[0].id == after.entries[0].id
    assert after.entries[0].id.startswith("tag:localhost,2024-01-01:")


def test_ids_differ_between_entries_and_feeds(built):
    feeds = [
        parse(built, p.relative_to(built.output))
        for p in feed_files(built, ".atom.xml")
    ]

    assert len({f.feed.id for f in feeds}) == len(feeds)
    site_ids = [e.id for e in parse(built, "feeds/alle.atom.xml").entries]
    assert len(site_ids) == len(set(site_ids))


@pytest.mark.parametrize("title", [DRAFT, HIDDEN, SCHEDULED])
def test_no_unpublished_part_in_any_feed(built, title):
    for path in built.output.glob("feeds/**/*"):
        if path.is_file():
            assert title not in path.read_text("utf-8"), path


@pytest.mark.parametrize("suffix", ["atom.xml", "rss.xml", "json"])
def test_feed_of_a_series_without_parts_is_valid_and_empty(built, suffix):
    assert items(built, f"feeds/serie/bald.{suffix}") == []


def test_empty_atom_feed_is_valid(built):
    schema = atom_schema()
    assert schema.validate(etree.parse(str(built.output / "feeds/serie/bald.atom.xml")))


# --- OPML and browsers ----------------------------------------------------


def test_opml_lists_one_outline_per_series(built):
    root = etree.parse(str(built.output / "feeds/serien.opml")).getroot()

    assert root.tag == "opml"
    assert root.get("version") == "2.0"
    assert root.findtext("head/title")
    outlines = root.findall("body/outline")
    assert [o.get("text") for o in outlines] == ["Bald", "Hör-Bar", "Lange Serie"]
    for outline in outlines:
        assert outline.get("type") == "rss"
        feed_path = outline.get("xmlUrl").removeprefix(SITEURL + "/")
        assert (built.output / feed_path).is_file()
        assert outline.get("htmlUrl").startswith(f"{SITEURL}/serien/")


def test_opml_is_linked_from_the_all_series_page(built):
    page = built.html("serien/")

    assert page.find("a", href=f"{SITEURL}/feeds/serien.opml") is not None


@pytest.mark.parametrize("suffix", ["atom.xml", "rss.xml"])
def test_feeds_carry_no_stylesheet_that_browsers_warn_about(built, suffix):
    # Chromium warns on a feed with an XSLT stylesheet: browsers drop XSLT
    text = (built.output / f"feeds/serie/hoer-bar.{suffix}").read_text("utf-8")

    assert "<?xml-stylesheet" not in text
    assert not list(built.output.rglob("*.xsl"))


@pytest.mark.parametrize("suffix", ["atom.xml", "rss.xml"])
def test_a_stylesheet_is_announced_where_a_site_sets_one(site, suffix):
    site.series("hoer-bar", "Hör-Bar")
    site.entry("hoer-bar/a.md", "Erster Tipp", "2024-01-01", Series="Hör-Bar")
    built = site.build(SITEURL=SITEURL, FORTSETZUNG_FEED_STYLESHEET="feed.xsl")
    text = (built.output / f"feeds/serie/hoer-bar.{suffix}").read_text("utf-8")

    assert text.splitlines()[1] == (
        f'<?xml-stylesheet type="text/xsl" href="{SITEURL}/feed.xsl"?>'
    )
