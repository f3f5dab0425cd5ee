"""`invoke publish` and `invoke gh-pages`: build aside, swap in, then deploy.

Publishing builds the site with publishconf.py into a fresh folder next to
output/ and swaps it in only when the build succeeded, so a failed check or
build leaves output/ and the published site exactly as they were. Deploying
commits output/ to a branch with ghp-import and pushes that branch; it refuses
an output/ that `publish` did not build (a preview from `build` or
`livereload` holds drafts and addresses on localhost) or that changed since.

Not a part of the Pelican plugin: tasks.py imports it, a build never does.
Every failure raises `PublishError` with a German message for editors.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pelican.settings import get_settings_from_file

#: Written into every site `publish` builds: which settings built it and a
#: fingerprint of all its other files. A preview build empties output/ and
#: so removes it; `deploy` refuses an output/ without a matching stamp.
STAMP = ".fortsetzung-publish.json"
#: Where the site goes, unless an option, the environment or the settings say
#: otherwise (in that order); the environment variables have the same names.
DEFAULTS = {"DEPLOY_REMOTE": "origin", "DEPLOY_BRANCH": "gh-pages", "DEPLOY_CNAME": ""}
RETRY = "invoke gh-pages"


class PublishError(Exception):
    """A step of publishing failed; the message says what happened, in German."""

    #: Whether output/ is as it was before (the task then says so).
    output_unchanged = True


class OutputMoved(PublishError):
    """The old output/ could not be put back; the message says where it is."""

    output_unchanged = False


class DeployError(PublishError):
    """The site is built, but uploading it failed; the published site is as it was."""


# -- build aside and swap in ----------------------------------------------------


def build_and_swap(content, settings_file, output):
    """Build the site into a fresh folder, then make it `output`.

    On any failure the fresh folder is removed and `output` is as it was.
    """
    output = Path(output)
    fresh = build_aside(content, settings_file, output)
    try:
        swap_in(fresh, output)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)  # gone already when swapped in


def build_aside(content, settings_file, output):
    """Build with `settings_file` into a new folder next to `output`; return it."""
    output.parent.mkdir(parents=True, exist_ok=True)
    # Same folder, so the same file system: the swap is two renames.
    fresh = Path(tempfile.mkdtemp(prefix=f"{output.name}.new-", dir=output.parent))
    try:
        # mkdtemp makes the folder private (0700); the site must stay readable
        # for a web server after `rsync -a` copies the permissions.
        fresh.chmod(0o777 & ~current_umask())
        command = [
            sys.executable, "-m", "pelican", str(content),
            "-s", str(settings_file), "-o", str(fresh), "--fatal", "errors",
        ]  # fmt: skip
        built = subprocess.run(command, check=False)
        if built.returncode:
            raise PublishError("Der Bau ist fehlgeschlagen (siehe oben).")
        if not (fresh / "index.html").is_file():
            raise PublishError("Der Bau hat keine Startseite (index.html) geschrieben.")
        write_stamp(fresh, settings_file)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return fresh


def swap_in(fresh, output):
    """Rename `output` away, `fresh` into its place, then delete the old one.

    If the second rename fails, the old output is put back.
    """
    old = fresh.with_name(fresh.name.replace(".new-", ".old-", 1))
    had_old = output.exists() or output.is_symlink()
    if had_old:
        try:
            output.rename(old)
        except OSError as error:
            raise PublishError(
                f"{output.name}/ ließ sich nicht beiseitelegen ({error})."
            ) from error
    try:
        fresh.rename(output)
    except BaseException as error:  # Ctrl+C as well
        if had_old:
            try:
                old.rename(output)
            except OSError:
                raise OutputMoved(
                    f"Die neue Seite ließ sich nicht nach {output.name}/ bringen "
                    f"({error}), und das bisherige {output.name}/ nicht zurück: "
                    f"es liegt jetzt in {old}. Die veröffentlichte Seite ist "
                    "unverändert."
                ) from error
        if not isinstance(error, OSError):
            raise
        raise PublishError(
            f"Die neue Seite ließ sich nicht nach {output.name}/ bringen ({error})."
        ) from error
    if had_old:
        shutil.rmtree(old, ignore_errors=True)


def current_umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# -- the stamp: output/ comes from `publish` and is unchanged since ---------------


def fingerprint(folder):
    """Return a hash of every file's path and content in `folder` but the stamp."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if relative == STAMP or not path.is_file():
            continue
        digest.update(relative.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def write_stamp(folder, settings_file):
    stamp = {
        "settings": Path(settings_file).name,
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": fingerprint(folder),
    }
    (Path(folder) / STAMP).write_text(json.dumps(stamp, indent=1) + "\n", "utf-8")


def verify_stamp(output):
    """Raise `PublishError` unless `output` is a site `publish` built, unchanged."""
    output = Path(output)
    again = "Erst neu bauen und veröffentlichen: invoke publish."
    if not output.is_dir():
        raise PublishError(f"{output.name}/ gibt es nicht. {again}")
    try:
        stamp = json.loads((output / STAMP).read_text("utf-8"))
    except (OSError, ValueError):
        raise PublishError(
            f"{output.name}/ stammt nicht aus `invoke publish`, sondern zum Beispiel "
            "aus `build` oder `livereload` (mit Entwürfen und Adressen auf "
            f"localhost). {again}"
        ) from None
    if stamp.get("sha256") != fingerprint(output):
        raise PublishError(
            f"{output.name}/ wurde verändert, seit `invoke publish` es gebaut hat "
            f"(vielleicht von `build` oder `livereload`). {again}"
        )


# -- deploy with ghp-import --------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A git remote (by name) and the branch on it that holds the site."""

    remote: str
    branch: str
    cname: str = ""

    def __str__(self):
        return f"{self.remote}/{self.branch}"

    def retry(self):
        """Return the command that deploys to this target again."""
        options = [
            f"--{name} {value}"
            for name, value, default in (
                ("remote", self.remote, DEFAULTS["DEPLOY_REMOTE"]),
                ("branch", self.branch, DEFAULTS["DEPLOY_BRANCH"]),
            )
            if value != default
        ]
        return " ".join([RETRY, *options])


def deploy_target(settings_file, remote=None, branch=None, cname=None, environ=None):
    """Return the `Target`: options win over the environment over the settings.

    The settings are DEPLOY_REMOTE, DEPLOY_BRANCH and DEPLOY_CNAME in
    `settings_file` (publishconf.py); environment variables of the same names
    win over them.
    """
    environ = os.environ if environ is None else environ
    settings = {}
    if settings_file and Path(settings_file).is_file():
        settings = get_settings_from_file(str(settings_file))

    def pick(name, given):
        if given is not None:
            return given
        return environ.get(name) or settings.get(name) or DEFAULTS[name]

    return Target(
        pick("DEPLOY_REMOTE", remote),
        pick("DEPLOY_BRANCH", branch),
        pick("DEPLOY_CNAME", cname),
    )


def deploy(output, repo, target, message=None, force=False):
    """Commit `output` to the target branch in `repo` and push it; return the commit.

    The branch is fetched first, so the new commit follows the published
    one and the push is a fast-forward; `force` pushes even when it is not.
    """
    output, repo = Path(output), Path(repo)
    verify_stamp(output)
    ref = f"refs/heads/{target.branch}"
    if git(repo, "remote", "get-url", target.remote).returncode:
        raise DeployError(
            f"Das Repository {repo} kennt kein Remote „{target.remote}“ "
            f"(einrichten mit: git remote add {target.remote} <URL>)."
        )
    found = git(repo, "ls-remote", "--exit-code", target.remote, ref)
    if found.returncode == 0:  # 2: the branch does not exist yet
        fetched = git(
            repo, "fetch", "--quiet", target.remote,
            f"+{ref}:refs/remotes/{target.remote}/{target.branch}",
        )  # fmt: skip
        if fetched.returncode:
            raise DeployError(failed("git fetch", fetched))
    elif found.returncode != 2:
        raise DeployError(failed("git ls-remote", found))
    before = rev(repo, ref)
    command = [
        sys.executable, "-m", "ghp_import", "--no-jekyll",
        "--remote", target.remote, "--branch", target.branch,
        "--message", message or default_message(repo),
    ]  # fmt: skip
    if target.cname:
        command += ["--cname", target.cname]
    imported = run([*command, str(output)], repo)
    after = rev(repo, ref)
    if imported.returncode or after in {None, before}:
        raise DeployError(failed("ghp-import", imported))
    try:
        # ghp-import read output/ while something else may have been writing
        # into it (livereload): push only what `publish` built.
        verify_stamp(output)
    except PublishError:
        undo = ("update-ref", ref, before) if before else ("update-ref", "-d", ref)
        git(repo, *undo)
        raise
    pushed = git(repo, "push", *(["--force"] if force else []), target.remote, ref)
    if pushed.returncode:
        raise DeployError(failed("git push", pushed))
    return after


def failed(step, result):
    """Return what went wrong in `step`: what git or ghp-import said, but hints."""
    said = [
        line.strip()
        for line in (result.stderr or result.stdout or "").splitlines()
        if line.strip() and not line.startswith("hint:")
    ][-8:]
    if not said:
        return f"{step} scheiterte ohne Meldung."
    return "\n  ".join([f"{step} meldet:", *said])


def default_message(repo):
    described = git(repo, "describe", "--always", "--dirty")
    source = described.stdout.strip() if described.returncode == 0 else ""
    return f"Seite veröffentlicht aus {source}" if source else "Seite veröffentlicht"


def rev(repo, ref):
    found = git(repo, "rev-parse", "--verify", "--quiet", ref)
    return found.stdout.strip() if found.returncode == 0 else None


def git(repo, *args):
    return run(["git", *args], repo)


def run(command, cwd):
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
