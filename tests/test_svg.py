"""SVG files are published as drawings rebuilt from an allow-list (svg.py).

Every hostile variant below is (1) reported by `check` as an error of the
file (field "Datei") and (2) published by the preview as a file that runs
nothing and loads nothing from elsewhere (checked by `unsafe_svg`, which
knows nothing of the plugin's code). Drawings as Inkscape and Illustrator
save them publish without a word and keep every drawing element.
"""

import base64
import io
import os
import re
import time

import lxml.etree
import pytest
from conftest import ROOT, png, unsafe_svg
from pelican.plugins.fortsetzung.extras.responsive_images import image_size
from pelican.plugins.fortsetzung.safety import svg
from pelican.plugins.fortsetzung.safety.source import shown
from PIL import Image

from sitetools import runner

PREVIEW = ROOT / "pelicanconf.py"
OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20">'
)
XHTML = 'xmlns:html="http://www.w3.org/1999/xhtml"'
SCRIPT_SVG = base64.b64encode(
    f"{OPEN}<script>alert(1)</script></svg>".encode()
).decode()


def drawing(body, prolog="", root=OPEN):
    return f"{prolog}{root}{body}</svg>".encode()


HOSTILE = {
    # -- what our parser and a browser would read differently --------------------
    "entity with a script": drawing(
        "&s;", '<!DOCTYPE svg [<!ENTITY s "<script>alert(1)</script>">]>'
    ),
    "external entity": drawing(
        "<text>&x;</text>", '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    ),
    "parameter entity": drawing(
        "", '<!DOCTYPE svg [<!ENTITY % p SYSTEM "https://evil.example/x.dtd"> %p;]>'
    ),
    "default attribute from the DTD": drawing(
        "", '<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]>'
    ),
    "stylesheet instruction": drawing(
        "", '<?xml-stylesheet href="https://evil.example/x.css"?>'
    ),
    "instruction inside": drawing('<?xml-stylesheet href="//evil.example/x.css"?>'),
    "utf-16": (
        '<?xml version="1.0" encoding="UTF-16"?>'
        + drawing("<script>alert(1)</script>").decode()
    ).encode("utf-16"),
    "utf-7": drawing(
        "+ADw-script+AD4-alert(1)+ADw-/script+AD4-",
        '<?xml version="1.0" encoding="UTF-7"?>',
    ),
    # -- scripts and event handlers ---------------------------------------------
    "script": drawing("<script>alert(1)</script>"),
    "prefixed script": drawing(
        '<s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script>'
    ),
    "xhtml script": drawing(f"<html:script {XHTML}>alert(1)</html:script>"),
    "xhtml script in metadata": drawing(
        f"<metadata><html:script {XHTML}>alert(1)</html:script></metadata>"
    ),
    "xhtml script in a style": drawing(
        f"<style>rect{{fill:red}}<html:script {XHTML}>alert(1)</html:script></style>"
    ),
    "foreignObject with an iframe": drawing(
        '<foreignObject width="40" height="20"><iframe '
        'xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example/"/>'
        "</foreignObject>"
    ),
    "xml events handler": drawing(
        '<handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">'
        "alert(1)</handler>"
    ),
    "root onload": drawing("", root=OPEN.replace(">", ' onload="alert(1)">', 1)),
    "onclick": drawing('<rect width="9" height="9" onclick="alert(1)"/>'),
    "javascript link": drawing('<a href="javascript:alert(1)"><text>x</text></a>'),
    "javascript link with a character reference": drawing(
        '<a href="&#106;avascript:alert(1)"><text>x</text></a>'
    ),
    "javascript link with spaces": drawing(
        '<a xlink:href=" &#9;javascript:alert(1)"><text>x</text></a>'
    ),
    "data link": drawing(
        '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">'
        "<text>x</text></a>"
    ),
    # -- animation that changes a link or a handler ---------------------------------
    "animate href": drawing(
        '<a href="#x"><animate attributeName="href" values="javascript:alert(1)"/>'
        "<text>x</text></a>"
    ),
    "set xlink:href": drawing(
        '<a xlink:href="#x"><set attributeName="xlink:href" '
        'to="javascript:alert(1)"/><text>x</text></a>'
    ),
    "set onclick": drawing(
        '<rect width="9" height="9"><set attributeName="onclick" to="alert(1)"/></rect>'
    ),
    "animate a fill from elsewhere": drawing(
        '<rect width="9" height="9"><animate attributeName="fill" '
        'to="url(https://evil.example/p.svg#g)"/></rect>'
    ),
    # -- loads from another host --------------------------------------------------
    "fill url": drawing('<rect fill="url(https://evil.example/x#a)"/>'),
    "mask url": drawing('<rect mask="url(https://evil.example/m.svg#m)"/>'),
    "clip-path url": drawing('<rect clip-path="url(//evil.example/c.svg#c)"/>'),
    "cursor url": drawing('<rect cursor="url(https://evil.example/c.png), auto"/>'),
    "marker url": drawing(
        '<path d="M0 0L9 9" marker-end="url(\'https://evil.example/m.svg#m\')"/>'
    ),
    "filter url in a style": drawing(
        "<rect style=\"filter:url('https://evil.example/f.svg#f')\"/>"
    ),
    "image-set": drawing(
        "<rect style=\"fill:image-set('https://evil.example/x.png' 1x)\"/>"
    ),
    "escaped url": drawing('<rect style="background:\\75rl(https://evil.example/x)"/>'),
    "escaped url in a fill": drawing(
        '<rect style="fill:u\\rl(https://evil.example/x#a)"/>'
    ),
    "escaped import": drawing(
        "<style>@\\69mport 'https://evil.example/x.css';</style>"
    ),
    "style in CDATA": drawing(
        "<style><![CDATA[ rect{fill:url(https://evil.example/p.svg#g)} ]]></style>"
    ),
    "font-face": drawing(
        "<style>@font-face{font-family:x;src:url(https://evil.example/f.woff)}</style>"
    ),
    "import in media": drawing(
        "<style>@media all{@import url(https://evil.example/x.css);}</style>"
    ),
    "expression": drawing('<rect style="width:expression(alert(1))"/>'),
    "use from elsewhere": drawing('<use href="https://evil.example/s.svg#x"/>'),
    "use from this site": drawing('<use xlink:href="/images/andere.svg#x"/>'),
    "image from elsewhere": drawing('<image href="https://evil.example/i.png"/>'),
    "image from elsewhere by backslashes": drawing(
        '<image href="\\\\evil.example\\i.png"/>'
    ),
    "svg image as data": drawing(
        f'<image xlink:href="data:image/svg+xml;base64,{SCRIPT_SVG}"/>'
    ),
    "svg image disguised as png": drawing(
        f'<image href="data:image/png;base64,{SCRIPT_SVG}"/>'
    ),
    "feImage from elsewhere": drawing(
        '<filter id="f"><feImage href="https://evil.example/i.png"/></filter>'
    ),
    "xml:base": drawing('<g xml:base="https://evil.example/"><use href="#a"/></g>'),
}


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# -- the rule itself -------------------------------------------------------------


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_svg_is_reported_and_published_harmless(data):
    cleaned = svg.clean(data)

    assert [f for f in cleaned.findings if f.severity == "error"]
    assert cleaned.data is not None
    assert unsafe_svg(cleaned.data) == []
    assert b"evil.example" not in cleaned.data
    assert b"alert" not in cleaned.data


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>',
        b"<svg><rect/></svg>",  # no SVG namespace: no browser draws it
        b"<html><body>Hallo</body></html>",
        b"\x89PNG\r\n\x1a\n",
        b'<!DOCTYPE svg [<!ENTITY a "&b;&b;"><!ENTITY b "&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    ],
)
def test_what_is_no_svg_drawing_is_refused(data):
    cleaned = svg.clean(data)

    assert cleaned.data is None
    assert [f.severity for f in cleaned.findings] == ["error"]


