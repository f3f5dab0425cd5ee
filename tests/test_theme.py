"""Whole builds with the theme: metadata for sharing, privacy, pages, strings."""

import datetime
import gzip
import itertools
import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, Site, png

SITEURL = "https://example.org"
TEMPLATES = ROOT / "themes" / "fortsetzung" / "templates"
DRAFT = "Noch nicht fertig"
SCHEDULED = "Kommt bald"


def populate(site):
    images = site.content / "images"
    images.mkdir(parents=True, exist_ok=True)
    (images / "foto.png").write_bytes(png(60, 40))
    (images / "zeichnung.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 45"></svg>', "utf-8"
    )
    site.series(
        "azubitagebuch",
        "AzubiTagebuch",
        Image="images/zeichnung.svg",
        Image_alt="Eine Zeichnung",
    )
    site.series("hoer-bar", "Hör-Bar", Summary="Hörbuchtipps.")
    site.entry(
        "azubitagebuch/1.md",
        'Der "erste" Tag',
        "2024-01-15 10:00",
        body=(
            "Peter's Buch, \"Tschick\" und 'so' -- bis '99 und 's Märchen.\n\n"
            "![Ein Foto vom Band]({static}/images/foto.png)"
        ),
        Series="AzubiTagebuch",
        Tags="Ausbildung",
        Summary="Wie alles anfing.",
        Image="images/foto.png",
        Image_alt="Das Rückgabeband",
    )
    site.entry(
        "azubitagebuch/2.md",
        "Der zweite Tag",
        "2024-02-15 10:00",
        Series="AzubiTagebuch",
        Author="Jonas M.",
    )
    site.entry("hoer-bar/1.md", "Hörspiele", "2024-03-01", Series="Hör-Bar")
    site.entry("hoer-bar/2.md", "Krimis zum Hören", "2024-04-01", Series="Hör-Bar")
    site.entry("blog/neu.md", "Neue Öffnungszeiten", "2024-05-01")
    site.entry(
        "azubitagebuch/entwurf.md",
        DRAFT,
        "2024-03-01",
        Series="AzubiTagebuch",
        Status="draft",
    )
    future = datetime.date.today() + datetime.timedelta(days=40)
    site.entry(
        "azubitagebuch/geplant.md",
        SCHEDULED,
        future.isoformat(),
        Series="AzubiTagebuch",
    )
    site.write("pages/ueber-uns.md", {"Title": "Über uns"}, "Wer wir sind.")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("theme"))
    populate(site)
    return site.build(
        "publishconf.py",
        SITEURL=SITEURL,
        FEED_DOMAIN=SITEURL,
        DEFAULT_PAGINATION=2,
        SOCIAL=[("Mastodon", "https://bibliothek.social/@buecherei")],
        FOOTER_LINKS=[("Katalog", "https://katalog.example.org/")],
        THEME_COLORS={"accent": "#8a1538"},
        SITELOGO_ALT="Logo der Bücherei",
    )


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("theme-preview"))
    populate(site)
    return site.build("pelicanconf.py")


def first_part(build):
    return build.series("azubitagebuch").articles[0]


def html_pages(build):
    return sorted(
        str(p.relative_to(build.output)) for p in build.output.rglob("*.html")
    )


def meta(page, name):
    tag = page.find("meta", attrs={"property": name}) or page.find(
        "meta", attrs={"name": name}
    )
    return tag["content"] if tag else None


# ---- Sharing: Open Graph, Twitter cards, canonical URLs --------------------


