"""SVG files by allow-list: what is published is a drawing rebuilt from known parts.

An SVG is a document, not a picture: opened at its own address it runs its
scripts, follows its links and loads what its styles name, on the site's
own domain. Looking for bad things in it does not work: our parser and the
browser's read entities, encodings and CSS escapes differently. So an SVG
from content/ (and from an import, and from the editor's uploads) is never
published as it is. `clean` reads it with lxml without a DTD, without
entities and without the network, and builds a new document of

- the SVG elements in ELEMENTS, with the attributes in TEXT_ATTRIBUTES and
  PROPERTIES, on any of them;
- references (`href`, `xlink:href`, CSS `url()`) only to a fragment of the
  same file (`#id`); an `<image>` may also hold a PNG, JPEG, GIF or WebP
  picture (`data:image/png;base64,…`, checked to be one);
- CSS (the `style` attribute, `<style>`, presentation attributes such as
  `fill`) read with tinycss2, a tokenizer that follows the CSS standard and
  decodes escapes before anything is checked, reduced to PROPERTIES whose
  values are keywords, numbers, colours, strings and FUNCTIONS, and written
  anew without escapes; at-rules (`@import`, `@font-face`, `@media` …) are
  dropped;
- no animation (a `<set>` could turn a link into `javascript:`), no link
  other than to a fragment (a link's drawing stays), no `foreignObject`.

Everything else is left out. The file is published as that new document
(UTF-8, without DOCTYPE, comments and processing instructions): whatever
our parser and a browser would have read differently in the original, the
browser never sees it. `published` makes it once per file content into the
cache (derived.py); the build publishes it at the file's own address, and
image sizes and posters read it too.

What was left out is reported (`Finding`): as an error what could run a
program or load something from elsewhere, and what browsers could read
differently (a DTD with entities, another encoding, a processing
instruction); as a warning a drawing feature that is not published
(animation, mesh gradients, SVG fonts …); nothing for what browsers never
show (Inkscape's, Sodipodi's and Illustrator's editing data, RDF metadata,
comments, unknown attributes). A file that is no SVG, or that takes
longer to clean than a content file may take to read (limits.py), is
refused (`data` is None): it is not published at all.
"""

import base64
import binascii
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import tinycss2
from lxml import etree
from tinycss2.ast import FunctionBlock, URLToken

from .. import derived, i18n
from ..i18n import N_, _
from ..memo import Memo
from .limits import Limits, OverLimit, limited
from .sanitize import Finding

