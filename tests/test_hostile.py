"""The hostile-input corpus, run against `check`, the preview and `publish`.

Authors are trainees and content also comes from imports: every content file
is untrusted. Each case below is one way to inject markup, load from another
host, reach a file outside content/, trip the encodings, or publish something
unfinished. For every case:

- `check` names the file, the field and (where there is one) the line of the
  mistake, in German, or finds no error; it never breaks off;
- the preview is built even with mistakes (as `livereload` does), and the
  site it writes is safe;
- the publish build either refuses (and writes nothing) or writes a safe
  site.

The check runs on each case's own small site (Pelican reads it with the
plugin, as `check` does, without writing pages). The preview and the publish
build run once for all cases whose only file is an entry (`fsj/x.md`) or a
file in images/ (`images/x.svg` …): each case's file gets a name of its own
(`fsj/x-007.md`) in one site. The preview of that site must be safe, and for
it each entry gets a year of its own, so that no two cases' pages share an
address and every case's page is written. A publish build of the cases with an error must refuse, naming
each case's error; one of the cases without an error must write a safe
site. Cases with other files (series, pages, static files, links, pipes)
are built on their own, as the preview and as published.

A safe site: no script, no event handler, no embed, no form, no redirect, no
URL that loads from another host (HTML, CSS or feed content), no comment, no
markup in a feed title, every feed valid, no file from outside content/ and
no secret from a comment or an outside file anywhere.
"""

import json
import os
import re
import shutil
from dataclasses import dataclass
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup, Comment
from conftest import ROOT, front_matter, unsafe_svg, write_files
from pelican.plugins.fortsetzung.safety.source import shown

from sitetools import runner

PREVIEW = ROOT / "pelicanconf.py"
PUBLISH = ROOT / "publishconf.py"
SITE_HOSTS = {"localhost", "stadtbuechereien-duesseldorf.example"}
SECRET = "GEHEIM-7f3a"  # in comments and in files outside content/
EVIL = "evil.example"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f2f00000000"
    "49454e44ae426082"
)


def entry(body="Ein Text.", **fields):
    header = {
        "Title": "Ein Teil",
        "Date": "2024-03-01 10:00",
        "Author": "Lena K.",
        "Series": "FSJ",
        "Summary": "Worum es geht.",
        **fields,
    }
    return front_matter({k: v for k, v in header.items() if v is not None}, body)


def series_file(body="Text.", **fields):
    return front_matter({"Title": "FSJ", **fields}, body)


@dataclass
class Case:
    """Files to add to content/; the error `check` must report, if any."""

    files: dict
    error: tuple | None = None  # (file, field) or (file, field, line)
    setup: object = None  # setup(content, outside) for links and pipes


def symlink(name, target):
    def setup(content, outside):
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target if str(target).startswith("/") else outside / target, path)

    return setup


def fifo(name):
    def setup(content, outside):
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)

    return setup


def body(html, field_name="Text", line=None):
    """An entry whose text is `html`; the error is in the text."""
    error = ("fsj/x.md", field_name) if line is None else ("fsj/x.md", field_name, line)
    return Case({"fsj/x.md": entry(html)}, error)


def meta(field_name, value, reported=None, files=None, **more):
    """An entry with `value` in the header field `field_name`.

    The error is reported for that field and its line, or as `reported`
    (a clash of addresses has no line). `files` are more files for the site.
    """
    text = entry(**{field_name: value, **more})
    files = {"fsj/x.md": text, **(files or {})}
    if reported:
        return Case(files, ("fsj/x.md", reported))
    line = text.split("\n").index(f"{field_name}: {value}") + 1
    return Case(files, ("fsj/x.md", field_name, line))


#: Ten more entries: the home page's list and the category's have a page 2.
TEN_MORE = {
    f"fsj/{n}.md": entry(Title=f"Teil {n}", Date=f"2024-02-{n + 1:02}")
    for n in range(10)
}


def series_meta(field_name, value, **more):
    """The series file with `value` in the header field `field_name`."""
    text = series_file(**{field_name: value, **more})
    line = text.split("\n").index(f"{field_name}: {value}") + 1
    return Case({"series/fsj.md": text}, ("series/fsj.md", field_name, line))


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}</svg>'


def header(lines, field_name, line, body="Ein Text.", prefix=""):
    """An entry whose header ends with `lines` (after Title … Summary, lines 1-5).

    The error is reported for `field_name` on `line`.
    """
    text = prefix + entry(body).replace("\n\n", "\n" + lines + "\n\n", 1)
    return Case({"fsj/x.md": text}, ("fsj/x.md", field_name, line))


