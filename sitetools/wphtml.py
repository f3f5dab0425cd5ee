"""WordPress HTML to Markdown, with nothing dropped silently.

A post's HTML, as WordPress stores it, is not what it shows: the classic
editor stores paragraphs as blank lines (WordPress adds `<p>` when it shows
a post), shortcodes (`[caption]`, `[gallery]`, `[embed]` …) and the block
editor's comments (`<!-- wp:paragraph -->`) stand in the text. `convert`
turns it into Markdown for this site:

- paragraphs as WordPress shows them (`autop`), blocks' comments removed;
- `[caption]` becomes the image with its caption below, `[gallery]` its
  images, `[embed]`, `[audio]`, `[video]`, iframes and the addresses
  WordPress embeds on a line of their own become plain links (an embedded
  player would load from another host), a block WordPress renders only when
  it shows a page (`<!-- wp:latest-posts /-->`) a visible note;
- the text stays exactly what the old blog showed: every character that
  Markdown (with the site's extensions: smarty's dashes and ellipses, the
  German quotes) would read as markup gets a backslash or becomes an
  entity (`escape`); inline elements Markdown has no syntax for (`del`,
  `sup`, `abbr`, `q`, `kbd` …) stay HTML, as do tables and addresses
  (Markdown tables cannot say what HTML ones can); the plugin's sanitiser
  allows all of them;
- scripts, styles and forms are left out, `javascript:` links keep their
  text only, pictures of inline CSS (`background: url(…)`) are noted;
- images and links go through the caller's `Resolver` (local copies,
  addresses of imported entries).

Every such change is a note in `Converted.notes` (German, for the
import's report); shortcodes nobody converts stay in the text as they
were, where a reader sees them. The Markdown is written with markdownify
(a maintained converter built on BeautifulSoup, which reads the broken
HTML old posts hold as browsers do, and which lets us say per element how
it is written).
"""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment
from markdownify import ATX, MarkdownConverter