@pytest.mark.parametrize(
    "css",
    [
        'font-family:"a\\1 b"',  # U+0001
        'font-family:"a\\B b"',  # a vertical tab
        'font-family:"a\\1F b"',
        'font-family:"\\FFFE x"',  # a noncharacter
        "font-family:a\\7F b",  # an identifier
    ],
)
def test_css_escapes_of_characters_xml_cannot_hold_are_left_out(css):
    data = drawing(
        f'<style>[id="\\B "]{{fill:red}} text{{{css}}}</style>'
        f"<text style='{css}'>x</text>"
    )

    cleaned = svg.clean(data)

    assert cleaned.data is not None
    assert b"<text>x</text>" in cleaned.data
    assert b"font-family" not in cleaned.data


def test_cleaning_twice_changes_nothing_more():
    for data in [*HOSTILE.values(), INKSCAPE, ILLUSTRATOR]:
        once = svg.clean(data).data
        twice = svg.clean(once)
        assert (twice.data, twice.findings) == (once, ())


def test_a_link_to_a_page_is_left_out_with_a_warning_and_its_drawing_stays():
    cleaned = svg.clean(
        drawing('<a href="https://www.duesseldorf.de/"><text>Stadt</text></a>')
    )

    assert [f.severity for f in cleaned.findings] == ["warning"]
    assert b"<text>Stadt</text>" in cleaned.data
    assert b"duesseldorf" not in cleaned.data


