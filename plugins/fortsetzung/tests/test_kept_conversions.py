"""Conversions from Markdown kept in the cache folder for the next build.

A build in a new process (a publish, CI with its cache) converts only the
texts that changed; what it takes from the cache folder is vetted as any
HTML is, and a file there that is not a conversion is made again.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from pelican.plugins.fortsetzung import memo

from .plain import entry

BODY = "Der erste Teil unserer Reise."


def forget():
    """Forget what this process converted, as a new process would not know it."""
    memo.next_build()
    memo.next_build()


def kept(site):
    """The kept conversions: {path: [HTML, header]}."""
    folder = site.root / "cache" / "fortsetzung" / "markdown"
    return {
        path: json.loads(path.read_text("utf-8"))
        for path in sorted(folder.glob("*.json"))
    }


def body_of(site):
    """The kept file of the entry's text."""
    (path,) = kept(site)
    return path


def keep_instead(path, html, meta=None):
    _html, header = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps([html, header if meta is None else meta]), "utf-8")


def text_of(built):
    return built.html("reise.html").text_content()


@pytest.fixture(autouse=True)
def new_process():
    """Each test as a new process, and nothing it kept in memory for the others."""
    forget()
    yield
    forget()


@pytest.fixture
def entry_site(site):
    site.write("reise.md", entry("Reise", "2026-03-01", body=BODY))
    built = site.build()
    assert BODY in text_of(built)
    forget()
    return site


def test_each_conversion_of_a_file_is_kept_with_its_header(entry_site):
    # not its summary: a short text converts faster than a file is read
    ((html, meta),) = kept(entry_site).values()
    assert html == f"<p>{BODY}</p>"
    assert meta["title"] == ["Reise"]
    assert meta["date"] == ["2026-03-01"]


def test_the_next_build_takes_the_kept_conversion(entry_site):
    keep_instead(body_of(entry_site), "<p>Aus dem Zwischenspeicher.</p>")
    assert "Aus dem Zwischenspeicher." in text_of(entry_site.build())


def test_a_changed_text_is_converted_again(entry_site):
    keep_instead(body_of(entry_site), "<p>Aus dem Zwischenspeicher.</p>")
    entry_site.write("reise.md", entry("Reise", "2026-03-01", body=BODY + " Weiter."))
    text = text_of(entry_site.build())
    assert BODY + " Weiter." in text
    assert "Zwischenspeicher" not in text


def test_other_markdown_settings_convert_again(entry_site):
    keep_instead(body_of(entry_site), "<p>Aus dem Zwischenspeicher.</p>")
    markdown = {
        "extension_configs": {"markdown.extensions.extra": {}},
        "output_format": "html5",
    }
    built = entry_site.build(MARKDOWN=markdown)
    assert BODY in text_of(built)
    assert "Zwischenspeicher" not in text_of(built)


HOSTILE = {
    "script": "<script>alert(1)</script><p>Hallo</p>",
    "event handler": '<p onclick="alert(1)">Hallo</p>',
    "foreign picture": '<p>Hallo</p><img src="https://tracker.example/p.gif" alt="">',
    "foreign frame": '<p>Hallo</p><iframe src="https://tracker.example/"></iframe>',
    "javascript link": '<p><a href="javascript:alert(1)">Hallo</a></p>',
    "style sheet": '<link rel="stylesheet" href="https://tracker.example/x.css"><p>Hallo</p>',
}


@pytest.mark.parametrize("html", HOSTILE.values(), ids=HOSTILE)
def test_a_kept_conversion_is_vetted_like_any_html(entry_site, html):
    keep_instead(body_of(entry_site), html)
    built = entry_site.build()
    page = built.html("reise.html")
    article = page.xpath("//*[contains(., 'Hallo')]")
    assert article, "the kept HTML is shown, cleaned"
    assert not page.xpath("//script|//iframe|//link[contains(@href, 'tracker')]")
    assert not page.xpath("//*[@onclick]|//img[contains(@src, 'tracker')]")
    assert not page.xpath("//a[starts-with(@href, 'javascript')]")
    assert any(p.severity == "error" for p in built.problems)


