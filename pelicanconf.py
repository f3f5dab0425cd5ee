"""Pelican settings for local preview (`invoke build`, `invoke livereload`).

`publishconf.py` imports everything from here and only changes what differs
for the published site.
"""

import os

AUTHOR = "Stadtbüchereien Düsseldorf"
SITENAME = "Fortsetzung folgt"
SITESUBTITLE = "Serien aus den Stadtbüchereien Düsseldorf"
SITEURL = ""
# The published site's address: publishconf.py's SITEURL (the environment
# variable SITEURL overrides it). The preview's page for the social-media
# team links there.
# (An empty variable counts as none: CI passes an unset one as empty.)
PUBLISHED_SITEURL = (
    os.environ.get("SITEURL") or "https://stadtbuechereien-duesseldorf.example"
)

PATH = "content"
THEME = "themes/fortsetzung"
# The plugin is installed (pip install -e plugins/fortsetzung; dev.py does).
PLUGINS = ["fortsetzung"]

TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
DEFAULT_DATE_FORMAT = "%d.%m.%Y"

# Entries live in one folder per series; the folder is not a category.
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "Blog"
STATIC_PATHS = ["images"]
# Static files are pictures, PDF, subtitles, audio and video: nothing a
# browser would run (the plugin's default also publishes CSS, JavaScript,
# HTML and fonts, as plain Pelican sites do).
FORTSETZUNG_STATIC_TYPES = [
    *("avif", "gif", "ico", "jpeg", "jpg", "png", "svg", "webp"),
    *("pdf", "txt", "vtt"),
    *("mp3", "m4a", "oga", "ogg", "opus", "wav", "mp4", "m4v", "ogv", "webm"),
]
# Entries and pages are Markdown; Pelican would read .html and .rst files
# as entries too (an HTML file in images/ is then refused as a file a
# browser would run).
READERS = {"html": None, "htm": None, "rst": None}
PAGE_PATHS = ["pages"]

# Scheduled (future-dated) entries are drafts until their date has come.
WITH_FUTURE_DATES = False

# Readable URLs that end in a folder.
ARTICLE_URL = "{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "kategorie/{slug}/"
CATEGORY_SAVE_AS = "kategorie/{slug}/index.html"
TAG_URL = "schlagwort/{slug}/"
TAG_SAVE_AS = "schlagwort/{slug}/index.html"
AUTHOR_URL = "autorin/{slug}/"
AUTHOR_SAVE_AS = "autorin/{slug}/index.html"
ARCHIVES_URL = "archiv/"
ARCHIVES_SAVE_AS = "archiv/index.html"
CATEGORIES_URL = "kategorien/"
CATEGORIES_SAVE_AS = "kategorien/index.html"
TAGS_URL = "schlagworte/"
TAGS_SAVE_AS = "schlagworte/index.html"
AUTHORS_URL = "autorinnen/"
AUTHORS_SAVE_AS = "autorinnen/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/seite/{number}/", "{base_name}/seite/{number}/index.html"),
)

# Series (plugin fortsetzung, plugins/fortsetzung/README.md): German
# addresses and texts, German slugs (Hör-Bar: hoer-bar), German messages
# (they follow DEFAULT_LANG).
SERIES_URL = "serien/{slug}/"
SERIES_SAVE_AS = "serien/{slug}/index.html"
SERIES_DRAFT_URL = "drafts/serien/{slug}/"
SERIES_DRAFT_SAVE_AS = "drafts/serien/{slug}/index.html"
SERIES_INDEX_URL = "serien/"
SERIES_INDEX_SAVE_AS = "serien/index.html"
# Series feeds have a folder of their own: no author, category or tag feed
# can ever be written to the same path.
SERIES_FEED_ATOM = "feeds/serie/{slug}.atom.xml"
SERIES_FEED_RSS = "feeds/serie/{slug}.rss.xml"
SERIES_FEED_JSON = "feeds/serie/{slug}.json"
SERIES_FEED_ITEM_TITLE = "{series}, Teil {index}: {title}"
SERIES_OPML_SAVE_AS = "feeds/serien.opml"
SERIES_OPML_URL = "feeds/serien.opml"
SERIES_OPML_TITLE = "Serien – {site}"
# the nginx map of old addresses (Apache reads .htaccess by itself)
FORTSETZUNG_REDIRECTS_NGINX_SAVE_AS = "weiterleitungen.nginx.conf"
FORTSETZUNG_GERMAN_SLUGS = True
# Every entry names its author (AUTHOR is the library, the feeds' author)
# and says in a summary what it is about: lists and feeds show it.
FORTSETZUNG_REQUIRED_FIELDS = {"article": ["Author", "Summary"]}