#: Part of the cache key of a cleaned file: raise it when `clean` changes.
VERSION = 2
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
#: Namespaces of elements and attributes that browsers act on in an SVG
#: document: removing one is reported as an error. Other namespaces
#: (Inkscape, Sodipodi, Illustrator, RDF …) are editing data: never shown.
ACTIVE_NAMESPACES = {
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/2001/xml-events",
}
#: SVG elements that draw, or hold what drawing elements refer to.
# fmt: off
ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "switch", "view", "title", "desc", "a",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath", "image", "style",
    "linearGradient", "radialGradient", "stop", "pattern",
    "clipPath", "mask", "marker", "filter",
    "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
    "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG",
    "feFuncR", "feGaussianBlur", "feImage", "feMerge", "feMergeNode",
    "feMorphology", "feOffset", "fePointLight", "feSpecularLighting",
    "feSpotLight", "feTile", "feTurbulence",
})
#: SVG elements that run a program or show another document: an error.
ACTIVE = frozenset({
    "script", "handler", "listener", "foreignObject", "iframe", "embed", "object",
    "audio", "video", "canvas",
})
#: Animation: left out (a warning), an error if it sets what is not allowed.
ANIMATIONS = frozenset({
    "animate", "set", "animateMotion", "animateTransform", "animateColor",
    "discard",
})
#: SVG elements browsers never show: left out without a word (metadata,
#: the flowed text of Inkscape 0.92, which browsers do not render).
UNSHOWN = frozenset({
    "metadata", "flowRoot", "flowRegion", "flowPara", "flowSpan", "flowDiv",
    "flowRegionBreak", "flowRegionExclude", "flowLine",
})
#: Attributes kept with any value: none of them loads or runs anything.
TEXT_ATTRIBUTES = frozenset({
    "id", "class", "lang", "role", "aria-label", "aria-labelledby",
    "aria-describedby", "aria-hidden", "version", "systemLanguage", "type",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy",
    "fr", "width", "height", "d", "points", "pathLength", "viewBox",
    "preserveAspectRatio", "gradientTransform", "gradientUnits",
    "patternTransform", "patternUnits", "patternContentUnits", "spreadMethod",
    "offset", "clipPathUnits", "maskUnits", "maskContentUnits", "markerUnits",
    "markerWidth", "markerHeight", "refX", "refY", "orient", "filterUnits",
    "primitiveUnits", "dx", "dy", "rotate", "textLength", "lengthAdjust",
    "startOffset", "method", "spacing", "side",
    "in", "in2", "result", "stdDeviation", "operator", "k1", "k2", "k3", "k4",
    "mode", "values", "tableValues", "slope", "intercept", "amplitude",
    "exponent", "baseFrequency", "numOctaves", "seed", "stitchTiles", "scale",
    "xChannelSelector", "yChannelSelector", "radius", "order", "kernelMatrix",
    "divisor", "bias", "targetX", "targetY", "edgeMode", "preserveAlpha",
    "kernelUnitLength", "surfaceScale", "diffuseConstant", "specularConstant",
    "specularExponent", "azimuth", "elevation", "z", "pointsAtX", "pointsAtY",
    "pointsAtZ", "limitingConeAngle",
})
#: CSS properties, in `style` and `<style>` and as presentation attributes;
#: their values are checked as CSS.
PROPERTIES = frozenset({
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
    "stroke-dasharray", "stroke-dashoffset", "opacity", "color", "display",
    "visibility", "overflow", "clip", "clip-path", "clip-rule", "mask",
    "mask-type", "filter", "flood-color", "flood-opacity", "lighting-color",
    "stop-color", "stop-opacity", "marker", "marker-start", "marker-mid",
    "marker-end", "paint-order", "vector-effect", "shape-rendering",
    "text-rendering", "image-rendering", "color-rendering", "color-interpolation",
    "color-interpolation-filters", "font", "font-family", "font-size",
    "font-size-adjust", "font-stretch", "font-style", "font-variant",
    "font-weight", "font-feature-settings", "font-kerning",
    "font-variant-ligatures", "font-variant-caps", "font-variant-numeric",
    "font-variant-east-asian", "letter-spacing", "word-spacing", "line-height",
    "text-anchor", "text-decoration", "text-decoration-line",
    "text-decoration-style", "text-decoration-color", "text-transform",
    "dominant-baseline", "alignment-baseline", "baseline-shift", "direction",
    "writing-mode", "unicode-bidi", "white-space", "mix-blend-mode", "isolation",
    "transform", "transform-origin", "transform-box", "pointer-events",
    "shape-inside", "shape-padding", "inline-size",
})
#: CSS functions a value may use (colours, arithmetic, transforms, filters,
#: basic shapes); `url()` only to a fragment.
FUNCTIONS = frozenset({
    "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch",
    "calc", "min", "max", "clamp",
    "matrix", "translate", "translatex", "translatey", "scale", "scalex",
    "scaley", "rotate", "skew", "skewx", "skewy",
    "blur", "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate",
    "invert", "saturate", "sepia",
    "rect", "inset", "circle", "ellipse", "polygon",
})
# fmt: on
#: Functions that load or run something (for the report; none is kept).
LOADING = frozenset(
    {
        "url",
        "src",
        "image",
        "image-set",
        "-webkit-image-set",
        "cross-fade",
        "element",
        "expression",
    }
)  # fmt: skip
#: Tokens of a CSS value that are kept as they are (escapes decoded).
PLAIN = frozenset(
    {"whitespace", "ident", "hash", "number", "percentage", "dimension", "string"}
)
LITERALS = frozenset({",", "/", "+", "-", "*"})
#: Embedded pictures: the type in the data: URL, how its bytes begin.
PICTURES = {
    "png": re.compile(rb"^\x89PNG\r\n\x1a\n"),
    "jpeg": re.compile(rb"^\xff\xd8\xff"),
    "gif": re.compile(rb"^GIF8[79]a"),
    "webp": re.compile(rb"^RIFF....WEBP", re.DOTALL),
}
_PICTURE = re.compile(
    r"^data:image/(png|jpe?g|gif|webp);base64,([A-Za-z0-9+/=\s]+)$", re.IGNORECASE
)
#: A reference to an element of the same file.
_FRAGMENT = re.compile(r"^#[\w.:-]+$")
#: Spaces and controls a browser strips from both ends of a URL.
_URL_SPACE = "".join(map(chr, range(0x21)))
#: A value that is an address of something elsewhere.
_ADDRESS = re.compile(r"^[\x00-\x20]*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)")
_INTERNAL_SUBSET = re.compile(rb"^<!DOCTYPE[^\[>]*\[")

