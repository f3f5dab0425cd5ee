"""Old addresses of imported content (`Redirect_from:`) lead to the new ones.

An entry, page or series description names the addresses it had on the old
site, comma-separated, each starting with "/" as the old site wrote it
(percent-encoded or not), or a query address of WordPress (`/?p=123`,
`/?page_id=45`). For a published target the build writes

- a redirect page at every path address (the decoded, normalised path; one
  whose last part has no file extension is a folder, with index.html), from
  the template `redirect.html`;
- two server maps with every redirect as a permanent one (301), the only way
  to redirect a query address: an Apache `.htaccess` and an nginx `map`
  (FORTSETZUNG_REDIRECTS_HTACCESS_SAVE_AS, FORTSETZUNG_REDIRECTS_NGINX_SAVE_AS).

An address that leaves the site, names a host or an unknown query is an
error; so is one that another page or feed of the site has, or that two
contents claim. An address that is the target's own is skipped (the content
lives there). The addresses are decided once, with the checks (`plan`).
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from pelican.contents import Content

from .addresses import MAPS, normal
from .i18n import _
from .model import Problem, display_path
from .vetting import output_path

FIELD = "Redirect_from"
#: The query addresses of WordPress that can be redirected: (name, number).
QUERY = re.compile(r"^(p|page_id)=([0-9]+)$")
#: The templates of the server maps, by the settings of their paths.
MAP_TEMPLATES = dict(
    zip(
        MAPS,
        ("fortsetzung/redirects.htaccess", "fortsetzung/redirects.nginx.conf"),
        strict=True,
    )
)
#: Bytes of a path written as they are in an Apache pattern; others as \xHH.
_PLAIN = frozenset(
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_~-"
)


class BadAddress(ValueError):
    """An old address that cannot be redirected; says why and how to fix it."""

    def __init__(self, message, fix):
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class OldAddress:
    """An address of the old site: a path (decoded, normalised) or a query."""

    written: str  # as the content file writes it
    path: str | None = None  # "2014/über-uns/" (no leading "/"), for a path
    query: tuple | None = None  # ("p", "123"), for a query address

    @property
    def save_as(self):
        """The output path of its redirect page (None for a query address)."""
        if self.path is None:
            return None
        # a folder: "/ueber-uns" is the page "/ueber-uns/" (else the file
        # ueber-uns would stand where a page may need the folder)
        if "." in self.path.rsplit("/", 1)[-1]:
            return self.path
        return output_path(f"/{self.path.rstrip('/')}/index.html")


def parse(written):
    """Return the `OldAddress` of a value as written; raise `BadAddress`."""
    if written.startswith("//") or "://" in written:
        raise BadAddress(
            _("“{value}” names a host; only the path is wanted.", value=written),
            _(
                "Write the address without https:// and host, e.g. “/2014/05/12/hallo/”."
            ),
        )
    if not written.startswith("/"):
        raise BadAddress(
            _("“{value}” does not start with “/”.", value=written),
            _("Write the old address from the first “/” after the host on."),
        )
    parts = urlsplit(written)
    if parts.fragment or (parts.query and parts.path != "/") or "?" in parts.path:
        raise _unsupported(written)
    if parts.query:
        match = QUERY.match(parts.query)
        if not match:
            raise _unsupported(written)
        return OldAddress(written, query=(match[1], match[2]))
    try:
        decoded = unquote(parts.path, errors="strict")
    except UnicodeDecodeError:
        raise BadAddress(
            _("“{value}” is not an address in UTF-8.", value=written),
            _("Copy the address from the browser's address bar of the old site."),
        ) from None
    path = output_path(decoded, folder=True) if decoded.strip("/") else ""
    if ".." in decoded.split("/") or "\\" in decoded or path is None:
        raise BadAddress(
            _("“{value}” leaves the site or holds characters that belong in no address.",
              value=written),
            _("Write the old address as it was, without “..” and backslashes."),
        )  # fmt: skip
    return OldAddress(written, path=path)


def _unsupported(written):
    return BadAddress(
        _("“{value}” is no address that can be redirected.", value=written),
        _(
            "Write a path (“/2014/05/12/hallo/”) or a WordPress address "
            "“/?p=123” or “/?page_id=45”, without “#”."
        ),
    )


@dataclass(frozen=True)
class Redirect:
    """An old address and where it leads now (an absolute path, percent-encoded)."""

    old: OldAddress
    url: str  # the target's absolute path under SITEURL's path
    canonical: str  # the target's URL, with SITEURL
    title: str

    @property
    def save_as(self):
        return self.old.save_as

    @property
    def apache_pattern(self):
        """The old path as a pattern of `RewriteRule` (what it matches: decoded)."""
        return "".join(
            chr(byte) if byte in _PLAIN else f"\\x{byte:02x}"
            for byte in self.old.path.encode("utf-8")
        )

    @property
    def apache_url(self):
        """The target for `RewriteRule` ("%" is special there)."""
        return self.url.replace("%", "\\%")


def plan(sources, site, settings):
    """Return (redirects, problems) of `sources`: (content with the field, target).

    The target is the content itself or a series (`url`, and `title` or
    `name`). `site` (addresses.SiteMap) knows every other address of the
    build and admits a redirect's address only where the rules allow it and
    nobody else claims it; then links to it lead somewhere.
    """
    prefix = urlsplit(settings.get("SITEURL") or "").path.rstrip("/")
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    claimed = {}  # path or query -> the file that claimed it first
    redirects, problems = [], []
    for content, target in sorted(sources, key=lambda s: display_path(s[0])):
        if not addresses(content):
            continue
        own = normal(target.url or "")
        url = quote(target.url or "", safe="/%")
        title = str(target.title if isinstance(target, Content) else target.name)
        for old in _parsed(content, problems):
            if old.save_as is not None and old.save_as == own:
                continue  # the content lives there
            problem = _clash(content, old, claimed, site)
            if problem:
                problems.append(problem)
                continue
            claimed[old.save_as or old.query] = display_path(content)
            redirects.append(
                Redirect(old, f"{prefix}/{url}", f"{siteurl}/{url}", title)
            )
    return redirects, problems


def unparsable(content):
    """Return the problems of the old addresses of `content` that cannot be read."""
    problems = []
    list(_parsed(content, problems))
    return problems


def _parsed(content, problems):
    """Yield the `OldAddress`es of `content`; add a problem for each bad one."""
    for written in addresses(content):
        try:
            yield parse(written)
        except BadAddress as error:
            problems.append(_problem(content, error.message, error.fix))


def addresses(content):
    """Return the old addresses a content's header names (comma-separated)."""
    value = content.metadata.get(FIELD.lower())
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


