"""The plugin's settings are checked at start-up, before anything is written."""

import pytest
from conftest import ROOT
from pelican.plugins.fortsetzung.settings import SETTINGS, SettingsError

from sitetools import runner

WRONG = {
    "unknown placeholder": (
        {"SERIES_FEED_ITEM_TITLE": "{series}, Teil {index}: {titel}"},
        "SERIES_FEED_ITEM_TITLE = '{series}, Teil {index}: {titel}': knows no {titel}",
    ),
    "placeholder a pattern must have": (
        {"SERIES_FEED_RSS": "feeds/serien.rss.xml"},
        "SERIES_FEED_RSS = 'feeds/serien.rss.xml': must contain {slug}",
    ),
    "one feed for every series": (
        {"SERIES_FEED_ATOM": "feeds/serie.atom.xml"},
        "SERIES_FEED_ATOM = 'feeds/serie.atom.xml': must contain {slug}",
    ),
    "broken pattern": (
        {"SERIES_URL": "serien/{slug/"},
        "SERIES_URL = 'serien/{slug/': is not a valid pattern",
    ),
    "wrong type": (
        {"SERIES_FEED_MAX_ITEMS": "alle"},
        "SERIES_FEED_MAX_ITEMS = 'alle': must be int or None",
    ),
    "a boolean where a number belongs": (
        {"SERIES_TOC_NEIGHBOURS": True},
        "SERIES_TOC_NEIGHBOURS = True: must be int",
    ),
    "positional placeholder": (
        {"SERIES_OPML_TITLE": "Serien {}"},
        "SERIES_OPML_TITLE = 'Serien {}': knows no {}",
    ),
    "old name": ({"FEED_ALL_JSON": "feeds/all.json"}, "FEED_ALL_JSON is now called"),
    "no time at all": (
        {"FORTSETZUNG_READ_TIMEOUT": 0},
        "FORTSETZUNG_READ_TIMEOUT = 0: must be more than 0 (seconds",
    ),
    "a negative size": (
        {"FORTSETZUNG_MAX_SITE_SIZE": -1},
        "FORTSETZUNG_MAX_SITE_SIZE = -1: must be more than 0",
    ),
    "a size in words": (
        {"FORTSETZUNG_MAX_HTML_SIZE": "5 MB"},
        "FORTSETZUNG_MAX_HTML_SIZE = '5 MB': must be int or None",
    ),
    "seconds as a switch": (
        {"FORTSETZUNG_READ_TIMEOUT": True},
        "FORTSETZUNG_READ_TIMEOUT = True: must be int or float or None",
    ),
}


@pytest.mark.parametrize(("overrides", "said"), WRONG.values(), ids=WRONG.keys())
def test_a_wrong_setting_is_one_error_naming_it_before_anything_is_written(
    site, overrides, said
):
    site.series("fsj", "FSJ")  # fine with the project's settings (test below)
    site.entry("f/1.md", "Eins", "2024-01-01", Series="FSJ")
    output = site.root / "output"
    output.mkdir()
    (output / "alt.html").write_text("Die Seite von gestern.", "utf-8")

    result = runner.run_pelican(
        runner.settings_for(ROOT / "pelicanconf.py", site.content, output, **overrides)
    )

    assert isinstance(result.error, SettingsError)
    assert said in str(result.error)
    assert [p.name for p in output.iterdir()] == ["alt.html"]


def test_every_default_passes_its_own_check(site):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Eins", "2024-01-01", Series="FSJ")

    build = site.build(**{name: setting.default for name, setting in SETTINGS.items()})

    assert (build.output / "series/fsj/index.html").is_file()
    assert (build.output / "feeds/series/fsj.atom.xml").is_file()


def test_the_site_of_the_wrong_settings_tests_builds_with_the_project_s(site):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Eins", "2024-01-01", Series="FSJ")

    result = runner.build(ROOT / "pelicanconf.py", site.content, site.root / "output")

    assert result.ok
