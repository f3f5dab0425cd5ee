"""Feeds: the plugin's own, and Pelican's changed only where a setting asks.

Pelican writes the site's feed and those of categories, tags, authors and
translations with its own writer, and installing the plugin changes none of
them: their subscribers would otherwise see every entry again. The plugin
never replaces Pelican's writer, so another plugin may supply one.

The plugin's own feeds are those of each series (Atom, RSS, JSON Feed) and
the site's JSON Feed (FORTSETZUNG_FEED_ALL_JSON; Pelican writes none). The
generator hands each to the writer Pelican gives it as a `FeedFile`, a
"template" whose `render` makes the feed (`Writer.write_file`), so that
whatever writer Pelican uses writes them, as it writes pages. Like Pelican's
feeds they are sent with `feed_generated` before they are written, so other
plugins can change them, and with `feed_written` after (`relay_written`).
They carry the site language, entry ids that survive a changed title or
slug, absolute URLs inside the content, and series and part in item titles.

Settings, all off by default, give Pelican's feeds the same treatment; they
are applied in `feed_generated` (`adjust`), before Pelican writes the feed:

- FORTSETZUNG_FEED_STABLE_IDS: entry ids from the source file (a tag URI,
  `entry_id`), each feed's id its own address;
- FORTSETZUNG_FEED_ITEM_TITLES: item titles as in the plugin's feeds: the
  title as text, as the plugin reads metadata (Pelican takes it for HTML:
  "&lt;" becomes "<"), and for a part its series and place
  (SERIES_FEED_ITEM_TITLE); a part is tagged with its series;
- FORTSETZUNG_FEED_ABSOLUTE_URLS: absolute URLs in summaries and content,
  and on FEED_DOMAIN where SITEURL is empty (the preview);
- FORTSETZUNG_FEED_METADATA: the site's language, author and description,
  and every author of an entry;
- FORTSETZUNG_FEED_TITLE: how a feed of a category (a series …) is titled;
- FORTSETZUNG_FEED_STYLESHEET: an XSLT stylesheet for browsers.

A change is made only where the feed still holds what Pelican's writer put
there (HTML is changed, not replaced), so what another plugin's receiver of
`feed_generated` changed stays, whichever receiver runs first.
"""

import io
import json
import os
import posixpath
from urllib.parse import quote, urljoin, urlsplit
from xml.sax.saxutils import quoteattr

import lxml.html
from feedgenerator import (
    Atom1Feed,
    Rss201rev2Feed,
    SyndicationFeed,
    get_tag_uri,
    iri_to_uri,
    rfc3339_date,
)
from markupsafe import Markup
from pelican.plugins import signals
from pelican.utils import set_date_tzinfo

#: Context key of the `FeedFile` being written (the plugin's own feeds).
OWN = "fortsetzung_feed"
#: Context key of what one build has already made of entries' HTML.
MADE = "fortsetzung_feed_html"
#: How Pelican titles a feed of a category, tag, author.
PELICAN_TITLE = "{site} - {title}"


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


FEED_CLASSES = {"atom": Atom1Feed, "rss": Rss201rev2Feed, "json": JsonFeed}


def announce_stylesheet(feed, href):
    """Make `feed` announce an XSLT stylesheet, so browsers show it as a page."""
    write = feed.write

    def write_with_stylesheet(outfile, encoding):
        buffer = io.StringIO()
        write(buffer, encoding)
        declaration, _, document = buffer.getvalue().partition("?>")
        outfile.write(
            f"{declaration}?>\n"
            f'<?xml-stylesheet type="text/xsl" href={quoteattr(href)}?>'
            f"{document}"
        )

    feed.write = write_with_stylesheet


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


def _absolute(context, html, base):
    """`absolute_urls`, made once per build for each text and address.

    An entry is in many feeds (site, series, category, author, each tag;
    three formats each): parsing its HTML once keeps the build linear in
    the number of entries rather than in entries times feeds.
    """
    if not html:
        return html
    made = context.setdefault(MADE, {})
    key = (str(html), base)
    if key not in made:
        made[key] = absolute_urls(str(html), base)
    return made[key]


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


def join(settings, base, url):
    """Join a site address and a URL the way Pelican's writer does."""
    if settings.get("RELATIVE_URLS"):
        return posixpath.join(base, str(url))
    return urljoin(base if base.endswith("/") else base + "/", str(url))


def site_address(context):
    """Return the site URL for absolute links in feeds.

    Feed readers need absolute links: in a preview without SITEURL they point
    at FEED_DOMAIN (the local server).
    """
    return context.get("SITEURL") or context.get("FEED_DOMAIN") or ""


