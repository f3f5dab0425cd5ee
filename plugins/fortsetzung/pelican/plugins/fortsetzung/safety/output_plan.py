"""Every file a build writes, known before anything is written: one gate.

Two files written to one address lose one of them, silently; a file that
web servers or hosts read (`_redirects`, `CNAME`, `.htaccess` …) changes
the whole site. Before anything is written, `OutputPlan` lists every file the
build will write and who claims it: the entries, pages, drafts and static
files (with the copies and share images the build makes of them), the
series pages, every page of every paginated list, the feeds, the theme's
files, the site's own pages (direct templates, template pages, period
archives), the server maps of redirects, and whatever
FORTSETZUNG_RESERVED_PATHS names (what other tools write into the output: a
search index, another plugin's page). Paths are normalised first
("./a/../index.html" is "index.html") and compared as a case-insensitive
file system compares them and as a reader sees them (lookalike.py).

`clashes` then applies the rules for what content may claim (`refusal`, an
allow-list), and reports every clash naming both sides: the site's own
files always win; of several entries or pages, one without `Save_as`, `Url`
or `Slug` (the first by file name) does. What loses is not written
(`disable`). Redirects (redirects.py) are admitted afterwards, one by one,
where nobody else claims the address (`admit`). A static file that the
settings name and give an address (EXTRA_PATH_METADATA: Pelican's recipe for
CNAME, robots.txt, favicon.ico) is the site's decision: the rules for names
and the root do not apply to it, clashes do.
"""

import os
import posixpath
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit

from pelican.contents import Article, Content, Page, Static
from pelican.paginator import Paginator

from ..derived import Derived, Replacement
from ..i18n import N_, _
from ..problems import Problem, display_path
from .lookalike import IGNORABLE, fold, look, mixed_with_latin
from .sanitize import local_hosts
from .source import line_of, shown
from .vet_content import output_path, placed_by_settings

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
#: Lists of entries per term: (context key, the template Pelican renders).
TERM_PAGES = (("tags", "tag"), ("categories", "category"), ("authors", "author"))
#: What the site's own files are, for messages.
GENERATED = N_("a page the site makes itself")
RESERVED = N_("a file the site's tools write")
MADE = N_("an image the site makes")
#: What the site's own folders hold, for messages.
THEME_FOLDER = N_("the theme's files")
RESERVED_FOLDER = N_("files the site's tools write")

# -- what content may claim -------------------------------------------------------

#: Characters a name in an address from content may have besides letters,
#: marks and digits: no control or invisible formatting characters, nothing
#: that a URL, an HTML attribute or Windows treats specially (";": Pelican
#: takes the rest of a {static} link for URL parameters and finds no file).
NAME_PUNCTUATION = frozenset(" -_.,~+()[]!&=@$")
#: Files that hosts and web servers read at the root of a site (folded). The
#: rule on leading dots and underscores covers .htaccess, .well-known,
#: _redirects, _headers and their kin; the rule on pages most others.
ROOT_FILES = frozenset({
    "cname", "404.html", "200.html", "robots.txt", "security.txt", "humans.txt",
    "ads.txt", "app-ads.txt", "sellers.json", "keybase.txt", "llms.txt",
    "favicon.ico", "apple-touch-icon.png", "apple-touch-icon-precomposed.png",
    "sitemap.xml", "crossdomain.xml", "clientaccesspolicy.xml", "browserconfig.xml",
    "manifest.json", "site.webmanifest", "netlify.toml", "vercel.json",
    "firebase.json", "staticwebapp.config.json", "bingsiteauth.xml",
})  # fmt: skip
#: Files that servers read in any folder.
SERVER_FILES = frozenset({"web.config"})
#: Files that prove to a search engine or a network who owns the site.
OWNERSHIP_PROOF = re.compile(r"^(?:google[0-9a-f]+|yandex_[0-9a-f]+|pinterest-[0-9a-f]+)\.html$")  # fmt: skip
#: Bytes a name may have (file systems allow 255; share images add 13) and
#: a whole path (PATH_MAX is 4096 and a checkout may lie deep).
NAME_BYTES = 200
PATH_BYTES = 1000
#: Names Windows keeps for devices: no checkout or server there can have them.
DEVICE = re.compile(r"^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(?:\..*)?$")


