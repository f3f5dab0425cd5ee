"""Old addresses lead to the new ones: one model of redirects, one writer.

A redirect (`Redirect`: the old address, where it leads, and its `origin`)
comes from one of two places, and everything else is the same for both:

- `Redirect_from:` (`FIELD`) on an entry, page or series description: the
  addresses it had on an old site, comma-separated, each starting with "/"
  as the old site wrote it (percent-encoded or not), or a query address of
  WordPress (`/?p=123`, `/?page_id=45`). The WordPress import writes this
  field; so can an author.
- FORTSETZUNG_PUBLISHED_ADDRESSES (`PUBLISHED`): the addresses the site
  published before, as (URL, source file, title). One that no file of the
  site has now leads to the content made from that source file, or else to
  the only content with that title (a renamed file). A publishing tool
  fills it in from what it published last (sitetools/publish.py); an
  address that finds no content, or that the site has, is left alone.

For a published target the build writes (`write`, the only writer)

- a redirect page at every path address (the decoded, normalised path; one
  of `Redirect_from` whose last part has no file extension is a folder,
  with index.html), from the template `redirect.html` (the plugin's, or the
  theme's of the same name);
- two server maps with every redirect as a permanent one (301), the only way
  to redirect a query address: an Apache `.htaccess` and an nginx `map`
  (FORTSETZUNG_REDIRECTS_HTACCESS_SAVE_AS, FORTSETZUNG_REDIRECTS_NGINX_SAVE_AS).

Every redirect page passes the gate of output_plan.py (`OutputPlan.admit`). Of
`Redirect_from`, an address that leaves the site, names a host or an
unknown query is an error; so is one that another page or feed of the
site has, or that two contents claim. An address that is the target's own
is skipped (the content lives there). The redirects are decided once, when
the model is finalised (`plan`, see generator.finalise).
"""

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from pelican.contents import Content

from ..i18n import _
from ..problems import Problem, display_path
from ..safety.output_plan import MAPS, normal
from ..safety.vet_content import output_path

FIELD = "Redirect_from"
#: The origin of a redirect from an address the site published before.
PUBLISHED = "published"
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

    written: str  # as the content file (or the setting) writes it
    path: str | None = None  # "2014/über-uns/" (no leading "/"), for a path
    query: tuple | None = None  # ("p", "123"), for a query address
    save_as: str | None = None  # the output path of its redirect page


def _page_at(path):
    """Return the output path of the redirect page of a `Redirect_from` path."""
    # a folder: "/ueber-uns" is the page "/ueber-uns/" (else the file
    # ueber-uns would stand where a page may need the folder)
    if "." in path.rsplit("/", 1)[-1]:
        return path
    return output_path(f"/{path.rstrip('/')}/index.html")


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
    return OldAddress(written, path=path, save_as=_page_at(path))


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
    """An old address and where it leads now (an absolute path, percent-encoded).

    `origin` says where it comes from: `FIELD` (a content's `Redirect_from`)
    or `PUBLISHED` (FORTSETZUNG_PUBLISHED_ADDRESSES); `source` is the target's
    source file, relative to the content folder.
    """

    old: OldAddress
    url: str  # the target's absolute path under SITEURL's path
    canonical: str  # the target's URL, with SITEURL
    title: str
    origin: str = FIELD
    source: str = ""

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
    """Return (redirects, problems) of `sources`: (content, target) of the site.

    The target is the content itself or a series (`url`, and `title` or
    `name`). `site` (output_plan.OutputPlan) knows every other address of the
    build and admits a redirect's address only where the rules allow it and
    nobody else claims it; then links to it lead somewhere. The addresses
    of `Redirect_from` come first, then those published before.
    """
    prefix = urlsplit(settings.get("SITEURL") or "").path.rstrip("/")
    siteurl = (settings.get("SITEURL") or "").rstrip("/")

    def redirect(old, content, target, origin):
        url = quote(target.url or "", safe="/%")
        return Redirect(
            old, f"{prefix}/{url}", f"{siteurl}/{url}", _title(target), origin,
            _source(content, settings),
        )  # fmt: skip

    claimed = {}  # path or query -> the file that claimed it first
    redirects, problems = [], []
    for content, target in sorted(sources, key=lambda s: display_path(s[0])):
        if not addresses(content):
            continue
        own = normal(target.url or "")
        for old in _parsed(content, problems):
            if old.save_as is not None and old.save_as == own:
                continue  # the content lives there
            problem = _clash(content, old, claimed, site)
            if problem:
                problems.append(problem)
                continue
            claimed[old.save_as or old.query] = display_path(content)
            redirects.append(redirect(old, content, target, FIELD))
    redirects += [
        redirect(old, content, target, PUBLISHED)
        for old, content, target in _published(sources, site, settings)
    ]
    return redirects, problems


def _published(sources, site, settings):
    """Yield (OldAddress, content, target) of each address published before.

    Each (URL, source file, title) of FORTSETZUNG_PUBLISHED_ADDRESSES whose
    content is found (by its source file, or else as the only one with its
    title) and whose address `site` admits: nothing else has it, and the
    rules for content allow a page there. An address is a URL as Pelican
    makes it ("2024/tag/" is a folder, "2024/tag.html" a file).
    """
    found = {
        _source(content, settings): (content, target) for content, target in sources
    }
    titled = defaultdict(list)
    for source, (_content, target) in found.items():
        titled[_title(target)].append(source)
    for url, source, title in sorted(
        settings.get("FORTSETZUNG_PUBLISHED_ADDRESSES") or ()
    ):
        same = titled.get(title, [])
        key = source if source in found else (same[0] if len(same) == 1 else None)
        save_as = normal(url)
        if key is None or save_as is None:
            continue  # leads nowhere: the publishing tool says so
        content, target = found[key]
        if save_as == normal(target.url or "") or site.admit(save_as, content):
            continue  # the content lives there, or the site has it, or may not
        path = output_path(unquote(urlsplit(url).path), folder=True)
        yield OldAddress(url, path=path, save_as=save_as), content, target


def _title(target):
    return str(target.title if isinstance(target, Content) else target.name)


def _source(content, settings):
    """Return the source file of `content`, relative to the content folder."""
    return Path(os.path.relpath(content.source_path, settings["PATH"])).as_posix()


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
