"""The entry schema: one row per field of an entry, a page and a series file.

This table is the one description of the fields content files have, and the
field list of the browser editor: every other place that needs to know a
field asks here. From it come

- which fields are required (`required`): the row's rule, plus the site's
  FORTSETZUNG_REQUIRED_FIELDS; `Author` only where the site has no AUTHOR,
  as Pelican then has no author to fall back on;
- which fields Pelican, this plugin and its theme read (`known`): a header
  key close to one of them is a misspelling (headers.py);
- how a field's value is vetted (`vetting`): shown text (markup removed,
  placeholders found), a path confined to content/ (an image), or a value
  with a rule of its own (dates, addresses, choices);
- what `new` and `new-series` write (`new`), in the table's order, and in
  which order the WordPress import writes the fields it fills (`in_order`;
  `imported` says how);
- the authors' guide's tables of fields (`guide_table`; a test compares the
  committed guide with it).

A row's kind names the widget of Decap CMS the editor shows for it (string,
text, datetime, select, relation, list, image, boolean, number), so the
editor's configuration can be generated from this table with no list of its
own. Adding a field is one row here (its help in locale/de.po) plus the
template that shows it.
"""

import string
from dataclasses import dataclass

from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, METADATA_PROCESSORS

from .i18n import N_, _

#: How a field's value is vetted (vet_content.py): shown as text (markup is
#: removed, placeholders are found), a path confined to content/, or a value
#: that a rule of its own checks (a date, an address, one of some choices).
TEXT, CONTENT_PATH, VALUE = "text", "content path", "value"


@dataclass(frozen=True)
class Kind:
    """What a field holds: its name in the guide, its editor widget, its vetting."""

    name: str
    widget: str  # Decap CMS
    vetting: str = VALUE


SHORT_TEXT = Kind("text", "string", TEXT)
LONG_TEXT = Kind("long text", "text", TEXT)
NAMES = Kind("list of names", "list", TEXT)
TAG_LIST = Kind("list of tags", "list", TEXT)
SERIES = Kind("series", "relation", TEXT)
DATE = Kind("date", "datetime")
WHOLE_NUMBER = Kind("whole number", "number")
YES_NO = Kind("yes or no", "boolean")
CHOICE = Kind("one of some values", "select")
IMAGE = Kind("image in content/", "image", CONTENT_PATH)
ADDRESS = Kind("address in the site", "string")
ADDRESSES = Kind("addresses in the site", "list")
SLUG = Kind("address name", "string")
LANGUAGE = Kind("language code", "string")
TEMPLATE = Kind("template", "string")
TIME_ZONE = Kind("time zone", "string")
COLOUR = Kind("colour", "string")


@dataclass(frozen=True)
class When:
    """When a field is required: for which kinds of content, unless a setting is set.

    Any field is required, too, where FORTSETZUNG_REQUIRED_FIELDS says so.
    """

    kinds: tuple = ()  # "article", "page"
    unless: str | None = None  # a Pelican setting that gives the value instead
    says: str = "if FORTSETZUNG_REQUIRED_FIELDS says so"


ALWAYS = When(("article", "page", "series"), says="always")
FOR_ARTICLES = When(("article",), says="for entries")
WITHOUT_AUTHOR = When(
    ("article",), unless="AUTHOR", says="for entries, if the site sets no AUTHOR"
)
OPTIONAL = When()

#: Sections of the authors' guide that list fields (`guide_table`).
MAIN, OLD_BLOG, MORE = "main", "old blog", "more"


@dataclass(frozen=True)
class Field:
    """One field of a content file's header."""

    name: str  # as written: "Series_index"
    kind: Kind
    help: str  # English, marked with N_; German in locale/de.po
    required: When = OPTIONAL
    choices: tuple = ()  # the values of a CHOICE
    example: str = ""  # a value, for "Write a line like …"
    #: What `new` writes: a pattern of its inputs ({title}, {date}, {author},
    #: {series}, {series_index}), left out when one of them is not given;
    #: None: nothing.
    new: str | None = None
    imported: str = ""  # how the WordPress import fills it (English)
    guide: str = MORE  # the table of the authors' guide that lists it
    label: str = ""  # its name in the editor and its messages (N_; default: name)
    choice_labels: tuple = ()  # the editor's names of `choices` (N_)

    @property
    def key(self):
        """Return the key of the field in Pelican's metadata."""
        return self.name.lower()