def test_entry_has_open_graph_and_twitter_metadata(published):
    part = first_part(published)
    page = published.html(part.url)
    url = f"{SITEURL}/{part.url}"

    assert page.find("link", rel="canonical")["href"] == url
    assert meta(page, "og:url") == url
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == "Der „erste“ Tag"
    assert meta(page, "og:description") == "Wie alles anfing."
    assert meta(page, "og:locale") == "de_DE"
    # a part's picture is its share image (sharecards), not its own photo
    card = meta(page, "og:image")
    assert re.fullmatch(
        f"{SITEURL}/teilen/{part.url.rstrip('/')}-[0-9a-f]{{8}}[.]png", card
    )
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == (
        "1200",
        "630",
    )
    assert meta(page, "og:image:alt") == (
        "AzubiTagebuch, Teil 1: Der „erste“ Tag – Stadtbüchereien Düsseldorf"
    )
    assert meta(page, "article:section") == "AzubiTagebuch"
    assert meta(page, "article:published_time").startswith("2024-01-15T10:00:00")
    assert meta(page, "article:tag") == "Ausbildung"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:image") == card


def test_svg_images_are_not_offered_to_social_networks(published):
    # the series image is an SVG, which no network shows: the share image,
    # drawn on the accent colour
    page = published.html("serien/azubitagebuch/")
    second = published.html(published.series("azubitagebuch").articles[1].url)

    for shown in (page, second):
        assert meta(shown, "og:image").startswith(f"{SITEURL}/teilen/")
        assert meta(shown, "og:image").endswith(".png")
    assert meta(page, "og:type") == "website"
    assert meta(page, "og:title") == "AzubiTagebuch"


@pytest.mark.parametrize(
    "path", ["", "seite/2/", "serien/", "serien/hoer-bar/", "archiv/", "ueber-uns/"]
)
def test_every_page_names_its_canonical_url(published, path):
    page = published.html(path)

    assert page.find("link", rel="canonical")["href"] == f"{SITEURL}/{path}"
    assert meta(page, "og:url") == f"{SITEURL}/{path}"
    assert meta(page, "og:image").startswith(f"{SITEURL}/")


def test_sitemap_lists_published_pages_only(published):
    sitemap = BeautifulSoup((published.output / "sitemap.xml").read_text(), "xml")
    urls = {loc.get_text() for loc in sitemap.find_all("loc")}

    assert f"{SITEURL}/{first_part(published).url}" in urls
    assert f"{SITEURL}/serien/azubitagebuch/" in urls
    assert f"{SITEURL}/serien/" in urls
    assert f"{SITEURL}/ueber-uns/" in urls
    assert f"{SITEURL}/" in urls
    assert f"{SITEURL}/schlagwort/ausbildung/" in urls
    assert f"{SITEURL}/autorin/jonas-m/" in urls
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", lastmod.get_text())
        for lastmod in sitemap.find_all("lastmod")
    )
    assert not {u for u in urls if "404" in u or "robots" in u or "/seite/" in u}
    assert all(u.startswith(f"{SITEURL}/") for u in urls)
    everything = "\n".join(urls)
    assert "entwurf" not in everything
    assert "geplant" not in everything


def test_robots_txt_points_at_the_sitemap(published):
    robots = (published.output / "robots.txt").read_text("utf-8")

    assert robots.splitlines()[0] == "User-agent: *"
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots


# ---- Pages -----------------------------------------------------------------


def test_404_page(published):
    page = published.html("404.html")

    assert page.find("h1").get_text() == "Seite nicht gefunden"
    assert meta(page, "robots") == "noindex"
    assert page.find("link", rel="canonical") is None
    # shown at any address: every link must work from anywhere
    for tag in page.find_all(["a", "link", "img"]):
        url = tag.get("href") or tag.get("src")
        assert url.startswith(("https://", "#")), url


def test_home_shows_our_series_with_their_latest_part(published):
    page = published.html("")
    section = page.find("section", attrs={"aria-labelledby": "unsere-serien"})
    latest = {
        teaser.find("h3").get_text(strip=True): teaser.find(
            class_="series-teaser__latest"
        ).a.get_text()
        for teaser in section.find_all(class_="series-teaser")
    }

    assert section.find("h2").get_text() == "Unsere Serien"
    assert latest == {"AzubiTagebuch": "Der zweite Tag", "Hör-Bar": "Krimis zum Hören"}


