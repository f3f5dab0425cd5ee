"""The browser editor's format (sitetools/editor/format.js): files stay as they were.

The format runs in the browser; here it runs under the Node that the
playwright package ships, on every sample file, on every file the WordPress
import writes and on hand-made files with every oddity the grammar allows.
Opening and saving leaves a file byte for byte as it was; the header it
reads is the one Pelican reads (the plugin's parser is the judge); an edit
changes only its line; a new entry is what `python3 dev.py new` writes.
"""

import json
import random
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import playwright
import pytest
from conftest import ROOT
from pelican.plugins.fortsetzung.safety.frontmatter import read_header
from test_wordpress import EXPORTS, FIXTURES, media

from sitetools import wordpress
from sitetools.editor_config import format_options, new_entry_data
from sitetools.scaffold import new_entry

NODE = Path(playwright.__file__).parent / "driver" / "node"
FORMAT = ROOT / "sitetools" / "editor" / "format.js"
#: Calls format.js with [kind, operation, argument] each; answers {ok} or {error}.
#: Between reading and writing, the data goes through JSON, as Decap's store
#: (Immutable's fromJS/toJS) keeps plain values only.
DRIVER = """
const format = require(process.argv[1]);
const stored = (data) => JSON.parse(JSON.stringify(data));
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { options, calls } = JSON.parse(input);
  const answers = calls.map(([kind, operation, argument]) => {
    const { fromFile, toFile } = format(options, kind);
    try {
      if (operation === "again") return { ok: toFile(stored(fromFile(argument))) };
      if (operation === "read") return { ok: fromFile(argument) };
      if (operation === "write") return { ok: toFile(argument) };
      return { ok: format.readHeader(argument) };
    } catch (error) {
      return { error: error.message };
    }
  });
  process.stdout.write(JSON.stringify(answers));
});
"""


