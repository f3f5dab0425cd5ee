"""The series model: published entries grouped into ordered series.

Everything here is a plain function of the articles and the series
descriptions. Nothing is kept between two builds, nothing is logged: mistakes
come back as `Problem`s for the caller to report, so that one build reports
all of them at once.
"""

import difflib
import os
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

from .. import fields
from ..i18n import _
from ..problems import Problem, display_path
from ..slugs import slugify

#: A series' statuses (the schema's); "announced" publishes a series before
#: its first part.
STATUSES = fields.named("Status", fields.SERIES_FILE).choices


class SeriesDescription(Content):
    """A file in `content/series/`: title, status, image and introduction."""


class Series(URLWrapper):
    """A series: its description and its published parts in reading order.

    URL and output path come from `SERIES_URL` and `SERIES_SAVE_AS` like any
    Pelican URL wrapper; the slug is the description file's name. A series
    is `public` once a part of it is published (or it is announced); until
    then it is a draft, at `SERIES_DRAFT_URL` / `SERIES_DRAFT_SAVE_AS` (the
    preview shows it there; the published site has neither page nor feeds).
    """

    def __init__(self, description, settings, slug, status):
        super().__init__(getattr(description, "title", slug), settings)
        self.slug = slug
        self.status = status
        self.description = description
        self.source_path = description.source_path
        self.image = getattr(description, "image", None)
        self.image_alt = getattr(description, "image_alt", None)
        color = getattr(description, "color", None)  # vetted: "#rgb", "#rrggbb"
        self.color = str(color).strip().lower() if color else None
        self.articles = []
        self.public = True
        self.next_date = None  # when the next scheduled part appears

    def _address(self, key, get_page_name=False):
        return self._from_settings(
            key if self.public else f"DRAFT_{key}", get_page_name
        )

    page_name = property(lambda self: self._address("URL", get_page_name=True))
    url = property(lambda self: self._address("URL"))
    save_as = property(lambda self: self._address("SAVE_AS"))

    @property
    def intro(self):
        """The introduction as HTML, with internal links resolved."""
        return self.description.content

    @property
    def summary(self):
        return self.description.summary

    @property
    def count(self):
        return len(self.articles)

    @property
    def first(self):
        return self.articles[0] if self.articles else None

    @property
    def latest(self):
        """The part published last (not always the last in reading order)."""
        return max(self.articles, key=lambda a: a.date, default=None)

    @property
    def updated(self):
        """When a part of the series was last published or modified."""
        return max(
            (getattr(a, "modified", a.date) for a in self.articles), default=None
        )

    def feed_path(self, kind):
        """Where the series' feed of `kind` (atom, rss, json) is written, or None."""
        path = self.settings.get(f"SERIES_FEED_{kind.upper()}")
        return path.format(slug=self.slug) if path and self.public else None

    def feed_url(self, kind):
        """Return the feed's URL relative to FEED_DOMAIN (None: not written)."""
        path = self.feed_path(kind)
        url = self.settings.get(f"SERIES_FEED_{kind.upper()}_URL")
        return url.format(slug=self.slug) if path and url else path

    feed_atom = property(lambda self: self.feed_path("atom"))
    feed_rss = property(lambda self: self.feed_path("rss"))
    feed_json = property(lambda self: self.feed_path("json"))
    feed_atom_url = property(lambda self: self.feed_url("atom"))
    feed_rss_url = property(lambda self: self.feed_url("rss"))
    feed_json_url = property(lambda self: self.feed_url("json"))