CASES = {
    # -- markup in metadata ------------------------------------------------------
    "title script": meta(
        "Title", 'Neu <script src="https://evil.example/t.js"></script>'
    ),
    "title img": meta("Title", "Bild <img src=x onerror=alert(1)>"),
    "title comment": meta("Title", f"Titel <!-- {SECRET} -->"),
    "title closing tag": meta("Title", "</title><script>alert(1)</script>"),
    "title escaped": Case(
        {"fsj/x.md": entry(Title="&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;")}
    ),
    "author img": meta("Author", '<img src="https://evil.example/p.gif">'),
    "tags markup": meta("Tags", "<b>fett</b>, gut"),
    "category markup": meta("Category", "<i>Kursiv</i>"),
    "summary iframe": meta("Summary", '<iframe src="https://evil.example/e"></iframe>'),
    "summary image": meta("Summary", "![x](https://evil.example/p.gif)"),
    "summary comment": Case({"fsj/x.md": entry(Summary=f"Kurz. <!-- {SECRET} -->")}),
    "image alt markup": meta(
        "Image_alt", '"><script>alert(1)</script>', Image="images/bild.png"
    ),
    "image attribute": meta("Image", '" onerror="alert(1)', Image_alt="Bild"),
    "image foreign": meta("Image", "https://evil.example/x.png", Image_alt="Bild"),
    "image protocol-relative": meta("Image", "//evil.example/x.png", Image_alt="Bild"),
    "image javascript": meta("Image", "javascript:alert(1)", Image_alt="Bild"),
    "image outside": meta("Image", "../outside/geheim.png", Image_alt="Bild"),
    "image device": meta("Image", "../" * 12 + "dev/zero", Image_alt="Bild"),
    "image no picture": meta("Image", "images/notiz.txt", Image_alt="Notiz"),
    "image not published": meta(
        "Image", "fsj/foto.png", Image_alt="Foto", files={"fsj/foto.png": PNG}
    ),
    "series title markup": series_meta("Title", "FSJ <img src=x onerror=alert(1)>"),
    "series summary iframe": series_meta(
        "Summary", "<iframe src=https://evil.example></iframe>"
    ),
    "series intro script": Case(
        {"series/fsj.md": series_file("Text.\n\n<script>alert(1)</script>")},
        ("series/fsj.md", "Text", 5),
    ),
    "series image foreign": series_meta(
        "Image", "https://evil.example/s.png", Image_alt="x"
    ),
    "page script": Case(
        {"pages/info.md": "Title: Info\n\n<script>alert(1)</script>\n"},
        ("pages/info.md", "Text", 3),
    ),
    # -- every known way to load from another host ---------------------------
    "body script": body('<script src="https://evil.example/t.js"></script>', line=7),
    "body iframe": body('<iframe src="https://evil.example/e"></iframe>', line=7),
    "body object": body('<object data="https://evil.example/x.swf"></object>'),
    "body embed": body('<embed src="https://evil.example/x.swf">'),
    "markdown image": body("![Pixel](https://evil.example/p.gif)", "Bild", 7),
    "img protocol-relative": body('<img src="//evil.example/p.gif" alt="">', "Bild"),
    "img backslashes": body('<img src="\\\\evil.example\\p.gif" alt="">', "Bild"),
    "img scheme only": body('<img src="https:evil.example/p.gif" alt="">', "Bild"),
    "srcset": body(
        '<img src="{static}/images/bild.png" srcset="https://evil.example/b.png 2x" alt="B">',
        "Bild",
    ),
    "picture source": body(
        '<picture><source srcset="https://evil.example/b.webp">'
        '<img src="{static}/images/bild.png" alt="B"></picture>'
    ),
    "video poster": body(
        '<video src="{static}/images/film.mp4" poster="https://evil.example/p.jpg"></video>'
    ),
    "audio src": body('<audio src="https://evil.example/a.mp3"></audio>'),
    "link stylesheet": body(
        '<link rel="stylesheet" href="https://evil.example/x.css">'
    ),
    "style element": body(
        "<style>body{background:url(https://evil.example/x.png)}</style>"
    ),
    "style import": body("<style>@import 'https://evil.example/x.css';</style>"),
    "style attribute": body('<p style="background:url(https://evil.example/x)">a</p>'),
    "svg image": body('<svg><image href="https://evil.example/i.png"/></svg>'),
    "meta refresh": body(
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
    ),
    "base": body('<base href="https://evil.example/">'),
    "form": body('<form action="https://evil.example/"><input name="q"></form>'),
    "event handler": body('<p onclick="alert(1)">Klick</p>'),
    "markdown attribute": Case(
        {"fsj/x.md": entry('Absatz\n{: onclick="alert(1)" }')}, ("fsj/x.md", "Text")
    ),
    "javascript link": body("[Klick](javascript:alert(1))"),
    "ping": body(
        '<a href="https://www.duesseldorf.de/" ping="https://evil.example/t">x</a>'
    ),
    # -- paths ------------------------------------------------------------------
    "symlink folder": Case(
        {}, ("images/aussen", "Datei"), symlink("images/aussen", ".")
    ),
    "symlink etc": Case({}, ("images/etc", "Datei"), symlink("images/etc", "/etc")),
    "symlink entry": Case(
        {}, ("fsj/link.md", "Datei"), symlink("fsj/link.md", "geheim.md")
    ),
    "symlink series": Case(
        {}, ("series/aussen.md", "Datei"), symlink("series/aussen.md", "geheim.md")
    ),
    "symlink device": Case(
        {}, ("images/null.png", "Datei"), symlink("images/null.png", "/dev/zero")
    ),
    "pipe": Case({}, ("images/pipe.png", "Datei"), fifo("images/pipe.png")),
    "static parent": body("![x]({static}/../outside/geheim.png)", "Bild"),
    "attach parent": body("[x]({attach}/../outside/geheim.txt)", "Link"),
    "static relative parent": body("![x]({static}../../outside/geheim.png)", "Bild"),
    "save_as index": meta("Save_as", "./index.html"),
    "save_as normalised": meta("Save_as", "serien/../index.html"),
    "save_as outside": meta("Save_as", "../../geheim.html"),
    # a leading slash means the site's root, not the machine's
    "save_as absolute": Case({"fsj/x.md": entry(Save_as="/etc/geheim.html")}),
    "save_as feed": meta("Save_as", "feeds/alle.atom.xml"),
    "save_as series feed": meta("Save_as", "feeds/serie/fsj.rss.xml"),
    "save_as theme": meta("Save_as", "theme/css/main.css"),
    "save_as other entry": meta("Save_as", "2024/gut/index.html"),
    # the one gate for every file written (output_plan.py)
    **{
        f"save_as {value}": meta("Save_as", value)
        for value in [
            "_redirects",
            "_headers",
            "CNAME",
            "2024/.htaccess",
            ".git/config",
            "a/web.config",
            "404.html",
            "google1234567890abcdef.html",
            "robots.txt/index.html",
            "cname/index.html",
            "pagefind/pagefind.js",
            "pagefind/index.html",
            "ankuendigungen/index.html",
            ".fortsetzung-publish.json",
            "INDEX.HTML",
            "index.html.",
            "Index.html ",
            "2024/GUT/index.html",
            "2024/gut/\u0456ndex.html",  # a Cyrillic і
            "2024/g\u057dt/index.html",  # an Armenian ս
            "autorin/Iena-k/index.html",  # a capital I looks like an l
            "autorin/\u04cfena-k/index.html",  # a palochka (its skeleton: i)
            "2024/n\u0435u/index.html",  # Latin with a Cyrillic е: nothing like it
            "2024/\u03b1-test/index.html",  # Latin with a Greek α
            "2024/gut/index.html/x.html",
            "feeds/alle.atom.xml/index.html",
            "autorin/lena-k/index.html",
            "serien/fsj/x/../index.html",
            "con.html",
            "x\u202egpj.html",  # right-to-left override
            "x\u200b/index.html",  # zero width space
            "_intern/index.html",
            "serien/fsj\u034f/index.html",  # combining grapheme joiner
            "2024/gut\ufe0f/index.html",  # a variation selector
            "2024/gut\u3164/index.html",  # a Hangul filler
            "\uff14\uff10\uff14.html",  # a fullwidth 404
            "\uff49\uff4e\uff44\uff45\uff58.html",  # a fullwidth index
            "baidu_verify_codeva-AbC123.html",  # ownership proofs: at the root
            "naver0123456789abcdef0123456789abcd.html",
            "x" * 300 + ".html",
            "a/" * 600 + "index.html",
        ]
    },
    "url of another entry": meta("Url", "2024/gut/", Save_as="anders.html"),
    "url of nowhere": meta("Url", "nirgends/", Save_as="anders.html"),
    "url alone": meta("Url", "_redirects"),
    "url alone of another entry": meta("Url", "2024/gut/"),
    "slug underscore": meta("Slug", "_headers"),
    "slug lookalike": meta("Slug", "g\u057dt"),  # an Armenian ս
    "slug taken": meta("Slug", "gut"),
    "save_as second page": meta("Save_as", "seite/2/index.html", files=TEN_MORE),
    "save_as category page": meta(
        "Save_as", "kategorie/blog/seite/2/index.html", files=TEN_MORE
    ),
    "redirect second page": meta("Redirect_from", "/seite/2/", files=TEN_MORE),
    **{
        f"redirect {value}": meta("Redirect_from", value)
        for value in [
            "/_redirects",
            "/_headers/",
            "/CNAME",
            "/.well-known/security.txt",
            "/2024/.htaccess",
            "/robots.txt",
            "/Serien/",
            "/2024/gut/",
            "/2024/Gut/",
            "/google1234567890abcdef.html",
            "/a/web.config",
            "/theme/x/",
            "/pagefind/",
            "/nul/",
            "/serien/fsj%CD%8F/",  # combining grapheme joiner
        ]
    },
    "tags with underscores and dots": Case(
        {"fsj/x.md": entry(Tags="_redirects, .htaccess, _x_")}
    ),
    "static file in a hidden folder": Case(
        {"images/.well-known/security.txt": "Contact: mailto:x@evil.example"},
        ("images/.well-known/security.txt", "Datei"),
    ),
    "svg files with lookalike names": Case(
        {
            "images/logo.svg": SVG.format("<rect/>"),
            "images/l\u043ego.svg": SVG.format("<circle/>"),  # a Cyrillic о
        },
        ("images/l\u043ego.svg", "Datei"),
    ),
    "static file with a semicolon, linked": Case(
        {
            "images/x;y.png": PNG,
            "fsj/x.md": entry("![Ein Bild]({static}/images/x;y.png)"),
        },
        ("fsj/x.md", "Bild", 7),
    ),
    "static file with a semicolon": Case(
        {"images/x;y.png": PNG}, ("images/x;y.png", "Datei")
    ),
    "static file whose name mixes scripts": Case(
        {"images/f\u0456lm.png": PNG},  # a Cyrillic і
        ("images/f\u0456lm.png", "Datei"),
    ),
    "svg file named like another with a capital I": Case(
        {
            "images/logo.svg": SVG.format("<rect/>"),
            "images/Iogo.svg": SVG.format("<circle/>"),
        },
        ("images/logo.svg", "Datei"),  # "I" sorts first: that file wins
    ),
    "files whose names differ in case": Case(
        {"images/Bild.png": PNG, "images/Logo.SVG": SVG.format("<rect/>")},
        ("images/bild.png", "Datei"),
    ),
    "translations of a private entry": Case(
        {
            "fsj/alt.md": entry(Slug="alt", Private="yes"),
            "fsj/alt-en.md": entry(
                "Rules:\n\n    / https://evil.example/ 301!",
                Slug="alt",
                Lang="en",
                Save_as="_redirects",
            ),
            "fsj/alt-fr.md": entry(Slug="alt", Lang="fr", Save_as="index.html"),
            "fsj/alt-it.md": entry(
                Slug="alt", Lang="it", Save_as="CNAME", Series=None, Status="draft"
            ),
        }
    ),
    "translation with a placeholder": Case(
        {"fsj/gut-en.md": entry("TODO: translate", Slug="gut", Lang="en")},
        ("fsj/gut-en.md", "Text", 9),
    ),
    "translation at another entry's address": meta(
        "Save_as", "2024/gut/index.html", Slug="gut", Lang="en"
    ),
    **{
        f"static file {name} at the root": Case(
            {name: data, "fsj/x.md": entry(f"[Datei]({{static}}/{name})")},
            (name, "Datei"),
        )
        for name, data in [
            ("MP_verify_AbC123xyz.txt", "AbC123xyz"),
            ("apple-touch-icon-180x180.png", PNG),
            ("trust.txt", "member=https://evil.example/"),
        ]
    },
    "static file with an underscore in a folder": Case(
        {
            "images/_DSC0001.png": PNG,
            "fsj/x.md": entry("![Foto]({static}/images/_DSC0001.png)"),
        }
    ),
    "url outside": meta("Url", "../../x/"),
    "url with quotes": meta("Url", 'x/" onmouseover="alert(1)', Save_as="x.html"),
    "file name with quotes": Case(
        {
            "fsj/x.md": entry("![x]({static}/images/a%22%20onerror%3D%22alert(1).png)"),
            'images/a" onerror="alert(1).png': PNG,
        },
        ('images/a" onerror="alert(1).png', "Datei"),
    ),
    "file name with angle brackets": Case(
        {"images/<b>.png": PNG}, ("images/<b>.png", "Datei")
    ),
    "title too long for a file name": Case({"fsj/x.md": entry(Title="Lang " * 80)}),
    "tag too long for a file name": Case({"fsj/x.md": entry(Tags="x" * 300)}),
    "tag without letters": meta("Tags", "!!!, gut"),
    "author without letters": meta("Author", "..."),
    "category without letters": meta("Category", "?!"),
    "authors without letters": meta("Authors", "..., !!!"),
    "slug dotdot": meta("Slug", ".."),
    "slug dot": meta("Slug", "."),
    "slug path": meta("Slug", "a/../../b"),
    "title without letters": meta("Title", "???"),
    "lang path": meta("Lang", "../../x"),
    "template path": meta("Template", "../../../etc/passwd"),
    "series file without letters": Case(
        {"series/!!!.md": "Title: Ausrufe\n\nText.\n"}, ("series/!!!.md", "Datei")
    ),
    # -- headers: what Pelican reads is what the checks read ------------------------
    # each would publish a draft or a private entry, or lose a field, if the
    # checks read the header otherwise than Pelican's reader
    "status space before colon": header("Status : draft", "Status", 6),
    "status tab before colon": header("Status\t: draft", "Status", 6),
    "private space before colon": header("Private : yes", "Private", 6),
    "status full-width colon": header("Status\uff1a draft", "Status", 6),
    "status ratio colon": header("Status\u2236 draft", "Status", 6),
    "status zero-width space": header("\u200bStatus: draft", "Status", 6),
    "status after an umlaut key": header(
        "Schlagwörter: Ausbildung\nStatus: draft", "Schlagwörter", 6
    ),
    "status after a spaced key": header(
        "Titel – Teil 2: Der Abschied\nStatus: draft", "Kopf", 6
    ),
    "status twice": header("Status: published\nStatus: draft", "Status", 7),
    "status continues the summary": header("\tStatus: draft", "Status", 6),
    "status indented by four spaces": header("    Private: yes", "Private", 6),
    "status misspelt": header("Stauts: draft", "Stauts", 6),
    "status with a hyphen": header("Private-: yes", "Private-", 6),
    "status space in crlf file": Case(
        {
            "fsj/x.md": entry()
            .replace("\n\n", "\nStatus : draft\n\n")
            .replace("\n", "\r\n")
        },
        ("fsj/x.md", "Status", 6),
    ),
    "status space after a byte order mark": header(
        "Status : draft", "Status", 6, prefix="\ufeff"
    ),
    "status space in dashes front matter": Case(
        {"fsj/x.md": "---\n" + entry().replace("\n\n", "\nStatus : draft\n---\n\n", 1)},
        ("fsj/x.md", "Status", 7),
    ),
    "status after an empty line": header("\nStatus: draft", "Status", 7),
    "status after a comment above the header": Case(
        {"fsj/x.md": "<!-- Entwurf -->\n" + entry(Status="draft", Private="yes")},
        ("fsj/x.md", "Title", 2),
    ),
    "private after the dashes": Case(
        {"fsj/x.md": "---\n" + entry().replace("\n\n", "\n---\nPrivate: yes\n\n", 1)},
        ("fsj/x.md", "Private", 8),
    ),
    "status behind a vertical tab": header(
        "Image_alt: Ein Bild\x0bStatus: draft", "Status", 6
    ),
    "status behind a line separator": header(
        "Tags: Ausbildung\u2028Private: yes", "Private", 6
    ),
    "status after a no-break space": header("\xa0Status: draft", "Status", 6),
    "indented tags placeholder": header("   Tags: TODO", "Tags", 6),
    "author with authors": header("Authors: Max M.", "Author", 6),
    "date offset out of range": Case(
        {"fsj/x.md": entry(Date="2024-03-01 10:00 +99:00")}, ("fsj/x.md", "Date", 2)
    ),
    "date without a day": Case(
        {"fsj/x.md": entry(Date="2024-03")}, ("fsj/x.md", "Date", 2)
    ),
    "date before the year one in utc": Case(
        {"fsj/x.md": entry(Date="0001-01-01 00:00 +05:00")}, ("fsj/x.md", "Date", 2)
    ),
    "unknown time zone": header("Timezone: Mars/Olympus", "Timezone", 6),
    "template of another kind": header("Template: redirect", "Template", 6),
    "template of a page": header("Template: page", "Template", 6),
    # -- encodings and control characters ----------------------------------------
    "byte order mark": Case({"fsj/x.md": "\ufeff" + entry()}),
    "latin-1": Case(
        {"fsj/x.md": entry("Grüße aus der Bücherei.").encode("latin-1")},
        ("fsj/x.md", "Datei", 7),
    ),
    "utf-16": Case({"fsj/x.md": entry().encode("utf-16")}, ("fsj/x.md", "Datei", 1)),
    "invalid bytes": Case(
        {"fsj/x.md": entry().encode() + b"\xed\xa0\x80\n"}, ("fsj/x.md", "Datei", 8)
    ),
    "vertical tab in text": Case({"fsj/x.md": entry("Zeile eins\x0bZeile zwei")}),
    "vertical tab in title": Case({"fsj/x.md": entry(Title="Mein\x0bTag")}),
    "noncharacters": Case({"fsj/x.md": entry("Text \ufffe und \uffff.")}),
    "nul": Case({"fsj/x.md": entry("Text\x00 mit Null.")}),
    "escape sequence": Case({"fsj/x.md": entry(Title="\x1b[31mRot\x1b[0m")}),
    "line separator": Case({"fsj/x.md": entry("Eins\u2028Zwei\u2029Drei")}),
    "carriage returns": Case({"fsj/x.md": entry().replace("\n", "\r")}),
    "control characters as entities": Case(
        {
            "fsj/x.md": entry(
                "&#0; &#x1b; &#xFFFE; &#xD800; &#11; Text", Summary="&#x1b;!"
            )
        }
    ),
    "entities in a marked-up title": meta("Title", "<b>Fett</b>&#x1b;"),
    "xml declaration": Case(
        {"fsj/x.md": entry('<?xml version="1.0" encoding="utf-8"?>\n<p>Hallo</p>')}
    ),
    "cdata": Case(
        {"fsj/x.md": entry("<![CDATA[ <script>alert(1)</script> ]]>\n\nText")}
    ),
    "whole html document": body(
        "<!DOCTYPE html><html><head><script>alert(1)</script></head>"
        "<body><p>Hallo</p></body></html>"
    ),
    # -- texts that take other readers long: read in linear time here --------------
    # (quadratic ones are stopped by the time limit: tests/test_limits.py)
    "nested brackets": Case({"fsj/x.md": entry("[" * 20000 + "x" + "]" * 20000)}),
    "unclosed brackets": Case({"fsj/x.md": entry("[" * 20000 + "![" * 10000)}),
    "emphasis markers": Case({"fsj/x.md": entry("*a _b " * 10000 + "*" * 10000)}),
    "backtick runs": Case(
        {"fsj/x.md": entry(" ".join("`" * (k % 40 + 1) for k in range(5000)))}
    ),
    "a line of angle brackets": Case(
        {"fsj/x.md": entry("<" * 10000 + "\n\n" + "&" * 10000 + "\n\n" + "</" * 5000)}
    ),
    # -- private notes --------------------------------------------------------------
    "unclosed comment": body(f"Text.\n\n<!-- {SECRET} nur für mich\n\nMehr.", line=9),
    "unclosed inline comment": body(f"Text <!-- {SECRET}", line=7),
    "unclosed comment in html": body(
        f"<div>\n<!-- {SECRET}\n</div>\n\nDanach.", line=8
    ),
    "closed comment": Case(
        {"fsj/x.md": entry(f"Text.\n\n<!-- {SECRET}\n\nmehr -->\n\nDanach.")}
    ),
    # -- files copied as they are --------------------------------------------------
    "static html": Case(
        {"images/x.html": "<script>alert(1)</script>"}, ("images/x.html", "Datei")
    ),
    "static javascript": Case({"images/x.js": "alert(1)"}, ("images/x.js", "Datei")),
    "static stylesheet": Case(
        {"images/x.css": "body{background:url(https://evil.example/x)}"},
        ("images/x.css", "Datei"),
    ),
    "svg script": Case(
        {"images/x.svg": SVG.format("<script>alert(1)</script>")},
        ("images/x.svg", "Datei"),
    ),
    "svg foreign image": Case(
        {"images/x.svg": SVG.format('<image href="https://evil.example/i.png"/>')},
        ("images/x.svg", "Datei"),
    ),
    "svg event handler": Case(
        {"images/x.svg": SVG.format('<rect onmouseover="alert(1)"/>')},
        ("images/x.svg", "Datei"),
    ),
    # more SVG variants in test_svg.py
    "svg entity": Case(
        {
            "images/x.svg": '<!DOCTYPE svg [<!ENTITY s "<script>alert(1)</script>">]>'
            + SVG.format("&s;")
        },
        ("images/x.svg", "Datei"),
    ),
    "svg animated link": Case(
        {
            "images/x.svg": SVG.format(
                '<a href="#a"><set attributeName="href" to="javascript:alert(1)"/>'
                "<text>x</text></a>"
            )
        },
        ("images/x.svg", "Datei"),
    ),
    "svg escaped url": Case(
        {
            "images/x.svg": SVG.format(
                '<rect style="fill:\\75rl(https://evil.example/x#a)"/>'
            )
        },
        ("images/x.svg", "Datei"),
    ),
    "svg escaped import": Case(
        {
            "images/x.svg": SVG.format(
                "<style>@\\69mport 'https://evil.example/x.css';</style>"
            )
        },
        ("images/x.svg", "Datei"),
    ),
    "svg linked from a page": Case(
        {
            "images/x.svg": SVG.format('<rect fill="url(//evil.example/p#g)"/>'),
            "fsj/x.md": entry("![Zeichnung]({static}/images/x.svg)"),
        },
        ("images/x.svg", "Datei"),
    ),
    # -- unfinished ----------------------------------------------------------------
    "placeholder text": body("TODO: Hier beginnt Ihr Text.", line=7),
    "placeholder title": meta("Title", "TODO Titel"),
    "dummy text": body("Lorem ipsum dolor sit amet.", line=7),
    "placeholder page": Case(
        {"pages/info.md": "Title: Info\n\nTODO: Text folgt.\n"},
        ("pages/info.md", "Text", 3),
    ),
    "placeholder in a public series": Case(
        {"series/fsj.md": "Title: FSJ\n\nTODO: Stellen Sie die Serie vor.\n"},
        ("series/fsj.md", "Text", 3),
    ),
    "placeholder in a new series": Case(
        {"series/neu.md": "Title: Neu\nSummary: TODO: Ein Satz.\n\nTODO: Text.\n"}
    ),
}


