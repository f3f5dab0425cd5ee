"""Every content object is vetted as Pelican makes it, before anything uses it.

Connected to `content_object_init`, so entries, pages, series descriptions
and static files are safe from the moment they exist, whatever reads them
later (templates, feeds, other plugins), in every build, the preview
included:

- HTML (the text and the summary) passes the one sanitiser (sanitize.py),
  within the time limit of reading (limits.py);
- metadata is text: markup in a field is reported and removed (templates
  escape every field anyway);
- values that become paths are confined: a slug, a language, `Save_as` and
  `Url` that would leave the output folder or land on another page, and an
  `Image` outside the content folder or on another host, are replaced by
  safe values (or dropped);
- a static file outside the content folder (a symbolic link out of it, a
  `{static}/../…` link), one that is not a regular file, one of a type the
  site does not publish (FORTSETZUNG_STATIC_TYPES, unless the settings
  place that very file: `placed_by_settings`), one over
  FORTSETZUNG_MAX_STATIC_FILE_SIZE and an SVG that is no SVG drawing are
  marked as refused; every other SVG is published as svg.py rebuilds it
  from its allow-lists, never as it is: `refuse_static_files` takes the
  refused files out and puts the rebuilt SVGs in place of theirs before
  anything is copied; a raster picture that browsers cannot show (broken,
  or too many pixels: pictures.py) is an error.

What was found is kept on the object as `Problem`s (`problems_of`), for the
checks to report with everything else; errors stop publishing.
"""

import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pelican.contents import Static
from pelican.urlwrappers import Category, URLWrapper

from .. import fields
from ..derived import Derived, Replacement
from ..i18n import _
from ..oldblog.comments import SUFFIX as COMMENTS
from ..problems import Problem, display_path
from ..settings import STATIC_TYPES
from ..slugs import slugify
from . import pictures, placeholders, svg
from .limits import Limits, OverLimit, check_size, limited
from .sanitize import Finding, is_local, local_hosts, plain, sanitize
from .source import (
    PLACEHOLDER,
    SourceError,
    check_confined,
    confined,
    inside,
    line_of,
    read_source,
)

#: Where the problems found are kept on a content object.
_PROBLEMS = "_fortsetzung_problems"
# fmt: off
IMAGE_TYPES = frozenset({"avif", "gif", "jpeg", "jpg", "png", "svg", "webp"})
#: Static files that are text: looked at for placeholders (placeholders.py).
TEXT_TYPES = frozenset({"txt", "vtt"})
# fmt: on
#: Markup in a metadata field: a tag, a comment, a declaration.
MARKUP = re.compile(r"<[A-Za-z!/?]")
#: A slug: letters, digits, "-" and "_", not beginning with "_" (hosts read
#: names that begin with "_", output_plan.py).
_SLUG = re.compile(r"^(?!_)[\w-]+$")
#: Longer slugs are shortened: file names have at most 255 bytes, and a feed
#: adds ".atom.xml".
SLUG_LIMIT = 100
#: Characters a URL that Pelican puts into an attribute must not have: it
#: does so after the sanitiser has run, without escaping.
_UNSAFE_IN_URL = re.compile(r"[\"'<>`\\\x00-\x1f\x7f]")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


def problems_of(content):
    """Return the problems `vet` found in a content object."""
    return getattr(content, _PROBLEMS, [])


def vet(content):
    """content_object_init: make a content object safe; keep what was wrong."""
    if isinstance(content, Derived):  # made by the build from vetted content
        found = []
    elif isinstance(content, Static):
        found = _vet_static(content)
    else:
        found = [
            *_vet_html(content),
            *_vet_text_fields(content),
            *_vet_names(content),
            *_vet_slug(content),
            *_vet_lang(content),
            *_vet_overrides(content),
            *_vet_image(content),
            *_vet_color(content),
        ]
    setattr(content, _PROBLEMS, found)


def _problem(content, field, message, fix, line=None, severity="error"):  # noqa: PLR0913, PLR0917  (Problem's fields)
    return Problem(display_path(content), field, message, fix, line, severity)


# -- HTML -------------------------------------------------------------------


def _vet_html(content):
    try:
        return limited(Limits.of(content.settings).seconds, _clean_html, content)
    except OverLimit as refused:  # nothing of it is shown uncleaned
        content._content = ""
        if "summary" in content.metadata:
            content.metadata["summary"] = content._summary = ""
        return [_problem(content, _("File"), refused.message, refused.fix)]


