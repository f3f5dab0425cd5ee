"""Announcement texts for social media: `announce` files and the preview's page."""

import csv
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import ROOT, run_task
from test_live_preview import Live

from sitetools import announce as announcing
from sitetools import runner
from sitetools.socialtext import (
    BY_KEY,
    NETWORKS,
    compose,
    count_mastodon,
    count_x,
    graphemes,
    hashtag,
)

PUBLISH = ROOT / "publishconf.py"
SITEURL = runner.settings_for(PUBLISH)["SITEURL"]
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2025, 11, 1, 12, 0, tzinfo=BERLIN)
LINK = "https://stadtbuechereien-duesseldorf.example/2025/ein-langer-pfad-zum-teil/"
LONG_TITLE = "Über Straßen, Brücken und Bücher 📚👩‍👩‍👧🇩🇪 " * 12
TEASER = "Wie sich der erste Tag an der Theke angefühlt hat: aufregend … 😊 " * 30
FORMULAS = ("=", "+", "-", "@", "\t", "\r")


# -- counting ------------------------------------------------------------------


def test_x_weighs_umlauts_one_emoji_and_some_signs_two_and_links_23():
    assert count_x("Hör-Bar: Straße") == 15
    assert count_x("👩‍👩‍👧") == 2  # one emoji, however many code points
    assert count_x("🇩🇪") == 2
    assert count_x("…") == 2  # U+2026 lies outside twitter-text's light ranges
    assert count_x("„–“") == 3
    assert count_x(LINK) == 23
    assert count_x("e\u0301") == 1  # counted after NFC normalisation
    # a word X may link without https:// counts at least as a link
    assert count_x("a.de") == 23


def test_mastodon_and_bluesky_count_graphemes_and_mastodon_links_23():
    text = f"Hör-Bar 👩‍👩‍👧 ß {LINK}"
    assert graphemes(text) == len("Hör-Bar x ß ") + len(LINK)
    assert count_mastodon(text) == len("Hör-Bar x ß ") + 23


def test_hashtag_is_the_series_name_in_words_that_every_network_links():
    assert hashtag("Hör-Bar") == "#HörBar"
    assert hashtag("AzubiTagebuch") == "#AzubiTagebuch"
    assert hashtag("die Straße der Bücher") == "#DieStraßeDerBücher"
    assert hashtag("<b>FSJ</b> & mehr") == "#FSJMehr"
    assert hashtag("2025") == ""
    assert hashtag("x" * 65) == ""


@pytest.mark.parametrize("network", NETWORKS, ids=lambda n: n.key)
def test_a_long_teaser_is_shortened_at_a_word_to_the_limit(network):
    title = LONG_TITLE[:120]
    post = compose(f"Hör-Bar, Teil 3: {title}", TEASER, "#HörBar", LINK, network)
    assert post.fits
    assert post.length == network.count(post.text) <= network.limit
    assert "#HörBar" in post.text
    assert post.text.startswith(f"Hör-Bar, Teil 3: {title.strip()}\n\nWie sich")
    if network.clickable:
        assert post.text.endswith(f"\n{LINK}")
        assert post.body == post.text.removesuffix(LINK).rstrip("\n")
    else:
        assert LINK not in post.text
        assert post.text.endswith("Link in der Bio")
    if network.limit < 1000:
        assert " …\n\n#HörBar" in post.text  # cut after a word
        # one more word would not have fitted
        teaser = post.text.split("\n\n")[1].removesuffix(" …")
        longer = TEASER[: TEASER.index(" ", len(teaser) + 1)]
        assert network.count(post.text.replace(teaser, longer)) > network.limit


@pytest.mark.parametrize("network", NETWORKS, ids=lambda n: n.key)
def test_a_very_long_title_is_shortened_too_and_the_teaser_left_out(network):
    post = compose(f"Hör-Bar, Teil 3: {LONG_TITLE}", TEASER, "#HörBar", LINK, network)
    assert post.fits
    assert post.length == network.count(post.text) <= network.limit
    assert post.text.startswith("Hör-Bar, Teil 3: Über Straßen")
    if network.limit < 500:
        assert "Wie sich" not in post.text
        assert post.text.split("\n\n")[0].endswith("…")


