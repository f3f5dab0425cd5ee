"""Speed patches of Pelican's own work, for the builds runner.py runs.

Not features of the plugin: a plain `pelican` run writes the same pages, as
slowly as Pelican does. runner.py applies each to every build it runs.

- Tag, category and author pages in linear time (`quick_membership`): for
  every tag (category, author) Pelican picks the entries in date order with
  `[a for a in dates if a in articles]`; with a list, `in` looks at the
  entries one by one, so each tag costs (entries x its entries) steps. With
  8,000 entries and 40 tags that is about two seconds of every build, and
  of every rebuild in the live preview. Once the articles are read, their
  lists per tag, category and author become `Members`, which answer `in`
  at once.
- Source paths worked out once per content object (`remembered_source_paths`):
  Pelican computes an entry's path relative to content/ (two absolute
  paths and a relative one) for every URL it formats (`url_format`) and
  for every `{filename}`/`{static}` link it replaces, about 20,000 times a
  build at 2,000 entries: a tenth of a preview rebuild.
- A text's links to files found once (`remembered_static_links`): Pelican
  searches every entry's HTML for `{static}` and `{attach}` links in every
  build; the preview's next build asks again for the same texts.
- Dates formatted once (`quick_date_formats`): Pelican formats an
  entry's date anew (with its own, slow `strftime`) each time it works out
  the entry's URL or file name, five times per entry and build.
- Templates compiled once (`quick_templates`): Pelican makes the templates'
  environment anew for every build, which compiles every template again
  (a third of a second for this theme) and then looks at a template's file
  at every `{% include %}` (50,000 times a build at 2,000 entries), though
  no template changes during a build.
"""

import contextlib
import locale
import os
from collections import defaultdict

import jinja2
import pelican.utils
from pelican.contents import Content


class Members(list):
    """A list of content objects whose `in` takes constant time.

    Content objects are equal only to themselves, so `in` asks for the
    object; items of a type with an `__eq__` of its own are looked up as a
    list would. The lookup is made anew whenever the length changes.
    """

    __slots__ = ("_ids",)

    def __contains__(self, item):
        if type(item).__eq__ is not object.__eq__:
            return super().__contains__(item)
        length, ids = getattr(self, "_ids", (None, None))
        if length != len(self):
            length, ids = self._ids = (len(self), {id(member) for member in self})
        return id(item) in ids


def quick_membership(generator):
    """article_generator_finalized: make the lists per tag, category, author `Members`."""
    tags = defaultdict(list)
    tags.update((tag, Members(articles)) for tag, articles in generator.tags.items())
    generator.tags = tags
    generator.categories = [(c, Members(a)) for c, a in generator.categories]
    generator.authors = [(a, Members(articles)) for a, articles in generator.authors]
    generator.context["tags"] = list(tags.items())
    generator.context["categories"] = generator.categories
    generator.context["authors"] = generator.authors


def remembered_source_paths():
    """Within the block, each content object works out each source path once.

    The result depends on the content folder (PATH) and the path asked for
    alone, neither of which changes while the object lives. Kept in the
    object itself (a closure would tie it into a reference cycle, which
    only the garbage collector frees).
    """
    work_out = Content.get_relative_source_path

    def get_relative_source_path(self, source_path=None):
        known = self.__dict__.get(_SOURCE_PATHS)
        if known is None:
            known = self.__dict__[_SOURCE_PATHS] = {}
        try:
            return known[source_path]
        except KeyError:
            found = known[source_path] = work_out(self, source_path)
            return found

    return _replaced(Content, "get_relative_source_path", get_relative_source_path)


#: The attribute of a content object with its source paths.
_SOURCE_PATHS = "_fortsetzung_source_paths"


def remembered_static_links():
    """Within the block, the links of a text to files are found once.

    They depend on the HTML, the folder of the text's file, the content
    folder and Pelican's pattern of such links alone; kept for this build
    and the next (the preview).
    """
    work_out = Content.get_static_links
    earlier = _STATIC_LINKS[1]
    kept = {}
    _STATIC_LINKS[:] = [earlier, kept]

    def get_static_links(self):
        key = (
            self._content,
            self.relative_dir,
            self.settings["PATH"],
            self.settings["INTRASITE_LINK_REGEX"],
        )
        found = kept.get(key)
        if found is None:
            found = earlier.get(key)
            if found is None:
                found = frozenset(work_out(self))
            kept[key] = found
        return set(found)

    return _replaced(Content, "get_static_links", get_static_links)


#: The links to files found by the build before and by this one.
_STATIC_LINKS = [{}, {}]


#: Dates formatted, by locale: kept from one build to the next (the preview).
_FORMATTED = {}


def quick_date_formats():
    """Within the block, Pelican formats each date once for each format.

    Kept by locale (month and day names depend on it, and a build sets it
    before it formats a date), for the next builds too. A date is known by
    its wall time, offset and zone name, not as equal to another moment in
    another zone.
    """
    work_out = pelican.utils.strftime
    if sum(map(len, _FORMATTED.values())) > 100_000:  # many builds' worth
        _FORMATTED.clear()

    def strftime(date, date_format):
        known = _FORMATTED.setdefault(locale.setlocale(locale.LC_TIME), {})
        key = (date.isoformat(), date.tzname(), date_format)
        try:
            return known[key]
        except KeyError:
            found = known[key] = work_out(date, date_format)
            return found

    return _replaced(pelican.utils, "strftime", strftime)


@contextlib.contextmanager
def _replaced(owner, name, replacement):
    """Within the block, `owner.name` is `replacement`; then what it was."""
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


def quick_templates(settings):
    """Let the builds with `settings` compile each template once.

    Compiled templates are kept in this process and in the cache folder
    (`CACHE_PATH/templates`), for the next build and the next process; Jinja
    compares a kept template's source with the file's. A bytecode cache the
    site chose itself (JINJA_ENVIRONMENT) is kept.
    """
    environment = settings.setdefault("JINJA_ENVIRONMENT", {})
    if "bytecode_cache" not in environment:
        folder = os.path.join(os.path.abspath(settings["CACHE_PATH"]), "templates")
        if folder not in _CACHES:
            os.makedirs(folder, exist_ok=True)
            _CACHES[folder] = CompiledTemplates(folder)
        environment["bytecode_cache"] = _CACHES[folder]
    environment["auto_reload"] = False


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates in a folder, and those of this process in memory."""

    def load_bytecode(self, bucket):
        code = _COMPILED.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # nothing if the source changed
        if bucket.code is None:
            super().load_bytecode(bucket)
            if bucket.code is not None:
                _COMPILED[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket):
        _COMPILED[bucket.key] = bucket.bytecode_to_string()
        super().dump_bytecode(bucket)


#: Bytecode caches by folder: one object, so the settings stay equal.
_CACHES = {}
#: Compiled templates of this process, by Jinja's key (name and file).
_COMPILED = {}
