"""The browser editor's configuration and files (sitetools/editor.py, editor_config.py).

The editor itself (Decap CMS in Chromium, saving through the local backend)
is tested in tests/browser/test_editor_journey.py; here: that its
configuration comes from the entry schema and the series, that the
preview serves nothing below /admin/ but the editor's own files, with a
policy that forbids other hosts, and that a published site has the editor
only where publishconf.py describes a backend.
"""

import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile
import urllib.error
import urllib.request

import pytest
import yaml
from conftest import ROOT
from pelican.plugins.fortsetzung import api

import tasks
from sitetools import decap, editor, editor_config, scaffold
from sitetools import preview as previewing


@pytest.fixture
def sample(tmp_path):
    """A copy of the sample site's content and its settings."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content, scaffold.site_settings()


def configured(content, settings, **overrides):
    return editor_config.config(
        {**settings, **overrides}, content, branch="main", author="Lena K."
    )


def collection(config, name):
    return next(c for c in config["collections"] if c["name"] == name)


def field(found, name):
    return next(f for f in found["fields"] if f["name"] == name)


def test_every_series_is_a_collection_and_no_series_is_typed(sample):
    content, settings = sample
    config = configured(content, settings)
    names = [c["name"] for c in config["collections"]]
    series = [s.slug for s in scaffold.read_series(content, settings)]
    assert names == [*series, "blog", "serien", "seiten"]
    assert names == editor_config.collection_names(
        settings, content
    )  # einstellungen.js
    azubi = collection(config, "azubitagebuch")
    assert azubi["label"] == "AzubiTagebuch"
    assert azubi["folder"] == "content/azubitagebuch"
    assert field(azubi, "Series") == {**field(azubi, "Series"), "widget": "hidden"}
    assert field(azubi, "Series")["default"] == "AzubiTagebuch"
    assert "Series" not in [f["name"] for f in collection(config, "blog")["fields"]]
    # a new series is there at the next request
    scaffold.new_series(content, "Hörspiele für Kinder", settings)
    assert "hoerspiele-fuer-kinder" in [
        c["name"] for c in configured(content, settings)["collections"]
    ]


def test_the_fields_are_the_schema_s_main_table_in_its_order(sample):
    content, settings = sample
    config = configured(content, settings)
    shown = [f["name"] for f in collection(config, "azubitagebuch")["fields"]]
    main = [f.name for f in api.ENTRY if f.guide == api.MAIN_FIELDS]
    assert shown == [*main, "body"]
    series_fields = [f["name"] for f in collection(config, "serien")["fields"]]
    assert series_fields == [
        *(f.name for f in api.SERIES_FILE if f.guide == api.MAIN_FIELDS),
        "body",
    ]


def test_labels_hints_and_choices_are_german(sample):
    content, settings = sample
    azubi = collection(configured(content, settings), "azubitagebuch")
    assert field(azubi, "Summary")["label"] == "Zusammenfassung"
    assert field(azubi, "Image_alt")["label"].startswith("Bildbeschreibung")
    assert field(azubi, "Title")["hint"] == "Überschrift des Beitrags"
    options = {o["value"]: o["label"] for o in field(azubi, "Status")["options"]}
    assert options["draft"] == "Entwurf"
    assert options["published"].startswith("veröffentlicht (oder geplant")
    assert set(options) == set(api.named("Status").choices)


def test_required_follows_the_site_s_settings(sample):
    content, settings = sample
    azubi = collection(configured(content, settings), "azubitagebuch")
    assert field(azubi, "Summary")["required"] is True  # FORTSETZUNG_REQUIRED_FIELDS
    assert field(azubi, "Title")["required"] is True
    assert field(azubi, "Image")["required"] is False
    relaxed = configured(content, settings, FORTSETZUNG_REQUIRED_FIELDS={})
    azubi = collection(relaxed, "azubitagebuch")
    assert field(azubi, "Summary")["required"] is False
    # Author: required only where the site has no AUTHOR (and the setting asks)
    assert field(azubi, "Author")["required"] is False


def test_the_part_number_is_proposed_and_the_tags_are_offered(sample):
    content, settings = sample
    config = configured(content, settings)
    for series in scaffold.read_series(content, settings):
        proposed = field(collection(config, series.slug), "Series_index")["default"]
        assert proposed == scaffold.next_index(content, series, settings)
    tags = field(collection(config, "fsj"), "Tags")
    assert tags["widget"] == "select"
    assert tags["multiple"] is True
    assert {"FSJ", "Ehrenamt"} <= set(tags["options"])
    assert field(collection(config, "fsj"), "Author")["default"] == "Lena K."


def test_pictures_go_to_the_series_folder(sample):
    content, settings = sample
    config = configured(content, settings)
    fsj = collection(config, "fsj")
    assert fsj["media_folder"] == "/content/images/fsj"
    assert fsj["public_folder"] == "{static}/images/fsj"
    assert field(fsj, "Image")["public_folder"] == "images/fsj"
    assert collection(config, "blog")["media_folder"] == "/content/images/blog"


@pytest.fixture
def served(sample):
    content, settings = sample
    server = previewing.serve(
        None, "127.0.0.1", 0, editor.Editor(ROOT, settings, content)
    )
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.stop()


def get(url):
    try:
        with urllib.request.urlopen(url) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_the_editor_s_page_forbids_other_hosts(served):
    status, headers, body = get(f"{served}/admin/")
    assert status == 200
    assert b'<html lang="de">' in body
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "connect-src 'self' blob:;" in policy
    assert "http" not in policy  # no other host, locally
    assert get(f"{served}/admin")[0] == 200  # redirected to /admin/


def test_the_configuration_is_yaml_from_the_schema(served):
    status, _headers, body = get(f"{served}/admin/config.yml")
    assert status == 200
    config = yaml.safe_load(body)
    assert config["locale"] == "de"
    assert config["backend"]["proxy_url"] == editor_config.API
    assert config["publish_mode"] == "editorial_workflow"
    script = get(f"{served}/admin/einstellungen.js")[2].decode()
    options = json.loads(script.split("window.FORTSETZUNG = ", 1)[1].rstrip(";\n"))
    assert options["checks"] is True
    assert "Tags" in options["lists"]


@pytest.mark.parametrize(
    "address",
    [
        "decap/../../pelicanconf.py",
        "decap/%2e%2e/%2e%2e/pelicanconf.py",
        "decap/package.json",
        "decap/decap-cms.js.map",
        "decap/x.js",
        "../pelicanconf.py",
        "index.html",
        "editor/format.js",
        "decap/",
    ],
)
def test_nothing_but_the_editor_s_files_is_served(served, address):
    assert get(f"{served}/admin/{address}")[0] == 404


@pytest.mark.skipif(not decap.installed(), reason="python3 dev.py fetches Decap")
def test_the_bundle_and_its_chunks_are_served(served):
    status, headers, _body = get(f"{served}/admin/decap/decap-cms.js")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    chunk = next(decap.folder().glob("*.decap-cms.js"))
    assert get(f"{served}/admin/decap/{chunk.name}")[2] == chunk.read_bytes()


GITHUB = {
    "name": "github",
    "repo": "stadtbuechereien/blog",
    "base_url": "https://oauth.example.org",
}


def test_a_published_site_has_the_editor_only_with_a_backend(sample, tmp_path):
    content, _settings = sample
    plain = tmp_path / "plain"
    tasks.build_or_fail(tasks.PUBLISH_SETTINGS, content, plain)
    assert not (plain / "admin").exists()


@pytest.mark.skipif(not decap.installed(), reason="python3 dev.py fetches Decap")
def test_the_published_editor_talks_to_its_backend_only(sample, tmp_path):
    content, settings = sample
    output = tmp_path / "output"
    editor.write_published(output, {**settings, "EDITOR_BACKEND": GITHUB}, content)
    config = yaml.safe_load((output / "admin/config.yml").read_text("utf-8"))
    assert config["backend"]["name"] == "github"
    assert config["backend"]["repo"] == "stadtbuechereien/blog"
    assert config["backend"]["branch"] == "main"
    assert config["backend"]["commit_messages"] == editor_config.COMMIT_MESSAGES
    page = (output / "admin/index.html").read_text("utf-8")
    assert (
        "connect-src 'self' blob: https://api.github.com https://oauth.example.org;"
        in page
    )
    assert (output / "admin/decap/decap-cms.js").is_file()
    script = (output / "admin/einstellungen.js").read_text("utf-8")
    assert '"checks": false' in script


@pytest.mark.parametrize(
    ("backend", "said"),
    [
        ({"name": "bitbucket"}, "„github“ oder „gitlab“"),
        ("github", "„github“ oder „gitlab“"),
        ({"name": "github", "repo": "a/b"}, "braucht noch: base_url"),
        ({"name": "gitlab", "repo": "a/b"}, "braucht noch: app_id"),
    ],
)
def test_a_wrong_backend_is_explained(backend, said):
    with pytest.raises(editor.EditorError, match=said):
        editor.published_backend({"EDITOR_BACKEND": backend})


def test_gitlab_logs_in_without_a_server():
    found = editor.published_backend(
        {"EDITOR_BACKEND": {"name": "gitlab", "repo": "a/b", "app_id": "123"}}
    )
    assert found["auth_type"] == "pkce"


def test_the_editor_refuses_a_file_over_the_site_s_limit_before_sending_it(sample):
    content, settings = sample
    config = configured(content, settings, FORTSETZUNG_MAX_STATIC_FILE_SIZE=1234)
    limited = [
        (c["name"], f["name"])
        for c in config["collections"]
        for f in c["fields"]
        if f.get("media_library") == {"config": {"max_file_size": 1234}}
    ]
    assert ("fsj", "Image") in limited
    assert ("fsj", "body") in limited  # pictures in the text
    assert ("serien", "Image") in limited
    unlimited = configured(content, settings, FORTSETZUNG_MAX_STATIC_FILE_SIZE=None)
    assert "media_library" not in field(collection(unlimited, "fsj"), "Image")


def test_the_editor_links_to_the_status_ci_sets():
    """The context the published editor shows is the one the CI files set."""
    workflow = yaml.safe_load(
        (ROOT / ".github/workflows/pruefen.yml").read_text("utf-8")
    )
    contexts = [
        job["env"]["CONTEXT"]
        for job in workflow["jobs"].values()
        if "CONTEXT" in job.get("env", {})
    ]
    assert contexts == [editor.CHECK_STATUS["github"]]
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))
    assert editor.CHECK_STATUS["gitlab"] in gitlab
    for name, needs in editor.BACKENDS.items():
        backend = {"name": name, **dict.fromkeys(needs, "x")}
        found = editor.published_backend({"EDITOR_BACKEND": backend})
        assert found["preview_context"] == editor.CHECK_STATUS[name]


@pytest.fixture
def repository(tmp_path, monkeypatch):
    """A git repository, with no name or e-mail in git's settings anywhere."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "global"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    return tmp_path / "repo"