def test_a_text_that_fits_is_not_shortened():
    post = compose("FSJ, Teil 1: Hallo", "Kurz.", "#FSJ", LINK, BY_KEY["x"])
    assert post.text == f"FSJ, Teil 1: Hallo\n\nKurz.\n\n#FSJ\n{LINK}"


def test_a_link_longer_than_the_limit_is_reported_not_cut():
    link = f"https://example.org/{'a' * 400}/"
    post = compose("Titel", "Text", "#Tag", link, BY_KEY["bluesky"])
    assert not post.fits
    assert post.text.endswith(link)


# -- the task, on a real build -----------------------------------------------


@pytest.fixture
def site(site):
    site.series("hoer-bar", "Hör-Bar")
    site.series("formel", '=HYPERLINK("https://böse.example","klick")')
    for number, (day, title) in enumerate(
        [
            ("2025-08-31", "Vor dem Zeitraum"),
            ("2025-09-01", "Am ersten Tag"),
            ("2025-09-15", f"Sehr lang {LONG_TITLE}"),
        ],
        start=1,
    ):
        site.entry(
            f"hoer-bar/{number}.md",
            title,
            f"{day} 10:00",
            Series="Hör-Bar",
            Summary=f"Ein <em>kurzer</em> Text & „Zitate“ {'und mehr ' * 40}",
        )
    site.entry(
        "hoer-bar/entwurf.md",
        "Ein Entwurf",
        "2025-09-20",
        Series="Hör-Bar",
        Status="draft",
    )
    site.entry(
        "hoer-bar/geplant.md", "Ein geplanter Teil", "2036-03-01", Series="Hör-Bar"
    )
    site.entry(
        "hoer-bar/privat.md",
        "Ein privater Teil",
        "2025-09-21",
        Series="Hör-Bar",
        Private="yes",
        Status="draft",
    )
    site.entry("formel/1.md", "Erster Teil", "2025-09-10", Series="formel")
    for number, start in enumerate(["+SUMME(1;2)", "-1+2", "@cmd", "=1+2"]):
        site.entry(f"blog/{number}.md", f"{start} Formel", f"2025-09-1{number}")
    return site


def announce(site, tmp_path, since="2025-09-01", **options):
    return announcing.announce(
        PUBLISH, site.content, tmp_path / "ankuendigungen", since, now=NOW, **options
    )


def rows(path):
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def test_csv_per_network_has_one_row_per_published_entry_since_the_day(site, tmp_path):
    written = announce(site, tmp_path)
    titles = [item.title for item in written.items]
    assert "Am ersten Tag" in titles
    assert "Vor dem Zeitraum" not in titles
    assert len(titles) == 7  # 2 Hör-Bar, 1 formel, 4 outside a series
    for network in NETWORKS:
        path = tmp_path / "ankuendigungen" / f"hootsuite-{network.key}.csv"
        found = rows(path)
        assert len(found) == len(titles), network.key
        for when, message, link in found:
            assert datetime.strptime(when, "%d/%m/%Y %H:%M").minute % 5 == 0
            if network.clickable:
                assert link.startswith(f"{SITEURL}/2025/")
                text = f"{message}\n{link}"
            else:
                assert link == ""
                text = message
            assert network.count(text) <= network.limit, (network.key, text)
            assert "<" not in message  # the summary's markup is gone
        hoer_bar = [m for _, m, _ in found if m.startswith("Hör-Bar")]
        assert len(hoer_bar) == 2
        assert all("#HörBar" in m for m in hoer_bar)
    assert [r[0] for r in rows(tmp_path / "ankuendigungen" / "hootsuite-x.csv")][
        :2
    ] == [
        "02/11/2025 10:00",
        "03/11/2025 10:00",
    ]


def test_since_takes_a_german_date(site, tmp_path):
    german = announce(site, tmp_path, since="01.09.2025")
    assert german.first == date(2025, 9, 1)
    assert [item.title for item in german.items] == [
        item.title for item in announce(site, tmp_path).items
    ]