REMOVED = N_(
    "The SVG file holds “{what}”: it could run a program, load something from "
    "another website or be read differently by browsers. It is left out of the "
    "published file."
)
FIX = N_(
    "Save the drawing as plain SVG (Inkscape: “Save as” › “Optimized SVG”; "
    "Illustrator: “Export as” › SVG) or as PNG, and put it in place of this file."
)
NOT_SHOWN = N_(
    "The SVG file holds “{what}”, which is not published (the rest of the drawing is)."
)
NOT_SHOWN_FIX = N_(
    "Look at the drawing in the preview; if something is missing, save it as "
    "plain SVG or as PNG."
)
EMBED_FIX = N_(
    "Embed the picture in the drawing (Inkscape: “Extensions” › “Images” › "
    "“Embed Images”) or save the drawing as PNG."
)


@dataclass(frozen=True)
class Cleaned:
    """An SVG file as it is published, and what was left out of it."""

    data: bytes | None  # the SVG to publish (UTF-8); None: refused
    findings: tuple  # of Findings


def clean(data, seconds=None):
    """Return the `Cleaned` SVG file of the bytes `data` (see the module docstring).

    Cleaning may take `seconds` (limits.py): a file that takes longer, or
    is nested too deeply to be cleaned, is refused.
    """
    key = (hashlib.sha256(data).digest(), i18n.current())  # findings are in words
    return _CLEANED.get(key, lambda: _clean_within(seconds, data))


def _clean_within(seconds, data):
    try:
        return limited(seconds, _clean, data, kind="drawing")
    except OverLimit as refused:
        return Cleaned(None, (Finding(refused.message, refused.fix),))


#: (digest, language) -> Cleaned; see memo.py.
_CLEANED = Memo("svg")


def published(settings, path):
    """Return (the file to publish in place of the SVG at `path`, its `Cleaned`).

    The file is made once per content into the cache; it is None when the
    SVG is refused.
    """
    data = Path(path).read_bytes()
    cleaned = clean(data, Limits.of(settings).seconds)
    if cleaned.data is None:
        return None, cleaned
    key = ("svg", VERSION, hashlib.sha256(data).hexdigest())
    copy = derived.cached(
        settings,
        key,
        ".svg",
        lambda target: Path(target).write_bytes(cleaned.data),
        path,
    )
    return copy, cleaned


def _clean(data):
    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        message = _(
            "The SVG file is no valid XML (line {line}): it cannot be published.",
            line=error.lineno,
        )
        return Cleaned(None, (Finding(message, _(FIX)),))
    if root.tag != f"{{{SVG}}}svg":
        message = _("The file is no SVG drawing: it cannot be published.")
        return Cleaned(None, (Finding(message, _(FIX)),))
    cleaner = _Cleaner()
    cleaner.document(root)
    copy = etree.Element(root.tag, nsmap={None: SVG, "xlink": XLINK})
    try:
        cleaner.attributes(root, "svg", copy)
        cleaner.contents(root, copy)
    except ValueError:  # lxml refuses what XML cannot hold: none should be left
        message = _("The SVG file holds characters that XML cannot hold.")
        return Cleaned(None, (Finding(message, _(FIX)),))
    etree.cleanup_namespaces(copy)  # xlink: only if a reference uses it
    return Cleaned(
        etree.tostring(copy, encoding="UTF-8", xml_declaration=True),
        tuple(cleaner.findings.values()),
    )