def js(*calls):
    """Answer each call (kind, operation, argument) by format.js, in one Node."""
    result = subprocess.run(
        [NODE, "-e", DRIVER, FORMAT],
        input=json.dumps({"options": format_options(), "calls": calls}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return json.loads(result.stdout)


def read(text, kind="entry"):
    return js((kind, "read", text))[0]["ok"]


def write(data, kind="entry"):
    (answer,) = js((kind, "write", data))
    if "error" in answer:
        raise ValueError(answer["error"])
    return answer["ok"]


def edited(text, kind="entry", **changes):
    """Return `text` after the editor opened it, changed `changes` and saved."""
    return write({**read(text, kind), **changes}, kind)


def text_of(path):
    """A file's text exactly as the editor gets it (BOM, line ends and all)."""
    return path.read_bytes().decode("utf-8")


def kind_of(path):
    return "series" if path.parent.name == "series" else "entry"


def assert_unchanged_and_read_as_pelican_reads(paths):
    texts = [text_of(path) for path in paths]
    answers = js(
        *[(kind_of(p), "again", t) for p, t in zip(paths, texts, strict=True)],
        *[("entry", "header", t) for t in texts],
    )
    saved, headers = answers[: len(paths)], answers[len(paths) :]
    changed = [
        str(p) for p, t, s in zip(paths, texts, saved, strict=True) if s != {"ok": t}
    ]
    assert changed == []
    for path, text, header in zip(paths, texts, headers, strict=True):
        assert_same_grammar(path, text, header["ok"])


def assert_same_grammar(path, text, header):
    """format.js's reading of `text` is the plugin's reading of the file."""
    pelican = read_header(path)
    assert [
        (f["key"], f["name"], f["line"], tuple(f["values"])) for f in header["fields"]
    ] == [(f.key, f.name, f.line, f.values) for f in pelican.fields], path
    if header["stop"] == "file":  # the plugin's reader sees a blank line after it
        assert (pelican.stop, pelican.end) == ("blank", len(header["lines"]) + 1)
    else:
        assert (header["stop"], header["end"]) == (pelican.stop, pelican.end), path
    consumed = text[: len(text) - len(header["body"])]
    assert consumed == header["bom"] + "".join(
        line["text"] + line["eol"] for line in header["lines"]
    )


# -- opened and saved unchanged: the same bytes --------------------------------


def test_every_sample_file_is_saved_unchanged_as_it_was():
    paths = sorted((ROOT / "content").rglob("*.md"))
    assert len(paths) > 30
    assert_unchanged_and_read_as_pelican_reads(paths)


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_every_imported_file_is_saved_unchanged_as_it_was(export, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    wordpress.import_export(
        FIXTURES / export, content, media=media(tmp_path / "uploads"), **EXPORTS[export]
    )
    paths = sorted(content.rglob("*.md"))
    assert paths
    assert_unchanged_and_read_as_pelican_reads(paths)


#: Files with every oddity an author's editor or the header's grammar allows.
ODD = {
    "crlf": "Title: Eins\r\nDate: 2025-01-01\r\n\r\nText\r\n",
    "lone cr": "Title: Eins\rDate: 2025-01-01\r\rText\r",
    "mixed ends": "Title: Eins\r\nDate: 2025-01-01\n\r\nText\n",
    "no newline at the end": "Title: Eins\n\nText",
    "bom": "\ufeffTitle: Eins\n\nText\n",
    "keys in other cases": "TITLE: Eins\ndate: 2025-01-01\nseries_INDEX: 2\n\nText\n",
    "duplicate keys": "Title: Eins\nTags: a\nTitle: Zwei\ntags: b, c\n\nText\n",
    "continuation": "Title: Eins\nSummary: Erster Satz\n    zweiter Satz.\n\tdritter\n\nT\n",
    "empty value": "Title: Eins\nTags:\nSlug:   \n\nText\n",
    "colon in value": "Title: Teil 2: Die Rückkehr\nUrl: https://x.example/a:b\n\nT\n",
    "trailing spaces": "Title: Eins   \nDate: 2025-01-01 \t\n  \nText  \n",
    "header only": "Title: Eins\nStatus: draft\n",
    "header only, no newline": "Title: Eins",
    "header and blank line only": "Title: Eins\n\n",
    "text that looks like a field": "Title: Eins\n\nHinweis: das ist Text\nx\n",
    "tabs": "Title:\tEins\nSummary:\tzwei\n\tdrei\n\n\tCode\n",
    "tabs after wide characters": "Title: 💡\tx\n 💡\t  Date: 2025\n\nT\n",
    "non-ASCII": "Title: Über Größe – „Maß“ 💡\nAuthor: Zoë Ñúñez\n\nÄrger\n",
    "empty file": "",
    "only a newline": "\n",
    "no header": "Einfach Text.\nNoch mehr.\n",
    "a line without a colon": "Title: Eins\nSummary kaputt\nStatus: draft\n\nText\n",
    "control characters": "Title: Ei\x01ns\x7f\nSummary: a\x0bStatus: draft\n\nT\x02\n",
    "word line breaks": "Title: Eins\u2028Zwei\nTags: a\x0cb\n\nText\n",
    "front matter markers": "---\nTitle: Eins\n---\nText\n",
    "end marker dots": "Title: Eins\n...\nText\n",
    "four dashes first": "----\nTitle: Eins\n\nText\n",
    "leading blank line": "\nTitle: Eins\n\nText\n",
    "indented keys": "   Title: Eins\n    Date: 2025-01-01\n\nText\n",
    "indented first line": "    Title: Eins\n\nText\n",
    "a space before the colon": "Title : Eins\n\nText\n",
    "keys that are not fields": "Title: Eins\nbody: b\n__proto__: p\n_fortsetzung: f\n\nT\n",
    "unknown keys": "Title: Eins\nFarbe: grün\nWordpress_id: 7\n\nT\n",
    "noncharacters": "Title: Eins\ufffe\U0001fffe\nSummary: \ufeffzwei\n\nT\n",
    "whitespace-only separator": "Title: Eins\r\n \t \r\nText\r\n",
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_an_odd_file_is_saved_unchanged_and_read_as_pelican_reads_it(name, tmp_path):
    path = tmp_path / "entry.md"
    path.write_bytes(ODD[name].encode("utf-8"))
    assert_unchanged_and_read_as_pelican_reads([path])


#: Pieces that the odd files are made of, for files made at random.
PIECES = [
    "Title", "tags", "Series_index", "x-y", ":", ": ", " ", "   ", "    ", "\t",
    "a", "ä, b", "💡", ",", "\n", "\n", "\n", "\r\n", "\r", "---", "...", "\x0b",
    "\x01", "\x85", "\ufeff", "\u2028", "\ufffe", "Key: value\n",
]  # fmt: skip


def test_files_made_at_random_are_saved_unchanged_and_read_as_pelican_reads(tmp_path):
    chance = random.Random(22)  # the same files each time
    paths = []
    for number in range(300):
        text = "".join(chance.choices(PIECES, k=chance.randint(1, 14)))
        paths.append(tmp_path / f"{number}.md")
        paths[-1].write_bytes(text.encode("utf-8"))
    assert_unchanged_and_read_as_pelican_reads(paths)


# -- what the editor gets ------------------------------------------------------


def test_fields_are_named_as_the_schema_writes_them_and_typed_for_the_widgets():
    data = read(
        "title: Eins\nSERIES_INDEX: 3\nTags: a, b ,,c\nPrivate: nein\nSticky: yes\n"
        "Farbe: grün\nSummary: Erster\n    zweiter.\nTitle: Zwei\n\nText\n"
    )
    assert {k: v for k, v in data.items() if k != "_fortsetzung"} == {
        "Title": "Eins",  # the first counts, as in Pelican
        "Series_index": "3",
        "Tags": ["a", "b", "c"],
        "Private": False,
        "Sticky": True,
        "Farbe": "grün",  # unknown: as written
        "Summary": "Erster zweiter.",
        "body": "Text\n",
    }


def test_a_series_file_has_the_fields_of_series():
    data = read(text_of(ROOT / "content/series/fsj.md"), "series")
    assert data["Color"] == "#c62828"
    assert data["Status"] == "ongoing"
    assert data["body"].startswith("Jedes Jahr")


def test_a_broken_header_loses_nothing_the_rest_is_text():
    text = "Title: FSJ\nStatus ongoing\nSummary: Ein Jahr.\n\nJedes Jahr …\n"
    data = read(text, "series")
    assert data["Title"] == "FSJ"
    assert "Summary" not in data  # Pelican does not read it either …
    assert data["body"] == "Status ongoing\nSummary: Ein Jahr.\n\nJedes Jahr …\n"
    # … and the author sees it, fixes it in the text and saves
    fixed = edited(text, "series", Status="ongoing", body="Jedes Jahr …\n")
    assert fixed == "Title: FSJ\nStatus: ongoing\nJedes Jahr …\n"  # no line, as before


def test_reading_never_fails():
    assert read("\x00\ud800:\n\n", "entry")["body"] == "\x00\ud800:\n\n"  # no key
    assert js(("entry", "read", None)) == [{"ok": None}]


# -- edits: what `new` would write, and nothing else ---------------------------

SAMPLE = ROOT / "content/azubitagebuch/2024-06-03-katalogisieren.md"


def test_a_changed_value_rewrites_only_its_line():
    text = text_of(SAMPLE)
    saved = edited(text, Title="Katalogisieren, Teil 2", Tags=["Ausbildung", "Neu"])
    lines = text.splitlines(keepends=True)
    lines[0] = "Title: Katalogisieren, Teil 2\n"
    lines[4] = "Tags: Ausbildung, Neu\n"
    assert saved == "".join(lines)


def test_a_changed_value_keeps_the_key_as_written_and_the_line_ends():
    text = "title: Eins\r\nSummary: a\r\n    b\r\n\r\nText\r\n"
    assert edited(text, Title="Zwei", Summary="c") == (
        "title: Zwei\r\nSummary: c\r\n\r\nText\r\n"
    )


def test_a_new_field_goes_to_its_place_in_the_schema():
    text = (
        "Title: Eins\nDate: 2025-01-01\nFarbe: grün\nSummary: S\nStatus: draft\n\nT\n"
    )
    saved = edited(
        text,
        Series="FSJ",
        Series_index=4,
        Image="images/fsj/a.jpg",
        Private=True,
        Neu="x",
    )
    assert saved == (
        "Title: Eins\nDate: 2025-01-01\nSeries: FSJ\nSeries_index: 4\nFarbe: grün\n"
        "Summary: S\nImage: images/fsj/a.jpg\nStatus: draft\nPrivate: yes\nNeu: x\n\nT\n"
    )


def test_a_new_field_of_a_series_file_goes_to_its_place_among_series_fields(tmp_path):
    text = text_of(ROOT / "content/series/hoer-bar.md")
    saved = edited(text, "series", Status="completed", Redirect_from=["/hoerbar/"])
    header = read_header_of(saved, tmp_path)
    assert header["status"] == "completed"
    assert list(header)[-1] == "redirect_from"


def test_an_emptied_field_loses_its_lines_with_its_duplicates_and_continuations():
    text = "Title: Eins\nTags: a\nSummary: x\n    y\nTags: b\nPrivate: yes\n\nT\n"
    saved = edited(text, Tags=[], Summary="", Private=False)
    assert saved == "Title: Eins\n\nT\n"


def test_an_unchanged_value_keeps_its_spelling():
    text = "Title: Eins\nTags: a,b\nPrivate: ja\nSeries_index: 03\n\nT\n"
    assert edited(text, Tags=["a", "b"], Private=True, Series_index="03") == text
    assert edited(text, Title="  Eins ") == text  # spaces around: as the grammar reads


def test_numbers_and_yes_are_written_as_the_site_writes_them():
    saved = edited(
        "Title: Eins\n\nT\n", Series_index=7, Sticky=True, Tags=["a", " b,c "]
    )
    assert saved == "Title: Eins\nSeries_index: 7\nTags: a, b, c\nSticky: yes\n\nT\n"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"Title": "Eins\nStatus: draft"}, "„Title“ enthält einen Zeilenumbruch"),
        ({"Summary": "a\u2028b"}, "(U+2028)"),
        ({"Image_alt": "a\tb"}, "(U+0009)"),
        ({"Title": "a\x1bb"}, "(U+001B)"),
        ({"Mein Feld": "x"}, "„Mein Feld“ kann kein Feldname sein"),
        # a field twice (in two cases) would be read as one: the last guard
        ({"title": "Zwei"}, "Kopf der Datei würde anders gelesen"),
    ],
)
def test_a_value_that_would_read_differently_is_refused_in_german(change, says):
    with pytest.raises(ValueError) as refused:
        edited("Title: Eins\n\nT\n", **change)
    assert says in str(refused.value)


