"""One header grammar (Python-Markdown's meta extension) and one header writer."""

import markdown
import pytest
from markdown.extensions.meta import MetaPreprocessor
from pelican.plugins.fortsetzung import i18n
from pelican.plugins.fortsetzung.safety import source
from pelican.plugins.fortsetzung.safety.frontmatter import (
    HeaderError,
    HeaderReader,
    parse_header,
    write_header,
)

from .plain import entry

#: Headers in every shape an author, an editor or an attacker could give one.
HEADERS = [
    "Title: A\nStatus: draft\n\nText",
    "Title: A\nStatus : draft\n\nText",
    "Title: A\nStatus\t: draft\n\nText",
    "Title: A\n\tStatus: draft\n\nText",
    "Title: A\n   Tags: TODO\n\nText",
    "Title: A\n    Tags: TODO\n\nText",
    "    Title: A\nStatus: draft\n\nText",
    "Title: A\nStatus: published\nStatus: draft\n\nText",
    "Title: A\nSummary: one\n    two\n\tthree\nTags: x\n\nText",
    "---\nTitle: A\nStatus: draft\n---\nText",
    "---\nTitle: A\n...\nStatus: draft\n\nText",
    "--- yaml\ntitle: A\n\nText",
    "---Title: A\nStatus: draft\n\nText",
    "Title: A\n---: x\nStatus: draft\n\nText",
    "\nTitle: A\nStatus: draft\n\nText",
    "   \nTitle: A\n\nText",
    "Title: A\n   \nStatus: draft\n\nText",
    "Title: A\nStatus\uff1a draft\n\nText",
    "Title: A\n\u200bStatus: draft\n\nText",
    "Title: A\nSchlagwörter: x\nStatus: draft\n\nText",
    "Title: A\nSave-as: x.html\nSave_as: y.html\n\nText",
    "Title: A\n2024: x\n\nText",
    "Title:A\nStatus:draft\n\nText",
    "Title: A\nStatus: draft",
    "Title: A\r\nStatus: draft\r\n\r\nText",
    "Title: A\rStatus : draft\r\rText",
    "Title: A\nText without a colon\nStatus: draft\n\nText",
    "Title: A\n\x02Status: draft\n\nText",
    "Title:    \nStatus:\n\nText",
    "Text only.",
    "",
]


def by_the_extension(text):
    md = markdown.Markdown(extensions=["meta"])
    lines = md.preprocessors["normalize_whitespace"].run(text.split("\n"))
    rest = MetaPreprocessor(md).run(lines)
    return md.Meta, rest


def by_this_grammar(text):
    md = markdown.Markdown(extensions=["meta"])
    lines = md.preprocessors["normalize_whitespace"].run(text.split("\n"))
    rest = HeaderReader(md).run(lines)
    return md.Meta, rest


@pytest.mark.parametrize("text", HEADERS)
def test_the_grammar_is_the_meta_extensions(text):
    assert by_this_grammar(text) == by_the_extension(text)
    assert parse_header(text).meta() == by_the_extension(text)[0]


@pytest.mark.parametrize("text", HEADERS)
def test_pelicans_markdown_reads_headers_by_this_grammar(text):
    config = {"extensions": ["markdown.extensions.meta"]}
    conversions = source.Conversions(config)
    conversions.convert(text)
    ours = source._markdown(config, conversions.key, True)

    assert isinstance(ours.preprocessors["meta"], HeaderReader)
    assert getattr(conversions, "Meta", {}) == parse_header(text).meta()


def test_every_field_has_its_line_and_the_header_its_end():
    header = parse_header("---\nTitle: A\nSummary: one\n\ttwo\nStatus : draft\n\nText")

    assert [(f.key, f.line, f.values, f.more) for f in header.fields] == [
        ("title", 2, ("A",), ()),
        ("summary", 3, ("one", "two"), (4,)),
    ]
    assert (header.end, header.stop) == (5, "text")
    assert header["summary"].value == "one"


# -- the writer ------------------------------------------------------------------


@pytest.fixture
def german():
    i18n.use({"DEFAULT_LANG": "de"})
    yield
    i18n.use({})


