"""The editor's backend (sitetools/editor_backend.py), over real HTTP.

Each test has a git repository of its own with a copy of the sample
content/, and a preview server on a free port that answers Decap's
requests at /admin/api/v1, as the browser editor sends them.
"""

import base64
import contextlib
import http.client
import json
import shutil
import subprocess

import pytest
from conftest import ROOT, png

from sitetools import editor_backend
from sitetools import preview as previewing
from sitetools.editor import Editor as BrowserEditor

SETTINGS = ROOT / "pelicanconf.py"
ENTRY = "content/azubitagebuch/2025-11-03-teil-sieben.md"
BRANCH = "cms/azubitagebuch/2025-11-03-teil-sieben"
OLD = "content/azubitagebuch/2025-02-10-die-strasse-der-buecher.md"
GOOD = """\
Title: Teil sieben
Date: 2025-11-03 10:00
Author: Lena K.
Series: AzubiTagebuch
Summary: Was in der siebten Woche geschah.

Ein Text ohne Fehler.
"""

WITHOUT_SUMMARY = GOOD.replace("Summary: Was in der siebten Woche geschah.\n", "")


def git(repo, *args):
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()


class Editor:
    """A repository with the sample content and a preview server for it."""

    def __init__(self, root, **overrides):
        self.repo = root / "repo"
        shutil.copytree(ROOT / "content", self.repo / "content")
        git(self.repo, "init", "-q", "-b", "main")
        git(self.repo, "config", "user.name", "Lena Kaufmann")
        git(self.repo, "config", "user.email", "lena@example.org")
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "-q", "-m", "Anfang")
        self.live = previewing.Preview(
            SETTINGS, self.repo / "content", root / "work", **overrides
        )
        self.server = previewing.serve(
            self.live, "127.0.0.1", 0, BrowserEditor.of(self.repo, self.live)
        )
        self.port = self.server.server_address[1]

    def close(self):
        self.server.stop()
        self.live.close()

    def post(self, body, headers=None, method="POST", path=editor_backend.ENDPOINT):
        """Send `body` (JSON, or bytes) as the editor does; return (status, JSON)."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {
            "Host": f"localhost:{self.port}",
            "Origin": f"http://localhost:{self.port}",
            "Sec-Fetch-Site": "same-origin",
            "Content-Type": "application/json; charset=utf-8",
            "Content-Length": str(len(data)),
            **(headers or {}),
        }
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.putrequest(method, path, skip_host=True)
            for name, value in sent.items():
                if value is not None:
                    connection.putheader(name, value)
            connection.endheaders()
            with contextlib.suppress(OSError):  # answered before it read the body
                connection.send(data)
            response = connection.getresponse()
            said = response.read()
            self.headers = dict(response.getheaders())
            return response.status, json.loads(said) if said else None
        finally:
            connection.close()

    def do(self, action, **params):
        return self.post({"action": action, "params": {"branch": "main", **params}})

    def save(self, raw=GOOD, path=ENTRY, assets=(), workflow=True, slug=None):
        return self.do(
            "persistEntry",
            dataFiles=[{"slug": slug or path.rsplit("/", 1)[1][:-3], "path": path,
                        "raw": raw}],
            assets=[
                {"path": p, "content": base64.b64encode(d).decode(),
                 "encoding": "base64"}
                for p, d in assets
            ],
            options={
                "collectionName": "azubitagebuch",
                "commitMessage": "Neuer Beitrag „Teil sieben“",
                "useWorkflow": workflow,
                "status": "draft",
            },
        )  # fmt: skip

    def save_request(self, headers, collection="azubitagebuch", slug="x"):
        """A save of a new entry with `headers` instead of the editor's."""
        options = {"collectionName": collection, "commitMessage": "x",
                   "useWorkflow": True, "status": "draft"}  # fmt: skip
        params = {"branch": "main", "assets": [], "options": options,
                  "dataFiles": [{"slug": slug, "path": ENTRY, "raw": GOOD}]}  # fmt: skip
        return self.post({"action": "persistEntry", "params": params}, headers)

    def git(self, *args):
        return git(self.repo, *args)

    def status(self):
        return self.git("status", "--porcelain")

    def changed(self):
        """Return the changed files of the working tree, and those staged."""
        return (
            self.git("diff", "--name-only").split(),
            self.git("diff", "--cached", "--name-only").split(),
        )

    def branches(self):
        return self.git("for-each-ref", "--format=%(refname)", "refs/heads/").split()