def make_site(root, case):
    content, outside = root / "content", root / "outside"
    outside.mkdir(parents=True)
    (outside / "geheim.txt").write_text(SECRET, "utf-8")
    (outside / "geheim.png").write_bytes(PNG + SECRET.encode())
    (outside / "geheim.md").write_text(entry(f"{SECRET}", Title="Geheim"), "utf-8")
    files = {
        "series/fsj.md": "Title: FSJ\nSummary: Ein Jahr in der Bibliothek.\n\nWir erzählen.\n",
        "fsj/gut.md": entry("Ein guter Teil.", Title="Gut", Date="2024-01-01"),
        "images/bild.png": PNG,
        "images/notiz.txt": "Notiz",
        **case.files,
    }
    write_files(content, files)
    if case.setup:
        case.setup(content, outside)
    return content


def _foreign(url, tag="", attribute=""):
    """Whether a URL in a built page would be fetched from another host."""
    url = url.strip()
    if url.startswith(("\\", "/\\")):
        return True
    if re.match(r"^[a-zA-Z][\w+.-]*:", url) or url.startswith("//"):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return not (tag == "img" and url.startswith("data:image/"))
        return (
            scheme not in ("http", "https", "")
            or urlsplit(url).hostname not in SITE_HOSTS
        )
    return False


