"""Reading content files: only from inside the content folder, only as UTF-8.

Every content file is untrusted input. Whatever reads one (Pelican's readers,
the checks, the authoring tools) goes through `read_source`, so that all of
them agree on what a file says:

- a file reached through a symbolic link that leads out of the content
  folder, or anything that is not a regular file (a device, a pipe), is
  refused: nothing from outside content/ may reach the site;
- the text must be UTF-8; a byte order mark is dropped; a file in another
  encoding (Windows-1252, Latin-1) is refused with the line of the first
  byte that is not UTF-8;
- control characters that Markdown does not know as line ends but other
  programs do (the vertical tab that Word writes for Shift+Enter, form feed,
  U+2028 …) become spaces, so that every line number stays the one an editor
  shows; other control characters and Unicode noncharacters (U+FFFE, U+FFFF),
  which make feeds invalid XML, are removed. Each kind is reported once per
  file as a warning;
- a German date in `Date` or `Modified` (05.11.2026) is handed to Pelican
  as year-month-day (dates.py), which Pelican would read month first;
- what reading may cost is limited (limits.py): a file larger than
  FORTSETZUNG_MAX_TEXT_FILE_SIZE is refused before it is read, and each
  conversion from Markdown may take FORTSETZUNG_READ_TIMEOUT seconds and
  make FORTSETZUNG_MAX_HTML_SIZE bytes of HTML.
"""

import contextlib
import functools
import hashlib
import importlib.util
import json
import logging
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown
from markdown import __version__ as markdown_version
from pelican.readers import MarkdownReader
from pelican.utils import posixize_path

from .. import derived
from ..dates import normal
from ..i18n import N_, _
from ..memo import Memo
from . import kept_conversions
from .frontmatter import MARKDOWN_FILES, read_by_this_grammar
from .limits import Limits, OverLimit, check_html, check_size, guard_html, limited

logger = logging.getLogger(__name__)

#: Characters that some programs take as line ends and Markdown does not.
_SOFT_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: Characters no text needs: C0 and C1 controls but tab and line ends, DEL,
#: a byte order mark inside the text, and the noncharacters. Those of the
#: planes above the first (each plane's last two) are matched as one range,
#: which a search runs through eight times faster than through the 32 of
#: them, and then picked out (`_invisible`).
_INVISIBLE = re.compile(
    f"[\x00-\x08\x0e-\x1b\x1f\x7f\x80-\x84\x86-\x9f\ufeff\ufdd0-\ufdef"
    f"\ufffe\uffff{_SOFT_BREAKS}\U0001fffe-\U0010ffff]"
)


def _invisible(char):
    """Whether `char`, matched by _INVISIBLE, is one (not a letter of a far plane)."""
    return char < "\U0001fffe" or ord(char) & 0xFFFE == 0xFFFE


#: Names of the characters an author may know (translated when shown).
_NAMES = {
    "\x0b": N_("a line break from Word (Shift+Enter)"),
    "\x0c": N_("a page break"),
    "\u2028": N_("a line break (U+2028)"),
    "\u2029": N_("a paragraph break (U+2029)"),
}


#: What a field's name begins with: a letter. Pelican makes every field an
#: attribute of its entry, and a name that begins otherwise can be one of
#: Python's or Pelican's own ("_content" would replace the entry's text,
#: "__class__" stop the build). Others are not passed on (headers.py
#: reports them).
FIELD_NAME = re.compile(r"[A-Za-z]")


def usable_fields(metadata):
    """Return `metadata` without the fields whose names `FIELD_NAME` refuses."""
    return {key: value for key, value in metadata.items() if FIELD_NAME.match(key)}


#: How content links to its files: {static}, {attach}, {filename} (or |…|).
PLACEHOLDER = re.compile(
    r"^(?:\{(?:static|attach|filename)\}|\|(?:static|attach|filename)\|)"
)


class SourceError(Exception):
    """A content file that cannot be read; says where and how to fix it."""

    def __init__(self, path, message, fix, line=None):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.fix = fix
        self.line = line