# fmt: off
#: The fields of entries and pages, in the order `new` and the import write them.
ENTRY = (
    Field("Title", SHORT_TEXT, N_("heading of the entry"), ALWAYS,
          example=N_("My first day at the lending desk"), new="{title}",
          imported="the post's title, or “Ohne Titel (date)”", guide=MAIN,
          label=N_("Entry title")),
    Field("Date", DATE,
          N_("day.month.year hour:minute, e.g. `01.09.2025 10:00`, or "
             "`2025-09-01 10:00`"),
          FOR_ARTICLES, example="2025-09-01 10:00", new="{date}",
          imported="the post's date, in the site's time zone", guide=MAIN,
          label=N_("Publication date")),
    Field("Modified", DATE,
          N_("date of a later change; feed readers then show the entry as updated"),
          imported="the post's last change, if later than its date", guide=MAIN,
          label=N_("Changed on")),
    Field("Slug", SLUG, N_("the entry's name in its address (instead of the title's)"),
          imported="the post's name in its old address"),
    Field("Author", SHORT_TEXT, N_("your name, as the page shows it"),
          WITHOUT_AUTHOR, example="Lena K.", new="{author}",
          imported="the display name of the post's author", guide=MAIN,
          label=N_("Author's name")),
    Field("Authors", NAMES, N_("several authors, separated by commas")),
    Field("Series", SERIES,
          N_("name of the series, e.g. `AzubiTagebuch` or `Hör-Bar` (upper or lower "
             "case does not matter)"),
          example="AzubiTagebuch", new="{series}",
          imported="the series its category or tag stands for", guide=MAIN,
          label=N_("Series")),
    Field("Series_index", WHOLE_NUMBER,
          N_("a fixed part number; without it, the date decides"),
          example="3", new="{series_index}",
          imported="its place, where the old blog numbered the parts", guide=MAIN,
          label=N_("Part number")),
    Field("Category", SHORT_TEXT, N_("the category (one)"),
          imported="the post's first category (not its series')"),
    Field("Tags", TAG_LIST, N_("tags, separated by commas"), new="",
          imported="the post's other categories and its tags", guide=MAIN,
          label=N_("Tags of the entry")),
    Field("Summary", LONG_TEXT,
          N_("one or two sentences; shown in lists and feeds (at most 60 words)"),
          example=N_("One or two sentences on what it is about."),
          new=N_("TODO: One or two sentences on what this entry is about. They are "
                 "shown in lists, feeds and search results."),
          imported="the post's excerpt, else its first sentences, else its title",
          guide=MAIN, label=N_("Short summary")),
    Field("Image", IMAGE, N_("a picture for the entry, e.g. `images/fsj/first-day.jpg`"),
          imported="the post's featured image, copied into content/images/",
          guide=MAIN, label=N_("Picture of the entry")),
    Field("Image_alt", SHORT_TEXT,
          N_("what the picture shows, for people who cannot see it"),
          imported="the featured image's alternative text, else its title",
          guide=MAIN, label=N_("Description of the picture")),
    Field("Description", SHORT_TEXT,
          N_("the description search engines show (without it: the summary)")),
    Field("Sticky", YES_NO,
          N_("was pinned to the top on the old blog; has no effect here"),
          imported="yes, where the post was pinned to the top", guide=OLD_BLOG),
    Field("Status", CHOICE,
          N_("`draft` for drafts; without the line, the entry is published"),
          choices=("published", "draft", "hidden"), new="draft",
          imported="draft, unless the post was published", guide=MAIN,
          label=N_("Publication status"),
          choice_labels=(N_("published (or scheduled: from its date)"), N_("draft (not on the site)"),
                         N_("hidden (reachable only by its address)"))),
    Field("Private", YES_NO,
          N_("`yes`: a private post of the old blog. It is shown nowhere, not even "
             "in the preview. To publish it, delete the line `Private: …` (and "
             "`Status: draft`)."),
          imported="yes, where the post was private or had a password",
          guide=OLD_BLOG),
    Field("Redirect_from", ADDRESSES,
          N_("old addresses of the entry, separated by commas, each from its first "
             "`/`, e.g. `/2014/05/12/first-day/, /?p=123`; whoever calls them comes "
             "to the entry. Pages and series files may have them too. An address "
             "another page already has is an error."),
          imported="the post's old addresses (of a published post)", guide=OLD_BLOG),
    Field("Wordpress_id", WHOLE_NUMBER,
          N_("the number of the post in the old blog: a new import recognises its "
             "files by it (and replaces only them with `--overwrite`). Please do "
             "not change it."),
          imported="the post's id", guide=OLD_BLOG),
    Field("Lang", LANGUAGE, N_("the language of the entry, e.g. `en`")),
    Field("Translation", YES_NO,
          N_("`true`: the entry translates another with the same slug")),
    Field("Template", TEMPLATE, N_("another template for the page (rarely needed)")),
    Field("Save_as", ADDRESS, N_("the file the page is written to (rarely needed)")),
    Field("Url", ADDRESS, N_("the page's address, if it differs (rarely needed)")),
    Field("Timezone", TIME_ZONE,
          N_("the time zone of the date, e.g. `Europe/Berlin` (the site's, without "
             "it)")),
)
#: The fields of a series file, content/series/<slug>.md.
SERIES_FILE = (
    Field("Title", SHORT_TEXT, N_("name of the series"), ALWAYS, example="Hör-Bar",
          new="{title}", imported="the name of the category or tag", guide=MAIN,
          label=N_("Name of the series")),
    Field("Status", CHOICE,
          N_("`ongoing` (the default), `completed` or `announced` (published "
             "before its first part)"),
          choices=("ongoing", "completed", "announced"), new="ongoing",
          imported="ongoing", guide=MAIN, label=N_("Status of the series"),
          choice_labels=(N_("ongoing (more parts follow)"), N_("completed (no more parts)"),
                         N_("announced (shown before its first part)"))),
    Field("Image", IMAGE, N_("a picture for the series, e.g. `images/series/hoer-bar.svg`"),
          guide=MAIN, label=N_("Picture of the series")),
    Field("Image_alt", SHORT_TEXT,
          N_("what the picture shows, for people who cannot see it"), guide=MAIN,
          label=N_("Description of the picture")),
    Field("Color", COLOUR,
          N_("the series' colour, e.g. `#2e7d32`: the background of its share "
             "images"),
          guide=MAIN, label=N_("Colour of the series")),
    Field("Summary", LONG_TEXT, N_("one sentence; shown in the list of all series"),
          new=N_("TODO: One sentence on what the series is about. It is shown in "
                 "the list of all series."),
          imported="the first sentence of the category's description", guide=MAIN,
          label=N_("Summary of the series")),
    Field("Redirect_from", ADDRESSES,
          N_("old addresses of the series, separated by commas"),
          imported="the old addresses of the category or tag", guide=MAIN,
          label=N_("Old addresses")),
)
# fmt: on
#: Keys Pelican puts into the metadata itself: no author writes them.
PELICAN_OWN = frozenset({"path", "reader"})


