"""Share images: a picture of its own for every series and every published part.

A link shared on a social network or in a messenger shows the picture that
the page names in `og:image`. This plugin draws one for each public series
(its name, how many parts) and each of its published parts (the series'
name, "Part N", the part's title), 1200 × 630 pixels, PNG: on the series'
image where that is a JPEG, PNG or WebP file (as a panel on the right), on
the series' colour (`Color: #0b57a4` in its file) or the site's otherwise, with the library's name at the bottom. Text is
black or white, whichever contrasts more with the colour (at least 4.5:1,
WCAG AA); it is set in the Noto Sans the plugin ships, so that every machine
draws the same picture, and it never leaves its box: long text wraps
between words, gets smaller step by step, and as a last resort is cut after
a word with "…".

Pictures are drawn once, into the cache (derived.py): an unchanged part is
not drawn again. Drafts, scheduled and hidden parts get none, so nothing of
them reaches the published site. Templates ask `{{ item|share_image }}`
(an article or a series): `{"url", "width", "height", "alt"}` or None.

Enable it with `PLUGINS = ["fortsetzung", "pelican.plugins.fortsetzung.extras.sharecards"]`.
"""

import functools
import hashlib
import logging
import os
import posixpath
import struct
import unicodedata
import zlib
from dataclasses import dataclass

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from PIL import Image, ImageColor, ImageDraw, ImageFont, ImageOps

from .. import derived
from ..i18n import _
from ..problems import Problem, display_path
from ..safety.vet_content import problems_of
from .responsive_images import UNREADABLE, open_upright, raster_image, report_incomplete

logger = logging.getLogger(__name__)

#: Part of every picture's key: raise it when the drawing changes.
VERSION = 2
WIDTH, HEIGHT = 1200, 630
MARGIN = 64  # no text within this distance of the edges (and of the panel)
PANEL = 480  # width of the series' image, on the right
FONTS = os.path.join(os.path.dirname(__file__), "fonts")
REGULAR = os.path.join(FONTS, "NotoSans-Regular.ttf")
BOLD = os.path.join(FONTS, "NotoSans-Bold.ttf")
#: Font sizes in pixels, largest first, for each line of a picture.
TOP_SIZES = (40, 36, 32, 28)
TITLE_SIZES = tuple(range(76, 35, -4))
FOOTER_SIZES = (30, 27, 24)
LEADING = 1.2  # line height, times the font size
GAP = 24  # between the blocks of text
#: Longer texts are cut before they are measured (a title of 10,000 words).
MAX_CHARACTERS = 300
ELLIPSIS = "…"
#: The background when neither FORTSETZUNG_SHARE_IMAGES_COLOR nor the
#: theme's accent colour (THEME_COLORS["accent"]) is set or valid.
DEFAULT_COLOR = "#0b57a4"
#: The context's key: source path of an article or series -> ShareImage.
SHARE_IMAGES = "share_images"


@dataclass(frozen=True)
class Card:
    """What one picture shows: everything its look depends on (the cache key)."""

    top: tuple  # small lines above the title: series name, "Part 3"
    title: str
    footer: str
    color: tuple  # background, RGB
    panel: str | None  # a cached picture of the series' image, or None


@dataclass(frozen=True)
class ShareImage:
    """A share image in the output, for templates."""

    url: str  # relative to SITEURL
    alt: str
    width: int = WIDTH
    height: int = HEIGHT


def add_share_images(generator):
    """static_generator_finalized: the picture of each series and part, drawn once."""
    settings = generator.settings
    pattern = settings["FORTSETZUNG_SHARE_IMAGES_SAVE_AS"]
    if not pattern:
        return
    # a content file of a picture's name loses its address (output_plan.py)
    taken = set()
    version = (VERSION, _fonts())
    planned, missing = [], {}
    for owner, card, alt in _cards(generator):
        page = owner.save_as  # Pelican works it out anew each time it is asked
        path = derived.cache_path(settings, ("share", version, card), ".png")
        # a new name for a new picture: networks fetch it anew, and the
        # preview never serves an older copy (Pelican copies only newer files)
        key = os.path.basename(path)[:8]
        save_as = pattern.format(path=_page_path(page), key=key)
        if not page or save_as in taken:
            continue
        taken.add(save_as)
        if not os.path.exists(path):
            missing[path] = card
        planned.append((owner, path, save_as, alt))
    failed = _draw_all(missing, settings)
    found = generator.context.setdefault(SHARE_IMAGES, {})
    for owner, path, save_as, alt in planned:
        if path in failed:
            _cannot_draw(owner, failed[path])
            continue
        url = derived.publish(generator, path, save_as)
        found[owner.source_path] = ShareImage(url, alt)


