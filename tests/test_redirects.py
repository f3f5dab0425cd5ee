"""Old addresses (`Redirect_from:`) lead to the new ones: pages and server maps."""

import pytest
from test_live_preview import Live

ENTRY = "2014/erster-tag/"


@pytest.fixture
def site(site):
    site.series("azubitagebuch", "AzubiTagebuch")
    site.write("pages/team.md", {"Title": "Team"}, "Wir.")
    return site


def entry(site, redirect_from, name="erster-tag", title="Erster Tag", **fields):
    return site.entry(
        f"azubitagebuch/2014-05-12-{name}.md",
        title,
        "2014-05-12",
        Series="AzubiTagebuch",
        Redirect_from=redirect_from,
        **fields,
    )


def redirect_of(build, path):
    """(refresh URL, canonical, robots, link text, link href) of a redirect page."""
    page = build.html(path)
    refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
    link = page.find("main").find("a")
    return (
        refresh,
        page.find("link", rel="canonical")["href"],
        page.find("meta", attrs={"name": "robots"})["content"],
        link.get_text(),
        link["href"],
    )


def problems_of_field(build):
    return [p for p in build.found if p.field == "Redirect_from"]


def test_an_old_address_with_umlauts_leads_to_the_entry(site):
    entry(site, "/2014/05/12/%c3%bcber-uns/, /alt/%C3%9Cbung/")

    build = site.build("publishconf.py", SITEURL="https://bib.example")

    assert build.found == []
    for old in ("2014/05/12/über-uns/", "alt/Übung/"):
        assert redirect_of(build, old) == (
            f"0; url=/{ENTRY}",
            f"https://bib.example/{ENTRY}",
            "noindex",
            "Erster Tag",
            f"/{ENTRY}",
        )


def test_the_same_path_in_upper_and_lower_case_encoding_is_one_address(site):
    entry(site, "/alt/%c3%bc/")
    entry(site, "/alt/%C3%BC/", name="zweiter-tag", title="Zweiter Tag")

    build = site.build()

    [problem] = problems_of_field(build)
    assert problem.path.endswith("2014-05-12-zweiter-tag.md")
    assert problem.line == 6  # Title, Date, Author, Summary, Series
    assert problem.severity == "error"
    assert "2014-05-12-erster-tag.md" in problem.message
    assert redirect_of(build, "alt/ü/")[0] == f"0; url=/{ENTRY}"


def test_hierarchical_page_addresses_lead_to_the_page(site):
    site.write(
        "pages/leute.md",
        {"Title": "Leute", "Redirect_from": "/ueber-uns/team/, /ueber-uns/leute"},
        "Alle.",
    )

    build = site.build()

    assert build.found == []
    assert redirect_of(build, "ueber-uns/team/")[0] == "0; url=/leute/"
    # without a trailing slash and a file extension: a folder too
    assert redirect_of(build, "ueber-uns/leute/")[0] == "0; url=/leute/"
    assert not (build.output / "ueber-uns" / "leute").is_file()


def test_a_series_description_can_have_old_addresses(site):
    site.series("hoer-bar", "Hör-Bar", Redirect_from="/category/hoerbar/")
    site.entry("h/1.md", "Ein Hörtipp", "2024-02-01", Series="Hör-Bar")

    build = site.build()

    assert redirect_of(build, "category/hoerbar/")[3:] == (
        "Hör-Bar",
        "/serien/hoer-bar/",
    )


def test_query_addresses_go_into_both_server_maps(site):
    entry(site, "/?p=123, /2014/05/12/%C3%BCber-uns/")
    site.write("pages/leute.md", {"Title": "Leute", "Redirect_from": "/?page_id=45"})

    build = site.build()

    assert build.found == []
    htaccess = (build.output / ".htaccess").read_text("utf-8")
    assert (
        "RewriteCond %{QUERY_STRING} ^p=123$\n"
        f"RewriteRule ^$ /{ENTRY}? [R=301,L,NE]\n"
    ) in htaccess
    assert "RewriteCond %{QUERY_STRING} ^page_id=45$\n" in htaccess
    # Apache matches the decoded path: the bytes of „ü“
    assert (
        f"RewriteRule ^2014/05/12/\\xc3\\xbcber-uns/$ /{ENTRY} [R=301,L,NE]\n"
    ) in htaccess
    nginx = (build.output / "weiterleitungen.nginx.conf").read_text("utf-8")
    assert f'"123" "/{ENTRY}";' in nginx
    assert '"45" "/leute/";' in nginx
    assert f'"/2014/05/12/über-uns/" "/{ENTRY}";' in nginx
    assert not (build.output / "index.html?p=123").exists()