def test_lists_are_paginated(published):
    first, second = published.html(""), published.html("seite/2/")

    assert len(first.select("main .teaser")) == 2
    assert first.find("a", rel="next")["href"] == f"{SITEURL}/seite/2/"
    assert second.find("a", rel="prev")["href"] == f"{SITEURL}/"
    assert "Seite 2 von 3" in second.get_text(" ")
    assert second.title.get_text().startswith("Seite 2 – ")


def test_author_page_lists_their_parts_and_series(published):
    page = published.html("autorin/jonas-m/")
    text = page.get_text(" ", strip=True)

    assert page.find("h1").get_text() == "Beiträge von Jonas M."
    assert "Schreibt für die Serie AzubiTagebuch" in text
    assert [a.get_text() for a in page.select("main .teaser__title a")] == [
        "Der zweite Tag"
    ]
    assert "Teil 2 von 2 der Serie „AzubiTagebuch“" in page.find("main").get_text()


def test_static_pages_are_in_the_footer(published):
    footer = published.html("").find("footer", class_="site-footer")
    links = {a.get_text(): a["href"] for a in footer.find_all("a")}

    assert links["Über uns"] == f"{SITEURL}/ueber-uns/"
    assert links["Katalog"] == "https://katalog.example.org/"
    assert links["Mastodon"] == "https://bibliothek.social/@buecherei"
    assert footer.find("a", string="Mastodon")["rel"] == ["me"]


def test_library_settings_reach_the_page(published):
    page = published.html("")
    logo = page.select_one(".site-title img")

    assert logo["alt"] == "Logo der Bücherei"
    assert logo["src"] == f"{SITEURL}/theme/images/fortsetzung.svg"
    assert (logo["width"], logo["height"]) == ("48", "48")
    assert "--color-accent: #8a1538;" in page.find("style").get_text()
    assert page.select_one('link[rel="icon"]')["href"].startswith(SITEURL)


# ---- Accessibility ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["", "serien/", "serien/azubitagebuch/", "archiv/", "ueber-uns/", "404.html"],
)
def test_landmarks_and_heading_order(published, path):
    page = published.html(path)
    levels = [int(h.name[1]) for h in page.find_all(re.compile(r"^h[1-6]$"))]

    assert page.html["lang"] == "de"
    assert page.find("a", class_="skip-link")["href"] == "#inhalt"
    assert page.find("main", id="inhalt") is not None
    assert page.find("header") and page.find("footer")
    assert page.find("nav", attrs={"aria-label": "Hauptnavigation"}) is not None
    assert levels.count(1) == 1
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def test_entry_heading_order(published):
    page = published.html(first_part(published).url)
    levels = [int(h.name[1]) for h in page.find_all(re.compile(r"^h[1-6]$"))]

    assert levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def test_images_have_size_and_load_lazily_below_the_top(published):
    page = published.html(first_part(published).url)
    figure = page.select_one(".entry-figure img")
    inline = page.select_one(".entry-content img")

    assert (figure["width"], figure["height"]) == ("60", "40")
    assert figure.get("loading") is None  # near the top: load it at once
    assert (inline["width"], inline["height"]) == ("60", "40")
    assert inline["loading"] == "lazy"
    assert inline["decoding"] == "async"
    assert inline["alt"] == "Ein Foto vom Band"


def test_preview_shows_alt_texts_the_published_site_does_not(preview, published):
    shown = preview.html(first_part(preview).url).find(class_="alt-text")

    assert shown.get_text(" ", strip=True) == "Alternativtext: Das Rückgabeband"
    assert published.html(first_part(published).url).find(class_="alt-text") is None