LOADS = {
    "src",
    "srcset",
    "poster",
    "data",
    "background",
    "ping",
    "action",
    "formaction",
}
ACTIVE = {"script", "iframe", "frame", "object", "embed", "applet", "base", "form"}


def _theme_search(element):
    """The theme's own forms and scripts: the search field in the header, the
    search page's form, its script and "Weiterlesen" (no content reaches them;
    they load nothing from elsewhere)."""
    if element.name == "script":
        return element.get("src", "").endswith(
            ("/theme/js/suche.js", "/theme/js/weiterlesen.js")
        ) and not _foreign(element["src"])
    if element.name != "form" or _foreign(element.get("action", "")):
        return False
    classes = element.get("class", [])
    header = element.find_parent("header", class_="site-header")
    in_header = header is not None and header.parent.name == "body"
    return ("site-search" in classes and in_header) or (
        "search-form" in classes and element.get("id") == "suche"
    )


def unsafe_html(soup):
    """Everything in a parsed page that could run code or load from elsewhere."""
    found = []
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        found.append(f"comment {comment[:40]}")
    for element in soup.find_all(True):
        if element.name in ACTIVE and not _theme_search(element):
            found.append(element.name)
        if element.name == "meta" and element.get("http-equiv"):
            found.append("meta refresh")
        if element.name == "link" and _foreign(element.get("href", "")):
            found.append(f"link {element.get('href')}")
        for name, raw in element.attrs.items():
            value = " ".join(raw) if isinstance(raw, list) else raw
            if name.lower().startswith("on"):
                found.append(name)
            if name in LOADS:
                urls = (
                    [u.split()[0] for u in value.split(",") if u.strip()]
                    if "srcset" in name
                    else [value]
                )
                found += [
                    f"{name}={u}" for u in urls if _foreign(u, element.name, name)
                ]
            if name == "href" and re.match(
                r"\s*(java|vb)script:|\s*data:", value, re.I
            ):
                found.append(f"href={value}")
            if name == "style" and re.search(
                r"url\(|@import|expression\(", value, re.I
            ):
                found.append(f"style={value}")
        if element.name == "style" and re.search(
            r"@import|url\(\s*['\"]?(?!#)", element.get_text()
        ):
            found.append("style element with url()")
    return found


