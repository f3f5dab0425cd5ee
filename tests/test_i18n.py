"""Messages and template texts: English by default, German from the catalogues.

One mechanism (gettext) for the plugin's Python code, the plugin's
templates and the theme: each catalogue must translate every text its code
or templates use, and nothing else.
"""

import ast
import string
from pathlib import Path

import jinja2.ext
import pytest
from babel.messages.pofile import read_po
from conftest import ROOT
from pelican.plugins import fortsetzung
from pelican.plugins.fortsetzung.i18n import catalogue

PLUGIN = Path(fortsetzung.__file__).parent
THEME = ROOT / "themes" / "fortsetzung"
THEME_CATALOGUE = THEME / "translations" / "de" / "LC_MESSAGES" / "messages.po"
GETTEXT = ("_", "gettext", "ngettext")
#: The plugin's {% once %} tag, which the theme uses.
ONCE = "pelican.plugins.fortsetzung.extras.once_tag.Once"


def messages_in_the_code():
    """Every literal message in _() and N_() calls of the plugin, with its place."""
    found = {}
    for path in sorted(PLUGIN.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found[node.args[0].value] = f"{path.relative_to(PLUGIN)}:{node.lineno}"
    return {**found, **texts_in_templates(PLUGIN / "templates")}


def texts_in_templates(folder):
    """Every text in _(), gettext … and {% trans %} of the templates in `folder`.

    Extracted by Jinja's own extractor (the one Babel uses), so what it
    finds is what the templates ask gettext for.
    """
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        with path.open("rb") as file:
            # silent: no; a template Jinja cannot read would hide its texts
            extracted = jinja2.ext.babel_extract(
                file, GETTEXT, [], {"extensions": ONCE, "silent": "false"}
            )
            for line, _function, message, _comments in extracted:
                for text in message if isinstance(message, tuple) else [message]:
                    if text:
                        found[text] = f"{path.relative_to(folder)}:{line}"
    return found


def theme_catalogue():
    """{English text: German} of the theme; each form of a plural on its own."""
    with THEME_CATALOGUE.open("rb") as file:
        return {
            text: german
            for m in read_po(file)
            if m.id and m.string
            for text, german in (
                zip(m.id, m.string, strict=True)
                if m.pluralizable
                else [(m.id, m.string)]
            )
        }


def fields(pattern):
    return {field for _, field, _, _ in string.Formatter().parse(pattern) if field}


def test_every_message_has_a_german_translation():
    german = catalogue("de")

    missing = {
        m: where for m, where in messages_in_the_code().items() if m not in german
    }

    assert missing == {}


def test_the_german_catalogue_has_no_message_the_code_does_not_use():
    assert set(catalogue("de")) - set(messages_in_the_code()) == set()


@pytest.mark.parametrize("message", sorted(catalogue("de")))
def test_a_translation_fills_in_what_its_message_does(message):
    assert fields(catalogue("de")[message]) == fields(message)


def test_every_text_of_the_theme_has_a_german_translation():
    german = theme_catalogue()

    missing = {
        text: where
        for text, where in texts_in_templates(THEME / "templates").items()
        if text not in german
    }

    assert missing == {}


def test_the_theme_s_catalogue_has_no_text_the_theme_does_not_use():
    assert (
        set(theme_catalogue()) - set(texts_in_templates(THEME / "templates")) == set()
    )


@pytest.mark.parametrize("text", sorted(theme_catalogue()))
def test_a_translation_of_the_theme_fills_in_what_its_text_does(text):
    assert fields(theme_catalogue()[text]) == fields(text)


@pytest.fixture
def typo(site):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Eins", "2024-01-01", Series="Fjs", Image="bild.png")
    return site


def test_another_language_gets_english_messages(typo):
    build = typo.build(DEFAULT_LANG="en")

    assert any(
        "There is no series “Fjs”. Did you mean “FSJ”?" in e for e in build.errors
    )
    assert any("There is no file “bild.png”." in e for e in build.errors)
    assert any(
        "Image_alt: The image has no alternative text." in e for e in build.errors
    )


def test_the_language_of_messages_can_differ_from_the_site_s(typo):
    german_site = typo.build(FORTSETZUNG_LANGUAGE="en")
    english_site = typo.build(DEFAULT_LANG="en", FORTSETZUNG_LANGUAGE="de")

    assert any("There is no series “Fjs”." in e for e in german_site.errors)
    assert any("Die Serie „Fjs“ gibt es nicht." in e for e in english_site.errors)


def test_the_same_mistake_is_reported_in_each_build_s_language(site):
    """What the sanitiser found is kept per text (memo.py), and per language."""
    site.entry(
        "f/1.md",
        "Eins",
        "2024-01-01",
        body='<iframe src="https://x.example/"></iframe>',
    )

    english = site.build(DEFAULT_LANG="en")
    german = site.build()

    assert any("f/1.md:" in e and "Text: <iframe>" in e for e in english.errors)
    assert not any("Datenschutz" in e for e in english.errors)
    assert any("f/1.md:" in e and "Datenschutz" in e for e in german.errors)
