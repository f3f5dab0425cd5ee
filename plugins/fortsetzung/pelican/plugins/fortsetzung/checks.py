"""Checks of the content that Pelican itself does not make.

They run in every build, after all generators have read the content and
before anything is written, so the preview, `invoke check`, `build` and
`publish` see the same problems. Each check returns `Problem`s naming file,
line and field in words a trainee understands. What vetting found while
Pelican read the content (vetting.py: unsafe HTML, markup in fields, paths)
is reported here too.
"""

import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from pelican.contents import Page
from pelican.generators import PelicanTemplateNotFound
from pelican.utils import get_date

from . import redirects
from .addresses import SiteMap, freeze_urls
from .frontmatter import parse_header, read_header
from .i18n import N_, _
from .limits import Limits, OverLimit, limited
from .memo import Memo
from .model import Problem, SeriesDescription, display_path
from .source import SourceError, check_readable, line_of, read_source, shown
from .vetting import content_path, problems_of

#: Fields every entry needs: (field, an example line).
ENTRY_FIELDS = (
    ("title", N_("Title: My first day at the lending desk")),
    ("date", "Date: 2025-09-01 10:00"),
    ("author", "Author: Lena K."),
    ("summary", N_("Summary: One or two sentences on what it is about.")),
)
PAGE_FIELDS = (("title", N_("Title: About us")),)
SUMMARY_WORDS = 60
#: Text that marks something unfinished: the placeholders `invoke new` and
#: `invoke new-series` write, and the dummy text of layout programs.
UNFINISHED = re.compile(r"\bTODO\b|\b[Ll]orem ipsum\b")
STATUSES = ("published", "draft", "hidden", "skip")
#: Pelican's lists of published entries and pages (hidden: not listed).
PUBLISHED = ("articles", "hidden_articles", "pages", "hidden_pages")
#: Pelican's lists of drafts (each with its translations).
DRAFTS = ("drafts", "draft_pages")


def versions(content):
    """Return `content` and its translations."""
    return [content, *getattr(content, "translations", [])]


def locate(problem):
    """Fill in the line of a header field the problem names, if it can be found."""
    if problem.line or not os.path.isfile(problem.path):
        return problem
    try:
        field = read_header(problem.path).get(problem.field.lower())
    except SourceError:
        return problem
    return replace(problem, line=field.line) if field else problem


#: How `check_site` goes through the contents: `map`, or what `share_out` set.
_map = map


def share_out(mapper=None):
    """Let `mapper(function, items)` do the checks of each content (None: here).

    It must return [function(item) for item in items] in order; the results
    are lists of `Problem`s. The site's tools check on all cores this way.
    """
    global _map  # noqa: PLW0603 (one setting for the process, as memo.supply)
    _map = mapper or map


def check_site(context, settings, series, draft_series=(), get_template=None):
    """Check every entry, page and series; return the problems.

    Drafts and series that are not published yet are work in progress: their
    mistakes are warnings, so that they never block publishing.
    `get_template` (a generator's) finds the templates a `Template:` names.
    """
    # the plugins are done: from here on, addresses are looked up, not computed
    freeze_urls(context.get("generated_content", {}).values())
    site = SiteMap(context, settings, [*series, *draft_series])
    # first: what loses a clash is not written
    problems = [locate(p) for p in site.clashes()]
    # translations are written (and checked) as any other content
    published = [
        *(v for key in PUBLISHED for c in context.get(key, []) for v in versions(c)),
        *(s.description for s in series),
    ]
    drafts = [
        *(v for key in DRAFTS for c in context.get(key, []) for v in versions(c)),
        *(s.description for s in draft_series),
    ]
    contents = [*published, *drafts]
    context["redirects"], found = _redirects(site, settings, published, drafts, series)
    problems += found
    # here: a wrong template is replaced in the content that is written
    templates = [check_template(content, get_template) for content in contents]
    found = _map(partial(check_within_limit, site=site), contents)
    for n, (template, text) in enumerate(zip(templates, found, strict=True)):
        if n < len(published):
            problems += [*template, *text]
        else:
            problems += [replace(p, severity="warning") for p in [*template, *text]]
    problems += check_unreadable(context)
    return problems


def _redirects(site, settings, published, drafts, series):
    """Return the redirects of the published contents, and their problems.

    A draft's old addresses are only checked: no redirect leads to a page
    that is not published.
    """
    descriptions = {id(s.description): s for s in series}
    targets = [
        (content, descriptions.get(id(content), content)) for content in published
    ]
    planned, problems = redirects.plan(targets, site, settings)
    problems += [
        replace(p, severity="warning")
        for draft in drafts
        for p in redirects.unparsable(draft)
    ]
    return planned, [locate(p) for p in problems]