def refusal(path, page):
    """Return why content may not claim `path` (a normal output path), or None.

    An allow-list: an entry, a page or an old address (`page`) must be a web
    page, a file "….html" or a folder's index.html; every name is made of
    letters, marks, digits and NAME_PUNCTUATION, and does not begin with a
    dot or an underscore (a static file's only with a dot, but at the root)
    nor end with a dot or a space, nor mixes Latin letters with another
    script's. Besides, no name may be one that hosts,
    servers, search engines or Windows read as their own.
    """
    parts = path.split("/")
    # compatibility forms fold too: a fullwidth "ＣＮＡＭＥ" is read as CNAME
    folded = unicodedata.normalize("NFKC", fold(path)).split("/")
    if len(path.encode()) > PATH_BYTES:
        return _("“/{path}…” is too long for an address.", path=path[:NAME_BYTES])
    if page and not folded[-1].endswith(".html"):
        return _(
            "“/{path}” is no web page: the address of an entry, a page or an old "
            "address ends in “/” or “.html”.",
            path=path,
        )
    for n, (part, name) in enumerate(zip(parts, folded, strict=True)):
        # "_" matters to hosts at the root (_redirects), Jekyll anywhere; a
        # camera's "_DSC0001.JPG" in a folder is harmless
        why = _refused_name(part, name, "._" if page or n == 0 else ".", path)
        if why:
            return why
    if (
        folded[0] in ROOT_FILES  # a file or folder at the root
        or OWNERSHIP_PROOF.match(folded[0])
        or not SERVER_FILES.isdisjoint(folded)
    ):
        return _(
            "“/{path}” is a file that web servers, hosts or search engines read: "
            "no content may have it.",
            path=path,
        )
    return None


def _refused_name(name, folded, hidden, path):
    """Return why `name` (a part of `path`; `folded`) is no name for content."""
    if len(name.encode()) > NAME_BYTES:
        return _("“/{path}…” is too long for an address.", path=path[:NAME_BYTES])
    if name[:1] in hidden or name[-1:] in ". ":
        return _(
            "In “/{path}”, “{name}” begins with a dot or an underscore or ends "
            "with a dot or a space: web servers and hosts hide such names or "
            "read them as their settings.",
            path=path,
            name=name,
        )
    if not _PLAIN_NAME.match(name):
        wrong = next((c for c in name if not _allowed(c) or IGNORABLE.match(c)), None)
        if wrong is not None:
            return _(
                "“/{path}” contains the character “{char}” (U+{code:04X}), which "
                "belongs in no address.",
                path=path,
                char=wrong
                if wrong.isprintable() and not IGNORABLE.match(wrong)
                else "",
                code=ord(wrong),
            )
    other = mixed_with_latin(name)
    if other is not None:
        return _(
            "In “/{path}”, “{name}” mixes Latin letters with “{char}” (U+{code:04X}) "
            "of another script: such a name can imitate another address.",
            path=path,
            name=name,
            char=other,
            code=ord(other),
        )
    if DEVICE.match(folded):
        return _(
            "In “/{path}”, “{name}” is a name that Windows keeps for a device.",
            path=path,
            name=name,
        )
    return None


#: A name of ASCII letters, digits and NAME_PUNCTUATION (most are): no need
#: to look at each character.
_PLAIN_NAME = re.compile(
    "^[A-Za-z0-9" + re.escape("".join(sorted(NAME_PUNCTUATION))) + "]*$"
)


def _allowed(char):
    return char in NAME_PUNCTUATION or unicodedata.category(char)[0] in "LMN"


def normal(url):
    """Return the output path of a URL or save path, or None if it leaves the site.

    No leading slash; folders end in index.html; "." and ".." are resolved.
    """
    path = unquote(urlsplit(url).path)
    if path == "" or path.endswith("/"):
        path += "index.html"
    return output_path(path)


def pages_of(settings, save_as, url, objects, template):
    """Return the output paths of a list Pelican writes with `template`.

    One path, or one per page where the template is paginated
    (PAGINATED_TEMPLATES), as Pelican's writer numbers them.
    """
    templates = settings.get("PAGINATED_TEMPLATES", {})
    if objects is None or template not in templates:
        return [save_as]
    per_page = templates[template] or settings["DEFAULT_PAGINATION"]
    paginator = Paginator(save_as, url, objects, settings, per_page)
    return [paginator.page(n).save_as for n in paginator.page_range]