def test_a_link_within_the_drawing_stays():
    cleaned = svg.clean(drawing('<a href="#r"><rect id="r" width="9" height="9"/></a>'))

    assert cleaned.findings == ()
    assert b'<a href="#r">' in cleaned.data


def test_animation_is_left_out_with_a_warning():
    cleaned = svg.clean(
        drawing(
            '<rect width="9" height="9"><animate attributeName="opacity" '
            'values="0;1" dur="2s"/></rect>'
        )
    )

    assert [f.severity for f in cleaned.findings] == ["warning"]
    assert b"animate" not in cleaned.data
    assert b"<rect" in cleaned.data


# -- drawings as editors save them -------------------------------------------------


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def wrapped(data, width=76):
    """Base64 with line breaks, as older Inkscape and Illustrator write it."""
    text = base64.b64encode(data).decode()
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


INKSCAPE = f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->

<svg
   width="210mm"
   height="100mm"
   viewBox="0 0 210 100"
   version="1.1"
   id="svg5"
   inkscape:version="1.2.2 (b0a8486541, 2022-12-01)"
   sodipodi:docname="hoer-bar.svg"
   inkscape:export-filename="hoer-bar.png"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:xlink="http://www.w3.org/1999/xlink"
   xmlns="http://www.w3.org/2000/svg"
   xmlns:svg="http://www.w3.org/2000/svg"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
   xmlns:cc="http://creativecommons.org/ns#"
   xmlns:dc="http://purl.org/dc/elements/1.1/">
  <title id="title1">Kopfhörer auf einem Bücherstapel</title>
  <sodipodi:namedview
     id="namedview7"
     pagecolor="#ffffff"
     bordercolor="#666666"
     borderopacity="1.0"
     inkscape:showpageshadow="2"
     inkscape:pageopacity="0.0"
     inkscape:document-units="mm"
     inkscape:zoom="0.7"
     inkscape:current-layer="layer1" />
  <defs
     id="defs2">
    <linearGradient
       inkscape:collect="always"
       id="linearGradient1">
      <stop
         style="stop-color:#0b57a4;stop-opacity:1;"
         offset="0"
         id="stop1" />
      <stop
         style="stop-color:#0b57a4;stop-opacity:0;"
         offset="1"
         id="stop2" />
    </linearGradient>
    <linearGradient
       inkscape:collect="always"
       xlink:href="#linearGradient1"
       id="linearGradient3"
       x1="10"
       y1="10"
       x2="100"
       y2="90"
       gradientUnits="userSpaceOnUse" />
    <filter
       inkscape:collect="always"
       style="color-interpolation-filters:sRGB"
       id="filter1"
       x="-0.1"
       y="-0.1"
       width="1.2"
       height="1.2">
      <feGaussianBlur
         inkscape:collect="always"
         stdDeviation="1.5"
         id="feGaussianBlur1" />
    </filter>
  </defs>
  <metadata
     id="metadata5">
    <rdf:RDF>
      <cc:Work
         rdf:about="">
        <dc:format>image/svg+xml</dc:format>
        <dc:type
           rdf:resource="http://purl.org/dc/dcmitype/StillImage" />
        <dc:title>Hör-Bar</dc:title>
      </cc:Work>
    </rdf:RDF>
  </metadata>
  <g
     inkscape:label="Ebene 1"
     inkscape:groupmode="layer"
     id="layer1">
    <rect
       style="fill:url(#linearGradient3);fill-opacity:1;stroke:#000000;stroke-width:0.264583;stroke-linecap:round;paint-order:stroke fill markers;filter:url(#filter1)"
       id="rect1"
       width="80"
       height="40"
       x="20"
       y="30"
       ry="3" />
    <path
       style="fill:none;stroke:#1a1a1a;stroke-width:1.5;stroke-dasharray:none"
       d="m 20,90 c 20,-10 40,10 60,0"
       id="path1"
       sodipodi:nodetypes="cc" />
    <text
       xml:space="preserve"
       style="font-size:10.5833px;line-height:1.25;font-family:'Noto Sans';-inkscape-font-specification:'Noto Sans';stroke-width:0.264583"
       x="25"
       y="60"
       id="text1"><tspan
         sodipodi:role="line"
         id="tspan1"
         style="stroke-width:0.264583"
         x="25"
         y="60">Hör-Bar</tspan></text>
    <use
       x="0"
       y="0"
       xlink:href="#rect1"
       id="use1"
       transform="translate(100,0)" />
    <image
       width="10"
       height="10"
       preserveAspectRatio="none"
       xlink:href="data:image/png;base64,{wrapped(png(4, 4))}