def named(name, table=None):
    """Return the row of the field `name` (any case) in `table` (default: ENTRY)."""
    return next(f for f in (table or ENTRY) if f.key == name.lower())


def known():
    """Return the keys of every field Pelican, this plugin and its theme read."""
    return _derived(
        "known",
        lambda *tables: frozenset(
            {
                *DUPLICATES_DEFINITIONS_ALLOWED,
                *METADATA_PROCESSORS,
                *(f.key for table in tables for f in table),
            }
        ),
    )


def not_text():
    """Return the keys whose values are not shown text: they have rules of their own."""
    return _derived(
        "not text",
        lambda *tables: (
            PELICAN_OWN
            | {f.key for table in tables for f in table if f.kind.vetting != TEXT}
        ),
    )


def version():
    """Return a key that changes when a table does (for results kept, memo.py)."""
    return _derived("version", lambda *tables: tuple(map(id, tables)))


#: (what, the tables' ids) -> (the tables, what is derived from them). Found
#: by identity (hashing the rows each time would cost more than deriving),
#: and the tables are kept, so that their ids are never another's.
_DERIVED = {}


def _derived(what, derive):
    tables = (ENTRY, SERIES_FILE)
    key = (what, *map(id, tables))
    if key not in _DERIVED:
        _DERIVED[key] = (tables, derive(*tables))
    return _DERIVED[key][1]


