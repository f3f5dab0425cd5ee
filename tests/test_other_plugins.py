"""Other plugins from PyPI beside ours: the speed layer changes nothing for them.

The parallel build (sitetools/runner.py, deferred_writing.py) and the live preview
(preview.py) must write, and serve, byte for byte what one-process Pelican
writes with the same plugins, and those plugins' receivers must hear every
file, in the same order:

- pelican-sitemap listens to `content_written` and writes its own file when
  the build is `finalized`;
- pelican-touch listens to `content_written` and `feed_written` and sets
  each file's modification time to its entry's date;
- pelican-feed-content-footer listens to `feed_generated` and changes every
  feed before it is written.
"""

import inspect
import io
import os

import jinja2
import pytest
from conftest import ROOT
from pelican import Pelican
from pelican.plugins import signals
from pelican.settings import read_settings
from pelican.writers import Writer
from test_live_preview import SCRIPT, start

from sitetools import deferred_writing, folders, runner
from sitetools import preview as previewing

SETTINGS = ROOT / "pelicanconf.py"
FROM_PYPI = (
    "pelican.plugins.sitemap",
    "pelican.plugins.touch",
    "pelican.plugins.feed_content_footer",
)
#: Files older than this (the entries are from 2024): pelican-touch set their time.
TOUCHED_BEFORE = 1_750_000_000  # mid-2025


def overrides(site):
    base = read_settings(str(SETTINGS))["PLUGINS"]
    return {
        "PLUGINS": [*base, *FROM_PYPI],
        # the theme writes sitemap.xml itself
        "SITEMAP": {"format": "txt"},
        "FEED_CONTENT_FOOTER": "Mehr Geschichten in der Bücherei.",
        "CACHE_PATH": str(site.root / "cache"),
    }


heard = []


def hear_page(path, context):
    heard.append(("content_written", os.path.relpath(path, context["OUTPUT_PATH"])))


def hear_feed(path, context, feed):
    heard.append(("feed_written", os.path.relpath(path, context["OUTPUT_PATH"])))


@pytest.fixture
def listening():
    """Hear what is written; afterwards, disconnect the plugins from PyPI.

    Pelican connects a plugin's receivers for good; the next tests in this
    process must not have them.
    """
    signals.content_written.connect(hear_page)
    signals.feed_written.connect(hear_feed)
    yield heard
    heard.clear()
    signals.content_written.disconnect(hear_page)
    signals.feed_written.disconnect(hear_feed)
    for name in dir(signals):
        signal = getattr(signals, name)
        for receiver in list(getattr(signal, "receivers", {}).values()):
            function = receiver() if callable(receiver) else receiver
            module = getattr(function, "__module__", "") or ""
            if module.startswith(FROM_PYPI):
                signal.disconnect(function)


def plain_build(site, output):
    """Build the way `pelican` does: one process, Pelican's own writer."""
    settings = read_settings(
        str(SETTINGS),
        override={
            "PATH": str(site.content),
            "OUTPUT_PATH": str(output),
            "CACHE_CONTENT": False,
            "LOAD_CONTENT_CACHE": False,
            **overrides(site),
        },
    )
    Pelican(settings).run()
    said = list(heard)
    heard.clear()
    return said


def files(folder):
    return {
        p.relative_to(folder).as_posix(): p
        for p in folder.rglob("*")
        if p.is_file() and p.name != folders.MARKER
    }


def touched(found):
    """The files whose time pelican-touch set, with that time."""
    return {
        path: file.stat().st_mtime
        for path, file in found.items()
        if file.stat().st_mtime < TOUCHED_BEFORE
    }


def test_the_parallel_build_writes_what_one_process_writes(
    site, listening, monkeypatch
):
    monkeypatch.setattr(deferred_writing, "MIN_JOBS_PER_WORKER", 1)  # a small site
    start(site)
    plain = site.root / "plain"
    plain_heard = plain_build(site, plain)
    assert len([kind for kind, _path in plain_heard if kind == "content_written"]) > 9
    assert any(kind == "feed_written" for kind, _path in plain_heard)

    built = site.root / "output"
    result = runner.build(SETTINGS, site.content, built, workers=2, **overrides(site))
    assert result.error is None, runner.describe(result.error)
    assert result.processes == 2

    assert heard == plain_heard  # every file, in the one-process order
    expected, got = files(plain), files(built)
    assert sorted(got) == sorted(expected)
    for path, file in expected.items():
        assert got[path].read_bytes() == file.read_bytes(), path
    assert "Mehr Geschichten in der Bücherei." in got["feeds/alle.atom.xml"].read_text()
    assert "2024/mein-erster-tag/" in got["sitemap.txt"].read_text()
    assert touched(got) == touched(expected) != {}