class SeriesPosition:
    """Where one part stands in its series: what templates see as `article.series`.

    A superset of pelican-series' dict (name, index, all, all_previous,
    all_next, previous, next; also subscriptable), so themes written for it
    keep working. The slices are computed when asked for, so a 1,000-part
    series does not hold a million references.
    """

    __slots__ = ("index", "series")

    def __init__(self, series, index):
        self.series = series
        self.index = index

    def __getitem__(self, key):
        return getattr(self, key)

    def __repr__(self):
        return f"<SeriesPosition {self.series.slug} {self.index}/{self.count}>"

    name = property(lambda self: self.series.name)
    url = property(lambda self: self.series.url)
    count = property(lambda self: self.series.count)
    all = property(lambda self: self.series.articles)
    all_previous = property(lambda self: self.all[: self.index - 1])
    all_next = property(lambda self: self.all[self.index :])

    @property
    def previous(self):
        return self.all[self.index - 2] if self.index > 1 else None

    @property
    def next(self):
        return self.all[self.index] if self.index < self.count else None

    @property
    def toc(self):
        """A short table of contents: first, neighbours, last; None for a gap."""
        around = self.series.settings["SERIES_TOC_NEIGHBOURS"]
        numbers = sorted(
            {1, self.count}
            | set(
                range(
                    max(1, self.index - around),
                    min(self.count, self.index + around) + 1,
                )
            )
        )
        toc, shown = [], 0  # shown: the number of the part added last
        for number in numbers:
            if number == shown + 2:
                # a gap of one part: show that part rather than "…"
                toc.append(self.all[shown])
            elif number > shown + 2:
                toc.append(None)
            toc.append(self.all[number - 1])
            shown = number
        return toc


def describe_series(description, settings):
    """Turn a series description file into a `Series` and its problems."""
    path = display_path(description)
    problems = []
    name = os.path.splitext(os.path.basename(description.source_path))[0]
    slug = slugify(name, settings)
    if not slug:
        return None, [
            Problem(
                path,
                _("File"),
                _(
                    "The file name “{name}” gives the series no address; the series "
                    "is not published.",
                    name=name,
                ),
                _(
                    "Name the file after the series, with letters or digits, "
                    "e.g. content/series/audio-books.md."
                ),
            )
        ]
    if not getattr(description, "title", "").strip():
        problems.append(
            Problem(
                path,
                "Title",
                _("The series has no title."),
                _(
                    "Write a line like “Title: Name of the series” at the top of the file."
                ),
            )
        )
        description.title = slug
    status = description.metadata.get("status", "ongoing").strip().lower()
    if status not in STATUSES:
        problems.append(
            Problem(
                path,
                "Status",
                _("There is no status “{status}”.", status=status),
                _(
                    "Write “Status: ongoing” (the series goes on), “Status: "
                    "completed” or “Status: announced” (announced, no parts yet)."
                ),
            )
        )
        status = "ongoing"
    description.override_save_as = ""  # shown on the series page, not alone
    return Series(description, settings, slug, status), problems


def _series_index(article, path, problems):
    raw = article.metadata.get("series_index")
    if raw is None:
        return None
    try:
        index = int(str(raw).strip())
    except ValueError:
        index = 0
    if index >= 1:
        return index
    problems.append(
        Problem(
            path,
            "Series_index",
            _("“{value}” is no part number.", value=raw),
            _(
                "Write a whole number from 1 (e.g. “Series_index: 3”) or delete the "
                "line; then the date decides the order."
            ),
        )
    )
    return None


class SeriesLookup:
    """Series by the names a `Series:` line may use: slug or title, any case.

    Slugs come first: a slug is never taken for another series' title. The
    plugin (`build_series`) and the authoring tools (sitetools.scaffold)
    find a series the same way.
    """

    def __init__(self, settings):
        self.settings = settings
        self.table = {}

    def add(self, item, slug, titles):
        """Add `item`; return the items that already had its slug or a title.

        An item whose slug is taken is not added at all.
        """
        other = self.table.setdefault(slug, item)
        if other is not item:
            return [other]
        keys = {title.casefold() for title in titles}
        return [
            other
            for other in {self.table.setdefault(k, item) for k in keys}
            if other is not item
        ]

    def find(self, name):
        """Return the item `name` means, or None."""
        name = str(name).strip()
        return self.table.get(name.casefold()) or self.table.get(
            slugify(name, self.settings)
        )