def feed_title(context, title):
    """Return the title of the site's feed, or of a category's, series' … feed."""
    site = Markup(context["SITENAME"]).striptags()
    if not title:
        return site
    return context.get("FORTSETZUNG_FEED_TITLE", PELICAN_TITLE).format(
        site=site, title=title
    )


def _domain(feed_url):
    return urlsplit(feed_url).hostname or "localhost"


# -- the plugin's own feeds -------------------------------------------------------


class FeedFile:
    """One of the plugin's own feeds, written by `Writer.write_file` as a page is.

    `render` makes the feed from the context the writer passes, sends
    `feed_generated` and returns the text. A series' feed (`series`) links
    to the series page and holds SERIES_FEED_MAX_ITEMS parts; the site's
    FEED_MAX_ITEMS entries.
    """

    def __init__(self, kind, elements, path, url=None, title=None, series=None):  # noqa: PLR0913, PLR0917
        self.kind = kind
        self.elements = elements
        self.path = path
        self.url = url
        self.title = title
        self.series = series
        self.feed = None  # the feed last rendered (for feed_written)

    def render(self, context):
        feed = self.make(context)
        self.feed = feed
        signals.feed_generated.send(context, feed=feed)
        text = io.StringIO()
        feed.write(text, "utf-8")
        return text.getvalue()

    def make(self, context):
        """Return the feed (feedgenerator's model) for `context`."""
        series = self.series
        site_url = site_address(context)
        feed_url = join(
            context, context.get("FEED_DOMAIN") or "", self.url or self.path
        )
        sitename = Markup(context["SITENAME"]).striptags()
        feed = FEED_CLASSES[self.kind](
            title=feed_title(context, self.title),
            link=join(context, site_url, series.url if series is not None else ""),
            feed_url=feed_url,
            feed_guid=feed_url,
            description=(
                Markup(series.summary or "").striptags() if series is not None else ""
            )
            or context.get("SITESUBTITLE")
            or sitename,
            language=context.get("DEFAULT_LANG"),
            author_name=Markup(context.get("AUTHOR") or sitename).striptags(),
        )
        stylesheet = context.get("FORTSETZUNG_FEED_STYLESHEET")
        if stylesheet and self.kind != "json":
            announce_stylesheet(feed, join(context, site_url, stylesheet))
        if series is not None:
            most = context["SERIES_FEED_MAX_ITEMS"]
            summary_only = context["SERIES_FEED_SUMMARY_ONLY"]
        else:
            most = context["FEED_MAX_ITEMS"]
            summary_only = self.kind == "rss" and context["RSS_FEED_SUMMARY_ONLY"]
        for article in self.elements[:most]:
            _add_item(feed, article, context, site_url, _domain(feed_url), summary_only)
        return feed


def _add_item(feed, article, context, site_url, domain, summary_only):  # noqa: PLR0913, PLR0917
    link = join(context, site_url, article.url)
    summary = _absolute(context, article.summary, link)
    content = _absolute(context, article.get_content(site_url), link)
    if context["FEED_APPEND_REF"]:
        link += "?ref=feed"
    if summary_only:
        content = None
    position = getattr(article, "series", None)
    categories = [position.name] if position else []
    if hasattr(article, "category"):
        categories.append(str(article.category))
    categories += [str(tag) for tag in getattr(article, "tags", [])]
    timezone = context.get("TIMEZONE")
    modified = getattr(article, "modified", None)
    description = summary
    if isinstance(feed, Rss201rev2Feed):
        # RSS has one field for both; the summary only when asked for
        description, content = (summary if summary_only else content), None
    feed.add_item(
        title=item_title(article, context),
        link=link,
        unique_id=entry_id(article, domain),
        unique_id_is_permalink=False,  # a tag URI, not an address
        description=description,
        content=content,
        categories=list(dict.fromkeys(categories)) or None,
        author_name=", ".join(str(a) for a in getattr(article, "authors", [])),
        pubdate=set_date_tzinfo(article.date, timezone),
        updateddate=set_date_tzinfo(modified, timezone) if modified else None,
    )


def relay_written(path, context):
    """Send `feed_written` for the plugin's own feeds, once they are written.

    Connected to `content_written`, which `Writer.write_file` sends.
    """
    made = context.get(OWN)
    if made is not None and made.feed is not None:
        signals.feed_written.send(path, context=context, feed=made.feed)


# -- Pelican's feeds, where settings ask ---------------------------------------------