class _Cleaner:
    """Copies what the allow-lists allow; collects what it leaves out."""

    def __init__(self):
        self.findings = {}  # message -> Finding: each once

    def error(self, what, fix=FIX):
        message = _(REMOVED, what=_short(what))
        self.findings.setdefault(message, Finding(message, _(fix)))

    def warn(self, what):
        message = _(NOT_SHOWN, what=_short(what))
        self.findings.setdefault(
            message, Finding(message, _(NOT_SHOWN_FIX), severity="warning")
        )

    def document(self, root):
        """Report what is around the drawing: DTD, encoding, instructions."""
        tree = root.getroottree()
        encoding = (tree.docinfo.encoding or "UTF-8").upper()
        if encoding not in {"UTF-8", "UTF8", "US-ASCII", "ASCII"}:
            message = _(
                "The SVG file is saved in the encoding {encoding}: browsers could "
                "read it differently.",
                encoding=tree.docinfo.encoding,
            )
            self.findings[message] = Finding(message, _(FIX))
        if tree.docinfo.internalDTD is not None and _INTERNAL_SUBSET.match(
            etree.tostring(tree)
        ):
            self.error("<!DOCTYPE … [ … ]>")
        for node in [*root.itersiblings(preceding=True), *root.itersiblings()]:
            self.node(node, None)

    def contents(self, source, copy):
        """Copy the text and children of `source` into `copy` (None: only report)."""
        if copy is not None and source.text:
            _append_text(copy, source.text)
        for child in source:
            self.node(child, copy)
            if copy is not None and child.tail:
                _append_text(copy, child.tail)

    def node(self, node, into):
        """Copy `node` into `into` if it is allowed (into None: only report)."""
        if not isinstance(node.tag, str):
            self.not_element(node)
            return
        namespace, name = _split(node.tag)
        if namespace != SVG:
            if namespace in ACTIVE_NAMESPACES:
                prefix = f"{node.prefix}:" if node.prefix else ""
                self.error(
                    f"<{prefix}{name}>" if prefix else f'<{name} xmlns="{namespace}">'
                )
            self.contents(node, None)  # editing data: never shown
        elif name == "a" and not _links_within(node):
            self.attributes(node, name, None)  # reported, not kept
            self.contents(node, into)  # the drawing of the link stays
        elif name not in ELEMENTS:
            self.left_out(node, name, into is not None)
        elif name == "style":
            self.style(node, into)
        else:
            copy = None if into is None else etree.SubElement(into, node.tag)
            self.attributes(node, name, copy)
            self.contents(node, copy)

    def not_element(self, node):
        """Report a processing instruction or an entity; a comment is no matter."""
        if isinstance(node, etree._ProcessingInstruction):
            self.error(f"<?{node.target} …?>")
        elif isinstance(node, etree._Entity):
            self.error(f"&{node.name};")

    def style(self, node, into):
        """Copy a `<style>` with the CSS that is allowed, if any is."""
        css = self.stylesheet("".join(node.itertext()))
        copy = None if into is None or not css else etree.SubElement(into, node.tag)
        self.attributes(node, "style", copy)
        if copy is not None:
            copy.text = css
        for child in node:
            self.node(child, None)  # not kept, but reported

    def left_out(self, node, name, reported):
        """Report an SVG element that is not in ELEMENTS, and what it holds."""
        if name in ACTIVE:
            self.error(f"<{name}>")
        elif name in ANIMATIONS:
            self.animation(node, name)
        elif name not in UNSHOWN and reported:
            self.warn(f"<{name}>")
        self.attributes(node, name, None)
        self.contents(node, None)

    def animation(self, node, name):
        """Report a left-out animation: an error if what it sets would not be kept."""
        target = node.get("attributeName", "")
        local = target.rpartition(":")[2]
        values = [node.get(key) or "" for key in ("from", "to", "by")]
        values += (node.get("values") or "").split(";")
        values = [v for v in values if v.strip()]
        harmless = (
            name in {"animateMotion", "animateTransform", "discard"}
            or local in TEXT_ATTRIBUTES
            or (
                local in PROPERTIES
                and all(_attribute_value(v) is not None for v in values)
            )
        )
        if harmless:
            self.warn(f"<{name}>")
        else:
            self.error(f'<{name} attributeName="{target}">')

    def attributes(self, node, element, copy):
        """Copy the allowed attributes of `node` to `copy` (None: only report)."""
        for key, value in node.attrib.items():
            kept = self.attribute(element, key, value)
            if kept is not None and copy is not None:
                copy.set(key, kept)

    def attribute(self, element, key, value):
        """Return the value to keep of an attribute, or None."""
        namespace, name = _split(key)
        if name == "href" and namespace in {None, XLINK}:
            return self.reference(element, key, value)
        if namespace is None and name == "style":
            return self.declarations(value) or None
        if namespace is None and name in PROPERTIES:
            kept = _attribute_value(value)
            if kept is None and _loads(value):
                self.error(f'{name}="{value}"')
            return kept
        if namespace is None and name in TEXT_ATTRIBUTES:
            return value
        if namespace == XML and name in {"space", "lang"}:
            return value
        if (
            (namespace is None and (name.lower().startswith("on") or _loads(value)))
            or namespace in ACTIVE_NAMESPACES
            or (namespace == XML and name == "base")
        ):
            self.error(f'{key.rpartition("}")[2]}="{value}"')
        return None  # browsers read no other attribute, or only editors do

    def reference(self, element, key, value):
        """Keep a reference to a fragment of this file, or an embedded picture."""
        target = value.strip(_URL_SPACE)
        if _FRAGMENT.match(target):
            return target
        picture = _picture(target) if element in {"image", "feImage"} else None
        if picture:
            return picture
        what = f'{key.rpartition("}")[2]}="{target}"'
        if element == "a" and re.match(r"^(?:https?|mailto):", target, re.IGNORECASE):
            self.warn(f'<a href="{target}">')  # a link to a page: harmless
        else:
            self.error(what, EMBED_FIX if element == "image" else FIX)
        return None

    # -- CSS -------------------------------------------------------------------

    def stylesheet(self, css):
        """Return the rules of a stylesheet that are allowed, written anew."""
        rules = []
        for rule in tinycss2.parse_stylesheet(
            css, skip_comments=True, skip_whitespace=True
        ):
            if rule.type == "qualified-rule":
                selector = tinycss2.serialize(rule.prelude).strip()
                body = self.declarations(rule.content)
                if (
                    body
                    and _plain(rule.prelude)
                    and "\\" not in selector
                    and _xml_text(selector)
                ):
                    rules.append(f"{selector}{{{body}}}")
            elif rule.type == "at-rule":
                self.at_rule(rule)
        return "\n".join(rules)

    def at_rule(self, rule):
        what = f"@{rule.lower_at_keyword}"
        tokens = [*rule.prelude, *(rule.content or [])]
        if rule.lower_at_keyword in {"import", "font-face"} or _loads(tokens):
            self.error(what)
        else:
            self.warn(what)

    def declarations(self, css):
        """Return the allowed declarations of a `style` or a rule, written anew."""
        kept = []
        for item in tinycss2.parse_blocks_contents(
            css, skip_comments=True, skip_whitespace=True
        ):
            if item.type == "declaration":
                value = _value(item.value) if item.lower_name in PROPERTIES else None
                if value is not None:
                    important = "!important" if item.important else ""
                    kept.append(f"{item.lower_name}:{value}{important}")
                elif _loads(item.value):
                    what = f"{item.lower_name}: {tinycss2.serialize(item.value)}"
                    self.error(what.strip())
            elif item.type == "at-rule":
                self.at_rule(item)
            elif item.type == "qualified-rule" and _loads(item.content):
                self.error(tinycss2.serialize(item.content).strip())
        return ";".join(kept)


