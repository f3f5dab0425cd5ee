"""The sample site in content/ builds cleanly and shows what the README promises."""

from urllib.parse import urlsplit

import pytest
from conftest import ROOT, Site

SITEURL = "https://example.org"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("sample"))
    site.content = ROOT / "content"
    return site.build("publishconf.py", SITEURL=SITEURL, FEED_DOMAIN=SITEURL)


def test_sample_builds_without_errors_or_warnings(sample):
    assert [str(p) for p in sample.found] == []


def test_sample_has_the_promised_series(sample):
    counts = {s.name: s.count for s in sample.context["series_list"]}

    for name in ("AzubiTagebuch", "FSJ", "Vorleseerlebnisse", "Hör-Bar"):
        assert counts[name] >= 4, name
    assert any(not getattr(a, "series", None) for a in sample.context["articles"])


def test_sample_draft_and_scheduled_part_stay_hidden(sample):
    unpublished = sample.context["drafts"]
    assert {a.metadata.get("series") for a in unpublished} >= {
        "AzubiTagebuch",
        "Hör-Bar",
    }
    everything = sample.all_text()
    for article in unpublished:
        assert article.title not in everything


def test_every_internal_link_of_the_sample_leads_somewhere(sample):
    broken = []
    for page in sample.output.rglob("*.html"):
        for tag in sample.html(str(page.relative_to(sample.output))).find_all(
            ["a", "link", "img"]
        ):
            url = tag.get("href") or tag.get("src")
            if not url or not url.startswith(SITEURL):
                continue
            path = urlsplit(url).path.lstrip("/")
            target = sample.output / path
            if target.is_dir() or path == "":
                target = target / "index.html"
            if not target.is_file():
                broken.append((str(page.relative_to(sample.output)), url))
    assert broken == []