def test_text_that_would_be_read_as_header_gets_a_blank_line_before_it():
    assert edited("Nur Text.\n", body="Hinweis: wichtig\n") == "\nHinweis: wichtig\n"
    assert edited("Nur Text.\n", Title="Eins") == "Title: Eins\n\nNur Text.\n"
    straight = "Title: Eins\nText ohne Leerzeile.\n"
    assert edited(straight, Title="Zwei") == "Title: Zwei\nText ohne Leerzeile.\n"
    assert edited(straight, body="Tags: x\n") == "Title: Eins\n\nTags: x\n"
    assert edited("Title: Eins", body="Text\n") == "Title: Eins\n\nText\n"


def test_what_is_saved_reads_in_pelican_as_the_editor_showed_it(tmp_path):
    text = text_of(SAMPLE)
    saved = edited(text, Title="Neu: Titel", Series_index=2, Status="draft")
    header = read_header_of(saved, tmp_path)
    assert (header["title"], header["series_index"], header["status"]) == (
        "Neu: Titel",
        "2",
        "draft",
    )


def read_header_of(text, folder):
    """{key: value} of `text` as the plugin reads a file of it."""
    path = folder / "saved.md"
    path.write_bytes(text.encode("utf-8"))
    return {key: field.value for key, field in read_header(path).items()}