def _cannot_draw(owner, why):
    problems_of(getattr(owner, "description", owner)).append(
        Problem(
            display_path(owner),
            "Title",
            _("No share image could be drawn ({why}).", why=why),
            _("Tell whoever looks after the site; the page shows the site's picture."),
            severity="warning",
        )
    )


def _cards(generator):
    """Yield (series or part, `Card`, alternative text) of every public series."""
    settings = generator.settings
    site_color = background(settings)
    footer = clean(settings.get("LIBRARY_NAME") or settings.get("SITENAME") or "")
    for series in generator.context.get("series_list", []):
        color = ImageColor.getrgb(series.color)[:3] if series.color else site_color
        panel = _panel(settings, generator, series)
        name = clean(series.name)
        top = (_("Series"), _parts(series.count)) if series.count else ()
        alt = _("Series “{name}” – {site}", name=name, site=footer)
        yield series, Card(top, name, footer, color, panel), alt
        for index, article in enumerate(series.articles, 1):
            title = clean(article.title)
            top = (name, _("Part {index}", index=index))
            alt = _("{series}, part {index}: {title} – {site}", series=name,
                    index=index, title=title, site=footer)  # fmt: skip
            yield article, Card(top, title, footer, color, panel), alt


def _draw_all(missing, settings):
    """Draw each {path: card}; return {path: why} of those that failed.

    One after another, or as a tool that runs Pelican shares the work out
    (the setting FORTSETZUNG_MAP, as for the checks).
    """
    jobs = list(missing.items())
    results = (settings.get("FORTSETZUNG_MAP") or map)(_draw_one, jobs)
    return {
        path: why for (path, _card), why in zip(jobs, list(results), strict=True) if why
    }


def _draw_one(job):
    """Draw one picture into its cache file; return None, or why it failed."""
    path, card = job
    try:
        derived.make_whole(path, functools.partial(draw, card))
    except (OSError, ValueError) as error:
        return str(error)
    return None


def _fonts():
    """Return what tells the fonts' versions apart: their sizes and digests."""
    stats = ((path, os.stat(path)) for path in (REGULAR, BOLD))
    return tuple(_digest(path, s.st_size, s.st_mtime_ns) for path, s in stats)


@functools.cache
def _digest(path, _size, _mtime):
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:16]


def _page_path(save_as):
    """Return a page's path without its file name: 2024/x/index.html -> 2024/x."""
    path = posixpath.splitext(save_as or "")[0]
    return posixpath.dirname(path) if posixpath.basename(path) == "index" else path


def _parts(count):
    return _("1 part") if count == 1 else _("{count} parts", count=count)


def clean(text):
    """Return `text` (maybe HTML) as one line of visible characters, not too long."""
    text = str(text or "")[: MAX_CHARACTERS * 4]
    if "<" in text or "&" in text:
        text = Markup(text).striptags()
    if not text.isprintable():  # control and format characters, odd spaces
        text = "".join(
            " " if c.isspace() else c
            for c in text
            if c.isspace() or not unicodedata.category(c).startswith("C")
        )
    return " ".join(text.split())[:MAX_CHARACTERS]


def background(settings):
    """Return the pictures' background colour as RGB."""
    value = settings.get("FORTSETZUNG_SHARE_IMAGES_COLOR") or (
        settings.get("THEME_COLORS") or {}
    ).get("accent")
    try:
        return ImageColor.getrgb(value or DEFAULT_COLOR)[:3]
    except ValueError:
        logger.warning(
            _(
                "FORTSETZUNG_SHARE_IMAGES_COLOR: “{value}” is no colour; the share "
                "images are drawn on {default}.",
                value=value,
                default=DEFAULT_COLOR,
            )
        )
        return ImageColor.getrgb(DEFAULT_COLOR)


def _panel(settings, generator, series):
    """Return the cached panel made from the series' raster image, or None."""
    found = series.image and raster_image(generator, str(series.image))
    if not found:
        return None  # no image, or one Pillow cannot draw: the colour it is
    path, _static, _size, stamp = found
    key = ("share-panel", VERSION, *stamp)
    try:
        return derived.cached(settings, key, ".png", lambda t: _make_panel(path, t))
    except UNREADABLE as error:
        logger.debug("%s: %s", path, error)
        report_incomplete(series.description)
        return None


