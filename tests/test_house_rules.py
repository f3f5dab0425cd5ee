"""House rules are settings: a plain Pelican site keeps working with the plugin.

These sites are built with plain `Pelican(settings).run()`, Pelican's own
themes and none of this site's settings; the site's strict values are in
its pelicanconf.py and tested with it.
"""

import datetime
import io
import logging
import types

import pytest
from conftest import write_files
from pelican import Pelican, signals
from pelican.plugins.fortsetzung.dates import long_date
from pelican.settings import read_settings
from PIL import Image

#: Pelican's documented recipe for files that belong at the root.
EXTRA = {
    "extra/CNAME": {"path": "CNAME"},
    "extra/robots.txt": {"path": "robots.txt"},
    "extra/favicon.ico": {"path": "favicon.ico"},
}
ENTRY = """\
Title: First post
Date: 2024-01-01 10:00
Author: Jane
Summary: The first one.
Category: News

Hello.
"""


def _favicon():
    data = io.BytesIO()
    Image.new("RGB", (16, 16), "#0b57a4").save(data, "ICO")
    return data.getvalue()


#: A real icon: pictures are read as pictures (pictures.py).
FAVICON = _favicon()


def plain_build(tmp_path, caplog, files, **settings):
    """Build `files` (relative to content/) as a quickstart site; return output, log."""
    write_files(tmp_path / "content", {"first.md": ENTRY, **files})
    output = tmp_path / "output"
    settings = read_settings(
        path=None,
        override={
            "PATH": str(tmp_path / "content"),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(tmp_path / "cache"),
            "CACHE_CONTENT": False,
            "LOAD_CONTENT_CACHE": False,
            "THEME": "simple",
            "PLUGINS": ["fortsetzung"],
            "SITENAME": "Quickstart",
            "SITEURL": "https://example.org",
            "AUTHOR": "Jane",
            "TIMEZONE": "UTC",
            "DEFAULT_LANG": "en",
            **settings,
        },
    )
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        Pelican(settings).run()
    said = [
        r.getMessage() for r in caplog.records if r.name.startswith("pelican.plugins")
    ]
    return output, said


QUICKSTART_FILES = {
    "extra/CNAME": "www.example.org\n",
    "extra/robots.txt": "User-agent: *\nDisallow:\n",
    "extra/favicon.ico": FAVICON,
    "css/site.css": "body { color: #333 }\n",
    "js/menu.js": "document.title;\n",
    "fonts/body.woff2": b"wOF2\x00\x01",
    "fonts/body.ttf": b"\x00\x01\x00\x00",
    "downloads/flyer.pdf": b"%PDF-1.4\n",
}


@pytest.mark.parametrize("theme", ["simple", "notmyidea"])
def test_a_quickstart_site_publishes_its_static_files_where_pelican_says(
    tmp_path, caplog, theme
):
    output, said = plain_build(
        tmp_path,
        caplog,
        QUICKSTART_FILES,
        THEME=theme,
        STATIC_PATHS=["images", *EXTRA, "css", "js", "fonts", "downloads"],
        EXTRA_PATH_METADATA=EXTRA,
    )

    assert said == []
    assert (output / "CNAME").read_text() == "www.example.org\n"
    assert (output / "robots.txt").is_file()
    assert (output / "favicon.ico").read_bytes() == FAVICON
    for path in ("css/site.css", "js/menu.js", "fonts/body.woff2", "fonts/body.ttf"):
        assert (output / path).is_file(), path
    assert (output / "downloads/flyer.pdf").is_file()
    assert (output / "first-post.html").is_file()


def test_the_allowed_static_types_are_a_setting(tmp_path, caplog):
    output, said = plain_build(
        tmp_path,
        caplog,
        {"css/site.css": "body {}", "images/a.png": b"\x89PNG\r\n\x1a\n"},
        STATIC_PATHS=["images", "css"],
        FORTSETZUNG_STATIC_TYPES=["png"],
    )

    assert not (output / "css/site.css").exists()
    assert (output / "images/a.png").is_file()
    [record] = said
    assert "Files of the type “.css” are not published on this site." in record
    assert "Allowed are: png." in record


def test_a_file_without_a_type_is_refused_unless_the_settings_place_it(
    tmp_path, caplog
):
    output, said = plain_build(
        tmp_path,
        caplog,
        {"extra/CNAME": "www.example.org\n", "extra/LICENSE": "MIT\n"},
        STATIC_PATHS=["extra"],
        EXTRA_PATH_METADATA={"extra/CNAME": {"path": "CNAME"}},
    )

    assert (output / "CNAME").is_file()
    assert not (output / "extra/LICENSE").exists()
    [record] = said
    assert "extra/LICENSE" in record
    assert "has no type" in record


