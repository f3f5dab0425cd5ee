"""Posters and flyers for the series: print-ready PDFs with QR codes.

`python3 dev.py poster` (tasks.py) builds the site with the published settings
(publishconf.py) to get the series as the plugin sees them, then writes for
each series an A3 and an A4 poster and an A6 flyer: library name, title,
image, introduction (the flyer: the summary) and two QR codes, to the
series' page and to its Atom feed, each with its address in plain text
(broken only after a "/"; a part too long for a line is cut with "¬").

Text is set with ReportLab's Platypus paragraphs in Noto Sans (shipped with
the plugin, embedded into every PDF); what does not fit is set smaller, then
cut after a whole word with "…". The QR codes (segno) are drawn as vectors,
SVG images too (svglib). Content is untrusted: an image is read only from
inside the content folder, an SVG image as the site publishes it (the
plugin's clean_svg: nothing but drawing, no reference to another file),
and an image that cannot be used is a warning; the poster is made without
it.
"""

import io
import itertools
import logging
import os
import re
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import lxml.html
import segno
from pelican.plugins.fortsetzung.api import (
    FONTS,
    Problem,
    SeriesLookup,
    clean_svg,
    closest_series,
    content_locator,
    display_path,
    open_upright,
)
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from svglib.svglib import svg2rlg

from sitetools import runner, scaffold

REGULAR, BOLD = "NotoSans", "NotoSans-Bold"
#: An image file larger than this is not read.
MAX_BYTES = 20_000_000
#: A raster image with more pixels than this is not decoded (an A3 poster
#: at 300 dpi has 35 million).
MAX_PIXELS = 40_000_000
RASTER_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
ELLIPSIS = "…"
#: Marks where an address is cut at no "/" (a part too long for a line); no
#: address has one, so a reader typing it knows to leave it out.
CUT = "¬"
CAPTIONS = ("Zur Serie", "Als Feed abonnieren")


class PosterError(Exception):
    """No poster can be made; the message (German) says why and what to do."""


@dataclass(frozen=True)
class Format:
    """One printed format: file name, page size and the sizes on it (points)."""

    name: str
    pagesize: tuple
    margin: float
    title: float  # the title's largest font size
    text: float  # the body text's font size
    code: float  # a QR code's side, quiet zone included
    long_text: bool  # the introduction (posters) or the summary (flyers)


FORMATS = (
    Format("plakat-a3", A3, 15 * mm, 66, 20, 75 * mm, long_text=True),
    Format("plakat-a4", A4, 15 * mm, 46, 14, 52 * mm, long_text=True),
    Format("flyer-a6", A6, 10 * mm, 22, 8, 30 * mm, long_text=False),
)


@dataclass
class Picture:
    """An image ready to draw: its size (any unit) and how to draw it in a box."""

    width: float
    height: float
    draw: object  # draw(canvas, x, y, width, height)


@dataclass
class Sheet:
    """What a series' posters show."""

    slug: str
    title: str
    library: str
    intro: list  # of paragraphs (plain text)
    summary: list
    urls: tuple  # (series page, Atom feed)
    picture: Picture | None = None
    accent: object = colors.black


@dataclass
class Made:
    """What `make_posters` wrote, and the warnings about the content."""

    files: list = field(default_factory=list)
    problems: list = field(default_factory=list)


# -- the series --------------------------------------------------------------------


def site(settings_file, content):
    """Build the site with `settings_file` (nothing written); return its context."""
    result = runner.read_site(settings_file, content)
    if result.error is not None:
        raise PosterError(runner.describe(result.error))
    return result.context


def choose(context, names):
    """Return the published series `names` mean (title or slug, any case)."""
    published = context.get("series_list", [])
    if not names:
        return list(published)
    lookup = SeriesLookup(context)
    for series in published:
        lookup.add(series, series.slug, [series.name])
    chosen = []
    for name in names:
        series = lookup.find(name)
        if series is None:
            raise PosterError(_unknown(name, published, context))
        chosen.append(series)
    return chosen


def _unknown(name, published, context):
    drafts = SeriesLookup(context)
    for series in context.get("draft_series", []):
        drafts.add(series, series.slug, [series.name])
    draft = drafts.find(name)
    if draft is not None:
        return (
            f"Die Serie „{draft.name}“ ist noch nicht veröffentlicht: Ihre Adresse "
            "führt noch ins Leere. Plakate gibt es, sobald ihr erster Teil "
            "veröffentlicht ist (oder mit „Status: announced“)."
        )
    names = sorted((s.name for s in published), key=str.casefold)
    close = closest_series(name, [(s.name, s.slug) for s in published])
    message = f"Die Serie „{name.strip()}“ gibt es nicht."
    if close:
        message += f" Meinten Sie „{close}“?"
    return (
        f"{message}\nVeröffentlichte Serien: {', '.join(names)}."
        if names
        else f"{message}\nEs ist noch keine Serie veröffentlicht."
    )


