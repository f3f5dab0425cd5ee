"""Hostile content against the plugin's gates, directly and on a plain site.

The site's corpus (tests/test_hostile.py) runs every case through the
site's commands; here the gates are asked directly, and one plain Pelican
build shows they are wired in without the site's settings or tools.
"""

import pytest
from pelican.plugins.fortsetzung.safety import output_plan, placeholders, svg

from .plain import entry


@pytest.mark.parametrize(
    "path",
    [
        "CNAME",
        "_redirects/index.html",
        "2024/.htaccess",
        "a/web.config",
        "404.html",
        "robots.txt/index.html",
        "google1234567890abcdef.html",
        "_intern/index.html",
        "con.html",
        "2024/n\u0435u/index.html",  # Latin with a Cyrillic е
        "x\u200b/index.html",  # a zero width space
        "x\u202egpj.html",  # a right-to-left override
        "index.html.",
        "x" * 300 + ".html",
    ],
)
def test_an_address_content_may_not_claim(path):
    assert output_plan.refusal(output_plan.normal(path), page=True) is not None


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("index.html", True),
        ("2024/first-day/index.html", True),
        ("series/diary/index.html", True),
        ("images/_DSC0001.JPG", False),  # a camera's name, in a folder
    ],
)
def test_an_address_content_may_claim(path, page):
    assert output_plan.refusal(output_plan.normal(path), page) is None


@pytest.mark.parametrize(
    "text",
    [
        "TODO: write this",
        "T\u200bODO",  # an invisible character does not part it
        "\uff34\uff2f\uff24\uff2f",  # fullwidth letters
        "lorem IPSUM dolor",
    ],
)
def test_a_placeholder_is_found_however_it_is_spelt(text):
    assert placeholders.in_text(text)


def test_a_placeholder_is_found_across_markup_but_not_in_code():
    assert placeholders.in_html("<p>Lor<b>em</b> ipsum</p>") == "Lorem ipsum"
    assert placeholders.in_html('<img alt="TODO" src="x.png">') == "TODO"
    assert placeholders.in_html("<p>Use <code>TODO</code> markers.</p>") is None


SVG = b'<svg xmlns="http://www.w3.org/2000/svg">%s</svg>'


@pytest.mark.parametrize(
    "drawing",
    [
        SVG % b"<script>alert(1)</script>",
        SVG % b'<rect onclick="alert(1)" width="1"/>',
        SVG % b'<image href="https://evil.example/i.png"/>',
        SVG % b"<style>@\\69mport 'https://evil.example/x.css';</style>",
        b'<!DOCTYPE svg [<!ENTITY s "x">]>' + SVG % b"&s;",
    ],
)
def test_an_svg_drawing_is_published_without_what_could_run_or_load(drawing):
    cleaned = svg.clean(drawing)

    assert any(f.severity == "error" for f in cleaned.findings)
    published = cleaned.data or b""
    for word in (b"script", b"onclick", b"evil.example", b"ENTITY", b"import"):
        assert word not in published


def test_a_plain_site_reports_and_removes_hostile_markup(site, monkeypatch):
    monkeypatch.chdir(site.root)  # Pelican is run in the project's folder
    site.write(
        "post.md",
        entry(
            "Post",
            "2024-01-01",
            body='Hello.\n\n<script src="https://evil.example/t.js"></script>\n',
        ),
    )
    site.write("secret.md", entry("Secret", "2024-01-02", Save_as="CNAME"))

    built = site.build()

    found = {(p.path, p.field, p.line) for p in built.errors}
    assert ("content/post.md", "Text", 8) in found
    assert ("content/secret.md", "Save_as", 5) in found
    written = (built.output / "post.html").read_text("utf-8")
    assert "Hello." in written
    assert "evil.example" not in written
    assert "CNAME" not in built.files()
