"""`invoke poster`: print-ready posters and flyers with QR codes for a series.

The PDFs are read back as a printer or a reader would meet them: text and
fonts with pypdf, pages rendered with PDFium, the QR codes decoded by zbar
(Debian's zbar-tools, installed by .ci/system-packages).
"""

import io
import os
import shutil
import subprocess

import pypdfium2
import pytest
from conftest import ROOT, huge_png, run_task
from pelican.settings import read_settings
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.units import mm

from sitetools import poster

SETTINGS = ROOT / "publishconf.py"
SITEURL = read_settings(str(SETTINGS))["SITEURL"]
#: Page sizes in points: ISO 216.
SIZES = {
    "plakat-a3": (297 * mm, 420 * mm),
    "plakat-a4": (210 * mm, 297 * mm),
    "flyer-a6": (105 * mm, 148 * mm),
}
LIBRARY = "Stadtbüchereien Düsseldorf"
LONG_TITLE = (
    "Große Straßenfeste, Märchenstunden und Übermäßig Viele Öffnungszeiten: "
    "die außergewöhnlich ausführliche Geschichte unserer Bücherbusse im Düsseldorfer "
    "Süden, Norden, Osten und Westen, erzählt von allen, die je mitgefahren sind"
)
MEDIUM_TITLE = "Große Straße, kleine Bücher: Märchen für Ähnliches und Übriges"
#: The colours of the images, to find them on the rendered pages.
HOER_BAR_BLUE = (0x1D, 0x2F, 0x4A)  # content/images/series/hoer-bar.svg
JPEG_RED = (200, 30, 30)


def zbar_missing():
    """Fail in CI, skip elsewhere: zbarimg is not installed."""
    message = "zbarimg fehlt: apt-get install zbar-tools (.ci/system-packages)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)


def jpeg(size=(400, 300), colour=JPEG_RED):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def sample_site(root):
    """A copy of the sample content with series that test the edges."""
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "images" / "series" / "rot.jpg").write_bytes(jpeg())
    series = {
        "lange-geschichte": {"Title": LONG_TITLE},
        "strassen-maerchen": {"Title": MEDIUM_TITLE},
        "ohne-bild": {"Title": "Ohne Bild"},
        "rotes-bild": {
            "Title": "Rotes Bild",
            "Image": "images/series/rot.jpg",
            "Image_alt": "Eine rote Fläche",
        },
    }
    long_intro = "\n\n".join(
        f"Absatz {n}: Über Bücher, Hörbücher und die Straße davor. " * 12
        for n in range(1, 30)
    )
    for slug, fields in series.items():
        intro = long_intro if slug == "lange-geschichte" else "Eine kurze Einführung."
        write_series(content, slug, {**fields, "Status": "announced"}, intro)
    # a series with no published part yet: it has no page to point to
    write_series(content, "bald", {"Title": "Bald"}, "Kommt bald.")
    return content