@dataclass(frozen=True)
class Replaced:
    """Invisible characters of one kind that reading replaced or removed."""

    char: str
    line: int  # the first line with it
    count: int

    @property
    def was_break(self):
        """Whether other programs show the character as a line break."""
        return self.char in _SOFT_BREAKS

    def __str__(self):
        name = _(_NAMES.get(self.char, N_("an invisible character")))
        times = _("{count} times ", count=self.count) if self.count > 1 else ""
        code = f"{ord(self.char):04X}"
        if self.char in _SOFT_BREAKS:
            return _(
                "The file contains {name} (U+{code}); {times}replaced by a space.",
                name=name,
                code=code,
                times=times,
            )
        return _(
            "The file contains {name} (U+{code}); {times}removed.",
            name=name,
            code=code,
            times=times,
        )


@dataclass(frozen=True)
class Source:
    """The text of a content file as every reader sees it."""

    text: str
    replaced: tuple[Replaced, ...] = ()


def shown(path):
    """Return a path as the author would type it (relative to the working folder)."""
    return _relative(os.fspath(path), os.getcwd())


@functools.lru_cache(maxsize=1 << 16)  # every file is shown many times per build
def _relative(path, folder):
    return posixize_path(os.path.relpath(path, folder))


def line_of(lines, needle, nth=1):
    """Return the number of the `nth` of `lines` that contains `needle`, if any."""
    if not needle:
        return None
    found = (n for n, line in enumerate(lines, 1) if needle in line)
    return next((n for i, n in enumerate(found, 1) if i == nth), None)


def inside(path, root):
    """Whether `path` is `root` or lies below it (both taken literally)."""
    return os.path.commonpath([path, root]) == root


def confined(path, root):
    """Return the real path of `path` if it is a regular file inside `root`, else None."""
    real = os.path.realpath(path)
    if not inside(real, real_folder(root)):
        return None
    try:
        return real if stat.S_ISREG(os.stat(real).st_mode) else None
    except OSError:
        return None


@functools.lru_cache(maxsize=64)
def real_folder(root):
    """Return the real path of a folder asked for many times per build.

    (The content or output folder: a folder that is a link is not moved
    elsewhere while a build runs.)
    """
    return os.path.realpath(root)


def escaping_link(path, root):
    """Return the first symbolic link from `root` to `path` that leads out, or None."""
    root = os.path.abspath(root)
    real_root = os.path.realpath(root)
    current = root
    for part in Path(os.path.relpath(os.path.abspath(path), root)).parts:
        current = os.path.join(current, part)
        if os.path.islink(current) and not inside(os.path.realpath(current), real_root):
            return current
    return None


def check_confined(path, root):
    """Raise `SourceError` unless `path` is a regular file inside `root`."""
    if confined(path, root):
        return
    link = escaping_link(path, root)
    if link is not None:
        raise SourceError(
            shown(link),
            _(
                "This is a symbolic link to {target}, outside the content folder; "
                "nothing of it is read or published.",
                target=os.path.realpath(link),
            ),
            _(
                "Put a copy into the content folder instead of linking to something "
                "outside, or delete the link."
            ),
        )
    raise SourceError(
        shown(path),
        _(
            "This is not an ordinary file (but a device or a pipe, for example) or "
            "it lies outside the content folder; it is neither read nor published."
        ),
        _("Delete it from the content folder."),
    )


#: Decoded and cleaned texts, by a digest of the file's bytes (see memo.py).
_SOURCES = Memo("sources")


def read_source(path, root=None, limit=None):
    """Return the `Source` of the file at `path`; raise `SourceError` if unreadable.

    With `root` (the content folder), a file outside it is refused; with
    `limit`, a file of more bytes, before it is read (limits.py).
    """
    if root is not None:
        check_confined(path, root)
    try:
        with open(path, "rb") as file:
            check_size(path, limit, measured=os.fstat(file.fileno()).st_size)
            data = file.read() if limit is None else file.read(limit + 1)
            check_size(path, limit, measured=len(data))  # it grew meanwhile
    except OSError as error:
        raise SourceError(
            shown(path),
            _("The file cannot be opened ({reason}).", reason=error.strerror),
            _("Check that it exists and that you may read it."),
        ) from None
    digest = hashlib.blake2b(data, digest_size=20).digest()
    return _SOURCES.get(digest, lambda: _decode(path, data))


