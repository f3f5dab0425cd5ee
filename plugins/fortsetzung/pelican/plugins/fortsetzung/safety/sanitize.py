"""One sanitiser for all HTML that comes from content.

Entries, pages, series introductions and summaries are HTML made from an
author's Markdown or brought in by an import. Before a template or a feed
sees any of it, `sanitize` does two things:

- it *reports* (as `Finding`s, for the checks to tell the author with file,
  line and fix) everything that would run a script, load something from
  another host when the page is shown, send readers' data elsewhere, or
  hide text: script, embeds (iframe, object …), forms, `<link>`, `<meta>`,
  `<base>`, `<style>`, inline SVG, event-handler attributes, `javascript:`
  URLs, CSS with `url(…)`, `src`/`srcset`/`poster`/`ping` on another host,
  and a comment that is never closed;
- it *cleans*: nh3 (the Python binding of ammonia, an allowlist sanitiser
  built on a browser-grade HTML5 parser) keeps only the elements and
  attributes below and drops every URL that would load from another host.
  Hand-written regular expressions miss the ways browsers parse broken
  HTML; ammonia is maintained by people who track them.

What is reported and what is removed come from the same tables, so a page
never shows what the checks did not mention. An HTML comment is an author's
private note: it is removed; one that is never closed hides, as in a
browser, everything after it.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
import nh3

from .. import i18n
from ..i18n import N_, _
from ..memo import Memo
from .source import visible

#: Elements authors' Markdown (with the extensions Pelican uses) produces,
#: and a few that authors type; everything else is removed (its text stays).
# fmt: off
ALLOWED_TAGS = frozenset({
    "a", "abbr", "address", "audio", "b", "bdi", "bdo", "blockquote", "br", "caption",
    "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby",
    "s", "samp", "small", "source", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "track", "u", "ul", "var",
    "video", "wbr",
})
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "hreflang", "rel", "type"},
    "audio": {"src", "controls", "loop", "muted", "preload"},
    "blockquote": {"cite"},
    "col": {"span"},
    "colgroup": {"span"},
    "del": {"cite", "datetime"},
    "details": {"open"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "ins": {"cite", "datetime"},
    "li": {"value"},
    "ol": {"start", "reversed", "type"},
    "q": {"cite"},
    "source": {"src", "srcset", "sizes", "type", "media", "width", "height"},
    "td": {"colspan", "rowspan", "headers", "style"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr", "style"},
    "time": {"datetime"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "video": {
        "src", "poster", "controls", "loop", "muted", "preload", "playsinline",
        "width", "height",
    },
}
# fmt: on
#: Python-Markdown aligns table columns with style="text-align: …".
ALLOWED_STYLES = {"text-align"}
#: Attributes whose URL the browser fetches when the page is shown.
LOADING = {"src", "srcset", "poster", "data", "background", "ping", "lowsrc"}
#: Elements that run code, embed another page, send data or change the page.
EMBEDS = N_("embeds content from elsewhere")
ACTIVE = {
    "script": N_("runs a program (a script) in the readers' browsers"),
    "noscript": N_("belongs to a script"),
    "iframe": EMBEDS,
    "frame": EMBEDS,
    "frameset": EMBEDS,
    "embed": EMBEDS,
    "object": EMBEDS,
    "applet": EMBEDS,
    "portal": EMBEDS,
    "link": N_("loads a file when the page is shown"),
    "style": N_("changes the design of the whole page"),
    "meta": N_("can redirect or change the page"),
    "base": N_("changes where every link of the page leads"),
    "form": N_("sends what readers type to an address"),
    "input": N_("belongs to a form"),
    "button": N_("belongs to a form"),
    "select": N_("belongs to a form"),
    "textarea": N_("belongs to a form"),
    "svg": N_("is an embedded graphic that can hold scripts and foreign files"),
    "math": N_("can hold foreign files"),
    "template": N_("holds hidden content"),
    "dialog": N_("lies over the page"),
}
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CSS_LOADS = re.compile(r"url\s*\(|@import|expression\s*\(|image-set\s*\(", re.I)
_CODE = re.compile(r"<(/?)(code|pre)\b", re.I)
#: An unclosed "<!--" as Python-Markdown escapes it (smarty makes the
#: dashes &ndash; or &mdash;).
_ESCAPED_COMMENT = r"&lt;!(?:--|&[nm]dash;|&#821[12];|[–—])"


@dataclass(frozen=True)
class Finding:
    """Something in an HTML fragment that must not reach the site.

    `needle` is a piece of the source to find the line by; `severity` is
    "error" (it would have done harm) or "warning" (only formatting is lost).
    """

    message: str
    fix: str
    needle: str = ""
    severity: str = "error"
    image: bool = False


def is_local(url, hosts):
    """Whether a browser would load `url` from this site (or nowhere else).

    URLs are first read as a browser reads them (spaces and controls around
    and tabs and line breaks inside ignored, backslashes as slashes), so that
    "//host", a double backslash and "https:host" count as the other host they
    are.
    """
    url = re.sub(r"[\t\n\r]", "", url).strip(_C0_AND_SPACE).replace("\\", "/")
    if url.startswith("{"):  # Pelican's {static}, {filename} …: this site
        return True
    scheme = _SCHEME.match(url)
    if scheme is None:
        return not url.startswith("//") or urlsplit(url).hostname in hosts
    if scheme.group(1).lower() not in ("http", "https"):
        return False
    return url[scheme.end() :].startswith("//") and urlsplit(url).hostname in hosts


def _loads(attribute, value):
    """Return the URLs an attribute makes the browser fetch."""
    if attribute == "srcset":
        return [part.split()[0] for part in value.split(",") if part.strip()]
    if attribute == "ping":
        return value.split()
    return [value]


def _unsafe_url(tag, attribute, value):
    """Whether a URL runs code (javascript:) or is data where only images may be."""
    scheme = _SCHEME.match(re.sub(r"[\s\x00-\x1f]", "", value))
    if not scheme:
        return False
    name = scheme.group(1).lower()
    return name in ("javascript", "vbscript") or (
        name == "data" and not _is_inline_image(tag, attribute, value)
    )


def _is_inline_image(tag, attribute, value):
    return (
        tag == "img" and attribute == "src" and value.strip().startswith("data:image/")
    )


def inspect(html, hosts):
    """Return the `Finding`s of an HTML fragment (see the module docstring)."""
    if not html or not html.strip():
        return []
    findings = []
    # parsed as a document (a fragment parser drops a <head> and its scripts)
    _walk(
        lxml.html.document_fromstring(f"<div>{html}</div>").body, hosts, findings, set()
    )
    if _unclosed_comment(html) is not None:
        findings.append(
            Finding(
                _(
                    "A comment “<!--” is never closed with “-->”: everything after "
                    "it would be invisible or shown as text."
                ),
                _("Close the comment with “-->” or delete “<!--”."),
                "<!--",
            )
        )
    return findings


def _walk(element, hosts, findings, stripped):
    for child in element:
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction: removed
        tag = child.tag.lower()
        if tag in ACTIVE:
            findings.append(_active(child, tag))
            continue  # removed with all it contains
        if tag not in ALLOWED_TAGS and tag not in stripped:
            stripped.add(tag)
            findings.append(
                Finding(
                    _("<{tag}> is left out (its text is kept).", tag=tag),
                    _("Use Markdown for the design or delete the element."),
                    f"<{tag}",
                    severity="warning",
                )
            )
        for attribute, value in child.attrib.items():
            findings += _attribute(tag, attribute.lower(), value, hosts)
        _walk(child, hosts, findings, stripped)


def _active(element, tag):
    src = (
        element.get("src")
        or element.get("data")
        or element.get("href")
        or element.get("action")
        or ""
    )
    if tag == "meta" and element.get("http-equiv"):
        what = _("redirects readers to another address")
    else:
        what = _(ACTIVE[tag])
    if tag == "svg":
        fix = _(
            "Save the graphic as an .svg file in content/images/ and show it with "
            "![Description]({{static}}/images/file.svg)."
        )
    elif ACTIVE[tag] == EMBEDS:
        fix = _("Link to the content with an ordinary link instead.")
    else:
        fix = _("Delete the element; entries are made of text, images and links.")
    return Finding(
        _(
            "<{tag}> {what}{where}: this is not allowed, for safety and privacy.",
            tag=tag,
            what=what,
            where=f" ({src})" if src else "",
        ),
        fix,
        src or f"<{tag}",
    )


def _attribute(tag, attribute, value, hosts):
    if attribute.startswith("on"):
        return [
            Finding(
                _(
                    "The attribute {attribute} runs a program (a script): not allowed.",
                    attribute=attribute,
                ),
                _(
                    "Delete {attribute}=… from the element <{tag}>.",
                    attribute=attribute,
                    tag=tag,
                ),
                attribute,
            )
        ]
    if attribute == "style" and _CSS_LOADS.search(value):
        return [
            Finding(
                _("The style “{style}” loads files or runs code.", style=value),
                _(
                    "Delete the style; show images with "
                    "![Description]({{static}}/images/file.jpg)."
                ),
                value,
            )
        ]
    if _unsafe_url(tag, attribute, value):
        return [
            Finding(
                _(
                    "“{address}” is not allowed as an address: it runs a program "
                    "or holds a whole page.",
                    address=value[:80],
                ),
                _("Link to a page with https:// or to an entry with {{filename}}."),
                value[:40],
            )
        ]
    if attribute in LOADING and not _is_inline_image(tag, attribute, value):
        foreign = [url for url in _loads(attribute, value) if not is_local(url, hosts)]
        if foreign:
            return [
                Finding(
                    _(
                        "“{address}” is loaded from another website: readers would "
                        "send it their data.",
                        address=foreign[0],
                    ),
                    _("Put the file into content/images/ and show it with {{static}}."),
                    foreign[0],
                    image=tag == "img",
                )
            ]
    return []


def _unclosed_comment(html):
    """Return where a comment that is never closed begins, or None.

    Outside code, a "<!--" in the HTML is a comment (Python-Markdown escapes
    one that it does not see closed as "&lt;!--", which counts too).
    """
    depth = 0
    position = 0
    for match in re.finditer(rf"{_CODE.pattern}|<!--|{_ESCAPED_COMMENT}", html, re.I):
        text = match.group(0)
        if match.group(2):  # <code>, </code>, <pre>, </pre>
            depth = max(0, depth + (-1 if match.group(1) else 1))
        elif depth == 0 and match.start() >= position:
            if text != "<!--":
                return match.start()
            end = html.find("-->", match.end())
            if end < 0:
                return match.start()
            position = end + 3
    return None


def clean(html, hosts):
    """Return `html` with only what ALLOWED_TAGS/ATTRIBUTES allow, nothing foreign."""
    if not html:
        return html
    cut = _unclosed_comment(html)
    if cut is not None:
        html = html[:cut]

    def keep(tag, attribute, value):
        if _unsafe_url(tag, attribute, value):
            return None
        loads = attribute in LOADING and not _is_inline_image(tag, attribute, value)
        if loads and not all(is_local(url, hosts) for url in _loads(attribute, value)):
            return None
        return value

    # visible: entities such as &#x1b; must not put back what reading removed
    return _without_empty_media(
        visible(
            nh3.clean(
                html,
                tags=ALLOWED_TAGS,
                clean_content_tags=set(ACTIVE) - {"form", "button", "select", "dialog"},
                attributes=ALLOWED_ATTRIBUTES,
                attribute_filter=keep,
                filter_style_properties=ALLOWED_STYLES,
                url_schemes={"http", "https", "mailto", "tel", "data"},
                link_rel=None,
            )
        )
    )


#: An image or a <source> whose every address was removed (nh3 writes
#: attributes in double quotes).
_EMPTY_MEDIA = re.compile(r"<(?:img|source)\b(?![^>]*\s(?:src|srcset)=)[^>]*>")
_ALT = re.compile(r'\salt="([^"]*)"')


def _without_empty_media(html):
    """Replace an image that lost its address by its description in brackets.

    An <img> without src is invalid HTML, and readers should see what is
    missing.
    """

    def described(match):
        alt = _ALT.search(match.group(0))
        return f"[{alt.group(1)}]" if alt and alt.group(1).strip() else ""

    return _EMPTY_MEDIA.sub(described, html)


def sanitize(html, hosts):
    """Return (clean HTML, findings) for an HTML fragment from content."""
    key = (html, frozenset(hosts), i18n.current())  # findings are in words
    cleaned, findings = _SANITIZED.get(
        key, lambda: (clean(html, hosts), tuple(inspect(html, hosts)))
    )
    return cleaned, list(findings)


#: (HTML, hosts, language) -> (clean HTML, findings); see memo.py.
_SANITIZED = Memo("sanitized")


def plain(text):
    """Return `text` without markup: tags, comments and scripts removed."""
    cleaned = nh3.clean(str(text), tags=set(), clean_content_tags={"script", "style"})
    return visible(html.unescape(cleaned)).strip()


def local_hosts(settings):
    """Hosts that count as this site: those of SITEURL and FEED_DOMAIN."""
    return {
        urlsplit(settings.get(key) or "").hostname for key in ("SITEURL", "FEED_DOMAIN")
    } - {None, ""}