def of_kind(kind, table=None):
    """Return the rows of `table` (default: both) whose values are of `kind`."""
    rows = table or (*ENTRY, *SERIES_FILE)
    return list({f.key: f for f in rows if f.kind == kind}.values())


def required(settings, kind, table=None):
    """Return the rows a `kind` ("article", "page", "series") must have, in order."""
    listed = {
        name.lower()
        for name in (settings.get("FORTSETZUNG_REQUIRED_FIELDS") or {}).get(kind, ())
    }
    return [
        f
        for f in table or ENTRY
        if f.key in listed
        or (
            kind in f.required.kinds
            and (f.required.unless is None or not settings.get(f.required.unless))
        )
    ]


def pelican_needs():
    """Return the rows Pelican cannot read an entry without."""
    return [f for f in ENTRY if f.required in (ALWAYS, FOR_ARTICLES)]


def setting_mistakes(value):
    """Say what is wrong with a FORTSETZUNG_REQUIRED_FIELDS value ([] if nothing)."""
    names = {f.key for f in ENTRY}
    if not isinstance(value, dict) or not all(
        kind in ("article", "page") and isinstance(listed, list | tuple)
        for kind, listed in value.items()
    ):
        return ['must map "article" and "page" to lists of field names.']
    wrong = sorted(
        str(n)
        for listed in value.values()
        for n in listed
        if str(n).lower() not in names
    )
    return [f"knows no field {', '.join(wrong)}."] if wrong else []


def example_line(field, reader="markdown", value=None):
    """Return a line of `field` (`value`, else its example) as `reader` reads it."""
    if value is None:
        value = _(field.example) if field.example else "…"
    if reader == "rst":
        return f":{field.key}: {value}"
    if reader == "html":
        return f'<meta name="{field.key}" content="{value}">'
    return f"{field.name}: {value}"


def new_header(table, **inputs):
    """Return the (name, value) pairs `new` writes, filled in with `inputs`.

    A field whose pattern names an input that is None is left out.
    """
    pairs = []
    for field in table:
        if field.new is None:
            continue
        names = {n for _, n, _, _ in string.Formatter().parse(field.new) if n}
        if any(inputs.get(n) is None for n in names):
            continue
        pairs.append((field.name, _(field.new, **{n: inputs[n] for n in names})))
    return pairs


def in_order(pairs, table=None):
    """Return (name, value) pairs in the order of `table`; each must be a row of it."""
    position = {f.name: n for n, f in enumerate(table or ENTRY)}
    unknown = [name for name, _value in pairs if name not in position]
    if unknown:
        raise ValueError(f"fields without a row in the schema: {unknown}")
    return sorted(pairs, key=lambda pair: position[pair[0]])


def guide_table(settings, table, section):
    """Return the Markdown table of the fields the guide lists in `section`."""
    kind = "article" if table is ENTRY else "series"
    must = {f.key for f in required(settings, kind, table)}
    lines = [
        f"| {_('Field')} | {_('Required?')} | {_('Meaning')} |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| `{f.name}` | {_('yes') if f.key in must else _('no')} | {_(f.help)} |"
        for f in table
        if f.guide == section
    ]
    return "\n".join(lines)
