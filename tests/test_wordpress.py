"""`invoke import-wordpress`: a WordPress export becomes content that builds.

The exports in tests/fixtures/wordpress/ are written by hand after
WordPress.com's real ones (WXR 1.2): every post status, series from a
category, a tag and an Organize Series term, nested pages, comments with
e-mail and IP addresses, shortcodes, blocks, non-ASCII slugs (blog.xml);
WXR 1.0 with its forms of terms, a duplicate id and text full of what
Markdown reads as markup (wxr-1.0.xml); an export filtered by author, with
terms on its items only and an odd namespace (gefiltert.xml). Each is
imported and built once, and every published post must show the text the
old blog showed.
"""

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import png, run_task, unsafe_svg
from pelican.plugins.fortsetzung.safety import svg
from pelican.plugins.fortsetzung.safety.frontmatter import read_header

from sitetools import wordpress, wphtml, wxr

FIXTURES = Path(__file__).parent / "fixtures" / "wordpress"
BLOG = FIXTURES / "blog.xml"
SERIES = ["azubitagebuch", "FSJ"]
#: What must never be written anywhere: commenters' personal data, and the
#: words of private and password-protected posts and of their comments.
PERSONAL = ["gerda.privat@example.net", "192.0.2.77", "gerda.example.net", "petra@"]
SECRET = ["Privattext", "Geheimtext", "Geheimkommentar"]
#: The only scripts a page may load: the theme's own.
THEME_SCRIPTS = {
    "https://example.org/theme/js/suche.js",
    "https://example.org/theme/js/weiterlesen.js",
}


def media(folder):
    """A local copy of wp-content/uploads (without schnee.jpg)."""
    for name in (
        "2014/05/theke.jpg",
        "2014/05/rueckgabe.jpg",
        "2014/08/dienstplan.png",
    ):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(png(40, 30))
    return folder


def header(path):
    return {key: field.value for key, field in read_header(path).items()}