def test_draft_and_scheduled_notices(preview):
    pages = {a.title: preview.html(a.url) for a in preview.context["drafts"] if a.title}
    date = (datetime.date.today() + datetime.timedelta(days=40)).day

    draft = pages[DRAFT].find(class_="draft-notice").get_text(strip=True)
    scheduled = pages[SCHEDULED].find(class_="draft-notice").get_text(strip=True)
    assert draft == "Entwurf – nicht veröffentlicht"
    assert re.fullmatch(
        rf"Geplant für {date}\. \w+ \d{{4}} – nicht veröffentlicht", scheduled
    )
    assert preview.html(first_part(preview).url).find(class_="draft-notice") is None


# ---- Privacy ------------------------------------------------------------------

LOADING = {
    "img": ["src", "srcset"],
    "script": ["src"],
    "iframe": ["src"],
    "source": ["src", "srcset"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "track": ["src"],
}
# <link> types that make a browser fetch something at once
FETCHED_LINKS = {
    "stylesheet",
    "icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
}


def test_no_page_loads_anything_from_another_host(published):
    foreign = []
    for path in html_pages(published):
        page = published.html(path)
        for tag in page.find_all(list(LOADING)):
            for attribute in LOADING[tag.name]:
                for candidate in re.split(r",\s*", tag.get(attribute) or ""):
                    url = candidate.split(" ")[0]
                    if url and not url.startswith((f"{SITEURL}/", "/")):
                        foreign.append((path, tag.name, url))
        for tag in page.find_all("link"):
            if FETCHED_LINKS & set(tag.get("rel", [])) and not tag["href"].startswith(
                f"{SITEURL}/"
            ):
                foreign.append((path, "link", tag["href"]))
        for style in page.find_all("style"):
            if re.search(r"url\(|@import", style.get_text()):
                foreign.append((path, "style", style.get_text()))
    assert foreign == []
    # two small scripts of the theme: the search page's (it searches the
    # site's own index) and "Weiterlesen" (it remembers the last part read)
    scripts = [p.relative_to(published.output) for p in published.output.rglob("*.js")]
    assert sorted(p.as_posix() for p in scripts) == [
        "theme/js/suche.js",
        "theme/js/weiterlesen.js",
    ]
    for path in html_pages(published):
        sources = [s.get("src") for s in published.html(path).find_all("script")]
        expected = [f"{SITEURL}/theme/js/weiterlesen.js"]
        if path == "suche/index.html":
            expected.insert(0, f"{SITEURL}/theme/js/suche.js")
        assert sources == expected, path


def test_share_links_are_plain_links(published):
    part = first_part(published)
    url = f"{SITEURL}/{part.url}"
    section = published.html(part.url).find("section", class_="share")
    links = {a.get_text(): a["href"] for a in section.find_all("a")}
    text = f"Der „erste“ Tag {url}"

    assert list(links) == ["Mastodon", "Bluesky", "Facebook", "X", "WhatsApp", "E-Mail"]
    assert links["Mastodon"] == "https://share.joinmastodon.org/#text=" + quote(text)
    assert parse_qs(urlsplit(links["Bluesky"]).query) == {"text": [text]}
    assert parse_qs(urlsplit(links["Facebook"]).query) == {"u": [url]}
    assert parse_qs(urlsplit(links["X"]).query) == {
        "text": ["Der „erste“ Tag"],
        "url": [url],
    }
    assert parse_qs(urlsplit(links["WhatsApp"]).query) == {"text": [text]}
    mail = urlsplit(links["E-Mail"])
    assert mail.scheme == "mailto"
    assert parse_qs(mail.query)["body"] == [f"Der „erste“ Tag\n\n{url}"]
    for a in section.find_all("a"):
        assert "noreferrer" in a["rel"]
        assert a.get("target") is None
        assert a.get_text() in a["aria-label"] or a.get_text() == "E-Mail"
    copy = section.find("input")
    assert copy.has_attr("readonly")
    assert copy["value"] == url
    assert section.find_parent().find("label", attrs={"for": copy["id"]}) is not None
    assert section.find(["script", "iframe", "img"]) is None


def test_drafts_have_no_share_links(preview):
    draft = next(a for a in preview.context["drafts"] if a.title == DRAFT)
    assert preview.html(draft.url).find("section", class_="share") is None


# ---- German --------------------------------------------------------------------


def test_titles_and_text_get_german_quotes_and_apostrophes(published):
    part = first_part(published)
    page = published.html(part.url)
    text = page.select_one(".entry-content p").get_text()

    assert page.find("h1").get_text() == "Der „erste“ Tag"
    assert text == "Peter’s Buch, „Tschick“ und ‚so‘ – bis ’99 und ’s Märchen."
    assert part.slug == "der-erste-tag"
    assert page.title.get_text() == "Der „erste“ Tag – Fortsetzung folgt"


def test_dates_are_german(published):
    text = published.html(first_part(published).url).get_text(" ")
    assert "15. Januar 2024" in text


def test_theme_texts_can_be_replaced_by_a_catalogue_of_the_site(tmp_path):
    overrides = tmp_path / "overrides"
    catalogue = overrides / "translations" / "de" / "LC_MESSAGES" / "messages.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text(
        'msgid "Home"\nmsgstr "Start"\n\nmsgid "Share"\nmsgstr "Weitersagen"\n',
        "utf-8",
    )
    site = Site(tmp_path / "site")
    populate(site)
    build = site.build(
        "publishconf.py", SITEURL=SITEURL, THEME_TEMPLATES_OVERRIDES=[str(overrides)]
    )
    page = build.html(first_part(build).url)

    assert page.find("nav", class_="site-nav").a.get_text() == "Start"
    assert page.find(id="teilen").get_text() == "Weitersagen"
    assert page.find("a", class_="skip-link").get_text() == "Zum Inhalt springen"


