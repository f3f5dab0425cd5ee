"""Announcement texts for social networks, and how each network counts them.

The one place where a post is composed and measured: the `announce` task
(announce.py) and the preview's page for the social-media team
(announce_page.py) both use `announcements`.

A post is: series, part and title; a teaser (the summary as plain text);
the series' hashtag; the absolute link to the part. What does not fit the
network's limit is shortened, the teaser first, then the headline, at a
word where possible, with "…". How the networks count (checked against
their code, Dezember 2026):

- Bluesky: 300 grapheme clusters of the text as posted; a link counts as
  written (the Bluesky app shortens links before posting; a scheduling
  tool may not, so the whole link is counted).
- X: twitter-text's configuration v3 (config/v3.json): 280 weighted
  characters after NFC normalisation; code points U+0000–U+10FF,
  U+2000–U+200D, U+2010–U+201F and U+2032–U+2037 weigh 1, every other
  code point 2; an emoji (also a sequence such as 👩‍👩‍👧 or 🇩🇪) weighs 2; every
  link weighs 23 (t.co), and X links a word like "example.de" without
  "https://" as well. So umlauts, ß, „…“ and – count 1, but "…" (U+2026),
  "€" and "•" count 2.
- Mastodon: 500 grapheme clusters; every link with http(s):// counts 23
  (app/validators/status_length_validator.rb, URL_PLACEHOLDER).
- Facebook (63,206) and Instagram (2,200, where a link cannot be clicked:
  "Link in der Bio") document no counting rule: counted as UTF-16 code
  units, which is never less than any other count.

Counting leans to the safe side wherever a network's rule is unclear: a
text that passes here never exceeds the limit there.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import regex
from markupsafe import Markup

#: What twitter-text v3 weighs 1 (scale 100 → 1); all else weighs 2.
X_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
#: What a link counts on X (t.co) and on Mastodon.
URL_LENGTH = 23
#: A link with a scheme; it never ends in punctuation, which the networks
#: leave out of a link (and then count as a character).
LINK = regex.compile(r"https?://\S*[\p{L}\p{N}/_#=-]")
#: A word that X links without a scheme ("example.de"). Such a word is
#: counted as at least 23, in case X takes it for a link.
BARE_DOMAIN = regex.compile(r"(?<![\w@.])(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?:/\S*)?")
GRAPHEME = regex.compile(r"\X")
EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3")
#: Bluesky allows hashtags of at most 64 graphemes; a longer one is left out.
HASHTAG_MAX = 64
#: Cells of a spreadsheet that begin with these are formulas (OWASP: CSV
#: injection); such a text gets an apostrophe in front.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ELLIPSIS = "…"
#: A teaser shortened to fewer graphemes than this is left out.
TEASER_MIN = 30


def graphemes(text):
    """Count grapheme clusters (what a reader sees as one character)."""
    return len(GRAPHEME.findall(text))


def utf16_units(text):
    return len(text.encode("utf-16-le")) // 2


def _x_weight(cluster):
    if EMOJI.search(cluster):
        return 2
    return sum(
        1 if any(low <= ord(c) <= high for low, high in X_LIGHT) else 2 for c in cluster
    )


def _x_plain(text):
    """X's weight of text with links with a scheme already taken out."""
    total, last = 0, 0
    for match in BARE_DOMAIN.finditer(text):
        total += sum(map(_x_weight, GRAPHEME.findall(text[last : match.start()])))
        total += max(URL_LENGTH, sum(map(_x_weight, GRAPHEME.findall(match[0]))))
        last = match.end()
    return total + sum(map(_x_weight, GRAPHEME.findall(text[last:])))


def count_x(text):
    """Count as X does (twitter-text v3, see the module's docstring)."""
    parts = LINK.split(unicodedata.normalize("NFC", text))
    return sum(map(_x_plain, parts)) + URL_LENGTH * (len(parts) - 1)


def count_mastodon(text):
    """Count as Mastodon does: graphemes, every link with a scheme as 23."""
    parts = LINK.split(text)
    return sum(map(graphemes, parts)) + URL_LENGTH * (len(parts) - 1)


@dataclass(frozen=True)
class Network:
    """A social network: its limit and how it counts a post."""

    key: str  # in file names and ids
    name: str
    limit: int
    count: Callable[[str], int]
    rule: str  # how it counts, for the social-media team (German, no full stop)
    clickable: bool = True  # whether a link in a post can be clicked


NETWORKS = (
    Network(
        "bluesky", "Bluesky", 300, graphemes,
        "jedes sichtbare Zeichen 1, auch ein Emoji; der Link ganz",
    ),
    Network(
        "x", "X (Twitter)", 280, count_x,
        "der Link 23, Emoji und manche Zeichen (…, €, •) 2, alle anderen 1",
    ),
    Network(
        "mastodon", "Mastodon", 500, count_mastodon,
        "jedes sichtbare Zeichen 1, auch ein Emoji; der Link 23",
    ),
    Network(
        "facebook", "Facebook", 63206, utf16_units,
        "jedes Zeichen 1, Emoji sicherheitshalber 2",
    ),
    Network(
        "instagram", "Instagram", 2200, utf16_units,
        "jedes Zeichen 1, Emoji sicherheitshalber 2; Links sind nicht klickbar",
        clickable=False,
    ),
)  # fmt: skip
BY_KEY = {network.key: network for network in NETWORKS}