def paragraphs(html):
    """Return the paragraphs of an HTML text as plain text."""
    if not html or not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    blocks = [root.text or "", *(element.text_content() for element in root)]
    return [" ".join(block.split()) for block in blocks if block.strip()]


def sheet_of(series, context, problems):
    """Return the `Sheet` of `series`; add warnings about its image to `problems`."""
    site_url = context["SITEURL"].rstrip("/")
    feed_domain = (context.get("FEED_DOMAIN") or site_url).rstrip("/")
    feed = series.feed_atom_url
    if not feed:
        raise PosterError(
            "Die Serie hat keinen Atom-Feed: SERIES_FEED_ATOM ist in den "
            "Einstellungen nicht gesetzt."
        )
    return Sheet(
        slug=series.slug,
        title=str(series.name),
        library=context.get("LIBRARY_NAME") or context["SITENAME"],
        intro=paragraphs(series.intro),
        summary=paragraphs(series.summary),
        urls=(f"{site_url}/{series.url}", f"{feed_domain}/{feed}"),
        picture=picture_of(series, context, problems),
        accent=_colour(context.get("THEME_COLORS", {}).get("accent")),
    )


def _colour(value):
    try:
        return colors.HexColor(value) if value else colors.black
    except (ValueError, TypeError):
        return colors.black


# -- images --------------------------------------------------------------------------


class Unusable(Exception):
    """An image cannot be put on a poster; the message (German) says why."""


def picture_of(series, context, problems):
    """Return the series' image as a `Picture`, or None (with a warning why)."""
    # the plugin drops an image it cannot show (series.image); say so here too
    src = str(series.description.metadata.get("image") or "").strip()
    if not src:
        return None
    path = content_locator(context["PATH"], series.source_path)(src)
    try:
        if path is None:
            raise Unusable(
                f"Das Bild „{src}“ gibt es im Ordner content/ nicht (Bilder "
                "außerhalb davon und auf anderen Servern werden nicht gelesen)."
            )
        return _load(Path(path))
    except Unusable as error:
        problems.append(
            Problem(
                display_path(series),
                "Image",
                f"{error} Die Plakate entstehen ohne Bild.",
                "Ein SVG-, PNG- oder JPEG-Bild aus content/images/ angeben.",
                severity="warning",
            )
        )
        return None


def _load(path):
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise Unusable(
            f"Das Bild {path.name} ist zu groß ({size // 1_000_000} MB; höchstens "
            f"{MAX_BYTES // 1_000_000} MB)."
        )
    data = path.read_bytes()
    with warnings.catch_warnings():
        # an image that would take gigabytes of memory is refused, not decoded
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _svg(data, path) if _is_svg(data) else _raster(data, path)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise Unusable(f"Das Bild {path.name} hat zu viele Pixel.") from None


def _is_svg(data):
    # no raster format starts with "<"
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _svg(data, path):
    broken = Unusable(f"Das SVG-Bild {path.name} ist kaputt oder kein SVG.")
    published = clean_svg(data).data
    if published is None:
        raise broken
    # From bytes, not the file: svglib then refuses every reference to
    # another file (it knows no folder to look in; the cleaned SVG has none).
    with _quiet("svglib"):
        try:
            drawing = svg2rlg(io.BytesIO(published))
        except Exception:  # svglib raises what its parts raise
            raise broken from None
    if drawing is None or not drawing.width > 0 < drawing.height:
        raise broken
    drawing.initialFontName = REGULAR  # not ReportLab's Helvetica (unembedded)

    def draw(canvas, x, y, width, height):
        from reportlab.graphics import renderPDF  # noqa: PLC0415  (only for SVG)

        drawing.scale(width / drawing.width, height / drawing.height)
        renderPDF.draw(drawing, canvas, x, y)
        drawing.transform = (1, 0, 0, 1, 0, 0)

    return Picture(drawing.width, drawing.height, draw)


def _raster(data, path):
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in RASTER_FORMATS:
            raise Unusable(
                f"Das Bild {path.name} ist weder SVG noch PNG, JPEG, GIF oder WebP."
            )
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise Unusable(
                f"Das Bild {path.name} ist zu groß ({width} × {height} Pixel; "
                f"höchstens {MAX_PIXELS // 1_000_000} Millionen Pixel)."
            )
        # as browsers show it: a phone photo stored on its side stands upright
        _kind, image = open_upright(io.BytesIO(data))
        width, height = image.size
        alpha = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if alpha else "RGB")
    except (OSError, ValueError, SyntaxError):
        raise Unusable(f"Das Bild {path.name} ist kaputt oder unvollständig.") from None
    reader = ImageReader(image)

    def draw(canvas, x, y, width, height):
        canvas.drawImage(reader, x, y, width, height, mask="auto")

    return Picture(width, height, draw)


