"""Reading a WordPress export (WXR 1.0 to 1.2) into plain Python objects.

WordPress (self-hosted and WordPress.com) exports a blog as one RSS file
with its own namespace, `http://wordpress.org/export/1.2/` (1.0 and 1.1
before it; some exports write `https://`). `read_export` parses it with
lxml, without loading any DTD, external entity or network resource, and
returns an `Export`; a file that is no XML, or no WordPress export, raises
`Refused` with a German message for editors. Nothing here writes a file.

Every form of terms WordPress has written is read: WXR 1.0's
`domain="tag"` (1.1 on: `post_tag`) and its plain `<category>` repeating
a term the item names again with its slug, and terms an item names that
the channel does not list (an export filtered by category or author lists
none). Two items with the same id keep the first, as WordPress' importer
does; the others are in `Export.duplicates`, for the report. A namespace
URI libxml2 finds invalid but that is no WordPress one (`xmlns:x="a b"`)
is harmless and is read past.
"""

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

#: The namespaces WordPress writes, by their last part (any 1.x version,
#: http or https).
WP = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/$")
VERSION = re.compile(r"^1\.[0-9]+$")
EXCERPT = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/excerpt/$")
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"


class Refused(Exception):
    """The import cannot be done (no export, …); the message says why, in German."""


@dataclass
class Term:
    """A category, tag or other taxonomy term (e.g. `series` of Organize Series)."""

    taxonomy: str
    slug: str
    name: str
    description: str = ""


@dataclass
class Comment:
    """One comment: what the site may show of it (no e-mail, IP or URL is read)."""

    id: str
    parent: str
    author: str
    date: str  # local time of the blog, "2014-05-12 10:00:00"
    date_gmt: str
    text: str
    approved: str  # "1", "0", "spam", "trash"
    kind: str  # "", "comment", "pingback", "trackback"


@dataclass
class Item:
    """A post, page, attachment or anything else the export holds."""

    id: str
    kind: str  # wp:post_type
    title: str
    link: str
    creator: str
    html: str
    excerpt: str
    date: str
    date_gmt: str
    modified: str
    modified_gmt: str
    slug: str
    status: str
    parent: str
    password: str
    sticky: bool
    attachment_url: str
    terms: list = field(default_factory=list)  # [(taxonomy, slug, name)]
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


@dataclass
class Export:
    """A whole export: the blog's addresses, authors, terms and items."""

    version: str
    link: str
    base_urls: list
    authors: dict  # login -> display name
    terms: list
    items: list
    duplicates: list = field(default_factory=list)  # items whose id came before


def read_export(path):
    """Return the `Export` at `path`; raise `Refused` if it is none.

    `path` is the XML file, the ZIP file WordPress.com sends (a large blog
    comes as several XML files in it) or a folder of XML files.
    """
    path = Path(path)
    parts = [_parse(name, data) for name, data in _files(path)]
    if not parts:
        raise Refused(
            f"In {path} ist keine XML-Datei. Geben Sie die Exportdatei von "
            "WordPress an (.xml, oder die .zip-Datei, in der sie kam)."
        )
    first = parts[0]
    items, duplicates = {}, []
    for item in (i for p in parts for i in p.items):
        kept = items.setdefault(item.id or id(item), item)
        if kept is not item and kept != item:
            duplicates.append(item)
    terms = {}  # the channel's first: they have descriptions
    for term in [t for p in parts for t in p.terms] + [
        Term(taxonomy, slug, name)
        for item in items.values()
        for taxonomy, slug, name in item.terms
    ]:
        terms.setdefault((term.taxonomy, term.slug.lower()), term)
    return Export(
        version=first.version,
        link=first.link,
        base_urls=list(dict.fromkeys(u for p in parts for u in p.base_urls)),
        authors={k: v for p in parts for k, v in p.authors.items()},
        terms=list(terms.values()),
        items=list(items.values()),
        duplicates=duplicates,
    )


