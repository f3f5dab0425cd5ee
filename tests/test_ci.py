"""The CI files: GitHub's workflows and .gitlab-ci.yml, checked and run.

The workflows are linted (actionlint with shellcheck) and audited (zizmor,
offline: template injection, permissions, credentials, actions pinned to
commit hashes …); .gitlab-ci.yml is validated against GitLab's published
CI schema and dependabot.yml against SchemaStore's (both kept in
tests/schemas/, whose README names their sources). Then their own commands
run, in order, in fresh clones of a small project whose `origin` is a
local bare repository, as CI would run them one run after another: each
run starts from an empty clone, so what was published (and the old
addresses) must come from the gh-pages branch.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
import yaml
from conftest import ROOT, Site
from test_publish import git, redirect_target, retitle, set_git_environment

import dev

GITHUB = ROOT / ".github"  # the workflows and dependabot.yml
WORKFLOWS = GITHUB / "workflows"
GITLAB_CI = ROOT / ".gitlab-ci.yml"
BIN = Path(sys.executable).parent


def workflow(name):
    return yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))


def test_actionlint_finds_nothing():
    # with shellcheck on the `run:` scripts
    linter = [BIN / "actionlint", "-no-color", "-shellcheck", BIN / "shellcheck"]
    found = subprocess.run(
        [*linter, *sorted(WORKFLOWS.glob("*.yml"))],
        capture_output=True,
        text=True,
        check=False,
    )

    assert (found.returncode, found.stdout + found.stderr) == (0, "")


def test_zizmor_finds_nothing():
    # among its audits: every action pinned to a commit hash (unpinned-uses)
    found = subprocess.run(
        [BIN / "zizmor", "--offline", "--no-progress", "--format", "plain", GITHUB],
        capture_output=True,
        text=True,
        check=False,
    )

    assert found.returncode == 0, found.stdout + found.stderr
    assert "No findings to report" in found.stdout


def schema(name):
    """A schema kept in tests/schemas/ (its README names the sources)."""
    return json.loads((ROOT / "tests" / "schemas" / f"{name}.json").read_text("utf-8"))


def test_dependabot_config_is_valid():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text("utf-8"))

    jsonschema.validate(config, schema("dependabot"))


def test_gitlab_ci_is_valid_by_gitlabs_schema():
    config = yaml.safe_load(GITLAB_CI.read_text("utf-8"))
    validator = jsonschema.Draft7Validator(schema("gitlab-ci"))

    assert [error.message for error in validator.iter_errors(config)] == []
    # the schema sees mistakes (a word GitLab does not know)
    config["pages"]["artefacts"] = config["pages"].pop("artifacts")
    assert list(validator.iter_errors(config))


# -- the workflows' own commands, one CI run after another --------------------------


class Origin:
    """The library's repository (`origin`, bare) and a clone to work in."""

    #: What the site is built from; the rest of the project plays no part.
    PROJECT = (
        "dev.py", "tasks.py", "pelicanconf.py", "publishconf.py", "pyproject.toml",
        "plugins", "sitetools", "themes", ".github", ".gitlab-ci.yml",
    )  # fmt: skip

    def __init__(self, root):
        self.root = root
        self.bare = root / "origin.git"
        self.work = root / "work"
        self.runs = 0
        git(root, "init", "--quiet", "--bare", str(self.bare))
        git(root, "clone", "--quiet", str(self.bare), str(self.work))
        for name in self.PROJECT:
            source, target = ROOT / name, self.work / name
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns(
                    "__pycache__", "*.egg-info", "tests"
                ))  # fmt: skip
            else:
                shutil.copy2(source, target)
        self.site = Site(self.work)

    def push(self, branch="main", message="Neuer Stand"):
        git(self.work, "checkout", "--quiet", "-B", branch)
        git(self.work, "add", "--all")
        git(self.work, "commit", "--quiet", "--allow-empty", "-m", message)
        git(self.work, "push", "--quiet", "--force", "origin", branch)

    def checkout(self, branch="main"):
        """A fresh clone, as a CI run starts with, and the project's programs.

        Its .venv is as CI's cache brings it: installed from the clone's
        pyproject files (dev.py installs nothing), its programs the
        project's own (never changed from here).
        """
        self.runs += 1
        clone = self.root / f"lauf-{self.runs}"
        git(self.root, "clone", "--quiet", "--depth=1", "--branch", branch,
            f"file://{self.bare}", str(clone))  # fmt: skip
        lent = clone / ".venv"
        lent.mkdir()
        for part in (ROOT / ".venv").iterdir():  # programs, packages, the editor
            if part.name != dev.STAMP.name:
                (lent / part.name).symlink_to(part)
        (lent / dev.STAMP.name).write_text(dev.installed_from(clone))
        return clone

    def deployed(self, path):
        return git(self.bare, "show", f"gh-pages:{path}")

    def deployed_files(self):
        listed = git(self.bare, "ls-tree", "-r", "--name-only", "gh-pages")
        return set(listed.splitlines())

    def branch(self):
        return git(self.bare, "rev-parse", "gh-pages")