def local_config(root, key):
    return subprocess.run(
        ["git", "config", "--local", key],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,  # a key that is not set: exit code 1
    ).stdout.strip()


def test_the_editor_asks_once_who_writes_and_keeps_it_in_the_repository(repository):
    answers = iter(["", "  Lena   K. ", ""])  # nothing, a name, no e-mail
    said = editor.who_writes(repository, ask=lambda _: next(answers), interactive=True)
    assert said == "Gespeichert: Sie schreiben als „Lena K.“ (in .git/config)."
    assert local_config(repository, "user.name") == "Lena K."
    assert local_config(repository, "user.email") == "lena-k@keine-angabe.invalid"
    asked = []
    assert editor.who_writes(repository, ask=asked.append, interactive=True) is None
    assert asked == []  # once


def test_without_a_terminal_the_editor_says_how_to_tell_git(repository):
    said = editor.who_writes(repository, ask=pytest.fail, interactive=False)
    assert 'git config user.name "Lena K."' in said
    assert local_config(repository, "user.name") == ""


def test_a_header_value_stays_on_one_line(sample):
    content, settings = sample
    azubi = collection(configured(content, settings), "azubitagebuch")
    for name in ("Title", "Summary", "Image_alt"):
        pattern, said = field(azubi, name)["pattern"]
        assert re.fullmatch(pattern, "Ein Satz, ganz normal.")
        assert not re.fullmatch(pattern, "Zwei\nZeilen")
        assert "Zeilenumbruch" in said