def test_a_header_from_the_cache_folder_is_vetted_like_the_authors(entry_site):
    meta = {
        "title": ["Reise"],
        "date": ["2026-03-01"],
        "author": ["Ann"],
        "summary": ["Über die Reise."],
        "save_as": ["../../ausserhalb.html"],
    }
    keep_instead(body_of(entry_site), f"<p>{BODY}</p>", meta)
    built = entry_site.build()
    assert not (entry_site.root / "ausserhalb.html").exists()
    assert not any(p.name == "ausserhalb.html" for p in entry_site.root.rglob("*"))
    assert any("save_as" in str(p).lower() for p in built.errors)


NOT_CONVERSIONS = {
    "not JSON": "<p>kaputt",
    "empty": "",
    "three items": json.dumps(["<p>a</p>", {}, "x"]),
    "one item": json.dumps(["<p>a</p>"]),
    "no text": json.dumps([1, None]),
    "header not a mapping": json.dumps(["<p>a</p>", ["title", "x"]]),
    "field not a list": json.dumps(["<p>a</p>", {"title": "Reise"}]),
    "value not text": json.dumps(["<p>a</p>", {"title": [1]}]),
    "a mapping": json.dumps({"html": "<p>a</p>", "meta": {}}),
    "over the limit of HTML": json.dumps(["<p>" + "a" * 20_000 + "</p>", {}]),
    "larger than any conversion": json.dumps(["<p>a</p>", {"x": ["a" * 200_000]}]),
}
#: The site's limits of HTML per conversion and of a text file, in these tests.
LIMIT = 10_000


@pytest.mark.parametrize("text", NOT_CONVERSIONS.values(), ids=NOT_CONVERSIONS)
def test_a_kept_file_that_is_no_conversion_is_made_again(site, text):
    site.write("reise.md", entry("Reise", "2026-03-01", body=BODY))
    limits = {
        "FORTSETZUNG_MAX_HTML_SIZE": LIMIT,
        "FORTSETZUNG_MAX_TEXT_FILE_SIZE": LIMIT,
    }
    site.build(**limits)
    forget()
    path = body_of(site)
    path.write_text(text, "utf-8")
    built = site.build(**limits)
    assert BODY in text_of(built)
    assert not built.errors
    html, meta = json.loads(path.read_text("utf-8"))
    assert html == f"<p>{BODY}</p>"
    assert meta["title"] == ["Reise"]


def test_a_cache_folder_that_cannot_be_written_keeps_nothing(site):
    (site.root / "cache").write_text("a file, not a folder")
    site.write("reise.md", entry("Reise", "2026-03-01", body=BODY))
    built = site.build()
    assert BODY in text_of(built)
    assert not built.errors


EXTENSION = """\
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor


class Mark(Postprocessor):
    def run(self, text):
        return text + "<p>{mark}</p>"


class MarkExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(Mark(md), "mark", 0)


def makeExtension(**kwargs):
    return MarkExtension(**kwargs)
"""

BUILD = """\
import sys
from pelican import Pelican
from pelican.settings import read_settings

settings = read_settings(path=None, override={{
    "PATH": {content!r}, "OUTPUT_PATH": sys.argv[1], "PLUGINS": ["fortsetzung"],
    "THEME": "simple", "SITEURL": "https://example.org", "TIMEZONE": "UTC",
    "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False, "CACHE_PATH": {cache!r},
    "MARKDOWN": {{"extension_configs": {{"markier": {{}}}}, "output_format": "html5"}},
}})
Pelican(settings).run()
"""


def test_a_changed_extension_converts_again(site):
    """Two builds in processes of their own, the extension's code changed between."""
    site.write("reise.md", entry("Reise", "2026-03-01", body=BODY))
    code = site.root / "code"
    code.mkdir()
    build = code / "build.py"
    build.write_text(
        BUILD.format(content=str(site.content), cache=str(site.root / "cache"))
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(code), *sys.path])}

    def built_with(mark, output):
        (code / "markier.py").write_text(textwrap.dedent(EXTENSION.format(mark=mark)))
        subprocess.run(
            [sys.executable, str(build), str(site.root / output)],
            env=env, check=True, capture_output=True, cwd=site.root,
        )  # fmt: skip
        return (site.root / output / "reise.html").read_text("utf-8")

    assert "Erste Marke" in built_with("Erste Marke", "out1")
    second = built_with("Zweite Marke", "out2")
    assert "Zweite Marke" in second
    assert "Erste Marke" not in second