def check_within_limit(content, site):
    """`check_content`, stopped after FORTSETZUNG_READ_TIMEOUT seconds (limits.py).

    Each finding is looked for in the text: tens of thousands of them in one
    file would take many minutes.
    """
    seconds = Limits.of(content.settings).seconds
    try:
        return limited(seconds, check_content, content, site, kind="checking")
    except OverLimit as refused:
        return [Problem(display_path(content), _("File"), refused.message, refused.fix)]


def check_content(content, site):
    """Every problem of one entry, page or series description but its template."""
    source = read_source(content.source_path)
    return [
        *(locate(p) for p in problems_of(content)),
        *(
            Problem(
                display_path(content),
                _("File"),
                str(replaced),
                _(
                    "Delete the character (it is invisible: simplest is to write "
                    "the line anew)."
                ),
                line=replaced.line,
                severity="warning",
            )
            for replaced in source.replaced
        ),
        *check_header(content, source.text),
        *check_image(content, site),
        *check_body(content, site, source.text),
    ]


def check_image(content, site):
    """Report an `Image:` in content/ that the build does not publish (pages show none)."""
    value = getattr(content, "image", None)  # vetted: a path in content/
    if not value:
        return []
    relative = os.path.relpath(
        content_path(content.settings, value), site.settings["PATH"]
    )
    if site.exists(Path(relative).as_posix()):
        return []
    return [
        locate(
            Problem(
                display_path(content),
                "Image",
                _(
                    "The image “{value}” is not published: only files in the "
                    "folders {folders} of content/ are.",
                    value=value,
                    folders=", ".join(content.settings["STATIC_PATHS"]),
                ),
                _("Put the image into content/images/ and write “Image: images/…”."),
            )
        )
    ]


def check_template(content, get_template):
    """Report a `Template:` that names no template of the theme; use the default."""
    if get_template is None or "template" not in content.metadata:
        return []
    try:
        get_template(content.template)
    except PelicanTemplateNotFound:
        wrong, content.template = content.template, content.default_template
        return [
            locate(
                Problem(
                    display_path(content),
                    "Template",
                    _("The theme has no template “{name}”.", name=wrong),
                    _("Delete the line “Template: …”; then the usual one is used."),
                )
            )
        ]
    return []


def _entry_fields(content):
    if isinstance(content, SeriesDescription):
        return ()  # the series model checks its title
    return PAGE_FIELDS if isinstance(content, Page) else ENTRY_FIELDS


def check_header(content, text):
    """Missing or unfinished fields, over-long summaries, images without alt text."""
    path = display_path(content)
    header = parse_header(text)
    problems = _missing_fields(path, header, _entry_fields(content))
    for key, field in header.items():
        placeholder = UNFINISHED.search(field.value)
        if placeholder:
            problems.append(
                Problem(
                    path,
                    key.capitalize(),
                    _(
                        "The field {field} still holds the placeholder “{text}”.",
                        field=key.capitalize(),
                        text=placeholder.group(),
                    ),
                    _(
                        "Replace it with the real text (one or two sentences on "
                        "what it is about)."
                    )
                    if key == "summary"
                    else _("Replace it with the real text."),
                    line=field.line,
                )
            )
    summary = header.get("summary")
    if summary and len(summary.value.split()) > SUMMARY_WORDS:
        problems.append(
            Problem(
                path,
                "Summary",
                _("The summary has {count} words.", count=len(summary.value.split())),
                _(
                    "Shorten it to at most {limit} words; it is shown in lists and "
                    "feeds.",
                    limit=SUMMARY_WORDS,
                ),
                line=summary.line,
                severity="warning",
            )
        )
    image, alt = header.get("image"), header.get("image_alt")
    if image and image.value.strip() and not (alt and alt.value.strip()):
        problems.append(
            Problem(
                path,
                "Image_alt",
                _("The image has no alternative text."),
                _(
                    "Describe in a line “Image_alt: …” what the image shows – for "
                    "people who cannot see it."
                ),
                line=image.line,
            )
        )
    return problems


def _missing_fields(path, header, fields):
    """Fields (of (field, example line) pairs) that are absent or empty."""
    return [
        Problem(
            path,
            field.capitalize(),
            _("The field {field} is missing.", field=field.capitalize()),
            _(
                "Write a line like “{example}” at the top of the file.",
                example=_(example),
            ),
            line=1,
        )
        for field, example in fields
        if not header.get(field) or not header[field].value.strip()
    ]


def check_unreadable(context):
    """Files Pelican could not read: find what stopped it."""
    problems = []
    root = Path(context["PATH"])
    for relative, content in context.get("generated_content", {}).items():
        if content is None and os.path.lexists(root / relative):
            problems += _unreadable(root / relative, context)
    return problems