def test_the_theme_speaks_english_where_it_has_no_catalogue(tmp_path):
    site = Site(tmp_path)
    populate(site)
    build = site.build("publishconf.py", SITEURL=SITEURL, DEFAULT_LANG="fr")
    page = build.html(first_part(build).url)

    assert page.find("a", class_="skip-link").get_text() == "Skip to content"
    assert page.find(id="teilen").get_text() == "Share"
    assert page.html["lang"] == "fr"


# Text between tags, and in attributes people read or hear, must be a
# `{{ _("…") }}` expression: only the catalogue translates words.
READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|alt|title|placeholder)="([^"]*)"')
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
LETTERS = re.compile(r"[A-Za-zÄÖÜäöüß]{2,}")


@pytest.mark.parametrize(
    "template",
    sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")),
)
def test_ui_strings_come_from_one_place(template):
    source = (TEMPLATES / template).read_text("utf-8")
    without_jinja = JINJA.sub(" ", source)
    attributes = [
        value
        for value in READ_ATTRIBUTES.findall(without_jinja)
        if LETTERS.search(value)
    ]
    text = re.sub(
        r"<!--.*?-->|<style>.*?</style>|<[^>]*>", " ", without_jinja, flags=re.DOTALL
    )
    text = re.sub(r'[\w-]+="[^"]*"', " ", text)  # attributes a macro writes

    assert attributes == []
    assert LETTERS.findall(text) == []


def test_one_block_can_be_replaced_without_forking(tmp_path):
    overrides = tmp_path / "overrides"
    (overrides / "partials").mkdir(parents=True)
    (overrides / "article.html").write_text(
        '{% extends "!theme/article.html" %}{% block share %}{% endblock %}', "utf-8"
    )
    (overrides / "partials" / "site_footer.html").write_text(
        '{% extends "!theme/partials/site_footer.html" %}'
        '{% block footer_about %}<p class="eigen">Unsere Bücherei</p>'
        "{% endblock %}",
        "utf-8",
    )
    site = Site(tmp_path / "site")
    populate(site)
    build = site.build(
        "publishconf.py", SITEURL=SITEURL, THEME_TEMPLATES_OVERRIDES=[str(overrides)]
    )
    page = build.html(first_part(build).url)

    assert page.find("section", class_="share") is None
    assert page.find("nav", attrs={"aria-label": "Teile der Serie"}) is not None
    assert page.find("footer", class_="site-footer").find(class_="eigen") is not None
    assert page.find("footer", class_="site-footer").find("nav") is not None