def files(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The blog imported with its media into an empty site, and the report."""
    root = tmp_path_factory.mktemp("wordpress")
    content = root / "content"
    content.mkdir()
    report = wordpress.import_export(
        BLOG, content, series=SERIES, media=media(root / "uploads")
    )
    return content, report


@pytest.fixture(scope="module")
def published(imported, tmp_path_factory):
    """The imported site built as published."""
    from conftest import Site  # noqa: PLC0415  (a module fixture needs its own Site)

    content, _report = imported
    site = Site(tmp_path_factory.mktemp("published"))
    shutil.copytree(content, site.content, dirs_exist_ok=True)
    return site.build("publishconf.py", SITEURL="https://example.org")


# -- statuses ------------------------------------------------------------------------


def test_every_status_is_kept_as_this_site_knows_it(imported):
    content, _report = imported
    published = header(content / "azubitagebuch/2014-05-12-mein-erster-tag.md")
    assert "status" not in published
    assert published["date"] == "2014-05-12 10:00+02:00"
    assert published["modified"] == "2014-06-01 12:30+02:00"
    draft = header(content / "fsj/2016-08-20-mein-fsj-geht-zu-ende-entwurf.md")
    assert draft["status"] == "draft"
    assert "private" not in draft
    pending = header(content / "fsj/2015-11-04-sprachcafe.md")
    assert pending["status"] == "draft"
    scheduled = header(content / "azubitagebuch/2099-01-05-mein-letzter-tag.md")
    assert scheduled["date"] == "2099-01-05 09:00+01:00"
    assert "status" not in scheduled  # it appears on its day
    for private in (
        "azubitagebuch/2014-08-01-dienstplan.md",
        "blog/2014-12-20-weihnachtsfeier.md",
    ):
        fields = header(content / private)
        assert (fields["status"], fields["private"]) == ("draft", "yes")
        assert "redirect_from" not in fields
    assert "Papierkorbtext" not in "".join(
        p.read_text("utf-8") for p in content.rglob("*.md")
    )


def test_the_report_counts_what_came_in_and_what_went_out(imported):
    _content, report = imported
    counts = {(kind, status): n for (kind, status, _fate), n in report.counts.items()}
    assert counts[("Beiträge", "veröffentlicht")] == 7
    assert counts[("Beiträge", "passwortgeschützt")] == 1
    assert counts[("Beiträge", "privat")] == 1
    assert counts[("Beiträge", "Papierkorb")] == 1
    assert counts[("Seiten", "veröffentlicht")] == 3
    assert counts[("Kommentare", "freigegeben")] == 4
    assert counts[("Kommentare", "Spam")] == 1
    assert counts[("Kommentare", "Pingback")] == 1
    text = wordpress.as_text(report)
    assert "Beiträge, Papierkorb: 1 → nicht übernommen" in text
    assert "Menüpunkte" in text


def test_fields_authors_categories_tags_summary_and_sticky(imported):
    content, _report = imported
    fields = header(content / "azubitagebuch/2014-05-12-mein-erster-tag.md")
    assert fields["author"] == "Lena K."  # the display name, not the login
    assert fields["series"] == "AzubiTagebuch"
    assert fields["category"] == "Ausbildung"
    assert fields["tags"].split(", ") == [
        "Veranstaltungen", "Ausleihe", "Theke", "Erster Tag", "Aufregung",
        "Kolleginnen", "Düsseldorf",
    ]  # fmt: skip
    assert fields["summary"] == "Wie sich der erste Tag angefühlt hat."
    assert fields["sticky"] == "yes"
    assert fields["image"] == "images/2014/05/theke.jpg"
    assert fields["image_alt"] == "Die Ausleihtheke am Morgen"
    # no excerpt: WordPress' own, the first words of the text
    assert header(content / "fsj/2015-09-01-hallo-ich-bin-mira.md")["summary"] == (
        "Ich mache ein FSJ in der Bibliothek."
    )


def test_titles_with_html_empty_titles_and_non_ascii_slugs(imported):
    content, report = imported
    makerspace = content / "azubitagebuch/2014-06-02-ueber-den-makerspace.md"
    fields = header(makerspace)
    assert fields["title"] == "Was ich im Makerspace gelernt habe & mehr"
    assert fields["slug"] == "ueber-den-makerspace"
    assert fields["redirect_from"] == "/2014/06/02/%c3%bcber-den-makerspace/, /?p=103"
    untitled = header(content / "blog/2015-01-07-1234-2.md")
    assert untitled["title"] == "Ohne Titel (07.01.2015)"
    assert ("content/blog/2015-01-07-1234-2.md", "Der Beitrag hatte keinen Titel; "
            "bitte einen geben.") in report.warnings  # fmt: skip


# -- series --------------------------------------------------------------------------


def test_series_from_a_category_a_tag_and_organize_series(imported, published):
    content, _report = imported
    azubi = header(content / "series/azubitagebuch.md")
    assert azubi["title"] == "AzubiTagebuch"
    assert azubi["redirect_from"] == "/category/azubitagebuch/"
    assert (
        "Unsere Auszubildenden erzählen"
        in (content / "series/azubitagebuch.md").read_text()
    )
    assert header(content / "series/fsj.md")["redirect_from"] == "/tag/fsj/"
    assert header(content / "series/hoer-bar.md")["title"] == "Hör-Bar"
    # part numbers win over dates: Momo (part 1) appeared after Tschick (part 2)
    hoerbar = published.series("hoer-bar")
    assert [a.title for a in hoerbar.articles] == [
        "Hörbuch des Monats: Momo",
        "Hörbuch des Monats: Tschick",
    ]
    azubitagebuch = published.series("azubitagebuch")
    assert [a.title for a in azubitagebuch.articles] == [
        "Mein erster Tag an der Theke",
        "Der zweite Tag: Rückgabe",
        "Was ich im Makerspace gelernt habe & mehr",
    ]  # by date; drafts, private and scheduled parts are not counted


def test_an_unknown_series_name_says_which_exist_and_writes_nothing(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    with pytest.raises(wxr.Refused) as raised:
        wordpress.import_export(BLOG, content, series=["Azubitagebuhc"])
    assert "Meinten Sie „AzubiTagebuch“?" in str(raised.value)
    assert "Vorhanden: " in str(raised.value)
    assert list(content.iterdir()) == []


def test_series_names_match_in_any_case_with_umlauts(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    wordpress.import_export(BLOG, content, series=["ÜBER UNS"])
    assert header(content / "series/ueber-uns.md")["title"] == "Über uns"
    assert header(content / "ueber-uns/2014-06-02-ueber-den-makerspace.md")[
        "series"
    ] == ("Über uns")


# -- pages ---------------------------------------------------------------------------


def test_pages_keep_their_hierarchy(imported):
    content, _report = imported
    assert header(content / "pages/ueber-uns.md")["title"] == "Über uns"
    assert header(content / "pages/ueber-uns/team.md")["title"] == "Das Team"
    child = header(content / "pages/ueber-uns/team/ausbildung.md")
    assert child["redirect_from"] == "/%c3%bcber-uns/team/ausbildung/, /?page_id=302"


# -- bodies --------------------------------------------------------------------------


def test_shortcodes_blocks_and_embeds_are_converted_or_kept_visibly(
    imported, published
):
    _content, report = imported
    makerspace = published.html("2014/ueber-den-makerspace/").get_text()
    assert (
        '[contact-form][contact-field label="Name" type="name"/][/contact-form]'
        in makerspace
    )
    second = published.html("2014/zweiter-tag/")
    text = second.get_text()
    assert "Hier stand der WordPress-Block „latest-posts“" in text
    assert second.find("td", colspan="2").get_text() == "Dienstag frei"
    assert second.find("a", href="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    first = published.html("2014/mein-erster-tag/")
    assert "Die Theke vor der Öffnung" in first.get_text()  # the [caption]
    everything = "\n".join(
        page.read_text("utf-8") for page in published.output.rglob("*.html")
    )
    for tag in ("<iframe", "javascript:", 'maps/embed?pb=abc"></'):
        assert tag not in everything
    for page in published.output.rglob("*.html"):
        for script in published.html(
            page.relative_to(published.output).as_posix()
        ).find_all("script"):
            assert script["src"] in THEME_SCRIPTS
    assert second.find("table").find("img", alt="Theke klein")  # in a table: local
    for page in published.output.rglob("*.html"):
        for image in published.html(
            page.relative_to(published.output).as_posix()
        ).find_all("img"):
            for address in [image["src"], *image.get("srcset", "").split()]:
                assert "wordpress.com" not in address and "wp.com" not in address
    notes = [message for where, message in report.warnings if "makerspace" in where]
    assert any("[contact-form]" in n for n in notes)
    assert any("<iframe>" in n for n in notes)
    assert any("javascript:" in n for n in notes)


def test_links_between_imported_posts_lead_to_the_new_addresses(published):
    first = published.html("2014/mein-erster-tag/")
    assert (
        first.find("a", string="zweiten Teil")["href"]
        == "https://example.org/2014/zweiter-tag/"
    )
    assert (
        first.find("a", string="Über uns")["href"] == "https://example.org/ueber-uns/"
    )
    # a scheduled post is no page yet: the link keeps its old address
    assert first.find("a", string="letzten Teil")["href"].endswith("/?p=104")
    second = published.html("2014/zweiter-tag/")
    assert second.find("a", string="Rückgabe")["href"] == (
        "https://example.org/2014/mein-erster-tag/"
    )


# -- media ---------------------------------------------------------------------------


def test_images_are_copied_from_the_media_folder(imported, published):
    content, report = imported
    assert (content / "images/2014/05/theke.jpg").is_file()
    # the size WordPress made (-1024x768) is not there: the original is
    assert (content / "images/2014/05/rueckgabe.jpg").is_file()
    first = published.html("2014/mein-erster-tag/")
    sources = {img["src"] for img in first.find_all("img")}
    assert "https://example.org/images/2014/05/theke.jpg" in sources
    # not in the media folder: a link, listed in the report and by the checks
    assert any("schnee.jpg" in url for _where, url in report.external)
    untitled = published.html("2015/1234-2/")
    assert untitled.find("a", string="Bild: Schnee vor der Zentralbibliothek")
    assert not any("wordpress.com" in img["src"] for img in untitled.find_all("img"))


def test_images_of_private_posts_are_never_copied(imported):
    content, _report = imported
    assert not (content / "images/2014/08/dienstplan.png").exists()


def other_images(folder, snow, counter):
    """The blog's export with other files for its images of snow and a counter."""
    export = folder / "export.xml"
    export.write_text(
        BLOG.read_text("utf-8")
        .replace("2015/01/schnee.jpg", snow)
        .replace("2014/05/rueckgabe-1024x768.jpg", counter),
        "utf-8",
    )
    return export


def test_media_paths_cannot_leave_the_media_folder(tmp_path):
    uploads = media(tmp_path / "uploads")
    (tmp_path / "secret.jpg").write_bytes(png(1, 1))
    (uploads / "2014/05/link.jpg").symlink_to(tmp_path / "secret.jpg")
    export = other_images(tmp_path, "2014/05/link.jpg", "2014/05/../../../secret.jpg")
    content = tmp_path / "content"
    content.mkdir()
    wordpress.import_export(export, content, series=SERIES, media=uploads)
    copied = {p.name for p in (content / "images").rglob("*") if p.is_file()}
    assert copied == {"theke.jpg", "rueckgabe.jpg"}


def test_svg_media_are_written_as_the_site_publishes_them(tmp_path):
    export = other_images(tmp_path, "2015/01/schnee.svg", "2014/05/kaputt.svg")
    uploads = media(tmp_path / "uploads")
    hostile = (
        b'<!DOCTYPE svg [<!ENTITY s "<script>alert(1)</script>">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/>'
        b"&s;</svg>"
    )
    (uploads / "2015/01").mkdir(parents=True)
    (uploads / "2015/01/schnee.svg").write_bytes(hostile)
    (uploads / "2014/05/kaputt.svg").write_bytes(b"<svg><g></svg>")
    content = tmp_path / "content"
    content.mkdir()

    report = wordpress.import_export(export, content, series=SERIES, media=uploads)

    copied = (content / "images/2015/01/schnee.svg").read_bytes()
    assert copied == svg.clean(hostile).data
    assert unsafe_svg(copied) == []
    assert b"<rect" in copied
    assert not (content / "images/2014/05/kaputt.svg").exists()
    text = wordpress.as_text(report)
    assert "images/2015/01/schnee.svg: Die SVG-Datei enthält „<!DOCTYPE" in text
    assert "images/2014/05/kaputt.svg: Die SVG-Datei ist kein gültiges XML" in text
    assert any("kaputt.svg" in url for _where, url in report.external)


# -- comments and personal data ------------------------------------------------------


def test_approved_comments_are_kept_without_personal_data(imported):
    content, _report = imported
    kept = json.loads(
        (content / "azubitagebuch/2014-05-12-mein-erster-tag.comments.json").read_text()
    )["comments"]
    assert [(c["id"], c["parent"], c["author"]) for c in kept] == [
        (501, None, "Oma Gerda"),
        (502, 501, "Lena K."),
    ]
    assert kept[0]["date"] == "2014-05-12T18:03:00+02:00"
    assert "<script" not in kept[0]["text"]
    everything = b"".join(files(content).values()).decode("utf-8", "replace")
    for word in [*PERSONAL, "Spamtext", "Pingbacktext", "Noch nicht freigegeben"]:
        assert word not in everything


def test_a_comment_without_a_date_gets_its_posts(imported, published):
    content, _report = imported
    (kept,) = json.loads(
        (content / "fsj/2015-09-01-hallo-ich-bin-mira.comments.json").read_text()
    )["comments"]
    assert (kept["author"], kept["date"]) == ("Ohne Datum", "2015-09-01T10:00:00+02:00")
    assert "ohne Datum" in published.html("2015/hallo-ich-bin-mira/").get_text()


def test_comments_show_threaded_under_their_entry(published):
    page = published.html("2014/mein-erster-tag/")
    first = page.find(string=lambda s: s and "Toll geschrieben" in s)
    reply = page.find(string=lambda s: s and "Danke, Oma!" in s)
    assert first is not None and reply is not None
    outer = first.find_parent("li")
    assert reply.find_parent("li").find_parent("li") is outer
    assert "Oma Gerda" in outer.get_text()


def test_private_posts_and_their_comments_reach_no_page_or_feed(
    imported, published, tmp_path
):
    from conftest import Site  # noqa: PLC0415

    everything = published.all_text()
    for word in [*SECRET, *PERSONAL]:
        assert word not in everything
    content, _report = imported
    preview = Site(tmp_path)
    shutil.copytree(content, preview.content, dirs_exist_ok=True)
    drafts = preview.build().all_text()  # the preview shows drafts …
    assert "Entwurfstext Abschied" in drafts
    for word in SECRET:  # … but never private ones
        assert word not in drafts


# -- old addresses -------------------------------------------------------------------


def test_old_addresses_lead_to_the_new_ones(published):
    old = published.html("2014/05/12/mein-erster-tag/")
    assert (
        old.find("link", rel="canonical")["href"]
        == "https://example.org/2014/mein-erster-tag/"
    )
    refresh = old.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh.endswith("url=/2014/mein-erster-tag/")
    assert old.find("a", href="/2014/mein-erster-tag/")
    # non-ASCII and nested: where a server looks for the decoded address
    assert (published.output / "2014/06/02/über-den-makerspace/index.html").is_file()
    assert (published.output / "über-uns/team/ausbildung/index.html").is_file()
    assert (published.output / "category/azubitagebuch/index.html").is_file()
    htaccess = (published.output / ".htaccess").read_text("utf-8")
    assert "p=101" in htaccess
    assert "page_id=302" in htaccess
    assert (
        "RewriteRule ^2014/05/12/mein-erster-tag/$ /2014/mein-erster-tag/ " in htaccess
    )
    nginx = (published.output / "weiterleitungen.nginx.conf").read_text("utf-8")
    assert '"/2014/05/12/mein-erster-tag/" "/2014/mein-erster-tag/";' in nginx
    # unpublished posts keep no old address
    assert not (published.output / "2014/08/01/dienstplan").exists()


# -- running it twice, and into a site with content -------------------------------------


def test_a_second_run_changes_nothing_and_says_so(imported, tmp_path):
    content, first = imported
    copy = tmp_path / "content"
    shutil.copytree(content, copy)
    before = files(copy)
    again = wordpress.import_export(
        BLOG, copy, series=SERIES, media=media(tmp_path / "uploads")
    )
    assert files(copy) == before
    assert again.written == []
    # series files that exist are the site's: never written again
    written = [path for path in first.written if not path.startswith("content/series/")]
    assert sorted(again.unchanged) == sorted(written)
    assert all(not new for _title, _parts, new in again.series)
    assert "0 geschrieben" in wordpress.as_text(again)


def test_changed_files_are_kept_unless_overwrite(imported, tmp_path):
    content, _report = imported
    copy = tmp_path / "content"
    shutil.copytree(content, copy)
    edited = copy / "azubitagebuch/2014-05-12-mein-erster-tag.md"
    edited.write_text(
        edited.read_text("utf-8") + "\nNachtrag der Redaktion.\n", "utf-8"
    )
    uploads = media(tmp_path / "uploads")
    again = wordpress.import_export(BLOG, copy, series=SERIES, media=uploads)
    assert "content/azubitagebuch/2014-05-12-mein-erster-tag.md" in again.skipped
    assert "Nachtrag der Redaktion" in edited.read_text("utf-8")
    wordpress.import_export(BLOG, copy, series=SERIES, media=uploads, overwrite=True)
    assert "Nachtrag der Redaktion" not in edited.read_text("utf-8")


def test_the_sites_own_content_stays_untouched(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).parent.parent / "content", content)
    before = files(content)
    for overwrite in (False, True):
        wordpress.import_export(BLOG, content, series=SERIES, overwrite=overwrite)
        after = files(content)
        assert {k: after[k] for k in before} == before
    # the WordPress page "Über uns" is imported beside the site's own
    assert header(content / "pages/ueber-uns-2.md")["title"] == "Über uns"
    # the site's series are used, not written again
    assert header(content / "azubitagebuch/2014-05-19-zweiter-tag.md")["series"] == (
        "AzubiTagebuch"
    )


