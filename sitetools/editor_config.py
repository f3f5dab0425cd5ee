"""The browser editor's configuration, generated from the entry schema and the series.

Decap CMS is configured by a config.yml; this one is never written by hand:
its collections come from content/series/ (one per series, so a trainee
picks the series from the list of existing ones, never types it) and its
fields from the plugin's entry schema (`api.ENTRY`, `api.SERIES_FILE`: the
widget, whether required, the German label and help), so adding a field to
the schema adds it to the editor. The preview generates it per request:
a new series, tag or part number shows at the next reload. JSON is YAML,
so it is served as JSON.

Only the fields of the authors' guide's main table are shown; Decap keeps
every other field of a file as it is (the format writes it back unchanged).

The editor's format (sitetools/editor/format.js) reads and writes the
`Key: value` header with no list of fields of its own: `format_options()`
is what it needs to know of the schema, as the page hands it over. A new
entry in the editor starts as `python3 dev.py new` starts one:
`new_entry_data()` is the data format.js writes as the same bytes, and
the config's defaults are that data.
"""

from pelican.plugins.fortsetzung import api

from . import scaffold

#: Where Decap's local backend is answered (sitetools/editor_backend.py).
API = "/admin/api/v1"
#: The date as `new` writes it (scaffold.DATE_FORMAT), in Decap's notation.
DATE_FORMAT = "YYYY-MM-DD HH:mm"
#: Decap's own slugs: what it calls entries and uploads (ASCII, no accents).
SLUGS = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
#: German commit messages (Decap fills in the placeholders).
COMMIT_MESSAGES = {
    "create": "Neu: {{collection}} „{{slug}}“ (im Browser-Editor)",
    "update": "Geändert: {{collection}} „{{slug}}“ (im Browser-Editor)",
    "delete": "Gelöscht: {{collection}} „{{slug}}“ (im Browser-Editor)",
    "uploadMedia": "Bild hochgeladen: „{{path}}“ (im Browser-Editor)",
    "deleteMedia": "Bild gelöscht: „{{path}}“ (im Browser-Editor)",
    "openAuthoring": "{{message}}",
}


#: The collections besides one per series: entries without one, the series
#: files, the pages (Decap's names).
BLOG, SERIES_FILES, PAGES = scaffold.BLOG_FOLDER, "serien", "seiten"


def collection_names(settings, content):
    """Return the names of `config`'s collections, in its order, reading no entry."""
    series = scaffold.read_series(content, settings)
    return [*(s.slug for s in series), BLOG, SERIES_FILES, PAGES]


def config(settings, content, *, branch, author=None):
    """Return Decap's configuration for the site's `content` folder, as a dict.

    `branch` is the one entries are published to (the repository's current
    branch, locally); `author` the name new entries get.
    """
    content = scaffold.Path(content)
    folder = _folder_in_repository(settings, content)
    with api.speaking(settings):
        series = scaffold.read_series(content, settings)
        read = list(scaffold.entries(content, settings))  # once, for all below
        tags = _tags(read)
        collections = [
            *(
                _entries(
                    settings,
                    content,
                    folder,
                    name=s.slug,
                    label=s.title,
                    author=author,
                    tags=tags,
                    read=read,
                    series=s,
                )
                for s in series
            ),
            _entries(
                settings,
                content,
                folder,
                name=BLOG,
                label="Beiträge ohne Serie",
                author=author,
                tags=tags,
                read=read,
            ),
            _series_files(settings, folder),
            _pages(settings, folder),
        ]
    _limit_uploads(collections, settings.get("FORTSETZUNG_MAX_STATIC_FILE_SIZE"))
    static = settings["STATIC_PATHS"][0]
    return {
        "backend": {
            "name": "proxy",
            "proxy_url": API,
            "branch": branch,
            "commit_messages": COMMIT_MESSAGES,
        },
        "publish_mode": "editorial_workflow",
        "locale": "de",
        "logo_url": "/theme/images/fortsetzung.svg",
        "media_folder": f"{folder}/{static}",
        "public_folder": f"{{static}}/{static}",
        "slug": SLUGS,
        "collections": collections,
    }


def _limit_uploads(collections, limit):
    """Let the editor refuse a file over the site's limit before it is sent.

    The backend refuses it too (with check's message); this spares the
    trainee the wait for a large upload. Decap's default media library
    takes its limit per field that opens it.
    """
    if not limit:
        return
    for collection in collections:
        for field in collection["fields"]:
            if field["widget"] in {"image", "markdown"}:
                field["media_library"] = {"config": {"max_file_size": limit}}


def _folder_in_repository(settings, content):
    """Return content/ as Decap names it: relative to the repository, with /."""
    return settings.get("FORTSETZUNG_EDITOR_CONTENT", content.name)


def _tags(read):
    found = set()
    for _path, header in read:
        tags = header.get("tags")
        if tags is not None:
            found.update(t.strip() for t in tags.value.split(",") if t.strip())
    return sorted(found, key=str.casefold)