def test_the_preview_serves_what_one_process_writes(site, listening, capsys):
    start(site)
    plain = site.root / "plain"
    plain_heard = plain_build(site, plain)

    live = previewing.Preview(
        SETTINGS, site.content, site.root / "work", **overrides(site)
    )
    try:
        result = live.build()
        assert result.error is None, runner.describe(result.error)
        assert heard == plain_heard
        for path, file in files(plain).items():
            status, _kind, body = live.respond(f"/{path}")
            assert status == 200, path
            assert SCRIPT.sub(b"", body) == file.read_bytes(), path
        # an edit: heard again, served anew
        heard.clear()
        (site.content / "f/3.md").write_text(
            (site.content / "f/3.md").read_text().replace("Der dritte", "Der neue"),
        )
        assert live.build().error is None
        status, _kind, body = live.respond("/sitemap.txt")
        assert status == 200
        assert b"2024/der-neue-teil/" in body
        assert ("content_written", "2024/der-neue-teil/index.html") in heard
    finally:
        live.close()


# -- what deferred_writing.py relies on where Pelican offers no hook ---------------------------


def test_pelican_hands_its_writer_to_each_generator_in_turn(tmp_path):
    """deferred_writing.record: generators finalised, then each writes, then `finalized`.

    A plain Pelican site with Pelican's own theme; if Pelican stops handing
    one writer to each generator, or writes after `finalized`, this fails.
    """
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("Title: A\nDate: 2024-01-01\n\nText.\n")
    settings = read_settings(
        path=None,
        override={
            "PATH": str(tmp_path / "content"),
            "OUTPUT_PATH": str(tmp_path / "out"),
            "CACHE_CONTENT": False,
            "PLUGINS": [],
        },
    )
    events = []

    def finalised(generators):
        events.append("all_generators_finalized")
        for generator in generators:
            generator.generate_output = noting(generator)

    def noting(generator):
        own = generator.generate_output

        def generate_output(writer):
            name = type(generator).__name__
            events.append(("generate_output", name, id(writer)))
            own(writer)

        return generate_output

    def done(pelican):
        events.append("finalized")

    signals.all_generators_finalized.connect(finalised)
    signals.finalized.connect(done)
    try:
        Pelican(settings).run()
    finally:
        signals.all_generators_finalized.disconnect(finalised)
        signals.finalized.disconnect(done)
    assert events[0] == "all_generators_finalized"
    assert events[-1] == "finalized"
    writing = events[1:-1]
    assert [name for _event, name, _writer in writing][-1] == "StaticGenerator"
    assert len({writer for _event, _name, writer in writing}) == 1  # the same
    assert (tmp_path / "out" / "a.html").is_file()


def test_pelican_opens_every_file_it_writes_with_open_w(tmp_path):
    """deferred_writing.opening: pages and feeds go through `Writer._open_w`."""
    writer = Writer(str(tmp_path), settings=read_settings(path=None))
    assert list(inspect.signature(Writer._open_w).parameters) == [
        "self", "filename", "encoding", "override",
    ]  # fmt: skip
    opened = []

    def opener(filename, encoding, override, own):
        opened.append(os.path.relpath(filename, tmp_path))
        return io.StringIO()

    template = jinja2.Template("page {{ output_file }}")
    with deferred_writing.opening(writer, opener):
        writer.write_file("a/index.html", template, {"localsiteurl": ""})
        writer.write_feed(
            [], {"SITEURL": "x", "FEED_DOMAIN": "x", "SITENAME": "S"}, "feed.xml"
        )
    assert opened == ["a/index.html", "feed.xml"]
    assert not any(tmp_path.rglob("*.*"))  # nothing written past the opener


def test_the_plugin_keeps_no_hooks_that_only_the_tools_call():
    """The tools pass what they need per build, as settings of that build
    (FORTSETZUNG_MAP, FORTSETZUNG_BEFORE_READING), not by hooks set
    for the whole process; the speed patch of Pelican's lists is theirs."""
    from pelican.plugins.fortsetzung import generator, memo  # noqa: PLC0415
    from pelican.plugins.fortsetzung.safety import check_site  # noqa: PLC0415

    for module, name in [
        (check_site, "share_out"),
        (memo, "supply"),
        (memo, "reading"),
        (generator, "REPORT"),
    ]:
        assert not hasattr(module, name), name
    with pytest.raises(ImportError):
        import pelican.plugins.fortsetzung.membership  # noqa: F401, PLC0415