def _clean_html(content):
    hosts = local_hosts(content.settings)
    findings = []
    if getattr(content, "_content", None):
        content._content, found = sanitize(content._content, hosts)
        findings += [(_("Text"), f) for f in found]
    summary = content.metadata.get("summary")
    if isinstance(summary, str) and summary:
        clean, found = sanitize(summary, hosts)
        content.metadata["summary"] = content._summary = clean
        findings += [("Summary", f) for f in found]
    if not findings:
        return []
    lines = _source_lines(content)
    return [_from_finding(content, field, f, lines) for field, f in findings]


def _source_lines(content):
    try:
        return read_source(content.source_path).text.split("\n")
    except (SourceError, TypeError):
        return []


def _from_finding(content, field, finding: Finding, lines):
    line = line_of(lines, finding.needle)
    return _problem(
        content,
        _("Image") if finding.image and field == _("Text") else field,
        finding.message,
        finding.fix,
        line,
        finding.severity,
    )


# -- metadata ------------------------------------------------------------------


def _vet_text_fields(content):
    """Markup in a field is an error, and is removed from the field's value.

    Templates escape every field, so markup would show as text; feeds and
    other plugins get the plain text too.
    """
    formatted = set(content.settings.get("FORMATTED_FIELDS", []))
    not_text = fields.not_text()  # the schema's: dates, paths, switches …
    problems = []
    for key, value in content.metadata.items():
        if key in formatted or key in not_text:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        marked = [v for v in values if MARKUP.search(str(v))]
        if not marked:
            continue
        for item in marked:
            if isinstance(item, URLWrapper):
                item.name = plain(item.name)
        if isinstance(value, str):
            content.metadata[key] = plain(value)
            if getattr(content, key, None) == value:
                setattr(content, key, content.metadata[key])
        problems.append(
            _problem(
                content,
                key.capitalize(),
                _(
                    "The field {field} holds HTML code (“{code}”). Fields are plain "
                    "text; the code is removed.",
                    field=key.capitalize(),
                    code=str(marked[0])[:60],
                ),
                _(
                    "Delete the angle brackets “<…>” and what is between them; "
                    "comments belong in the text, not in a field."
                ),
            )
        )
    return problems


def short(slug):
    """Return `slug` cut to SLUG_LIMIT characters, at a hyphen if there is one."""
    if len(slug) <= SLUG_LIMIT:
        return slug
    cut = slug[:SLUG_LIMIT]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("-")


def _vet_names(content):
    """Give authors, tags and the category their (German, short) slugs.

    A name without letters or digits has none: it is reported, and the
    content goes without it (a category: the default one), so that no page
    or feed is written at an address without a name ("feeds/tag/.atom.xml").
    """
    problems = []
    for key in ("author", "authors", "category", "tags"):
        value = content.metadata.get(key)
        for name in value if isinstance(value, list | tuple) else [value]:
            if not isinstance(name, URLWrapper):
                continue
            kind = type(name).__name__.upper()  # CATEGORY_REGEX_SUBSTITUTIONS …
            name.slug = short(slugify(name.name, content.settings, kind))
            if name.slug:
                continue
            _without_nameless(content)
            problems.append(
                _problem(
                    content,
                    key.capitalize(),
                    _("“{name}” gives no address.", name=name),
                    _("Use letters or digits."),
                )
            )
    return problems


def _without_nameless(content):
    """Leave out the authors and tags without a slug; the category, if it has none."""
    for key in ("tags", "authors"):
        if hasattr(content, key):
            setattr(content, key, [n for n in getattr(content, key) if n.slug])
    if getattr(content, "author", None) is not None and not content.author.slug:
        if content.authors:
            content.author = content.authors[0]
        else:
            del content.author
    category = getattr(content, "category", None)
    if category is not None and not category.slug:
        content.category = Category(
            content.settings["DEFAULT_CATEGORY"], content.settings
        )