# -- exports of every kind, and what is no export -------------------------------------


@pytest.mark.parametrize(
    "namespace",
    [
        "http://wordpress.org/export/1.0/",
        "http://wordpress.org/export/1.1/",
        "https://wordpress.org/export/1.2/",
    ],
)
def test_every_version_of_the_export_format(imported, tmp_path, namespace):
    content, _report = imported
    export = tmp_path / "export.xml"
    export.write_text(
        BLOG.read_text("utf-8").replace("http://wordpress.org/export/1.2/", namespace),
        "utf-8",
    )
    other = tmp_path / "content"
    other.mkdir()
    wordpress.import_export(export, other, series=SERIES, media=media(tmp_path / "up"))
    assert files(other) == files(content)


@pytest.mark.parametrize("packed", ["zip", "folder"])
def test_an_export_in_several_files_as_wordpress_com_sends_it(
    imported, tmp_path, packed
):
    content, _report = imported
    text = BLOG.read_text("utf-8")
    head, _, rest = text.partition("\t<item>")
    items = ("\t<item>" + rest).rpartition("</channel>")[0]
    split = items.index("\t<item>", len(items) // 2)
    parts = {
        "blog.2014-05-12.001.xml": head + items[:split] + "</channel>\n</rss>\n",
        "blog.2014-05-12.002.xml": head + items[split:] + "</channel>\n</rss>\n",
    }
    if packed == "zip":
        export = tmp_path / "blog.wordpress.2014-05-12.zip"
        with zipfile.ZipFile(export, "w") as archive:
            for name, part in parts.items():
                archive.writestr(f"export/{name}", part)
    else:
        export = tmp_path / "export"
        export.mkdir()
        for name, part in parts.items():
            (export / name).write_text(part, "utf-8")
    other = tmp_path / "content"
    other.mkdir()
    wordpress.import_export(export, other, series=SERIES, media=media(tmp_path / "up"))
    assert files(other) == files(content)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("<rss><channel><item><title>Kaputt</item></channel></rss>", "Zeile 1"),
        ("", "kein gültiges XML"),
        ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Ein Feed'
         "</title></channel></rss>", "keine Exportdatei von WordPress"),
        ("Titel;Datum\nA;B\n", "kein gültiges XML"),
        (BLOG.read_text("utf-8").replace("<wp:wxr_version>1.2</wp:wxr_version>", ""),
         "ihr fehlt die Versionsangabe <wp:wxr_version>"),
        (BLOG.read_text("utf-8").replace(">1.2</wp:wxr_version>", ">zwei</wp:wxr_version>"),
         "die Versionsangabe „zwei“ ist ungültig"),
    ],
)  # fmt: skip
def test_what_is_no_export_is_refused_with_a_german_message(tmp_path, text, said):
    export = tmp_path / "export.xml"
    export.write_text(text, "utf-8")
    content = tmp_path / "content"
    content.mkdir()
    result = run_task("import-wordpress", str(export), "--content", str(content))
    assert result.returncode == 1
    assert said in result.stderr
    assert "Nicht importiert" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert list(content.iterdir()) == []