def test_the_templates_are_english_and_the_catalogue_german():
    """German words are in the catalogue only (translations/de/…/messages.po)."""
    texts = [
        text
        for template in TEMPLATES.rglob("*.html")
        for text in GETTEXT_CALL.findall(template.read_text("utf-8"))
    ]
    catalogue = (
        TEMPLATES.parent / "translations/de/LC_MESSAGES/messages.po"
    ).read_text("utf-8")

    assert len(texts) > 100
    assert [t for t in texts if re.search(r"[äöüßÄÖÜ„]", t)] == []
    assert 'msgstr "Entwurf – nicht veröffentlicht"' in catalogue
    assert 'msgstr "Teile der Serie"' in catalogue


GETTEXT_CALL = re.compile(r'\b(?:_|ngettext)\("((?:[^"\\]|\\.)*)"')


def test_output_paths(published):
    assert Path(published.output / "404.html").is_file()
    assert (published.output / "theme" / "css" / "print.css").is_file()


def test_titles_and_names_are_text_everywhere(tmp_path):
    """Ampersands and angle brackets show as typed, escaped once, everywhere."""
    site = Site(tmp_path)
    site.series("tom-und-jerry", "Tom & Jerry")
    site.entry(
        "t/1.md",
        "Ich <3 Bücher & Comics",
        "2024-01-01",
        Series="Tom & Jerry",
        Author="A & B",
        Summary="Kurz & gut.",
    )
    build = site.build("publishconf.py", SITEURL=SITEURL)
    article = build.series("tom-und-jerry").articles[0]
    raw = (build.output / article.save_as).read_text("utf-8")
    page = BeautifulSoup(raw, "lxml")
    title = "Ich <3 Bücher & Comics"

    assert "&amp;amp;" not in raw
    assert "<3 " not in raw  # escaped: &lt;3
    assert page.find("h1").get_text() == title
    assert page.title.get_text() == f"{title} – Fortsetzung folgt"
    assert page.find("meta", property="og:title")["content"] == title
    assert page.find("meta", attrs={"name": "description"})["content"] == "Kurz & gut."
    assert (
        page.find("a", string="Tom & Jerry")["href"]
        == f"{SITEURL}/serien/tom-und-jerry/"
    )
    assert page.find("a", string="A & B") is not None
    mail = page.find("a", class_="share__link--email")["href"]
    assert parse_qs(urlsplit(mail).query)["subject"] == [title]
    listing = build.html("serien/").get_text(" ")
    assert "Tom & Jerry" in listing


# ---- Parts made once per build (once_tag.py) -------------------------------


def test_parts_made_once_still_fit_every_page(tmp_path):
    """Teasers, header, footer and feed links are rendered once per key (`once`).

    With RELATIVE_URLS the same teaser or footer differs with the depth of
    the page: every relative link on every page must still lead to a file of
    the build, and the footer marks only the page it is on as current.
    """
    site = Site(tmp_path)
    populate(site)
    build = site.build("pelicanconf.py", RELATIVE_URLS=True, DEFAULT_PAGINATION=2)
    teasers = 0
    for path in build.output.rglob("*.html"):
        page = BeautifulSoup(path.read_text("utf-8"), "lxml")
        here = "/" + str(path.relative_to(build.output))
        teasers += len(page.select(".teaser__title a"))
        for link in page.select("a[href], link[href]"):
            address = urlsplit(urljoin(here, link["href"]))
            if address.scheme or address.netloc or not address.path:
                continue  # another site, or a place on this page
            target = build.output / address.path.lstrip("/")
            if address.path.endswith("/"):
                target /= "index.html"
            assert target.is_file(), f"{here}: {link['href']} leads nowhere"
        for current in page.select('.site-footer [aria-current="page"]'):
            assert urljoin(here, current["href"]) + "index.html" == here
        if here == "/ueber-uns/index.html":
            assert page.select_one('.site-footer [aria-current="page"]').get_text() == (
                "Über uns"
            )
    assert teasers > 10  # lists at several depths were checked


