"""What the browser editor (Decap CMS) is told about the site's entries.

The editor's format (sitetools/editor/format.js) reads and writes the
`Key: value` header; it has no list of fields of its own. What it needs to
know comes from the entry schema (fields.py, through the api):
`format_options()` is that, as the page hands it to the format. A new
entry in the editor starts as `python3 dev.py new` starts one:
`new_entry_data()` is the data that format.js writes as the same bytes.
"""

from pelican.plugins.fortsetzung import api

from . import scaffold

#: The schema's tables by the kind of file the format is asked to write:
#: entries and pages ("entry"), content/series/*.md ("series").
TABLES = {"entry": api.ENTRY, "series": api.SERIES_FILE}


def format_options():
    """Return the options of format.js's `fortsetzungFormat(options, kind)`.

    `order`: field names per kind, in the schema's order (new fields go to
    their place in it); `lists`: fields holding comma-separated lists;
    `booleans`: yes/no fields; `empty`: per kind, fields `new` writes even
    without a value (`Tags:`).
    """
    rows = [row for table in TABLES.values() for row in table]
    return {
        "order": {kind: [row.name for row in table] for kind, table in TABLES.items()},
        "lists": sorted({row.name for row in rows if row.kind.widget == "list"}),
        "booleans": sorted({row.name for row in rows if row.kind.widget == "boolean"}),
        "empty": {
            kind: [row.name for row in table if row.new == ""]
            for kind, table in TABLES.items()
        },
    }


def new_entry_data(  # noqa: PLR0913  (one per input of `new`)
    content, *, when, series=None, author="", title="", settings=None
):
    """Return the editor's data of a new entry, as format.js takes it.

    format.js writes it as exactly the bytes `scaffold.new_entry` writes for
    the same input: `series` a name of a series (or None: the blog), `when`
    the entry's date in the site's time zone. Values are what Decap's
    widgets hold: lists as lists of strings, the part number as a number.
    """
    settings = scaffold.site_settings() if settings is None else settings
    found = scaffold.find_series(content, series, settings) if series else None
    fields, body = scaffold.new_entry_parts(
        content, found, title=title, when=when, author=author, settings=settings
    )
    widgets = {row.name: row.kind.widget for row in api.ENTRY}
    data = {name: _typed(widgets[name], value) for name, value in fields}
    return {**data, "body": body}


def _typed(widget, value):
    if widget == "list":
        return [item.strip() for item in value.split(",") if item.strip()]
    if widget == "number" and value.isdigit():
        return int(value)
    return value