def test_a_truncated_export_names_its_line_and_writes_nothing(tmp_path):
    lines = BLOG.read_text("utf-8").splitlines()
    export = tmp_path / "export.xml"
    export.write_text("\n".join(lines[:200]), "utf-8")
    with pytest.raises(wxr.Refused) as raised:
        wxr.read_export(export)
    assert "export.xml, Zeile 20" in str(raised.value)
    assert "vollständig heruntergeladen?" in str(raised.value)


def test_a_broken_export_is_not_blamed_on_the_download(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        BLOG.read_text("utf-8").replace("<title>Mein erster", "<title>Mein < erster"),
        "utf-8",
    )
    with pytest.raises(wxr.Refused) as raised:
        wxr.read_export(export)
    assert "kein gültiges XML" in str(raised.value)
    assert "vollständig heruntergeladen" not in str(raised.value)


def test_a_namespace_libxml2_calls_invalid_is_harmless(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        BLOG.read_text("utf-8").replace(
            'xmlns:wfw="http://wellformedweb.org/CommentAPI/"',
            # and an older WordPress namespace declared first, unused
            'xmlns:wfw="http://wellformedweb.org/Comment API/" xmlns:leer="" '
            'xmlns:alt="http://wordpress.org/export/1.0/"',
        ),
        "utf-8",
    )
    assert len(wxr.read_export(export).items) == len(wxr.read_export(BLOG).items)


