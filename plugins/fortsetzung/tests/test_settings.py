"""The plugin's settings are checked when Pelican starts, each mistake named."""

import pytest
from pelican.plugins.fortsetzung.settings import SETTINGS, SettingsError

from .plain import entry


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SERIES_URL", "series/"),  # every series needs its own address
        ("SERIES_SAVE_AS", "series/{titel}/index.html"),  # no such placeholder
        ("SERIES_FEED_ATOM", "feeds/{slug"),  # not a pattern
        ("SERIES_PATHS", "series"),  # a list
        ("FORTSETZUNG_READ_TIMEOUT", 0),  # more than 0 (or None)
        ("FORTSETZUNG_GERMAN_SLUGS", "yes"),  # True or False
    ],
)
def test_a_wrong_setting_stops_the_build_naming_it(site, name, value):
    site.write("post.md", entry("Post", "2024-01-01"))

    with pytest.raises(SettingsError, match=name):
        site.build(**{name: value})

    assert not (site.root / f"output{site.builds}" / "post.html").exists()


def test_the_renamed_settings_say_their_new_name(site):
    site.write("post.md", entry("Post", "2024-01-01"))

    with pytest.raises(SettingsError, match="FORTSETZUNG_GERMAN_SLUGS"):
        site.build(SLUGIFY_GERMAN=True)


def test_without_settings_every_default_is_taken(site):
    site.write("post.md", entry("Post", "2024-01-01"))

    built = site.build()

    for name, setting in SETTINGS.items():
        assert built.context[name] == setting.default, name