# Pages linked from the header (by slug); all pages are linked in the footer.
NAV_PAGES = ["ueber-uns"]

# Feeds. Every kind of feed has a folder of its own, so an author and a
# category with the same slug can never overwrite each other's feed
# (Pelican's defaults put both into feeds/{slug}.atom.xml). The preview's
# feeds point at the local server; publishconf.py points them at SITEURL.
FEED_DOMAIN = "http://localhost:8000"
FEED_ALL_ATOM = "feeds/alle.atom.xml"
FEED_ALL_RSS = "feeds/alle.rss.xml"
FORTSETZUNG_FEED_ALL_JSON = "feeds/alle.json"
# Feed readers get the whole text of every entry, in every format.
RSS_FEED_SUMMARY_ONLY = False
# The site's feeds and those of a category, author or tag carry the 20 newest
# entries, as most blogs' do (WordPress: 10); feed readers keep what they
# have seen. A series feed carries every part (SERIES_FEED_MAX_ITEMS), so
# that a reader can start at part 1.
FEED_MAX_ITEMS = 20
CATEGORY_FEED_ATOM = "feeds/kategorie/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/kategorie/{slug}.rss.xml"
AUTHOR_FEED_ATOM = "feeds/autorin/{slug}.atom.xml"
AUTHOR_FEED_RSS = "feeds/autorin/{slug}.rss.xml"
TAG_FEED_ATOM = "feeds/schlagwort/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/schlagwort/{slug}.rss.xml"
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
# Every feed as the series feeds are (the plugin leaves Pelican's feeds as
# Pelican writes them unless asked): entry ids that survive a new title or
# slug, "Serie, Teil 3: …" in item titles, absolute links inside the texts
# (on the local server in the preview), the language, author and description
# of the site, and titles such as "Krimi – Fortsetzung folgt".
FORTSETZUNG_FEED_STABLE_IDS = True
FORTSETZUNG_FEED_ITEM_TITLES = True
FORTSETZUNG_FEED_ABSOLUTE_URLS = True
FORTSETZUNG_FEED_METADATA = True
FORTSETZUNG_FEED_TITLE = "{title} – {site}"

DEFAULT_PAGINATION = 10

# Set to True while developing the theme to get page links that work when
# the output is opened as files.
RELATIVE_URLS = False

# Every build starts from an empty output/ so nothing of a removed or renamed
# series or entry survives a rebuild.
DELETE_OUTPUT_DIRECTORY = True