def _lookup(series_list, settings, problems):
    """Return a `SeriesLookup` of `series_list`; report clashes.

    A second series with a slug is dropped (`duplicate`): it would be written
    to the same address. A title two series share names the first of them.
    """
    lookup = SeriesLookup(settings)
    for series in sorted(series_list, key=lambda s: getattr(s, "source_path", "")):
        lookup.add(series, series.slug, [])  # slugs first
    for series in series_list:
        if lookup.table.get(series.slug) is not series:
            series.duplicate = True
            problems.append(
                Problem(
                    display_path(series),
                    _("File"),
                    _(
                        "The series would have the same address as {other} "
                        "(“{slug}”); it is not published.",
                        other=display_path(lookup.table[series.slug]),
                        slug=series.slug,
                    ),
                    _("Give every series a file name of its own."),
                )
            )
            continue
        # the title as typed too: typography may have changed its quotes
        typed = str(series.description.metadata.get("title", series.name))
        for other in lookup.add(series, series.slug, [series.name, typed]):
            problems.append(
                Problem(
                    display_path(series),
                    "Title",
                    _(
                        "The series “{name}” has the same name as {other}.",
                        name=series.name,
                        other=display_path(other),
                    ),
                    _("Give every series a title and a file name of its own."),
                )
            )
    return lookup


def closest_series(name, series):
    """Return the title of the series `name` most likely means, or None.

    `series` are (title, slug) pairs; a close match of either counts.
    """
    candidates = {}
    for title, slug in series:
        candidates.setdefault(title.casefold(), title)
        candidates.setdefault(slug, title)
    close = difflib.get_close_matches(
        name.strip().casefold(), list(candidates), n=1, cutoff=0.6
    )
    return candidates[close[0]] if close else None


def _unknown_series(path, name, series_list):
    names = sorted((s.name for s in series_list), key=str.casefold)
    close = closest_series(name, [(s.name, s.slug) for s in series_list])
    message = _("There is no series “{name}”.", name=name)
    if close:
        message += " " + _("Did you mean “{close}”?", close=close)
    return Problem(
        path,
        "Series",
        message,
        _(
            "Write the name of a series there is ({names}) or start a new series "
            "with a file in content/series/.",
            names=", ".join(names) or _("none yet"),
        ),
    )


def _reading_order(parts):
    """Order (article, index) pairs: explicit indexes win, the rest by date.

    Parts without an index fill the places that no explicit index claims, in
    order of date; the file path breaks ties so the order never depends on
    the file system. Places are numbered without gaps, so a missing or
    unpublished part never shows as a hole.
    """
    explicit = sorted(
        (p for p in parts if p[1] is not None),
        key=lambda p: (p[1], p[0].date, p[0].source_path),
    )
    by_date = sorted(
        (p[0] for p in parts if p[1] is None), key=lambda a: (a.date, a.source_path)
    )
    order, e, d = [], 0, 0
    while e < len(explicit) or d < len(by_date):
        place = len(order) + 1
        if e < len(explicit) and (explicit[e][1] <= place or d == len(by_date)):
            order.append(explicit[e][0])
            e += 1
        else:
            order.append(by_date[d])
            d += 1
    return order


def build_series(series_list, published, unpublished, settings):
    """Put each published article into its series and return the problems found.

    `published` are the listed, published articles; `unpublished` are drafts,
    scheduled, hidden and translated ones. Only published articles get a place
    (`article.series`, a `SeriesPosition`); all others get `series = None`, so
    no page can show them in a series, but their mistakes are reported too.
    """
    problems = []
    lookup = _lookup(series_list, settings, problems)
    parts = defaultdict(list)  # series -> [(article, explicit index or None)]
    for article in [*published, *unpublished]:
        name = article.metadata.get("series")
        if name is None:
            continue
        article.series = None
        path = display_path(article)
        name = str(name).strip()
        series = lookup.find(name)
        found = []
        if series is None:
            found.append(_unknown_series(path, name, series_list))
        else:
            parts[series].append((article, _series_index(article, path, found)))
        if article.status == "draft":
            # a draft is work in progress: it must not block publishing
            found = [replace(p, severity="warning") for p in found]
        problems += found

    listed = {id(a) for a in published}
    for series, members in parts.items():
        problems.extend(_index_clashes(series, members, listed))
        problems.extend(_index_gaps(series, members))
        series.articles = _reading_order([p for p in members if id(p[0]) in listed])
        for number, article in enumerate(series.articles, start=1):
            article.series = SeriesPosition(series, number)
        problems.extend(_index_shown_otherwise(series, members))
        # its date only, never more of the part
        series.next_date = next_date(a for a, _index in members if id(a) not in listed)
    for series in series_list:
        problems.extend(_publish(series))
    return problems


