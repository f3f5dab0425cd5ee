"""Comments of an old blog, kept next to their entry and shown under it.

An entry or page `x.md` may have `x.comments.json` beside it (UTF-8):
`{"comments": [{"id": 17, "parent": null, "author": "Name", "date":
"2014-05-12T10:00:00+02:00", "text": "Markdown"}, …]}`. A published entry
or page gets them as `comments` (`attach`), threaded by `parent`: a
`Comments` list of the top-level ones, each with its `replies`; a reply
whose parent is missing is top-level. Drafts and private content get none.

The text is someone else's: its Markdown becomes HTML with only a few
harmless tags (no image, nothing that loads or runs; links get
rel="nofollow ugc"). A broken file, and a placeholder ("TODO", "Lorem
ipsum", placeholders.py) in a comment of published content, are reported
with line and field and show no comments, and so does one over the limits
of reading (limits.py: its size, the time, the HTML). Comments are read in
every build, from the file as it is then (kept per text, see memo.py), so
the preview is never stale.
"""

import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import markdown
import nh3
from pelican.utils import set_date_tzinfo

from .. import i18n
from ..i18n import N_, _
from ..memo import Memo
from ..problems import Problem
from ..safety import placeholders
from ..safety.limits import Limits, OverLimit, check_html, guard_html, limited
from ..safety.source import SourceError, read_source, shown, visible

SUFFIX = ".comments.json"
#: What a comment's text may hold.
TAGS = frozenset({
    "p", "br", "a", "em", "strong", "b", "i", "blockquote", "code", "pre", "ul", "ol", "li",
})  # fmt: skip
LINKS = ("http://", "https://", "mailto:")
#: Replies nested deeper than this are shown at this depth.
MAX_DEPTH = 8
#: The fields of a comment: (what it must be, whether null is allowed too).
FIELDS = {
    "id": (N_("a whole number"), False),
    "parent": (N_("a whole number or null"), True),
    "author": (N_("a name (text)"), False),
    "date": (N_("a date like “2014-05-12T10:00:00+02:00”"), False),
    "text": (N_("a text"), False),
}


@dataclass
class Comment:
    """One comment: `text` is sanitised HTML; `replies` are Comments."""

    id: int
    author: str
    date: datetime
    text: str
    replies: list = field(default_factory=list)


class Comments(list):
    """The top-level comments of an entry; `total` counts the replies too."""

    total = 0


def comments_path(content):
    """Return the path of the comments file that belongs to `content`."""
    return os.path.splitext(content.source_path)[0] + SUFFIX


def attach(contents, settings):
    """Give each of `contents` its `comments` (if it has a file); return problems."""
    problems = []
    for content in contents:
        path = comments_path(content)
        if not os.path.lexists(path):
            continue
        comments, found = read_comments(path, settings)
        problems += found
        if comments:
            content.comments = comments
    return problems


def orphans(files, sources, root):
    """Warn of comments files (relative to `root`) without an entry or page.

    `sources`: the relative paths of every content file Pelican read.
    """
    stems = {os.path.splitext(os.path.normpath(source))[0] for source in sources}
    files = [os.path.normpath(file) for file in files]
    return [
        Problem(
            shown(os.path.join(root, file)),
            _("File"),
            _("There is no entry or page of this name: the comments are not shown."),
            _(
                "Name the file like its entry, with .comments.json instead of .md, "
                "or delete it."
            ),
            severity="warning",
        )
        for file in sorted(files)
        if file.endswith(SUFFIX) and file.removesuffix(SUFFIX) not in stems
    ]


def read_comments(path, settings):
    """Return (Comments or None, problems) of the comments file at `path`."""
    limits = Limits.of(settings)
    try:
        text = read_source(path, settings["PATH"], limits.text_file).text
    except SourceError as error:
        return None, [Problem(error.path, _("File"), error.message, error.fix, 1)]
    key = (shown(path), text, settings.get("TIMEZONE"), i18n.current(), limits)
    return _READ.get(key, lambda: _read_within(limits, *key[:3]))


#: (path, text, time zone, language, limits) -> (Comments or None, problems)
_READ = Memo("comments")


def _converter():
    converter = markdown.Markdown()
    guard_html(converter, None)  # its limit is set for each file
    return converter


#: One converter for every comment, reset before each (making one per text
#: takes twice as long).
_MARKDOWN = _converter()


def _read_within(limits, path, text, timezone):
    """`_read` in the time and with the HTML that `limits` allow (limits.py)."""
    global _MARKDOWN  # noqa: PLW0603 (one converter, replaced when interrupted)
    _MARKDOWN.treeprocessors["html_size"].limit = limits.html  # each comment
    try:
        comments, problems = limited(limits.seconds, _read, path, text, timezone)
        check_html("".join(_texts(comments or [])), limits.html)
    except OverLimit as refused:
        _MARKDOWN = _converter()  # it may have stopped half-way
        return None, [Problem(path, _("File"), refused.message, refused.fix, 1)]
    return comments, problems


def _texts(comments):
    for comment in comments:
        yield comment.text
        yield from _texts(comment.replies)