@pytest.fixture
def editor(tmp_path):
    editor = Editor(tmp_path)
    yield editor
    editor.close()


def german(answer):
    status, body = answer
    assert set(body) == {"error"}
    assert "Traceback" not in body["error"]
    assert set(body["error"].split()) & {
        "ist",
        "nicht",
        "kein",
        "die",
        "der",
        "es",
        "Abgelehnt:",
    }
    return status, body["error"]


# -- saving ----------------------------------------------------------------------------


def test_saving_makes_one_commit_on_the_entry_s_branch_and_leaves_the_working_tree(
    editor,
):
    before = editor.git("rev-parse", "main")

    assert editor.save() == (200, {"message": "Gespeichert."})

    assert editor.status() == ""  # the working tree is as it was
    assert not (editor.repo / ENTRY).exists()
    assert editor.git("rev-parse", "main") == before
    assert editor.git("log", "--format=%an <%ae>|%s", f"main..{BRANCH}") == (
        "Lena Kaufmann <lena@example.org>|Neuer Beitrag „Teil sieben“"
    )
    assert editor.git("show", f"{BRANCH}:{ENTRY}") + "\n" == GOOD
    assert editor.git("config", f"branch.{BRANCH}.description") == "decap-cms/draft"
    assert editor.do("unpublishedEntries") == (
        200,
        ["azubitagebuch/2025-11-03-teil-sieben"],
    )
    status, entry = editor.do(
        "unpublishedEntry", id="azubitagebuch/2025-11-03-teil-sieben"
    )
    assert status == 200
    assert entry["status"] == "draft"
    assert entry["pullRequestAuthor"] == "Lena Kaufmann"
    assert [(d["path"], d["newFile"]) for d in entry["diffs"]] == [(ENTRY, True)]
    read = editor.do(
        "unpublishedEntryDataFile", collection="azubitagebuch",
        slug="2025-11-03-teil-sieben", path=ENTRY, id=ENTRY,
    )  # fmt: skip
    assert read == (200, {"data": GOOD})

    assert editor.save(GOOD.replace("ohne Fehler", "mit mehr"))[0] == 200

    assert editor.git("rev-list", "--count", f"main..{BRANCH}") == "2"
    assert editor.status() == ""


def test_an_entry_of_the_default_branch_is_read_from_the_working_tree(editor):
    (editor.repo / OLD).write_text("Title: Noch nicht committet\n", "utf-8")

    status, entry = editor.do("getEntry", path=OLD)

    assert status == 200
    assert entry["data"] == "Title: Noch nicht committet\n"
    status, entries = editor.do(
        "entriesByFolder", folder="content/azubitagebuch", extension="md", depth=1
    )
    assert status == 200
    assert OLD in [e["file"]["path"] for e in entries]
    assert len(entries) == 6


def test_saving_over_a_file_changed_since_the_editor_loaded_it_is_refused(editor):
    editor.do("getEntry", path=OLD)
    (editor.repo / OLD).write_text("Title: Im Texteditor geändert\n", "utf-8")

    status, said = german(editor.save(GOOD, path=OLD))

    assert status == 409
    assert "seit der Editor sie geladen hat" in said
    assert editor.branches() == ["refs/heads/main"]
    assert (editor.repo / OLD).read_text("utf-8") == "Title: Im Texteditor geändert\n"


def test_a_file_the_editor_never_loaded_is_not_overwritten(editor):
    status, _said = german(editor.save(GOOD, path=OLD))

    assert status == 409
    assert editor.branches() == ["refs/heads/main"]


def test_without_a_name_in_git_nothing_is_saved_and_the_message_says_what_to_do(
    editor, monkeypatch
):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    editor.git("config", "--unset", "user.name")

    status, said = german(editor.save())

    assert status == 409
    assert "python3 dev.py livereload" in said
    assert editor.branches() == ["refs/heads/main"]