def write_series(content, slug, fields, intro="Eine Einführung."):
    fields = {"Summary": "Worum es in der Serie geht.", **fields}
    header = "".join(f"{key}: {value}\n" for key, value in fields.items())
    path = content / "series" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{header}\n{intro}\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Posters of every published series of the sample site and its edge cases."""
    root = tmp_path_factory.mktemp("poster")
    content = sample_site(root)
    result = poster.make_posters(SETTINGS, content, root / "plakate")
    return result, root / "plakate"


def pdf(folder, slug, form):
    return folder / f"{slug}-{form}.pdf"


def text_of(path):
    """The text of a one-page PDF, its words joined by single spaces."""
    return " ".join(PdfReader(path).pages[0].extract_text().split())


def render(path, dpi=200):
    """Render the page of a PDF to a PIL image."""
    document = pypdfium2.PdfDocument(path)
    try:
        return document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()


def decode_codes(path, tmp_path):
    """Decode the QR codes on the left and the right half of the page with zbarimg."""
    if shutil.which("zbarimg") is None:
        zbar_missing()
    page = render(path)
    width, height = page.size
    decoded = []
    for side, box in (
        ("links", (0, 0, width // 2, height)),
        ("rechts", (width // 2, 0, width, height)),
    ):
        image = tmp_path / f"{path.stem}-{side}.png"
        page.crop(box).save(image)
        result = subprocess.run(
            ["zbarimg", "--raw", "--quiet", "--nodbus", image],
            capture_output=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        decoded.append(result.stdout.decode("utf-8").splitlines())
    return decoded


def pixels_near(image, colour, tolerance=12):
    """Count the pixels of `image` within `tolerance` of `colour` (each channel)."""
    data = image.tobytes()
    return sum(
        all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))
        for pixel in zip(data[0::3], data[1::3], data[2::3], strict=True)
    )


# -- what is written -------------------------------------------------------------


def test_every_published_series_gets_two_posters_and_a_flyer(made):
    result, folder = made
    published = [
        "azubitagebuch", "buchvorstellungen", "fsj", "hoer-bar", "sos-serie",
        "vorleseerlebnisse", "lange-geschichte", "strassen-maerchen", "ohne-bild",
        "rotes-bild",
    ]  # fmt: skip
    expected = {f"{slug}-{form}.pdf" for slug in published for form in SIZES}
    assert {p.name for p in folder.iterdir()} == expected
    assert {p.name for p in result.files} == expected
    assert result.problems == []


@pytest.mark.parametrize("form", SIZES)
def test_pages_are_iso_sizes(made, form):
    _result, folder = made
    for path in folder.glob(f"*-{form}.pdf"):
        pages = PdfReader(path).pages
        assert len(pages) == 1
        box = pages[0].mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(SIZES[form])


@pytest.mark.parametrize("form", SIZES)
def test_poster_shows_title_library_and_introduction(made, form):
    _result, folder = made
    text = text_of(pdf(folder, "hoer-bar", form))
    assert "Hör-Bar" in text
    assert LIBRARY in text
    if form == "flyer-a6":  # the flyer has the summary
        assert "Hörbuch- und Hörspieltipps aus unserem Bestand" in text
    else:
        assert "Ali R. arbeitet in unserem Medienbereich und hört" in text
        assert "regelmäßig Hörbücher, Hörspiele und Sachbücher" in text
    assert "Zur Serie" in text
    assert "Als Feed abonnieren" in text


def test_fonts_are_noto_sans_and_embedded(made):
    _result, folder = made
    for path in sorted(folder.iterdir()):
        fonts = PdfReader(path).pages[0]["/Resources"]["/Font"]
        assert fonts, path.name
        for reference in fonts.values():
            font = reference.get_object()
            assert "NotoSans" in font["/BaseFont"], (path.name, font["/BaseFont"])
            assert "/FontFile2" in font["/FontDescriptor"], path.name


@pytest.mark.parametrize("form", SIZES)
@pytest.mark.parametrize("slug", ["hoer-bar", "strassen-maerchen"])
def test_qr_codes_lead_to_the_series_page_and_its_feed(made, tmp_path, form, slug):
    _result, folder = made
    left, right = decode_codes(pdf(folder, slug, form), tmp_path)
    assert left == [f"{SITEURL}/serien/{slug}/"]  # under "Zur Serie"
    assert right == [f"{SITEURL}/feeds/serie/{slug}.atom.xml"]


def test_qr_codes_are_vectors(made):
    """No image on a page without one: the codes are drawn, not pasted in."""
    _result, folder = made
    page = PdfReader(pdf(folder, "ohne-bild", "plakat-a4")).pages[0]
    assert "/XObject" not in page["/Resources"]


def addresses_of(path):
    """The lines of each address under a code, as the PDF sets them."""
    text = PdfReader(path).pages[0].extract_text()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    series, feed = lines.index(poster.CAPTIONS[0]), lines.index(poster.CAPTIONS[1])
    return lines[series + 1 : feed], lines[feed + 1 :]


def broken_at_slashes(lines, url):
    """`lines` are `url`, each line but the last ending after a "/" or a cut."""
    assert "".join(line.removesuffix(poster.CUT) for line in lines) == url
    return all(line.endswith(("/", poster.CUT)) for line in lines[:-1])


@pytest.mark.parametrize("form", SIZES)
def test_addresses_break_only_after_a_slash(made, form):
    """The flyer's column is narrower than the host name: set smaller, not cut."""
    _result, folder = made
    lines = addresses_of(pdf(folder, "azubitagebuch", form))
    urls = (
        f"{SITEURL}/serien/azubitagebuch/",
        f"{SITEURL}/feeds/serie/azubitagebuch.atom.xml",
    )
    for address, url in zip(lines, urls, strict=True):
        assert broken_at_slashes(address, url), address
        assert not any(poster.CUT in line for line in address)