def _make_panel(source, target):
    _kind, picture = open_upright(source)
    picture = ImageOps.fit(picture.convert("RGB"), (PANEL, HEIGHT))
    picture.save(target, format="PNG", compress_level=1)


# -- drawing -------------------------------------------------------------------


def luminance(rgb):
    """Relative luminance of an sRGB colour (WCAG 2)."""

    def linear(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """Contrast ratio of two colours (WCAG 2), 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_color(background):
    """Black or white, whichever contrasts more (either gives at least 4.58:1)."""
    return max([(0, 0, 0), (255, 255, 255)], key=lambda c: contrast(c, background))


@functools.cache
def _font(path, size):
    # the basic layout: the same result with or without libraqm installed
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


def _width(font, text):
    """Return how wide `text` is drawn, from its left edge to its last pixel."""
    left, right = _extent(font, text)
    return right - left


def _extent(font, text):
    """Return (left, right) of `text`'s box, as Pillow's `getbbox` has it.

    The box is the glyphs' boxes side by side (see `_glyph`), so that no
    line is measured by FreeType again: the left edge of the ink, at most
    0, and the right edge of the ink or of the last advance.
    """
    x = left = right = 0
    for char in text:
        _coverage, glyph_left, _top, glyph_right, advance = _glyph(font, char)
        left, right = min(left, x + glyph_left), max(right, x + glyph_right)
        x += advance
    return left, right


def _length(font, word):
    """Return the advance of a word: cheaper than `_width`."""
    return sum(_glyph(font, char)[4] for char in word)


@functools.lru_cache(maxsize=4096)  # at most ~30 MB; German titles use ~1,500
def _glyph(font, char):
    """Return (coverage or None, left, top, right, advance) of `char`.

    Relative to the pen on the baseline; `right` is the ink's edge or the
    advance, whichever is further (as `getbbox` has it). A card's lines are
    set from glyphs drawn and measured once per font: FreeType's drawing and
    measuring were two thirds of a card's cost, and titles share their
    letters. With the basic layout a line is exactly its glyphs side by
    side (whole-pixel advances, no kerning): tests compare lines and boxes
    with Pillow's own.
    """
    advance = round(font.getlength(char))
    left, top, right, bottom = font.getbbox(char, anchor="ls")
    if right <= left or bottom <= top:
        return None, left, top, right, advance
    coverage = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(coverage).text((-left, -top), char, font=font, fill=255, anchor="ls")
    return coverage, left, top, right, advance


def _height(font, lines):
    ascent, descent = font.getmetrics()
    return round(font.size * LEADING) * (len(lines) - 1) + ascent + descent


def fit(text, path, sizes, width, height):
    """Return (font, lines): `text` in the largest size that fits the box.

    Lines break between words. If even the smallest size does not fit, the
    text is cut after a word, with "…" (a word wider than the box is cut
    inside).
    """
    words = text.split()
    for size in sizes:
        font = _font(path, size)
        lines = _wrap(words, font, width)
        if _height(font, lines) <= height and all(
            _width(font, line) <= width for line in lines
        ):
            return font, lines
    lines = _wrap(words, font, width, split=True)
    kept = 1
    while kept < len(lines) and _height(font, lines[: kept + 1]) <= height:
        kept += 1
    if kept < len(lines):
        lines[kept - 1] = _shorten(lines[kept - 1], font, width)
    return font, [
        line if _width(font, line) <= width else _shorten(line, font, width)
        for line in lines[:kept]
    ]


def _wrap(words, font, width, split=False):
    """Return `words` in lines; `split`: cut a word wider than `width` inside.

    Lines are measured as the sum of their words (the exact width of a line
    is checked once it is set).
    """
    space = _length(font, " ")
    lines, used = [], 0
    for word in words:
        length = _length(font, word)
        if lines and used + space + length <= width:
            lines[-1] += " " + word
            used += space + length
            continue
        rest = word
        while split and len(rest) > 1 and _width(font, rest) > width:
            cut = max(1, _fitting(rest, "", font, width))
            lines.append(rest[:cut])
            rest = rest[cut:]
        lines.append(rest)
        used = _length(font, rest)
    return lines


def _shorten(line, font, width):
    """`line` and "…", with as many words at its end left out as it takes to fit."""
    words = line.split()
    while len(words) > 1 and _width(font, " ".join(words) + ELLIPSIS) > width:
        words.pop()
    text = " ".join(words)
    return text[: _fitting(text, ELLIPSIS, font, width)] + ELLIPSIS


def _fitting(text, end, font, width):
    """Return how many characters of `text`, followed by `end`, fit `width`."""
    low, high = 0, len(text)  # text[:low] + end fits; text[:high + 1] + end not
    while low < high:
        middle = (low + high + 1) // 2
        if _width(font, text[:middle] + end) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def draw(card, target):
    """Write the picture of `card` into `target` (PNG)."""
    right = WIDTH - (PANEL if card.panel else 0) - MARGIN
    width = right - MARGIN
    mask = Image.new("L", (WIDTH, HEIGHT), 0)  # the text, as coverage 0–LEVELS
    inked = []  # the rows drawn on: (top, bottom) of each line

    one_line = _height(_font(REGULAR, FOOTER_SIZES[0]), [""])
    footer_font, footer = fit(card.footer, REGULAR, FOOTER_SIZES, width, one_line)
    footer_top = HEIGHT - MARGIN - _height(footer_font, footer)
    y = MARGIN
    for n, text in enumerate(card.top):
        font, lines = fit(text, BOLD if n == 0 else REGULAR, TOP_SIZES, width,
                          _height(_font(BOLD, TOP_SIZES[0]), ["", ""]))  # fmt: skip
        y = _write(mask, inked, font, lines, y) + GAP // 2
    y += GAP // 2 if card.top else 0
    font, lines = fit(card.title, BOLD, TITLE_SIZES, width, footer_top - GAP - y)
    _write(mask, inked, font, lines, y)
    _write(mask, inked, footer_font, footer, footer_top)

    ink = text_color(card.color)
    if card.panel:
        picture = Image.new("RGB", (WIDTH, HEIGHT), card.color)
        with Image.open(card.panel) as panel:
            picture.paste(panel.convert("RGB"), (WIDTH - PANEL, 0))
        picture.paste(ink, (0, 0, WIDTH, HEIGHT), mask.point(_FULL_COVERAGE))
        picture.save(target, format="PNG", compress_level=3)
    else:
        _save_palette_png(mask, inked, _blends(card.color, ink), target)


#: Steps of coverage between background and ink: 16, so that a pixel is
#: half a byte (the picture has half the bytes to compress; edges drawn in
#: 16 shades look as smooth at this size).
LEVELS = 15
_FULL_COVERAGE = [min(255, round(v * 255 / LEVELS)) for v in range(256)]


@functools.cache
def _blends(background, ink):
    """Return the palette of coverage 0–LEVELS: `background` to `ink`."""
    return bytes(
        round(b + (i - b) * v / LEVELS)
        for v in range(LEVELS + 1)
        for b, i in zip(background, ink, strict=True)
    )


def _save_palette_png(mask, inked, palette, target):
    """Write `mask` (values 0–15) as a PNG of 4 bits a pixel with `palette`.

    `inked`: (top, bottom) of the rows that may be other than 0 (`_zlib_rows`).

    Written here rather than by Pillow: its encoder took 2.0 ms a picture
    for the file that zlib compresses in 0.5 ms here (`_zlib_rows`), and a
    cold build draws thousands. Rows are not filtered, and deflate looks
    only for runs (Z_RLE): the text's edges are short runs on one colour;
    that is a fifth faster than looking for repeated strings, for the same
    size.
    """
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 4, 3, 0, 0, 0)
    with open(target, "wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n")
        for kind, data in (
            (b"IHDR", header),
            (b"PLTE", palette),
            (b"IDAT", _zlib_rows(mask, inked)),
            (b"IEND", b""),
        ):
            file.write(struct.pack(">I", len(data)) + kind + data)
            file.write(struct.pack(">I", zlib.crc32(kind + data)))


#: A zlib stream's first two bytes (RFC 1950): deflate with a 32 KB
#: window, compressed for speed.
_ZLIB_HEADER = b"\x78\x01"
#: Adler-32's modulus (RFC 1950).
_ADLER = 65521
#: Blank rows fewer than this between two drawn on are compressed with them.
_LEAST_BLANK = 40


def _zlib_rows(mask, inked):
    """Return the zlib stream of `mask`'s rows as 4-bit pixels, each with filter type 0.

    Most of a card is background (nearly 60 % of its rows are nothing
    else), and compressing those zeros took most of the time: each run of
    rows outside `inked` ((top, bottom) of the rows that may be drawn on)
    is compressed once per length (`_blank_rows`) and put between the
    others, each part ending on a byte with nothing to refer back to (a
    full flush), as deflate allows. The checksum (Adler-32) of zeros is
    worked out, not counted: `a` stays, `b` grows by `a` a byte.
    """
    width = mask.width + 2  # two pixels of 0 before each row: its filter type
    row = (width + 1) // 2
    bands = []
    for drawn in sorted(inked):
        top, bottom = max(drawn[0], 0), min(drawn[1], mask.height)
        if bands and top - bands[-1][1] < _LEAST_BLANK:
            bands[-1][1] = max(bands[-1][1], bottom)
        elif bottom > top:
            bands.append([top, bottom])
    deflate = _deflate()
    parts, a, b, y = [_ZLIB_HEADER], 1, 0, 0
    for top, bottom in [*bands, (mask.height, mask.height)]:
        if top > y:
            parts.append(_blank_rows((top - y) * row))
            b = (b + (top - y) * row * a) % _ADLER
        if bottom > top:
            band = Image.new("L", (width, bottom - top), 0)
            band.paste(mask.crop((0, top, mask.width, bottom)), (2, 0))
            data = band.tobytes("raw", "L;4")
            parts += (deflate.compress(data), deflate.flush(zlib.Z_FULL_FLUSH))
            checksum = zlib.adler32(data, b << 16 | a)
            a, b = checksum & 0xFFFF, checksum >> 16
        y = bottom  # the bands are in order and apart
    parts += (deflate.flush(), struct.pack(">I", b << 16 | a))
    return b"".join(parts)


@functools.cache
def _blank_rows(size):
    """Return `size` zero bytes deflated and flushed (as `_zlib_rows` deflates)."""
    deflate = _deflate()
    return deflate.compress(bytes(size)) + deflate.flush(zlib.Z_FULL_FLUSH)


def _deflate():
    """Return a raw deflate stream for `_ZLIB_HEADER`: fast, runs only (Z_RLE)."""
    return zlib.compressobj(1, zlib.DEFLATED, -15, 8, zlib.Z_RLE)


def _write(mask, inked, font, lines, y):
    """Draw `lines` from `y` down (top of the first line); return the bottom.

    The rows drawn on are added to `inked`.
    """
    step = round(font.size * LEADING)
    baseline = y + font.getmetrics()[0]
    for n, line in enumerate(lines):
        coverage, left, top = _line(font, line)
        if coverage:
            x = MARGIN - _extent(font, line)[0] + left
            row = baseline + n * step + top
            ImageDraw.Draw(mask).bitmap((x, row), coverage, LEVELS)
            inked.append((row, row + coverage.height))
    return y + _height(font, lines)


@functools.lru_cache(maxsize=64)
def _line(font, line):
    """Return (coverage 0–255 or None, left, top) of `line`, set from its glyphs.

    (left, top): where the coverage begins, from the pen on the baseline.
    Kept for a while: the series' name, "Part 3" and the footer recur from
    card to card.
    """
    placed, x = [], 0
    for char in line:
        glyph, left, top, _right, advance = _glyph(font, char)
        if glyph:
            placed.append((glyph, x + left, top))
        x += advance
    if not placed:
        return None, 0, 0
    left = min(gx for _g, gx, _gy in placed)
    top = min(gy for _g, _gx, gy in placed)
    right = max(gx + g.width for g, gx, _gy in placed)
    bottom = max(gy + g.height for g, _gx, gy in placed)
    coverage = Image.new("L", (right - left, bottom - top), 0)
    pen = ImageDraw.Draw(coverage)
    for glyph, gx, gy in placed:
        pen.bitmap((gx - left, gy - top), glyph, 255)  # as Pillow draws text
    return coverage, left, top


@pass_context
def share_image(context, item):
    """Return the share image of an article or series: url, width, height, alt."""
    found = context.get(SHARE_IMAGES, {}).get(getattr(item, "source_path", None))
    if found is None:
        return None
    return {
        "url": f"{context.get('SITEURL', '')}/{found.url}",
        "width": found.width,
        "height": found.height,
        "alt": found.alt,
    }


def add_filter(generator):
    generator.env.filters.setdefault("share_image", share_image)


def register():
    signals.generator_init.connect(add_filter)
    signals.static_generator_finalized.connect(add_share_images)