#: Hidden files the site writes itself: the server map of redirects, the
#: marks of a build and of a publication.
OWN_HIDDEN = re.compile(r"^\.(?:htaccess|fortsetzung-[\w.-]+)$")


def assert_safe(folder, root):
    """The site in `folder` has nothing unsafe (see the module docstring)."""
    for path in sorted(folder.rglob("*")):
        assert not path.is_symlink(), path
        parts = path.relative_to(folder).parts
        assert not any(p.startswith(".") for p in parts[:-1]), path
        assert not parts[-1].startswith(".") or OWN_HIDDEN.match(parts[-1]), path
        assert not any(p.startswith("_") for p in parts[:-1] + parts[:1]), path
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".html":
            # the preview's problem box quotes the mistakes, harmlessly
            soup = BeautifulSoup(data, "lxml")
            for box in soup.find_all(class_="preview-problems"):
                box.decompose()
            data = str(soup).encode()
            assert unsafe_html(soup) == [], path
        if path.suffix == ".svg" and path.relative_to(folder).parts[0] != "theme":
            assert unsafe_svg(data) == [], path  # content's, as svg.py made it
        assert SECRET.encode() not in data, path
        if "feeds" in path.parts and path.suffix in (".xml", ".json"):
            for title, html in feed_items(path, data):
                assert "<" not in title and EVIL not in title, path
                assert unsafe_html(BeautifulSoup(html, "lxml")) == [], path
    outside = {p.relative_to(root).as_posix() for p in root.iterdir()}
    assert outside <= {
        "content",
        "outside",
        "preview",
        "published",
        ".preview.lock",
        ".published.lock",
    }, outside