def _vet_slug(content):
    settings = content.settings
    if "slug" not in content.metadata and hasattr(content, "slug"):
        # made by Pelican from the title or file name: again, the plugin's way
        source = (
            getattr(content, "title", "")
            if settings.get("SLUGIFY_SOURCE") == "title"
            else os.path.splitext(os.path.basename(content.source_path or ""))[0]
        )
        content.slug = slugify(str(source), settings)
    slug = getattr(content, "slug", None)
    if isinstance(slug, str) and _SLUG.match(slug):
        content.slug = short(slug)
        return []
    if slug is None:
        return []
    explicit = "slug" in content.metadata
    base = os.path.splitext(os.path.basename(content.source_path or ""))[0]
    replacement = (
        (slugify(str(slug), settings) if explicit else "")
        or slugify(str(getattr(content, "title", "")), settings)
        or slugify(base, settings)
        or "beitrag"
    )
    content.slug = replacement = short(replacement)
    line = fields.example_line(
        fields.named("Slug"), content.metadata.get("reader"), replacement
    )
    if explicit:
        return [
            _problem(
                content,
                "Slug",
                _(
                    "“{slug}” is no address: letters, digits and hyphens are.",
                    slug=slug,
                ),
                _(
                    "Write e.g. “{line}” or delete the line; then the address "
                    "comes from the title.",
                    line=line,
                ),
            )
        ]
    return [
        _problem(
            content,
            "Title",
            _(
                "The title “{title}” gives no address.",
                title=getattr(content, "title", ""),
            ),
            _(
                "Use letters or digits in the title, or give the address: “{line}”.",
                line=line,
            ),
        )
    ]


def _vet_lang(content):
    lang = getattr(content, "lang", None)
    if lang is None or (isinstance(lang, str) and _LANG.match(lang)):
        return []
    default = content.settings.get("DEFAULT_LANG", "de")
    content.lang = default
    content.in_default_lang = True
    return [
        _problem(
            content,
            "Lang",
            _("“{lang}” is no language code.", lang=lang),
            _(
                "Write a code like “Lang: {default}” or “Lang: en”, or delete the "
                "line.",
                default=default,
            ),
        )
    ]


def output_path(value, folder=False):
    """Return `value` as a normal path inside the output folder, or None.

    Leading slashes and "./" are dropped, "a/../b" becomes "b"; a path that
    leaves the output folder (or names it) is None. A file path ending in
    "/" names that folder's index.html; a URL (`folder`) keeps its slash.
    """
    value = str(value).strip()
    if not value or _UNSAFE_IN_URL.search(value):
        return None
    trailing = value.endswith("/")
    normal = posixpath.normpath(value.lstrip("/"))
    if normal in (".", "..") or normal.startswith("../"):
        return None
    if trailing:
        return f"{normal}/" if folder else f"{normal}/index.html"
    return normal


def _vet_overrides(content):
    """Confine `Save_as` and `Url`, and keep them one address of one file.

    If one is wrong, neither is used. One given alone makes the other: a
    page is linked where it is written. Two that name different files (a
    `Url` of another entry's page) are a mistake.
    """
    problems = _confine_overrides(content)
    save_as = getattr(content, "override_save_as", None)
    url = getattr(content, "override_url", None)
    if problems or (save_as is None and url is None):
        return problems
    if url is None:
        content.override_url = (
            "" if save_as == "index.html" else save_as.removesuffix("index.html")
        )
    elif save_as is None:
        content.override_save_as = _file_of(url)
    elif _file_of(url) != save_as:
        _drop_own_address(content)
        return [
            _problem(
                content,
                "Url",
                _(
                    "“{url}” is not the address of this entry's own file "
                    "“{save_as}”: its links would lead elsewhere.",
                    url=url,
                    save_as=save_as,
                ),
                _("Delete the line “Url: …”; “Save_as” alone is enough."),
            )
        ]
    return []


def _file_of(url):
    """Return the output path a URL (already confined) names."""
    path = unquote(urlsplit(url).path)
    return f"{path}index.html" if path.endswith("/") or not path else path


def _confine_overrides(content):
    problems = []
    for key in ("save_as", "url"):
        attribute = f"override_{key}"
        if not hasattr(content, attribute):
            continue
        value = getattr(content, attribute)
        normal = output_path(value, folder=key == "url")
        if normal is not None:
            setattr(content, attribute, normal)
            continue
        problems.append(
            _problem(
                content,
                key.capitalize(),
                _(
                    "“{value}” lies outside the site or holds characters that "
                    "belong in no address.",
                    value=value,
                ),
                _(
                    "Delete the line “{field}: …”; then the address comes from "
                    "the title.",
                    field=key.capitalize(),
                ),
            )
        )
    if problems:
        _drop_own_address(content)
    return problems


