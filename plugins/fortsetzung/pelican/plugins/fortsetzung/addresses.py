"""Every address a build writes, normalised: links that lead nowhere, clashes.

Two files written to one address would lose one of them, silently: a
`Save_as: ./index.html` would replace the home page, an entry could replace a
feed. `SiteMap` collects the output path of everything the build writes (the
site's own pages and feeds too), each normalised the way the file system sees
it ("./a/../index.html" is "index.html"), and `clashes` reports every address
claimed twice and keeps the site's own pages: content that would replace one
is not written at all.
"""

import os
import posixpath
from collections import defaultdict
from urllib.parse import unquote, urljoin, urlsplit

from pelican.contents import Article, Content, Page, Static

from .i18n import N_, _
from .model import Problem, display_path
from .sanitize import local_hosts
from .source import line_of
from .vetting import output_path

#: Settings of the server maps of redirects (redirects.py).
MAPS = ("FORTSETZUNG_REDIRECTS_HTACCESS_SAVE_AS", "FORTSETZUNG_REDIRECTS_NGINX_SAVE_AS")
#: Settings of Pelican's feeds of the whole site.
SITE_FEEDS = (
    "FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS", "FORTSETZUNG_FEED_ALL_JSON",
)  # fmt: skip
#: Feeds written once per term: (settings, context key of the terms).
TERM_FEEDS = (
    (("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS"), "categories"),
    (("AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS"), "authors"),
    (("TAG_FEED_ATOM", "TAG_FEED_RSS"), "tags"),
)
GENERATED = N_("a page the site makes itself")


def normal(url):
    """Return the output path of a URL or save path, or None if it leaves the site.

    No leading slash; folders end in index.html; "." and ".." are resolved.
    """
    path = unquote(urlsplit(url).path)
    if path == "" or path.endswith("/"):
        path += "index.html"
    return output_path(path)