def _picture(address):
    """Return a data: URL of a PNG, JPEG, GIF or WebP picture written anew, or None."""
    match = _PICTURE.match(address)
    if match is None:
        return None
    kind = match.group(1).lower().replace("jpg", "jpeg")
    payload = re.sub(r"\s", "", match.group(2))
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return None
    return f"data:image/{kind};base64,{payload}" if PICTURES[kind].match(data) else None


def _links_within(link):
    """Whether an `<a>` leads only to fragments of the file (or nowhere)."""
    addresses = [link.get(key) for key in ("href", f"{{{XLINK}}}href")]
    return all(
        _FRAGMENT.match(address.strip(_URL_SPACE))
        for address in addresses
        if address is not None
    )


@functools.lru_cache(maxsize=4096)  # a drawing repeats its colours and widths
def _attribute_value(text):
    return _value(tinycss2.parse_component_value_list(text))


def _value(tokens):
    """Return a CSS value written anew if every part of it is allowed, else None.

    Escapes are decoded by the tokenizer; a value that would need one
    written anew is not kept either, so the published CSS has none.
    """
    kept = _tokens(tokens)
    if kept is None:
        return None
    text = tinycss2.serialize(kept).strip()
    return text if text and "\\" not in text and _xml_text(text) else None


#: Characters XML cannot hold (or a feed reader chokes on), which a CSS
#: escape such as "\\1 " can make.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text):
    """Whether `text` can go into an XML document as it is."""
    return not _NOT_XML.search(text)