"
       id="image1"
       x="150"
       y="10" />
  </g>
</svg>
""".encode()

ILLUSTRATOR = f"""<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 27.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg version="1.1" id="Ebene_1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px"
\t viewBox="0 0 200 100" style="enable-background:new 0 0 200 100;" xml:space="preserve" data-name="Ebene 1">
<style type="text/css">
\t.st0{{fill:url(#SVGID_1_);}}
\t.st1{{fill:none;stroke:#1D1D1B;stroke-width:2;stroke-miterlimit:10;}}
\t.st2{{font-family:'MyriadPro-Regular';}}
\t.st3{{font-size:12px;}}
</style>
<title>Logo der Stadtbüchereien</title>
<linearGradient id="SVGID_1_" gradientUnits="userSpaceOnUse" x1="10" y1="50" x2="190" y2="50">
\t<stop  offset="0" style="stop-color:#E30613"/>
\t<stop  offset="1" style="stop-color:#0B57A4"/>
</linearGradient>
<rect x="10" y="10" class="st0" width="180" height="80"/>
<g>
\t<defs>
\t\t<rect id="SVGID_2_" x="20" y="20" width="50" height="50"/>
\t</defs>
\t<clipPath id="SVGID_3_">
\t\t<use xlink:href="#SVGID_2_"  style="overflow:visible;"/>
\t</clipPath>
\t<g style="clip-path:url(#SVGID_3_);">
\t\t<image style="overflow:visible;" width="4" height="4" xlink:href="data:image/jpeg;base64,{wrapped(jpeg())}" transform="matrix(12.5 0 0 12.5 20 20)">
\t\t</image>
\t</g>
</g>
<text transform="matrix(1 0 0 1 60 60)" class="st2 st3">Stadtbücherei</text>
<path class="st1" d="M10,90L190,90"/>
</svg>
""".encode()

EDITORS = {"inkscape": INKSCAPE, "illustrator": ILLUSTRATOR}


def drawing_elements(data):
    """The SVG elements of a file that draw (not its title or metadata)."""
    parser = lxml.etree.XMLParser(resolve_entities=False, load_dtd=False)
    root = lxml.etree.fromstring(data, parser)
    return [
        lxml.etree.QName(e).localname
        for e in root.iter(f"{{{svg.SVG}}}*")
        if lxml.etree.QName(e).localname not in {"metadata"}
    ]


@pytest.mark.parametrize("data", EDITORS.values(), ids=EDITORS.keys())
def test_drawings_from_editors_publish_without_a_word_and_whole(data):
    cleaned = svg.clean(data)

    assert cleaned.findings == ()
    assert unsafe_svg(cleaned.data) == []
    assert drawing_elements(cleaned.data) == drawing_elements(data)
    text = cleaned.data.decode()
    assert "url(#" in text  # the gradient
    assert 'xlink:href="#' in text  # <use>
    assert "data:image/" in text  # the embedded picture
    assert "<title>" in text or '<title id="title1">' in text
    assert "Stadtbücherei" in text or "Hör-Bar" in text


def test_what_browsers_never_show_is_gone():
    text = svg.clean(INKSCAPE).data.decode()

    for gone in ("inkscape", "sodipodi", "rdf:", "dc:title", "Created with"):
        assert gone not in text
    assert "enable-background" not in svg.clean(ILLUSTRATOR).data.decode()


# -- in a site: check, preview, the share of other readers ----------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A site with every hostile SVG and the editors' drawings; checked and built."""
    root = tmp_path_factory.mktemp("svg")
    content = root / "content"
    (content / "series").mkdir(parents=True)
    (content / "series" / "fsj.md").write_text(
        "Title: FSJ\nImage: images/inkscape.svg\nImage_alt: Kopfhörer\n"
        "Summary: Ein Jahr.\n\nWir erzählen.\n",
        "utf-8",
    )
    (content / "fsj").mkdir()
    (content / "fsj" / "eins.md").write_text(
        "Title: Eins\nDate: 2024-01-01 10:00\nAuthor: Lena K.\nSeries: FSJ\n"
        "Summary: Der erste Teil.\n\n![Logo]({static}/images/illustrator.svg)\n",
        "utf-8",
    )
    images = content / "images"
    (images / "feindlich").mkdir(parents=True)
    for name, data in HOSTILE.items():
        (images / "feindlich" / f"{slug(name)}.svg").write_bytes(data)
    for name, data in EDITORS.items():
        (images / f"{name}.svg").write_bytes(data)
    problems, messages = runner.run_checks(PREVIEW, content)
    output = root / "preview"
    built = runner.build(PREVIEW, content, output, keep_going=True)
    assert built.error is None, runner.describe(built.error)
    return content, problems + messages, output


@pytest.mark.parametrize("name", HOSTILE.keys())
def test_check_names_the_hostile_file_and_the_preview_publishes_it_harmless(
    hostile_site, name
):
    content, problems, output = hostile_site
    relative = f"images/feindlich/{slug(name)}.svg"

    reported = [
        p
        for p in problems
        if p.path == shown(content / relative) and p.severity == "error"
    ]
    assert reported, "\n".join(map(str, problems))
    assert all(p.field == "Datei" and p.message and p.fix for p in reported)
    assert all("SVG" in p.message for p in reported)  # German, no traceback
    published = (output / relative).read_bytes()
    assert unsafe_svg(published) == []
    assert b"evil.example" not in published
    assert published == svg.clean(HOSTILE[name]).data


def test_editors_drawings_are_linked_and_shown_as_published(hostile_site):
    _content, problems, output = hostile_site

    assert not [p for p in problems if "inkscape" in p.path or "illustrator" in p.path]
    for name, data in EDITORS.items():
        assert (output / f"images/{name}.svg").read_bytes() == svg.clean(data).data
    page = next(output.glob("2024/*/index.html")).read_text("utf-8")
    assert re.search(r'<img[^>]+src="[^"]*/images/illustrator\.svg"', page)
    series = (output / "serien" / "fsj" / "index.html").read_text("utf-8")
    assert "/images/inkscape.svg" in series


def test_image_size_is_that_of_the_published_drawing(tmp_path):
    path = tmp_path / "groesse.svg"
    path.write_bytes(
        b'<!DOCTYPE svg [<!ENTITY w "999">]>'
        b'<!-- <svg width="999" height="999"> -->'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"/>'
    )

    assert image_size(path) == (120, 60)


def test_the_live_preview_serves_the_published_drawing_also_after_an_undo(site):
    site.series("fsj", "FSJ")
    path = site.content / "images" / "bild.svg"
    path.parent.mkdir()
    first = drawing('<rect width="9" height="9" fill="#0b57a4"/>')
    second = drawing('<rect width="9" height="9" fill="#e30613"/><script>x</script>')
    path.write_bytes(first)
    with site.preview() as live:
        assert live.respond("/images/bild.svg")[2] == svg.clean(first).data
        for data in (second, first):  # changed, and changed back
            time.sleep(0.01)
            path.write_bytes(data)
            os.utime(path)
            live.build()
            assert live.respond("/images/bild.svg")[2] == svg.clean(data).data