def test_only_the_settings_put_files_at_the_root_that_hosts_read(tmp_path, caplog):
    """A file an author drops at the root is still judged by the gate (issue 20)."""
    output, said = plain_build(
        tmp_path,
        caplog,
        {
            "robots.txt": "User-agent: *\n",
            "google0123abcd.html": "google-site-verification: google0123abcd.html",
            # a folder's metadata places no file: the author chose the name
            "extra/CNAME": "evil.example\n",
        },
        STATIC_PATHS=[""],
        READERS={"html": None},
        EXTRA_PATH_METADATA={"extra": {"path": "CNAME"}},
    )

    assert not (output / "robots.txt").exists()
    assert not (output / "google0123abcd.html").exists()
    assert not (output / "CNAME").exists()
    [record] = said
    assert "robots.txt" in record
    assert "google0123abcd.html" in record
    assert "extra/CNAME" in record


def test_this_site_keeps_its_strict_list_of_static_types(site):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Eins", "2024-01-01", Series="FSJ")
    write_files(
        site.content,
        {
            "images/site.css": "body {}",
            "images/font.woff2": b"wOF2",
            "images/a.pdf": b"%PDF",
        },
    )

    build = site.build()

    assert not (build.output / "images/site.css").exists()
    assert not (build.output / "images/font.woff2").exists()
    assert (build.output / "images/a.pdf").is_file()
    assert any("Dateien vom Typ „.css“" in e for e in build.errors)
    assert any("Dateien vom Typ „.woff2“" in e for e in build.errors)


# -- English defaults, messages in the site's language ------------------------------

SERIAL = {
    "series/my-serial.md": "Title: My Serial\n\nA story.\n",
    "first.md": ENTRY.replace(
        "Category: News", "Series: My Serial\nRedirect_from: /old/"
    ),
    "second.md": ENTRY.replace("First", "Second").replace("01-01", "01-02")
    + "\n![](missing.png)\n",
}


def test_the_plugin_s_defaults_are_english(tmp_path, caplog):
    output, _said = plain_build(tmp_path, caplog, SERIAL)

    assert (output / "redirects.nginx.conf").is_file()
    assert not list(output.glob("weiterleitungen*"))


@pytest.mark.parametrize("lang", ["fr", "xx", "pt_BR"])
def test_a_language_without_a_catalogue_gets_english_messages(tmp_path, caplog, lang):
    output, said = plain_build(tmp_path, caplog, SERIAL, DEFAULT_LANG=lang)

    assert any("“missing.png” leads nowhere" in m for m in said)
    assert (output / "series/my-serial/index.html").is_file()


def test_a_regional_language_code_gets_its_language(tmp_path, caplog):
    _output, said = plain_build(tmp_path, caplog, SERIAL, DEFAULT_LANG="de-DE")

    assert any("„missing.png“ führt ins Leere" in m for m in said)


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("de", "3. Dezember 2024"),
        ("de-DE", "3. Dezember 2024"),
        ("fr", "3 décembre 2024"),
        ("xx", "December 3, 2024"),
        ("", "December 3, 2024"),
    ],
)
def test_long_dates_are_in_the_site_s_language_or_english(lang, shown):
    assert long_date(datetime.date(2024, 12, 3), lang) == shown


def test_this_site_names_its_nginx_map_in_german(site):
    site.entry("f/1.md", "Eins", "2024-01-01", Redirect_from="/alt/")

    build = site.build()

    assert (build.output / "weiterleitungen.nginx.conf").is_file()


# -- one translation mechanism: the plugin's templates speak gettext -----------------


def test_the_plugin_s_templates_speak_the_site_s_language(tmp_path, caplog):
    english, _said = plain_build(tmp_path / "en", caplog, SERIAL)
    german, _said = plain_build(tmp_path / "de", caplog, SERIAL, DEFAULT_LANG="de")

    page = (english / "series/my-serial/index.html").read_text("utf-8")
    assert "Follow this series in a feed reader" in page
    assert "This page has moved" in (english / "old/index.html").read_text("utf-8")
    assert "written by the plugin Fortsetzung" in (
        english / "redirects.nginx.conf"
    ).read_text("utf-8")
    page = (german / "series/my-serial/index.html").read_text("utf-8")
    assert "Diese Serie im Feedreader abonnieren" in page
    assert "1 Teil" in page
    assert "Alle Serien" in (german / "series/index.html").read_text("utf-8")
    assert "Diese Seite ist umgezogen" in (german / "old/index.html").read_text("utf-8")
    assert "geschrieben vom Plugin Fortsetzung" in (german / ".htaccess").read_text(
        "utf-8"
    )


def test_translations_another_plugin_installed_are_kept(tmp_path, caplog):
    """i18n_subsites and the like install their own gettext: the plugin keeps it."""

    def install_own(generator):
        generator.env.add_extension("jinja2.ext.i18n")
        generator.env.install_null_translations(newstyle=True)

    other = types.ModuleType("other_i18n")
    other.register = lambda: signals.generator_init.connect(install_own)
    try:
        german, _said = plain_build(
            tmp_path, caplog, SERIAL, DEFAULT_LANG="de", PLUGINS=[other, "fortsetzung"]
        )
    finally:
        signals.generator_init.disconnect(install_own)

    page = (german / "series/my-serial/index.html").read_text("utf-8")
    assert "Follow this series in a feed reader" in page