def _tokens(tokens):
    kept = []
    for token in tokens:
        if token.type == "comment":
            continue
        if token.type in PLAIN or (token.type == "literal" and token.value in LITERALS):
            kept.append(token)
        elif _url(token) is not None:
            if not _FRAGMENT.match(_url(token)):
                return None
            target = _url(token)
            kept.append(URLToken(token.source_line, 0, target, f"url({target})"))
        elif token.type == "function" and token.lower_name in FUNCTIONS:
            arguments = _tokens(token.arguments)
            if arguments is None:
                return None
            kept.append(
                FunctionBlock(token.source_line, 0, token.lower_name, arguments)
            )
        else:
            return None
    return kept


def _url(token):
    """Return the address of a `url(…)` token, or None if it is none."""
    if token.type == "url":
        return token.value.strip(_URL_SPACE)
    if token.type == "function" and token.lower_name == "url":
        strings = [
            t for t in token.arguments if t.type not in {"whitespace", "comment"}
        ]
        if len(strings) == 1 and strings[0].type == "string":
            return strings[0].value.strip(_URL_SPACE)
        return ""
    return None


def _loads(value):
    """Whether an attribute value or CSS tokens name something elsewhere."""
    if isinstance(value, str):
        if _ADDRESS.match(value):
            return True
        value = tinycss2.parse_component_value_list(value)
    for token in value:
        address = _url(token)
        if address is not None and not _FRAGMENT.match(address):
            return True
        if token.type == "function" and (
            token.lower_name in LOADING or _loads(token.arguments)
        ):
            return True
        if token.type.endswith("block") and _loads(token.content):
            return True
    return False


def _plain(tokens):
    """Whether a selector is made of plain tokens (no block, nothing loaded)."""
    return not _loads(tokens) and not any(
        t.type in {"{} block", "at-keyword", "url", "bad-url", "bad-string"}
        for t in tokens
    )


def _split(name):
    """Return (namespace or None, local name) of an element or attribute name."""
    if name.startswith("{"):
        namespace, _brace, local = name[1:].partition("}")
        return namespace, local
    return None, name


def _append_text(element, text):
    """Add `text` after the last child of `element` (or as its text)."""
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _short(text, length=80):
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"
