"""Raster pictures as Pillow reads them: their size as browsers show it, upright.

The one place where the plugin reads PNG, JPEG, GIF, WebP, AVIF and ICO
files: the checks of static files (vet_content.py), the sizes of `<img>` and
`Image:` (responsive_images.py), the smaller copies, the share images and the posters.
SVG drawings are no raster pictures: svg.py reads them.

- A size is read lazily: Pillow parses the header and decodes no pixel
  (about a tenth of a millisecond for a JPEG photo; a WebP takes longer,
  as Pillow hands the whole file to libwebp), within the time limit of reading
  (FORTSETZUNG_READ_TIMEOUT, limits.py), once per file version (cached by
  path, modification time, size and inode).
- Only the formats browsers show are tried (`WEB_FORMATS`, an allow-list):
  a file that Pillow cannot read as one of them (cut off, damaged, a TIFF or
  a Photoshop file renamed to .jpg) is `Refused` as "broken", for the
  checks to report with a fix.
- A picture of more than `MAX_PIXELS` pixels is refused as "too_large":
  every reader's browser decodes all of it (four bytes a pixel), and a
  small file can claim a huge size (a decompression bomb). Pillow's own
  guard, `Image.MAX_IMAGE_PIXELS`, is process-wide and shared with other
  plugins, so it is left as it is: its warning is not needed here (the size
  is compared with `MAX_PIXELS`, which is lower than Pillow's default), and
  a header over twice its value, which Pillow refuses to open, is taken as
  too large.
- The size is the one browsers show: a photo stored on its side (EXIF
  orientation 5 to 8) has width and height swapped, as `open_upright` turns
  the picture for the copies.
"""

import functools
import os
import warnings

from PIL import ExifTags, Image, ImageOps

from ..i18n import N_, _
from .limits import OverLimit, limited

#: Larger pictures are refused: decoding one takes more memory than a phone
#: (or a build) should give (a phone camera makes 12 to 50 million pixels).
MAX_PIXELS = 60_000_000
#: The formats browsers show, as Pillow names them (MPO: a camera's JPEG
#: with a second picture, which browsers show as a JPEG).
WEB_FORMATS = ("JPEG", "MPO", "PNG", "GIF", "WEBP", "AVIF", "ICO")
#: File name extensions of raster pictures: these are read with Pillow.
EXTENSIONS = frozenset({"avif", "gif", "ico", "jpeg", "jpg", "png", "webp"})
#: What Pillow raises for a file it cannot read or decode (see `open_upright`).
UNREADABLE = (
    OSError,
    ValueError,
    SyntaxError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)
#: Formats a Pillow may be built without, by the extension of their files:
#: such a file is not judged where Pillow cannot read it.
_OPTIONAL = {"avif": "AVIF"}
#: EXIF orientations that ImageOps.exif_transpose turns by 90 degrees.
_TURNED = frozenset({5, 6, 7, 8})

#: Why a picture is refused, and what to do (translated when shown).
SAID = {
    "broken": (
        N_(
            "The file is not a complete picture: it is damaged, cut off or of "
            "another type than its name says, and browsers cannot show it."
        ),
        N_("Open it in an image program and export it again as JPEG or PNG."),
    ),
    "too_large": (
        N_(
            "The picture has more than {n} million pixels: to show it, a browser "
            "needs more memory than many phones have."
        ),
        N_("Save it smaller, e.g. 2000 pixels wide, as JPEG."),
    ),
}


class Refused(Exception):
    """A file browsers cannot show as a picture: `kind` is a key of `SAID`.

    Holds only the kind; the message is made when it is shown, in the
    language of that build.
    """

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind

    @property
    def message(self):
        return _(SAID[self.kind][0], n=MAX_PIXELS // 10**6)

    @property
    def fix(self):
        return _(SAID[self.kind][1])


_read = {}  # (path, mtime, size, inode) -> (width, height), or a kind of `Refused`
_KEPT = 8192  # entries of `_read` at most


def size(path, seconds=None):
    """Return (width, height) of the raster picture at `path`, as browsers show it.

    Raises `Refused` if it is no complete picture of a format browsers show
    (or reading its header takes longer than `seconds`), or one over
    `MAX_PIXELS`; `OSError` if there is no such file. None if this Pillow
    cannot read pictures of its kind (AVIF needs Pillow 11.2 with libavif).
    """
    kind = os.path.splitext(path)[1].lower().lstrip(".")
    if _OPTIONAL.get(kind, "JPEG") not in _web_formats():
        return None
    status = os.stat(path)
    key = (os.fspath(path), status.st_mtime_ns, status.st_size, status.st_ino)
    found = _read.get(key)
    if found is None:
        if len(_read) >= _KEPT:
            _read.clear()
        found = _read[key] = _header(path, seconds)
    if isinstance(found, str):
        raise Refused(found)
    return found


def _header(path, seconds):
    try:
        width, height = limited(seconds, _upright_size, path, kind="checking")
    except Image.DecompressionBombError:  # over twice Image.MAX_IMAGE_PIXELS
        return "too_large"
    except (*UNREADABLE, OverLimit):
        return "broken"
    return "too_large" if width * height > MAX_PIXELS else (width, height)


def _upright_size(path):
    with warnings.catch_warnings():
        # DecompressionBombWarning: MAX_PIXELS decides; "Corrupt EXIF data":
        # browsers show the picture as stored; a file Pillow cannot read raises
        warnings.simplefilter("ignore")
        with Image.open(path, formats=_web_formats()) as opened:
            width, height = opened.size
            turned = _orientation(opened) in _TURNED
    return (height, width) if turned else (width, height)


def _orientation(opened):
    """Return the EXIF orientation of a picture opened lazily (1: upright).

    Image.getexif reads what the header held; PNG's own getexif would decode
    every pixel to look for EXIF after them, which browsers ignore.
    """
    try:
        return Image.Image.getexif(opened).get(ExifTags.Base.Orientation, 1)
    except UNREADABLE:  # a damaged EXIF block: browsers show the picture as stored
        return 1


@functools.cache
def _web_formats():
    """`WEB_FORMATS` that this Pillow reads (AVIF needs a Pillow built with libavif)."""
    Image.init()
    return tuple(f for f in WEB_FORMATS if f in Image.OPEN)


def open_upright(source):
    """Return the format and the picture of an image file, upright as browsers show it.

    Decodes the picture. Raises one of `UNREADABLE` for a damaged file or
    one too large to decode.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(source) as opened:
            return opened.format, ImageOps.exif_transpose(opened)
