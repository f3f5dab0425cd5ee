"""Image sizes read from file headers, and images that do not shift the page."""

import struct

import pytest
from conftest import png
from pelican.plugins.fortsetzung.images import (
    add_dimensions,
    content_locator,
    image_size,
    size_filter,
)


def jpeg(width, height):
    app0 = (
        b"\xff\xe0"
        + struct.pack(">H", 16)
        + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    )
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def gif(width, height):
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00;"


def webp_lossless(width, height):
    bits = (width - 1) | ((height - 1) << 14)
    data = b"\x2f" + bits.to_bytes(4, "little")
    return (
        b"RIFF"
        + struct.pack("<I", 4 + 8 + len(data))
        + b"WEBPVP8L"
        + struct.pack("<I", len(data))
        + data
    )


@pytest.mark.parametrize(
    ("name", "data", "size"),
    [
        ("a.png", png(3, 2), (3, 2)),
        ("a.jpg", jpeg(640, 480), (640, 480)),
        ("a.gif", gif(16, 9), (16, 9)),
        ("a.webp", webp_lossless(300, 200), (300, 200)),
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
