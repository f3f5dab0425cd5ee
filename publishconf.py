"""Pelican settings for the published site (`invoke publish`)."""

import os
import sys

# settings that extend pelicanconf.py import it from this folder (Pelican
# loads a settings file by its path, not as a module; its quickstart's
# publishconf.py does the same)
sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *

SITEURL = PUBLISHED_SITEURL  # pelicanconf.py
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL

# Never publish what is not ready: scheduled entries stay drafts until their
# date, and drafts are not written at all (not even at an unlinked URL).
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
# A series without a published part stays off the site (unless announced).
SERIES_DRAFT_SAVE_AS = ""

# Theme
SHOW_ALT_TEXT = False
SHOW_CONTENT_PROBLEMS = False
SHOW_DRAFTS = False
# The page for the social-media team is the preview's only.
ANNOUNCEMENTS_SAVE_AS = ""
