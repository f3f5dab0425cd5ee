"""German quotes, apostrophes and no lonely last words (fortsetzung.typography)."""

from types import SimpleNamespace

import markdown
import pytest
from conftest import ROOT
from pelican.plugins.fortsetzung.extras.typography import (
    educate,
    educate_html,
    educate_title,
)
from pelican.plugins.fortsetzung.safety import source
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

NBSP = "\u00a0"


def render(text, **config):
    md = markdown.Markdown(
        extensions=[
            "markdown.extensions.extra",
            "markdown.extensions.smarty",
            "pelican.plugins.fortsetzung.extras.typography",
        ],
        extension_configs={
            "markdown.extensions.smarty": {"smart_quotes": False},
            "pelican.plugins.fortsetzung.extras.typography": config,
        },
        output_format="html5",
    )
    return md.convert(text)


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ('"Hallo"', "„Hallo“"),
        ("'so'", "‚so‘"),
        ("Peter's Buch", "Peter’s Buch"),
        ("bis '99", "bis ’99"),
        ("'s Märchen", "’s Märchen"),
        ("'n Bier", "’n Bier"),
        ("So geht's:", "So geht’s:"),
        ("Das war's.", "Das war’s."),
        ("Jonas' Beitrag", "Jonas’ Beitrag"),
        ("\"Er sagte 'Hallo'.\"", "„Er sagte ‚Hallo‘.“"),
        ('("Tschick")', "(„Tschick“)"),
        ('die "Gregs Tagebuch"-Bände', "die „Gregs Tagebuch“-Bände"),
        ('Heine? "Den hatten wir", sagt sie.', "Heine? „Den hatten wir“, sagt sie."),
        ("„schon richtig“", "„schon richtig“"),
    ],
)
def test_quotes_and_apostrophes(typed, printed):
    assert educate(typed) == printed


def test_every_replacement_keeps_the_length():
    typed = "\"Er sagte 'so' und ging's an\", bis '99."
    assert len(educate(typed)) == len(typed)


def test_markdown_content_gets_german_quotes():
    html = render("Ein \"*Tschick*\"-Fan sagt: Peter's Buch 'passt'.")
    assert html == "<p>Ein „<em>Tschick</em>“-Fan sagt: Peter’s Buch ‚passt‘.</p>"


def test_code_and_escaped_quotes_stay_straight():
    html = render('Mit `"code"` und \\"gerade\\" und "rund".\n\n    "pre"\n')

    assert '<code>"code"</code>' in html
    assert '"gerade"' in html
    assert "„rund“" in html
    assert '<pre><code>"pre"' in html


def test_quotes_do_not_cross_blocks():
    html = render("- 'offen\n- zu' ist kein Zitat")

    assert "<li>‚offen</li>" in html
    assert "<li>zu’ ist kein Zitat</li>" in html


def test_dashes_and_ellipses_still_come_from_smarty():
    assert render("So -- und so...") == "<p>So &ndash; und so&hellip;</p>"


def test_widont_joins_short_last_words_only():
    html = render(
        "Ein Satz mit *einem* Ende.\n\n## Warum das Buch?\n\n"
        "Ein Fahrbibliotheksausweis Verlängerungsantrag.",
        widont=True,
    )

    assert f"<em>einem</em>{NBSP}Ende.</p>" in html
    assert f"das{NBSP}Buch?</h2>" in html
    assert "Fahrbibliotheksausweis Verlängerungsantrag." in html


def test_widont_is_off_by_default():
    assert NBSP not in render("Ein Satz mit Ende.")


def test_html_titles_keep_their_tags():
    assert (
        educate_html('Das <em class="x">"Buch"</em> und \'s Ende')
        == 'Das <em class="x">„Buch“</em> und ’s Ende'
    )


def test_titles_follow_the_markdown_setting():
    configured = {
        "MARKDOWN": {
            "extension_configs": {"pelican.plugins.fortsetzung.extras.typography": {}}
        }
    }
    entry = SimpleNamespace(title='Heine: das "Buch der Lieder"', settings=configured)
    plain = SimpleNamespace(title='das "Buch"', settings={"MARKDOWN": {}})

    educate_title(entry)
    educate_title(plain)

    assert entry.title == "Heine: das „Buch der Lieder“"
    assert plain.title == 'das "Buch"'


SMARTY_TEXTS = [
    "Ein Absatz ohne Striche und Punkte.\n\n## Eine Überschrift\n\n- eins\n- zwei",
    "\"Zitat\" und 'so' und Peter's Buch, `code -- x` und ```\nblock...\n```",
    "Warte... ja -- nein --- vielleicht",
    "[a -- b](http://x--y.de) und <http://a--b.de> und ![a... b](bild.png)",
    "| a -- b | c |\n|---|---|\n| d... | e |\n\nText[^1]\n\n[^1]: Fuß -- note",
    "a\\-\\- b &#45;&#45; c &hellip; d <span>e -- f</span>",
    "    eingerückter code -- x\n\nund ein Absatz",
    "Überschrift\n-----------\n\nText – schon mit Strich … und Auslassung",
]


@pytest.mark.parametrize("text", SMARTY_TEXTS)
def test_smarty_skipped_only_where_it_changes_nothing(text):
    """source.py skips smarty's pass over texts without "--" and "...";
    the HTML is what Python-Markdown itself makes of them."""
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    MarkdownReader(settings)  # completes MARKDOWN as Pelican's reader does
    config = settings["MARKDOWN"]
    ours = source.Conversions(config)
    assert type(source._markdown(config, ours.key, True).treeprocessors["smarty"]) is (
        source._WhenDashesOrDots
    )
    assert ours.convert(text) == markdown.Markdown(**config).convert(text)


def test_smarty_with_quotes_is_never_skipped():
    config = {"extensions": ["markdown.extensions.smarty"]}
    converted = source.Conversions(config).convert('Ohne Striche: "so".')
    assert converted == "<p>Ohne Striche: &ldquo;so&rdquo;.</p>"