def _drop_own_address(content):
    """Let `content` take its address from the settings, not its own fields."""
    for attribute in ("override_save_as", "override_url"):
        if hasattr(content, attribute):
            delattr(content, attribute)


def _vet_image(content):
    """Every image field (the schema's) names a picture in content/, or is dropped."""
    problems = []
    for field in fields.of_kind(fields.IMAGE):
        value = getattr(content, field.key, None)
        problem = value and image_problem(content.settings, str(value))
        if problem:
            setattr(content, field.key, None)  # no page shows a missing picture
            message, fix = problem
            problems.append(_problem(content, field.name, message, fix))
    return problems


#: A series' colour (`Color:`), as a web page writes it: #rgb or #rrggbb.
COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def _vet_color(content):
    value = getattr(content, "color", None)
    if value is None or COLOR.match(str(value).strip()):
        return []
    content.color = None  # the site's colour instead
    return [
        _problem(
            content,
            "Color",
            _("“{value}” is no colour.", value=str(value)),
            _(
                "Write it as # and six hexadecimal digits, e.g. “Color: #0b57a4” "
                "(a colour picker shows them), or delete the line."
            ),
            severity="warning",
        )
    ]


def image_problem(settings, value):
    """Return (message, fix) if an `Image:` value is no picture in content/."""
    value = value.strip()
    if "://" in value or value.startswith(("//", "\\\\")) or re.match(r"^\w+:", value):
        if is_local(value, local_hosts(settings)):
            return (
                _("“{value}” is a web address, not a path.", value=value),
                _(
                    "Write the path in the folder content/, e.g. "
                    "“Image: images/series/picture.jpg”."
                ),
            )
        return (
            _(
                "The image “{value}” is on another website: readers would send it "
                "their data when it loads.",
                value=value,
            ),
            _("Put the image into content/images/ and write “Image: images/file.jpg”."),
        )
    path = content_path(settings, value)
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    if confined(path, settings["PATH"]):
        if extension in IMAGE_TYPES:
            return None
        return (
            _(
                "“{value}” is no image (these are: {types}).",
                value=value,
                types=", ".join(sorted(IMAGE_TYPES)),
            ),
            _("Choose an image file."),
        )
    if os.path.lexists(path):
        return (
            _(
                "“{value}” lies outside the folder content/ or is not an ordinary "
                "file.",
                value=value,
            ),
            _("Put the image into content/images/."),
        )
    return (
        _("There is no file “{value}”.", value=value),
        _(
            "Check the spelling and the folder (images are in content/images/) or "
            "put the file there."
        ),
    )


def content_path(settings, value):
    """Return the path under the content folder that an image value names.

    The value is written like "images/x.png", "/images/x.png" or
    "{static}/images/x.png".
    """
    relative = PLACEHOLDER.sub("", str(value).strip()).lstrip("/")
    return os.path.join(settings["PATH"], relative)


# -- static files ----------------------------------------------------------------


def _vet_static(static):
    """Problems of a file copied as it is; its absence is no problem here.

    A file outside content/ that a `{static}/../…` link names is refused
    without a word: the link check reports the link.
    """
    root = static.settings["PATH"]
    path = static.source_path
    if (
        path.endswith(COMMENTS)  # shown under its entry (comments.py)
        or not os.path.lexists(path)
        or not inside(os.path.abspath(path), os.path.abspath(root))
    ):
        static.refused = True
        return []
    field = _("File")
    try:
        check_confined(path, root)
        check_size(path, Limits.of(static.settings).static_file, "static_file")
    except SourceError as error:
        static.refused = True
        return [Problem(error.path, field, error.message, error.fix)]
    relative = Path(os.path.relpath(path, root)).as_posix()
    if _UNSAFE_IN_URL.search(relative):
        static.refused = True
        return [
            _problem(
                static,
                field,
                _(
                    "The file name holds quotes, angle brackets or control "
                    "characters; such a file cannot be linked safely."
                ),
                _("Rename the file: letters, digits, hyphens."),
            )
        ]
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    refused = _refused_type(static, extension)
    if refused:
        static.refused = True
        return [refused]
    if extension in TEXT_TYPES:
        text = Path(path).read_text("utf-8", "replace")
        return _unfinished(static, placeholders.in_text, text, text.split("\n"))
    return (_vet_drawing if extension == "svg" else _vet_picture)(static, path)