def test_the_writer_writes_what_the_grammar_reads_back():
    fields = [
        ("Title", "  Ein Titel: mit Doppelpunkt  "),
        ("Tags", ""),
        ("Series_index", 3),
        ("Image_alt", "Ein Bild – „mit“ Anführungszeichen & <Zeichen>"),
        ("Redirect-from", "/a/, /b/"),
        ("Summary", "TODO: 👩‍💻 mit Verbinder"),
    ]

    text = write_header(fields)

    assert "\nTags:\n" in text
    assert text.endswith("\nSummary: TODO: 👩‍💻 mit Verbinder\n\n")
    read = parse_header(text + "Der Text.")
    assert [(f.name, f.value) for f in read.fields] == [
        (name, str(value).strip()) for name, value in fields
    ]
    assert read.stop == "blank"


@pytest.mark.parametrize(
    "char",
    ["\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\x00", "\x1b",
     "\x7f", "\x9b", "\t", "\ufeff", "\ufffe", "\ud800"],
)  # fmt: skip
def test_the_writer_refuses_line_breaks_and_control_characters(german, char):
    with pytest.raises(HeaderError) as refused:
        write_header([("Title", "Ein Titel"), ("Wordpress_id", f"7{char}Save_as: x")])

    assert str(refused.value) == (
        "Der Wert von Wordpress_id enthält einen Zeilenumbruch oder ein anderes "
        f"Steuerzeichen (U+{ord(char):04X}); ein Feld im Kopf ist eine Zeile Text."
    )


@pytest.mark.parametrize(
    "name",
    ["Save as", "Status ", " Status", "Stat:us", "Schlagwörter", "Status\uff1a", "",
     "---", "---Title", "Ti\ntle", "Title\u200b", "Tit.le"],
)  # fmt: skip
def test_the_writer_refuses_names_the_grammar_does_not_read(german, name):
    with pytest.raises(HeaderError, match="kann kein Feldname sein"):
        write_header([(name, "x")])


def test_the_writer_refuses_a_name_that_would_open_the_header():
    # "---" on the first line is dropped as the start of a front matter
    with pytest.raises(HeaderError):
        write_header([("---x", "y"), ("Title", "z")])


NOT_NAMES = {
    "the entry's text": "_content: Ein anderer Text",
    "its summary": "_summary: Eine andere Zusammenfassung",
    "its context": "_context: x",
    "its class": "__class__: x",
    "its attributes": "__dict__: x",
    "a digit first": "1teil: x",
    "a dash first": "-teil: x",
    "an underscore, upper case": "_Content: Ein anderer Text",
}


@pytest.mark.parametrize("line", NOT_NAMES.values(), ids=NOT_NAMES.keys())
def test_a_field_whose_name_begins_with_no_letter_is_named_and_not_passed_on(
    site, line
):
    # Pelican makes each field an attribute of the entry: "_content" would
    # replace its text, "__class__" stop the build with a traceback
    header = entry("Reise", "2026-03-01", body="Der eigene Text.").split("\n\n")[0]
    site.write("reise.md", f"{header}\n{line}\n\nDer eigene Text.\n")
    built = site.build()
    name = line.split(":")[0]
    [problem] = [p for p in built.errors if p.field == name]
    assert problem.line == 5
    assert name in problem.message
    assert built.errors == [problem]
    page = built.html("reise.html").text_content()
    assert "Der eigene Text." in page
    assert "anderer" not in page and "Eine andere" not in page


def test_a_rest_field_whose_name_begins_with_no_letter_is_named_and_not_passed_on(
    site,
):
    site.write(
        "reise.rst",
        """\
        Reise
        #####

        :date: 2026-03-01
        :author: Ann
        :summary: Über die Reise.
        :_content: Ein anderer Text
        :__class__: x

        Der eigene Text.
        """,
    )
    built = site.build()
    page = built.html("reise.html").text_content()
    assert "Der eigene Text." in page
    assert "anderer" not in page
    said = [r.getMessage() for r in built.records]
    for name in ("_content", "__class__"):
        assert any("reise.rst" in m and f"“{name}”" in m for m in said), said
