"""`python3 dev.py publish` and `gh-pages`: build aside, keep old addresses, deploy.

Publishing builds the site with publishconf.py through runner.build (into a
fresh folder, swapped in only when everything succeeded, so a failed check
or build leaves output/ and the published site exactly as they were). The
build is told the addresses of the site published last (its stamp, from the
deployed branch or output/; `published_addresses`): the plugin redirects
each address whose entry, page or series moved (a new title, a new slug)
as it redirects a `Redirect_from`, with a page and in the server maps.
Before the new site is put in place, `kept_addresses` notes those redirects
in the new stamp and reports every address that would vanish.
Deploying commits output/ to a branch with ghp-import and pushes that branch;
it refuses an output/ that `publish` did not build (a preview from `build`
or `livereload` holds drafts and addresses on localhost) or that changed
since.

Not a part of the Pelican plugin: tasks.py imports it, a build never does.
Every failure raises `PublishError` with a German message for editors.
"""

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pelican.plugins.fortsetzung.api import (
    PUBLISHED_REDIRECT,
    fold,
    next_date,
    normal,
)
from pelican.settings import get_settings_from_file

from .folders import PUBLISH_STAMP
from .runner import real_output

#: Written into every site `publish` builds: which settings built it and a
#: fingerprint of all its other files. A preview build empties output/ and
#: so removes it; `deploy` refuses an output/ without a matching stamp.
STAMP = PUBLISH_STAMP
#: Where the site goes, unless an option, the environment or the settings say
#: otherwise (in that order); the environment variables have the same names.
DEFAULTS = {"DEPLOY_REMOTE": "origin", "DEPLOY_BRANCH": "gh-pages", "DEPLOY_CNAME": ""}
RETRY = "python3 dev.py gh-pages"


class PublishError(Exception):
    """A step of publishing failed; the message says what happened, in German."""

    #: Whether output/ is as it was before (the task then says so).
    output_unchanged = True


class DeployError(PublishError):
    """The site is built, but uploading it failed; the published site is as it was."""


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
        digest.update(_file_digest(path))
    return digest.hexdigest()


