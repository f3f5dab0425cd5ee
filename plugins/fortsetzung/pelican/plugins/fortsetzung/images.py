"""Width and height for images, so that pages do not jump while they load.

Reads the size of PNG, JPEG, GIF and WebP files from their first bytes (no
imaging library needed), and of SVG files from their root element as svg.py
publishes them, and

- adds `width`, `height`, `loading="lazy"` and `decoding="async"` to every
  `<img>` of an entry, page or series introduction whose file is in the
  content folder (`{static}/images/x.png`, `{attach}x.png`, `/images/x.png`);
  attributes an author wrote are kept;
- gives templates the filter `image_size`: `{% set size = path|image_size %}`
  is `{"width": …, "height": …}` or `None`, for a path under the content
  folder or under the theme's `static` folder (`theme/images/logo.svg`);
- makes smaller copies of each JPEG, PNG and WebP image that a series or an
  entry names in `Image:` (Pillow; cached, see derived.py), so a phone loads
  no more than it shows: `{{ path|srcset }}` is the `srcset` value for the
  image, or "" when there is none (an SVG, a small image).

Enable it with `PLUGINS = ["fortsetzung", "pelican.plugins.fortsetzung.images"]`.
"""

import functools
import html
import logging
import os
import posixpath
import re
import struct
import warnings
from urllib.parse import quote

from jinja2 import pass_context
from pelican import signals
from PIL import Image, ImageOps

from . import derived, svg
from .i18n import _
from .model import Problem, display_path
from .source import PLACEHOLDER, confined
from .vetting import content_path, problems_of

logger = logging.getLogger(__name__)