def feed_items(path, data):
    """(title, HTML) of every item of a feed, which must be valid."""
    if path.suffix == ".json":
        feed = json.loads(data)
        return [
            (item.get("title", ""), item.get("content_html", ""))
            for item in feed["items"]
        ]
    feed = feedparser.parse(data)
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    return [
        (item.title, html)
        for item in feed.entries
        for html in [item.get("summary", "")]
        + [c.value for c in item.get("content", [])]
    ]


def assert_checked(case, content, found):
    """`check`'s problems `found` name the case's error, or no error at all."""
    errors = [p for p in found if p.severity == "error"]
    if case.error is None:
        assert errors == [], "\n".join(map(str, errors))
        return
    name, field_name, *line = case.error
    matching = [
        p for p in errors if p.path == shown(content / name) and p.field == field_name
    ]
    assert matching, "\n".join(map(str, found))
    if line:
        assert matching[0].line == line[0], matching[0]
    assert all(p.message and p.fix for p in matching)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_check_names_each_mistake(tmp_path, case):
    content = make_site(tmp_path, case)

    read = runner.read_site(PREVIEW, content)

    assert read.error is None, runner.describe(read.error)  # it never breaks off
    assert_checked(case, content, read.found)


#: Cases whose only file is the entry fsj/x.md or a file images/x.…: they
#: are built together.
TOGETHER = {
    name: case
    for name, case in CASES.items()
    if len(case.files) == 1
    and re.fullmatch(r"fsj/x\.md|images/x\.\w+", next(iter(case.files)))
    and case.setup is None
}
ON_THEIR_OWN = {name: case for name, case in CASES.items() if name not in TOGETHER}
DATE = "Date: 2024-03-01 10:00"