def test_without_review_a_save_is_committed_on_the_default_branch_and_written(editor):
    (editor.repo / OLD).write_text("Nicht committet, bleibt.\n", "utf-8")

    assert editor.save(workflow=False)[0] == 200

    assert (editor.repo / ENTRY).read_text("utf-8") == GOOD
    assert editor.git("show", f"main:{ENTRY}") + "\n" == GOOD
    assert (
        editor.git("log", "-1", "--format=%s", "main") == "Neuer Beitrag „Teil sieben“"
    )
    assert editor.changed() == ([OLD], [])  # the other change kept, nothing staged
    assert editor.branches() == ["refs/heads/main"]


def test_without_review_an_entry_with_an_error_is_not_saved(editor):
    status, said = german(editor.save(WITHOUT_SUMMARY, workflow=False))

    assert status == 422
    assert "Feld „Zusammenfassung“" in said
    assert not (editor.repo / ENTRY).exists()
    assert editor.git("log", "-1", "--format=%s") == "Anfang"


# -- paths -----------------------------------------------------------------------------

HOSTILE = [
    "pelicanconf.py",
    "../pelicanconf.py",
    "content/../pelicanconf.py",
    "content/azubitagebuch/../../x.md",
    "/etc/passwd",
    "content\\..\\x.md",
    "content/%2e%2e/x.md",
    "content/%2E%2E%2Fx.md",
    "content/.git/config",
    ".git/config",
    "content/x\0.md",
    "content//x.md",
    "content/./x.md",
    "content/link/geheim.md",
    "content/hinaus.md",
    "",
    None,
]


@pytest.fixture
def links(editor, tmp_path):
    """Symbolic links inside content/ that lead out of it."""
    outside = tmp_path / "draussen"
    outside.mkdir()
    (outside / "geheim.md").write_text("Title: Geheim\n", "utf-8")
    (editor.repo / "content" / "link").symlink_to(outside)
    (editor.repo / "content" / "hinaus.md").symlink_to(outside / "geheim.md")
    return outside


@pytest.mark.parametrize("path", HOSTILE)
def test_a_path_outside_content_is_refused_for_reading(editor, links, path):
    status, said = german(editor.do("getEntry", path=path))

    assert status in (400, 422)
    assert "Geheim" not in said


@pytest.mark.parametrize("path", HOSTILE)
def test_a_path_outside_content_is_refused_for_writing(editor, links, path):
    status, _said = german(editor.save(path=path, slug="x"))

    assert status in (400, 422)
    assert editor.branches() == ["refs/heads/main"]
    assert (links / "geheim.md").read_text("utf-8") == "Title: Geheim\n"


def test_a_folder_that_leads_out_lists_nothing(editor, links):
    status, _said = german(
        editor.do("entriesByFolder", folder="content/link", extension="md", depth=1)
    )
    assert status == 422
    status, entries = editor.do(
        "entriesByFolder", folder="content", extension="md", depth=2
    )
    assert status == 200
    assert "content/hinaus.md" not in [e["file"]["path"] for e in entries]


@pytest.mark.parametrize(
    ("collection", "slug"),
    [("azubitagebuch", "a/b"), ("azubitagebuch", ".."), ("azubitagebuch", "x..y"),
     ("..", "x"), ("a/../b", "x"), ("azubitagebuch", "x.lock"),
     ("azubitagebuch", "-x"), ("azubitagebuch", "x y")],
)  # fmt: skip
def test_a_branch_name_that_is_not_a_safe_name_is_refused(editor, collection, slug):
    status, _said = german(editor.save_request({}, collection, slug))

    assert status == 422
    assert editor.branches() == ["refs/heads/main"]


@pytest.mark.parametrize("branch", ["main/../x", "nirgends", "-x", "main\0"])
def test_a_default_branch_that_is_not_there_is_refused(editor, branch):
    status, said = german(
        editor.post({"action": "getEntry", "params": {"branch": branch, "path": OLD}})
    )
    assert status == 422
    assert "Zweig" in said


# -- uploads ---------------------------------------------------------------------------