# -- a new entry: the bytes of `python3 dev.py new` ----------------------------


@pytest.mark.parametrize("series", ["AzubiTagebuch", None])
def test_a_new_entry_is_what_new_writes(series, site):
    site.series("azubitagebuch", "AzubiTagebuch")
    site.entry("azubitagebuch/1.md", "Eins", "2025-01-01", Series="AzubiTagebuch")
    site.entry("azubitagebuch/2.md", "Zwei", "2025-02-01", Series="azubitagebuch")
    when = datetime(2025, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    data = new_entry_data(
        site.content, when=when, series=series, author="Lena K.", title="Mein Tag"
    )
    path = new_entry(
        site.content, "Mein Tag", now=when, series=series, author="Lena K."
    )

    assert write(data) == text_of(path)
    if series:
        assert data["Series_index"] == 3
    assert data["Tags"] == []
    assert data["Status"] == "draft"


def test_in_a_browser_the_format_is_a_global():
    """Loaded by a <script> tag (no `module`), it defines `fortsetzungFormat`."""
    page = """
    const vm = require("vm");
    const window = {};
    window.self = window;
    vm.runInNewContext(require("fs").readFileSync(process.argv[1], "utf8"), window);
    const { toFile } = window.fortsetzungFormat(JSON.parse(process.argv[2]), "series");
    process.stdout.write(toFile({ Title: "Hör-Bar", Status: "ongoing", body: "Text\\n" }));
    """
    written = subprocess.run(
        [NODE, "-e", page, FORMAT, json.dumps(format_options())],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    assert written == "Title: Hör-Bar\nStatus: ongoing\n\nText\n"
