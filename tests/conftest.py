"""Helpers that write content into a temporary folder and build it with Pelican."""

import contextlib
import functools
import os
import re
import struct
import subprocess
import sys
import textwrap
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import lxml.etree
import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings
from xdist.scheduler import LoadScopeScheduling

from sitetools import preview as previewing
from sitetools.runner import describe, run_pelican

ROOT = Path(__file__).resolve().parent.parent


def run_task(*args, cwd=None, **environment):
    """Run a task the way an editor does, its output read through a pipe.

    The program dev.py runs (sitetools/cli.py: invoke's, in German), with
    tasks.py found from any folder. `environment` is added to this
    process's; a variable given as None is taken away.
    """
    env = {**os.environ, **environment}
    return subprocess.run(
        [sys.executable, "-m", "sitetools.cli", "-r", str(ROOT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={key: value for key, value in env.items() if value is not None},
        check=False,
    )


def png(width, height):
    """A grey PNG of the given size (the images plugin reads the size)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress((b"\x00" + b"\x80\x80\x80" * width) * height)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", rows)
        + chunk(b"IEND", b"")
    )


def huge_png(width, height):
    """A PNG whose header claims `width` × `height` pixels (its data is 1 × 1)."""
    data = bytearray(png(1, 1))
    struct.pack_into(">II", data, 16, width, height)
    struct.pack_into(">I", data, 29, zlib.crc32(data[12:29]))
    return bytes(data)


def write_files(root, files):
    """Write {relative path: text or bytes} under `root`, making folders."""
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, "utf-8")


def front_matter(fields, body):
    header = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"{header}\n{textwrap.dedent(body).strip()}\n"


SVG_NS = "http://www.w3.org/2000/svg"
#: SVG elements that run, embed or animate: none may be published.
ACTIVE_SVG = {
    "script", "foreignObject", "handler", "listener", "iframe", "embed", "object",
    "animate", "set", "animateMotion", "animateTransform", "animateColor",
}  # fmt: skip
#: What may follow "url(" or stand in an href: a fragment, an embedded picture.
_OWN = re.compile(r"^(#|data:image/(png|jpeg|gif|webp);base64,)")
_LOADS = re.compile(r"@import|@font-face|image-set|expression\(|javascript:|\\", re.I)


def unsafe_svg(data):
    """Everything in a published SVG file that could run, load or be read twice.

    Independent of the plugin's svg.py: a published file must be plain
    UTF-8 XML without DOCTYPE, entities, comments or instructions, only SVG
    elements, no event attribute, and every reference a fragment (or an
    embedded picture) – in attributes and CSS alike.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"<!DOCTYPE" in data:
        return ["DOCTYPE or not UTF-8"]
    parser = lxml.etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True
    )
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as error:
        return [f"not XML: {error}"]
    found = []
    if (root.getroottree().docinfo.encoding or "").upper() != "UTF-8":
        found.append("encoding")
    for node in [*root.itersiblings(preceding=True), *root.iter()]:
        if not isinstance(node.tag, str):
            found.append(f"node {node}")
            continue
        namespace, _brace, name = node.tag[1:].partition("}")
        if namespace != SVG_NS or name in ACTIVE_SVG:
            found.append(f"element {node.tag}")
        texts = [node.text or ""] if name == "style" else []
        for key, value in node.attrib.items():
            local = key.rpartition("}")[2]
            if local.lower().startswith("on") or local == "base":
                found.append(f"attribute {key}")
            if local == "href" and not _OWN.match(value):
                found.append(f"href {value}")
            texts.append(value)
        for text in texts:
            if _LOADS.search(text) or any(
                not _OWN.match(url.strip(" \"'"))
                for url in re.findall(r"url\(([^)]*)", text, re.I)
            ):
                found.append(f"loads: {text[:80]}")
    return found


@dataclass
class Build:
    """What one Pelican run produced: output folder, shared context, and what
    it said: the content's problems and Pelican's other messages."""

    output: Path
    context: dict
    found: list = field(default_factory=list)  # of Problems (runner.Result.found)

    @property
    def errors(self):
        return [str(p) for p in self.found if p.severity == "error"]

    @property
    def warnings(self):
        return [str(p) for p in self.found if p.severity == "warning"]

    def html(self, path):
        """Parse an output file; `path` is a URL relative to the site root."""
        if path.endswith("/") or not path:
            path += "index.html"
        return BeautifulSoup((self.output / path).read_text("utf-8"), "lxml")

    def all_text(self):
        """Every file the build wrote, as one string (to search for leaks)."""
        return "\n".join(
            p.read_text("utf-8", errors="replace")
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        )

    def series(self, slug):
        return next(s for s in self.context["series_list"] if s.slug == slug)


class Site:
    """A content folder under tmp_path that tests fill with series and entries."""

    def __init__(self, root):
        self.root = root
        self.content = root / "content"
        self.content.mkdir(parents=True, exist_ok=True)
        self.builds = 0

    def write(self, relative, fields, body="Text."):
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(front_matter(fields, body), "utf-8")
        return path

    def series(self, slug, title, body="Eine Einführung.", **fields):
        fields = {"Title": title, **fields} if title is not None else fields
        return self.write(f"series/{slug}.md", fields, body)

    def entry(self, relative, title, date, body="Text.", **fields):
        fields = {"Author": "Lena K.", "Summary": "Worum es geht.", **fields}
        return self.write(relative, {"Title": title, "Date": date, **fields}, body)

    def settings(self, output, settings_file="pelicanconf.py", **overrides):
        """The project's settings and theme, for this content and `output`."""
        return read_settings(
            str(ROOT / settings_file),
            override={
                "PATH": str(self.content),
                "OUTPUT_PATH": str(output),
                "THEME": str(ROOT / "themes" / "fortsetzung"),
                "CACHE_CONTENT": False,
                "LOAD_CONTENT_CACHE": False,
                "CACHE_PATH": str(self.root / "cache"),
                **overrides,
            },
        )

    def build(self, settings_file="pelicanconf.py", output=None, **overrides):
        """Build with the project's settings and theme; return a `Build`."""
        self.builds += 1
        output = output or self.root / f"output{self.builds}"
        result = run_pelican(self.settings(output, settings_file, **overrides))
        if result.error is not None:
            raise result.error
        return Build(Path(output), result.context, result.found)

    @contextlib.contextmanager
    def preview(self, settings_file="pelicanconf.py"):
        """The live preview of the site (sitetools/preview.py), built once."""
        live = previewing.Preview(
            ROOT / settings_file,
            self.content,
            self.root / "work",
            CACHE_PATH=str(self.root / "cache"),
        )
        try:
            result = live.build()
            assert result.error is None, describe(result.error)
            yield live
        finally:
            live.close()


@pytest.fixture
def site(tmp_path):
    return Site(tmp_path)


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="also write screenshots of every page type at 375 and 1280 px "
        "into test-artifacts/screenshots/ (tests/browser/test_responsive.py)",
    )


