"""A site made by pelican-quickstart keeps working when it installs the plugin.

The issue's acceptance: Pelican's own quickstart settings (AUTHOR set, feeds
on as in its publishconf), the `notmyidea` theme, Pelican's `extra/CNAME`
recipe, a reStructuredText entry and the `pelican-sitemap` plugin build
without a single error or warning, and every feed is what Pelican alone
writes; the only new feeds are the series' own.
"""

import os
import subprocess
import sys
from pathlib import Path

import pelican

THEMES = Path(pelican.__file__).parent / "themes"

SETTINGS = """\
AUTHOR = "Ada Lovelace"
SITENAME = "A quickstart site"
SITEURL = "https://example.org"
PATH = "content"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
AUTHOR_FEED_ATOM = "feeds/author/{slug}.atom.xml"
DEFAULT_PAGINATION = 10
STATIC_PATHS = ["images", "extra/CNAME", "extra/custom.css"]
EXTRA_PATH_METADATA = {
    "extra/CNAME": {"path": "CNAME"},
    "extra/custom.css": {"path": "static/custom.css"},
}
ARTICLE_EXCLUDES = ["series"]
"""

FILES = {
    "first.md": "Title: First post\nDate: 2024-01-01 10:00\nCategory: News\n"
    "Tags: hello\n\nThe first post, written in Markdown.\n",
    "second.md": "Title: Second post\nDate: 2024-01-08 10:00\nCategory: News\n"
    "Series: Diary\n\nPart one of the diary.\n",
    "third.md": "Title: Third post\nDate: 2024-01-15 10:00\nCategory: News\n"
    "Series: Diary\n\nPart two of the diary.\n",
    "restructured.rst": "A reST post\n###########\n\n:date: 2024-01-20 10:00\n"
    ":tags: hello, rest\n:category: Notes\n\nWritten in *reStructuredText*.\n",
    "series/diary.md": "Title: Diary\n\nA diary in parts.\n",
    "pages/about.md": "Title: About\n\nAbout this site.\n",
    "extra/CNAME": "blog.example.org\n",
    "extra/custom.css": "body { color: #222; }\n",
}


def build(root, plugins):
    """Build the site at `root` with `plugins`, as `pelican` does; return output.

    Each build runs in a process of its own: a plugin once loaded stays
    connected to Pelican's signals, so in one process the first build's
    plugins would hear the second's. `--fatal warnings` makes any warning
    or error fail the build.
    """
    output = root / f"output-{len(plugins)}"
    settings = root / f"settings-{len(plugins)}.py"
    settings.write_text(
        f"from pelicanconf import *\nPLUGINS = {plugins!r}\n"
        f"THEME = {str(THEMES / 'notmyidea')!r}\nCACHE_CONTENT = False\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", settings.name,
         "-o", str(output), "--fatal", "warnings"],
        cwd=root, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(root)},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return output


def feeds(output):
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in output.rglob("*")
        if p.suffix in (".xml", ".json") and "feeds" in p.parts
    }


def test_a_quickstart_site_builds_cleanly_and_keeps_its_feeds(tmp_path):
    (tmp_path / "pelicanconf.py").write_text(SETTINGS)
    for name, text in FILES.items():
        path = tmp_path / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    plain = build(tmp_path, ["sitemap"])
    output = build(tmp_path, ["sitemap", "fortsetzung"])

    assert (output / "CNAME").read_text() == "blog.example.org\n"
    assert (output / "static" / "custom.css").exists()
    assert (output / "sitemap.xml").exists()
    assert (output / "a-rest-post.html").exists()
    assert (output / "series" / "diary" / "index.html").exists()
    before, after = feeds(plain), feeds(output)
    new = set(after) - set(before)
    assert new and all("series" in name for name in new)
    assert {name: after[name] for name in before} == before