class _quiet:
    """Keep a library's log messages off the screen (our warning says enough)."""

    def __init__(self, name):
        self.logger = logging.getLogger(name)

    def __enter__(self):
        self.disabled, self.logger.disabled = self.logger.disabled, True

    def __exit__(self, *exc):
        self.logger.disabled = self.disabled


# -- typesetting ---------------------------------------------------------------------


@cache
def register_fonts():
    """Register Noto Sans (regular, bold) with ReportLab; it embeds them."""
    pdfmetrics.registerFont(TTFont(REGULAR, FONTS / "NotoSans-Regular.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, FONTS / "NotoSans-Bold.ttf"))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)


def style(font, size, colour=colors.black, centred=False):
    return ParagraphStyle(
        font,
        fontName=font,
        fontSize=size,
        leading=size * 1.25,
        textColor=colour,
        alignment=1 if centred else 0,
    )


def markup(texts, words=None):
    """Platypus markup of paragraphs of plain text; with `words`, only so many + "…"."""
    tokens = [word for text in texts for word in [*text.split(), "\n"]][:-1]
    if words is not None:
        tokens = tokens[:words]
        while tokens and tokens[-1] == "\n":
            tokens.pop()
        tokens.append(tokens.pop() + ELLIPSIS if tokens else ELLIPSIS)
    return " ".join(
        "<br/><br/>" if token == "\n" else escape(token) for token in tokens
    ).replace(" <br/><br/> ", "<br/><br/>")


def fit(texts, first_style, width, height, smallest):
    """Return a Paragraph of `texts` that fits the box: set smaller, then cut.

    The font size goes down from `first_style`'s to `smallest` in steps of
    about 5 %; if the text does not fit even then, it is cut after as many
    whole words as fit, with "…".
    """
    size = first_style.fontSize
    while True:
        current = style(first_style.fontName, size, first_style.textColor)
        current.alignment = first_style.alignment
        paragraph = Paragraph(markup(texts), current)
        if paragraph.wrap(width, height)[1] <= height:
            return paragraph
        if size <= smallest:
            break
        size = max(smallest, size * 0.95)
    fits, fails = 0, len(" ".join(texts).split()) + len(texts)
    while fails - fits > 1:  # the most tokens that fit
        middle = (fits + fails) // 2
        trial = Paragraph(markup(texts, middle), current)
        if trial.wrap(width, height)[1] <= height:
            fits = middle
        else:
            fails = middle
    paragraph = Paragraph(markup(texts, fits), current)
    paragraph.wrap(width, height)
    return paragraph


def address_lines(url, font, size, width):
    """`url` in lines no wider than `width`, broken after a "/", never in a word.

    A part between two slashes too long for a line of its own is cut, each
    cut marked with CUT: after a "-", "." or "_" where one fits, else where
    the line is full.
    """

    def fits(text):
        return pdfmetrics.stringWidth(text, font, size) <= width

    lines = []
    # "https://host/", then each path segment with its slash
    for piece in re.findall(r"(?:[^/]*//)?[^/]+/*|/+", url):
        if lines and fits(lines[-1] + piece):
            lines[-1] += piece
            continue
        rest = piece
        while not fits(rest):
            ends = [n for n in range(1, len(rest)) if fits(rest[:n] + CUT)] or [1]
            cut = ([n for n in ends if rest[n - 1] in "-._"] or ends)[-1]
            lines.append(rest[:cut] + CUT)
            rest = rest[cut:]
        lines.append(rest)
    return lines


def address(url, font, size, width):
    """Set `url` centred, in the lines `address_lines` makes.

    Set up to a fifth smaller where that saves cutting a part of it (a long
    host name on a flyer).
    """
    smallest = size * 0.8
    lines = address_lines(url, font, size, width)
    while size > smallest and any(line.endswith(CUT) for line in lines):
        size = max(smallest, size * 0.95)
        lines = address_lines(url, font, size, width)
    paragraph = Paragraph(
        "<br/>".join(escape(line) for line in lines), style(font, size, centred=True)
    )
    paragraph.wrap(width, paragraph.style.leading * len(lines))
    return paragraph


def place(paragraph, canvas, x, top):
    """Draw a wrapped paragraph with its top at `top`; return its bottom."""
    bottom = top - paragraph.height
    paragraph.drawOn(canvas, x, bottom)
    return bottom


def draw_code(canvas, url, x, y, side):
    """Draw the QR code of `url` as vector squares, quiet zone included."""
    code = segno.make(url, error="m", micro=False)
    rows = list(code.matrix_iter(scale=1, border=4))
    module = side / len(rows)
    path = canvas.beginPath()
    for number, row in enumerate(rows):
        bottom = y + side - (number + 1) * module
        column = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                path.rect(x + column * module, bottom, length * module, module)
            column += length
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)


def codes(form, sheet, width):
    """Lay out both QR codes, caption above, address below, at the bottom.

    Returns their top and a function that draws them on a canvas.
    """
    gap = form.text
    column = (width - gap) / 2
    side = min(form.code, column)
    small = max(6, form.text * 0.6)
    blocks = []
    for caption, url in zip(CAPTIONS, sheet.urls, strict=True):
        head = fit(
            [caption], style(BOLD, form.text, centred=True), column, 3 * gap, small
        )
        foot = address(url, REGULAR, small, column)
        blocks.append((head, url, foot))
    height = max(head.height + foot.height for head, _url, foot in blocks)
    top = form.margin + height + side + 2 * gap / 3

    def draw(canvas):
        for number, (head, url, foot) in enumerate(blocks):
            x = form.margin + number * (column + gap)
            below = place(head, canvas, x, top) - gap / 3
            draw_code(canvas, url, x + (column - side) / 2, below - side, side)
            place(foot, canvas, x, below - side - gap / 3)

    return top, draw


def draw_page(canvas, form, sheet):
    """Set one poster or flyer on `canvas`, from top to bottom (the reading order)."""
    page_width, page_height = form.pagesize
    width = page_width - 2 * form.margin
    x, gap = form.margin, form.text
    codes_top, draw_codes = codes(form, sheet, width)
    bottom = codes_top + gap
    top = page_height - form.margin
    library = fit(
        [sheet.library], style(BOLD, form.text, sheet.accent), width, 2.5 * gap, gap / 2
    )
    top = place(library, canvas, x, top) - gap / 2
    title = fit(
        [sheet.title], style(BOLD, form.title), width, 2.5 * form.title, form.title / 2
    )
    top = place(title, canvas, x, top) - gap
    if sheet.picture:
        picture = sheet.picture
        scale = min(width / picture.width, (top - bottom) * 0.5 / picture.height)
        shown_width, shown_height = picture.width * scale, picture.height * scale
        picture.draw(
            canvas,
            x + (width - shown_width) / 2,
            top - shown_height,
            shown_width,
            shown_height,
        )
        top -= shown_height + gap
    texts = sheet.intro if form.long_text else sheet.summary
    texts = texts or sheet.summary or sheet.intro
    if texts and top - bottom > gap:
        text = fit(
            texts, style(REGULAR, form.text), width, top - bottom, form.text * 0.75
        )
        place(text, canvas, x, top)
    draw_codes(canvas)


def pdf(form, sheet):
    """Return the PDF of one format of a sheet."""
    register_fonts()
    buffer = io.BytesIO()
    # invariant: the same content gives the same file; the initial font is
    # ours, so that no unembedded standard font is named in the file
    canvas = Canvas(
        buffer, pagesize=form.pagesize, invariant=1, initialFontName=REGULAR
    )
    canvas.setTitle(sheet.title)
    canvas.setAuthor(sheet.library)
    canvas.setSubject(sheet.urls[0])
    draw_page(canvas, form, sheet)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# -- the task ------------------------------------------------------------------------


def make_posters(settings_file, content, output, names=()):
    """Write the posters and flyers of the series `names` (none: all) to `output`.

    Returns what was written (`Made`); raises `PosterError` when nothing can be.
    """
    context = site(settings_file, content)
    if not context.get("SITEURL"):
        raise PosterError(
            f"In {Path(settings_file).name} ist SITEURL nicht gesetzt: die "
            "QR-Codes brauchen die Adresse der veröffentlichten Seite."
        )
    chosen = choose(context, names)
    if not chosen:
        raise PosterError("Es ist noch keine Serie veröffentlicht.")
    made = Made()
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    for series in chosen:
        sheet = sheet_of(series, context, made.problems)
        for form in FORMATS:
            path = output / f"{sheet.slug}-{form.name}.pdf"
            partial_path = path.with_name(f".{path.name}.part")
            partial_path.write_bytes(pdf(form, sheet))
            os.replace(partial_path, path)  # never a half-written PDF
            made.files.append(path)
    return made


def as_text(made, output):
    """Say in German what was written where (and the warnings first)."""
    lines = [runner.as_text(made.problems), ""] if made.problems else []
    count = len(made.files)
    lines.append(
        f"{count} Datei{'en' if count != 1 else ''} geschrieben nach {scaffold.shown(output)}/:"
    )
    lines += [f"  {path.name}" for path in made.files]
    lines.append(
        "Plakate in A3 und A4, Flyer in A6; zum Drucken ohne Skalierung (100 %)."
    )
    return "\n".join(lines)