def _clash(content, old, claimed, site):
    key = old.save_as or old.query
    if key in claimed:
        return _problem(
            content,
            _("“{value}” is claimed by {other} as well.", value=old.written,
              other=claimed[key]),
            _("Leave the old address in one of the two files only."),
        )  # fmt: skip
    if old.save_as is None:
        return None
    refused = site.admit(old.save_as, content)
    if refused:
        return _problem(
            content,
            refused,
            _("Delete this address from the line “Redirect_from: …”."),
        )
    return None


def _problem(content, message, fix):
    return Problem(display_path(content), FIELD, message, fix)


def write(generator, writer, redirects):
    """Write the redirect pages and the server maps of `redirects`."""
    settings = generator.settings
    template = generator.get_template("redirect")
    for redirect in redirects:
        if redirect.save_as:
            writer.write_file(
                redirect.save_as,
                template,
                generator.context,
                relative_urls=settings["RELATIVE_URLS"],
                redirect=redirect,
            )
    if not redirects:
        return
    for setting, name in MAP_TEMPLATES.items():
        if settings.get(setting):
            writer.write_file(
                settings[setting],
                generator.env.get_template(name),
                generator.context,
                redirects=redirects,
                prefix=urlsplit(settings.get("SITEURL") or "").path.rstrip("/"),
            )
