"""The trainee's and the trainer's journey through the browser editor, in Chromium.

A temporary clone of this repository runs the live preview with its editor
(as `python3 dev.py livereload` does): a trainee opens /admin/, writes part
N of AzubiTagebuch with a picture and its description, and saves; the
trainer moves it to "Bereit" and publishes it; the live preview then shows
it on the series page as "Teil N von N". Every request the editor makes
goes to the preview itself. Screenshots of the way go to
test-artifacts/screenshots/editor-*.png (the guides show them).
"""

import re
import shutil
import subprocess
import threading
import urllib.request

import pytest
from conftest import ROOT, png, run_task

from sitetools import decap, scaffold
from sitetools import editor as editing
from sitetools import preview as previewing

from .conftest import missing, serving

# A group of its own under pytest-xdist (conftest.py): it runs beside the
# other browser tests, not after them (the package's browser is started in
# whichever process runs it, and ends with the package there).
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("editor-journey")]

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
        subprocess.run(
            ["git", "clone", "--quiet", "--shared", str(ROOT), str(root)], check=True
        )
        git(root, "checkout", "-q", "-B", "main")  # a branch, if CI's HEAD is detached
        git(root, "config", "user.name", TRAINEE)
        git(root, "config", "user.email", "lena.k@example.org")
        self.content = root / "content"
        self.preview = previewing.Preview(root / "pelicanconf.py", self.content, work)
        self.preview.build()
        self.editor = editing.Editor.of(root, self.preview)
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
        return git(
            self.root, "branch", "--list", "cms/*", "--format=%(refname:short)"
        ).split()

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
    """Open the editor (its login: one click, there is no account locally)."""
    page = context.new_page()
    page.goto(f"{workshop.url}/admin/")
    login = page.get_by_role("button", name="Editor öffnen")
    sidebar = page.get_by_role("link", name="AzubiTagebuch").first
    login.or_(sidebar).first.wait_for()
    if login.count():  # once per browser: Decap remembers it
        login.click()
    sidebar.wait_for()
    if where:
        page.goto(f"{workshop.url}/admin/#/{where}")
    return page


def toast(page, text):
    """Wait for Decap's message containing `text`; return all it says."""
    found = page.locator("[class*=toast], [role=alert]").filter(has_text=text).first
    found.wait_for(timeout=30_000)
    return found.inner_text()


def choose(page, label, option):
    page.get_by_label(label).first.click()
    page.get_by_text(option, exact=False).first.click()


def new_part(page, workshop, title, summary=None, text=None):
    """Fill in a new part of AzubiTagebuch (what is not given stays as `new` has it)."""
    page.goto(f"{workshop.url}/admin/#/collections/azubitagebuch/new")
    page.get_by_label("Titel").fill(title)
    if summary is not None:
        page.get_by_label("Zusammenfassung").fill(summary)
    if text is not None:
        page.locator("[data-slate-editor]").fill(text)
    choose(page, "Status", "veröffentlicht (oder geplant")


def save(page):
    page.get_by_role("button", name="Speichern").click()
    toast(page, "Beitrag gespeichert")


def make_ready(page):
    page.get_by_role("button", name="Status: Entwurf").click()
    page.get_by_role("menuitem", name="Bereit").click()


def insert_picture(page, picture):
    """Upload `picture` into the text, with the description the editor demands."""
    page.locator("[data-slate-editor]").press("End")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Komponente hinzufügen").click()
    page.get_by_role("menuitem", name="Bild").click()
    page.get_by_role("button", name="Wähle ein Bild").last.click()
    picture.write_bytes(png(40, 30))
    page.locator("input[type=file]").last.set_input_files(picture)
    page.get_by_role("button", name="Ausgewähltes Element verwenden").click()
    page.get_by_label("Was ist auf dem Bild zu sehen?").fill(
        "Ein langes Regal voller Bücher im Magazin"
    )


def branch_of(workshop, title):
    slug = scaffold.slugify(title)
    return next(b for b in workshop.branches() if b.endswith(slug))


def assert_only_local(context, workshop):
    foreign = [
        url
        for url in context.requests
        if not url.startswith((workshop.url, "data:", "blob:", "about:"))
    ]
    assert foreign == []