#: Shortcodes with a converter here; every other name in SHORTCODES (and
#: any pair `[x]…[/x]`) stays in the text and is noted.
SHORTCODES = (
    "caption|wp_caption|gallery|embed|audio|video|playlist|youtube|vimeo|"
    "soundcloud|googlemaps|slideshow|contact-form|contact-form-7|polldaddy|"
    "tweet|instagram|facebook|archives|sitemap|gravityform|table"
)
_SHORTCODE = re.compile(
    rf"\[(?P<name>{SHORTCODES})\b(?P<attrs>[^\]]*)\]"
    rf"(?:(?P<inner>.*?)\[/(?P=name)\])?"
    r"|\[(?P<pname>[a-z][\w-]*)\b(?P<pattrs>[^\]]*)\](?P<pinner>.*?)\[/(?P=pname)\]",
    re.DOTALL | re.IGNORECASE,
)
_ATTRIBUTE = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_BLOCK = re.compile(r"<!--\s*(/?)wp:([\w/-]+)(.*?)(/?)\s*-->", re.DOTALL)
#: Blocks whose saved HTML is all there is to them.
STATIC_BLOCKS = {
    "paragraph", "heading", "list", "list-item", "image", "quote", "pullquote",
    "gallery", "table", "separator", "spacer", "code", "preformatted", "verse",
    "columns", "column", "group", "buttons", "button", "media-text", "cover",
    "html", "embed", "file", "audio", "video", "freeform", "more", "details",
    "footnotes", "row", "stack",
}  # fmt: skip
#: Hosts whose addresses WordPress turns into players (oEmbed).
EMBED_HOSTS = re.compile(
    r"(^|\.)(youtube\.com|youtu\.be|vimeo\.com|twitter\.com|x\.com|instagram\.com|"
    r"facebook\.com|soundcloud\.com|spotify\.com|flickr\.com|slideshare\.net|"
    r"tiktok\.com|wordpress\.tv|dailymotion\.com|mixcloud\.com|google\.com)$"
)
_BLOCK_TAGS = (
    "address|article|aside|blockquote|details|div|dl|figure|figcaption|footer|"
    "form|h[1-6]|header|hr|ol|p|pre|section|table|ul|li|iframe|style|script|"
    "!--"
)
_STARTS_BLOCK = re.compile(rf"^\s*<(?:/?(?:{_BLOCK_TAGS})\b)", re.IGNORECASE)
_URL_ALONE = re.compile(r"^\s*(https?://\S+)\s*$")
#: What Python-Markdown, with the site's extensions (extra, smarty, the
#: German quotes), would read as markup in a text: each such character gets
#: a backslash, "<" and an entity's "&" become entities. Hyphens and dots
#: only where they would start a list or become a dash or an ellipsis.
_MARKUP = re.compile(r"""[\\`*_{}\[\]>#|"']|-(?=-)|(?<=-)-|\.(?=\.)|(?<=\.)\.""")
_PLAIN_MARKUP = re.compile(r"""[\\`*_{}\[\]>#]""")
_LIST_START = re.compile(r"^(\s*)(?:([-+])|([0-9]{1,9})\.)(?=\s|$)")
_ENTITY = re.compile(r"&(#?\w+;)")
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]*)""", re.IGNORECASE)
#: Inline elements Markdown has no syntax for, kept as HTML (the plugin's
#: sanitiser allows them), with the name the site uses for each.
INLINE = {
    "abbr": "abbr", "acronym": "abbr", "bdi": "bdi", "bdo": "bdo", "cite": "cite",
    "del": "del", "dfn": "dfn", "ins": "ins", "kbd": "kbd", "mark": "mark", "q": "q",
    "s": "s", "samp": "samp", "small": "small", "strike": "s", "sub": "sub",
    "sup": "sup", "time": "time", "u": "u", "var": "var",
}  # fmt: skip
#: Their attributes worth keeping (the sanitiser decides again).
INLINE_ATTRIBUTES = ("title", "lang", "dir", "cite", "datetime")
#: Block elements Markdown has no syntax for, kept as HTML blocks.
RAW_BLOCKS = ("table", "address")


@dataclass
class Converted:
    """Markdown, and what the editor should know about it (German)."""

    markdown: str
    notes: list = field(default_factory=list)


class Resolver:
    """Where images and links of the converted HTML go; the importer's is richer.

    `image(src)` returns the address to use for an image, or None to keep
    it as a link (and note it); `link(href)` the address for a link;
    `gallery(ids)` the (src, alt) of a gallery's images.
    """

    def image(self, src):
        return None

    def link(self, href):
        return href

    def gallery(self, ids):
        return []


def convert(text, resolver=None, site=True):
    """Return the `Converted` Markdown of WordPress' HTML `text`.

    `site`: Markdown for the site's texts; otherwise for comments (`escape`).
    """
    notes = []
    soup = prepared(text, resolver, notes)
    raw = _raw_blocks(soup, notes)
    writer = _Writer if site else _CommentWriter
    markdown = writer(heading_style=ATX, bullets="-").convert_soup(soup)
    for token, block in raw.items():
        markdown = markdown.replace(token, f"\n\n{block}\n\n")
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    return Converted(markdown + "\n" if markdown else "", list(dict.fromkeys(notes)))


def shown(text, resolver=None, notes=None):
    """Return the HTML WordPress shows for a post's `text` (what is converted).

    Blocks' comments go, shortcodes are expanded (or noted in `notes`),
    the classic editor's paragraphs get their `<p>`.
    """
    resolver = resolver or Resolver()
    notes = [] if notes is None else notes
    blocks = "<!-- wp:" in text
    text = _blocks(text, notes)
    text = _SHORTCODE.sub(lambda m: _shortcode(m, resolver, notes), text)
    return text if blocks else autop(text)


def prepared(text, resolver=None, notes=None):
    """Return the soup of what the site shows of `text` (Markdown is written from it).

    It is `shown`, with what a page of the site must not hold changed (each
    change noted in `notes`), and images and links resolved.
    """
    resolver = resolver or Resolver()
    notes = [] if notes is None else notes
    soup = BeautifulSoup(shown(text, resolver, notes), "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    _leave_out_active(soup, notes)
    _embeds_to_links(soup, notes)
    _images(soup, resolver)
    _links(soup, resolver, notes)
    _backgrounds(soup, notes)
    return soup


def plain(text):
    """Return the text of an HTML snippet on one line, for a header field.

    Fields are text, shown as typed ("<b>" in a title whose HTML was
    escaped stays "<b>": templates escape it).
    """
    soup = BeautifulSoup(text or "", "html.parser")
    for element in soup.find_all(["script", "style"]):
        element.decompose()
    for element in soup.find_all(re.compile(f"^(?:{_BLOCK_TAGS}|br|td|th)$")):
        element.insert_after(" ")
    return " ".join(soup.get_text().split())


def excerpt(text, words=55):
    """Return the first `words` words of a post's text, as WordPress' own excerpt."""
    text = _BLOCK.sub("", _SHORTCODE.sub(" ", text))
    found = plain(text).split()
    return " ".join(found[:words]) + (" …" if len(found) > words else "")


def autop(text):
    """Wrap the classic editor's blank-line paragraphs in <p>, as WordPress shows them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = []
    for chunk in re.split(r"\n\s*\n", text):
        if not chunk.strip():
            continue
        if _STARTS_BLOCK.match(chunk) or "<pre" in chunk.lower():
            parts.append(chunk)
        else:
            parts.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(parts)