def _unreadable(file, settings):
    try:
        check_readable(file, settings)  # what reading refused, at once (memo.py)
        header = read_header(file)
    except SourceError as error:
        return [
            Problem(error.path, _("File"), error.message, error.fix, error.line or 1)
        ]
    path = shown(file)
    found = _missing_fields(path, header, ENTRY_FIELDS[:2])  # Pelican needs these
    for key in ("date", "modified"):
        field = header.get(key)
        if field and not _is_date(field.value):
            found.append(
                Problem(
                    path,
                    key.capitalize(),
                    _("“{value}” is not a date.", value=field.value),
                    _("Write year-month-day and time, e.g. “2025-09-01 10:00”."),
                    line=field.line,
                )
            )
    status = header.get("status")
    if status and status.value.strip().lower() not in STATUSES:
        found.append(
            Problem(
                path,
                "Status",
                _("There is no status “{status}”.", status=status.value),
                _(
                    "Write “Status: draft” (a draft) or delete the line; then the "
                    "entry is published."
                ),
                line=status.line,
            )
        )
    return found or [
        Problem(
            path,
            _("File"),
            _("Pelican could not read the file."),
            _("Check the header lines (Title, Date …) and the empty line after them."),
            line=1,
        )
    ]


def _is_date(value):
    try:
        get_date(value)
    except ValueError:
        return False
    return True


def check_body(content, site, text):
    """Placeholders, images without alt text and links that lead nowhere."""
    html = content.content
    if not html or not html.strip():
        return []
    body = _BODIES.get(html, lambda: Body.of(html))
    path = display_path(content)
    source = text.split("\n")
    problems = []
    if body.placeholder:
        problems.append(
            Problem(
                path,
                _("Text"),
                _(
                    "The text still holds the placeholder “{text}”.",
                    text=body.placeholder,
                ),
                _("Write your text in its place and delete the placeholder paragraph."),
                line=line_of(source, body.placeholder),
            )
        )
    seen = Counter()  # the n-th image with one src is on the n-th line with it
    links = site.links_of(content, source)
    for kind, target, detail in body.items:
        if kind == "image":
            seen[target] += 1
            if not detail:
                problems.append(
                    Problem(
                        path,
                        _("Image"),
                        _("The image “{src}” has no alternative text.", src=target),
                        _(
                            "Write what it shows between the square brackets: "
                            "![Description](…)."
                        ),
                        line=line_of(source, target, seen[target]),
                    )
                )
        else:
            problem = links.check(target, detail)
            if problem:
                problems.append(problem)
            if on_wordpress(target):
                problems.append(
                    Problem(
                        path,
                        _("Link"),
                        _(
                            "“{target}”: the image is still on the old WordPress "
                            "site, which may be switched off.",
                            target=target,
                        ),
                        _(
                            "Download it to content/images/ and link it with "
                            "{{static}}/images/<file name>."
                        ),
                        line=line_of(source, target),
                        severity="warning",
                    )
                )
    return problems


#: Hosts of WordPress.com, and the folder of uploads on any WordPress.
WORDPRESS_HOSTS = (".files.wordpress.com", ".wp.com", ".wordpress.com")
WORDPRESS_UPLOADS = "/wp-content/uploads/"
IMAGE_FILES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp")


def on_wordpress(target):
    """Whether `target` is an image file on a WordPress site."""
    try:
        parts = urlsplit(target)
        host = parts.hostname if parts.scheme in ("http", "https", "") else None
    except ValueError:  # not an address at all
        return False
    return (
        bool(host)
        and parts.path.lower().endswith(IMAGE_FILES)
        and (host.endswith(WORDPRESS_HOSTS) or WORDPRESS_UPLOADS in parts.path)
    )


@dataclass(frozen=True)
class Body:
    """What the checks need of an entry's HTML (kept per HTML, see memo.py)."""

    placeholder: str | None
    #: In document order: ("image", src, whether it has alternative text) and
    #: ("link", href or src, tag).
    items: tuple

    @classmethod
    def of(cls, html):
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        items = []
        for element in root.iter():
            tag = element.tag if isinstance(element.tag, str) else ""
            if tag == "img":
                alt = (element.get("alt") or "").strip()
                items.append(("image", element.get("src"), bool(alt)))
            for attribute in ("href", "src"):
                target = element.get(attribute)
                if target:
                    items.append(("link", target, tag))
        return cls(_unfinished_text(root), tuple(items))


#: `Body` by HTML.
_BODIES = Memo("bodies")


def _unfinished_text(root):
    """Return the first placeholder in the text (not in code), or None."""
    for text in root.xpath("//text()[not(ancestor::code or ancestor::pre)]"):
        found = UNFINISHED.search(text)
        if found:
            return found.group()
    return None
