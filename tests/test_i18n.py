"""The plugin's messages: English by default, German from its catalogue."""

import ast
import string
from pathlib import Path

import pytest
from pelican.plugins import fortsetzung
from pelican.plugins.fortsetzung.i18n import catalogue

PLUGIN = Path(fortsetzung.__file__).parent


def messages_in_the_code():
    """Every literal message in _() and N_() calls of the plugin, with its place."""
    found = {}
    for path in sorted(PLUGIN.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found[node.args[0].value] = f"{path.name}:{node.lineno}"
    return found


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