@pytest.mark.parametrize("form", SIZES)
def test_a_part_too_long_for_a_line_is_cut_after_a_hyphen_with_a_mark(
    small_site, tmp_path, form
):
    slug = (
        "vorlesen-fuer-gross-und-klein-in-der-zentralbibliothek-am-konrad-adenauer-"
        "platz-und-in-allen-stadtteilbuechereien"
    )
    write_series(small_site, slug, {"Title": "Lang", "Status": "announced"})
    poster.make_posters(SETTINGS, small_site, tmp_path / "plakate")
    page, feed = addresses_of(pdf(tmp_path / "plakate", slug, form))
    assert broken_at_slashes(page, f"{SITEURL}/serien/{slug}/")
    assert broken_at_slashes(feed, f"{SITEURL}/feeds/serie/{slug}.atom.xml")
    cut = [line for line in page + feed if line.endswith(poster.CUT)]
    assert cut, "the slug fits on a line: it tests nothing"
    assert all(line.endswith(f"-{poster.CUT}") for line in cut)


# -- text that does not fit ---------------------------------------------------------


def test_no_text_leaves_the_print_margins(made):
    """Every character of every PDF lies at least 10 mm inside the page."""
    _result, folder = made
    for path in sorted(folder.iterdir()):
        document = pypdfium2.PdfDocument(path)
        page = document[0]
        width, height = page.get_size()
        text = page.get_textpage()
        boxes = [text.get_charbox(i) for i in range(text.count_chars())]
        assert boxes, path.name
        for left, bottom, right, top in boxes:
            if right > left:  # a space or line break has no box
                assert 10 * mm <= left and right <= width - 10 * mm, path.name
                assert 10 * mm <= bottom and top <= height - 10 * mm, path.name
        text.close()
        page.close()
        document.close()


def test_a_title_with_umlauts_and_sharp_s_is_shrunk_not_cut(made):
    _result, folder = made
    for form in SIZES:
        assert MEDIUM_TITLE in text_of(pdf(folder, "strassen-maerchen", form))


def test_a_very_long_title_is_cut_after_a_word(made):
    _result, folder = made
    text = text_of(pdf(folder, "lange-geschichte", "flyer-a6"))
    assert text.startswith(f"{LIBRARY} Große Straßenfeste, Märchenstunden")
    title = text.removeprefix(f"{LIBRARY} ").split("…")[0]
    assert len(title) < len(LONG_TITLE)
    assert LONG_TITLE.startswith(title)
    assert LONG_TITLE[len(title)] in " ,:", "cut inside a word"


@pytest.mark.parametrize("form", ["plakat-a3", "plakat-a4"])
def test_a_long_introduction_is_cut_with_an_ellipsis(made, form):
    _result, folder = made
    text = text_of(pdf(folder, "lange-geschichte", form))
    assert "Absatz 1: Über Bücher, Hörbücher und die Straße davor." in text
    assert "Absatz 29" not in text
    assert text.count("…") >= 1


def test_fit_keeps_what_fits_and_cuts_whole_words():
    poster.register_fonts()
    style = poster.style(poster.REGULAR, 10)
    short = poster.fit(["Ein kurzer Text."], style, 200, 50, 8)
    assert short.text == "Ein kurzer Text."
    long = poster.fit(["Wort " * 200], style, 100, 30, 8)
    assert long.text.endswith("Wort…")
    assert long.style.fontSize == 8
    assert long.wrap(100, 30)[1] <= 30