# -- who claims what ----------------------------------------------------------------


@dataclass(eq=False)
class Claim:
    """A file the build writes, and whose it is.

    `owner` is the entry, page, static file or series whose address it is
    (the rules for content apply); the site's own files have none and say
    what they are (`what`).
    """

    path: str
    owner: object = None
    what: str = ""
    page: bool = True  # a web page (entries, pages, redirects), not a file
    lost: bool = False  # to another claim: not written
    made: object = None  # a file the build made of content (derived.py)
    redirect: bool = False  # a page of an old address (no text of content)

    def __str__(self):
        if self.owner is None:
            return f"{_(self.what)} (/{self.path})"
        return display_path(self.owner)


class OutputPlan:
    """Every file the build writes, by who claims it: the gate, and the links."""

    def __init__(self, context, settings, series_list):
        self.settings = settings
        self.hosts = local_hosts(settings)
        #: The site's folder on its host ("" for a site at the root).
        self.prefix = urlsplit(settings.get("SITEURL") or "").path.strip("/")
        self.claims = defaultdict(list)  # folded path -> [Claim]
        self.exact = set()  # every path as written (links are case-sensitive)
        self.looks = {}  # what a path looks like -> the folded paths
        self.drafts = {}
        #: Static files not published (relative to the content folder): by
        #: vetting, and by the gate (added to the same set).
        self.refused = context.setdefault("refused_files", set())
        self.outside = []  # contents whose output path leaves the output folder
        self.folders = {}  # folded folder prefix that is the site's own -> what
        #: Where Pelican's links lead: (source path, URL) of entries and pages
        #: (their URLs are frozen: freeze_urls), (source path, file) of static
        #: files; see `version`. Other contents (a series' description) have no
        #: URL setting of their own.
        self.addresses = {
            (path, getattr(content, "override_url", None))
            for path, content in context.get("generated_content", {}).items()
            if content is not None
        }
        self._contents(context)
        for series in series_list:
            self._series(series, settings)
        self._generated(context, settings)

    # -- collecting -----------------------------------------------------------------

    def _claim(self, save_as, owner=None, what=GENERATED, page=True, made=None):
        if not save_as:
            return
        path = normal(save_as)
        if path is None:
            if owner is not None:
                self.outside.append(owner)
            return
        claims = self.claims[fold(path)]
        if owner is None or all(c.owner is not owner for c in claims):
            # Pelican lists some contents twice (as translations of another)
            claims.append(Claim(path, owner, what, page, made=made))
        self.exact.add(path)

    def _contents(self, context):
        for key in ("articles", "hidden_articles", "pages", "hidden_pages"):
            for content in context.get(key, []):
                for version in [content, *content.translations]:
                    self._claim(version.save_as, version)
        for key in ("drafts", "draft_pages"):
            for draft in context.get(key, []):
                for version in [draft, *draft.translations]:
                    self.drafts[normal(version.url)] = display_path(version)
                    self._claim(version.save_as, version)
        for static in context.get("staticfiles", []):
            self._static(static)
        if self.settings.get("OUTPUT_SOURCES"):
            extension = self.settings["OUTPUT_SOURCES_EXTENSION"]
            for key in ("articles", "pages"):
                for content in context.get(key, []):
                    stem = os.path.splitext(content.save_as)[0]
                    self._claim(stem + extension, what=GENERATED, page=False)

    def _static(self, static):
        if isinstance(static, Replacement):  # claimed by the content file
            self._claim(static.save_as, static.original, page=False)
        elif isinstance(static, Derived):
            self._claim(static.save_as, what=MADE, page=False, made=static)
        else:
            self._claim(static.save_as, static, page=False)
        self.addresses.add((static.source_path, static.save_as))

    def _series(self, series, settings):
        for path in pages_of(
            settings, series.save_as, series.url, series.articles, "series"
        ):
            self._claim(path, series)
        for kind in ("atom", "rss", "json"):
            self._claim(series.feed_path(kind), what=GENERATED, page=False)

    def _generated(self, context, settings):
        self._lists(context, settings)
        self._feeds(context, settings)
        for setting in ("SERIES_INDEX_SAVE_AS", "SERIES_OPML_SAVE_AS", *MAPS):
            self._claim(settings.get(setting))
        for save_as in settings.get("TEMPLATE_PAGES", {}).values():
            self._claim(save_as)
        self._folder(settings.get("THEME_STATIC_DIR", "theme"), THEME_FOLDER)
        for path in settings.get("FORTSETZUNG_RESERVED_PATHS", []):
            if path.endswith("/"):
                self._folder(path, RESERVED_FOLDER)
            else:
                self._claim(path, what=RESERVED)

    def _lists(self, context, settings):
        """Pelican's lists of entries, each page of each."""
        articles = context.get("articles", [])
        for name in settings.get("DIRECT_TEMPLATES", []):
            save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
            url = settings.get(f"{name.upper()}_URL", f"{name}.html")
            self._pages(save_as, url, articles, name)
        for key, template in TERM_PAGES:
            for term, listed in context.get(key, []):
                self._pages(term.save_as, term.url, listed, template)
        for archives in context.get("period_archives", {}).values():
            for archive in archives:
                self._pages(
                    archive["save_as"],
                    archive["url"],
                    archive["articles"],
                    "period_archives",
                )

    def _feeds(self, context, settings):
        """Pelican's feeds: of the site, of each term, of each language."""
        for setting in SITE_FEEDS:
            self._claim(settings.get(setting))
        for settings_keys, key in TERM_FEEDS:
            for term, _listed in context.get(key, []):
                for setting in settings_keys:
                    if settings.get(setting):
                        self._claim(str(settings[setting]).format(slug=term.slug))
        articles = context.get("articles", [])
        languages = {a.lang for a in articles} | {
            t.lang for a in articles for t in a.translations
        }
        for setting in ("TRANSLATION_FEED_ATOM", "TRANSLATION_FEED_RSS"):
            if settings.get(setting):
                for lang in languages:
                    self._claim(str(settings[setting]).format(lang=lang))

    def _pages(self, save_as, url, objects, template):
        if save_as:
            for path in pages_of(self.settings, save_as, url, objects, template):
                self._claim(path)

    def _folder(self, folder, what):
        folder = output_path(f"{folder.strip('/')}/", folder=True)
        if folder:
            self.folders[fold(folder)] = what

    # -- the gate ---------------------------------------------------------------------

    def clashes(self):
        """Apply the rules to every claim of content; report each loser, disable it.

        The site's own files keep their address; of several entries or pages,
        one without `Save_as`, `Url` or `Slug` (the first by file name) does.
        """
        problems = [self._outside(content) for content in self.outside]
        for key, claims in self.claims.items():
            for looks in {look(claim.path) for claim in claims}:
                self.looks.setdefault(looks, []).append(key)
            for claim in claims:
                # made of a page whose own address breaks the rules (reported)
                if claim.made is not None and refusal(claim.path, page=False):
                    claim.lost = claim.made.refused = True
        for key, claims in sorted(self.claims.items()):
            ours = [c for c in claims if c.owner is None]
            theirs = sorted((c for c in claims if c.owner is not None), key=_priority)
            for n, claim in enumerate(theirs):
                winner = ours[0] if ours else (theirs[0] if n else None)
                found = (
                    self._clash(claim, winner, claims)
                    if winner is not None
                    else self._refused(key, claim)
                )
                if found:
                    claim.lost = True
                    problems.append(self._lose(claim, found))
        return problems

    def admit(self, save_as, owner):
        """Let `owner` claim `save_as` (a redirect) if nobody has it; else say why not."""
        path = normal(save_as)
        key = fold(path)
        claim = Claim(path, owner, redirect=True)
        if key in self.claims:
            return _(
                "At “{value}” the site has a page or file of its own.",
                value=f"/{path}",
            )
        found = self._refused(key, claim)
        if found:
            return found[0]
        self.claims[key].append(claim)
        self.exact.add(path)
        self.looks.setdefault(look(path), []).append(key)
        return None

    def _clash(self, claim, winner, claims):
        names = ", ".join(str(c) for c in sorted(claims, key=_order))
        return (
            _(
                "Several files would have the same address /{address}: {files}.",
                address=claim.path,
                files=names,
            ),
            winner,
        )

    def _refused(self, key, claim):
        """(message, the other claim or None) if `claim` breaks a rule, else None."""
        if "/" not in key and not (claim.redirect or self._at_root(claim.owner)):
            return (
                _(
                    "“/{path}” would lie at the root of the site, where hosts and "
                    "search engines look for files of their own; the site keeps "
                    "content in folders.",
                    path=claim.path,
                ),
                None,
            )
        for folder, what in self.folders.items():
            if key.startswith(folder):
                return (
                    _(
                        "“/{path}” lies in the folder /{folder}, which holds {what}.",
                        path=claim.path,
                        folder=folder,
                        what=_(what),
                    ),
                    None,
                )
        parts = key.split("/")
        for n in range(1, len(parts)):
            folder = "/".join(parts[:n])
            if any(not c.lost for c in self.claims.get(folder, [])):
                return (
                    _(
                        "“/{path}” would lie inside the file /{file} ({who}).",
                        path=claim.path,
                        file=self.claims[folder][0].path,
                        who=self.claims[folder][0],
                    ),
                    None,
                )
        why = not self._placed(claim.owner) and refusal(claim.path, claim.page)
        if why:
            return why, None
        for other in self.looks.get(look(claim.path), []):
            if other != key and self._ahead(other, claim):
                first = self.claims[other][0]
                return (
                    _(
                        "The address /{address} looks exactly like /{other} "
                        "({who}): readers could not tell the two apart.",
                        address=claim.path,
                        other=first.path,
                        who=first,
                    ),
                    first,
                )
        return None

    def _at_root(self, content):
        """Whether the settings put `content` at the root of the site.

        There, hosts and search engines read files as their own (an
        ownership proof such as google….html): content may be there only
        where the site's own URL settings, not its own fields or a link,
        put it.
        """
        if isinstance(content, Static):
            return (
                "save_as" in content.metadata
                or placed_by_settings(content)
                or any(not path.strip("./") for path in self.settings["STATIC_PATHS"])
            )
        if not _movable(content) or not any(
            key in content.metadata for key in ("save_as", "url")
        ):
            return True  # where the settings put it
        key = "save_as" if content.in_default_lang else "lang_save_as"
        return "/" not in content._expand_settings(key)

    @staticmethod
    def _placed(content):
        """Whether the settings name the file `content` and its address.

        Then the rules for names (`refusal`) are the site's decision: Pelican's
        recipe puts extra/CNAME at /CNAME. Clashes are still refused.
        """
        return isinstance(content, Static) and placed_by_settings(content)

    def _ahead(self, key, claim):
        """Whether a claim of `key` goes before `claim` where the two look alike."""
        written = [c for c in self.claims[key] if not c.lost]
        if not written:
            return False
        best = min(written, key=_priority)
        # a redirect comes last: every address decided before it stays
        return (
            claim.redirect or best.owner is None or _priority(best) < _priority(claim)
        )

    def _lose(self, claim, found):
        message, _winner = found
        content = claim.owner
        field = _("File") if isinstance(content, Static) else _own_field(content)
        if isinstance(content, Static):
            self.refused.add(content.relative_source_path)
        if disable(content):
            message = f"{message} {_('This file is not published.')}"
        return Problem(
            display_path(content),
            field,
            message,
            _fix(content, field),
            # a draft's address is only the preview's
            severity="warning"
            if getattr(content, "status", "") == "draft"
            else "error",
        )

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

    # -- links ------------------------------------------------------------------------

    def version(self):
        """Return what links are checked against.

        Two plans with equal versions resolve and check every link alike, as
        far as the settings are the same: the files written, the drafts, the
        files refused and where links lead. Once the plan is final (when the
        checks begin). A text's {attach} link cannot move its file after
        that: the plan has asked every static file for its address, and
        Pelican moves none whose address was asked for (`Static.attach_to`;
        tests/test_live_preview.py holds the preview to a fresh build).
        """
        return frozenset(
            (
                *(("file", path) for path in self.exact),
                *(("draft", *draft) for draft in self.drafts.items()),
                *(("refused", path) for path in self.refused),
                *(("address", *address) for address in self.addresses),
            )
        )

    def exists(self, address):
        # called for every link: look up, never build a union of all addresses
        return address in self.exact or f"{address}/index.html" in self.exact

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
        if file == ".." or file.startswith("../"):
            return (
                _(
                    "“{target}” points to a file outside the folder content/: it is "
                    "not published.",
                    target=target,
                ),
                _("Put the file into content/images/ and link to it there."),
            )
        if file in self.refused and os.path.lexists(
            os.path.join(self.settings["PATH"], file)
        ):
            return (
                _(
                    "“{target}”: this file is not published (see what is said of "
                    "the file).",
                    target=target,
                ),
                _("Replace the file with one that may be published."),
            )
        return (
            _("“{target}” leads nowhere: there is no file “{file}”.", target=target,
              file=shown(os.path.join(self.settings["PATH"], file))),
            _(
                "Check the file name after {{filename}} or {{static}}; it starts "
                "with / and is relative to the folder content/."
            ),
        )  # fmt: skip