class Job:
    """What a job's run said (stdout and stderr of its steps) and its summary."""

    def __init__(self, said, summary, failed):
        self.said, self.summary, self.failed = said, summary, failed


def plain(spec):
    """The variables a job or step sets to plain values (not GitHub's `${{ … }}`)."""
    found = spec.get("env", {}).items()
    return {name: str(value) for name, value in found if "${{" not in str(value)}


def run_github_job(clone, file, job, **env):
    """Run the `run:` steps of `job` in `file`, in order, as GitHub would.

    With the job's plain environment; the values it takes from GitHub
    (`${{ … }}`) are `env`. After a step failed, only the steps that run
    anyway (`!cancelled()`) run. The commit status is set through GitHub's
    API: those steps are left out, as for a pull request from a fork.
    """
    spec = workflow(file)["jobs"][job]
    summary = clone / "summary.md"
    environment = {
        **os.environ, **plain(spec), "GITHUB_STEP_SUMMARY": str(summary), **env
    }  # fmt: skip
    said, failed = [], None
    for step in spec["steps"]:
        condition = step.get("if", "")
        if "run" not in step or "env.STATUS" in condition:
            continue
        if failed and "!cancelled()" not in condition:
            continue
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=clone,
            env={**environment, **plain(step)},
            capture_output=True,
            text=True,
            check=False,
        )
        said.append(done.stdout + done.stderr)
        if done.returncode:
            failed = failed or step["name"]
    text = summary.read_text("utf-8") if summary.exists() else ""
    return Job("\n".join(said), text, failed)


def publish_run(origin):
    """A run of the publishing workflow (a push to main, the schedule)."""
    clone = origin.checkout()
    run = run_github_job(
        clone, "veroeffentlichen.yml", "veroeffentlichen", IMMER="false"
    )
    assert not run.failed, run.said
    return run.said


@pytest.fixture
def origin(tmp_path, monkeypatch):
    set_git_environment(monkeypatch, tmp_path)
    origin = Origin(tmp_path)
    origin.site.series("azubitagebuch", "AzubiTagebuch")
    origin.site.entry(
        "azubitagebuch/2024-01-01-erster-tag.md", "Erster Tag", "2024-01-01",
        Series="AzubiTagebuch",
    )  # fmt: skip
    return origin