def _decode(path, data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        guess = data[error.start : error.start + 1].decode("cp1252", errors="replace")
        raise SourceError(
            shown(path),
            _(
                "The file is not saved as UTF-8 (line {line}: the character “{char}” "
                "is probably Windows-1252 or Latin-1).",
                line=line,
                char=guess,
            ),
            _(
                "Save the file in your editor with the encoding “UTF-8” (in VS Code: "
                "click the encoding at the bottom right, then “Save with Encoding”)."
            ),
            line=line,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _clean(text)


def visible(text):
    """Return `text` without the characters `read_source` removes or replaces.

    For text that entities can put them into again (`&#x1b;` in HTML).
    """
    return _INVISIBLE.sub(_shown, text)


def _shown(match):
    char = match.group()
    if not _invisible(char):
        return char
    return " " if char in _SOFT_BREAKS else ""


def _clean(text):
    matches = [m for m in _INVISIBLE.finditer(text) if _invisible(m.group())]
    if not matches:
        return Source(text)
    found = {}
    for match in matches:
        char = match.group()
        line = text.count("\n", 0, match.start()) + 1
        first, count = found.get(char, (line, 0))
        found[char] = (first, count + 1)
    return Source(
        visible(text),
        tuple(Replaced(char, line, count) for char, (line, count) in found.items()),
    )


class Conversions:
    """Python-Markdown for one file, with every conversion kept (see memo.py).

    Stands in for the `Markdown` instance of Pelican's Markdown reader, which
    converts the file and then each formatted field (the summary) without
    the meta extension; the meta extension reads headers by the one grammar
    (frontmatter.py). A conversion depends on the settings, on whether the
    meta extension is on, and on the text alone, so it is kept by those: an
    unchanged file costs nothing in the next build of the preview, and
    `prepare` can convert files in other processes ahead of Pelican.

    With `settings`, each conversion is also kept in the cache folder
    (`_kept`, kept_conversions.py), so that the next build, in another
    process, converts only what changed.
    """

    def __init__(self, config, limits=None, settings=None):
        self.config = config
        self.limits = limits or Limits()
        self.key = repr((config, self.limits))
        self.with_meta = True
        self.preprocessors = self  # for the reader's deregister("meta")
        self.settings = settings

    def deregister(self, name):
        if name == "meta":
            self.with_meta = False

    def reset(self):
        """Nothing to do: each conversion starts afresh."""

    def convert(self, text):
        """Return the HTML of `text`; raise `OverLimit` if it is over a limit."""
        html, meta = _CONVERSIONS.get(
            (self.key, self.with_meta, text), lambda: self._kept(text)
        )
        if isinstance(html, OverLimit):  # kept: refused at once in the next build
            raise OverLimit(*html.args)
        if meta is not None:
            self.Meta = {key: list(values) for key, values in meta.items()}
        return html

    def _kept(self, text):
        """Return the conversion of `text` kept in the cache folder, or make and keep it.

        Kept under a digest of the text, the settings, the limits and the
        code that converts (`_converter_code`): nothing kept can be out of
        date (kept_conversions.py). What is kept there that is not what a
        conversion makes, or is over the limit of HTML, is not used (it is
        made again). Refusals are not kept (the next build converts the
        text again), nor are the formatted fields (a summary converts in a
        tenth of a millisecond).
        """
        if self.settings is None or not self.with_meta:
            return self._convert(text)
        journal = self.journal()
        digest = self.digest(text)
        kept = journal.get(digest)
        if kept is not None:
            with contextlib.suppress(ValueError, TypeError, AttributeError, OverLimit):
                return _conversion(json.loads(kept), self.limits.html)
        html, meta = made = self._convert(text)
        if not isinstance(html, OverLimit):
            journal.add(digest, json.dumps([html, meta], ensure_ascii=False))
        return made

    def journal(self):
        """Return the conversions kept for the site (kept_conversions.py)."""
        return kept_conversions.journal(self.settings, _largest_kept(self.limits))

    def digest(self, text):
        """Return the digest that the conversion of `text` is kept under."""
        code = _converter_code(_extensions(self.config))
        return derived.digest(("conversion", code, self.key, text))[:32]

    def _convert(self, text):
        markdown = _markdown(self.config, self.key, self.with_meta, self.limits.html)
        markdown.reset()
        try:
            html = limited(self.limits.seconds, markdown.convert, text)
            check_html(html, self.limits.html)
        except OverLimit as refused:
            _MARKDOWNS.pop((self.key, self.with_meta), None)  # may be half-way
            return refused, None
        meta = getattr(markdown, "Meta", None)
        return html, meta and {key: tuple(values) for key, values in meta.items()}


#: (settings, with meta, text) -> (HTML, meta)
_CONVERSIONS = Memo("conversions")


def _largest_kept(limits):
    """Return how many bytes a kept conversion takes at most (-1: any number).

    A conversion's HTML and header are within the limits of HTML and of a
    text file, and JSON writes a character in six bytes at most (a control
    character as backslash, u and four digits). A longer line is not a
    conversion.
    """
    if limits.html is None or limits.text_file is None:
        return -1
    return 6 * (limits.html + limits.text_file) + 1000


def prune_kept(settings):
    """Keep only this build's conversions if far more are kept (kept_conversions.py).

    Call it before `memo.next_build`: the memo has the build's texts.
    """
    if not isinstance(settings.get("MARKDOWN"), dict):
        return
    conversions = Conversions(settings["MARKDOWN"], Limits.of(settings), settings)
    texts = [
        text
        for key, with_meta, text in _CONVERSIONS.asked()
        if with_meta and key == conversions.key
    ]
    conversions.journal().prune(texts, conversions.digest)


def _conversion(kept, html_limit):
    """Return the (HTML, meta) kept by `Conversions._kept`; raise if it is not one."""
    html, meta = kept
    if not isinstance(html, str) or not all(
        isinstance(values, list) and all(isinstance(v, str) for v in values)
        for values in (meta or {}).values()
    ):
        raise ValueError("not a conversion")
    check_html(html, html_limit)
    return html, meta and {key: tuple(values) for key, values in meta.items()}


#: The plugin's modules that take part in a conversion.
_CONVERTING = (__name__, f"{__package__}.frontmatter", f"{__package__}.limits")


def _extensions(config):
    """Return the modules of the extensions that Markdown's `config` names."""
    named = [*config.get("extensions", ()), *config.get("extension_configs", ())]
    modules = {(e if isinstance(e, str) else type(e).__module__) for e in named}
    return tuple(sorted(name.partition(":")[0] for name in modules))


@functools.cache
def _converter_code(extensions):
    """Return a digest of the code that converts with the modules `extensions`.

    Python-Markdown's and Pygments' versions, and the source of each
    extension and of the plugin's modules that take part: a conversion kept
    by other code is not used.
    """
    digest = hashlib.sha256(markdown_version.encode())
    with contextlib.suppress(ImportError):
        from pygments import __version__ as pygments_version  # noqa: PLC0415

        digest.update(pygments_version.encode())
    for name in sorted({*extensions, *_CONVERTING}):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.origin and os.path.isfile(spec.origin):
            digest.update(name.encode() + Path(spec.origin).read_bytes())
    return digest.hexdigest()


#: Markdown instances by (settings, with meta): reused, after a `reset`, as
#: Python-Markdown allows (making one takes as long as a short conversion).
_MARKDOWNS = {}


def _markdown(config, key, with_meta, html_limit=None):
    markdown = _MARKDOWNS.get((key, with_meta))
    if markdown is None:
        if len(_MARKDOWNS) > 16:  # settings of many builds (tests)
            _MARKDOWNS.clear()
        markdown = _MARKDOWNS[key, with_meta] = Markdown(**config)
        if with_meta:
            read_by_this_grammar(markdown)  # the header as the checks read it
        else:
            markdown.preprocessors.deregister("meta")
        _when_dashes_or_dots(markdown)
        guard_html(markdown, html_limit)
    return markdown


#: smarty's patterns when its quotes are off (typography.py makes them).
_SMARTY_DASHES_AND_DOTS = ("smarty-em-dashes", "smarty-en-dashes", "smarty-ellipses")
#: The priority smarty's pass has (its documentation says so).
_SMARTY_PRIORITY = 6


def _when_dashes_or_dots(markdown):
    """Skip smarty's pass where it could not change anything (`_WhenDashesOrDots`)."""
    if "smarty" not in markdown.treeprocessors:
        return
    processor = markdown.treeprocessors["smarty"]
    patterns = processor.inlinePatterns
    if len(patterns) == sum(name in patterns for name in _SMARTY_DASHES_AND_DOTS):
        markdown.treeprocessors.register(
            _WhenDashesOrDots(processor), "smarty", _SMARTY_PRIORITY
        )


class _WhenDashesOrDots:
    """smarty's pass over the tree, only when a text in it has "--" or "...".

    Without quotes, smarty makes only dashes and ellipses, but its second
    pass over every text of the tree costs a sixth of a conversion, and most
    texts have neither: then the pass could not change anything.
    """

    def __init__(self, processor):
        self.processor = processor

    def run(self, root):
        for element in root.iter():
            for text in (element.text, element.tail):
                if text and ("--" in text or "..." in text):
                    return self.processor.run(root)
        return None


class SourceReader:
    """Mixin for Pelican's readers: read only what `read_source` accepts.

    Markdown is converted from the text `read_source` returns (cleaned of
    invisible characters); other readers open the file again themselves.
    """

    #: Whether the reader is Pelican's Markdown reader (not one with its own read).
    markdown_text = False

    def process_metadata(self, name, value):
        """Pelican's processing, of a German date as year-month-day (dates.py)."""
        if name in ("date", "modified") and isinstance(value, str):
            value = normal(value, name)
        return super().process_metadata(name, value)

    def read(self, source_path):
        before = self.settings.get("FORTSETZUNG_BEFORE_READING")
        if before is not None:  # a tool's helpers may have converted it
            before(source_path)
        limits = Limits.of(self.settings)
        source = read_source(source_path, self.settings["PATH"], limits.text_file)
        try:
            if not self.markdown_text:
                content, metadata = limited(limits.seconds, super().read, source_path)
                usable = usable_fields(metadata)
                # a Markdown header's are named with their lines (headers.py)
                for name in metadata.keys() - usable.keys():
                    logger.warning(
                        _(
                            "{path}: the field “{name}” is not passed on to "
                            "Pelican: a field's name begins with a letter.",
                            path=shown(source_path),
                            name=name,
                        )
                    )
                return content, usable
            # MarkdownReader.read, with the text from read_source
            self._source_path = source_path
            self._md = Conversions(self.settings["MARKDOWN"], limits, self.settings)
            content = self._md.convert(source.text)
            meta = usable_fields(getattr(self._md, "Meta", None) or {})
            return content, self._parse_metadata(meta)
        except OverLimit as refused:
            raise refused.error(source_path) from None


def prepare(paths, settings):
    """Read and convert Markdown files as Pelican's reader and vetting will.

    For processes that work ahead of Pelican: the results are kept (memo.py)
    and reach Pelican's process through `memo.export` and `memo.absorb`
    (FORTSETZUNG_BEFORE_READING).
    Yields each path when it is done (`paths` may be a generator that picks
    the next file only then). A file that cannot be read is left for Pelican
    (which reports it).
    """
    from .sanitize import local_hosts, sanitize  # noqa: PLC0415 (it imports this)

    hosts = local_hosts(settings)
    limits = Limits.of(settings)
    MarkdownReader(settings)  # completes settings["MARKDOWN"] as Pelican's will
    for path in paths:
        try:
            text = read_source(path, settings["PATH"], limits.text_file).text
            for html in _converted(text, settings, limits):
                limited(limits.seconds, sanitize, html, hosts)
        except Exception:  # Pelican reads it again and reports it (refusals: kept)
            pass
        yield path


def check_readable(path, settings):
    """Raise the `SourceError` that reading the file at `path` raised, if any.

    For a file Pelican could not read: what `read_source` refuses, and for
    Markdown what was over a limit while converting it. Conversions are
    kept (memo.py), so a file that took too long is not converted again.
    """
    limits = Limits.of(settings)
    text = read_source(path, settings["PATH"], limits.text_file).text
    if not str(path).lower().endswith(MARKDOWN_FILES):
        return
    try:
        for _html in _converted(text, settings, limits):
            pass
    except OverLimit as refused:
        raise refused.error(path) from None


def _converted(text, settings, limits):
    """Yield the HTML of `text` and of its formatted fields, as the reader makes it."""
    conversions = Conversions(settings["MARKDOWN"], limits, settings)
    yield conversions.convert(text)
    for name, values in getattr(conversions, "Meta", {}).items():
        if name.lower() in settings["FORMATTED_FIELDS"]:
            conversions.deregister("meta")
            yield conversions.convert("\n".join(values))


def safe_readers(readers):
    """readers_init: every reader of text reads through `read_source`.

    Static files are not read (vet_content.py checks them).
    """
    for fmt, cls in list(readers.reader_classes.items()):
        if cls and fmt != "static" and not issubclass(cls, SourceReader):
            readers.reader_classes[fmt] = type(
                cls.__name__,  # Pelican names the reader in metadata by it
                (SourceReader, cls),
                {"markdown_text": getattr(cls, "read", None) is MarkdownReader.read},
            )