class Links:
    """The links of one entry or page, checked against an `OutputPlan`."""

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
        if target.startswith("{"):
            target = _as_written(target)
        found = self.site.check_link(self.content, self, target, tag)
        if found is None:
            return None
        message, fix, field, hint = found
        line = line_of(self.source, target) or (hint and line_of(self.source, hint))
        return Problem(self.path, field, message, fix, line=line or None)


def _as_written(link):
    """Return a {static} or {filename} link Pelican left unresolved as written.

    Pelican reads a ";" in its last part as the start of URL parameters
    (urlparse), finds no file, and writes the link with the parameters
    twice: "{static}/x;y.png" becomes "{static}/x;y.png;y.png".
    """
    first = link.find(";")
    length, odd = divmod(len(link) + first, 2)
    written = link[:length]
    if first < 0 or odd or link != f"{written};{written[first + 1 :]}":
        return link
    return written


def _movable(content):
    """Entries and pages can take another address; series and files cannot."""
    return isinstance(content, Content) and not isinstance(content, Static)


#: The header fields that give an entry or page its address, most specific first.
OWN_ADDRESS = ("save_as", "url", "slug")


def _own_field(content):
    """Return the field whose change gives `content` another address."""
    if not _movable(content):
        return _("Address")
    return next(
        (key.capitalize() for key in OWN_ADDRESS if key in content.metadata),
        _("Address"),
    )


