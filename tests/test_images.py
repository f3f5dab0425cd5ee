"""Image sizes read from file headers, and images that do not shift the page."""

import io
import re
from urllib.parse import quote, unquote

import pytest
from bs4 import BeautifulSoup
from conftest import huge_png, png
from pelican.plugins.fortsetzung.extras.responsive_images import (
    add_dimensions,
    content_locator,
    image_size,
    size_filter,
)
from PIL import Image, features


def picture(width, height, kind, orientation=None, exif=None):
    """A picture made with Pillow, as bytes; `orientation`: its EXIF tag."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    data = io.BytesIO()
    if exif is None:
        exif = Image.Exif()
        if orientation:
            exif[0x0112] = orientation
    image.save(data, format=kind, exif=exif)
    return data.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "size"),
    [
        ("a.png", png(3, 2), (3, 2)),
        ("a.jpg", picture(640, 480, "JPEG"), (640, 480)),
        ("a.gif", picture(16, 9, "GIF"), (16, 9)),
        ("a.webp", picture(300, 200, "WEBP"), (300, 200)),
        pytest.param(
            "a.avif",
            picture(30, 20, "AVIF") if features.check("avif") else b"",
            (30, 20),
            marks=pytest.mark.skipif(
                not features.check("avif"), reason="Pillow without AVIF"
            ),
        ),
        ("b.png", picture(30, 20, "PNG"), (30, 20)),
        # a photo stored on its side: its size as browsers show it, upright
        ("gedreht.jpg", picture(640, 480, "JPEG", orientation=6), (480, 640)),
        ("links.jpg", picture(640, 480, "JPEG", orientation=8), (480, 640)),
        ("gespiegelt.jpg", picture(640, 480, "JPEG", orientation=5), (480, 640)),
        ("kopf.jpg", picture(640, 480, "JPEG", orientation=3), (640, 480)),
        ("gedreht.webp", picture(64, 48, "WEBP", orientation=6), (48, 64)),
        ("gedreht.png", picture(64, 48, "PNG", orientation=6), (48, 64)),
        # a damaged EXIF block: browsers show the picture as it is stored
        (
            "exif.jpg",
            picture(64, 48, "JPEG", exif=b"Exif\0\0MM\0*\0\0\0\x08\xff"),
            (64, 48),
        ),
        (
            "a.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450"/>',
            (800, 450),
        ),
        (
            "b.svg",
            b'<?xml version="1.0"?>\n<!-- <svg width="9" height="9"> -->\n'
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60"></svg>',
            (120, 60),
        ),
        (
            "c.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="240px" '
            b'viewBox="0,0,120,60"></svg>',
            (240, 120),
        ),
        (
            "d.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%" '
            b'viewBox="0 0 40 30"></svg>',
            (40, 30),
        ),
        ("e.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', None),
        # no SVG drawing (no namespace): not published, so no size either
        ("f.svg", b'<svg width="800" height="450"></svg>', None),
        ("g.txt", b"not an image", None),
        # what browsers cannot show whole has no size (the checks report it)
        ("h.png", png(3, 2)[:20], None),
        ("i.gif", b"GIF89a\x10\x00\x09\x00\x00\x00\x00;", None),
        ("j.jpg", picture(64, 48, "TIFF"), None),
        ("k.png", huge_png(20000, 20000), None),
    ],
)
def test_image_size_from_the_header(tmp_path, name, data, size):
    path = tmp_path / name
    path.write_bytes(data)

    assert image_size(path) == size


def test_missing_file_has_no_size(tmp_path):
    assert image_size(tmp_path / "nowhere.png") is None


@pytest.fixture
def content(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "bild.png").write_bytes(png(40, 30))
    (tmp_path / "serie").mkdir()
    (tmp_path / "serie" / "nah.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"/>'
    )
    return tmp_path


def test_images_get_size_and_lazy_loading(content):
    locate = content_locator(content, content / "serie" / "teil.md")
    html = add_dimensions(
        '<p><img alt="Ein Bild" src="{static}/images/bild.png"></p>'
        '<img src="{static}nah.svg" alt="nah"/>',
        locate,
    )

    assert html == (
        '<p><img alt="Ein Bild" src="{static}/images/bild.png" width="40" height="30"'
        ' loading="lazy" decoding="async"></p>'
        '<img src="{static}nah.svg" alt="nah" width="10" height="20"'
        ' loading="lazy" decoding="async"/>'
    )


def test_what_the_author_wrote_is_kept(content):
    locate = content_locator(content, None)
    html = add_dimensions(
        '<img src="/images/bild.png" width="400" loading="eager" alt="">', locate
    )

    assert (
        html
        == '<img src="/images/bild.png" width="400" loading="eager" alt="" decoding="async">'
    )


@pytest.mark.parametrize(
    "src",
    [
        "https://example.org/images/bild.png",
        "{static}/images/fehlt.png",
        "{static}/../../etc/passwd",
        "data:image/png;base64,AAAA",
    ],
)
def test_unknown_images_get_no_size(content, src):
    html = add_dimensions(f'<img src="{src}" alt="">', content_locator(content, None))

    assert "width" not in html
    assert 'loading="lazy"' in html


def test_size_filter_finds_content_and_theme_images(content, tmp_path_factory):
    theme = tmp_path_factory.mktemp("theme")
    (theme / "static" / "images").mkdir(parents=True)
    (theme / "static" / "images" / "logo.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 32"/>'
    )
    size = size_filter(
        {"PATH": str(content), "THEME": str(theme), "THEME_STATIC_DIR": "theme"}
    )

    assert size("images/bild.png") == {"width": 40, "height": 30}
    assert size("{static}/images/bild.png") == {"width": 40, "height": 30}
    assert size("theme/images/logo.svg") == {"width": 64, "height": 32}
    assert size("images/fehlt.png") is None
    assert size("https://example.org/x.png") is None
    assert size(None) is None


def test_a_photo_stored_on_its_side_gets_its_upright_size(site):
    (site.content / "images").mkdir()
    (site.content / "images" / "hoch.jpg").write_bytes(
        picture(400, 300, "JPEG", orientation=6)
    )
    site.series("lesen", "Lesen")
    site.entry(
        "lesen/1.md", "Erster Teil", "2024-03-01",
        body="![Ein Foto]({static}/images/hoch.jpg)", Series="Lesen",
    )  # fmt: skip
    build = site.build()
    assert build.errors == []
    img = build.html("2024/erster-teil/").select_one(".entry-content img")
    assert (img["width"], img["height"]) == ("300", "400")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("abgeschnitten.png", png(300, 200)[:40]),
        ("abgeschnitten.jpg", picture(300, 200, "JPEG")[:150]),
        ("nur-kopf.gif", b"GIF89a\x10\x00\x09\x00\x00\x00\x00;"),
        ("nur-kopf.webp", picture(300, 200, "WEBP")[:30]),
        ("tiff.jpg", picture(30, 20, "TIFF")),  # no format browsers show
        ("text.png", b"Das ist kein Bild."),
        ("leer.gif", b""),
    ],
)
def test_a_file_that_is_no_complete_picture_is_an_error(site, name, data):
    (site.content / "images").mkdir()
    (site.content / "images" / name).write_bytes(data)
    site.series("lesen", "Lesen")
    site.entry(
        "lesen/1.md", "Erster Teil", "2024-03-01",
        body=f"![Ein Bild]({{static}}/images/{name})", Series="Lesen",
    )  # fmt: skip
    build = site.build()
    (error,) = build.errors
    assert f"images/{name}: Datei: " in error
    assert "Die Datei ist kein vollständiges Bild" in error
    assert "exportieren Sie sie neu als JPEG oder PNG" in error
    img = build.html("2024/erster-teil/").select_one(".entry-content img")
    assert not img.has_attr("width")


@pytest.mark.parametrize(
    "size",
    [
        (10000, 7000),  # over the plugin's limit (Pillow only warns)
        (20000, 20000),  # Pillow refuses to open it: a decompression bomb
        (1, 100_000_000),
    ],
)
def test_a_picture_with_too_many_pixels_is_an_error(site, size):
    (site.content / "images").mkdir()
    (site.content / "images" / "riesig.png").write_bytes(huge_png(*size))
    site.series("lesen", "Lesen", Image="images/riesig.png", Image_alt="Riesig")
    site.entry("lesen/1.md", "Erster Teil", "2024-03-01", Series="Lesen")
    build = site.build()
    (error,) = build.errors
    assert "images/riesig.png: Datei: " in error
    assert "Das Bild hat mehr als 60 Millionen Pixel" in error
    card = build.html("serien/").select_one(".series-teaser__image")
    assert not card.has_attr("srcset")


def test_a_file_name_with_a_space_is_a_valid_address_everywhere(site):
    """Every address of the file is percent-encoded; the file keeps its name."""
    site.series(
        "azubitagebuch", "AzubiTagebuch", Image="images/mein bild.png", Image_alt="Bild"
    )
    (site.content / "images").mkdir()
    (site.content / "images" / "mein bild.png").write_bytes(png(1200, 800))
    body = "![Ein Bild]({static}/images/mein bild.png)\n\n[Die Datei]({static}/images/mein bild.png)"
    site.entry(
        "azubitagebuch/a.md", "Erster Tag", "2024-01-01", body,
        Series="AzubiTagebuch", Image="images/mein bild.png", Image_alt="Ein Bild",
    )  # fmt: skip
    build = site.build("publishconf.py", SITEURL="https://example.org")
    assert build.errors == []
    assert (build.output / "images" / "mein bild.png").is_file()
    addresses = []
    for page in ("2024/erster-tag/", "serien/azubitagebuch/", ""):
        html = build.html(page)
        for tag in html.find_all(src=True):
            addresses.append(tag["src"])
        for tag in html.find_all(["a", "link"], href=True):
            addresses.append(tag["href"])
        for tag in html.find_all(srcset=True):
            addresses += [part.split()[0] for part in tag["srcset"].split(", ")]
        for tag in html.find_all("meta", content=re.compile("^https://")):
            addresses.append(tag["content"])
    feed = BeautifulSoup((build.output / "feeds/alle.atom.xml").read_text(), "xml")
    for content in feed.find_all("content"):
        html = BeautifulSoup(content.text, "lxml")
        addresses += [
            tag.get("src") or tag["href"] for tag in html.find_all(["img", "a"])
        ]
    pictures = [a for a in addresses if "bild" in unquote(a)]
    # the text's picture and link, its Image:, its copies, the series' Image:
    assert len(pictures) >= 8
    for address in pictures:
        assert address == quote(unquote(address), safe="/:"), address
    assert "https://example.org/images/mein%20bild.png" in pictures