def tarball(tmp_path, files):
    """A package tarball as the npm registry serves it; return its file URL, sha512."""
    path = tmp_path / "decap-cms.tgz"
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    digest = base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()
    return path.as_uri(), f"sha512-{digest}"


def pin(tmp_path, monkeypatch, resolved, integrity):
    lock = tmp_path / "decap-lock.json"
    lock.write_text(json.dumps({"package": "decap-cms", "version": "9.9.9",
                                "resolved": resolved, "integrity": integrity}))  # fmt: skip
    monkeypatch.setattr(decap, "LOCK", lock)


def test_the_editor_is_unpacked_only_when_it_is_the_pinned_file(tmp_path, monkeypatch):
    files = {
        "dist/decap-cms.js": b"// bundle",
        "dist/12.decap-cms.js": b"// chunk",
        "dist/12.decap-cms.js.map": b"{}",
        "dist/cms.js": b"// the other build",
        "README.md": b"# Decap",
    }
    resolved, integrity = tarball(tmp_path, files)
    pin(tmp_path, monkeypatch, resolved, integrity.replace("sha512-", "sha512-A"))
    with pytest.raises(ValueError, match="Prüfsumme weicht ab"):
        decap.ensure(tmp_path / "venv")
    assert not decap.installed(tmp_path / "venv")

    pin(tmp_path, monkeypatch, resolved, integrity)
    folder = decap.ensure(tmp_path / "venv")
    assert decap.installed(tmp_path / "venv")
    assert sorted(p.name for p in folder.iterdir()) == [
        "12.decap-cms.js", "complete", "decap-cms.js",
    ]  # fmt: skip