class SiteMap:
    """Every address the build writes, to tell links that lead nowhere."""

    def __init__(self, context, settings, series_list):
        self.settings = settings
        self.hosts = local_hosts(settings)
        #: The site's folder on its host ("" for a site at the root).
        self.prefix = urlsplit(settings.get("SITEURL") or "").path.strip("/")
        self.owners = defaultdict(dict)  # output path -> {id: content written there}
        self.generated = set()  # output paths of pages Pelican makes itself
        self.drafts = {}
        self.refused = context.get("refused_files", set())
        self.outside = []  # contents whose output path leaves the output folder
        contents = [
            *context.get("articles", []),
            *context.get("hidden_articles", []),
            *context.get("pages", []),
            *context.get("hidden_pages", []),
            *context.get("staticfiles", []),
        ]
        for content in contents:
            for version in [content, *getattr(content, "translations", [])]:
                self._own(version.save_as, version)
        for draft in [*context.get("drafts", []), *context.get("draft_pages", [])]:
            self.drafts[normal(draft.url)] = display_path(draft)
            self._own(draft.save_as, draft)
        for series in series_list:
            self._own(series.save_as, series)
            for kind in ("atom", "rss", "json"):
                self._add(series.feed_path(kind))
        self._add_generated(context, settings)

    def _add_generated(self, context, settings):
        for key in ("tags", "categories", "authors"):
            for wrapper, _articles in context.get(key, []):
                self._add(wrapper.save_as)
        for settings_keys, key in TERM_FEEDS:
            for wrapper, _articles in context.get(key, []):
                for setting in settings_keys:
                    if settings.get(setting):
                        self._add(settings[setting].format(slug=wrapper.slug))
        for setting in SITE_FEEDS:
            self._add(settings.get(setting))
        for name in settings.get("DIRECT_TEMPLATES", []):
            self._add(settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html"))
        self._add(settings.get("SERIES_INDEX_SAVE_AS"))
        self._add(settings.get("SERIES_OPML_SAVE_AS"))
        for setting in MAPS:
            self._add(settings.get(setting))
        for save_as in settings.get("TEMPLATE_PAGES", {}).values():
            self._add(save_as)
        for archives in context.get("period_archives", {}).values():
            for archive in archives:
                self._add(archive.get("save_as"))

    def _own(self, save_as, content):
        if not save_as:
            return
        address = normal(save_as)
        if address is None:
            self.outside.append(content)
        else:
            self.owners[address][id(content)] = content

    def _add(self, save_as):
        if save_as and normal(save_as):
            self.generated.add(normal(save_as))

    def is_theme_file(self, address):
        folder = self.settings.get("THEME_STATIC_DIR", "theme").strip("/")
        return address.startswith(f"{folder}/")

    def exists(self, address):
        # called for every link: look up, never build a union of all addresses
        return any(
            known in self.owners or known in self.generated
            for known in (address, f"{address}/index.html")
        )

    def clashes(self):
        """Addresses claimed twice, and addresses outside the output folder.

        The site's own pages, series pages and static files keep their
        address; of several entries or pages, one without `Save_as`, `Url` or
        `Slug` (the first by file name) does. The others are not written
        (`disable`), and each of them is reported.
        """
        problems = [self._outside(content) for content in self.outside]
        for address, owners in sorted(self.owners.items()):
            fixed = address in self.generated or self.is_theme_file(address)
            if len(owners) + fixed < 2:
                continue
            ordered = sorted(owners.values(), key=_priority)
            names = [display_path(c) for c in ordered] + (
                [_(GENERATED)] if fixed else []
            )
            for content in ordered if fixed else ordered[1:]:
                if not _movable(content):
                    continue  # two series or files: the series model says why
                disable(content)
                problems.append(
                    Problem(
                        display_path(content),
                        _("Address"),
                        _(
                            "Several files would have the same address /{address}: "
                            "{files}. This file is not published.",
                            address=address,
                            files=", ".join(names),
                        ),
                        _(
                            "Give the entry another title or a line “Slug: "
                            "another-name” (and delete “Save_as” or “Url”, if there "
                            "are such lines)."
                        ),
                        # a draft's address is only the preview's
                        severity="warning" if content.status == "draft" else "error",
                    )
                )
        return problems

    def _outside(self, content):
        disable(content)
        return Problem(
            display_path(content),
            _("Address"),
            _(
                "The address “{address}” lies outside the site.",
                address=content.save_as,
            ),
            _("Check the fields Slug, Save_as, Url and Lang."),
        )

    def links_of(self, content, source):
        """Return a `Links` that checks the links of `content` (`source`: its lines)."""
        return Links(self, content, source)

    def check_link(self, content, page, target, tag):
        """(message, fix, field, a text on the line) if `target` leads nowhere."""
        parts = urlsplit(target)
        field = N_("Image") if tag == "img" else N_("Link")
        if target.startswith("{"):
            return (*self._unresolved(content, target), _(field), None)
        if (
            parts.scheme or target.startswith(("#", "//"))
        ) and parts.hostname not in self.hosts:
            return None  # another site (the sanitiser checks loads), mail, phone
        path = parts.path
        address = normal(path if path.startswith("/") else urljoin(page.base, path))
        if address and self.prefix and address.startswith(f"{self.prefix}/"):
            address = address.removeprefix(f"{self.prefix}/")
        if address in self.drafts:
            # checked first: a preview writes drafts, the published site not
            return (
                _(
                    "“{target}” links to the draft {draft}, which is not published.",
                    target=target,
                    draft=self.drafts[address],
                ),
                _("Publish the draft first or remove the link."),
                _("Link"),
                os.path.basename(self.drafts[address]),
            )
        if address and self.exists(address):
            return None
        return (
            _(
                "“{target}” leads nowhere: there is no such page or file.",
                target=target,
            ),
            _(
                "Link to entries with [Text]({{filename}}/folder/file.md) and to "
                "images with ![Description]({{static}}/images/file.jpg)."
            ),
            _(field),
            None,
        )

    def _unresolved(self, content, target):
        """Say why a {static} or {filename} link was left as it was written."""
        relative = unquote(target.split("}", 1)[-1].split("?")[0].split("#")[0])
        if not relative.startswith("/"):
            relative = posixpath.join(
                posixpath.dirname(content.relative_source_path), relative
            )
        file = posixpath.normpath(relative.lstrip("/"))
        if file in self.refused:
            return (
                _(
                    "“{target}”: this file is not published (see what is said of "
                    "the file).",
                    target=target,
                ),
                _("Replace the file with one that may be published."),
            )
        if file == ".." or file.startswith("../"):
            return (
                _(
                    "“{target}” points to a file outside the folder content/: it is "
                    "not published.",
                    target=target,
                ),
                _("Put the file into content/images/ and link to it there."),
            )
        return (
            _("“{target}” leads nowhere: there is no such file.", target=target),
            _(
                "Check the file name after {{filename}} or {{static}}; it starts "
                "with / and is relative to the folder content/."
            ),
        )


class Links:
    """The links of one entry or page, checked against a `SiteMap`."""

    def __init__(self, site, content, source):
        self.site = site
        self.content = content
        self.source = source
        self.path = display_path(content)
        self._base = None

    @property
    def base(self):
        """The address of the page, for relative links (only they need it)."""
        if self._base is None:
            self._base = urljoin("/", self.content.url or "")
        return self._base

    def check(self, target, tag):
        """Return a problem if `target` (an href or src) leads nowhere, else None."""
        found = self.site.check_link(self.content, self, target, tag)
        if found is None:
            return None
        message, fix, field, hint = found
        line = line_of(self.source, target) or (hint and line_of(self.source, hint))
        return Problem(self.path, field, message, fix, line=line or None)


def _movable(content):
    """Entries and pages can take another address; series and files cannot."""
    return isinstance(content, Content) and not isinstance(content, Static)


def _priority(content):
    chosen = _movable(content) and any(
        key in content.metadata for key in ("save_as", "url", "slug")
    )
    return (_movable(content), chosen, display_path(content))


def disable(content):
    """Keep an entry or page from being written (links to it lead nowhere)."""
    if _movable(content):
        content.override_save_as = ""


def freeze_urls(contents):
    """Let every entry and page among `contents` keep its URL from now on.

    Pelican computes a URL from the settings on every use, and a site uses
    many (every link in a text, the lists of entries on every page, feeds):
    with thousands of entries that is a good part of checking and
    rendering. Called once all generators and plugins are done with the
    content (the checks): a plugin that moves an entry while the pages are
    written is not heard. The output path (`save_as`) is left to Pelican:
    an `override_save_as` would let the entry overwrite any page. So are
    static files.
    """
    for content in contents:
        if isinstance(content, Article | Page) and not hasattr(content, "override_url"):
            content.override_url = content.url