def test_entities_are_never_fetched_or_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIMNIS", "utf-8")
    export = tmp_path / "export.xml"
    export.write_text(
        BLOG.read_text("utf-8")
        .replace(
            '<?xml version="1.0" encoding="UTF-8" ?>',
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            f'<!DOCTYPE rss [<!ENTITY geheim SYSTEM "file://{secret}">]>',
        )
        .replace("<title>Hallo, ich bin Mira", "<title>&geheim; Hallo, ich bin Mira"),
        "utf-8",
    )
    content = tmp_path / "content"
    content.mkdir()
    wordpress.import_export(export, content, series=SERIES)
    assert "GEHEIMNIS" not in b"".join(files(content).values()).decode()


def test_the_task_imports_and_the_site_builds(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    result = run_task(
        "import-wordpress", str(BLOG), "--series", "AzubiTagebuch", "--series", "fsj",
        "--content", str(content),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Aus WordPress" in result.stdout
    assert "schnee.jpg" in result.stdout  # an image left on the old blog
    built = run_task(
        "build", "--content", str(content), "--output", str(tmp_path / "out")
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Traceback" not in built.stderr
    checked = run_task("check", "--content", str(content))
    assert "schnee.jpg" in checked.stdout


def test_the_imported_site_has_no_errors_only_warnings(published):
    assert published.errors == []
    assert any("schnee.jpg" in warning for warning in published.warnings)


def test_an_entity_bomb_is_refused_at_once(tmp_path):
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 12)
    )
    export = tmp_path / "export.xml"
    export.write_text(
        BLOG.read_text("utf-8")
        .replace(
            '<?xml version="1.0" encoding="UTF-8" ?>',
            f'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE rss [{entities}]>',
        )
        .replace("<title>Hallo, ich bin Mira", "<title>&a11; Hallo"),
        "utf-8",
    )
    content = tmp_path / "content"
    content.mkdir()
    with pytest.raises(wxr.Refused, match="kein gültiges XML"):
        wordpress.import_export(export, content, series=SERIES)
    assert list(content.iterdir()) == []


# -- a hostile export cannot add a field --------------------------------------------

#: What a hostile export puts into a value to add fields to a header.
INJECTED = "\nSave_as: index.html\nStatus: published\nPrivate: no"
#: The WordPress ids of the private and the password-protected post.
PRIVATE = {"105", "106"}
#: Every field the import writes.
WRITTEN = {
    "title", "date", "modified", "slug", "author", "series", "series_index",
    "category", "tags", "summary", "image", "image_alt", "sticky", "status",
    "private", "redirect_from", "wordpress_id",
}  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<wp:post_id>101<", f"<wp:post_id>101{INJECTED}<"),
        ("<wp:post_id>202<", f"<wp:post_id>202{INJECTED}<"),  # a draft
        ("<![CDATA[azubitagebuch]]></wp:category_nicename>",
         f"<![CDATA[azubitagebuch{INJECTED}]]></wp:category_nicename>"),
        ("<title>Mein erster Tag an der Theke<",
         f"<title>Mein erster Tag{INJECTED}<"),
        ("<title>Privat: Dienstplan<", f"<title>Privat{INJECTED.replace(chr(10), '&#x85;')}<"),
        ("<![CDATA[Ausbildung]]></category>", f"<![CDATA[Ausbildung{INJECTED}]]></category>"),
        ("<![CDATA[Theke]]></category>", f"<![CDATA[Theke{INJECTED}]]></category>"),
        ("<![CDATA[Lena K.]]></wp:author_display_name>",
         f"<![CDATA[Lena K.{INJECTED}]]></wp:author_display_name>"),
        ("<![CDATA[Die Ausleihtheke am Morgen]]></wp:meta_value>",
         f"<![CDATA[Die Ausleihtheke{INJECTED}]]></wp:meta_value>"),
        ("angefühlt hat.]]></excerpt:encoded>",
         f"angefühlt hat.{INJECTED.replace(chr(10), chr(0x2028))}]]></excerpt:encoded>"),
        ("/2014/05/12/mein-erster-tag/<",
         f"/2014/05/12/mein-erster-tag/{INJECTED.replace(chr(10), '&#x85;')}<"),
    ],
    ids=[
        "post id", "post id of a draft", "category slug", "title",
        "title of a private post", "category name", "tag name", "author name",
        "alt text", "excerpt", "link",
    ],
)  # fmt: skip
def test_nothing_in_an_export_adds_a_field(tmp_path, old, new):
    text = BLOG.read_text("utf-8")
    assert old in text
    export = tmp_path / "export.xml"
    export.write_text(text.replace(old, new, 1), "utf-8")
    content = tmp_path / "content"
    content.mkdir()

    report = wordpress.import_export(
        export, content, series=SERIES, media=media(tmp_path / "uploads")
    )

    for path in content.rglob("*.md"):
        fields = read_header(path)
        assert set(fields) <= WRITTEN, path
        assert [f.line for f in fields.fields] == list(range(1, len(fields) + 1))
        assert fields.stop == "blank", path
    headers = [read_header(path) for path in content.rglob("*.md")]
    private = [h for h in headers if h.get("wordpress_id", h["title"]).value in PRIVATE]
    assert [(h["status"].value, h["private"].value) for h in private] == [
        ("draft", "yes")
    ] * 2
    if "post_id" in old:
        (refused,) = report.refused
        assert "WordPress-ID" in refused[0]
        assert "keine Zahl" in refused[1]
        assert "keine Zahl" in wordpress.as_text(report)


