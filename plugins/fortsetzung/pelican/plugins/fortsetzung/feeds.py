"""Feeds that feed readers and validators accept: Atom, RSS, JSON Feed and OPML.

`FeedWriter` replaces Pelican's `Writer` (through the `get_writer` signal), so
the site feed, the category, tag and author feeds and the series feeds all get
the same treatment: the site language, entry ids that survive a changed title
or slug, absolute URLs inside the content, series and part in item titles, and
a stylesheet that makes a feed readable when someone opens it in a browser.
"""

import io
import json
import logging
import os
from urllib.parse import quote, urljoin, urlsplit
from xml.sax.saxutils import quoteattr

import lxml.html
from feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from feedgenerator.django.utils.feedgenerator import rfc3339_date
from markupsafe import Markup
from pelican.utils import (
    set_date_tzinfo,
)
from pelican.writers import FileOverwriteFailedError, Writer

from .i18n import _
from .lookalike import fold
from .source import inside, real_folder

logger = logging.getLogger(__name__)


class StylesheetMixin:
    """Announce an XSLT stylesheet, so browsers show the feed as a page."""

    stylesheet = None

    def write(self, outfile, encoding):
        if not self.stylesheet:
            super().write(outfile, encoding)
            return
        buffer = io.StringIO()
        super().write(buffer, encoding)
        declaration, _, document = buffer.getvalue().partition("?>")
        outfile.write(
            f"{declaration}?>\n"
            f'<?xml-stylesheet type="text/xsl" href={quoteattr(self.stylesheet)}?>'
            f"{document}"
        )


class AtomFeed(StylesheetMixin, Atom1Feed):
    """Atom 1.0 with a stylesheet."""


class RssFeed(StylesheetMixin, Rss201rev2Feed):
    """RSS 2.0 with a stylesheet."""


class JsonFeed(SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) from feedgenerator's model."""

    content_type = "application/feed+json"

    def write(self, outfile, encoding):
        json.dump(self.as_dict(), outfile, ensure_ascii=False, indent=1)

    def as_dict(self):
        feed = self.feed
        return _without_none(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": feed["title"],
                "home_page_url": feed["link"],
                "feed_url": feed["feed_url"],
                "description": feed["description"] or None,
                "language": feed["language"],
                "authors": _authors(feed["author_name"]),
                "items": [self._item(item) for item in self.items],
            }
        )

    @staticmethod
    def _item(item):
        summary = item["description"]
        return _without_none(
            {
                "id": item["unique_id"],
                "url": item["link"],
                "title": item["title"],
                "content_html": item["content"] or summary or "",
                "summary": Markup(summary).striptags() if summary else None,
                "date_published": rfc3339_date(item["pubdate"]),
                "date_modified": item["updateddate"]
                and rfc3339_date(item["updateddate"]),
                "authors": _authors(item["author_name"]),
                "tags": list(item["categories"]) or None,
            }
        )


def _authors(name):
    return [{"name": name}] if name else None


def _without_none(mapping):
    return {key: value for key, value in mapping.items() if value is not None}


FEED_CLASSES = {"atom": AtomFeed, "rss": RssFeed, "json": JsonFeed}


def absolute_urls(html, base):
    """Make every link and image URL in an HTML fragment absolute.

    Feed readers show entries outside the site, where "../bild.jpg" or
    "/serien/" lead nowhere.
    """
    if not html or not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    root.make_links_absolute(base, resolve_base_href=False)
    for element in root.iter():
        if element.get("srcset"):  # lxml leaves srcset alone
            element.set("srcset", _absolute_srcset(element.get("srcset"), base))
    inner = root.text or ""
    return inner + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )


def _absolute_srcset(srcset, base):
    candidates = []
    for candidate in srcset.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        candidates.append(f"{urljoin(base, url)} {descriptor}".strip())
    return ", ".join(candidates)


def entry_id(article, domain):
    """Return a tag URI (RFC 4151) that stays when the title or slug is edited.

    It is made of the site's domain, the day the entry was first published and
    its source file, none of which change when an author corrects a title.
    """
    path = quote(article.relative_source_path.replace(os.sep, "/"), safe="/-._~")
    return f"tag:{domain},{article.date:%Y-%m-%d}:{path}"


def item_title(article, settings):
    """Return an item's title (text); parts of a series say which series and part."""
    title = str(article.title)
    position = getattr(article, "series", None)
    if not position:
        return title
    return settings["SERIES_FEED_ITEM_TITLE"].format(
        series=position.name,
        index=position.index,
        count=position.count,
        title=title,
    )


def site_address(context, fallback=""):
    """Return the site URL for absolute links in feeds.

    Feed readers need absolute links: in a preview without SITEURL they point
    at FEED_DOMAIN (the local server).
    """
    return context.get("SITEURL") or context.get("FEED_DOMAIN") or fallback


