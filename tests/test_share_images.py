"""Share images: a picture of its own for every series and published part.

Real builds with the project's settings; the pictures are opened with
Pillow, the pages' Open Graph and Twitter tags read with BeautifulSoup.
"""

import io
import random
import re

import pytest
from pelican.plugins.fortsetzung.extras import sharecards
from PIL import Image, ImageChops, ImageDraw

ACCENT = (0x0B, 0x57, 0xA4)  # THEME_COLORS["accent"] in pelicanconf.py
M = sharecards.MARGIN
KEY = "[0-9a-f]{8}"  # a picture's name tells its versions apart


def meta(soup, key):
    """The content of <meta property=key> or <meta name=key>, or None."""
    tag = soup.find("meta", property=key) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def card_of(build, page):
    """The share image a page names, opened (its URL relative to the site)."""
    soup = build.html(page)
    url = meta(soup, "og:image").removeprefix(build.context["SITEURL"])
    return Image.open(build.output / url.lstrip("/"))


def cache_files(site):
    return {
        p.name: p.stat().st_mtime_ns
        for p in (site.root / "cache" / "fortsetzung").glob("*.png")
    }


def margins(picture, text_right=sharecards.WIDTH - M):
    """The colours in the bands around the text: top, bottom, left, right."""
    rgb = picture.convert("RGB")
    boxes = [
        (0, 0, text_right + M, M),
        (0, sharecards.HEIGHT - M, text_right + M, sharecards.HEIGHT),
        (0, 0, M, sharecards.HEIGHT),
        (text_right, 0, text_right + M, sharecards.HEIGHT),
    ]
    return {colour for box in boxes for _n, colour in rgb.crop(box).getcolors(10**6)}


def put(site, relative, data):
    path = site.content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def jpeg(width, height, colour=(200, 30, 30)):
    data = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(data, format="JPEG")
    return data.getvalue()