def test_a_post_whose_header_cannot_be_written_is_listed_not_imported(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        BLOG.read_text("utf-8").replace(
            "<title>Hallo, ich bin Mira<", "<title>Hallo, ich bin &#x9b;Mira<"
        ),
        "utf-8",
    )
    content = tmp_path / "content"
    content.mkdir()

    report = wordpress.import_export(export, content, series=SERIES)

    assert not list(content.rglob("*hallo-ich-bin*"))
    (refused,) = report.refused
    assert refused[0] == "„Hallo, ich bin U+009BMira“ (WordPress-ID 201)"
    assert "Steuerzeichen (U+009B)" in refused[1]
    assert "Nicht übernommen" in wordpress.as_text(report)


# -- what the old blog showed, and what the new site shows ---------------------------

#: Export files of other forms: WXR 1.0 with every character Markdown reads
#: as markup, and an export filtered by author (terms on items only).
WXR10 = FIXTURES / "wxr-1.0.xml"
FILTERED = FIXTURES / "gefiltert.xml"
#: Every export file the tests import, and how (series named, media).
EXPORTS = {
    "blog.xml": {"series": SERIES},
    "wxr-1.0.xml": {},
    "gefiltert.xml": {"series": ["Lesesommer"]},
}
#: Elements that start a line of their own when a browser shows them.
BLOCKS = re.compile(
    r"^(address|article|blockquote|br|dd|div|dl|dt|figcaption|figure|h[1-6]|hr|"
    r"li|ol|p|pre|section|table|td|th|tr|ul)$"
)