PICTURE = "content/images/azubitagebuch/bus.png"


def test_a_picture_of_an_entry_goes_into_its_series_folder_on_its_branch(editor):
    assert editor.save(assets=[(PICTURE, png(40, 30))])[0] == 200

    assert editor.git("cat-file", "-t", f"{BRANCH}:{PICTURE}") == "blob"
    assert not (editor.repo / PICTURE).exists()


@pytest.mark.parametrize(
    ("path", "data", "said"),
    [
        ("../../x.jpg", png(2, 2), "kein Pfad"),
        ("content/images/azubitagebuch/../../../x.jpg", png(2, 2), "kein Pfad"),
        ("content/images/azubitagebuch/seite.html", b"<script>", "Dateiname"),
        ("content/images/azubitagebuch/Bus.PNG", png(2, 2), "Dateiname"),
        ("content/images/azubitagebuch/bus.png.html", b"<p>", "Dateiname"),
        ("content/images/azubitagebuch/beitrag.md", b"Title: x", "Dateiname"),
        ("content/images/blog/bus.png", png(2, 2), "gehören in den Ordner"),
        ("content/azubitagebuch/bus.png", png(2, 2), "kein Pfad"),
        ("content/images/azubitagebuch/kaputt.png", b"\x89PNG kaputt", "kein vollständiges Bild"),
        (
            "content/images/azubitagebuch/bild.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Die SVG-Datei enthält „<script>“",
        ),
    ],
)  # fmt: skip
def test_an_upload_check_would_refuse_is_refused_and_nothing_written(
    editor, path, data, said
):
    status, message = german(editor.save(assets=[(path, data)]))

    assert status == 422
    assert said in message
    assert editor.branches() == ["refs/heads/main"]
    assert editor.status() == ""


def test_an_upload_over_check_s_size_limit_is_refused(tmp_path):
    editor = Editor(tmp_path, FORTSETZUNG_MAX_STATIC_FILE_SIZE=1000)
    try:
        status, said = german(
            editor.save(assets=[(PICTURE, png(40, 40) + b"0" * 2000)])
        )
        assert status == 422
        assert "darf höchstens 1 kB groß sein" in said
        assert editor.branches() == ["refs/heads/main"]
    finally:
        editor.close()


