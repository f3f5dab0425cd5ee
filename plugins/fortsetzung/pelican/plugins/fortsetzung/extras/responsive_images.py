"""Width and height for images, so that pages do not jump while they load.

Reads the size of raster pictures (PNG, JPEG, GIF, WebP, AVIF) from their
headers with Pillow, as browsers show them (a photo stored on its side
upright; pictures.py), and of SVG files from their root element as svg.py
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

Enable it with `PLUGINS = ["fortsetzung", "pelican.plugins.fortsetzung.extras.responsive_images"]`.
"""

import functools
import html
import logging
import os
import posixpath
import re
from urllib.parse import quote

from jinja2 import pass_context
from pelican import signals
from PIL import Image

from .. import derived
from ..i18n import _
from ..problems import Problem, display_path
from ..safety import pictures, svg
from ..safety.limits import Limits
from ..safety.pictures import UNREADABLE, open_upright
from ..safety.source import PLACEHOLDER, confined
from ..safety.vet_content import content_path, problems_of

logger = logging.getLogger(__name__)

_HEAD = 64 * 1024  # an SVG's root element is in here
_IMG = re.compile(r"<img\b(?P<attrs>[^>]*?)(?P<end>\s*/?>)", re.IGNORECASE | re.DOTALL)
_ATTR = re.compile(
    r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?"""
)
_SVG_ROOT = re.compile(r"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$")


def image_size(path, seconds=None):
    """Return (width, height) of an image file in pixels as browsers show it, or None.

    A raster picture is read by pictures.py (within `seconds`); it has no
    size when it is refused there (the checks of static files report it).
    An SVG has the size of its drawing as it is published.
    """
    if str(path).lower().endswith(".svg"):
        return _drawing_size(path)
    try:
        return pictures.size(path, seconds)
    except (OSError, pictures.Refused):
        return None


def _drawing_size(path):
    try:
        status = os.stat(path)
    except OSError:
        return None
    # many entries show the same drawing: it is cleaned once
    return _cleaned_size(path, status.st_mtime_ns, status.st_size, status.st_ino)


@functools.lru_cache(maxsize=1024)
def _cleaned_size(path, _mtime, _bytes, _inode):
    try:
        with open(path, "rb") as f:
            published = svg.clean(f.read()).data
        return published and _svg(published[:_HEAD])
    except (OSError, ValueError):
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


def add_dimensions(content, locate, seconds=None):
    """Add width, height, loading and decoding to each `<img>` in `content`.

    `locate(src)` returns the image file's path, or None when it is not known
    (an image on another host, a typo); such an image gets only `loading`
    and `decoding`. Attributes already there are never changed. `seconds`:
    the time limit of reading one picture's header.
    """

    def fill(match):
        attrs = _attributes(match["attrs"])
        extra = []
        if "width" not in attrs and "height" not in attrs:
            path = locate(attrs.get("src", ""))
            size = image_size(path, seconds) if path else None
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
    instance._content = add_dimensions(content, locate, Limits.of(settings).seconds)


def size_filter(settings):
    """Return the `image_size` Jinja filter for one build (sizes are read once)."""
    roots = [
        (
            settings.get("THEME_STATIC_DIR", "theme") + "/",
            os.path.join(settings["THEME"], "static"),
        ),
        ("", settings["PATH"]),
    ]
    seconds = Limits.of(settings).seconds

    @functools.cache
    def size(path):
        path = PLACEHOLDER.sub("", str(path or "")).lstrip("/")
        if not path or "://" in path:
            return None
        for prefix, root in roots:
            file = path.startswith(prefix) and confined(
                os.path.join(root, path[len(prefix) :]), root
            )
            found = image_size(file, seconds) if file else None
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
#: The context's key: image value -> [(URL, width), …], the widest last.
SRCSETS = "image_srcsets"


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


def raster_image(generator, value):
    """Return (path, static file, (width, height), stamp) of a raster `Image:`.

    None unless `value` names a raster picture in the content folder that
    the build publishes and that browsers can show (the checks of static
    files report one they cannot, pictures.py); `stamp` changes when the
    file does.
    """
    settings = generator.settings
    path = confined(content_path(settings, value), settings["PATH"])
    static = path and generator.context["static_content"].get(
        os.path.relpath(path, settings["PATH"])
    )
    if not static or path.lower().endswith(".svg"):
        return None  # Pillow reads no SVG
    try:
        size = pictures.size(path, Limits.of(settings).seconds)
    except (OSError, pictures.Refused):
        size = None  # the checks of the static file say why
    if not size:
        return None
    stat = os.stat(path)
    return path, static, size, (path, stat.st_size, stat.st_mtime_ns)


def _copies(generator, owner, value, taken):
    """Return [(URL, width), …] of `value`'s copies and the image itself, or [].

    `taken` holds the output paths of the static files; a copy's is added.
    """
    suffix = os.path.splitext(value)[1].lower()
    found = suffix in FORMATS and raster_image(generator, value)
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
            report_incomplete(owner)
            return []
        copies.append((derived.publish(generator, copy, save_as), width))
    return [*copies, (original.url, size[0])]


#: How each format is saved.
_SAVE = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80},
}


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


def report_incomplete(owner):
    """Say on `owner` that its `Image:` could not be decoded, though its header could.

    The share images (sharecards.py) say the same of the same image in the
    same words: one error, whichever of the plugins finds it first.
    """
    problems_of(owner).append(
        Problem(
            display_path(owner),
            "Image",
            _(
                "The picture is not complete: it is cut off or damaged, and "
                "browsers show only part of it."
            ),
            _(pictures.SAID["broken"][1]),
        )
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