class FeedWriter(Writer):
    """Pelican's Writer, with feeds made the way this module's docstring says.

    Only the two steps Pelican meant to be extended are replaced: making the
    feed (`_create_new_feed`) and adding an item (`_add_item_to_the_feed`).
    Pelican's `write_feed` still does the rest, so `feed_generated` and
    `feed_written` reach other plugins and FEED_APPEND_REF, FEED_MAX_ITEMS
    and RSS_FEED_SUMMARY_ONLY mean what Pelican's documentation says. A feed
    of one series (its context has `feed_series`) links to the series page
    and holds SERIES_FEED_MAX_ITEMS parts.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._html = {}  # see _absolute_html; a writer lives for one build
        self._files = {}  # see claim_file
        self._summary_only = False
        self._domain = "localhost"

    def write_feed(  # noqa: PLR0913, PLR0917 (Pelican's signature)
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):
        """Pelican's write_feed; a series' feed has a length of its own."""
        if context.get("feed_series") is None:
            return super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
        settings = self.settings
        self.settings = {
            **settings,
            "FEED_MAX_ITEMS": settings["SERIES_FEED_MAX_ITEMS"],
        }
        try:
            return super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
        finally:
            self.settings = settings

    def _create_new_feed(self, feed_type, feed_title, context):
        self.site_url = site_address(context, self.site_url)
        self._domain = urlsplit(self.feed_url).hostname or "localhost"
        series = context.get("feed_series")
        self._summary_only = (
            self.settings["SERIES_FEED_SUMMARY_ONLY"]
            if series is not None
            else feed_type == "rss" and self.settings["RSS_FEED_SUMMARY_ONLY"]
        )
        sitename = Markup(context["SITENAME"]).striptags()
        feed = FEED_CLASSES.get(feed_type, AtomFeed)(
            title=f"{feed_title} – {sitename}" if feed_title else sitename,
            link=self.urljoiner(
                self.site_url, series.url if series is not None else ""
            ),
            feed_url=self.feed_url,
            feed_guid=self.feed_url,
            description=(
                Markup(series.summary or "").striptags() if series is not None else ""
            )
            or context.get("SITESUBTITLE")
            or sitename,
            language=context.get("DEFAULT_LANG"),
            author_name=Markup(context.get("AUTHOR") or sitename).striptags(),
        )
        stylesheet = self.settings.get("FORTSETZUNG_FEED_STYLESHEET")
        if stylesheet and feed_type != "json":
            feed.stylesheet = self.urljoiner(self.site_url, stylesheet)
        return feed

    def _open_w(self, filename, encoding, override=False):
        """Pelican's guard against writing a file twice, on normalised paths.

        "out/./index.html" and "out/index.html" are one file: without this,
        the second write would silently replace the first.
        """
        filename = os.path.normpath(filename)
        if not inside(os.path.realpath(filename), real_folder(self.output_path)):
            raise RuntimeError(f"{filename} lies outside {self.output_path}")
        self.claim_file(filename)
        return super()._open_w(filename, encoding, override)

    def claim_file(self, filename):
        """Refuse a file that a case-insensitive file system takes for another.

        The plan of the build (addresses.py) keeps content from such clashes;
        this catches two of the site's own pages, or another plugin's.
        """
        relative = os.path.relpath(filename, self.output_path).replace(os.sep, "/")
        first = self._files.setdefault(fold(relative), relative)
        if first != relative:
            raise FileOverwriteFailedError(
                _(
                    "“{first}” and “{second}” would be one file on many computers "
                    "and web servers (they differ only in capitals, or in dots "
                    "and spaces at the end).",
                    first=first,
                    second=relative,
                )
            )

    def _absolute_html(self, article, site_url, link):
        """Summary and content with absolute URLs, made once per article and build.

        An entry is in many feeds (site, series, category, author, each tag;
        three formats each): parsing its HTML once keeps the build linear in
        the number of entries rather than in entries times feeds.
        """
        key = (id(article), site_url)
        if key not in self._html:
            self._html[key] = (
                absolute_urls(str(article.summary), link),
                absolute_urls(article.get_content(site_url), link),
            )
        return self._html[key]

    def _add_item_to_the_feed(self, feed, item):
        link = self.urljoiner(self.site_url, item.url)
        summary, content = self._absolute_html(item, self.site_url, link)
        if self.settings["FEED_APPEND_REF"]:
            link += "?ref=feed"
        if self._summary_only:
            content = None
        position = getattr(item, "series", None)
        categories = [position.name] if position else []
        if hasattr(item, "category"):
            categories.append(str(item.category))
        categories += [str(tag) for tag in getattr(item, "tags", [])]
        timezone = self.settings.get("TIMEZONE")
        modified = getattr(item, "modified", None)
        description = summary
        if isinstance(feed, RssFeed):
            # RSS has one field for both; the summary only when asked for
            description, content = (summary if self._summary_only else content), None
        feed.add_item(
            title=item_title(item, self.settings),
            link=link,
            unique_id=entry_id(item, self._domain),
            unique_id_is_permalink=False,  # a tag URI, not an address
            description=description,
            content=content,
            categories=list(dict.fromkeys(categories)) or None,
            author_name=", ".join(str(a) for a in getattr(item, "authors", [])),
            pubdate=set_date_tzinfo(item.date, timezone),
            updateddate=set_date_tzinfo(modified, timezone) if modified else None,
        )