def test_addresses_published_before_are_redirected_as_redirect_from(site):
    """One model: an old address of the content and one a publication kept."""
    entry(site, "/alt/, /?p=5")
    published = [
        # the entry's address before its title changed, and one it claims too
        ("2013/frueher/", "azubitagebuch/2014-05-12-erster-tag.md", "Erster Tag"),
        ("alt/", "pages/team.md", "Team"),
        # a renamed file: found by its title
        ("2012/umbenannt/", "azubitagebuch/weg.md", "Erster Tag"),
    ]

    build = site.build(FORTSETZUNG_PUBLISHED_ADDRESSES=published)

    assert build.found == []
    assert {(r.old.written, r.origin) for r in build.context["redirects"]} == {
        ("/alt/", "Redirect_from"),
        ("/?p=5", "Redirect_from"),
        ("2013/frueher/", "published"),
        ("2012/umbenannt/", "published"),
    }
    htaccess = (build.output / ".htaccess").read_text("utf-8")
    nginx = (build.output / "weiterleitungen.nginx.conf").read_text("utf-8")
    for old in ("alt/", "2013/frueher/", "2012/umbenannt/"):
        assert redirect_of(build, old)[0] == f"0; url=/{ENTRY}"
        assert f"RewriteRule ^{old}$ /{ENTRY} [R=301,L,NE]" in htaccess
        assert f'"/{old}" "/{ENTRY}";' in nginx


def test_a_site_in_a_folder_redirects_into_it(site):
    entry(site, "/?p=7, /alt/")

    build = site.build("publishconf.py", SITEURL="https://bib.example/blog")

    nginx = (build.output / "weiterleitungen.nginx.conf").read_text("utf-8")
    assert f'"/blog/alt/" "/blog/{ENTRY}";' in nginx
    assert '"/blog/" $fortsetzung_redirect_query;' in nginx
    htaccess = (build.output / ".htaccess").read_text("utf-8")
    assert f"RewriteRule ^alt/$ /blog/{ENTRY} [R=301,L,NE]" in htaccess
    assert redirect_of(build, "alt/")[:2] == (
        f"0; url=/blog/{ENTRY}",
        f"https://bib.example/blog/{ENTRY}",
    )


def test_the_server_maps_can_be_switched_off(site):
    entry(site, "/alt/")

    build = site.build(
        FORTSETZUNG_REDIRECTS_HTACCESS_SAVE_AS="",
        FORTSETZUNG_REDIRECTS_NGINX_SAVE_AS="server/redirects.conf",
    )

    assert not (build.output / ".htaccess").exists()
    assert (build.output / "server" / "redirects.conf").is_file()
    assert not (build.output / "weiterleitungen.nginx.conf").exists()


def test_without_old_addresses_no_server_map_is_written(site):
    entry(site, "")

    build = site.build()

    assert not (build.output / ".htaccess").exists()
    assert not (build.output / "weiterleitungen.nginx.conf").exists()