#: The settings that change Pelican's feeds, and what each is off.
SITE_WIDE = {
    "FORTSETZUNG_FEED_STABLE_IDS": False,
    "FORTSETZUNG_FEED_ITEM_TITLES": False,
    "FORTSETZUNG_FEED_ABSOLUTE_URLS": False,
    "FORTSETZUNG_FEED_METADATA": False,
    "FORTSETZUNG_FEED_TITLE": PELICAN_TITLE,
    "FORTSETZUNG_FEED_STYLESHEET": None,
}


def adjust(context, feed):
    """Change a feed Pelican's writer made as the settings ask (see above).

    Connected to `feed_generated`. Items are matched with their entries by
    the link Pelican's writer gives them; one that another writer linked
    otherwise stays as it is.
    """
    if context.get(OWN) is not None or all(
        context.get(name, off) == off for name, off in SITE_WIDE.items()
    ):
        return
    pelican_url = context.get("SITEURL", "")
    site_url = (
        site_address(context)
        if context.get("FORTSETZUNG_FEED_ABSOLUTE_URLS")
        else pelican_url
    )
    _adjust_feed(feed.feed, context, pelican_url, site_url)
    stylesheet = context.get("FORTSETZUNG_FEED_STYLESHEET")
    if stylesheet and isinstance(feed, (Atom1Feed, Rss201rev2Feed)):
        announce_stylesheet(feed, join(context, site_url, stylesheet))
    entries = _entries_by_link(context, pelican_url)
    domain = _domain(feed.feed["feed_url"] or "")
    for item in feed.items:
        article, link = entries.get(item["link"], (None, None))
        if article is not None:
            _adjust_item(item, article, link, context, site_url, domain)


def _adjust_feed(data, context, pelican_url, site_url):
    sitename = Markup(context["SITENAME"]).striptags()
    pattern = context.get("FORTSETZUNG_FEED_TITLE", PELICAN_TITLE)
    if pattern != PELICAN_TITLE and data["title"].startswith(f"{sitename} - "):
        data["title"] = feed_title(context, data["title"][len(sitename) + 3 :])
    if context.get("FORTSETZUNG_FEED_STABLE_IDS") and data["id"] == data["link"]:
        data["id"] = data["feed_url"]
    if (
        context.get("FORTSETZUNG_FEED_ABSOLUTE_URLS")
        and data["link"] == pelican_url + "/"
    ):
        data["link"] = join(context, site_url, "")
    if context.get("FORTSETZUNG_FEED_METADATA"):
        data["language"] = data["language"] or context.get("DEFAULT_LANG")
        data["author_name"] = (
            data["author_name"] or Markup(context.get("AUTHOR") or sitename).striptags()
        )
        data["description"] = (
            data["description"] or context.get("SITESUBTITLE") or sitename
        )


def _adjust_item(item, article, link, context, site_url, domain):  # noqa: PLR0913, PLR0917
    """Change an item; `link` is the one Pelican's writer gave it."""
    if context.get("FORTSETZUNG_FEED_STABLE_IDS") and item["unique_id"] == get_tag_uri(
        link, article.date
    ):
        item["unique_id"] = entry_id(article, domain)
        item["unique_id_is_permalink"] = False  # a tag URI, not an address
    position = getattr(article, "series", None)
    if context.get("FORTSETZUNG_FEED_ITEM_TITLES"):
        if item["title"] == str(Markup(article.title).striptags()):
            item["title"] = item_title(article, context)
        if position:
            item["categories"] = list(
                dict.fromkeys([position.name, *item["categories"]])
            )
    if context.get("FORTSETZUNG_FEED_METADATA") and item["author_name"] == str(
        getattr(article, "author", "")
    ):
        item["author_name"] = ", ".join(str(a) for a in getattr(article, "authors", []))
    if context.get("FORTSETZUNG_FEED_ABSOLUTE_URLS"):
        absolute = join(context, site_url, article.url)
        item["link"] = iri_to_uri(absolute + link[len(link.split("?")[0]) :])
        for key in ("description", "content"):
            item[key] = _absolute(context, item[key], absolute)


def _entries_by_link(context, site_url):
    """Return {link in the feed: (entry, link)} for every entry of Pelican's feeds.

    The link is the one Pelican's writer gives the entry; the feed holds it
    as an URI (feedgenerator encodes what is not ASCII).
    """
    made = context.setdefault(MADE, {})
    key = ("links", site_url)
    if key not in made:
        ref = "?ref=feed" if context.get("FEED_APPEND_REF") else ""
        links = {
            join(context, site_url, article.url) + ref: article
            for original in context.get("articles", [])
            for article in (original, *original.translations)
        }
        made[key] = {
            iri_to_uri(link): (article, link) for link, article in links.items()
        }
    return made[key]