def pytest_collection_modifyitems(config, items):
    """Leave out the screenshots unless `--screenshots` asks for them.

    They are pictures for people to look at, not a check (the checks of
    the same pages are the other browser tests), and took about 40 s of
    every run.
    """
    if config.getoption("--screenshots"):
        return
    left_out = [item for item in items if item.get_closest_marker("screenshots")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]


@pytest.hookimpl(optionalhook=True)  # xdist's hook: without it, nothing to do
def pytest_xdist_make_scheduler(config, log):
    """Keep the tests that share a built site in one process under pytest-xdist.

    `python3 dev.py tests` runs `--dist loadgroup` (tasks.py): the tests of
    a file with a fixture wider than one test (a module-scoped site) stay
    together, so that it is built once; a file may name a group of its own
    (`pytest.mark.xdist_group`). Every other test goes to whichever process
    is free, so that no long file keeps one core busy at the end: the
    browser tests too (each process starts its browser and server once,
    tests/browser/conftest.py; with all of them in one process, it was the
    last to finish, 5 min 30 s against 4 min 53 s).

    The groups are told by the test's file, here: xdist's own loadgroup
    marks each test's node id, which pytest 9.2 no longer lets it do
    (pytest-xdist issue 1386), so that every test went anywhere and
    module-scoped sites were built again and again.
    """
    if config.getvalue("dist") == "loadgroup":
        return _Grouped(config, log)
    return None


class _Grouped(LoadScopeScheduling):
    def _split_scope(self, nodeid):
        return _group(self.config.rootpath / nodeid.split("::", 1)[0]) or nodeid


@functools.cache
def _group(path):
    """Return the group of the tests in `path`, or None: each test on its own."""
    text = path.read_text("utf-8")
    if named := re.search(r"xdist_group\(\"([^\"]+)\"\)", text):
        return named[1]
    return path.as_posix() if "scope=" in text else None


def titles(articles):
    return [a.title for a in articles]
