"""Private content of an old blog (`Private: yes`): never written anywhere.

Imported private and password-protected posts keep their file, so that
nothing is lost, but no build shows them: not published, not as a draft in
the preview, in no list, feed, sitemap or series. `drop_private` takes them
out of Pelican's lists right where Pelican has sorted its content into
published, hidden and drafts, before anything (tags, archives, series,
addresses) is made of those lists; whatever the `Status` says. So are their
translations.
"""

from .. import fields
from ..i18n import _
from ..problems import Problem, display_path

FIELD = fields.named("Private").name  # its row in the schema
#: Values that make content private, and values that do not; any other
#: value keeps it private too (a typo must not publish it), with a warning.
YES = frozenset({"yes", "ja", "true", "1"})
NO = frozenset({"no", "nein", "false", "0", ""})
#: Pelican's lists of entries and pages, by generator.
LISTS = (
    "articles", "translations", "hidden_articles", "hidden_translations",
    "drafts", "drafts_translations",
    "pages", "hidden_pages", "draft_pages", "draft_translations",
)  # fmt: skip


def is_private(content):
    value = content.metadata.get(FIELD.lower())
    return value is not None and str(value).strip().lower() not in NO


def drop_private(generator):
    """article_generator_pretaxonomy, page_generator_finalized: drop private content.

    The lists are changed in place (the context holds the same ones); what
    was dropped is kept on the generator (`private_content`) for the checks.
    """
    dropped = _drop(generator, is_private)
    # a translation of private content is private too: Pelican would write it
    # from its list of translations, which nothing else looks at
    of_private = {id(t) for c in dropped for t in c.translations}
    generator.private_content = [
        *dropped,
        *_drop(generator, lambda c: id(c) in of_private),
    ]


def _drop(generator, private):
    """Take the contents `private` says are out of every list; return them."""
    dropped = []
    for name in LISTS:
        contents = getattr(generator, name, None)
        if contents is None:
            continue
        dropped += [c for c in contents if private(c)]
        contents[:] = [c for c in contents if not private(c)]
        for content in contents:
            content.translations = [t for t in content.translations if not private(t)]
    return dropped


def check_private(generators):
    """Warn of private content that would be published without its `Private` line."""
    problems = []
    for generator in generators:
        for content in getattr(generator, "private_content", []):
            value = str(content.metadata.get(FIELD.lower(), "")).strip()
            if not value:
                message = _(
                    "This entry is a translation of a private entry (from the old "
                    "blog): it is not published either."
                )
            elif value.lower() not in YES:
                message = _(
                    "“{value}” is neither yes nor no; the entry stays private and "
                    "is not published.",
                    value=value,
                )
            elif content.status != "draft":
                message = _(
                    "This entry is private (from the old blog): it is not "
                    "published, whatever its status says."
                )
            else:
                continue
            problems.append(
                Problem(
                    display_path(content),
                    FIELD,
                    message,
                    _("To publish it, delete the line “Private: …”.")
                    if value
                    else _(
                        "To publish it, publish the entry it translates, or give "
                        "it a slug of its own."
                    ),
                    severity="warning",
                )
            )
    return problems