def scheduled(content, now):
    """Whether `content` is a draft only because its date lies after `now`.

    Pelican makes a future-dated entry a draft until its date (unless
    WITH_FUTURE_DATES); one that says `Status: draft` is a draft for good.
    """
    date = getattr(content, "date", None)
    return (
        content.status == "draft"
        and str(content.metadata.get("status") or "").strip().lower() != "draft"
        and date is not None
        and date.tzinfo is not None
        and date > now
    )


def next_date(contents, now=None):
    """Return the date of the first of `contents` that is scheduled, or None."""
    now = now or datetime.now(UTC)
    return min((c.date for c in contents if scheduled(c, now)), default=None)


def _publish(series):
    """Make a series public once it has a part, or when it is announced."""
    series.public = bool(series.articles) or series.status == "announced"
    # links in the introduction start from the page that shows it
    series.description.override_url = series.url
    if not (series.articles and series.status == "announced"):
        return []
    series.status = "ongoing"
    return [
        Problem(
            display_path(series),
            "Status",
            _(
                "The series has published parts but still says “announced”; it is "
                "shown as going on."
            ),
            _("Write “Status: ongoing”."),
            severity="warning",
        )
    ]


def _index_clashes(series, members, listed):
    """Parts that claim one place; an error only if two are published."""
    by_index = defaultdict(list)
    for article, index in sorted(members, key=lambda m: m[0].source_path):
        if index is not None:
            by_index[index].append(article)
    return [
        Problem(
            display_path(articles[0]),
            "Series_index",
            _(
                "Part {index} of the series “{name}” is there more than once: {files}.",
                index=index,
                name=series.name,
                files=", ".join(display_path(a) for a in articles),
            ),
            _(
                "Give every part a number of its own or delete the Series_index "
                "lines; then the date decides the order."
            ),
            severity="error"
            if sum(id(a) in listed for a in articles) > 1
            else "warning",
        )
        for index, articles in sorted(by_index.items())
        if len(articles) > 1
    ]


def _index_shown_otherwise(series, members):
    """Warn of published parts whose `Series_index` is not the number shown.

    ("Teil 6 von 6" while the file says 7: a part before it is a draft or
    scheduled, or missing.) Numbers that clash or leave a gap are reported
    as such (`_index_clashes`, `_index_gaps`).
    """
    indexes = [index for _article, index in members if index is not None]
    waiting = len(members) - len(series.articles)  # drafts, scheduled parts
    problems = []
    for article, index in sorted(members, key=lambda m: m[0].source_path):
        shown = article.series.index if article.series else None
        if (
            shown is None
            or index in (None, shown)
            or index > len(members)
            or indexes.count(index) > 1
        ):
            continue
        fix = _(
            "Write “Series_index: {number}”, or delete the line; then the date "
            "decides the order.",
            number=shown,
        )
        if waiting:
            fix += " " + _(
                "If a part before it is still a draft or scheduled, the number is "
                "right once that part appears."
            )
        problems.append(
            Problem(
                display_path(article),
                "Series_index",
                _(
                    "The file says “Series_index: {index}”, but the site shows it as "
                    "part {number} of {count} of the series “{name}”.",
                    index=index,
                    number=shown,
                    count=len(series.articles),
                    name=series.name,
                ),
                fix,
                severity="warning",
            )
        )
    return problems


def _index_gaps(series, members):
    """Explicit indexes beyond the number of parts leave places empty.

    Drafts and scheduled parts count: a gap they will fill is no gap.
    """
    return [
        Problem(
            display_path(article),
            "Series_index",
            _(
                "Part {index} of the series “{name}”: the series has only {parts}, "
                "parts before it are missing.",
                index=index,
                name=series.name,
                parts=_("1 part")
                if len(members) == 1
                else _("{count} parts", count=len(members)),
            ),
            _(
                "Write “Series_index: {count}” or less, or delete the line; then "
                "the date decides the order.",
                count=len(members),
            ),
            severity=severity,
        )
        for article, index in sorted(members, key=lambda m: m[0].source_path)
        if index is not None and index > len(members)
        for severity in ["warning" if article.status == "draft" else "error"]
    ]