def test_the_next_scheduled_part_is_announced_by_its_date_only(site):
    site.series("hoer-bar", "Hör-Bar")
    site.entry("hoer-bar/a.md", "Erster Tipp", "2024-01-01", Series="Hör-Bar")
    site.entry(
        "hoer-bar/z.md", "Geheimer Titel", "2099-01-05 09:00", body="Geheimtext.",
        Series="Hör-Bar",
    )  # fmt: skip
    # a draft with an earlier date is no announcement
    site.entry(
        "hoer-bar/d.md", "Entwurf", "2098-01-01", Series="Hör-Bar", Status="draft"
    )
    built = site.build("publishconf.py", SITEURL=SITEURL)
    said = "Der nächste Teil erscheint am 5. Januar 2099."
    assert (
        built.html("serien/hoer-bar/").find("p", class_="series-next").get_text()
        == said
    )
    part = built.html("2024/erster-tipp/")
    assert (
        part.find("nav", class_="series-nav").find(class_="series-next").get_text()
        == said
    )
    everything = built.all_text()
    assert "Geheimer Titel" not in everything
    assert "Geheimtext" not in everything
    assert "2098" not in everything


def test_no_announcement_without_a_scheduled_part(site):
    site.series("hoer-bar", "Hör-Bar")
    site.entry("hoer-bar/a.md", "Erster Tipp", "2024-01-01", Series="Hör-Bar")
    built = site.build("publishconf.py", SITEURL=SITEURL)
    assert built.html("serien/hoer-bar/").find(class_="series-next") is None


def test_an_entry_page_weighs_at_most_30_kb_gzipped_images_aside(published):
    part = first_part(published)
    page = published.html(part.url)
    files = [published.output / part.url / "index.html"]
    for element in [*page.find_all("link", rel="stylesheet"), *page.find_all("script")]:
        address = element.get("href") or element.get("src")
        files.append(published.output / address.removeprefix(f"{SITEURL}/"))
    weight = sum(len(gzip.compress(path.read_bytes(), 9)) for path in files)
    assert len(files) >= 3  # the page, its stylesheets, its script
    assert weight <= 30 * 1024


def test_series_cards_show_image_status_count_and_newest_part(site):
    (site.content / "images").mkdir()
    (site.content / "images" / "hoer-bar.png").write_bytes(png(300, 200))
    site.series(
        "hoer-bar", "Hör-Bar", Image="images/hoer-bar.png", Image_alt="Kopfhörer"
    )
    site.series("fsj", "FSJ")  # no image: a card without one
    site.entry("hoer-bar/a.md", "Erster Tipp", "2024-01-01", Series="Hör-Bar")
    site.entry("hoer-bar/b.md", "Zweiter Tipp", "2024-02-01", Series="Hör-Bar")
    site.entry("fsj/c.md", "Hallo", "2024-03-01", Series="FSJ")
    built = site.build("publishconf.py", SITEURL=SITEURL)
    for page in ("serien/", ""):
        cards = built.html(page).find_all("article", class_="series-teaser")
        card = next(c for c in cards if "Hör-Bar" in c.get_text())
        image = card.find("img", class_="series-teaser__image")
        assert image["src"] == f"{SITEURL}/images/hoer-bar.png", page
        assert (image["alt"], image["loading"]) == ("Kopfhörer", "lazy")
        assert (image["width"], image["height"]) == ("300", "200")
        assert "2 Teile" in card.get_text()
        latest = card.find(class_="series-teaser__latest").find("a")
        assert latest.get_text() == "Zweiter Tipp"
        plain = next(c for c in cards if "FSJ" in c.get_text())
        assert plain.find("img") is None