def _file_digest(path):
    """Return the SHA-256 of a file, read in pieces (a video may be large)."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").digest()


def write_stamp(folder, settings_file, addresses=None, sources=None, next_due=None):
    """Stamp the site in `folder`; `sources` and `next_due` serve `due`."""
    stamp = {
        "settings": Path(settings_file).name,
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "sha256": fingerprint(folder),
        "sources": sources,
        "next_due": next_due.isoformat() if next_due else None,
        **(addresses.as_dict() if addresses else {}),
    }
    (Path(folder) / STAMP).write_text(
        json.dumps(stamp, indent=1, ensure_ascii=False) + "\n", "utf-8"
    )


def sources_fingerprint(paths):
    """Return a hash of every file that the site is built from (`paths`).

    Files and folders (content, theme, plugin, tools, settings); compiled
    Python is left out. Paths count relative to each of `paths`, so a copy
    of the project elsewhere has the same fingerprint.
    """
    digest = hashlib.sha256()
    for number, root in enumerate(Path(p) for p in paths):
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            relative = path.relative_to(root).as_posix() if root.is_dir() else ""
            digest.update(f"{number}/{relative}".encode() + b"\0")
            digest.update(_file_digest(path))
    return digest.hexdigest()


def next_due(context):
    """Return when the first scheduled entry or page of a build is due, or None."""
    return next_date([*context.get("drafts", []), *context.get("draft_pages", [])])


def due(stamp, sources, now=None):
    """Say why the site is to be published again (German), or return None.

    `stamp` is the last publication's, `sources` the fingerprint of what the
    site is built from now: publish when that changed or when an entry that
    was scheduled then is due now.
    """
    now = now or datetime.now(UTC)
    if not stamp.get("sources"):
        return "Der Stand der letzten Veröffentlichung ist unbekannt: Die Seite wird veröffentlicht."
    if stamp["sources"] != sources:
        return "Der Inhalt hat sich seit der letzten Veröffentlichung geändert."
    waiting = _date(stamp.get("next_due"))
    if waiting and waiting <= now:
        return f"Ein geplanter Beitrag ist fällig (geplant für {_shown(waiting)})."
    return None


def nothing_due_text(stamp):
    """Tell the editor (or a timer's log) that there is nothing to publish."""
    text = (
        "Nichts zu veröffentlichen: Seit der letzten Veröffentlichung hat sich "
        "nichts geändert, und kein geplanter Beitrag ist fällig."
    )
    waiting = _date(stamp.get("next_due"))
    if waiting:
        text += f" Der nächste ist für {_shown(waiting)} geplant."
    return text


def _date(text):
    try:
        return datetime.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def _shown(when):
    return f"{when:%d.%m.%Y, %H:%M} Uhr"


def read_stamp(text):
    """Return the stamp in `text` as a dict ({} if there is none or it is broken)."""
    try:
        stamp = json.loads(text or "")
    except ValueError:
        return {}
    return stamp if isinstance(stamp, dict) else {}


def verify_stamp(output):
    """Raise `PublishError` unless `output` is a site `publish` built, unchanged."""
    output = Path(output)
    again = "Erst neu bauen und veröffentlichen: python3 dev.py publish."
    if not output.is_dir():
        raise PublishError(f"{output.name}/ gibt es nicht. {again}")
    try:
        stamp = json.loads((output / STAMP).read_text("utf-8"))
    except (OSError, ValueError):
        raise PublishError(
            f"{output.name}/ stammt nicht aus `python3 dev.py publish`, sondern zum Beispiel "
            "aus `build` oder `livereload` (mit Entwürfen und Adressen auf "
            f"localhost). {again}"
        ) from None
    if stamp.get("sha256") != fingerprint(output):
        raise PublishError(
            f"{output.name}/ wurde verändert, seit `python3 dev.py publish` es gebaut hat "
            f"(vielleicht von `build` oder `livereload`). {again}"
        )


# -- published addresses stay ---------------------------------------------------


@dataclass
class Addresses:
    """Where the published entries, pages and series are, by their source file.

    `pages` maps each URL (relative to SITEURL, "2024/erster-tag/") to its
    source file (relative to content/), `redirects` maps old URLs that lead
    to a page elsewhere now, `feeds` the series feeds, `titles` each source
    file to its title (to find a renamed file again). The stamp of every
    published site holds them, so the next publication knows them.
    """

    pages: dict = field(default_factory=dict)
    redirects: dict = field(default_factory=dict)
    feeds: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)

    FIELDS = ("pages", "redirects", "feeds", "titles")

    def as_dict(self):
        return {name: getattr(self, name) for name in self.FIELDS}

    @classmethod
    def from_stamp(cls, stamp):
        def mapping(key):
            value = stamp.get(key)
            return dict(value) if isinstance(value, dict) else {}

        return cls(*(mapping(name) for name in cls.FIELDS))


def _published(context):
    """Yield (URL, source file, title) of every published entry, page and series."""
    for key in ("articles", "hidden_articles", "pages", "hidden_pages"):
        for content in context.get(key, []):
            for version in [content, *content.translations]:
                if version.save_as:
                    yield version.url, _source(version, context), version.title
    for series in context.get("series_list", []):
        yield series.url, _source(series, context), series.name


def _source(thing, context):
    """Return the file `thing` was made from, relative to the content folder."""
    return Path(os.path.relpath(thing.source_path, context["PATH"])).as_posix()


def site_addresses(context):
    """Return the `Addresses` of a site from its build's context."""
    addresses = Addresses()
    for url, source, title in _published(context):
        addresses.pages[url] = source
        addresses.titles[source] = str(title)
    for series in context.get("series_list", []):
        for kind in ("atom", "rss", "json"):
            if series.feed_path(kind):
                addresses.feeds[series.feed_path(kind)] = _source(series, context)
    return addresses


def published_addresses(before):
    """Return what the build needs of the addresses published `before`.

    FORTSETZUNG_PUBLISHED_ADDRESSES: (URL, source file, its title then) of
    every entry, page and series and of every redirect published. The plugin
    redirects each that no file of the new site has to its content's newest
    address, like a `Redirect_from` (pages and the server maps), through the
    gate of every address.
    """
    return [
        (str(url), str(source), str(before.titles.get(source, "")))
        for url, source in sorted({**before.redirects, **before.pages}.items())
    ]