def escape(text, site=True):
    """Return Markdown that shows exactly `text` (no character is markup).

    `site`: for the site's Markdown (extra, smarty, the German quotes);
    otherwise for plain Python-Markdown (comments), where a backslash
    before a quote or "|" would show.
    """
    markup = _MARKUP if site else _PLAIN_MARKUP
    text = markup.sub(r"\\\g<0>", text)
    text = _LIST_START.sub(
        lambda m: m[1] + (f"\\{m[2]}" if m[2] else f"{m[3]}\\."), text
    )
    text = _ENTITY.sub(r"&amp;\1", text)
    # "<!" as text: the site's sanitiser reads "&lt;!--" as a comment left open
    return text.replace("<!", "&lt;&#33;").replace("<", "&lt;")


def _blocks(text, notes):
    def replace(match):
        closing, name, _attributes, self_closing = match.groups()
        short = name.removeprefix("core/")
        if self_closing:
            notes.append(
                f"Der WordPress-Block „{short}“ erzeugt seinen Inhalt erst beim "
                "Anzeigen und wurde nicht übernommen; im Text steht ein Hinweis."
            )
            return (
                f"<p>[Hier stand der WordPress-Block „{html.escape(short)}“; "
                "er wurde nicht übernommen.]</p>"
            )
        if not closing and short not in STATIC_BLOCKS:
            notes.append(
                f"Der WordPress-Block „{short}“ wurde als HTML umgewandelt; "
                "bitte prüfen, ob alles da ist."
            )
        return ""

    return _BLOCK.sub(replace, text)


def _attributes(text):
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
        for m in _ATTRIBUTE.finditer(text or "")
    }


def _link_html(url):
    """Return a paragraph with a plain link to `url` (instead of a player)."""
    label = f"{_host(url)}: {url}"
    return f'<p><a href="{html.escape(url)}">{html.escape(label)}</a></p>'


def _link_paragraph(soup, url):
    return BeautifulSoup(_link_html(url), "html.parser")


def _shortcode(match, resolver, notes):
    name = (match["name"] or match["pname"]).lower()
    attrs = _attributes(match["attrs"] if match["name"] else match["pattrs"])
    inner = (match["inner"] if match["name"] else match["pinner"]) or ""
    if name in {"caption", "wp_caption"}:
        found = re.match(
            r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", inner, re.DOTALL
        )
        if found:
            caption = found.group(2).strip() or attrs.get("caption", "")
            return (
                f"<figure>{found.group(1)}<figcaption>{caption}</figcaption></figure>"
            )
    if name == "gallery":
        ids = [i.strip() for i in attrs.get("ids", "").split(",") if i.strip()]
        images = resolver.gallery(ids or None)
        if images:
            notes.append("Eine Galerie wurde als Folge ihrer Bilder übernommen.")
            return "\n\n".join(
                f'<p><img src="{html.escape(src)}" alt="{html.escape(alt)}"></p>'
                for src, alt in images
            )
    url = (
        inner.strip()
        or attrs.get("src")
        or attrs.get("url")
        or attrs.get("mp3")
        or attrs.get("mp4")
        or next(iter(attrs.values()), "")
    )
    if name == "youtube" and not url.startswith("http"):
        url = match.group(0)[len("[youtube") : -1].strip()
    if name in {"embed", "audio", "video", "youtube", "vimeo", "soundcloud"} and (
        url.startswith(("http://", "https://"))
    ):
        notes.append(
            f"[{name}] wurde ein Link statt eines eingebetteten Inhalts (er würde "
            "von einem fremden Server laden)."
        )
        return _link_html(url)
    notes.append(
        f"Der Shortcode [{name}] lässt sich nicht umwandeln; er steht sichtbar im "
        "Text und muss von Hand ersetzt oder gelöscht werden."
    )
    return f"<p>{html.escape(match.group(0))}</p>"


def _host(url):
    return urlsplit(url).hostname or ""


def _leave_out_active(soup, notes):
    for element in soup.find_all(["script", "style", "noscript", "form", "link"]):
        notes.append(
            f"Ein <{element.name}>-Element wurde weggelassen (es würde im Browser "
            "Code ausführen, Gestaltung oder Daten von fremden Servern laden)."
        )
        element.decompose()