def _files(path):
    """Yield (name, bytes) of the XML files at `path` (a file, a ZIP, a folder)."""
    try:
        if path.is_dir():
            return [(p.name, p.read_bytes()) for p in sorted(path.glob("*.xml"))]
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return [
                    (info.filename, archive.read(info))
                    for info in sorted(archive.infolist(), key=lambda i: i.filename)
                    if info.filename.lower().endswith(".xml") and not info.is_dir()
                ]
        return [(path.name, path.read_bytes())]
    except (OSError, zipfile.BadZipFile) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise Refused(
            f"Die Datei {path} lässt sich nicht lesen ({reason}). Stimmt der Name?"
        ) from None


def _parse(shown, data):
    root = _xml(shown, data)
    namespace = _wp_namespace(root)
    channel = root.find("channel")
    if root.tag != "rss" or namespace is None or channel is None:
        raise Refused(
            f"{shown} ist keine Exportdatei von WordPress (WXR): Es fehlt der "
            "Namensraum „http://wordpress.org/export/1.x/“. " + _EXPORT_AGAIN
        )
    version = _text(channel, namespace, "wxr_version")
    if not VERSION.match(version):
        said = (
            f"die Versionsangabe „{version}“ ist ungültig"
            if version
            else ("ihr fehlt die Versionsangabe <wp:wxr_version>")
        )
        raise Refused(
            f"{shown} ist keine vollständige Exportdatei von WordPress (WXR): "
            f"{said}. " + _EXPORT_AGAIN
        )
    return Export(
        version=version,
        link=_text(channel, None, "link"),
        base_urls=[
            url
            for url in (
                _text(channel, None, "link"),
                _text(channel, namespace, "base_site_url"),
                _text(channel, namespace, "base_blog_url"),
            )
            if url
        ],
        authors={
            _text(a, namespace, "author_login"): _text(
                a, namespace, "author_display_name"
            )
            or _text(a, namespace, "author_login")
            for a in channel.iterfind(f"{{{namespace}}}author")
        },
        terms=_terms(channel, namespace),
        items=[_item(item, namespace) for item in channel.iterfind("item")],
    )


#: What an editor does about a file that is no export.
_EXPORT_AGAIN = (
    "Exportieren Sie den Blog in WordPress unter Werkzeuge → Daten exportieren → "
    "Alle Inhalte und geben Sie die heruntergeladene XML-Datei unverändert an."
)
#: libxml2's errors that mean the file ends too early.
_TRUNCATED = {"ERR_TAG_NOT_FINISHED", "ERR_DOCUMENT_END", "ERR_DOCUMENT_EMPTY"}


def _xml(shown, data):
    """Return the root of the XML `data`; namespace complaints alone are harmless."""
    for recover in (False, True):
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            remove_pis=True,
            recover=recover,
        )
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as error:
            errors = list(parser.error_log) or [error]
            if all(getattr(e, "domain_name", "") == "NAMESPACE" for e in errors):
                continue  # read again, past the namespace
            raise Refused(_not_xml(shown, errors[0], data)) from None
        if root is not None:
            return root
    raise Refused(f"{shown} ist leer. " + _EXPORT_AGAIN)


def _not_xml(shown, error, data):
    line = getattr(error, "line", None) or getattr(error, "lineno", None) or 1
    message = (getattr(error, "message", None) or getattr(error, "msg", "")).strip()
    message = message.splitlines()[0] if message else ""
    # a file cut off ends in the middle of something: the error is on its last line
    last = data.rstrip().count(b"\n") + 1
    truncated = line >= last or getattr(error, "type_name", "") in _TRUNCATED
    return (
        f"{shown}, Zeile {line}: Die Datei ist kein gültiges XML ({message}). "
        + ("Ist sie vollständig heruntergeladen? " if truncated else "")
        + _EXPORT_AGAIN
    )