def _fix(content, field):
    if not _movable(content):  # a file, or a series (its file's name)
        return _("Rename the file: letters, digits, hyphens.")
    if field in ("Save_as", "Url"):
        return _(
            "Delete the line “{field}: …”; then the address comes from the title.",
            field=field,
        )
    return _(
        "Give the entry another title or a line “Slug: another-name” (and delete "
        "“Save_as” or “Url”, if there are such lines)."
    )


def _priority(claim):
    """Order of the claims of content: who keeps an address they share."""
    content = claim.owner
    if content is None:
        return (False, False, "")
    chosen = _movable(content) and any(k in content.metadata for k in OWN_ADDRESS)
    return (_movable(content), chosen, display_path(content))


def _order(claim):
    """Sort the site's own claims first, then those of content by priority."""
    return (claim.owner is not None, _priority(claim))


def disable(content):
    """Keep an entry, page or static file from being written (links to it fail).

    Returns whether it can be kept (a series cannot).
    """
    if isinstance(content, Static):
        content.refused = True
    elif _movable(content):
        content.override_save_as = ""
    else:
        return False
    return True


#: What stays as it is in a static file's address (RFC 3986's unreserved
#: characters and "/"): everything else is percent-encoded.
URL_SAFE = "/"


def encode_static_urls(statics):
    """Give every static file an address that is a valid URL, once.

    Pelican makes a static file's URL from its path as it is (STATIC_URL
    "{path}", and `{attach}`), so "images/mein bild.png" went into `src`,
    `href` and the feeds with its space. Every address of a static file is
    its `url` (the `{static}` and `{attach}` links, `srcset`, the share
    images), so it is encoded here, percent-encoding what a URL path cannot
    hold; `save_as` keeps the name (the file on disk is "mein bild.png").
    Called when the plan is made: no `{attach}` moves a file after that.
    """
    for static in statics:
        if not getattr(static, "url_encoded", False):  # the preview keeps files
            static.override_url = quote(static.url, safe=URL_SAFE)
            static.url_encoded = True


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