def test_ci_checks_publishes_and_publishes_a_part_on_its_day(origin):
    started = time.monotonic()
    origin.push()
    said = publish_run(origin)
    assert "2024/erster-tag/index.html" in origin.deployed_files()
    one_run = time.monotonic() - started

    # a proposal: a new title (a new address) and a part for later
    berlin = ZoneInfo("Europe/Berlin")
    margin = timedelta(seconds=round(4 * one_run) + 3)
    soon = datetime.now(berlin).replace(microsecond=0) + margin
    retitle(origin.site, "2024-01-01-erster-tag.md", "Der erste Tag")
    origin.site.entry(
        "azubitagebuch/bald.md", "Bald", f"{soon:%Y-%m-%d %H:%M:%S}",
        Series="AzubiTagebuch",
    )  # fmt: skip
    origin.push("cms/azubitagebuch/bald", "Neuer Titel, ein Teil für später")
    clone = origin.checkout("cms/azubitagebuch/bald")
    run = run_github_job(clone, "pruefen.yml", "pruefen")
    assert not run.failed, run.said
    assert not re.search(r"^::(error|warning) ", run.said, re.M)  # nothing wrong
    assert "Alles in Ordnung" in run.summary
    assert redirect_target(clone / "output/2024/erster-tag/index.html").endswith(
        "/2024/der-erste-tag/"
    )
    assert not (clone / f"output/{soon:%Y}/bald").exists()

    # merged: published, the old address redirects, the part waits
    origin.push()
    said = publish_run(origin)
    assert "Weitergeleitet: /2024/erster-tag/ → /2024/der-erste-tag/" in said
    published = origin.branch()
    said = publish_run(origin)
    assert "Nichts zu veröffentlichen" in said
    assert origin.branch() == published

    while datetime.now(berlin) <= soon:  # the day has come
        time.sleep(0.2)
    said = publish_run(origin)

    assert "Ein geplanter Beitrag ist fällig" in said
    files = origin.deployed_files()
    assert f"{soon:%Y}/bald/index.html" in files
    # the old address survived a publication from a fresh clone: the memory
    # is in the branch, not on a disk
    old = origin.root / "alte-adresse.html"
    old.write_text(origin.deployed("2024/erster-tag/index.html"), "utf-8")
    assert redirect_target(old).endswith("/2024/der-erste-tag/")


def gitlab_variables(config, job):
    """The pipeline's variables (their default values) and the job's."""
    found = {**config.get("variables", {}), **job.get("variables", {})}
    return {
        name: str(value["value"] if isinstance(value, dict) else value)
        for name, value in found.items()
    }


def run_gitlab_job(clone, job, succeeds=True, **variables):
    """Run `job` of .gitlab-ci.yml (the default before_script, then its script)."""
    config = yaml.safe_load((clone / ".gitlab-ci.yml").read_text("utf-8"))
    spec = config[job]
    lines = [*config["default"]["before_script"], *spec["script"]]
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "\n".join(lines)],
        cwd=clone,
        env={**os.environ, **gitlab_variables(config, spec), **variables},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode == 0) == succeeds, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_gitlab_checks_a_merge_request_and_publishes_with_pages(origin, tmp_path):
    # the pages job pushes through a token of its own: here to the bare repository
    server = {
        "CI_SERVER_FQDN": "gitlab.example",
        "CI_PROJECT_PATH": "bibliothek/fortsetzung",
        "FORTSETZUNG_PUSH_TOKEN": "geheim",
    }
    with open(os.environ["GIT_CONFIG_GLOBAL"], "a", encoding="utf-8") as config:
        config.write(
            f'[url "file://{origin.bare}"]\n\tinsteadOf = https://oauth2:geheim'
            "@gitlab.example/bibliothek/fortsetzung.git\n"
        )
    origin.push()
    clone = origin.checkout()
    run_gitlab_job(clone, "pages", **server)
    assert (clone / "public/2024/erster-tag/index.html").is_file()
    published = origin.branch()

    # a mistake that reached main: nothing is published, Pages gets nothing
    mistake = origin.site.entry(
        "azubitagebuch/zwei.md", "Zwei", "2024-01-02", Series="Azubitagebuhc"
    )
    origin.push()
    clone = origin.checkout()
    said = run_gitlab_job(clone, "pages", succeeds=False, **server)
    assert "Nicht veröffentlicht: Die Prüfung hat Fehler gefunden" in said
    assert origin.branch() == published
    assert not (clone / "public").exists()
    mistake.unlink()

    retitle(origin.site, "2024-01-01-erster-tag.md", "Der erste Tag")
    origin.push("cms/azubitagebuch/titel")
    clone = origin.checkout("cms/azubitagebuch/titel")
    run_gitlab_job(clone, "pruefen", CI_PIPELINE_SOURCE="merge_request_event")
    report = json.loads((clone / "gl-code-quality-report.json").read_text("utf-8"))
    assert report == []
    assert (clone / "output/2024/der-erste-tag/index.html").is_file()

    origin.push()
    clone = origin.checkout()
    said = run_gitlab_job(clone, "pages", **server)

    assert "Weitergeleitet: /2024/erster-tag/ → /2024/der-erste-tag/" in said
    old = clone / "public/2024/erster-tag/index.html"
    assert redirect_target(old).endswith("/2024/der-erste-tag/")
    assert (clone / "public/2024/der-erste-tag/index.html").is_file()
    assert "geheim" not in said


