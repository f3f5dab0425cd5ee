"""The entry schema (fields.py): required fields, vetting and `new` come from its rows."""

import logging
import re
import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pelican import Pelican
from pelican.plugins.fortsetzung import api, fields, memo
from pelican.plugins.fortsetzung.i18n import speaking
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, METADATA_PROCESSORS
from pelican.settings import read_settings

from sitetools.scaffold import new_entry, site_settings

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "leitfaden-fuer-autorinnen.md"
NOW = datetime(2025, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def plain_site(tmp_path, caplog, files, **settings):
    """Build `files` with plain Pelican, its theme and the plugin; return its errors."""
    for relative, text in files.items():
        path = tmp_path / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), "utf-8")
    overrides = {
        "PATH": str(tmp_path / "content"),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "SITEURL": "https://example.org",
        "TIMEZONE": "UTC",
        "PLUGINS": ["fortsetzung"],
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        **settings,
    }
    with caplog.at_level(logging.ERROR, logger="pelican.plugins.fortsetzung"):
        Pelican(read_settings(None, override=overrides)).run()
    return "\n".join(
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("pelican.plugins.fortsetzung")
    )


MARKDOWN = {"first.md": "Title: First\nDate: 2025-01-02 10:00\n\nText.\n"}
REST = {
    "second.rst": """
        Second
        ######

        :date: 2025-01-03 10:00
        :tags: one, two

        Text.
        """,
    "third.rst": """
        :title: Third
        :date: 2025-01-04 10:00

        Text.
        """,
}


def test_a_plain_site_with_an_author_needs_no_author_or_summary(tmp_path, caplog):
    errors = plain_site(tmp_path, caplog, {**MARKDOWN, **REST}, AUTHOR="Sample")

    assert errors == ""
    assert (tmp_path / "output/second.html").is_file()
    assert (tmp_path / "output/third.html").is_file()


def test_without_an_author_setting_an_entry_names_its_author(tmp_path, caplog):
    errors = plain_site(tmp_path, caplog, MARKDOWN)

    assert (
        "content/first.md:1: Author: The field Author is missing. "
        "Write a line like “Author: Lena K.” at the top of the file."
    ) in errors
    assert "Summary" not in errors


def test_a_site_s_setting_makes_a_field_required(tmp_path, caplog):
    errors = plain_site(
        tmp_path,
        caplog,
        {**MARKDOWN, **REST},
        AUTHOR="Sample",
        FORTSETZUNG_REQUIRED_FIELDS={"article": ["Summary"]},
    )

    for name in ("first.md", "second.rst", "third.rst"):
        assert f"content/{name}:1: Summary: The field Summary is missing." in errors
    assert "Write a line like “:summary: One or two sentences" in errors


def test_a_rest_entry_without_a_title_is_told_how_rest_writes_one(tmp_path, caplog):
    errors = plain_site(
        tmp_path,
        caplog,
        {"untitled.rst": ":date: 2025-01-02 10:00\n:image: no.png\n\nText.\n"},
        AUTHOR="Sample",
    )

    assert (
        "content/untitled.rst:1: Title: The field Title is missing. Write a line "
        "like “:title: My first day at the lending desk” at the top of the file."
    ) in errors
    assert "Describe in a line “:image_alt: …” what the image shows" in errors
    assert "or give the address: “:slug: untitled”." in errors
    assert "Date" not in errors


def test_the_setting_names_only_fields_of_the_schema(tmp_path, caplog):
    with pytest.raises(Exception, match="FORTSETZUNG_REQUIRED_FIELDS knows no field"):
        plain_site(
            tmp_path,
            caplog,
            MARKDOWN,
            FORTSETZUNG_REQUIRED_FIELDS={"article": ["Sumary"]},
        )


# -- one row is one field ----------------------------------------------------------


@pytest.fixture
def more_fields(monkeypatch):
    """The schema with two more fields: a required text, and an image."""
    subtitle = fields.Field(
        "Subtitle",
        fields.SHORT_TEXT,
        "a second heading",
        fields.FOR_ARTICLES,
        example="More to come",
        new="TODO: a subtitle",
    )
    banner = fields.Field("Banner", fields.IMAGE, "a wide picture")
    table = (*fields.ENTRY[:2], subtitle, *fields.ENTRY[2:], banner)
    monkeypatch.setattr(fields, "ENTRY", table)
    monkeypatch.setattr(api, "ENTRY", table)  # as the site's tools see it
    memo.next_build()  # results kept for the schema without them
    memo.next_build()
    yield
    memo.next_build()
    memo.next_build()


def test_a_new_row_is_required_vetted_and_written_by_new(site, more_fields):
    site.entry("blog/a.md", "Ohne", "2025-01-02 10:00")
    site.entry(
        "blog/b.md", "Mit", "2025-01-03 10:00", Subtitle="Mehr", Banner="../x.png"
    )
    site.entry("blog/c.md", "Fett", "2025-01-04 10:00", Subtitle="<b>Mehr</b>")

    errors = "\n".join(site.build().errors)

    assert (
        "blog/a.md:1: Subtitle: Das Feld Subtitle fehlt. Schreiben Sie oben in die "
        "Datei eine Zeile wie „Subtitle: More to come“."
    ) in errors
    assert "blog/b.md:6: Banner: Die Datei „../x.png“ gibt es nicht." in errors
    assert "blog/c.md:5: Subtitle: Im Feld Subtitle steht HTML-Code" in errors
    path = new_entry(site.content, "Neu", now=NOW, author="Lena K.")
    assert "\nDate: 2025-09-01 10:00\nSubtitle: TODO: a subtitle\nAuthor: " in (
        path.read_text("utf-8")
    )


def test_every_field_pelican_treats_specially_has_a_row():
    keys = {f.key for f in fields.ENTRY}

    assert {*DUPLICATES_DEFINITIONS_ALLOWED, *METADATA_PROCESSORS} <= keys


def test_every_kind_names_an_editor_widget():
    widgets = {"string", "text", "datetime", "select", "relation", "list", "image"}
    widgets |= {"boolean", "number"}  # Decap CMS's

    rows = [*fields.ENTRY, *fields.SERIES_FILE]
    assert {f.kind.widget for f in rows} <= widgets
    assert all(f.choices for f in rows if f.kind == fields.CHOICE)


# -- the authors' guide --------------------------------------------------------------

TABLES = re.compile(
    r"<!-- fields: (?P<table>\w+) (?P<section>[a-z ]+?)(?: \(.*?\))? -->\n"
    r"(?P<text>.*?)\n<!-- /fields -->",
    re.S,
)


def test_the_guide_s_tables_of_fields_are_the_schema_s():
    settings = site_settings()
    found = list(TABLES.finditer(GUIDE.read_text("utf-8")))

    with speaking(settings):
        for match in found:
            table = getattr(fields, match["table"])
            expected = fields.guide_table(settings, table, match["section"])
            assert match["text"] == expected, (
                f"the guide's table should be:\n{expected}"
            )
    listed = {(m["table"], m["section"]) for m in found}
    assert listed == {
        ("ENTRY", fields.MAIN),
        ("ENTRY", fields.OLD_BLOG),
        ("ENTRY", fields.MORE),
        ("SERIES_FILE", fields.MAIN),
    }