@dataclass
class Kept:
    """What became of the published addresses: the new site's, what moved, vanished."""

    addresses: Addresses
    moved: dict = field(default_factory=dict)  # old URL -> new path, new this time
    vanished: list = field(default_factory=list)  # URLs and feeds that lead nowhere


def kept_addresses(folder, context, before):
    """Return what the site built in `folder` made of the addresses published `before`.

    The build redirected the addresses whose content moved (see
    `published_addresses`); the new stamp remembers those redirects, so
    that the next publication keeps them too. An address published before
    that has no file in the new site leads nowhere, nor does a series feed
    that moved: they are listed.
    """
    kept = Kept(site_addresses(context))
    for redirect in context.get("redirects", []):
        if redirect.origin == PUBLISHED_REDIRECT:
            url = redirect.old.written
            kept.addresses.redirects[url] = redirect.source
            if before.redirects.get(url) != redirect.source:
                kept.moved[url] = redirect.url
    folder = Path(folder)
    files = {
        fold(found.relative_to(folder).as_posix())
        for found in folder.rglob("*")
        if found.is_file()
    }
    for url in sorted({**before.redirects, **before.pages}):
        path = normal(url)
        if path is not None and fold(path) not in files:
            kept.vanished.append(url)
    kept.vanished += [
        path
        for path in sorted(before.feeds)
        if path not in kept.addresses.feeds and not (folder / path).is_file()
    ]
    return kept


def kept_text(kept):
    """Tell the editor which addresses now redirect and which lead nowhere."""
    lines = [
        f"Weitergeleitet: /{old} → {new} (die Adresse hat sich geändert)"
        for old, new in kept.moved.items()
    ]
    if kept.vanished:
        lines += _vanished_lines(kept.vanished)
    return "\n".join(lines)


def _vanished_lines(addresses):
    return [
        "Achtung: Diese Adressen waren veröffentlicht und führen mit der neuen "
        "Seite ins Leere (Links in Feeds, Suchmaschinen und sozialen Medien "
        "auf sie gehen verloren):",
        *(f"  /{address}" for address in addresses),
        "Wurde eine Datei umbenannt, verschoben oder gelöscht? Mit dem alten "
        "Dateinamen bleibt die Adresse erhalten (ein neuer Titel ist kein "
        "Problem: die alte Adresse leitet dann weiter).",
    ]


def last_stamp(repo, target, output, fetch=True):
    """Return the stamp of the site published last, as far as known ({}).

    From the deployed branch (with `fetch`, fetched first if the remote can
    be reached), else from the copy `remember` keeps next to output/.
    """
    ref = f"refs/heads/{target.branch}"
    remote_ref = f"refs/remotes/{target.remote}/{target.branch}"
    if fetch:
        git(repo, "fetch", "--quiet", target.remote, f"+{ref}:{remote_ref}")
    for candidate in (remote_ref, ref):
        shown = git(repo, "show", f"{candidate}:{STAMP}")
        if shown.returncode == 0:
            return read_stamp(shown.stdout)
    memory = memory_file(output)
    if memory.is_file():
        return read_stamp(memory.read_text("utf-8"))
    return {}


def memory_file(output):
    output = real_output(output)
    return output.with_name(f".{output.name}.published.json")


def remember(output):
    """Keep a copy of the stamp next to output/: a preview build replaces output/."""
    memory_file(output).write_text((Path(output) / STAMP).read_text("utf-8"), "utf-8")


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
    remote = git(repo, "remote", "get-url", target.remote)
    if remote.returncode == NOT_RUN:
        raise DeployError(remote.stderr)
    if remote.returncode:
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
    """Run `command` in `cwd`; a program that is missing fails like any other."""
    try:
        return subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as error:  # not installed, or the folder is gone
        said = f"{command[0]} lässt sich nicht ausführen ({error.strerror})."
        return subprocess.CompletedProcess(command, NOT_RUN, "", said)


#: The exit status of a command that could not be started (as in a shell).
NOT_RUN = 127