def _embeds_to_links(soup, notes):
    for element in soup.find_all(["iframe", "embed", "object", "video", "audio"]):
        source = element.find("source")
        url = element.get("src") or element.get("data") or ""
        url = url or (source.get("src", "") if source else "")
        url = "https:" + url if url.startswith("//") else url
        if url.startswith(("http://", "https://")):
            notes.append(
                f"Ein eingebetteter Inhalt (<{element.name}>) von {_host(url)} wurde "
                "ein Link (er würde von einem fremden Server laden)."
            )
            element.replace_with(_link_paragraph(soup, url))
        else:
            notes.append(
                f"Ein <{element.name}>-Element ohne Adresse wurde weggelassen."
            )
            element.decompose()
    for paragraph in soup.find_all(["p", "div"]):
        alone = _URL_ALONE.match(paragraph.get_text()) if not paragraph.find() else None
        if alone and EMBED_HOSTS.search(_host(alone.group(1))):
            url = alone.group(1)
            notes.append(
                f"Eine Adresse von {_host(url)}, die WordPress eingebettet hat, ist "
                "jetzt ein Link."
            )
            paragraph.replace_with(_link_paragraph(soup, url))


def _backgrounds(soup, notes):
    """Note the pictures inline CSS loads (the site's pages never load them)."""
    for element in soup.find_all(style=_CSS_URL):
        for url in _CSS_URL.findall(element["style"]):
            notes.append(
                f"Ein Hintergrundbild (CSS im style-Attribut) wurde weggelassen: {url}"
            )


def _images(soup, resolver):
    for image in soup.find_all("img"):
        for attribute in ("srcset", "sizes"):  # the old blog's sizes of it
            image.attrs.pop(attribute, None)
        src = image.get("src", "")
        local = resolver.image(src) if src else None
        if local:
            image["src"] = local
            continue
        label = f"Bild: {image.get('alt') or src.rsplit('/', 1)[-1].split('?')[0]}"
        parent = image.parent
        if parent.name == "a":  # a linked image: the link stays, as text
            parent.clear()
            parent.string = label
            continue
        link = soup.new_tag("a", href=src)
        link.string = label
        image.replace_with(link)


def _links(soup, resolver, notes):
    for link in soup.find_all("a"):
        href = (link.get("href") or "").strip()
        if re.match(r"(?i)(javascript|data|vbscript):", href):
            notes.append(
                "Ein Link mit Programmcode (javascript:) wurde zu reinem Text."
            )
            link.unwrap()
        elif href:
            link["href"] = resolver.link(href)


def _raw_blocks(soup, notes):
    """Tables and addresses become tokens; return {token: their HTML}."""
    raw = {}
    for number, element in enumerate(soup.find_all(RAW_BLOCKS)):
        if element.find_parent(RAW_BLOCKS):
            continue
        token = f"FORTSETZUNGRAW{number}X"
        for tag in [element, *element.find_all(True)]:
            tag.attrs.pop("markdown", None)  # would make Markdown read it (extra)
        raw[token] = str(element)
        if element.name == "table":
            notes.append(
                "Eine Tabelle wurde als HTML übernommen; bitte prüfen, ob sie richtig "
                "aussieht."
            )
        element.replace_with(soup.new_string(token))
    return raw


class _Writer(MarkdownConverter):
    """markdownify, with text that stays text and addresses that stay whole."""

    def escape(self, text, parent_tags):
        return escape(text)

    def get_conv_fn(self, tag_name):
        if tag_name.lower() in INLINE:
            return self.convert_inline
        return super().get_conv_fn(tag_name)

    def convert_inline(self, el, text, parent_tags):
        """Keep an inline element Markdown cannot write (del, sup, abbr …) as HTML."""
        name = INLINE[el.name.lower()]
        attributes = "".join(
            f' {key}="{html.escape(el[key])}"'
            for key in INLINE_ATTRIBUTES
            if el.get(key)
        )
        return f"<{name}{attributes}>{text}</{name}>" if text else ""

    def convert_pre(self, el, text, parent_tags):
        # a fence longer than any run of backticks in the text
        longest = max((len(run) for run in re.findall("`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        head, _, rest = super().convert_pre(el, text, parent_tags).partition("```")
        body, _, tail = rest.rpartition("```")
        return head + fence + body + fence + tail

    def convert_a(self, el, text, parent_tags):
        href = el.get("href")
        if href and re.search(r"[\s()<>]", href):
            el["href"] = (
                "<"
                + href.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
                + ">"
            )
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        src = el.get("src")
        if src and re.search(r"[\s()<>]", src):
            el["src"] = "<" + src.replace(" ", "%20") + ">"
        el["alt"] = (el.get("alt") or "").replace("[", "(").replace("]", ")")
        return super().convert_img(el, text, parent_tags)

    def convert_figcaption(self, el, text, parent_tags):
        text = text.strip()
        return f"\n\n*{text}*\n\n" if text else ""


class _CommentWriter(_Writer):
    """For comments: plain Python-Markdown reads them."""

    def escape(self, text, parent_tags):
        return escape(text, site=False)
