"""Conversions from Markdown kept in the cache folder for the next build.

A build in a new process (a publish, CI with its cache) converts only the
texts that changed; what it takes from the cache folder is vetted as any
HTML is, and a line there that is not a conversion is made again.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from pelican.plugins.fortsetzung import memo
from pelican.plugins.fortsetzung.safety import kept_conversions

from .plain import entry

BODY = "Der erste Teil unserer Reise."


def forget():
    """Forget what this process converted, as a new process would not know it."""
    memo.next_build()
    memo.next_build()


def journal_of(site):
    return site.root / "cache" / "fortsetzung" / kept_conversions.NAME


def lines_of(site):
    """The kept lines as (digest, JSON) pairs, each line complete."""
    *lines, last = journal_of(site).read_bytes().split(b"\n")
    assert last == b""
    return [
        (d.decode(), kept) for d, _space, kept in (x.partition(b" ") for x in lines)
    ]


def kept(site):
    """The kept conversions: {digest: [HTML, header]}; a later line counts."""
    return {digest: json.loads(kept) for digest, kept in dict(lines_of(site)).items()}


def body_of(site):
    """The digest of the entry's kept conversion."""
    (digest,) = kept(site)
    return digest


def replace_lines(site, lines):
    """Make the file hold `lines` (bytes), replaced whole as builds do."""
    path = journal_of(site)
    new = path.with_name("neu.txt")
    new.write_bytes(b"".join(lines))
    os.replace(new, path)


def keep_instead(site, html, meta=None):
    """Keep other HTML (and header) for the entry's text."""
    digest = body_of(site)
    _html, header = kept(site)[digest]
    kept_json = json.dumps([html, header if meta is None else meta])
    replace_lines(site, [f"{digest} {kept_json}\n".encode()])


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
    keep_instead(entry_site, "<p>Aus dem Zwischenspeicher.</p>")
    assert "Aus dem Zwischenspeicher." in text_of(entry_site.build())


def test_a_changed_text_is_converted_again(entry_site):
    keep_instead(entry_site, "<p>Aus dem Zwischenspeicher.</p>")
    entry_site.write("reise.md", entry("Reise", "2026-03-01", body=BODY + " Weiter."))
    text = text_of(entry_site.build())
    assert BODY + " Weiter." in text
    assert "Zwischenspeicher" not in text


def test_other_markdown_settings_convert_again(entry_site):
    keep_instead(entry_site, "<p>Aus dem Zwischenspeicher.</p>")
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
    keep_instead(entry_site, html)
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
    keep_instead(entry_site, f"<p>{BODY}</p>", meta)
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
LIMITS = {"FORTSETZUNG_MAX_HTML_SIZE": LIMIT, "FORTSETZUNG_MAX_TEXT_FILE_SIZE": LIMIT}


def kept_entry(site, **limits):
    """Build the entry with `limits` once; return the digest of its kept line."""
    site.write("reise.md", entry("Reise", "2026-03-01", body=BODY))
    site.build(**limits)
    forget()
    return body_of(site)


@pytest.mark.parametrize("text", NOT_CONVERSIONS.values(), ids=NOT_CONVERSIONS)
def test_a_kept_line_that_is_no_conversion_is_made_again(site, text):
    digest = kept_entry(site, **LIMITS)
    replace_lines(site, [f"{digest} {text}\n".encode()])
    assert_made_again(site, digest)


def assert_made_again(site, digest):
    """The next build converts the entry again and keeps it at the end."""
    built = site.build(**LIMITS)
    assert BODY in text_of(built)
    assert not built.errors
    assert lines_of(site)[-1][0] == digest
    html, meta = json.loads(dict(lines_of(site))[digest])
    assert html == f"<p>{BODY}</p>"
    assert meta["title"] == ["Reise"]