OWN = "hat die Website schon eine eigene Seite"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("/team/", OWN),  # a page
        ("/team", OWN),  # the same page, as a folder
        ("/feeds/alle.atom.xml", OWN),  # a feed
        ("/serien/", OWN),  # the site's own page
        ("/", OWN),  # the home page
        ("/seite/2/", OWN),  # the second page of the home page's list
        ("/Team/", OWN),  # the page, to a file system that ignores case
        ("/tеam/", "kann eine andere Adresse nachahmen"),  # a Cyrillic "е"
        ("/ｔｅａｍ/", "sieht genauso aus wie /team/index.html"),  # fullwidth
        ("/TEAM/index.html", OWN),
        ("/theme/css/main.css", "im Ordner /theme/, in dem die Dateien des Themes"),
        ("/team/index.html/x/", "läge in der Datei /team/index.html"),
    ],
)
def test_an_address_the_site_has_is_an_error(site, value, says):
    for n in range(11):  # two pages of entries on the home page
        site.entry(f"azubitagebuch/{n}.md", f"Teil {n}", "2024-01-01")
    entry(site, value)

    build = site.build()

    [problem] = problems_of_field(build)
    assert problem.line == 6
    assert problem.severity == "error"
    assert says in problem.message
    assert "Redirect_from" in problem.fix
    assert build.html("team/").find("h1").get_text() == "Team"
    assert "umgezogen" not in (build.output / "feeds/alle.atom.xml").read_text()


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("/2014/../../../etwas/", "führt aus der Website hinaus"),
        ("/2014/%2e%2e/%2E%2E/x/", "führt aus der Website hinaus"),
        ("/a/..%5c..%5cx/", "führt aus der Website hinaus"),
        ("/a\\b/", "führt aus der Website hinaus"),
        ("/a%00b/", "führt aus der Website hinaus"),
        ('/a"<b>/', "führt aus der Website hinaus"),
        ("/%ff/", "keine Adresse in UTF-8"),
        ("2014/05/12/hallo/", "beginnt nicht mit „/“"),
        ("https://alt.example/2014/hallo/", "nennt einen Server"),
        ("//alt.example/2014/hallo/", "nennt einen Server"),
        ("/?cat=4", "keine Adresse, die sich weiterleiten lässt"),
        ("/?p=12&x=1", "keine Adresse, die sich weiterleiten lässt"),
        ("/2014/?p=12", "keine Adresse, die sich weiterleiten lässt"),
        ("/alt/#oben", "keine Adresse, die sich weiterleiten lässt"),
    ],
)
def test_a_malformed_address_is_an_error_and_writes_nothing(site, value, says):
    entry(site, value)

    build = site.build()

    [problem] = problems_of_field(build)
    assert problem.line == 6
    assert problem.severity == "error"
    assert says in problem.message
    assert not (build.output / ".htaccess").exists()
    outside = {p.name for p in site.root.iterdir()}
    assert outside <= {"content", build.output.name, "cache"}  # share images


def test_the_entry_s_own_address_is_no_redirect(site):
    entry(site, f"/{ENTRY}, /alt/")

    build = site.build()

    assert build.found == []
    assert build.html(ENTRY).find("h1").get_text() == "Erster Tag"
    assert f"^{ENTRY}$" not in (build.output / ".htaccess").read_text()


def test_drafts_and_scheduled_entries_redirect_nowhere(site):
    entry(site, "/alt/entwurf/, /?p=1", Status="draft")
    entry(site, "/alt/geplant/", name="geplant", title="Geplant", Date="2099-01-01")
    site.series("neu", "Neu", Redirect_from="/alt/neu/")  # no part yet

    for settings in ("pelicanconf.py", "publishconf.py"):
        build = site.build(settings)

        assert not (build.output / "alt").exists()
        assert not (build.output / ".htaccess").exists()
        assert not (build.output / "weiterleitungen.nginx.conf").exists()


def test_a_draft_s_malformed_address_is_a_warning(site):
    entry(site, "/../x/", Status="draft")

    [problem] = problems_of_field(site.build())

    assert problem.severity == "warning"


def test_redirect_pages_are_in_no_sitemap_feed_or_list(site):
    entry(site, "/alt/hallo/")

    build = site.build("publishconf.py", SITEURL="https://bib.example")

    assert (build.output / "alt/hallo/index.html").is_file()
    for path in (
        "sitemap.xml",
        "feeds/alle.atom.xml",
        "index.html",
        "archiv/index.html",
    ):
        assert "alt/hallo" not in (build.output / path).read_text("utf-8"), path


def test_a_link_to_an_old_address_leads_somewhere(site):
    entry(site, "/alt/hallo/")
    site.write("pages/leute.md", {"Title": "Leute"}, "Siehe [den Tag](/alt/hallo/).")

    assert site.build().found == []


def test_the_preview_serves_redirects_as_a_fresh_build(site, tmp_path):
    entry(site, "/alt/%C3%BC/, /?p=5")
    live = Live(site, tmp_path)
    try:
        live.build()
        live.assert_as_fresh()
        status, _kind, body = live.get("/alt/%c3%bc/")
        assert (status, b"0; url=/2014/erster-tag/" in body) == (200, True)
        status, _kind, body = live.get("/.htaccess")
        assert (status, b"^p=5$" in body) == (200, True)
    finally:
        live.preview.close()