def test_every_export_file_here_is_checked_for_its_text():
    assert sorted(p.name for p in FIXTURES.glob("*.xml")) == sorted(EXPORTS)


def shown_text(soup):
    """The text a reader sees: blocks apart, whitespace as one space."""
    for element in soup.find_all(BLOCKS):
        element.insert_before(" ")
        element.insert_after(" ")
    return " ".join(soup.get_text().split())


def import_and_build(name, tmp_path_factory):
    """(export, report, build, content folder) of an export file here."""
    from conftest import Site  # noqa: PLC0415  (a module fixture needs its own Site)

    site = Site(tmp_path_factory.mktemp("import"))
    report = wordpress.import_export(FIXTURES / name, site.content, **EXPORTS[name])
    build = site.build("publishconf.py", SITEURL="https://example.org")
    return wxr.read_export(FIXTURES / name), report, build, site.content


@pytest.fixture(scope="module")
def wxr10(tmp_path_factory):
    return import_and_build("wxr-1.0.xml", tmp_path_factory)


@pytest.fixture(scope="module")
def filtered(tmp_path_factory):
    return import_and_build("gefiltert.xml", tmp_path_factory)


@pytest.fixture(scope="module", params=sorted(EXPORTS))
def roundtrip(request):
    """(export, report, build) of each export file: imported, built once."""
    if request.param == "blog.xml":
        _content, report = request.getfixturevalue("imported")
        return wxr.read_export(BLOG), report, request.getfixturevalue("published")
    fixture = {"wxr-1.0.xml": "wxr10", "gefiltert.xml": "filtered"}[request.param]
    return request.getfixturevalue(fixture)[:3]


class AsImported(wphtml.Resolver):
    """Images as the import left them: copies stay images (no text), the
    ones only the old blog has became links (`Report.external`)."""

    def __init__(self, external):
        self.external, self.linked = external, []

    def image(self, src):
        if src in self.external:
            self.linked.append(src)
            return None
        return src

    def gallery(self, ids):  # the import shows a gallery's images: no text
        return [("bild.jpg", "")]


def test_each_published_post_shows_the_text_the_old_blog_showed(roundtrip):
    """What WordPress showed is what the new page shows, character by character.

    A post without a line in the report keeps exactly the old blog's text;
    one with lines (an embedded video became a link …) keeps every other
    character: the text of the HTML the import wrote Markdown from.
    """
    export, report, build = roundtrip
    built = {
        str(content.metadata.get("wordpress_id")): content
        for content in [*build.context["articles"], *build.context["pages"]]
    }
    external = {url for _where, url in report.external}
    compared = 0
    for item in export.items:
        if item.kind not in {"post", "page"} or item.status != "publish":
            continue
        if item.password or item in export.duplicates:
            continue
        notes, images = [], AsImported(external)
        expected = shown_text(wphtml.prepared(item.html, images, notes))
        if not notes and not images.linked:
            old = BeautifulSoup(wphtml.shown(item.html), "html.parser")
            assert expected == shown_text(old)
        content = built[item.id]
        new = build.html(content.url).find("div", class_="entry-content")
        assert shown_text(new) == expected, item.title
        compared += 1
    assert compared >= 2


def test_inline_semantics_markdown_lacks_stay_html(wxr10):
    _export, _report, build, _content = wxr10
    page = build.html("2009/schraeg/")
    text = page.find("div", class_="entry-content")
    assert text.find("sup").get_text() == "2" and text.find("sub").get_text() == "2"
    assert [e.get_text() for e in text.find_all(["del", "s"])] == [
        "alt",
        "falsch",
        "weg",
    ]
    assert text.find("abbr", title='Stadtbüchereien "Düsseldorf"').get_text() == "SBD"
    for name in ("cite", "q", "kbd", "samp", "var", "dfn", "mark", "small", "u"):
        assert text.find(name), name
    assert text.find("address").find_next_sibling("h2").get_text() == "Öffnungszeiten"
    assert not text.find("code", string=lambda s: s and "backtick here" in s)
    assert build.errors == []


