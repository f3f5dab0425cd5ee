"""Files a build makes from the content: smaller copies of images, share images, SVGs.

Each file is made once into the cache folder (`CACHE_PATH/fortsetzung/`),
under a name taken from everything it is made from (its key), and handed to
Pelican as a static file (`publish`), or in place of the content file it is
made from (`Replacement`: an SVG as svg.py cleaned it): Pelican copies it
into the output as it copies images, and the preview serves it. So an
unchanged input is not made
again, and nothing half-made is ever copied (a file is made under a
temporary name and renamed when it is complete).
"""

import hashlib
import os
import secrets

from pelican.contents import Static

#: Part of every key: raise it when files made from the same input change.
VERSION = 1


class Derived(Static):
    """A static file the build made from vetted content (vet_content.py lets it be).

    Its addresses are given when it is made: nothing to work out from the
    URL settings each time they are asked for (thousands of times a build).
    """

    url = property(lambda self: self.metadata["url"])
    save_as = property(lambda self: self.metadata["save_as"])


def cached(settings, key, suffix, make, source=None):
    """Return the cache file for `key`, made by `make(path)` unless it exists.

    A file made from the content file `source` is never older than it: the
    preview copies a static file only when it is newer than the copy in the
    output (STATIC_CHECK_IF_MODIFIED), and a file changed back to what it
    was before finds its old cache file.
    """
    path = cache_path(settings, key, suffix)
    if not os.path.exists(path):
        make_whole(path, make)
    elif source is not None and os.path.getmtime(path) < os.path.getmtime(source):
        os.utime(path)
    return path


def cache_path(settings, key, suffix):
    """Return the path of the cache file for `key` (it may not exist yet)."""
    return os.path.join(cache_folder(settings), digest(key)[:32] + suffix)


def cache_folder(settings):
    """Return the plugin's cache folder."""
    # absolute: Pelican copies a static file from its source_path joined to
    # PATH, and CACHE_PATH may be relative (to the working folder; the default)
    return os.path.join(os.path.abspath(settings["CACHE_PATH"]), "fortsetzung")


def digest(key):
    """Return the hexadecimal digest of `key`, a value whose `repr` says it all."""
    return hashlib.sha256(repr((VERSION, key)).encode("utf-8")).hexdigest()


def make_whole(path, make):
    """Have `make` write `path` under a temporary name; rename it when complete.

    `make` creates the file itself: on ext4, opening an empty file made
    beforehand (mkstemp) truncates it, and a file truncated is written out
    to the disk when it is closed (`auto_da_alloc`), which made each cache
    file cost up to half a millisecond more.
    """
    folder, suffix = os.path.dirname(path), os.path.splitext(path)[1]
    os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(folder, f".{secrets.token_hex(8)}{suffix}")
    try:
        make(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


class Replacement(Derived):
    """A file the build made to be published in place of a content file.

    It keeps the content file's addresses, also when a link moves the file
    (`{attach}`); the content file stays in `static_content` for links.
    """

    url = property(lambda self: self.original.url)
    save_as = property(lambda self: self.original.save_as)
    #: Refused with the content file (output_plan.py refuses by its name).
    refused = property(lambda self: getattr(self.original, "refused", False))

    def __init__(self, original, source):
        self.original = original
        super().__init__(
            content=None,
            settings=original.settings,
            source_path=source,
            context=original._context,
        )


def publish(generator, source, save_as):
    """Have Pelican copy `source` to `save_as` in the output; return its URL.

    `generator` is Pelican's StaticGenerator (signal `static_generator_finalized`).
    """
    static = Derived(
        content=None,
        metadata={"save_as": save_as, "url": save_as},
        settings=generator.settings,
        source_path=source,
        context=generator.context,
    )
    generator.staticfiles.append(static)  # the context holds the same list
    return static.url