def together(cases, own_year=False):
    """One Case with the files of `cases`, each named for its number.

    With `own_year`, each entry dated 2024 is moved to a year of its own
    (1800 + its number), so that its page has an address of its own. Returns
    the Case and, for each case, where its file lies.
    """
    files, where = {}, {}
    for number, (name, case) in enumerate(cases.items()):
        [(path, text)] = case.files.items()
        if own_year and path.endswith(".md"):
            year = f"Date: {1800 + number}-03-01 10:00"
            text = (
                text.replace(DATE.encode(), year.encode())
                if isinstance(text, bytes)
                else text.replace(DATE, year)
            )
        folder, suffix = path.split("/x.")
        where[name] = f"{folder}/x-{number:03}.{suffix}"
        files[where[name]] = text
    return Case(files), where


def test_the_preview_of_the_cases_built_together_is_safe(tmp_path):
    case, where = together(TOGETHER, own_year=True)
    content = make_site(tmp_path, case)

    preview = runner.build(PREVIEW, content, tmp_path / "preview", keep_going=True)

    assert preview.error is None, runner.describe(preview.error)
    pages = list((tmp_path / "preview").glob("1[89]??/*/index.html"))
    entries = [path for path in where.values() if path.endswith(".md")]
    assert len(pages) > len(entries) / 2  # the others refuse their address
    assert_safe(tmp_path / "preview", tmp_path)


