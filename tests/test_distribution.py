"""The distribution pelican-fortsetzung in a Pelican site that is not this one.

A fresh virtual environment gets nothing but `pelican[markdown]` and the
plugin, installed from its folder with pip, offline (from the wheels
`python3 dev.py tests` downloads). Then Pelican's own command builds a site
like Pelican's sample (Markdown and reStructuredText, a translation, a
draft, a page) with `PLUGINS = ["fortsetzung"]` under the themes Pelican
ships: series pages, the page of all series and the series feeds come from
the plugin's own templates.
"""

import os
import subprocess
import sys
import textwrap
import venv
import zipfile

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

PLUGIN = ROOT / "plugins" / "fortsetzung"
WHEELS = ROOT / ".venv" / "wheels"
BIN = "Scripts" if os.name == "nt" else "bin"


def run(*command, **options):
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        check=False,
        **options,
    )


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """A virtual environment with Pelican and the plugin, nothing else."""
    if not (WHEELS / "downloaded").is_file():
        message = (
            "the wheels for a bare environment are missing: run python3 dev.py tests"
        )
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("bare") / "venv"
    venv.create(folder)  # no pip of its own: this one installs into it (faster)
    python = folder / BIN / "python"
    offline = ["--no-index", "--find-links", WHEELS, "--quiet", "--no-compile"]
    installed = run(*pip(python), "install", *offline, PLUGIN)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return python


def pip(python):
    """The command of this environment's pip, working on the environment of `python`."""
    return sys.executable, "-m", "pip", "--python", python


def test_only_runtime_dependencies_are_installed(bare):
    listed = run(*pip(bare), "list", "--format", "freeze").stdout
    names = {line.split("==")[0].lower() for line in listed.splitlines()}

    assert "pelican-fortsetzung" in names
    for absent in ("pytest", "invoke", "ghp-import", "livereload", "filelock", "ruff"):
        assert absent not in names


def test_the_wheel_holds_the_namespace_package_with_templates_and_messages(tmp_path):
    built = run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-index",
        "--find-links", WHEELS, "--wheel-dir", tmp_path, PLUGIN,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = tmp_path.glob("pelican_fortsetzung-*.whl")
    names = zipfile.ZipFile(wheel).namelist()

    assert "pelican/plugins/fortsetzung/__init__.py" in names
    assert "pelican/plugins/fortsetzung/templates/series.html" in names
    assert "pelican/plugins/fortsetzung/locale/de.po" in names
    # every subpackage and data file (safety/data, extras/fonts …)
    source = [
        path.relative_to(PLUGIN).as_posix()
        for path in (PLUGIN / "pelican").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    assert "pelican/plugins/fortsetzung/safety/data/confusables.txt" in source
    assert sorted(set(source) - set(names)) == []
    # a namespace package: Pelican's own files are not replaced
    assert "pelican/__init__.py" not in names
    assert "pelican/plugins/__init__.py" not in names
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "Classifier: Framework :: Pelican :: Plugins" in text


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), "utf-8")


SAMPLE = {
    "content/series/my-serial.md": """
        Title: My Serial
        Summary: A story in parts.

        A *serial*, told in three parts.
        """,
    "content/stories/part-one.rst": """
        Part one
        ########

        :date: 2024-01-01 10:00
        :author: Ann
        :series: My Serial
        :summary: It begins.

        Once upon a time.
        """,
    "content/stories/part-two.md": """
        Title: Part two
        Date: 2024-02-01 10:00
        Author: Ann
        Series: my-serial
        Summary: It goes on.
        Slug: part-two

        And then.
        """,
    "content/stories/part-two-de.md": """
        Title: Zweiter Teil
        Date: 2024-02-01 10:00
        Author: Ann
        Series: my-serial
        Summary: Es geht weiter.
        Slug: part-two
        Lang: de

        Und dann.
        """,
    "content/stories/part-three.md": """
        Title: Part three
        Date: 2024-03-01 10:00
        Author: Ann
        Series: My Serial
        Summary: Not ready.
        Status: draft

        Not yet.
        """,
    "content/stories/elsewhere.md": """
        Title: Elsewhere
        Date: 2024-01-15 10:00
        Author: Bob
        Series: My Serail
        Summary: A typo in the series.

        Text.
        """,
    "content/pages/about.rst": """
        About
        #####

        A site like Pelican's sample.
        """,
}


@pytest.mark.parametrize("theme", ["notmyidea", "simple"])
def test_a_site_with_pelican_s_themes_gets_series_pages_and_feeds(
    bare, tmp_path, theme
):
    write(tmp_path, SAMPLE)
    (tmp_path / "pelicanconf.py").write_text(
        'SITENAME = "Sample"\nSITEURL = "https://example.org"\n'
        'TIMEZONE = "UTC"\nDEFAULT_LANG = "en"\n'
        f'THEME = "{theme}"\nPLUGINS = ["fortsetzung"]\n',
        "utf-8",
    )

    built = run(
        bare.with_name("pelican"), "content", "-s", "pelicanconf.py", "-o", "output",
        cwd=tmp_path, env={**os.environ, "COLUMNS": "500"},
    )  # fmt: skip
    said = built.stdout + built.stderr
    output = tmp_path / "output"

    assert built.returncode == 0, said
    assert "CRITICAL" not in said
    # the typo is reported, in English
    assert "There is no series “My Serail”. Did you mean “My Serial”?" in said
    page = BeautifulSoup((output / "series/my-serial/index.html").read_text(), "lxml")
    parts = [a.get_text() for a in page.select("ol.series-parts a")]
    assert parts == ["Part one", "Part two"]  # no draft, no translation
    assert page.find("em").get_text() == "serial"  # the introduction
    index = BeautifulSoup((output / "series/index.html").read_text(), "lxml")
    assert index.find("a", string="My Serial") is not None
    feed = feedparser.parse(output / "feeds/series/my-serial.atom.xml")
    assert not feed.bozo
    assert [e.title for e in feed.entries] == [
        "My Serial, part 2: Part two",
        "My Serial, part 1: Part one",
    ]
    assert (output / "feeds/series/my-serial.rss.xml").is_file()
    assert (output / "feeds/series.opml").is_file()
    assert not (output / "part-three.html").exists()
    assert (output / "part-two-de.html").is_file()  # Pelican's translation page