def _read(path, text, timezone):
    def problem(message, fix, line, name=None):
        return Problem(path, name or _("File"), message, fix, line)

    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [
            problem(
                _(
                    "The file is no valid JSON (line {line}, column {column}).",
                    line=error.lineno,
                    column=error.colno,
                ),
                _("Check the commas, quotes and brackets there and just before."),
                error.lineno,
            )
        ]
    items = data.get("comments") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None, [
            problem(
                _("The file holds no list “comments”."),
                _('Write the comments as {{"comments": [{{…}}, {{…}}]}}.'),
                1,
                "comments",
            )
        ]
    places = None  # where each comment is: looked for once there is a mistake
    problems = []
    seen = set()
    for number, item in enumerate(items, 1):
        mistakes = list(_mistakes(item, seen, timezone))
        if mistakes and places is None:
            places = _places(text, len(items))
        for name, message, fix in mistakes:
            start, end = places[number - 1]
            at = text.find(f'"{name}"', start, end)
            line = text.count("\n", 0, at if at >= 0 else start) + 1 if start else None
            problems.append(
                problem(
                    _("Comment {number}: {mistake}", number=number, mistake=message),
                    fix,
                    line,
                    name,
                )
            )
        if isinstance(item, dict) and isinstance(item.get("id"), int):
            seen.add(item["id"])
    if problems:
        return None, problems
    return _thread(items, timezone), []


def _mistakes(item, seen, timezone):
    """Yield (field, message, fix) for what is wrong with one comment."""
    if not isinstance(item, dict):
        yield (
            "comments",
            _("it is no object."),
            _('Write each comment as {{"id": …, "author": …, "date": …, "text": …}}.'),
        )
        return
    for name, (kind, nullable) in FIELDS.items():
        value = item.get(name)
        fix = _("Write it as {kind}.", kind=_(kind))
        if name not in item and not nullable:
            yield name, _("the field “{field}” is missing.", field=name), fix
        elif value is None and nullable:
            continue
        elif not _is(value, name, timezone):
            yield name, _("“{field}” is not {kind}.", field=name, kind=_(kind)), fix
    for name in ("author", "text"):
        found = _placeholder(item.get(name), name)
        if found:
            yield (
                name,
                _(
                    "the field “{field}” still holds the placeholder “{text}”.",
                    field=name,
                    text=found,
                ),
                _("Replace it with the real text, or delete the comment."),
            )
    if isinstance(item.get("id"), int) and item["id"] in seen:
        yield (
            "id",
            _("the id {id} is used twice.", id=item["id"]),
            _("Give each comment an id of its own."),
        )


def _placeholder(value, name):
    """Return the placeholder in a comment's author or text as shown, or None."""
    if not isinstance(value, str):
        return None
    if name == "text":
        return placeholders.in_html(_MARKDOWN.reset().convert(visible(value)))
    return placeholders.in_text(value)


def _is(value, name, timezone):
    if name in ("id", "parent"):
        return isinstance(value, int) and not isinstance(value, bool)
    if not isinstance(value, str):
        return False
    if name == "author":
        return bool(value.strip())
    if name == "date":
        return _date(value, timezone) is not None
    return True


def _date(value, timezone):
    try:
        return set_date_tzinfo(datetime.fromisoformat(value.strip()), timezone)
    except ValueError:
        return None


def _places(text, count):
    """Return (start, end) of each comment in `text`, or (0, 0) where unknown."""
    decoder = json.JSONDecoder()
    places = []
    try:
        at = text.index("[", text.index('"comments"')) + 1
        for _item in range(count):
            while text[at] in " \t\n\r,":
                at += 1
            _value, end = decoder.raw_decode(text, at)
            places.append((at, end))
            at = end
    except (ValueError, IndexError):
        pass
    return places + [(0, 0)] * (count - len(places))


def _thread(items, timezone):
    """Return the comments as a thread (`Comments`)."""
    ordered = sorted(
        enumerate(items), key=lambda pair: (_date(pair[1]["date"], timezone), pair[0])
    )
    ordered = [item for _position, item in ordered]
    ids = {item["id"] for item in ordered}
    children = defaultdict(list)
    for item in ordered:
        if item.get("parent") in ids and item["parent"] != item["id"]:
            children[item["parent"]].append(item)
    thread = Comments()
    thread.total = len(items)
    placed = set()

    def place(item):
        stack = [(item, thread, 0)]
        while stack:
            item, siblings, depth = stack.pop()
            if item["id"] in placed:
                continue
            placed.add(item["id"])
            comment = _comment(item, timezone)
            siblings.append(comment)
            if depth + 1 < MAX_DEPTH:
                into, level = comment.replies, depth + 1
            else:  # too deep: its replies follow it, at its depth
                into, level = siblings, depth
            stack += [(child, into, level) for child in reversed(children[item["id"]])]

    for item in ordered:  # the top level first, then replies in a circle
        if item.get("parent") not in ids or item["parent"] == item["id"]:
            place(item)
    for item in ordered:
        place(item)
    return thread


def _comment(item, timezone):
    html = _MARKDOWN.reset().convert(visible(item["text"]))
    return Comment(
        item["id"],
        visible(item["author"]).strip(),
        _date(item["date"], timezone),
        nh3.clean(
            html,
            tags=TAGS,
            attributes={"a": {"href"}},
            attribute_filter=_link,
            url_schemes={"http", "https", "mailto"},
            link_rel="nofollow ugc",
            clean_content_tags={"script", "style"},
        ),
    )


def _link(tag, attribute, value):
    """Keep only links to the web and to e-mail addresses."""
    if attribute == "href" and not value.strip().lower().startswith(LINKS):
        return None
    return value