def test_publishing_refuses_each_case_built_together_with_an_error(tmp_path):
    wrong = {n: c for n, c in TOGETHER.items() if c.error is not None}
    case, where = together(wrong)
    content = make_site(tmp_path, case)

    published = runner.build(PUBLISH, content, tmp_path / "published")

    assert published.error is None, runner.describe(published.error)
    assert not published.ok
    assert not (tmp_path / "published").exists()
    errors = {(p.path, p.field) for p in published.found if p.severity == "error"}
    missing = [
        name
        for name, case in wrong.items()
        if (shown(content / where[name]), case.error[1]) not in errors
    ]
    assert missing == []


def test_publishing_the_cases_built_together_without_an_error_is_safe(tmp_path):
    right = {n: c for n, c in TOGETHER.items() if c.error is None}
    case, _where = together(right, own_year=True)
    content = make_site(tmp_path, case)

    published = runner.build(PUBLISH, content, tmp_path / "published")

    assert published.error is None, runner.describe(published.error)
    assert published.ok, "\n".join(map(str, published.found))
    assert_safe(tmp_path / "published", tmp_path)
    index = (tmp_path / "published" / "index.html").read_text("utf-8")
    assert "Neueste Beiträge" in index  # the home page is the home page


@pytest.mark.parametrize("case", ON_THEIR_OWN.values(), ids=ON_THEIR_OWN.keys())
def test_the_preview_and_the_publish_build_of_a_case_with_more_files(tmp_path, case):
    content = make_site(tmp_path, case)

    # the preview: built despite mistakes, and safe
    preview = runner.build(PREVIEW, content, tmp_path / "preview", keep_going=True)
    assert preview.error is None, runner.describe(preview.error)
    assert_safe(tmp_path / "preview", tmp_path)

    # publish: refused, or a safe site
    published = runner.build(PUBLISH, content, tmp_path / "published")
    assert published.error is None, runner.describe(published.error)
    assert published.ok is (case.error is None)
    if case.error is None:
        assert_safe(tmp_path / "published", tmp_path)
        index = (tmp_path / "published" / "index.html").read_text("utf-8")
        assert "Neueste Beiträge" in index  # the home page is the home page
    else:
        assert not (tmp_path / "published").exists()
    shutil.rmtree(tmp_path / "preview")