def test_a_proposal_with_a_mistake_fails_with_annotations_and_builds_nothing(origin):
    origin.site.entry(
        "azubitagebuch/zwei.md", "Zwei", "2024-01-02", Series="Azubitagebuhc"
    )
    origin.push("cms/azubitagebuch/zwei")
    clone = origin.checkout("cms/azubitagebuch/zwei")

    run = run_github_job(clone, "pruefen.yml", "pruefen")

    assert run.failed == "Inhalt prüfen"
    (annotation,) = re.findall(r"^::error (.*)::(.*)$", run.said, re.M)
    assert "file=content/azubitagebuch/zwei.md,line=5,title=Series" in annotation
    assert "Meinten Sie „AzubiTagebuch“?" in run.summary  # behind the status's link
    assert "::" not in run.summary
    assert not (clone / "output").exists()


def test_an_empty_siteurl_variable_counts_as_none():
    # GitHub passes an unset repository variable (vars.SITEURL) as ""
    read = (
        "from pelican.settings import get_settings_from_file;"
        "print(get_settings_from_file('publishconf.py')['SITEURL'])"
    )
    said = subprocess.run(
        [sys.executable, "-c", read],
        cwd=ROOT,
        env={**os.environ, "SITEURL": ""},
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert said.strip() == "https://stadtbuechereien-duesseldorf.example"


def gitlab_cache_inputs(config):
    """What GitLab's before_script hashes to decide whether cache/ is still good."""
    (script,) = [line for line in config["default"]["before_script"] if "find " in line]
    return script, set(re.findall(r"(?:themes|plugins/\S+)", script.split("-type")[0]))


def test_both_platforms_key_the_build_cache_by_the_same_files():
    _script, gitlab = gitlab_cache_inputs(yaml.safe_load(GITLAB_CI.read_text("utf-8")))
    for name in ("pruefen.yml", "veroeffentlichen.yml"):
        steps = next(iter(workflow(name)["jobs"].values()))["steps"]
        (key,) = [
            s["with"]["key"] for s in steps if s.get("with", {}).get("path") == "cache"
        ]
        github = {p.removesuffix("/**") for p in re.findall(r"'([^']+)'", key)}

        assert github == gitlab


def test_gitlab_keeps_the_build_cache_until_its_inputs_change(tmp_path):
    script, inputs = gitlab_cache_inputs(yaml.safe_load(GITLAB_CI.read_text("utf-8")))
    for path in inputs:
        made = tmp_path / path / "x" if "." not in Path(path).name else tmp_path / path
        made.parent.mkdir(parents=True, exist_ok=True)
        made.write_text("1")
    picture = tmp_path / "cache" / "fortsetzung" / "bild.png"

    def restored_cache():  # what the job finds after its before_script
        subprocess.run(
            ["bash", "-eo", "pipefail", "-c", script], cwd=tmp_path, check=True
        )
        return picture.exists()

    restored_cache()
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"png")
    assert restored_cache()  # the next run keeps it
    font = tmp_path / "plugins/fortsetzung/pelican/plugins/fortsetzung/extras/x"
    font.write_text("2")  # a new font (or theme, or drawing code)
    assert not restored_cache()