def test_a_trainee_writes_a_part_and_the_trainer_publishes_it(
    context, workshop, tmp_path
):
    settings = scaffold.site_settings(workshop.root / "pelicanconf.py")
    series = scaffold.find_series(workshop.content, "AzubiTagebuch", settings)
    part = scaffold.next_index(workshop.content, series, settings)
    main_before = git(workshop.root, "rev-parse", "HEAD").strip()

    page = open_editor(context, workshop, "collections/azubitagebuch")
    page.get_by_text("Katalogisieren").first.wait_for()  # the entries are listed
    shot(page, "uebersicht")
    title = "Mein Tag im Magazin"
    new_part(
        page,
        workshop,
        title,
        summary="Wie Bücher aus dem Magazin in die Ausleihe kommen.",
        text="Heute habe ich im Magazin Bücher für die Ausleihe geholt.",
    )
    assert page.get_by_label("Teil").input_value() == str(part)  # proposed
    assert page.get_by_label("Autorin oder Autor").input_value() == TRAINEE
    insert_picture(page, tmp_path / "Regal im Magazin.png")
    save(page)
    shot(page, "neuer-beitrag")

    # a branch with one commit by the trainee; the working tree unchanged
    branch = branch_of(workshop, title)
    assert git(workshop.root, "rev-parse", "HEAD").strip() == main_before
    log = git(workshop.root, "log", "--format=%an|%s", f"{main_before}..{branch}")
    assert log.splitlines() == [
        f"{TRAINEE.rstrip('.')}|Neu: Beitrag „{branch.rsplit('/', 1)[1]}“ (im Browser-Editor)"
    ]
    files = git(workshop.root, "diff", "--name-only", main_before, branch).split()
    [entry] = [f for f in files if f.endswith(".md")]
    assert entry.startswith("content/azubitagebuch/")
    assert "content/images/azubitagebuch/regal-im-magazin.png" in files
    text = git(workshop.root, "show", f"{branch}:{entry}")
    assert f"Series_index: {part}\n" in text
    assert "Status: published\n" in text
    assert (
        "![Ein langes Regal voller Bücher im Magazin]"
        "({static}/images/azubitagebuch/regal-im-magazin.png)" in text
    )
    assert git(workshop.root, "status", "--porcelain") == ""

    # the trainer: Bereit, then publish
    make_ready(page)
    toast(page, "Beitragsstatus aktualisiert")
    page.goto(f"{workshop.url}/admin/#/workflow")
    page.get_by_text(title).first.wait_for()
    shot(page, "redaktion")
    page.get_by_text(title).first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Veröffentlichen").click()
    page.get_by_role("menuitem", name="Jetzt veröffentlichen").click()
    toast(page, "veröffentlicht")
    assert workshop.branches() == []
    assert git(workshop.root, "log", "-1", "--format=%s").startswith("Veröffentlicht:")
    assert (workshop.root / entry).is_file()
    # in a process of its own: Pelican's signals are global, and the
    # preview is building in this one
    checked = run_task("check", "--content", str(workshop.content))
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # the live preview shows it: on the series page, as the newest part
    for _ in range(60):  # the preview builds again within seconds
        page.goto(f"{workshop.url}/serien/azubitagebuch/")
        if page.get_by_text(title).count():
            break
        page.wait_for_timeout(500)
    else:
        pytest.fail(
            f"not on the series page after {len(workshop.builds)} builds: "
            f"{[(b.ok, b.problems[:3]) for b in workshop.builds]} "
            + page.locator("main").inner_text()[:1500]
        )
    page.get_by_role("link", name=title).first.click()
    # the newest part (its number: the parts published, `new`'s counted drafts too)
    assert re.search(r"Teil (\d+) von \1 der Serie", page.locator("main").inner_text())
    assert_only_local(context, workshop)