# Theme
# What the theme shows of the library; each setting is optional and
# explained in themes/fortsetzung/README.md.
LIBRARY_NAME = "Stadtbüchereien Düsseldorf"
LIBRARY_URL = "https://www.duesseldorf.de/stadtbuechereien"
# The logo next to the site name; its alt text stays empty while it only
# decorates the name (set SITELOGO_ALT when the logo says something more).
SITELOGO = "theme/images/fortsetzung.svg"
SITELOGO_ALT = ""
FAVICON = "theme/images/favicon.svg"
# The picture shown when a page is shared and has no raster image of its own.
SOCIAL_IMAGE = "theme/images/social.png"
SOCIAL_IMAGE_ALT = "Fortsetzung folgt – Serien aus der Bibliothek"
# Colours as CSS custom properties (--color-<name>, see css/main.css);
# THEME_COLORS for the light scheme, THEME_COLORS_DARK for the dark one.
THEME_COLORS = {"accent": "#0b57a4", "link": "#0b57a4"}
THEME_COLORS_DARK = {}
# Further stylesheets, loaded after the theme's (relative to SITEURL).
THEME_STYLESHEETS = []
# Profiles of the library and links in the footer: (label, URL).
# [Bitte prüfen: Beispiele – die Adressen der eigenen Profile eintragen.]
SOCIAL = [
    ("Instagram", "https://www.instagram.com/stadtbuechereien_duesseldorf/"),
]
FOOTER_LINKS = [
    ("Onleihe", "https://www.onleihe.de/"),
]
# Share links under each entry (plain links; none loads anything).
SHARE_SERVICES = ["mastodon", "bluesky", "facebook", "x", "whatsapp", "email", "copy"]
# The preview shows every image's alternative text and lists the content's
# problems on every page (publishconf.py: all three off).
SHOW_ALT_TEXT = True
SHOW_CONTENT_PROBLEMS = True
# The preview's start page links every draft and scheduled part.
SHOW_DRAFTS = True

# German quotes and apostrophes („…“, ’) in text and titles, sizes for
# images, and a picture of its own for every series and part when a link to
# it is shared (share images: series, part and title on the accent colour
# or the series' image, under teilen/, docs/werbung.md).
PLUGINS = [
    *PLUGINS,
    "pelican.plugins.fortsetzung.extras.typography",
    "pelican.plugins.fortsetzung.extras.responsive_images",
    "pelican.plugins.fortsetzung.extras.sharecards",
]
FORTSETZUNG_SHARE_IMAGES_SAVE_AS = "teilen/{path}-{key}.png"
# smarty makes dashes and ellipses; the typography plugin does the quotes
# (Pelican's TYPOGRIFY stays off: its smartypants quotes English-style, and
# its filters put no-break spaces and <span>s into titles and feeds).
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.smarty": {"smart_quotes": False},
        "pelican.plugins.fortsetzung.extras.typography": {},
    },
    "output_format": "html5",
}
# Templates escape every value they show (titles, names, fields are text);
# only the sanitised HTML of texts and summaries is marked safe. The theme
# needs this (themes/fortsetzung/README.md).
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
    "autoescape": True,
}
# Pages the theme writes from the build, without content: "Seite nicht
# gefunden", robots.txt, sitemap.xml (published pages only) and the search
# page. Feeds carry no XSLT stylesheet (FORTSETZUNG_FEED_STYLESHEET): browsers
# are removing XSLT, and Chromium already shows a warning on such a feed. The
# subscribe boxes explain feed readers instead.
TEMPLATE_PAGES = {
    "404.html": "404.html",
    "robots.txt": "robots.txt",
    "sitemap.xml": "sitemap.xml",
    "suche.html": "suche/index.html",
}
# The search page; the header's search field leads there. `publish` and
# `preview` write its index with Pagefind into pagefind/, `livereload` makes
# it when asked (sitetools/search.py): published entries and pages only.
SEARCH_URL = "suche/"

# A page for the social-media team, in the preview only (publishconf.py
# turns it off): a ready text per social network for each entry of the last
# ANNOUNCEMENTS_DAYS days, with its count against the network's limit
# (sitetools/announce_page.py; `python3 dev.py announce` writes the same
# texts into files for Hootsuite, docs/werbung.md).
# `sitetools` is installed into .venv (dev.py), so Pelican imports it by
# name like any plugin, from any folder.
PLUGINS = [*PLUGINS, "sitetools.announce_page"]
ANNOUNCEMENTS_URL = "ankuendigungen/"
ANNOUNCEMENTS_SAVE_AS = "ankuendigungen/index.html"
ANNOUNCEMENTS_DAYS = 60

# What this site's tools write into the output besides Pelican: the search
# index (sitetools/search.py) and the announcements page. No content may
# claim these addresses, in the preview or when published.
FORTSETZUNG_RESERVED_PATHS = ["pagefind/", ANNOUNCEMENTS_SAVE_AS]