def plain(text):
    """Return HTML or text as one line of plain text (tags gone, entities read)."""
    text = Markup(str(text or "")).striptags()
    # control characters and the like never belong in a post
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def hashtag(name):
    """Return the hashtag of a series: "Hör-Bar" → "#HörBar", "" if it has none.

    Letters, digits and "_" only (what every network allows in a hashtag;
    umlauts and ß are letters); each word starts with a capital, so the
    words stay readable. Digits alone, or a tag too long for Bluesky, give
    none.
    """
    words = regex.findall(r"[\p{L}\p{M}\p{N}_]+", plain(name))
    tag = "".join(word[:1].upper() + word[1:] for word in words)
    if not tag or tag.isdigit() or graphemes(tag) > HASHTAG_MAX:
        return ""
    return f"#{tag}"


def defused(text):
    """Return `text` so that no spreadsheet takes it for a formula."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def shorten(text, fits, hard=True):
    """Return `text` if it `fits`, else its longest beginning that does, with "…".

    The cut is after a word if any such beginning fits, else (if `hard`)
    inside one; "" if nothing fits. `fits` must grow false with the length
    of the text (binary search).
    """
    if fits(text):
        return text
    clusters = GRAPHEME.findall(text)

    def cut(end, gap):
        return "".join(clusters[:end]).rstrip(" ,;:.–-") + gap + ELLIPSIS

    # German sets "…" apart from a word when words are left out
    after_words = [i for i, c in enumerate(clusters) if c.isspace() and i > 0]
    within_words = range(1, len(clusters)) if hard else []
    for ends, gap in ((after_words, " "), (within_words, "")):
        end = _longest(ends, lambda end, gap=gap: fits(cut(end, gap)))
        if end is not None:
            return cut(end, gap)
    return ""


def _longest(ends, good):
    """Return the largest of the ascending `ends` that is `good`, or None."""
    low, high, best = 0, len(ends) - 1, None
    while low <= high:
        middle = (low + high) // 2
        if good(ends[middle]):
            best, low = ends[middle], middle + 1
        else:
            high = middle - 1
    return best


@dataclass(frozen=True)
class Post:
    """The text for one network, and what it counts there."""

    network: Network
    text: str  # the whole post, as it appears
    body: str  # the post without the link (the CSV has the link apart)
    link: str  # "" where links cannot be clicked
    length: int

    @property
    def fits(self):
        return self.length <= self.network.limit


def compose(headline, teaser, tag, link, network):
    """Return the `Post` of an entry for `network`, shortened to fit its limit."""
    ending = link if network.clickable else "Weiterlesen: Link in der Bio"

    def assemble(headline, teaser, tag):
        blocks = [defused(headline), teaser, "\n".join(filter(None, [tag, ending]))]
        return "\n\n".join(filter(None, blocks))

    def fits(headline, teaser, tag):
        return network.count(assemble(headline, teaser, tag)) <= network.limit

    headline, full = headline.strip(), teaser.strip()
    teaser = shorten(full, lambda t: fits(headline, t, tag), hard=False)
    if teaser != full and graphemes(teaser) < TEASER_MIN:
        teaser = ""  # a few words say nothing
    if not fits(headline, teaser, tag):
        tag = tag if fits(ELLIPSIS, "", tag) else ""
        headline = shorten(headline, lambda h: fits(h, "", tag)) or ELLIPSIS
    text = assemble(headline, teaser, tag)
    body = text.removesuffix(link).rstrip("\n") if network.clickable else text
    return Post(
        network, text, body, link if network.clickable else "", network.count(text)
    )


@dataclass(frozen=True)
class Announcement:
    """What is announced of one published entry, and its post per network."""

    headline: str  # "AzubiTagebuch, Teil 3: Mein erster Tag"
    title: str
    series: str  # "" for an entry outside a series
    index: int | None
    date: datetime
    url: str  # relative to the site, for the preview's links
    link: str  # absolute, on the published site
    hashtag: str
    posts: tuple


def announcement(article, site_url):
    """Return the `Announcement` of a published `article` of a build."""
    title = plain(article.title)
    position = getattr(article, "series", None)
    series = plain(position.name) if position else ""
    headline = f"{series}, Teil {position.index}: {title}" if position else title
    tag = hashtag(series)
    link = f"{site_url.rstrip('/')}/{article.url}"
    teaser = plain(getattr(article, "summary", ""))
    return Announcement(
        headline,
        title,
        series,
        position.index if position else None,
        article.date,
        article.url,
        link,
        tag,
        tuple(compose(headline, teaser, tag, link, n) for n in NETWORKS),
    )


def announcements(articles, site_url, start=None, end=None):
    """Return the announcements of `articles` dated from `start` to `end`, oldest first.

    `articles` are a build's published entries (context["articles"]: no
    drafts, no scheduled or private entries, none hidden).
    """
    chosen = [
        a
        for a in articles
        if (start is None or a.date >= start) and (end is None or a.date <= end)
    ]
    chosen.sort(key=lambda a: (a.date, a.source_path))
    return [announcement(a, site_url) for a in chosen]
