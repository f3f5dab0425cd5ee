"""German slugs: umlauts and ß are spelled out, everywhere Pelican makes a slug."""

import pytest
from pelican.plugins.fortsetzung.slugs import slugify
from pelican.settings import DEFAULT_CONFIG

from .plain import entry

GERMAN = {**DEFAULT_CONFIG, "FORTSETZUNG_GERMAN_SLUGS": True}


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hör-Bar", "hoer-bar"),
        ("Hörspiele für Kinder", "hoerspiele-fuer-kinder"),
        ("Straße", "strasse"),
        ("ÄRGER über Öl", "aerger-ueber-oel"),
        ("Ho\u0308r-Bar", "hoer-bar"),  # decomposed ö, as some editors save it
        ("Café crème", "cafe-creme"),  # other accents as Pelican does them
        ("„Krimi & Co.“", "krimi-co"),
    ],
)
def test_german_slugify(text, slug):
    assert slugify(text, GERMAN) == slug


def test_unicode_slugs_stay_unicode():
    assert slugify("Hör-Bar", {**GERMAN, "SLUGIFY_USE_UNICODE": True}) == "hör-bar"


def test_without_german_slugs_pelican_s_own():
    assert slugify("Hör-Bar", DEFAULT_CONFIG) == "hor-bar"


def test_slugs_in_a_built_site(site):
    site.write("series/hoer-bar.md", "Title: Hör-Bar\n\nHörbuchtipps.\n")
    site.write(
        "h/1.md",
        entry(
            "Hörspiele für Kinder",
            "2024-01-01",
            "Hör-Bar",
            Tags="Straße, Märchen",
            Author="Jürgen Größ",
        ),
    )

    built = site.build(FORTSETZUNG_GERMAN_SLUGS=True)

    assert {
        "series/hoer-bar/index.html",
        "hoerspiele-fuer-kinder.html",
        "tag/strasse.html",
        "tag/maerchen.html",
        "author/juergen-groess.html",
        "feeds/series/hoer-bar.atom.xml",
    } <= built.files()


def test_series_slug_comes_from_the_file_name(site):
    site.write("series/hoerbar-tipps.md", "Title: Hör-Bar\n\nTipps.\n")
    site.write("h/1.md", entry("Eins", "2024-01-01", "hoerbar-tipps"))

    built = site.build(FORTSETZUNG_GERMAN_SLUGS=True)

    assert built.errors == []
    [series] = built.context["series_list"]
    assert series.url == "series/hoerbar-tipps/"


def test_german_slugs_are_off_unless_switched_on(site):
    site.write("series/hoer-bar.md", "Title: Hör-Bar\n\nHörbuchtipps.\n")
    site.write("h/1.md", entry("Hörspiele", "2024-01-01", "Hör-Bar"))

    built = site.build()

    assert "horspiele.html" in built.files()