_HEAD = 64 * 1024  # an SVG's root element, a JPEG's frame header are in here
_IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)(?P<end>\s*/?>)", re.IGNORECASE | re.DOTALL)
_ATTR = re.compile(
    r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?"""
)
_SVG_ROOT = re.compile(r"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$")


def image_size(path):
    """Return (width, height) of an image file in pixels, or None."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    # many entries show the same image: its size is read once
    return _size(path, status.st_mtime_ns, status.st_size, status.st_ino)


@functools.lru_cache(maxsize=4096)
def _size(path, _mtime, _bytes, _inode):
    try:
        with open(path, "rb") as f:
            head = f.read(_HEAD)
    except OSError:
        return None
    for reader in (_png, _gif, _webp, _jpeg):
        try:
            size = reader(head)
        except (struct.error, ValueError, IndexError):
            size = None
        if size:
            return size
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return None
    try:  # an SVG: its size as it is published
        with open(path, "rb") as f:
            published = svg.clean(f.read()).data
        return published and _svg(published[:_HEAD])
    except (OSError, ValueError):
        return None


def _png(head):
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    return None


def _gif(head):
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", head[6:10])
    return None


def _webp(head):
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    chunk = head[12:16]
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return width, height
    return None


# Start-of-frame markers; 0xC4 (DHT), 0xC8 (JPG) and 0xCC (DAC) are not frames.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(head):
    if not head.startswith(b"\xff\xd8"):
        return None
    i = 2
    while i + 9 < len(head):
        if head[i] != 0xFF:
            return None
        marker = head[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        length = struct.unpack(">H", head[i + 2 : i + 4])[0]
        if marker in _SOF:
            height, width = struct.unpack(">HH", head[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def _svg(head):
    text = head.decode("utf-8", errors="replace")
    root = _SVG_ROOT.search(text)
    if not root:
        return None
    attrs = _attributes(root.group(0)[4:-1])
    width, height = (_pixels(attrs.get(name)) for name in ("width", "height"))
    if width and height:
        return width, height
    box = attrs.get("viewbox", "").replace(",", " ").split()
    if len(box) == 4:  # min-x, min-y, width, height
        box_width, box_height = float(box[2]), float(box[3])
        if box_width > 0 and box_height > 0:
            if width:  # keep the aspect ratio of the viewBox
                return width, round(width * box_height / box_width)
            if height:
                return round(height * box_width / box_height), height
            return round(box_width), round(box_height)
    return None


def _pixels(value):
    """Return a length in CSS pixels ("120", "120px"); None for %, em, cm …."""
    match = _LENGTH.match(value or "")
    if not match:
        return None
    return round(float(match.group(1))) or None


def _attributes(text):
    attrs = {}
    for match in _ATTR.finditer(text):
        value = match["dq"] if match["dq"] is not None else match["sq"]
        if value is None:
            value = match["bare"] or ""
        attrs.setdefault(match["name"].lower(), html.unescape(value))
    return attrs


def add_dimensions(content, locate):
    """Add width, height, loading and decoding to each `<img>` in `content`.

    `locate(src)` returns the image file's path, or None when it is not known
    (an image on another host, a typo); such an image gets only `loading`
    and `decoding`. Attributes already there are never changed.
    """

    def fill(match):
        attrs = _attributes(match["attrs"])
        extra = []
        if "width" not in attrs and "height" not in attrs:
            path = locate(attrs.get("src", ""))
            size = image_size(path) if path else None
            if size:
                extra += [f'width="{size[0]}"', f'height="{size[1]}"']
        if "loading" not in attrs:
            extra.append('loading="lazy"')
        if "decoding" not in attrs:
            extra.append('decoding="async"')
        if not extra:
            return match.group(0)
        return f"<img{match['attrs']} {' '.join(extra)}{match['end']}"

    return _IMG.sub(fill, content)


def content_locator(content_root, source_path):
    """Return a `locate` for an entry: content links to files under `content_root`."""
    root = os.path.realpath(content_root)
    source_dir = os.path.dirname(os.path.realpath(source_path)) if source_path else root

    def locate(src):
        if not src or "://" in src or src.startswith(("data:", "//")):
            return None
        src = html.unescape(src).split("?", 1)[0].split("#", 1)[0]
        placeholder = PLACEHOLDER.match(src)
        rest = src[placeholder.end() :] if placeholder else src
        if rest.startswith("/"):
            candidates = [os.path.join(root, rest.lstrip("/"))]
        else:
            candidates = [os.path.join(source_dir, rest), os.path.join(root, rest)]
        return next(filter(None, (confined(path, root) for path in candidates)), None)

    return locate


def add_image_dimensions(instance):
    """content_object_init: size the images of an entry, page or series text."""
    content = getattr(instance, "_content", None)
    if not content or "<img" not in content.lower():
        return
    settings = instance.settings
    locate = content_locator(settings["PATH"], getattr(instance, "source_path", None))
    instance._content = add_dimensions(content, locate)


def size_filter(settings):
    """Return the `image_size` Jinja filter for one build (sizes are read once)."""
    roots = [
        (
            settings.get("THEME_STATIC_DIR", "theme") + "/",
            os.path.join(settings["THEME"], "static"),
        ),
        ("", settings["PATH"]),
    ]

    @functools.cache
    def size(path):
        path = PLACEHOLDER.sub("", str(path or "")).lstrip("/")
        if not path or "://" in path:
            return None
        for prefix, root in roots:
            file = path.startswith(prefix) and confined(
                os.path.join(root, path[len(prefix) :]), root
            )
            found = image_size(file) if file else None
            if found:
                return {"width": found[0], "height": found[1]}
        return None

    return size


# -- smaller copies ------------------------------------------------------------

#: Widths in pixels of the smaller copies: a series card shows its image 80
#: or 144 CSS pixels wide, a page at most 640 (times the screen's density).
WIDTHS = (160, 320, 640, 960, 1280)
#: Pillow's format for each kind of file that gets copies (a GIF may move).
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
#: Larger images are not opened: decoding one takes more memory than a build
#: should (a photo from a phone camera has 12 to 50 million pixels).
MAX_PIXELS = 60_000_000
#: The context's key: image value -> [(URL, width), …], the widest last.
SRCSETS = "image_srcsets"
#: What Pillow raises for a file it cannot read (see `open_upright`).
UNREADABLE = (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning)


def add_smaller_copies(generator):
    """static_generator_finalized: make the copies of every `Image:`, once each."""
    context = generator.context
    owners = [
        *(s.description for s in context.get("series_list", [])),
        *(s.description for s in context.get("draft_series", [])),
    ]
    for key in ("articles", "drafts", "hidden_articles", "pages", "draft_pages"):
        for content in context.get(key, []):
            owners += [content, *content.translations]
    srcsets = context.setdefault(SRCSETS, {})
    taken = {s.save_as for s in generator.staticfiles}  # the copies' names too
    for owner in owners:
        value = getattr(owner, "image", None)
        if value and str(value) not in srcsets:
            srcsets[str(value)] = _copies(generator, owner, str(value), taken)


def raster_image(generator, owner, value):
    """Return (path, static file, (width, height), stamp) of a raster `Image:`.

    None unless `value` names a JPEG, PNG, GIF or WebP file in the content
    folder that the build publishes; `stamp` changes when the file does. An
    image too large to decode gets a warning on `owner`, and None.
    """
    settings = generator.settings
    path = confined(content_path(settings, value), settings["PATH"])
    static = path and generator.context["static_content"].get(
        os.path.relpath(path, settings["PATH"])
    )
    if not static or path.lower().endswith(".svg"):
        return None  # Pillow reads no SVG
    size = image_size(path)
    if not size:
        return None
    if size[0] * size[1] > MAX_PIXELS:
        warn_too_large(owner)
        return None
    stat = os.stat(path)
    return path, static, size, (path, stat.st_size, stat.st_mtime_ns)


def _copies(generator, owner, value, taken):
    """Return [(URL, width), …] of `value`'s copies and the image itself, or [].

    `taken` holds the output paths of the static files; a copy's is added.
    """
    suffix = os.path.splitext(value)[1].lower()
    found = suffix in FORMATS and raster_image(generator, owner, value)
    if not found or found[2][0] <= WIDTHS[0]:
        return []
    path, original, size, stamp = found
    stem = posixpath.splitext(original.save_as)[0]
    copies = []
    for width in (w for w in WIDTHS if w < size[0]):
        save_as = f"{stem}-{width}w{suffix}"
        if save_as in taken:  # a file of that name is in content/
            continue
        taken.add(save_as)
        key = ("smaller", *stamp, width)
        try:
            copy = derived.cached(
                generator.settings,
                key,
                suffix,
                lambda target, w=width: _shrink(path, target, w),
            )
        except UNREADABLE as error:
            logger.debug("%s: %s", path, error)
            warn_unreadable(owner)
            return []
        copies.append((derived.publish(generator, copy, save_as), width))
    return [*copies, (original.url, size[0])]


#: How each format is saved.
_SAVE = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80},
}


def open_upright(source):
    """Return the format and the picture of an image file, upright as browsers show it.

    Raises one of `UNREADABLE` for a damaged file or one too large to decode.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(source) as opened:
            return opened.format, ImageOps.exif_transpose(opened)


def _shrink(source, target, width):
    """Write `source` scaled to `width` pixels into `target`, in its own format."""
    kind, picture = open_upright(source)
    if picture.mode == "P":
        picture = picture.convert("RGBA")
    if kind == "JPEG" and picture.mode not in {"RGB", "L"}:
        picture = picture.convert("RGB")
    height = max(1, round(picture.height * width / picture.width))
    picture = picture.resize((width, height), Image.Resampling.LANCZOS)
    picture.save(target, format=kind, **_SAVE[kind])


def _warn(owner, message, fix):
    problems_of(owner).append(
        Problem(display_path(owner), "Image", message, fix, severity="warning")
    )


# the share images (sharecards.py) warn of the same image in the same words:
# one warning, whichever of the plugins finds it first


def warn_too_large(owner):
    _warn(
        owner,
        _(
            "The image has more than {n} million pixels: it is too large for "
            "smaller copies, and readers load all of it.",
            n=MAX_PIXELS // 10**6,
        ),
        _("Save it smaller, e.g. 2000 pixels wide, as JPEG."),
    )


def warn_unreadable(owner):
    _warn(
        owner,
        _("The image file cannot be read (it may be damaged or cut off)."),
        _("Open it in an image program and save it again as JPEG or PNG."),
    )


@pass_context
def srcset(context, value):
    """Return the `srcset` value of an `Image:` value, or ""."""
    site = context.get("SITEURL", "")
    copies = context.get(SRCSETS, {}).get(str(value or ""), [])
    # a space or comma in a file name would split the list
    return ", ".join(f"{site}/{quote(url, safe='/%')} {w}w" for url, w in copies)


def add_filter(generator):
    generator.env.filters.setdefault("image_size", size_filter(generator.settings))
    generator.env.filters.setdefault("srcset", srcset)


def register():
    signals.content_object_init.connect(add_image_dimensions)
    signals.generator_init.connect(add_filter)
    signals.static_generator_finalized.connect(add_smaller_copies)
