"""`python3 dev.py publish` and `gh-pages` against a local bare repository.

Every test works in tmp_path: a content folder, output/, a work repository
whose remote `origin` is a bare repository. Nothing touches the project's own
git repository, its output/ or its branches.
"""

import hashlib
import re
import shutil
import subprocess
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, Site, run_task
from filelock import FileLock
from invoke import Context, Exit

import tasks
from sitetools import folders, runner
from sitetools import publish as publishing

UNCHANGED = "output/ und die veröffentlichte Seite sind unverändert."
SITEURL = "https://stadtbuechereien-duesseldorf.example"


def set_git_environment(monkeypatch, folder):
    """Git works on a bare CI machine and sees nothing of the user's setup."""
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "SITEURL"):
        monkeypatch.delenv(name, raising=False)
    for name in publishing.DEFAULTS:
        monkeypatch.delenv(name, raising=False)
    config = folder / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n", "utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Lena K.")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "lena@example.org")


@pytest.fixture(autouse=True)
def git_environment(tmp_path, monkeypatch):
    set_git_environment(monkeypatch, tmp_path)


def git(cwd, *args):
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


class Project:
    """Content, output/, a work repository and its remote, all in tmp_path."""

    def __init__(self, root):
        self.site = Site(root)
        self.content = self.site.content
        self.output = root / "output"
        self.bare = root / "site.git"
        self.repo = root / "work"

    @classmethod
    def create(cls, root):
        project = cls(root)
        git(root, "init", "--quiet", "--bare", str(project.bare))
        project.repo.mkdir()
        git(project.repo, "init", "--quiet")
        git(project.repo, "remote", "add", "origin", str(project.bare))
        git(project.repo, "commit", "--quiet", "--allow-empty", "-m", "Anfang")
        project.site.series("azubitagebuch", "AzubiTagebuch")
        project.entry("2024-01-01-erster-tag.md", "Erster Tag", "2024-01-01")
        return project

    def entry(self, name, title, date, series="AzubiTagebuch"):
        self.site.entry(f"azubitagebuch/{name}", title, date, Series=series)

    def paths(self):
        return {
            "content": str(self.content),
            "output": str(self.output),
            "repo": str(self.repo),
        }

    def publish(self, **options):
        tasks.publish(Context(), **self.paths(), **options)

    def gh_pages(self, **options):
        paths = self.paths()
        del paths["content"]
        tasks.gh_pages(Context(), **paths, **options)

    def branch(self, name="gh-pages"):
        """The commit of `name` in the bare repository, or None."""
        found = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{name}"],
            cwd=self.bare,
            capture_output=True,
            text=True,
            check=False,
        )
        return found.stdout.strip() or None

    def deployed_files(self, name="gh-pages"):
        return set(git(self.bare, "ls-tree", "-r", "--name-only", name).splitlines())

    def leftovers(self):
        return sorted(p.name for p in self.output.parent.glob("output.*"))


@pytest.fixture
def project(tmp_path):
    return Project.create(tmp_path)


