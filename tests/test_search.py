"""Every build of the site's tools writes a search index of its published pages.

The search itself (typing, German stemming, the series filter) is tested in
a browser: tests/browser/test_search.py.
"""

from conftest import run_task
from test_live_preview import SETTINGS, pages_per_language

from sitetools import folders, runner


def test_the_index_holds_published_entries_pages_and_series_only(site, tmp_path):
    site.series("azubitagebuch", "AzubiTagebuch")
    site.series("neu", "Neue Serie")  # no part yet: only the preview shows it
    site.entry("azubitagebuch/a.md", "Erster Tag", "2024-01-01", Series="AzubiTagebuch")
    site.entry(
        "azubitagebuch/b.md", "Zweiter Tag", "2024-02-01", Series="AzubiTagebuch"
    )
    site.entry("blog/c.md", "Ohne Serie", "2024-03-01")
    site.entry("blog/d.md", "Ein Entwurf", "2024-04-01", Status="draft")
    site.entry("blog/e.md", "Geplant", "2099-01-01")
    site.write("pages/ueber-uns.md", {"Title": "Über uns"}, "Wir.")
    output = tmp_path / "output"
    # the preview's settings: drafts are written (not indexed)
    result = runner.build(SETTINGS, site.content, output, index=True)
    assert result.ok
    # drafts and the new series are written, but not indexed
    assert (output / "drafts" / "serien" / "neu" / "index.html").is_file()
    entry = (output / "pagefind" / "pagefind-entry.json").read_bytes()
    # 3 entries, 1 page, 1 series
    assert pages_per_language(entry) == {"de": 5}
    assert (output / "pagefind" / "pagefind.js").is_file()
    assert (output / "suche" / "index.html").is_file()


def test_a_failing_index_fails_the_build_in_german(site, tmp_path):
    site.entry("blog/c.md", "Ohne Serie", "2024-03-01")
    output = tmp_path / "output"
    folders.mark(output)  # a site built before
    (output / "alt").mkdir()
    result = run_task(
        "preview", "--content", str(site.content), "--output", str(output),
        PAGEFIND_BINARY_PATH=str(tmp_path / "kein-pagefind"),
    )  # fmt: skip
    assert result.returncode == 1
    assert "Der Bau brach ab" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    assert sorted(p.name for p in output.iterdir()) == [folders.MARKER, "alt"]
