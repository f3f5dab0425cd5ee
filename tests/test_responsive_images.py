"""Smaller copies of series and entry images (srcset), made with Pillow and cached.

A phone that shows a series card 80 pixels wide must not load a photo 3000
pixels wide: each JPEG, PNG or WebP image named in `Image:` gets copies at
fixed widths, and the pages list them in `srcset` with `sizes`.
"""

import io

import pytest
from conftest import ROOT, huge_png, png
from pelican.plugins.fortsetzung.safety import kept_conversions
from PIL import Image, ImageOps

SETTINGS = ROOT / "pelicanconf.py"


def photo(width, height, kind="JPEG"):
    """An image with some detail (a gradient), as bytes."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    data = io.BytesIO()
    image.save(data, format=kind)
    return data.getvalue()


def put(site, relative, data):
    path = site.content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def candidates(img):
    """[(URL, width), …] of an <img>'s srcset."""
    found = []
    for candidate in img["srcset"].split(", "):
        url, width = candidate.split(" ")
        found.append((url, int(width.removesuffix("w"))))
    return found


@pytest.fixture
def series_with_photo(site):
    put(site, "images/series/lesen.jpg", photo(1600, 900))
    site.series("lesen", "Lesen", Image="images/series/lesen.jpg", Image_alt="Ein Buch")
    site.entry(
        "lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen",
        Image="{static}/images/teil.png", Image_alt="Ein Bild",
    )  # fmt: skip
    put(site, "images/teil.png", photo(700, 400, "PNG"))
    return site


def test_series_cards_and_pages_list_the_copies(series_with_photo):
    build = series_with_photo.build()
    assert build.errors == [] and build.warnings == []
    card = build.html("serien/").select_one(".series-teaser__image")
    assert card["src"] == "/images/series/lesen.jpg"
    assert card["sizes"] == "(min-width: 40em) 9rem, 5rem"
    assert card["loading"] == "lazy"
    listed = candidates(card)
    assert [w for _url, w in listed] == [160, 320, 640, 960, 1280, 1600]
    assert listed[-1] == ("/images/series/lesen.jpg", 1600)
    for url, width in listed:
        with Image.open(build.output / url.lstrip("/")) as copy:
            assert copy.format == "JPEG"
            assert copy.width == width
            assert abs(copy.height - round(900 * width / 1600)) <= 1
    figure = build.html("serien/lesen/").select_one(".series-figure img")
    assert candidates(figure) == listed
    assert figure["sizes"] == "(min-width: 40rem) 40rem, 100vw"


def test_an_entry_image_gets_copies_narrower_than_itself(series_with_photo):
    build = series_with_photo.build()
    img = build.html("2024/erster-teil/").select_one(".entry-figure img")
    listed = candidates(img)
    assert [w for _url, w in listed] == [160, 320, 640, 700]
    with Image.open(build.output / listed[0][0].lstrip("/")) as copy:
        assert (copy.format, copy.size) == ("PNG", (160, 91))


def test_the_published_site_lists_absolute_addresses(series_with_photo):
    build = series_with_photo.build("publishconf.py")
    card = build.html("serien/").select_one(".series-teaser__image")
    site_url = build.context["SITEURL"]
    assert site_url.startswith("https://")
    assert all(url.startswith(f"{site_url}/images/") for url, _w in candidates(card))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "bild.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600"/>',
        ),
        ("klein.png", png(150, 100)),  # narrower than the narrowest copy
        ("bewegt.gif", photo(900, 600, "GIF")),
    ],
)
def test_images_without_copies_have_no_srcset(site, name, data):
    put(site, f"images/{name}", data)
    site.series("lesen", "Lesen", Image=f"images/{name}", Image_alt="Ein Bild")
    site.entry("lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen")
    build = site.build()
    card = build.html("serien/").select_one(".series-teaser__image")
    assert card["src"] == f"/images/{name}"
    assert not card.has_attr("srcset") and not card.has_attr("sizes")
    assert not [p for p in (build.output / "images").iterdir() if "w." in p.name]


def test_a_photo_stored_on_its_side_is_measured_upright(site):
    image = Image.linear_gradient("L").resize((1600, 900)).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # turn 90° clockwise to show it, as phone cameras write
    stored = io.BytesIO()
    image.save(stored, format="JPEG", exif=exif)
    put(site, "images/hoch.jpg", stored.getvalue())
    site.series("lesen", "Lesen", Image="images/hoch.jpg", Image_alt="Hochkant")
    site.entry("lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen")
    build = site.build()
    assert build.errors == [] and build.warnings == []
    figure = build.html("serien/lesen/").select_one(".series-figure img")
    assert (figure["width"], figure["height"]) == ("900", "1600")
    listed = candidates(figure)
    assert [w for _url, w in listed] == [160, 320, 640, 900]
    for url, width in listed:
        with Image.open(build.output / url.lstrip("/")) as copy:
            shown = ImageOps.exif_transpose(copy)
            assert shown.width == width
            assert abs(shown.height - round(1600 * width / 900)) <= 1