def snapshot(folder):
    """Every file below `folder` with a hash of its bytes."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).digest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def published_once(tmp_path_factory):
    root = tmp_path_factory.mktemp("published")
    with pytest.MonkeyPatch.context() as monkeypatch:
        set_git_environment(monkeypatch, root)
        Project.create(root).publish()
    return root


@pytest.fixture
def published(published_once, tmp_path):
    """A project that has been published once; the state failures must keep.

    Publishing once for the module and copying saves a build per test.
    """
    shutil.copytree(published_once, tmp_path, symlinks=True, dirs_exist_ok=True)
    project = Project(tmp_path)
    git(project.repo, "remote", "set-url", "origin", str(project.bare))
    return project


# -- success -----------------------------------------------------------------


def test_publish_builds_swaps_in_and_deploys(project, capsys):
    project.publish()

    assert (project.output / "2024/erster-tag/index.html").is_file()
    assert (project.output / publishing.STAMP).is_file()
    assert not (project.output / "drafts").exists()
    mode = project.output.stat().st_mode & 0o777
    assert mode == 0o777 & ~runner.current_umask()  # not mkdtemp's 0700
    files = project.deployed_files()
    assert {"index.html", ".nojekyll", "2024/erster-tag/index.html"} <= files
    assert "CNAME" not in files
    head = git(project.repo, "rev-parse", "--short", "HEAD")
    message = git(project.bare, "log", "-1", "--format=%s", "gh-pages")
    assert message == f"Seite veröffentlicht aus {head}"
    assert project.leftovers() == []
    said = capsys.readouterr().out
    assert "Alles in Ordnung" in said  # the check ran first
    assert "Gebaut: output/ enthält die neue Seite." in said
    commit = project.branch()[:7]
    assert f"Veröffentlicht: output/ nach origin/gh-pages (Commit {commit})." in said


def test_publish_again_replaces_output_and_follows_the_published_commit(published):
    first = published.branch()
    published.entry("2024-02-01-zweiter-tag.md", "Zweiter Tag", "2024-02-01")
    (published.content / "azubitagebuch/2024-01-01-erster-tag.md").unlink()

    published.publish(cname="fortsetzung.example", message="Zweiter Tag")

    assert (published.output / "2024/zweiter-tag/index.html").is_file()
    assert not (published.output / "2024/erster-tag").exists()
    files = published.deployed_files()
    assert "2024/zweiter-tag/index.html" in files
    assert "2024/erster-tag/index.html" not in files
    cname = git(published.bare, "show", "gh-pages:CNAME")
    assert cname == "fortsetzung.example"
    assert git(published.bare, "rev-parse", "gh-pages~1") == first
    assert git(published.bare, "log", "-1", "--format=%s", "gh-pages") == "Zweiter Tag"
    assert published.leftovers() == []


def test_publish_follows_a_deploy_from_another_machine(published, tmp_path):
    """The branch is fetched before the commit, so the push is a fast-forward."""
    other = tmp_path / "other"
    git(tmp_path, "clone", "--quiet", str(published.bare), str(other))
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(published.output, elsewhere)
    tasks.gh_pages(Context(), output=str(elsewhere), repo=str(other), message="B")
    theirs = published.branch()

    published.entry("2024-02-01-zweiter-tag.md", "Zweiter Tag", "2024-02-01")
    published.publish()

    assert git(published.bare, "rev-parse", "gh-pages~1") == theirs


def test_no_deploy_only_builds(project, capsys):
    project.publish(deploy=False)

    assert (project.output / "2024/erster-tag/index.html").is_file()
    assert project.branch() is None
    said = capsys.readouterr().out
    assert "Nicht hochgeladen (--no-deploy)" in said


# -- failures leave output/ and the published site as they were ---------------


def assert_untouched(project, before, ref):
    assert snapshot(project.output) == before
    assert project.branch() == ref
    assert project.leftovers() == []


def test_a_failing_check_changes_nothing(published, capsys):
    before, ref = snapshot(published.output), published.branch()
    published.entry("2024-02-01-zweiter-tag.md", "Zweiter Tag", "2024-02-01")
    published.entry("2024-03-01-falsch.md", "Falsch", "2024-03-01", "Unbekannt")

    with pytest.raises(Exit) as failed:
        published.publish()

    assert failed.value.code == 1
    assert failed.value.message == (
        f"Nicht veröffentlicht: Die Prüfung hat Fehler gefunden (siehe oben). {UNCHANGED}"
    )
    assert "Unbekannt" in capsys.readouterr().out  # the check's report
    assert_untouched(published, before, ref)


def broken_settings(tmp_path):
    """publishconf.py with a theme whose base template cannot be compiled."""
    theme = tmp_path / "broken-theme"
    shutil.copytree(ROOT / "themes" / "fortsetzung", theme)
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text("utf-8") + "{{ 1 | kein_filter }}\n", "utf-8")
    settings = tmp_path / "brokenconf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from publishconf import *\n"
        f"THEME = {str(theme)!r}\n",
        "utf-8",
    )
    return settings


def test_a_failing_build_after_a_passing_check_changes_nothing(
    published, tmp_path, capfd
):
    before, ref = snapshot(published.output), published.branch()
    published.entry("2024-02-01-zweiter-tag.md", "Zweiter Tag", "2024-02-01")

    with pytest.raises(Exit) as failed:
        published.publish(settings=str(broken_settings(tmp_path)))

    assert failed.value.code == 1
    assert failed.value.message == (
        f"Nicht veröffentlicht: Der Bau ist fehlgeschlagen (siehe oben). {UNCHANGED}"
    )
    said = capfd.readouterr()
    assert "Alles in Ordnung" in said.out  # the check passed
    assert "kein_filter" in said.out + said.err  # Pelican said why
    assert_untouched(published, before, ref)


def test_a_build_that_raises_changes_nothing(published, monkeypatch):
    before, ref = snapshot(published.output), published.branch()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl+C in the middle of the build

    monkeypatch.setattr(runner, "run_pelican", crash)
    with pytest.raises(KeyboardInterrupt):
        published.publish()
    monkeypatch.undo()

    assert_untouched(published, before, ref)


def test_a_failed_swap_puts_the_old_output_back(tmp_path, monkeypatch):
    output, fresh = tmp_path / "output", tmp_path / "output.new-abc"
    for folder, text in ((output, "alt"), (fresh, "neu")):
        folder.mkdir()
        (folder / "index.html").write_text(text, "utf-8")
    rename = type(fresh).rename

    def failing(self, target):
        if self == fresh:
            raise OSError("Festplatte voll")
        return rename(self, target)

    monkeypatch.setattr(type(fresh), "rename", failing)
    with pytest.raises(runner.BuildError, match="Festplatte voll"):
        runner.swap_in(fresh, output)

    assert (output / "index.html").read_text("utf-8") == "alt"
    assert not (tmp_path / "output.old-abc").exists()


def test_a_swap_that_cannot_put_the_old_output_back_says_where_it_is(
    tmp_path, monkeypatch
):
    output, fresh = tmp_path / "output", tmp_path / "output.new-abc"
    for folder in (output, fresh):
        folder.mkdir()
    old = tmp_path / "output.old-abc"
    rename = type(fresh).rename

    def failing(self, target):
        if self in {fresh, old}:
            raise OSError("Festplatte voll")
        return rename(self, target)

    monkeypatch.setattr(type(fresh), "rename", failing)
    with pytest.raises(runner.OutputMoved) as failed:
        runner.swap_in(fresh, output)

    assert f"es liegt jetzt in {old}." in str(failed.value)
    assert not failed.value.output_unchanged
    assert old.is_dir()


def test_a_swap_replaces_output_and_removes_the_old_one(tmp_path):
    output, fresh = tmp_path / "output", tmp_path / "output.new-abc"
    for folder, text in ((output, "alt"), (fresh, "neu")):
        folder.mkdir()
        (folder / "index.html").write_text(text, "utf-8")

    runner.swap_in(fresh, output)

    assert (output / "index.html").read_text("utf-8") == "neu"
    assert sorted(p.name for p in tmp_path.glob("output*")) == ["output"]


# -- deploy failures -----------------------------------------------------------


def test_a_failing_deploy_keeps_the_new_site_and_says_how_to_retry(published):
    ref = published.branch()
    moved = published.bare.rename(published.bare.with_name("weg.git"))
    published.entry("2024-02-01-zweiter-tag.md", "Zweiter Tag", "2024-02-01")

    with pytest.raises(Exit) as failed:
        published.publish()

    assert failed.value.code == 1
    message = failed.value.message.splitlines()
    assert message[0] == (
        "Nicht veröffentlicht: Das Hochladen nach origin/gh-pages ist fehlgeschlagen."
    )
    assert message[1] == "git ls-remote meldet:"
    assert message[2].startswith("  fatal: ")  # git's own words
    assert message[-2:] == [
        "output/ ist gebaut; die veröffentlichte Seite ist unverändert.",
        "Nochmal hochladen, ohne neu zu bauen: python3 dev.py gh-pages",
    ]
    assert (published.output / "2024/zweiter-tag/index.html").is_file()
    assert published.leftovers() == []

    moved.rename(published.bare)  # the remote is back: retry as told
    assert published.branch() == ref
    published.gh_pages()
    assert "2024/zweiter-tag/index.html" in published.deployed_files()


def test_a_missing_remote_is_named(published):
    git(published.repo, "remote", "remove", "origin")

    with pytest.raises(Exit) as failed:
        published.gh_pages(branch="pages")

    message = failed.value.message
    assert "kennt kein Remote „origin“" in message
    assert "git remote add origin <URL>" in message
    assert message.endswith("python3 dev.py gh-pages --branch pages")


def test_a_rejected_push_changes_nothing(published, tmp_path, monkeypatch):
    """Someone pushed in between; without --force the push is refused."""
    other = tmp_path / "other"
    git(tmp_path, "clone", "--quiet", str(published.bare), str(other))
    git(other, "checkout", "--quiet", "gh-pages")
    git(other, "commit", "--quiet", "--allow-empty", "-m", "dazwischen")
    real = publishing.git

    def push_after_them(repo, *args):
        if args[0] == "push":  # their push lands after our fetch
            git(other, "push", "--quiet", "origin", "gh-pages")
        return real(repo, *args)

    monkeypatch.setattr(publishing, "git", push_after_them)
    with pytest.raises(Exit) as failed:
        published.gh_pages()

    assert "\ngit push meldet:\n  " in failed.value.message
    assert git(published.bare, "log", "-1", "--format=%s", "gh-pages") == "dazwischen"


# -- gh-pages deploys only what publish built ----------------------------------


def test_gh_pages_refuses_a_preview_build(project):
    project.site.build(output=project.output)  # like `python3 dev.py build`

    with pytest.raises(Exit) as failed:
        project.gh_pages()

    assert failed.value.message.startswith(
        "Nicht veröffentlicht: output/ stammt nicht aus `python3 dev.py publish`"
    )
    assert project.branch() is None


def test_gh_pages_refuses_an_output_changed_since_publish(published):
    ref = published.branch()
    (published.output / "index.html").write_text("kaputt", "utf-8")

    with pytest.raises(Exit) as failed:
        published.gh_pages()

    assert "output/ wurde verändert" in failed.value.message
    assert published.branch() == ref


def test_gh_pages_refuses_a_missing_output(project):
    with pytest.raises(Exit) as failed:
        project.gh_pages()

    assert failed.value.message == (
        "Nicht veröffentlicht: output/ gibt es nicht. "
        "Erst neu bauen und veröffentlichen: python3 dev.py publish."
    )


# -- where the site goes ------------------------------------------------------------


def test_target_options_win_over_environment_over_settings(tmp_path):
    settings = tmp_path / "conf.py"
    settings.write_text(
        'DEPLOY_REMOTE = "github"\nDEPLOY_BRANCH = "pages"\n'
        'DEPLOY_CNAME = "a.example"\n',
        "utf-8",
    )
    environ = {"DEPLOY_BRANCH": "site"}

    target = publishing.deploy_target(settings, cname="b.example", environ=environ)

    assert target == publishing.Target("github", "site", "b.example")
    assert str(target) == "github/site"
    assert target.retry() == "python3 dev.py gh-pages --remote github --branch site"


def test_target_defaults_with_the_project_settings():
    target = publishing.deploy_target(ROOT / "publishconf.py", environ={})

    assert target == publishing.Target("origin", "gh-pages", "")
    assert target.retry() == "python3 dev.py gh-pages"


def test_the_options_on_the_command_line():
    def task_help(name):
        result = run_task("--help", name, PYTHONUTF8="1")
        assert result.returncode == 0, result.stderr
        return result.stdout

    publish_help, deploy_help = task_help("publish"), task_help("gh-pages")
    for option in ("--remote", "--branch", "--message", "--cname", "--force"):
        assert option in publish_help
        assert option in deploy_help
    assert "--[no-]deploy" in publish_help


# -- published addresses never vanish silently ------------------------------------


def retitle(project, name, title):
    path = project.content / "azubitagebuch" / name
    text = path.read_text("utf-8")
    path.write_text(
        re.sub(r"^Title: .*$", f"Title: {title}", text, count=1, flags=re.M)
    )


def redirect_target(page):
    """Where a redirect page leads (with SITEURL): refresh, canonical, link agree."""
    html = BeautifulSoup(page.read_text("utf-8"), "lxml")
    refresh = html.find("meta", attrs={"http-equiv": "refresh"})["content"]
    canonical = html.find("link", rel="canonical")["href"]
    link = html.find("main").find("a")["href"]
    assert refresh == f"0; url={link}"
    assert canonical == f"{SITEURL}{link}"
    assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    return canonical


def server_maps(output):
    """The targets of the old paths in the .htaccess and the nginx map of a site."""
    htaccess = re.findall(
        r"^RewriteRule \^(\S+)\$ (\S+) \[R=301",
        (output / ".htaccess").read_text(),
        re.M,
    )
    nginx = re.findall(
        r'^    "/([^"]+)" "([^"]+)";$',
        (output / "weiterleitungen.nginx.conf").read_text(),
        re.M,
    )
    return dict(htaccess), dict(nginx)


def test_a_changed_title_redirects_from_the_old_address(published, capsys):
    retitle(published, "2024-01-01-erster-tag.md", "Mein allererster Tag")
    capsys.readouterr()

    published.publish()

    old = published.output / "2024/erster-tag/index.html"
    assert redirect_target(old) == f"{SITEURL}/2024/mein-allererster-tag/"
    assert (published.output / "2024/mein-allererster-tag/index.html").is_file()
    assert "2024/erster-tag/index.html" in published.deployed_files()
    said = capsys.readouterr().out
    assert "Weitergeleitet: /2024/erster-tag/ → /2024/mein-allererster-tag/" in said

    # the redirect stays, and follows the entry to its newest address
    retitle(published, "2024-01-01-erster-tag.md", "Der erste Tag")
    published.publish()
    for old in ("2024/erster-tag", "2024/mein-allererster-tag"):
        page = published.output / old / "index.html"
        assert redirect_target(page) == f"{SITEURL}/2024/der-erste-tag/"
    published.publish()  # nothing changed: the redirects are still there
    assert "2024/erster-tag/index.html" in published.deployed_files()
    assert "Weitergeleitet" not in capsys.readouterr().out.split("Gebaut:")[-1]
    # the server maps redirect the old addresses as well (one model, one writer)
    new = "/2024/der-erste-tag/"
    olds = {"2024/erster-tag/": new, "2024/mein-allererster-tag/": new}
    assert server_maps(published.output) == (olds, olds)
    assert {".htaccess", "weiterleitungen.nginx.conf"} <= published.deployed_files()


def test_an_address_that_would_vanish_is_named(published, capsys):
    (published.content / "azubitagebuch/2024-01-01-erster-tag.md").unlink()
    published.entry("2024-02-01-zweiter-tag.md", "Zweiter Tag", "2024-02-01")
    capsys.readouterr()

    published.publish()

    said = capsys.readouterr().out
    assert "Achtung: Diese Adressen waren veröffentlicht" in said
    assert "  /2024/erster-tag/\n" in said
    assert "2024/erster-tag/index.html" not in published.deployed_files()


@pytest.mark.parametrize(
    "old",
    [
        "_redirects",  # a host's settings
        ".htaccess",
        "CNAME",
        "feeds",  # a folder of the new site
        "feeds/alle.atom.xml/x/",  # inside a file of the new site
        "Index.html",  # the home page, to a file system that ignores case
        "serіen/",  # the series' page, with a Cyrillic "і"
        "ｓｅｒｉｅｎ/",  # … in fullwidth letters
        "../../etwas/",  # outside the site
        "2024/%2e%2e/%2E%2E/%2e%2e/x/",
        "2024/eins/index.html/",  # the entry's own page, as a folder
    ],
)
def test_a_remembered_address_gets_a_redirect_only_where_content_may_be(tmp_path, old):
    """A stamp from before the gate (or edited on the branch) is judged anew."""
    site = Site(tmp_path)
    site.series("azubitagebuch", "AzubiTagebuch")
    site.entry("azubitagebuch/1.md", "Eins", "2024-01-01", Series="AzubiTagebuch")
    before = publishing.Addresses(pages={old: "azubitagebuch/1.md"})

    build = site.build(
        "publishconf.py",
        SITEURL=SITEURL,
        FORTSETZUNG_PUBLISHED_ADDRESSES=publishing.published_addresses(before),
    )

    assert build.found == []
    assert build.context["redirects"] == []
    assert not (build.output / ".htaccess").exists()
    assert publishing.kept_addresses(build.output, build.context, before).moved == {}


def test_a_renamed_series_redirects_its_page_and_names_its_feeds(published, capsys):
    series = published.content / "series/azubitagebuch.md"
    series.rename(series.with_name("azubi-tagebuch.md"))
    capsys.readouterr()

    published.publish()

    page = published.output / "serien/azubitagebuch/index.html"
    assert redirect_target(page) == f"{SITEURL}/serien/azubi-tagebuch/"
    said = capsys.readouterr().out
    assert "  /feeds/serie/azubitagebuch.atom.xml\n" in said


def test_addresses_are_remembered_without_a_deploy(project, capsys):
    project.publish(deploy=False)
    runner.build(ROOT / "pelicanconf.py", project.content, project.output)  # `build`
    retitle(project, "2024-01-01-erster-tag.md", "Neuer Titel")

    project.publish(deploy=False)

    page = project.output / "2024/erster-tag/index.html"
    assert redirect_target(page) == f"{SITEURL}/2024/neuer-titel/"


# -- one publish at a time, nothing left behind, a linked output/ stays linked -----


def test_a_publish_while_another_build_runs_changes_nothing(published):
    before, ref = snapshot(published.output), published.branch()
    published.entry("2024-02-01-zweiter-tag.md", "Zweiter Tag", "2024-02-01")

    lock = FileLock(published.output.with_name(".output.lock"))
    with lock, pytest.raises(Exit) as failed:
        published.publish()

    assert failed.value.message.startswith(
        "Nicht veröffentlicht: Gerade baut schon ein anderer Befehl nach output/"
    )
    assert failed.value.message.endswith(UNCHANGED)
    assert_untouched(published, before, ref)


def test_what_an_interrupted_publish_left_is_cleaned_up(published):
    for leftover in ("output.new-abc123", "output.old-def456"):
        (published.output.parent / leftover / "2024").mkdir(parents=True)
        folders.mark(published.output.parent / leftover)  # as every build does

    published.publish()

    assert published.leftovers() == []
    assert (published.output / "index.html").is_file()


def test_an_output_lost_between_two_renames_is_put_back_first(published):
    old = published.output.rename(published.output.with_name("output.old-abc123"))
    (old / "marker.txt").write_text("alt", "utf-8")
    before = snapshot(old)
    published.entry("2024-03-01-falsch.md", "Falsch", "2024-03-01", "Unbekannt")

    with pytest.raises(Exit):
        published.publish()  # fails on the content: output/ must be the old one

    assert snapshot(published.output) == before
    assert published.leftovers() == []


def test_a_linked_output_stays_a_link_to_the_new_site(project, tmp_path):
    webroot = tmp_path / "www" / "fortsetzung"
    folders.mark(webroot)  # a site built there before
    (webroot / "alt.html").write_text("alt", "utf-8")
    project.output.symlink_to(webroot, target_is_directory=True)

    project.publish()

    assert project.output.is_symlink()
    assert project.output.resolve() == webroot
    assert (webroot / "2024/erster-tag/index.html").is_file()
    assert not (webroot / "alt.html").exists()
    assert "2024/erster-tag/index.html" in project.deployed_files()
    assert sorted(p.name for p in webroot.parent.iterdir()) == [
        ".fortsetzung.lock",
        ".fortsetzung.published.json",
        "fortsetzung",
    ]


def test_gh_pages_without_git_says_so_and_deploys_nothing(published, monkeypatch):
    ref = published.branch()
    monkeypatch.setenv("PATH", str(published.repo))  # no git there

    with pytest.raises(Exit) as failed:  # not FileNotFoundError
        published.gh_pages()

    assert failed.value.message.startswith("Nicht veröffentlicht")
    assert "git lässt sich nicht ausführen" in failed.value.message
    monkeypatch.undo()
    assert published.branch() == ref


# -- publishing on a timer (--if-due) -------------------------------------------------


def test_if_due_publishes_nothing_when_nothing_changed(published, capsys):
    first = published.branch()
    published.publish(if_due=True)

    assert published.branch() == first
    assert "Nichts zu veröffentlichen" in capsys.readouterr().out


def test_if_due_publishes_a_change(published, capsys):
    first = published.branch()
    published.entry("2024-02-01-zweiter-tag.md", "Zweiter Tag", "2024-02-01")
    published.publish(if_due=True)

    assert published.branch() != first
    assert "2024/zweiter-tag/index.html" in published.deployed_files()
    assert "Der Inhalt hat sich" in capsys.readouterr().out


def test_if_due_publishes_a_part_on_its_day(project, capsys):
    berlin = ZoneInfo("Europe/Berlin")
    soon = datetime.now(berlin).replace(microsecond=0) + timedelta(seconds=8)
    project.entry("bald.md", "Bald", f"{soon:%Y-%m-%d %H:%M:%S}")
    project.publish()
    first = project.branch()
    assert f"{soon:%Y}/bald/index.html" not in project.deployed_files()
    project.publish(if_due=True)  # not yet: nothing to do
    assert project.branch() == first
    assert f"Der nächste ist für {soon:%d.%m.%Y, %H:%M} Uhr geplant." in (
        capsys.readouterr().out
    )

    while datetime.now(berlin) <= soon:  # the day has come
        time.sleep(0.2)
    project.publish(if_due=True)

    assert project.branch() != first
    assert f"{soon:%Y}/bald/index.html" in project.deployed_files()
    assert "Ein geplanter Beitrag ist fällig" in capsys.readouterr().out