def test_drafts_scheduled_and_private_entries_are_never_announced(site, tmp_path):
    announce(site, tmp_path)
    everything = "".join(
        p.read_text("utf-8") for p in (tmp_path / "ankuendigungen").iterdir()
    )
    assert "Am ersten Tag" in everything
    for hidden in ("Ein Entwurf", "Ein geplanter Teil", "Ein privater Teil"):
        assert hidden not in everything


def test_no_csv_cell_starts_like_a_formula(site, tmp_path):
    announce(site, tmp_path)
    found = [
        cell
        for network in NETWORKS
        for row in rows(tmp_path / "ankuendigungen" / f"hootsuite-{network.key}.csv")
        for cell in row
    ]
    assert any(cell.startswith("'=HYPERLINK") for cell in found)
    assert any(cell.startswith("'+SUMME") for cell in found)
    assert not [cell for cell in found if cell.startswith(FORMULAS)]


def test_text_file_has_a_block_per_entry_and_network(site, tmp_path):
    written = announce(site, tmp_path)
    text = (tmp_path / "ankuendigungen" / "ankuendigungen.txt").read_text("utf-8")
    assert text.count("----- X (Twitter):") == len(written.items)
    assert "von 280 Zeichen" in text
    assert f"{SITEURL}/2025/" in text


def test_until_limits_the_period_and_nothing_found_writes_nothing(site, tmp_path):
    written = announce(site, tmp_path, until="2025-09-01")
    assert [item.title for item in written.items] == ["Am ersten Tag"]
    written = announce(site, tmp_path / "leer", since="2030-01-01")
    assert written.items == []
    assert "kein Beitrag erschienen" in announcing.summary(written)


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({"since": "09/01/2025"}, "vertauscht sein; gelesen würde es als 1. Sept"),
        ({"until": "2025-02-30"}, "JJJJ-MM-TT"),
        ({"start": "2025-10-01 10:00"}, "nicht in der Zukunft"),
        ({"start": "2025-12-01 10:03"}, "5-Minuten-Schritten"),
        ({"start": "01.12.2025 10:03"}, "5-Minuten-Schritten"),
        ({"start": "12/01/2025 10:00"}, "vertauscht sein; gelesen würde es als 1. Dez"),
    ],
)
def test_mistakes_in_the_options_are_said_in_german(site, tmp_path, options, said):
    with pytest.raises(announcing.AnnounceError, match=said):
        announce(site, tmp_path, **options)


def test_task_runs_and_reports_in_german(site, tmp_path):
    output = tmp_path / "texte"
    result = run_task(
        "announce", "--since", "2025-09-01", "--content", str(site.content),
        "--output", str(output),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "Ankündigungen für 7 Beiträge seit 01.09.2025" in result.stdout
    assert "hootsuite-x.csv" in result.stdout
    assert (output / "hootsuite-mastodon.csv").is_file()


@pytest.mark.parametrize(
    "arguments", [["--since", "1. September"], []], ids=["bad-date", "no-date"]
)
def test_task_refuses_without_a_traceback(site, tmp_path, arguments):
    result = run_task("announce", *arguments, "--content", str(site.content))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "TT.MM.JJJJ" in result.stdout + result.stderr


# -- the preview's page ----------------------------------------------------------


def test_the_preview_has_the_page_and_the_published_site_not(site):
    preview = site.build()
    page = preview.html("ankuendigungen/")
    areas = page.find_all("textarea")
    assert len(areas) == 5 * len(NETWORKS)  # the newest five: none is recent
    for area in areas:
        assert "<" not in area.get_text()
        assert area["id"] in {label["for"] for label in page.find_all("label")}
    assert "#HörBar" in page.get_text()
    assert "von 280 Zeichen" in page.get_text()
    assert f"{SITEURL}/2025/" in page.get_text()  # the published link

    published = site.build("publishconf.py")
    assert not (published.output / "ankuendigungen").exists()
    assert "ankuendigungen" not in published.all_text()


def test_the_live_preview_serves_the_page(site, tmp_path):
    live = Live(site, tmp_path)
    live.build()
    status, _kind, body = live.get("/ankuendigungen/")
    assert status == 200
    assert "Ankündigungen für soziale Netzwerke" in body.decode("utf-8")
