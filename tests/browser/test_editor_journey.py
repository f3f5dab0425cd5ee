"""The trainee's and the trainer's journey through the browser editor, in Chromium.

A temporary clone of this repository runs the live preview with its editor
(as `python3 dev.py livereload` does): a trainee opens /admin/, writes part
N of AzubiTagebuch with a picture and its description, and saves; the
trainer moves it to "Bereit" and publishes it; the live preview then shows
it on the series page as "Teil N von N". Every request the editor makes
goes to the preview itself. Screenshots of the way go to
test-artifacts/screenshots/editor-*.png (the guides show them).
"""

import json
import shutil
import subprocess
import threading
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, png

from sitetools import decap, runner, scaffold
from sitetools import editor as editing
from sitetools import preview as previewing

from .conftest import missing

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-artifacts" / "screenshots"
TRAINEE = "Lena K."


def git(root, *args):
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout


class Workshop:
    """A clone of the project with its live preview and editor running."""

    def __init__(self, root, work):
        self.root = root
        git(ROOT, "rev-parse", "HEAD")
        subprocess.run(
            ["git", "clone", "--quiet", "--shared", str(ROOT), str(root)], check=True
        )
        git(root, "config", "user.name", TRAINEE)
        git(root, "config", "user.email", "lena.k@example.org")
        self.content = root / "content"
        self.preview = previewing.Preview(root / "pelicanconf.py", self.content, work)
        self.preview.build()
        settings = scaffold.site_settings(root / "pelicanconf.py")
        self.editor = editing.Editor(root, settings, self.content, self.preview)
        self.server = previewing.serve(self.preview, "127.0.0.1", 0, self.editor)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.stop = threading.Event()
        self.builds = []
        self.watcher = threading.Thread(
            target=previewing.watch,
            args=(
                self.preview,
                [self.content],
                root,
                self.stop,
                lambda result, seconds: self.builds.append(result),
            ),
            daemon=True,
        )
        self.watcher.start()

    def close(self):
        self.stop.set()
        self.watcher.join(10)
        self.server.stop()
        self.preview.close()

    def branches(self):
        return git(self.root, "branch", "--list", "cms/*", "--format=%(refname:short)").split()

    def get(self, path):
        with urllib.request.urlopen(f"{self.url}{path}") as answer:
            return answer.read().decode()


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    if not decap.installed():
        missing("Decap CMS (the browser editor)", "python3 dev.py livereload")
    root = tmp_path_factory.mktemp("editor") / "blog"
    found = Workshop(root, tmp_path_factory.mktemp("editor-work"))
    yield found
    found.close()


@pytest.fixture(scope="module")
def context(browser, workshop):
    """A German browser that records every request and reaches nothing else."""
    context = browser.new_context(
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 1300, "height": 900},
        service_workers="block",
    )
    context.requests = []
    context.on("request", lambda request: context.requests.append(request.url))
    context.route(
        lambda url: not url.startswith((workshop.url, "data:", "blob:", "about:")),
        lambda route: route.abort("blockedbyclient"),
    )
    yield context
    context.close()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"editor-{name}.png")


def open_editor(context, workshop, where=""):
    page = context.new_page()
    page.goto(f"{workshop.url}/admin/{where}")
    login = page.get_by_role("button", name="Editor öffnen")
    if login.count() or where == "":
        login.click()
    return page


def wait_for_toast(page, text):
    page.get_by_text(text).first.wait_for(timeout=20_000)


def test_a_trainee_writes_a_part_and_the_trainer_publishes_it(context, workshop, tmp_path):
    content = workshop.content
    series = scaffold.find_series(content, "AzubiTagebuch", scaffold.site_settings())
    part = scaffold.next_index(content, series, scaffold.site_settings())
    main_before = git(workshop.root, "rev-parse", "HEAD")

    page = open_editor(context, workshop)
    page.get_by_role("link", name="AzubiTagebuch").first.wait_for()
    shot(page, "uebersicht")
    page.goto(f"{workshop.url}/admin/#/collections/azubitagebuch/new")
    page.get_by_label("Titel").fill("Mein Tag im Magazin")
    assert page.get_by_label("Teil").input_value() == str(part)  # proposed
    page.get_by_label("Zusammenfassung").fill(
        "Wie Bücher aus dem Magazin in die Ausleihe kommen."
    )
    body = page.locator("[data-slate-editor]")
    body.click()
    page.keyboard.type("Heute habe ich im Magazin Bücher für die Ausleihe geholt.")

    # a picture, uploaded and described
    picture = tmp_path / "Regal im Magazin.png"
    picture.write_bytes(png(40, 30))
    page.get_by_role("button", name="Bild").first.click()
    ...  # filled in once the flow is known
    shot(page, "neuer-beitrag")
    page.get_by_role("button", name="Speichern").click()
    wait_for_toast(page, "Beitrag gespeichert")

    # a branch with one commit by the trainee; the working tree unchanged
    [branch] = workshop.branches()
    assert git(workshop.root, "rev-parse", "HEAD") == main_before
    log = git(workshop.root, "log", "--format=%an|%s", f"{main_before}..{branch}")
    assert log.count("\n") == 1
    assert log.startswith(f"{TRAINEE}|Neu: ")
    files = git(workshop.root, "diff", "--name-only", main_before, branch).split()
    [entry] = [f for f in files if f.endswith(".md")]
    assert entry.startswith("content/azubitagebuch/")
    assert git(workshop.root, "status", "--porcelain") == ""

    # the trainer: Bereit, then publish
    page.get_by_role("button", name="Status: Entwurf").click()
    page.get_by_role("menuitem", name="Bereit").click()
    wait_for_toast(page, "Beitragsstatus aktualisiert")
    page.get_by_role("button", name="Veröffentlichen").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("menuitem", name="Jetzt veröffentlichen").click()
    wait_for_toast(page, "veröffentlicht")
    assert workshop.branches() == []
    assert (workshop.root / entry).is_file()
    problems, _messages = runner.run_checks(workshop.root / "pelicanconf.py", content)
    assert [p for p in problems if p.severity == "error"] == []

    # the live preview shows it on the series page
    page.goto(f"{workshop.url}/serie/azubitagebuch/")
    ...
    assert_only_local(context, workshop)


def assert_only_local(context, workshop):
    foreign = [
        url
        for url in context.requests
        if not url.startswith((workshop.url, "data:", "blob:", "about:"))
    ]
    assert foreign == []


def test_a_page_of_another_origin_cannot_write(context, workshop, tmp_path):
    ...