def _wp_namespace(root):
    """Return WordPress' namespace: the one of `wxr_version`, else the first declared."""
    for element in root.iterfind("channel/{*}wxr_version"):
        uri = etree.QName(element).namespace
        if uri and WP.match(uri):
            return uri
    for uri in root.nsmap.values():
        if uri and WP.match(uri):
            return uri
    return None


def _text(element, namespace, name):
    """Return the text of `element`'s child `name` ("" if there is none)."""
    tag = f"{{{namespace}}}{name}" if namespace else name
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _raw(element, namespace, name):
    """Return the text of a child as it is (bodies keep their line breaks)."""
    child = element.find(f"{{{namespace}}}{name}")
    return (child.text or "") if child is not None else ""


#: Where the channel describes its terms: element, taxonomy (None: in the
#: element), and the children with slug, name and description.
_TERMS = (
    ("category", "category", "category_nicename", "cat_name", "category_description"),
    ("tag", "post_tag", "tag_slug", "tag_name", "tag_description"),
    ("term", None, "term_slug", "term_name", "term_description"),
)


def _terms(channel, ns):
    return [
        Term(
            taxonomy or _text(element, ns, "term_taxonomy"),
            _text(element, ns, slug),
            _text(element, ns, name),
            _text(element, ns, description),
        )
        for tag, taxonomy, slug, name, description in _TERMS
        for element in channel.iterfind(f"{{{ns}}}{tag}")
    ]


def _item_terms(item):
    """Return an item's [(taxonomy, slug, name)].

    WXR 1.0 names tags `domain="tag"` (later `post_tag`) and repeats each
    term without a slug (categories even without a domain): such a one
    counts only if the item names no term of that name with a slug.
    """
    terms, unnamed = [], []
    for element in item.iterfind("category"):
        name = (element.text or "").strip()
        domain = element.get("domain") or "category"
        taxonomy = "post_tag" if domain == "tag" else domain
        if element.get("nicename"):
            terms.append((taxonomy, element.get("nicename"), name))
        elif name:
            unnamed.append((taxonomy, name, name))
    named = {(taxonomy, name) for taxonomy, _slug, name in terms}
    terms += [term for term in unnamed if term[::2] not in named]
    return list(dict.fromkeys(terms))


def _excerpt(item):
    for child in item:
        if isinstance(child.tag, str) and child.tag.startswith("{"):
            uri, _, name = child.tag[1:].partition("}")
            if name == "encoded" and EXCERPT.match(uri):
                return child.text or ""
    return ""


#: Fields of `Item` and `Comment` and the WordPress elements that hold them.
_ITEM = {
    "id": "post_id",
    "date": "post_date",
    "date_gmt": "post_date_gmt",
    "modified": "post_modified",
    "modified_gmt": "post_modified_gmt",
    "slug": "post_name",
    "status": "status",
    "parent": "post_parent",
    "password": "post_password",
    "attachment_url": "attachment_url",
}
_COMMENT = {
    "id": "comment_id",
    "parent": "comment_parent",
    "author": "comment_author",
    "date": "comment_date",
    "date_gmt": "comment_date_gmt",
    "approved": "comment_approved",
    "kind": "comment_type",
}


def _item(item, ns):
    meta = {}
    for entry in item.iterfind(f"{{{ns}}}postmeta"):
        meta[_text(entry, ns, "meta_key")] = _text(entry, ns, "meta_value")
    return Item(
        **{name: _text(item, ns, tag) for name, tag in _ITEM.items()},
        kind=_text(item, ns, "post_type") or "post",
        title=_text(item, None, "title"),
        link=_text(item, None, "link"),
        creator=_text(item, DC, "creator"),
        html=_raw(item, CONTENT, "encoded"),
        excerpt=_excerpt(item),
        sticky=_text(item, ns, "is_sticky") == "1",
        terms=_item_terms(item),
        meta=meta,
        comments=[
            Comment(
                **{name: _text(c, ns, tag) for name, tag in _COMMENT.items()},
                text=_raw(c, ns, "comment_content"),
            )
            for c in item.iterfind(f"{{{ns}}}comment")
        ],
    )