def test_a_200_mb_request_is_refused_before_it_is_read(editor):
    status, said = german(
        editor.post(b"{}", headers={"Content-Length": str(200_000_000 * 4 // 3)})
    )

    assert status == 413
    assert "zu groß" in said


def test_the_media_library_writes_pictures_on_the_default_branch(editor):
    asset = {"path": "content/images/azubitagebuch/bus.png",
             "content": base64.b64encode(png(4, 4)).decode(), "encoding": "base64"}  # fmt: skip

    status, file = editor.do(
        "persistMedia", asset=asset, options={"commitMessage": "Bild"}
    )

    assert status == 200
    assert file["name"] == "bus.png"
    assert (editor.repo / asset["path"]).read_bytes() == png(4, 4)
    assert editor.git("log", "-1", "--format=%s", "main") == "Bild"
    assert editor.status() == ""
    status, files = editor.do("getMedia", mediaFolder="content/images/azubitagebuch")
    assert "content/images/azubitagebuch/bus.png" in [f["path"] for f in files]


# -- other origins ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:1"},
        {"Host": "evil.example"},
        {"Host": "evil.example", "Origin": "http://evil.example"},
        {"Host": None},
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/x-www-form-urlencoded"},
        {"Content-Type": None},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_a_request_from_another_origin_is_refused(editor, headers):
    status, said = german(editor.save_request(headers))

    assert status == 403
    assert "kommt nicht vom Editor" in said
    assert editor.branches() == ["refs/heads/main"]


def test_the_server_s_own_page_may_write_from_127_0_0_1_too(editor):
    headers = {
        "Host": f"127.0.0.1:{editor.port}",
        "Origin": f"http://127.0.0.1:{editor.port}",
    }
    assert editor.save_request(headers)[0] == 200


def test_a_cors_preflight_gets_no_permission(editor):
    connection = http.client.HTTPConnection("127.0.0.1", editor.port, timeout=30)
    connection.request(
        "OPTIONS",
        editor_backend.ENDPOINT,
        headers={
            "Origin": "http://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()

    assert response.status >= 400
    assert not [
        h for h, _v in response.getheaders() if h.lower().startswith("access-control")
    ]


def test_an_unknown_action_and_a_broken_request_get_a_german_error(editor):
    assert german(editor.do("formatHardDisk"))[0] == 422
    assert german(editor.post(b"{nicht json"))[0] == 400
    assert german(editor.do("persistEntry", dataFiles="x"))[0] == 400
    assert german(editor.post({"action": "info"}, path="/admin/api/v2"))[0] == 404
    assert editor.do("info")[1]["type"] == "local_git"
    assert editor.do("getDeployPreview", collection="azubitagebuch", slug="x") == (
        200,
        None,
    )


# -- review and publishing ---------------------------------------------------------------


def status_to(editor, status):
    return editor.do(
        "updateUnpublishedEntryStatus", collection="azubitagebuch",
        slug="2025-11-03-teil-sieben", newStatus=status,
    )  # fmt: skip


def publish(editor, slug="2025-11-03-teil-sieben"):
    return editor.do("publishUnpublishedEntry", collection="azubitagebuch", slug=slug)


def test_an_entry_with_an_error_cannot_be_ready_or_published(editor):
    editor.save(WITHOUT_SUMMARY)

    status, said = german(status_to(editor, "pending_publish"))
    assert status == 422
    assert "Feld „Zusammenfassung“" in said
    assert editor.git("config", f"branch.{BRANCH}.description") == "decap-cms/draft"

    status, said = german(publish(editor))
    assert status == 422
    assert "Feld „Zusammenfassung“" in said
    assert f"refs/heads/{BRANCH}" in editor.branches()
    assert not (editor.repo / ENTRY).exists()

    assert status_to(editor, "pending_review")[0] == 200  # only "Bereit" is checked


def test_a_good_entry_moves_to_ready_and_is_published_into_the_working_tree(editor):
    editor.save()
    (editor.repo / OLD).write_text("Nicht committet, bleibt.\n", "utf-8")

    assert status_to(editor, "pending_publish")[0] == 200
    assert editor.git("config", f"branch.{BRANCH}.description") == (
        "decap-cms/pending_publish"
    )
    assert publish(editor)[0] == 200

    assert (editor.repo / ENTRY).read_text("utf-8") == GOOD
    assert editor.branches() == ["refs/heads/main"]
    assert editor.changed() == ([OLD], [])  # another file's change is kept
    assert editor.git("log", "-1", "--format=%P", "main").count(" ") == 1  # a merge
    assert editor.do("unpublishedEntries") == (200, [])


def test_the_check_action_gives_the_problems_of_the_text_being_written(editor):
    status, found = editor.do(
        "check", path=ENTRY, raw=WITHOUT_SUMMARY.replace("ohne Fehler", "TODO")
    )

    assert status == 200
    problems = found["problems"]
    assert {p["file"] for p in problems} == {ENTRY}
    labels = {p["label"] for p in problems}
    assert "Zusammenfassung" in labels
    assert all(
        set(p) == {"file", "line", "field", "label", "message", "fix", "severity"}
        for p in problems
    )
    editor.save(WITHOUT_SUMMARY)
    status, found = editor.do(
        "check", collection="azubitagebuch", slug="2025-11-03-teil-sieben"
    )
    assert [p["label"] for p in found["problems"]] == ["Zusammenfassung"]


def test_a_merge_git_refuses_for_local_changes_is_explained_and_nothing_lost(editor):
    editor.do("getEntry", path=OLD)
    changed = (editor.repo / OLD).read_text("utf-8").replace("Bücherbus", "Bus")
    editor.save(changed, path=OLD)
    (editor.repo / OLD).write_text("Meine Arbeit, nicht committet\n", "utf-8")

    status, said = german(publish(editor, OLD.rsplit("/", 1)[1][:-3]))

    assert status == 409
    assert "noch nicht in git gespeichert" in said
    assert (editor.repo / OLD).read_text("utf-8") == "Meine Arbeit, nicht committet\n"
    assert len(editor.branches()) == 2
    assert not (editor.repo / ".git" / "MERGE_HEAD").exists()


def test_a_merge_that_conflicts_is_refused_and_the_branch_kept(editor):
    editor.do("getEntry", path=OLD)
    text = (editor.repo / OLD).read_text("utf-8")
    editor.save(text.replace("Bücherbus", "Bus"), path=OLD)
    (editor.repo / OLD).write_text(text.replace("Bücherbus", "Wagen"), "utf-8")
    editor.git("commit", "-qam", "Anders")

    status, said = german(publish(editor, OLD.rsplit("/", 1)[1][:-3]))

    assert status == 409
    assert "nicht mit „main“ zusammenführen" in said
    assert editor.status() == ""
    assert len(editor.branches()) == 2


def test_publishing_needs_the_default_branch_checked_out(editor):
    editor.save()
    editor.git("switch", "-q", "-c", "anderswo")

    status, said = german(publish(editor))

    assert status == 409
    assert "git switch main" in said
    assert f"refs/heads/{BRANCH}" in editor.branches()


def test_a_discarded_entry_is_kept_where_git_can_bring_it_back(editor):
    editor.save()
    tip = editor.git("rev-parse", BRANCH)

    status, _said = editor.do(
        "deleteUnpublishedEntry",
        collection="azubitagebuch",
        slug="2025-11-03-teil-sieben",
    )

    assert status == 200
    assert editor.branches() == ["refs/heads/main"]
    kept = editor.git("for-each-ref", "--format=%(objectname)", "refs/verworfen/")
    assert kept == tip


def test_deleting_a_picture_that_an_entry_shows_is_refused(editor):
    shown = "content/images/azubitagebuch/rueckgabeautomat.svg"
    editor.do("getMedia", mediaFolder="content/images/azubitagebuch")

    status, said = german(
        editor.do("deleteFile", path=shown, options={"commitMessage": "weg"})
    )

    assert status == 422, said
    assert (editor.repo / shown).exists()
    assert editor.git("log", "-1", "--format=%s") == "Anfang"


@pytest.mark.parametrize("action", ["ready", "publish"])
def test_an_entry_still_a_draft_cannot_be_ready_or_published(editor, action):
    """It would be taken over but never shown: the editor says what to choose."""
    editor.save(GOOD.replace("\n\n", "\nStatus: draft\n\n", 1))
    tip = editor.git("rev-parse", "main")

    answer = (
        status_to(editor, "pending_publish") if action == "ready" else publish(editor)
    )

    status, message = german(answer)
    assert status == 422
    assert "auf „Entwurf“" in message
    assert "veröffentlicht (oder geplant: ab dem Datum)" in message
    assert editor.git("rev-parse", "main") == tip
    assert f"refs/heads/{BRANCH}" in editor.branches()


def get(editor, address):
    connection = http.client.HTTPConnection("127.0.0.1", editor.port, timeout=60)
    try:
        connection.request("GET", address)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_preview_pane_shows_the_pictures_of_an_unpublished_entry(editor):
    picture = png(40, 30)
    editor.save(assets=[(PICTURE, picture)])
    in_text = "/admin/%7Bstatic%7D/images/azubitagebuch/bus.png"  # as the text names it

    assert get(editor, in_text) == (200, picture)  # from the entry's branch
    shown = sorted((editor.repo / "content/images").rglob("*.*"))[0]
    relative = shown.relative_to(editor.repo / "content").as_posix()
    assert get(editor, f"/admin/%7Bstatic%7D/{relative}") == (200, shown.read_bytes())
    for outside in (
        "/admin/%7Bstatic%7D/azubitagebuch/2025-02-10-die-strasse-der-buecher.md",
        "/admin/%7Bstatic%7D/images/../../pelicanconf.py",
        "/admin/%7Bstatic%7D/%2e%2e/content/images/azubitagebuch/bus.png",
        "/admin/%7Bstatic%7D/images/azubitagebuch/fehlt.png",
    ):
        assert get(editor, outside)[0] == 404, outside
