"""German slugs: umlauts and ß are spelled out, everywhere Pelican makes a slug."""

import pytest
from pelican.plugins.fortsetzung.slugs import slugify
from pelican.settings import DEFAULT_CONFIG

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
    site.series("hoer-bar", "Hör-Bar")
    site.entry(
        "h/1.md",
        "Hörspiele für Kinder",
        "2024-01-01",
        Series="Hör-Bar",
        Tags="Straße, Märchen",
        Author="Jürgen Größ",
    )

    build = site.build()

    assert (build.output / "serien/hoer-bar/index.html").is_file()
    assert (build.output / "2024/hoerspiele-fuer-kinder/index.html").is_file()
    assert (build.output / "schlagwort/strasse/index.html").is_file()
    assert (build.output / "schlagwort/maerchen/index.html").is_file()
    assert (build.output / "autorin/juergen-groess/index.html").is_file()
    assert (build.output / "feeds/serie/hoer-bar.atom.xml").is_file()


def test_series_slug_comes_from_the_file_name(site):
    site.series("hoerbar-tipps", "Hör-Bar")
    site.entry("h/1.md", "Eins", "2024-01-01", Series="hoerbar-tipps")

    build = site.build()

    assert build.errors == []
    assert build.series("hoerbar-tipps").url == "serien/hoerbar-tipps/"


def test_german_slugs_can_be_switched_off(site):
    site.series("hoer-bar", "Hör-Bar")
    site.entry("h/1.md", "Hörspiele", "2024-01-01", Series="Hör-Bar")

    build = site.build(FORTSETZUNG_GERMAN_SLUGS=False)

    assert (build.output / "2024/horspiele/index.html").is_file()
