"""What the preview shows that the published site does not."""


def test_the_preview_shows_content_problems_on_every_page(site):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Mein FSJ", "2024-01-01", Series="FSJ")
    site.entry("f/2.md", "Tippfehler", "2024-01-02", Series="FJS")

    preview = site.build("pelicanconf.py")
    published = site.build("publishconf.py")

    for page in ("", "serien/", preview.series("fsj").articles[0].url):
        box = preview.html(page).find(class_="preview-problems")
        assert "f/2.md" in box.get_text()
        assert "Die Serie „FJS“ gibt es nicht." in box.get_text()
    assert published.html("").find(class_="preview-problems") is None


def test_drafts_and_scheduled_parts_are_marked_in_the_preview_only(site):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Entwurf", "2024-01-01", Series="FSJ", Status="draft")
    site.entry("f/2.md", "Geplant", "2099-03-01 09:00", Series="FSJ")

    preview = site.build("pelicanconf.py")
    published = site.build("publishconf.py")

    notices = {
        draft.title: preview.html(draft.url).find(class_="draft-notice").get_text()
        for draft in preview.context["drafts"]
    }
    assert notices == {
        "Entwurf": "Entwurf – nicht veröffentlicht",
        "Geplant": "Geplant für 1. März 2099 – nicht veröffentlicht",
    }
    listed = preview.html("").find(class_="preview-drafts").find_all("a")
    # FSJ has no published part yet: a new series, shown in the preview only
    assert sorted(a.get_text() for a in listed) == ["Entwurf", "FSJ", "Geplant"]
    assert preview.html("serien/").find(class_="preview-drafts") is None
    assert not (published.output / "drafts").exists()
    assert "Entwurf" not in published.all_text()
    assert "Geplant" not in published.all_text()
