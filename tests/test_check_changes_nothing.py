"""The plugin's check reports the problems of the finalised model and changes nothing.

A build first finalises the model (generator.finalise: refused files out,
clashes decided, redirects planned, templates replaced, comments attached),
then checks it. Checking the finalised model again, twice, must give the
problems the build reported and leave every entry, page, static file and
series as it was.
"""

from pelican.plugins import signals
from pelican.plugins.fortsetzung import generator

PUBLISHED = ("articles", "hidden_articles", "pages", "hidden_pages")
DRAFTS = ("drafts", "draft_pages")


def contents(context):
    found = [
        version
        for key in (*PUBLISHED, *DRAFTS)
        for content in context.get(key, [])
        for version in [content, *content.translations]
    ]
    return found + list(context.get("staticfiles", []))


def model(context):
    """What the build writes, as plain values that compare."""
    return {
        "contents": [
            (
                type(c).__name__,
                c.source_path,
                c.url,
                c.save_as,
                getattr(c, "status", None),
                getattr(c, "template", None),
                getattr(c, "refused", False),
                repr(getattr(c, "comments", None)),
                sorted((key, str(value)) for key, value in c.metadata.items()),
            )
            for c in contents(context)
        ],
        "series": [
            (s.name, s.url, s.save_as, [a.source_path for a in s.articles])
            for s in [*context["series_list"], *context["draft_series"]]
        ],
        "redirects": list(context["redirects"]),
        "refused": sorted(context["refused_files"]),
        "static_content": sorted(context["static_content"]),
    }


def test_checking_the_finalised_model_twice_changes_nothing(site):
    site.series("azubitagebuch", "AzubiTagebuch")
    site.entry(
        "azubitagebuch/1.md", "Erster Tag", "2024-01-01",
        Series="AzubiTagebuch", Redirect_from="/alt/, //anderswo.example/x/",
    )  # fmt: skip
    site.entry(  # a clash: the address of the first
        "azubitagebuch/2.md", "Zweiter Tag", "2024-01-02",
        Series="AzubiTagebuch", Save_as="2024/erster-tag/index.html",
    )  # fmt: skip
    site.entry(
        "azubitagebuch/3.md", "Dritter Tag", "2024-01-03",
        body="Ein [Link]({filename}/fehlt.md).",
        Series="AzubiTagebuch", Template="redirect",
    )  # fmt: skip
    site.entry("azubitagebuch/4.md", "Entwurf", "2024-01-04", Status="draft")
    site.entry("blog/privat.md", "Privat", "2024-01-05", Private="vielleicht")
    site.write(
        "azubitagebuch/1.comments.json",
        {},
        '{"comments": [{"id": 1, "parent": null, "author": "Ann", '
        '"date": "2024-01-01T10:00:00+01:00", "text": "TODO"}]}',
    )
    (site.content / "images").mkdir()
    (site.content / "images/setup.exe").write_bytes(b"MZ")
    seen = []

    def keep(generators):
        seen.append(generators)

    signals.all_generators_finalized.connect(keep)
    try:
        build = site.build()
    finally:
        signals.all_generators_finalized.disconnect(keep)
    (generators,) = seen
    context = build.context
    reported = context["content_problems"]
    fields = {p.field for p in reported}
    # problems of several kinds, each of them from a step that changes the model
    assert {"Redirect_from", "Template", "text", "Private"} <= fields, fields
    assert any("dieselbe Adresse" in p.message for p in reported), reported
    assert any("setup.exe" in p.path for p in reported), reported
    before = model(context)

    first = generator.check(generators)
    after_first = model(context)
    second = generator.check(generators)

    assert model(context) == after_first == before
    assert first == second == reported