@pytest.fixture
def series(site):
    site.series("lesen", "Lesen", Image="images/lesen.svg", Image_alt="Ein Buch")
    put(site, "images/lesen.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    site.entry("lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen")
    site.entry("lesen/2.md", "Zweiter Teil", "2024-03-08", Series="Lesen")
    return site


def test_every_part_and_every_series_has_its_own_picture(series):
    build = series.build()
    assert build.errors == [] and build.warnings == []
    pages = {
        "2024/erster-teil/": "Lesen, Teil 1: Erster Teil – Stadtbüchereien Düsseldorf",
        "2024/zweiter-teil/": "Lesen, Teil 2: Zweiter Teil – Stadtbüchereien Düsseldorf",
        "serien/lesen/": "Serie „Lesen“ – Stadtbüchereien Düsseldorf",
    }
    urls = set()
    for page, alt in pages.items():
        soup = build.html(page)
        url = meta(soup, "og:image")
        urls.add(url)
        assert url == meta(soup, "twitter:image")
        assert re.fullmatch(f"/teilen/{page.rstrip('/')}-{KEY}[.]png", url)
        assert meta(soup, "og:image:width") == "1200"
        assert meta(soup, "og:image:height") == "630"
        assert meta(soup, "og:image:alt") == alt
        assert meta(soup, "twitter:image:alt") == alt
        assert meta(soup, "twitter:card") == "summary_large_image"
        with card_of(build, page) as picture:
            assert picture.format == "PNG"
            assert picture.size == (1200, 630)
            assert picture.mode == "P"  # two colours and their blends
            # an SVG is not drawn: the accent colour, text in white
            assert margins(picture) == {ACCENT}
            colours = {c for _n, c in picture.convert("RGB").getcolors(10**6)}
            assert (255, 255, 255) in colours
    assert len(urls) == 3
    # other pages keep the site's picture
    assert meta(build.html(""), "og:image") == "/theme/images/social.png"


def test_the_published_site_names_pictures_with_its_address(series):
    build = series.build("publishconf.py")
    site_url = build.context["SITEURL"]
    assert site_url.startswith("https://")
    soup = build.html("2024/erster-teil/")
    url = meta(soup, "og:image")
    assert re.fullmatch(
        f"{re.escape(site_url)}/teilen/2024/erster-teil-{KEY}[.]png", url
    )
    assert (build.output / url.removeprefix(f"{site_url}/")).is_file()


def test_drafts_and_scheduled_parts_get_no_picture(series):
    series.entry(
        "lesen/3.md", "Geheimer Entwurf", "2024-03-09", Series="Lesen", Status="draft"
    )
    series.entry("lesen/4.md", "Zukunftsmusik", "2099-01-01", Series="Lesen")
    build = series.build("publishconf.py")
    drawn = sorted(
        re.sub(f"-{KEY}[.]png$", "", p.relative_to(build.output).as_posix())
        for p in (build.output / "teilen").rglob("*.png")
    )
    assert drawn == [
        "teilen/2024/erster-teil",
        "teilen/2024/zweiter-teil",
        "teilen/serien/lesen",
    ]
    # nothing else was drawn, so no picture holds a draft's title
    assert len(cache_files(series)) == 3
    assert "Geheimer Entwurf" not in build.all_text()
    # the preview shows drafts, still without a picture of their own
    preview = series.build()
    draft = next(a for a in preview.context["drafts"] if a.title == "Geheimer Entwurf")
    soup = preview.html(draft.url)
    assert "/teilen/" not in (meta(soup, "og:image") or "")
    assert len(cache_files(series)) == 3


def test_pictures_are_drawn_once_and_again_only_when_what_they_show_changes(series):
    series.build()
    first = cache_files(series)
    assert len(first) == 3
    series.build()
    assert cache_files(series) == first
    series.entry("lesen/2.md", "Zweiter Teil, neu", "2024-03-08", Series="Lesen")
    build = series.build()
    now = cache_files(series)
    assert {n: t for n, t in now.items() if n in first} == first
    assert len(set(now) - set(first)) == 1
    assert meta(build.html("2024/zweiter-teil-neu/"), "og:image:alt").startswith(
        "Lesen, Teil 2: Zweiter Teil, neu"
    )


LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenträgerinnenverein" * 3
HARD = {
    "long": "Über die Größe der Straßenbahnhaltestellen und warum Öffnungszeiten "
    "für Bücherbusse in Düsseldorf-Gerresheim außerordentlich wichtig sind " * 4,
    "one-word": LONG_WORD,
    "emoji": "Lesen 📚🧙‍♀️ macht Spaß 👍🏽 – ein Abend mit 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 und 中文",
    "control": "Zeile\u0007eins\u202ezwei\u200b drei\u0000",
    "rtl": "مكتبة ومطالعة للأطفال",
    "wide": "W" * 400,
}


@pytest.mark.parametrize("title", HARD.values(), ids=HARD.keys())
def test_no_text_leaves_its_box(site, title):
    name = "Vorleseerlebnisse aus der Kinder- und Jugendbibliothek " * 3
    site.series("lesen", name)
    site.entry("lesen/1.md", "Teil eins", "2024-03-01", Series="lesen")
    site.entry("lesen/2.md", title, "2024-03-02", Series="lesen", Slug="zwei")
    build = site.build(LIBRARY_NAME="Stadtbüchereien " + "Düsseldorf " * 12)
    assert build.errors == []
    with card_of(build, "2024/zwei/") as picture:
        assert picture.size == (1200, 630)
        assert margins(picture) == {ACCENT}
        # and something was drawn
        assert len(picture.convert("RGB").getcolors(10**6)) > 10


@pytest.mark.parametrize("title", HARD.values(), ids=HARD.keys())
def test_text_is_shortened_only_when_it_has_to_be(title, tmp_path):
    card = sharecards.Card(
        ("Lesen", "Teil 1"), sharecards.clean(title), "Bibliothek", (255, 212, 0), None
    )
    sharecards.draw(card, tmp_path / "card.png")
    with Image.open(tmp_path / "card.png") as picture:
        assert margins(picture) == {(255, 212, 0)}


def test_a_short_title_is_set_large_and_whole():
    font, lines = sharecards.fit(
        "Mein erster Tag", sharecards.BOLD, sharecards.TITLE_SIZES, 1000, 300
    )
    assert (font.size, lines) == (sharecards.TITLE_SIZES[0], ["Mein erster Tag"])
    font, lines = sharecards.fit(
        "Straße " * 80, sharecards.BOLD, sharecards.TITLE_SIZES, 1000, 300
    )
    assert font.size == sharecards.TITLE_SIZES[-1]
    assert lines[-1].endswith("Straße…")
    assert all(line.startswith("Straße") for line in lines)


@pytest.mark.parametrize(
    "colour",
    ["#0b57a4", "#ffd400", "#777777", "#767676", "#808080", "#ff0000", "#1d6b36"],
)
def test_text_contrasts_with_the_background_as_wcag_aa_asks(colour, tmp_path):
    rgb = sharecards.ImageColor.getrgb(colour)
    assert sharecards.contrast(sharecards.text_color(rgb), rgb) >= 4.5
    card = sharecards.Card(("Lesen", "Teil 1"), "Titel", "Bibliothek", rgb, None)
    sharecards.draw(card, tmp_path / "card.png")
    with Image.open(tmp_path / "card.png") as picture:
        colours = {c for _n, c in picture.convert("RGB").getcolors(10**6)}
    assert sharecards.text_color(rgb) in colours  # the text's colour, fully


LINES = [
    *HARD.values(),
    "Aus dem Bücherbus 7: „Kinder“ – Theke … Winter",
    "fjord Tyrann ﬁlm «Zitat» ‚so‘ 1/2 € & (Klammer)",
    "e\u0301 o\u0308\u0301 — zusammengesetzte Zeichen",
    "  zwei Leerzeichen am Anfang und am Ende  ",
    "ẞ ÄÖÜ äöü ß",
]


@pytest.mark.parametrize(
    "font", [sharecards.BOLD, sharecards.REGULAR], ids=["bold", "regular"]
)
@pytest.mark.parametrize("size", [76, 40, 24])
def test_a_line_set_from_glyphs_is_pillow_s_own_drawing_of_it(font, size):
    # the cards set lines from glyphs drawn once (sharecards._line); this
    # fails when Pillow's basic layout changes underneath (kerning, advances)
    font = sharecards._font(font, size)
    for text in LINES:
        line = sharecards.clean(text)[:60]
        expected = Image.new("L", (4000, 400), 0)
        ImageDraw.Draw(expected).text(
            (200, 200), line, font=font, fill=255, anchor="ls"
        )
        ours = Image.new("L", (4000, 400), 0)
        coverage, left, top = sharecards._line(font, line)
        if coverage:
            ours.paste(coverage, (200 + left, 200 + top))
        assert ImageChops.difference(expected, ours).getbbox() is None, line
        bbox = font.getbbox(line)
        assert sharecards._extent(font, line) == (min(0, bbox[0]), bbox[2]), line
        assert sharecards._length(font, line) == font.getlength(line), line


@pytest.mark.parametrize("colour", [(11, 87, 164), (255, 212, 0), (0, 0, 0)])
def test_a_card_is_a_png_of_sixteen_shades_between_background_and_ink(colour, tmp_path):
    card = sharecards.Card(("Lesen", "Teil 1"), "Ein Titel", "Bibliothek", colour, None)
    sharecards.draw(card, tmp_path / "card.png")
    with Image.open(tmp_path / "card.png") as picture:
        picture.verify()  # chunks and checksums
    with Image.open(tmp_path / "card.png") as picture:
        assert (picture.format, picture.mode, picture.size) == ("PNG", "P", (1200, 630))
        palette = picture.getpalette()
        ink = sharecards.text_color(colour)
        assert len(palette) == 16 * 3
        assert (tuple(palette[:3]), tuple(palette[-3:])) == (colour, ink)
        shades = {c for _n, c in picture.convert("RGB").getcolors(10**6)}
    assert {colour, ink} <= shades
    assert len(shades) > 8  # the letters' edges are smoothed


def test_the_colour_can_be_set(series):
    build = series.build(FORTSETZUNG_SHARE_IMAGES_COLOR="#ffd400")
    with card_of(build, "2024/erster-teil/") as picture:
        assert margins(picture) == {(255, 212, 0)}
        assert (0, 0, 0) in {c for _n, c in picture.convert("RGB").getcolors(10**6)}


@pytest.mark.parametrize(
    ("value", "rgb"), [("#2E7D32", (46, 125, 50)), ("#fd0", (255, 221, 0))]
)
def test_a_series_has_a_colour_of_its_own(site, value, rgb):
    site.series("lesen", "Lesen", Color=value)
    site.series("hoeren", "Hören")
    site.entry("lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen")
    site.entry("hoeren/1.md", "Zuhören", "2024-03-02", Series="Hören")
    build = site.build()
    assert build.errors == [] and build.warnings == []
    for page in ("2024/erster-teil/", "serien/lesen/"):
        with card_of(build, page) as picture:
            assert margins(picture) == {rgb}
    with card_of(build, "2024/zuhoeren/") as picture:
        assert margins(picture) == {ACCENT}  # the other series keeps the site's


@pytest.mark.parametrize(
    "value", ["blau", "#12345", "#ggg000", "rgb(1,2,3)", "#0b57a4; x", "<b>#000</b>"]
)
def test_a_colour_that_is_none_is_a_warning_and_the_site_s_colour(site, value):
    site.series("lesen", "Lesen", Color=value)
    site.entry("lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen")
    build = site.build()
    assert build.errors == []
    (warning,) = build.warnings
    assert "series/lesen.md:2: Color: " in warning
    assert "ist keine Farbe" in warning and "#0b57a4" in warning
    with card_of(build, "2024/erster-teil/") as picture:
        assert margins(picture) == {ACCENT}


def test_a_raster_series_image_is_shown_beside_the_text(site):
    put(site, "images/lesen.jpg", jpeg(800, 600))
    site.series("lesen", "Lesen", Image="images/lesen.jpg", Image_alt="Rot")
    site.entry("lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen")
    build = site.build()
    assert build.warnings == []
    for page in ("2024/erster-teil/", "serien/lesen/"):
        with card_of(build, page) as picture:
            assert picture.mode == "RGB"
            red, green, blue = picture.getpixel((1100, 300))
            assert red > 180 and green < 60 and blue < 60
            assert margins(picture, 1200 - sharecards.PANEL - M) == {ACCENT}


def test_a_broken_series_image_gives_the_colour_and_an_error(site):
    whole = jpeg(800, 600)
    put(site, "images/lesen.jpg", whole[: len(whole) // 2])  # pixels cut off
    site.series("lesen", "Lesen", Image="images/lesen.jpg", Image_alt="Rot")
    site.entry("lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen")
    build = site.build()
    assert build.warnings == []
    (error,) = build.errors  # once, though two plugins read the image
    assert "series/lesen.md:" in error and ": Image: " in error
    assert "Das Bild ist nicht vollständig" in error
    with card_of(build, "2024/erster-teil/") as picture:
        assert picture.mode == "P"
        assert picture.convert("RGB").getpixel((1100, 300)) == ACCENT


def test_without_the_setting_no_pictures_are_drawn(series):
    build = series.build(FORTSETZUNG_SHARE_IMAGES_SAVE_AS="")
    soup = build.html("2024/erster-teil/")
    assert meta(soup, "og:image") == "/theme/images/social.png"
    assert not (build.output / "teilen").exists()
    assert cache_files(series) == {}


def test_the_preview_serves_the_pictures(series):
    with series.preview() as live:
        status, _kind, body = live.respond("/2024/erster-teil/")
        assert status == 200
        url = re.search(rb'og:image" content="(/teilen/2024/erster-teil-[^"]+)"', body)
        status, kind, body = live.respond(url.group(1).decode())
        assert (status, kind) == (200, "image/png")
        assert Image.open(io.BytesIO(body)).size == (1200, 630)


def test_an_entry_outside_a_series_keeps_its_own_picture(series):
    put(series, "images/foto.jpg", jpeg(600, 400))
    series.entry(
        "blog/x.md", "Neue Öffnungszeiten", "2024-03-02",
        Image="images/foto.jpg", Image_alt="Die Tür",
    )  # fmt: skip
    build = series.build()
    soup = build.html("2024/neue-oeffnungszeiten/")
    assert meta(soup, "og:image") == "/images/foto.jpg"
    assert meta(soup, "og:image:alt") == "Die Tür"
    assert not list((build.output / "teilen" / "2024").glob("neue-oeffnungszeiten*"))


def test_a_content_file_of_a_share_image_s_name_loses_its_address(series):
    first = series.build()
    taken = meta(first.html("2024/erster-teil/"), "og:image").lstrip("/")
    put(series, taken, jpeg(4, 4))  # the same name, another picture
    series.entry(
        "lesen/3.md", "Dritter Teil", "2024-03-15", Series="Lesen",
        body=f"![Ein Bild]({{static}}/{taken})",
    )  # fmt: skip

    build = series.build()

    link, problem = sorted(
        (p for p in build.found if p.severity == "error"), key=lambda p: p.field
    )
    assert problem.path.endswith(taken)
    assert problem.field == "Datei"
    assert "ein Bild, das die Website selbst erzeugt" in problem.message
    # the entry that shows it is told too (the check sees the final model)
    assert link.path.endswith("lesen/3.md")
    assert "nicht veröffentlicht" in link.message
    assert meta(build.html("2024/erster-teil/"), "og:image") == f"/{taken}"
    with Image.open(build.output / taken) as picture:
        assert picture.size == (1200, 630)


BANDS = {
    "nothing drawn": [],
    "everything": [(0, 630)],
    "top and bottom rows": [(0, 1), (629, 630)],
    "beyond the edges": [(-20, 5), (600, 700)],
    "lines close together": [(60, 100), (110, 150), (160, 200)],
    "lines far apart": [(60, 100), (300, 340), (560, 590)],
    "overlapping, unsorted": [(300, 340), (60, 320), (50, 70)],
}


@pytest.mark.parametrize("bands", BANDS.values(), ids=BANDS.keys())
def test_the_png_holds_exactly_the_drawn_rows(bands, tmp_path):
    # the rows outside the bands are written as blank without being looked at
    # (sharecards._zlib_rows): what is drawn inside them must all be there
    noise = random.Random(len(bands))
    mask = Image.new("L", (sharecards.WIDTH, sharecards.HEIGHT), 0)
    for top, bottom in bands:
        for y in range(max(top, 0), min(bottom, mask.height)):
            row = bytes(noise.choice((0, 0, 1, 7, 15)) for _x in range(mask.width))
            mask.paste(Image.frombytes("L", (mask.width, 1), row), (0, y))
    palette = sharecards._blends((11, 87, 164), (255, 255, 255))
    sharecards._save_palette_png(mask, bands, palette, tmp_path / "card.png")
    with Image.open(tmp_path / "card.png") as picture:
        picture.verify()  # chunks, and the zlib stream's checksum
    with Image.open(tmp_path / "card.png") as picture:
        assert picture.mode == "P"
        assert picture.tobytes() == mask.tobytes()