def test_an_edit_changes_only_its_line(context, workshop):
    """The rest of an existing entry stays byte for byte as it was."""
    path = "content/azubitagebuch/2024-03-11-schulbank-statt-ausleihtheke.md"
    slug = path.rsplit("/", 1)[1].removesuffix(".md")
    page = open_editor(context, workshop, f"collections/azubitagebuch/entries/{slug}")
    summary = page.get_by_label("Zusammenfassung")
    before = summary.input_value()
    summary.fill("Zwei Wochen Berufsschule, und was ich daraus mitnehme.")
    save(page)
    branch = f"cms/azubitagebuch/{slug}"
    assert branch in workshop.branches()
    diff = git(workshop.root, "diff", "--unified=0", "HEAD", branch, "--", path)
    changed = [
        line
        for line in diff.splitlines()
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
    ]
    assert changed == [
        f"-Summary: {before}",
        "+Summary: Zwei Wochen Berufsschule, und was ich daraus mitnehme.",
    ]
    assert_only_local(context, workshop)


def test_an_entry_with_a_placeholder_cannot_be_made_ready(context, workshop, tmp_path):
    page = open_editor(context, workshop)
    title = "Noch nicht fertig"
    new_part(page, workshop, title)  # Summary and text: new's TODO placeholders
    shutil.copytree(workshop.content, tmp_path / "content")  # as the form saw it
    save(page)
    # what the editor wrote is what `new` writes (but for the Status chosen)
    branch = branch_of(workshop, title)
    [path] = git(workshop.root, "diff", "--name-only", "HEAD", branch).split()
    written = git(workshop.root, "show", f"{branch}:{path}")
    date = re.search(r"^Date: (.*)$", written, re.MULTILINE)[1]
    by_new = scaffold.new_entry(
        tmp_path / "content",
        title,
        now=scaffold.site_now(),
        series="AzubiTagebuch",
        author=TRAINEE,
        date=date,
    )
    assert written == by_new.read_text("utf-8").replace(
        "Status: draft\n", "Status: published\n"
    )
    make_ready(page)
    said = toast(page, "TODO")
    assert "Zusammenfassung" in said
    assert "Bereit" in said
    assert git(workshop.root, "config", f"branch.{branch}.description").strip() != (
        "decap-cms/pending_publish"
    )
    assert_only_local(context, workshop)


def test_a_page_of_another_origin_cannot_write(browser, workshop, tmp_path):
    """A page the trainee visits elsewhere sends the editor's request: refused."""
    before = workshop.branches()
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>x</title>", "utf-8")
    request = {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "entry": {"slug": "x", "path": "content/blog/x.md", "raw": "Title: x\n"},
            "assets": [],
            "options": {
                "collectionName": "blog",
                "commitMessage": "x",
                "useWorkflow": False,
            },
        },
    }
    with serving(tmp_path) as elsewhere:
        visitor = browser.new_context()
        page = visitor.new_page()
        page.goto(elsewhere)
        said = page.evaluate(
            """async ([url, body]) => {
                const answers = [];
                for (const mode of ["cors", "no-cors"]) {
                    try {
                        const answer = await fetch(url, {method: "POST", mode,
                            headers: {"Content-Type": mode === "cors"
                                ? "application/json" : "text/plain"},
                            body: JSON.stringify(body)});
                        answers.push(answer.type + " " + answer.status);
                    } catch (error) { answers.push("blocked"); }
                }
                return answers;
            }""",
            [f"{workshop.url}/admin/api/v1", request],
        )
        visitor.close()
    assert said[0] == "blocked"  # the preflight gets no CORS answer
    assert workshop.branches() == before
    assert not (workshop.content / "blog/x.md").exists()
    assert git(workshop.root, "status", "--porcelain") == ""


def test_a_series_file_with_a_mistake_shows_its_text_and_the_mistake(context, workshop):
    """Not a blank editor: the text is there, and the check says what is wrong."""
    path = workshop.content / "series/fsj.md"
    original = path.read_text("utf-8")
    path.write_text(original.replace("Status: ongoing", "Status ongoing"), "utf-8")
    try:
        page = open_editor(context, workshop, "collections/serien/entries/fsj")
        assert page.get_by_label("Name der Serie").input_value() == "FSJ"
        body = page.locator("[data-slate-editor]")
        body.filter(has_text="Status ongoing").wait_for()
        checked = page.frame_locator("iframe").first.locator(".pruefung")
        checked.locator("li", has_text="Zeile 2").first.wait_for(timeout=30_000)
    finally:
        path.write_text(original, "utf-8")
    assert_only_local(context, workshop)