def _entries(  # noqa: PLR0913 (one per part of the collection)
    settings, content, folder, *, name, label, author, tags, read, series=None
):
    required = {f.key for f in api.required_fields(settings, "article")}
    static = settings["STATIC_PATHS"][0]
    images = series.slug if series else scaffold.BLOG_FOLDER
    # what `new` writes, as the editor's defaults (Date: the editor's "now")
    new = new_entry_data(
        content,
        when=scaffold.site_now(settings),
        series=series.title if series else None,
        author=author or "",
        settings=settings,
        read=read,
    )
    fields = []
    for field in _main(api.ENTRY):
        if field.name in {"Series", "Series_index"} and series is None:
            continue
        widget = _widget(field, required)
        if field.name in new and field.name not in {"Title", "Date"}:
            widget["default"] = new[field.name]
        if field.name == "Series":
            widget["widget"] = "hidden"
        elif field.name == "Series_index":
            widget.update(value_type="int", min=1)
        elif field.name == "Tags":
            widget.update(widget="select", multiple=True, options=tags)
            widget.pop("allow_add", None)
        elif field.name == "Image":
            widget.update(
                media_folder=f"/{folder}/{static}/{images}",
                public_folder=f"{static}/{images}",
            )
        fields.append(widget)
    fields.append({**_body(), "default": new["body"]})
    return {
        "name": name,
        "label": label,
        "label_singular": "Beitrag",
        "folder": f"{folder}/{series.slug if series else scaffold.BLOG_FOLDER}",
        "create": True,
        "format": "pelican",
        "identifier_field": "Title",
        "extension": "md",
        "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
        "summary": "{{Title}}",
        "media_folder": f"/{folder}/{static}/{images}",
        "public_folder": f"{{static}}/{static}/{images}",
        "fields": fields,
    }


def _series_files(settings, folder):
    required = {f.key for f in api.required_fields(settings, "series", api.SERIES_FILE)}
    static = settings["STATIC_PATHS"][0]
    return {
        "name": SERIES_FILES,
        "label": "Serien",
        "label_singular": "Serie",
        "folder": f"{folder}/{scaffold.series_folder(settings)}",
        "create": True,
        "format": "pelican-serie",
        "identifier_field": "Title",
        "extension": "md",
        "slug": "{{slug}}",
        "media_folder": f"/{folder}/{static}/series",
        "public_folder": f"{{static}}/{static}/series",
        "fields": [
            *(_widget(f, required) for f in _main(api.SERIES_FILE)),
            _body(),
        ],
    }


def _pages(settings, folder):
    title = api.named("Title")
    return {
        "name": PAGES,
        "label": "Seiten",
        "label_singular": "Seite",
        "folder": f"{folder}/{settings['PAGE_PATHS'][0]}",
        "create": True,
        "format": "pelican",
        "identifier_field": "Title",
        "extension": "md",
        "slug": "{{slug}}",
        "fields": [_widget(title, {title.key}), _body()],
    }


def label(name, settings):
    """Return a field's name as the editor's form shows it (any case), or None.

    The schema's label in the site's language; the check's messages name
    fields so ("Feld „Zusammenfassung“: …"), editor_backend.py.
    """
    if not name:
        return None
    if name.lower() == "body":
        return _body()["label"]
    for table in (api.ENTRY, api.SERIES_FILE):
        for field in table:
            if field.key == name.lower():
                with api.speaking(settings):
                    return api.translate(field.label or field.name)
    return None


def said(problem):
    """Return a problem as the editor says it: „Feld „Zusammenfassung“: …“."""
    where = f" (Zeile {problem['line']})" if problem["line"] else ""
    what = (
        f"Feld „{problem['label']}“"
        if problem["label"]
        else f"{problem['field'] or 'Text'} in {problem['file']}"
    )
    fix = f" → {problem['fix']}" if problem["fix"] else ""
    return f"• {what}{where}: {problem['message']}{fix}"


def _main(table):
    return [f for f in table if f.guide == api.MAIN_FIELDS]


def _widget(field, required):
    widget = {
        "name": field.name,
        "label": api.translate(field.label or field.name),
        "widget": field.kind.widget,
        "hint": api.translate(field.help),
        "required": field.key in required,
    }
    if field.kind.widget == "datetime":
        widget.update(format=DATE_FORMAT, date_format="DD.MM.YYYY", time_format="HH:mm")
        if widget["required"]:
            widget["default"] = "{{now}}"
    if field.choices:
        widget["options"] = [
            {"label": api.translate(label), "value": value}
            for value, label in zip(field.choices, field.choice_labels, strict=True)
        ]
    if field.kind.widget == "list":
        widget["allow_add"] = True
    if field.kind.widget in {"string", "text"}:
        # no header value has a line break (format.js refuses it, as write_header does)
        widget["pattern"] = [r"^[^\n]*$", "Bitte ohne Zeilenumbruch, in einem Absatz."]
    if field.kind.widget == "image":
        widget["choose_url"] = False  # a picture from another host: refused anyway
    return widget


def _body():
    return {
        "name": "body",
        "label": "Text",
        "widget": "markdown",
        "required": True,
    }


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
    content, *, when, series=None, author="", title="", settings=None, read=None
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
        content,
        found,
        title=title,
        when=when,
        author=author,
        settings=settings,
        read=read,
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