def test_titles_and_names_keep_every_character(wxr10, filtered):
    _export, _report, build, content = wxr10
    fields = header(content / "blog/2009-03-14-schraeg.md")
    assert fields["title"] == "Schräg: A > B <über> C & D"
    assert build.html("2009/schraeg/").h1.get_text() == "Schräg: A > B <über> C & D"
    _export, report, build, content = filtered
    fields = header(content / "lesesommer/2016-07-04-woche-1.md")
    # "<J.>" would be HTML to the site's checks: angle quotes, and a report line
    assert fields["author"] == 'Jo ‹J.› & "Mo" > alle'
    assert 'Im Feld Author stand „Jo <J.> & "Mo" > alle“' in wordpress.as_text(report)
    assert build.html("2016/woche-1/").find(string=re.compile("Jo ‹J.›")).strip() == (
        'Jo ‹J.› & "Mo" > alle'
    )
    assert build.errors == []


def test_comments_keep_every_character(wxr10):
    _export, _report, build, _content = wxr10
    comment = build.html("2009/schraeg/").find("div", class_="comment__text")
    text = " ".join(comment.get_text().split())
    assert text == 'Geht\'s? "Ja" | *sicher* \\o/ -- und [1] ...'


def test_an_old_address_with_a_double_slash_is_redirected(wxr10):
    _export, _report, build, content = wxr10
    fields = header(content / "blog/2009-03-14-schraeg.md")
    assert fields["redirect_from"] == "/2009/03/schraeg/, /?p=10"
    assert (
        "2009/schraeg/"
        in build.html("2009/03/schraeg/").find("meta", attrs={"http-equiv": "refresh"})[
            "content"
        ]
    )


def test_every_form_of_terms_in_wxr_1_0(wxr10):
    _export, report, _build, content = wxr10
    fields = header(content / "blog/2009-03-14-schraeg.md")
    assert fields["category"] == "Geschichten"
    assert fields["tags"] == "Bücher, Krimi"  # no Uncategorized, nothing twice
    said = [message for where, message in report.warnings if where == "Export"]
    assert any("Standardkategorie „Uncategorized“" in m for m in said)
    assert any("Taxonomie „genre“" in m and "Schlagwörter" in m for m in said)
    assert any("Beitragsformat" in m and "Aside" in m for m in said)


def test_an_id_used_twice_is_reported_not_lost_silently(wxr10):
    _export, report, _build, content = wxr10
    assert (content / "blog/2009-03-15-zweimal.md").exists()
    assert not (content / "blog/2009-03-16-doppelt.md").exists()
    assert [what for what, _why in report.refused] == [
        "„Doppelt gezählt“ (WordPress-ID 11)"
    ]
    assert "dieselbe ID" in wordpress.as_text(report)


def test_background_pictures_of_inline_css_are_reported(wxr10):
    _export, report, _build, _content = wxr10
    assert (
        "content/blog/2009-03-14-schraeg.md",
        "Ein Hintergrundbild (CSS im style-Attribut) wurde weggelassen: "
        "http://lesezeichen.example.com/wp-content/uploads/2009/03/papier.jpg",
    ) in report.warnings


def test_terms_only_items_name_make_series(filtered):
    _export, report, build, content = filtered
    assert sorted(title for title, _parts, _new in report.series) == [
        "Lesesommer", "Nachtschicht",
    ]  # fmt: skip
    assert (
        header(content / "nachtschicht/2016-08-05-nachtschicht-1.md")["series_index"]
        == "1"
    )
    assert header(content / "lesesommer/2016-07-11-woche-2.md")["tags"] == "Zertifikat"
    assert build.errors == []


def test_terms_of_a_page_are_reported(filtered):
    _export, report, _build, _content = filtered
    assert (
        "content/pages/mitmachen.md",
        "Seiten haben keine Kategorien und Schlagwörter: „Lesesommer“ fehlt.",
    ) in report.warnings


def test_an_old_address_that_cannot_be_redirected_is_reported(filtered):
    _export, report, _build, content = filtered
    where = "content/nachtschicht/2016-08-02-nachtschicht-2.md"
    assert header(content / where.removeprefix("content/"))["redirect_from"] == (
        "/?p=602"
    )
    assert (
        where,
        "Die alte Adresse „/2016/08/02/nacht schicht,2/“ enthält Leerzeichen oder "
        "Kommas; sie wird nicht weitergeleitet.",
    ) in report.warnings


def test_a_name_for_series_is_looked_for_in_the_items_terms_too(tmp_path):
    with pytest.raises(wxr.Refused) as raised:
        wordpress.import_export(FILTERED, tmp_path, series=["Lesewinter"])
    assert "Meinten Sie „Lesesommer“?" in str(raised.value)