def test_markup_escapes_and_keeps_paragraphs():
    assert poster.markup(["a < b & c", "zwei"]) == "a &lt; b &amp; c<br/><br/>zwei"
    assert poster.markup(["eins zwei", "drei"], words=3) == "eins zwei…"
    assert poster.markup(["eins"], words=0) == "…"


# -- images --------------------------------------------------------------------------


def test_svg_image_is_drawn(made):
    _result, folder = made
    page = render(pdf(folder, "hoer-bar", "plakat-a4"), dpi=30)
    assert pixels_near(page, HOER_BAR_BLUE) > 2000  # about a quarter of the page


def test_jpeg_image_is_drawn(made):
    _result, folder = made
    page = render(pdf(folder, "rotes-bild", "plakat-a4"), dpi=30)
    assert pixels_near(page, JPEG_RED) > 2000


def test_a_photo_stored_on_its_side_stands_upright(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show
    path = tmp_path / "hochkant.jpg"
    Image.new("RGB", (400, 100), JPEG_RED).save(path, "JPEG", exif=exif)
    picture = poster._load(path)
    assert (picture.width, picture.height) == (100, 400)


def test_series_without_image_gets_a_poster_without_warning(made):
    result, folder = made
    page = render(pdf(folder, "ohne-bild", "plakat-a4"), dpi=30)
    assert pixels_near(page, JPEG_RED) == 0
    assert not [p for p in result.problems if "ohne-bild" in p.path]


@pytest.fixture
def small_site(tmp_path):
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    return content


def one_poster(content, image, tmp_path):
    """Make the posters of a series with `Image: image`; return the warnings."""
    write_series(
        content, "bild", {"Title": "Bild", "Status": "announced", "Image": image,
                          "Image_alt": "Ein Bild"},
    )  # fmt: skip
    made = poster.make_posters(SETTINGS, content, tmp_path / "plakate")
    assert len(made.files) == 3
    return made.problems


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("kaputt.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect', "kaputt"),
        ("seite.svg", b"<html><body>Hallo</body></html>", "kein SVG"),
        ("leer.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "kaputt"),
        ("halb.jpg", jpeg()[:400], "unvollständig"),
        ("text.png", b"Das ist kein Bild.", "kaputt"),
        ("riesig.png", huge_png(8000, 8000), "8000 × 8000 Pixel"),
        ("bombe.png", huge_png(60000, 60000), "zu viele Pixel"),
    ],
)
def test_an_unusable_image_is_a_warning_and_the_poster_has_none(
    small_site, tmp_path, name, data, says
):
    (small_site / "images" / name).write_bytes(data)
    problems = one_poster(small_site, f"images/{name}", tmp_path)
    [problem] = problems
    assert problem.severity == "warning"
    assert problem.field == "Image"
    assert problem.path.endswith("series/bild.md")
    assert name in problem.message
    assert says in problem.message
    assert "ohne Bild" in problem.message


def test_an_image_larger_than_the_limit_is_not_read(small_site, tmp_path, monkeypatch):
    (small_site / "images" / "gross.jpg").write_bytes(jpeg())
    monkeypatch.setattr(poster, "MAX_BYTES", 1000)
    [problem] = one_poster(small_site, "images/gross.jpg", tmp_path)
    assert "gross.jpg ist zu groß" in problem.message


@pytest.mark.parametrize(
    "image",
    [
        "images/fehlt.png",
        "../geheim.jpg",
        "{static}/../geheim.jpg",
        "/etc/passwd",
        "images/link.jpg",  # a link inside content/ to a file outside
        "https://example.org/bild.jpg",
    ],
)
def test_an_image_that_is_missing_or_outside_content_is_not_read(
    small_site, tmp_path, image
):
    secret = tmp_path / "geheim.jpg"
    secret.write_bytes(jpeg())
    (small_site / "images" / "link.jpg").symlink_to(secret)
    [problem] = one_poster(small_site, image, tmp_path)
    assert problem.field == "Image"
    assert f"„{image}“ gibt es im Ordner content/ nicht" in problem.message
    page = render(tmp_path / "plakate" / "bild-plakat-a4.pdf", dpi=30)
    assert pixels_near(page, JPEG_RED) == 0


def test_an_svg_never_loads_another_file(small_site, tmp_path):
    """Neither an <image> nor an external entity of an SVG reads a file."""
    secret = tmp_path / "geheim.jpg"
    secret.write_bytes(jpeg())
    (tmp_path / "geheim.txt").write_text("GEHEIMNIS", "utf-8")
    (small_site / "images" / "nachbar.jpg").write_bytes(jpeg())
    (small_site / "images" / "frech.svg").write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY geheim SYSTEM "file://{tmp_path}/geheim.txt">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="400" height="300">
  <rect width="400" height="300" fill="#1d2f4a"/>
  <image xlink:href="../../geheim.jpg" width="400" height="300"/>
  <image href="nachbar.jpg" width="400" height="300"/>
  <image href="{secret}" width="400" height="300"/>
  <text x="10" y="50">&geheim;</text>
</svg>""",
        "utf-8",
    )
    assert one_poster(small_site, "images/frech.svg", tmp_path) == []
    path = tmp_path / "plakate" / "bild-plakat-a4.pdf"
    page = render(path, dpi=30)
    assert pixels_near(page, HOER_BAR_BLUE) > 1000  # the SVG is there
    assert pixels_near(page, JPEG_RED) == 0  # none of the images it names
    assert "GEHEIMNIS" not in text_of(path)


# -- the task ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def task_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("poster-task")
    return sample_site(root), root


def run_poster(series, content, output):
    """Run `invoke poster SERIES` as an editor does; never a traceback."""
    done = run_task(
        "poster", series, "--content", str(content), "--output", str(output)
    )
    assert "Traceback" not in done.stdout + done.stderr
    return done


def test_task_finds_a_series_in_any_case_and_says_what_it_wrote(task_site):
    content, root = task_site
    output = root / "nur-eine"
    done = run_poster("HÖR-BAR", content, output)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in output.iterdir()) == [
        "hoer-bar-flyer-a6.pdf", "hoer-bar-plakat-a3.pdf", "hoer-bar-plakat-a4.pdf",
    ]  # fmt: skip
    assert f"3 Dateien geschrieben nach {output}/" in done.stdout
    assert "hoer-bar-plakat-a4.pdf" in done.stdout


def test_task_all_makes_every_published_series(task_site):
    content, root = task_site
    output = root / "alle"
    done = run_poster("--all", content, output)
    assert done.returncode == 0, done.stderr
    assert len(list(output.glob("*.pdf"))) == 30
    assert "30 Dateien geschrieben" in done.stdout
    assert not list(output.glob("bald-*"))


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("Hörbahr", "Die Serie „Hörbahr“ gibt es nicht. Meinten Sie „Hör-Bar“?"),
        ("Gibtsnicht", "Die Serie „Gibtsnicht“ gibt es nicht."),
        ("bald", "Die Serie „Bald“ ist noch nicht veröffentlicht"),
    ],
)
def test_task_explains_a_series_it_cannot_make(task_site, name, says):
    content, root = task_site
    output = root / "nichts"
    done = run_poster(name, content, output)
    assert done.returncode == 1
    said = done.stdout + done.stderr
    assert says in said
    if name != "bald":
        assert "Veröffentlichte Serien: AzubiTagebuch, Buchvorstellungen, FSJ" in said
    assert not output.exists()


def test_task_reports_image_warnings_with_file_and_field(task_site, tmp_path):
    content, _root = task_site
    broken = tmp_path / "content"
    shutil.copytree(content, broken)
    (broken / "images" / "series" / "fsj.svg").write_text("<svg", "utf-8")
    done = run_poster("fsj", broken, tmp_path / "p")
    assert done.returncode == 0, done.stderr
    assert "series/fsj.md" in done.stdout
    assert "Warnung (Image): Das SVG-Bild fsj.svg ist kaputt" in done.stdout
    assert "3 Dateien geschrieben" in done.stdout