BROKEN_LINES = {
    "cut short": lambda good: good[: len(good) // 2],
    "no digest": lambda good: good.partition(b" ")[2] + b"\n",
    "no space": lambda good: good.replace(b" ", b"", 1),
    "not UTF-8": lambda good: good.replace(b"<p>", b"<p>\xff\xfe"),
    "a carriage return in the JSON": lambda good: good.replace(b"[", b"[\r", 1),
    "glued to the next": lambda good: good[:-1] + good,
}


@pytest.mark.parametrize("broken", BROKEN_LINES.values(), ids=BROKEN_LINES)
def test_a_broken_line_is_made_again(site, broken):
    digest = kept_entry(site, **LIMITS)
    (good,) = journal_of(site).read_bytes().splitlines(True)
    replace_lines(site, [broken(good)])
    assert_made_again(site, digest)


def test_a_line_cut_short_at_the_end_is_not_glued_to_the_next(site):
    """A build stopped while writing leaves no line end: the next starts a line."""
    digest = kept_entry(site, **LIMITS)
    replace_lines(site, [b'0123 ["<p>abgebrochen'])
    built = site.build(**LIMITS)
    assert BODY in text_of(built)
    assert journal_of(site).read_bytes().split(b"\n")[0] == b'0123 ["<p>abgebrochen'
    assert lines_of(site)[-1][0] == digest


def test_a_kept_file_larger_than_the_site_may_be_is_made_anew(site):
    """Not read at all: a file someone else put there cannot fill the memory."""
    limits = {**LIMITS, "FORTSETZUNG_MAX_SITE_SIZE": 100_000}
    digest = kept_entry(site, **limits)
    planted = json.dumps(["<p>Gepflanzt</p>", {}])
    replace_lines(site, [f"{digest} {planted}\n".encode(), b"x" * 100_000 + b"\n"])
    built = site.build(**limits)
    assert "Gepflanzt" not in text_of(built)
    assert BODY in text_of(built)
    assert [d for d, _kept in lines_of(site)] == [digest]


def test_a_build_that_converts_nothing_new_writes_nothing(entry_site):
    before = journal_of(entry_site).stat()
    entry_site.build()
    after = journal_of(entry_site).stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino, before.st_size, before.st_mtime_ns,
    )  # fmt: skip


def test_conversions_no_build_uses_are_dropped_when_they_are_many(entry_site):
    """More than twice the build's conversions, and SLACK, are too many."""
    digest = body_of(entry_site)
    (line,) = journal_of(entry_site).read_bytes().splitlines(True)
    most = 2 * 1 + kept_conversions.SLACK
    others = [b'%032x ["<p>alt</p>", {}]\n' % n for n in range(most)]
    replace_lines(entry_site, [*others[: most - 1], line])
    entry_site.build()
    assert len(lines_of(entry_site)) == most  # kept as it is
    forget()
    replace_lines(entry_site, [*others, line])
    built = entry_site.build()
    assert BODY in text_of(built)
    assert [d for d, _kept in lines_of(entry_site)] == [digest]
    assert kept(entry_site)[digest][0] == f"<p>{BODY}</p>"


def test_lines_another_build_appends_are_read_as_they_come(tmp_path):
    """The preview's process reads what a build in another process kept."""
    path = tmp_path / kept_conversions.NAME
    journal = kept_conversions.Journal(str(path))
    assert journal.get("a") is None
    other = kept_conversions.Journal(str(path))
    other.add("a", '["<p>A</p>", null]')
    assert journal.get("a") == b'["<p>A</p>", null]'
    with path.open("ab") as file:
        file.write(b'b ["<p>B')  # being written
        file.flush()
        assert journal.get("b") is None
        file.write(b'</p>", null]\n')
    assert journal.get("b") == b'["<p>B</p>", null]'
    journal.add("c", '["<p>C</p>", null]')
    assert other.get("c") == b'["<p>C</p>", null]'
    replace = tmp_path / "neu"
    replace.write_bytes(b'd ["<p>D</p>", null]\n')
    os.replace(replace, path)  # another build pruned it
    assert journal.get("a") is None
    assert journal.get("d") == b'["<p>D</p>", null]'
    journal.add("e", '["<p>E</p>", null]')  # into the new file
    assert other.get("e") == b'["<p>E</p>", null]'
    journal.close()
    other.close()


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