def _vet_picture(static, path):
    """Report a raster picture that browsers cannot show (pictures.py)."""
    if os.path.splitext(path)[1].lower().lstrip(".") not in pictures.EXTENSIONS:
        return []
    try:
        pictures.size(path, Limits.of(static.settings).seconds)
    except pictures.Refused as refused:
        return [_problem(static, _("File"), refused.message, refused.fix)]
    return []


def _refused_type(static, extension):
    """Return the problem if the site publishes no files of this type, else None.

    FORTSETZUNG_STATIC_TYPES is the site's allow-list (None: every type); a
    file the settings put at an address of their own (`placed_by_settings`)
    is the site's decision, whatever its type.
    """
    allowed = static.settings.get("FORTSETZUNG_STATIC_TYPES", STATIC_TYPES)
    if allowed is None or placed_by_settings(static):
        return None
    allowed = {str(kind).lower().lstrip(".") for kind in allowed}
    if extension in allowed:
        return None
    return _problem(
        static,
        _("File"),
        _(
            "Files of the type “.{extension}” are not published on this site.",
            extension=extension,
        )
        if extension
        else _(
            "The file name has no type (an ending such as “.jpg”): such files "
            "are not published on this site."
        ),
        _("Allowed are: {types}.", types=", ".join(sorted(allowed))),
    )


def placed_by_settings(static):
    """Whether the site's settings name this static file and give it its address.

    Pelican's recipe for files such as CNAME, robots.txt or favicon.ico:
    `EXTRA_PATH_METADATA = {"extra/CNAME": {"path": "CNAME"}}`. Only the
    settings choose that address (no content file can), so the file may lie
    at the root and have a name hosts read; the file's own key must be
    there (a folder's entry would place every file an author drops into it).
    """
    metadata = static.settings.get("EXTRA_PATH_METADATA") or {}
    own = metadata.get(static.relative_source_path) or {}
    return any(key in own for key in ("path", "save_as"))


def _vet_drawing(static, path):
    """Publish the cleaned drawing (svg.py) in place of the SVG at `path`."""
    field = _("File")
    static.cleaned, cleaned = svg.published(static.settings, path)
    problems = [
        _problem(static, field, f.message, f.fix, severity=f.severity)
        for f in cleaned.findings
    ]
    if static.cleaned is None:
        static.refused = True
        return problems
    return problems + _unfinished(static, placeholders.in_svg, cleaned.data)


def _unfinished(static, find, text, lines=()):
    """Report the placeholder `find(text)` finds in a static file (`lines`: its lines)."""
    try:
        found = limited(Limits.of(static.settings).seconds, find, text, kind="checking")
    except OverLimit as refused:
        return [_problem(static, _("File"), refused.message, refused.fix)]
    if not found:
        return []
    return [
        _problem(
            static,
            _("File"),
            _("The file still holds the placeholder “{text}”.", text=found),
            _("Replace it with the real text, or delete the file."),
            line_of(lines, placeholders.needle(found)),
        )
    ]


def _published(static):
    """Return what is published of a static file: an SVG's cleaned copy."""
    if not hasattr(static, "cleaned"):
        return static
    copy = static.cleaned
    if not os.path.exists(copy):  # the cache was emptied since the SVG was read
        copy, _cleaned = svg.published(static.settings, static.source_path)
    return None if copy is None else Replacement(static, copy)


def keep_drafts_at_draft_addresses(context):
    """Drop the own addresses (`Save_as`, `Url`) of drafts and scheduled entries.

    Pelican writes a draft with `Save_as` to that address even where drafts
    are not written at all (DRAFT_SAVE_AS = ""): it would be published. A
    scheduled entry becomes a draft only after it is vetted, so this runs
    once all content is read.
    """
    for draft in [*context.get("drafts", []), *context.get("draft_pages", [])]:
        for version in [draft, *draft.translations]:
            _drop_own_address(version)


def refuse_static_files(generators):
    """Take refused static files out of the build before anything is copied.

    An SVG is replaced by the file svg.py made of it (at its address).
    Returns the refused files' paths relative to the content folder.
    """
    refused = set()
    for generator in generators:
        files = getattr(generator, "staticfiles", None)
        if files is None:
            continue
        # in place: the context holds the same list
        files[:] = [_published(f) for f in files if not getattr(f, "refused", False)]
        files[:] = [f for f in files if f is not None]
        context = generator.context
        for key, static in list(context.get("static_content", {}).items()):
            if getattr(static, "refused", False):
                del context["static_content"][key]
                refused.add(key)
    return refused
