"""Files a build makes from the content: smaller copies of images, share images.

Each file is made once into the cache folder (`CACHE_PATH/fortsetzung/`),
under a name taken from everything it is made from (its key), and handed to
Pelican as a static file (`publish`): Pelican copies it into the output as it
copies images, and the preview serves it. So an unchanged input is not made
again, and nothing half-made is ever copied (a file is made under a
temporary name and renamed when it is complete).
"""

import hashlib
import os
import tempfile

from pelican.contents import Static

#: Part of every key: raise it when files made from the same input change.
VERSION = 1


class Derived(Static):
    """A static file the build made from vetted content (vetting.py lets it be).

    Its addresses are given when it is made: nothing to work out from the
    URL settings each time they are asked for (thousands of times a build).
    """

    url = property(lambda self: self.metadata["url"])
    save_as = property(lambda self: self.metadata["save_as"])


def cached(settings, key, suffix, make):
    """Return the cache file for `key`, made by `make(path)` unless it exists."""
    path = cache_path(settings, key, suffix)
    if not os.path.exists(path):
        make_whole(path, make)
    return path


def cache_path(settings, key, suffix):
    """Return the path of the cache file for `key` (it may not exist yet)."""
    # absolute: Pelican copies a static file from its source_path joined to
    # PATH, and CACHE_PATH may be relative (to the working folder; the default)
    folder = os.path.join(os.path.abspath(settings["CACHE_PATH"]), "fortsetzung")
    digest = hashlib.sha256(repr((VERSION, key)).encode("utf-8")).hexdigest()
    return os.path.join(folder, digest[:32] + suffix)


def make_whole(path, make):
    """Have `make` write `path` under a temporary name; rename it when complete."""
    folder, suffix = os.path.dirname(path), os.path.splitext(path)[1]
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=suffix)
    os.close(handle)
    try:
        make(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


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
