"""The preview's page for the social-media team (`/ankuendigungen/`).

A Pelican plugin of this site (pelicanconf.py lists it): when
ANNOUNCEMENTS_SAVE_AS is set, it writes a page with the announcement
texts of the entries published in the last ANNOUNCEMENTS_DAYS days (or
else the newest few), per network, with their counts (socialtext.py,
which the `announce` task uses too). The links point at the published
site (PUBLISHED_SITEURL). publishconf.py sets no ANNOUNCEMENTS_SAVE_AS:
the published site never has the page. The template is
templates/announcements.html here, unless the theme has one.
"""

import os
from datetime import datetime, timedelta

from jinja2 import ChoiceLoader, FileSystemLoader
from pelican import signals
from pelican.generators import Generator

from sitetools.socialtext import announcements

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
#: The page shows this many newest entries when none is recent.
AT_LEAST = 5


class AnnouncementsGenerator(Generator):
    """Writes the page; it reads nothing of its own (the articles are Pelican's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.env.loader = ChoiceLoader([self.env.loader, FileSystemLoader(TEMPLATES)])

    def generate_output(self, writer):
        save_as = self.settings.get("ANNOUNCEMENTS_SAVE_AS")
        if not save_as:
            return
        days = self.settings.get("ANNOUNCEMENTS_DAYS", 60)
        articles = sorted(self.context.get("articles", []), key=lambda a: a.date)
        since = datetime.now(articles[0].date.tzinfo if articles else None)
        since -= timedelta(days=days)
        recent = [a for a in articles if a.date >= since]
        site_url = self.settings.get("PUBLISHED_SITEURL") or self.settings["SITEURL"]
        writer.write_file(
            save_as,
            self.get_template("announcements"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.settings.get("ANNOUNCEMENTS_URL"),
            announcements=announcements(recent or articles[-AT_LEAST:], site_url)[::-1],
            days=days,
            recent=bool(recent),
        )


def get_generators(pelican):
    return AnnouncementsGenerator


def register():
    signals.get_generators.connect(get_generators)