def test_a_file_name_with_spaces_and_commas_stays_one_candidate(site):
    put(site, "images/mein bild, neu.jpg", photo(400, 300))
    site.series("lesen", "Lesen", Image="images/mein bild, neu.jpg", Image_alt="x")
    site.entry("lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen")
    build = site.build()
    listed = candidates(build.html("serien/").select_one(".series-teaser__image"))
    assert [w for _url, w in listed] == [160, 320, 400]
    assert listed[0][0] == "/images/mein%20bild%2C%20neu-160w.jpg"
    assert (build.output / "images" / "mein bild, neu-160w.jpg").is_file()


def test_a_file_in_content_is_never_replaced_by_a_copy(site):
    put(site, "images/lesen.jpg", photo(800, 600))
    own = put(site, "images/lesen-320w.jpg", photo(320, 50))  # the author's own
    site.series("lesen", "Lesen", Image="images/lesen.jpg", Image_alt="x")
    site.entry("lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen")
    build = site.build()
    listed = candidates(build.html("serien/").select_one(".series-teaser__image"))
    assert [w for _url, w in listed] == [160, 640, 800]
    assert (build.output / "images" / "lesen-320w.jpg").read_bytes() == own.read_bytes()


def test_copies_are_made_once_and_again_when_the_image_changes(series_with_photo):
    site = series_with_photo
    cache = site.root / "cache" / "fortsetzung"
    no_share_images = {"FORTSETZUNG_SHARE_IMAGES_SAVE_AS": ""}  # copies only
    site.build(**no_share_images)

    def made_files():  # but the conversions from Markdown (one file for all)
        return {
            p.name: p.stat().st_mtime_ns
            for p in cache.iterdir()
            if p.is_file() and p.name != kept_conversions.NAME
        }

    first = made_files()
    assert len(first) == 5 + 3  # the series' image and the entry's
    site.build(**no_share_images)
    assert made_files() == first
    put(site, "images/series/lesen.jpg", photo(1000, 1000))
    build = site.build(**no_share_images)
    made = set(made_files()) - set(first)
    assert len(made) == 4  # 160 … 960
    card = build.html("serien/").select_one(".series-teaser__image")
    with Image.open(build.output / candidates(card)[0][0].lstrip("/")) as copy:
        assert copy.size == (160, 160)


@pytest.mark.parametrize(
    ("data", "where", "said"),
    [
        (photo(800, 600)[:400], "images/kaputt.jpg: Datei: ", "kein vollständiges"),
        (
            b"\xff\xd8\xff\xc0\x00\x11\x08\x02\x58\x03\x20" + b"\x00" * 40,
            "images/kaputt.jpg: Datei: ",
            "kein vollständiges Bild",
        ),
        (huge_png(20000, 20000), "images/kaputt.jpg: Datei: ", "60 Millionen Pixel"),
        # the header is whole, the pixels are not: found when copies are made
        (
            photo(800, 600)[:3000],
            "series/lesen.md:2: Image: ",
            "Das Bild ist nicht vollständig",
        ),
    ],
    ids=["truncated", "header-only", "bomb", "pixels-cut-off"],
)
def test_a_broken_image_is_an_error_and_shown_whole(site, data, where, said):
    put(site, "images/kaputt.jpg", data)
    site.series("lesen", "Lesen", Image="images/kaputt.jpg", Image_alt="x")
    site.entry("lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen")
    build = site.build()
    assert build.warnings == []
    (error,) = build.errors
    assert where in error and said in error
    card = build.html("serien/").select_one(".series-teaser__image")
    assert card["src"] == "/images/kaputt.jpg" and not card.has_attr("srcset")
    assert (build.output / "images" / "kaputt.jpg").read_bytes() == data
    assert not list((site.root / "cache" / "fortsetzung").glob("tmp*"))


def test_the_preview_serves_the_copies(series_with_photo):
    with series_with_photo.preview() as live:
        status, _kind, body = live.respond("/serien/")
        assert status == 200
        assert b"/images/series/lesen-640w.jpg 640w" in body
        status, kind, body = live.respond("/images/series/lesen-640w.jpg")
        assert (status, kind) == (200, "image/jpeg")
        assert Image.open(io.BytesIO(body)).width == 640
