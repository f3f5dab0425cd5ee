"""The browser editor's backend: Decap CMS's local protocol, answered by the preview.

Decap CMS (the editor at /admin/) reads and writes the repository through a
small JSON protocol, `POST /admin/api/v1` with `{action, params}`: the one
decap-server speaks in its git mode (Decap 3.16.3). The live preview's own
server answers it, so the editor needs no second program and has the
preview's origin; a request reaches `Backend.handle` only through the door
in editor.py (`answer`): from this page's origin, JSON of a size within
`Backend.request_limit`. Every refusal here is a `Refused`, which the door
answers as `{"error": "<German>"}` (Decap shows it to the trainee).

Why not decap-server itself: it checks the entry's branch out in the
trainee's working tree for every save, which makes the live preview flicker
between branches and can clobber what is open in another program. Here:

- **The working tree is left alone while editing.** An entry's branch
  (`cms/<collection>/<slug>`, Decap's names) is written with git's plumbing
  (a temporary index, `hash-object`, `update-index`, `write-tree`,
  `commit-tree`), one commit a save, by the author in `git config user.name`
  and `user.email`, and moved with `update-ref` from the value it had, so a
  concurrent change is refused. Its workflow status (Entwurf, In Prüfung,
  Bereit) is git's `branch.<name>.description`, as decap-server keeps it.
  An entry of the default branch is read from the working tree (what the
  preview shows); an unpublished one from its branch. Only publishing, and
  what Decap does on the default branch directly (pictures of the media
  library, deleting), touch the working tree: a `git merge --no-ff` into the
  checked-out default branch, or a commit on it whose files are then written.
- **Nothing is lost.** The SHA-256 of every file served is remembered: saving
  over a file that changed since the editor loaded it is refused (409), and
  so is writing a file of the default branch that has changes not in git. A
  merge that conflicts or that git refuses is aborted and the branch kept;
  a discarded entry's branch is kept under refs/verworfen/. Nothing here
  runs `reset --hard` or deletes an unmerged branch.
- **Only content/.** Every path of every request goes through one function
  (`Backend.confined`): inside the content folder, also after symbolic
  links, no `..`, no hidden or .git folder, no backslash, NUL or percent
  sign. Uploads go only into content/images/<folder of the entry>/ (what
  `new` tells authors), with a safe name of a type the site publishes, and
  are checked by `check` itself before anything is written.
- **No error can be published.** Moving an entry to "Bereit" and publishing
  it run the site's check on what the merge would make (`git merge-tree`,
  exported with `git archive`), in a process of its own (Pelican's signals
  are global: a check in this process would mix with the preview's builds);
  errors on the entry's files, or new ones elsewhere, refuse it with
  `check`'s German messages, each field named by the editor's label
  (editor_config.label). The action `check` gives the preview pane the same
  problems.
"""

import base64
import hashlib
import io
import json
import os
import posixpath
import re
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from http import HTTPStatus
from pathlib import Path

from pelican.plugins.fortsetzung import api

from sitetools import editor_config, runner

ENDPOINT = "/admin/api/v1"
#: What the preview pane may show of content/images/ (`Backend.picture`).
PICTURES = {".avif", ".gif", ".jpeg", ".jpg", ".png", ".svg", ".webp"}
#: Decap's branch prefix and default label prefix (decap-cms-lib-util APIUtils).
CMS = "cms"
LABEL_PREFIX = "decap-cms/"
STATUSES = ("draft", "pending_review", "pending_publish")
READY = "pending_publish"
#: Where discarded entries' branches are kept (not shown by `git branch`).
DISCARDED = "refs/verworfen"
#: A collection's or an entry's name in a branch: letters, digits, - _ and
#: inner dots (git's rules for a part of a ref name hold then).
NAME = re.compile(r"[^\W_][\w-]*(?:\.[\w-]+)*")
#: A file name an upload may have: a lower-case slug and one type.
UPLOAD_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\.[a-z0-9]+")
#: Bytes of a request besides its files (the entry's text is limited apart).
REQUEST_SLACK = 1_000_000
#: Seconds a check of the site may take.
CHECK_TIMEOUT = 600


class Refused(Exception):
    """A request the backend does not carry out; the message is German."""

    def __init__(self, message, status=HTTPStatus.UNPROCESSABLE_ENTITY):
        super().__init__(message)
        self.status = status


def conflict(message):
    return Refused(message, HTTPStatus.CONFLICT)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# -- the backend ----------------------------------------------------------------------


class Backend:
    """Decap's local git backend for the content folder of one site."""

    def __init__(self, settings_file, content, overrides=None):
        self.settings_file = Path(settings_file).resolve()
        self.content = Path(content).resolve()
        self.overrides = dict(overrides or {})
        self.lock = threading.Lock()  # one change of the repository at a time
        self.served = {}  # (ref or "" for the working tree, path) -> sha256 or None
        self._settings = None
        self._root = None

    # -- what it works on

    @property
    def settings(self):
        if self._settings is None:
            settings = runner.settings_for(
                self.settings_file, self.content, **self.overrides
            )
            api.configure(settings)
            self._settings = settings
        return self._settings

    @property
    def root(self):
        """The repository's top folder (the content folder must be in one)."""
        if self._root is None:
            found = subprocess.run(
                ["git", "rev-parse", "--show-toplevel"],
                cwd=self.content,
                capture_output=True,
                text=True,
                check=False,
            )
            if found.returncode != 0:
                raise conflict(
                    "Der Inhaltsordner liegt in keinem git-Repository: Der Editor "
                    "speichert Beiträge mit git. Klonen Sie das Projekt mit git."
                )
            self._root = Path(found.stdout.strip()).resolve()
        return self._root

    @property
    def prefix(self):
        """The content folder as paths in the repository begin: "content"."""
        return self.content.relative_to(self.root).as_posix()

    @property
    def images(self):
        """Where uploads go: the first of STATIC_PATHS, "content/images"."""
        return f"{self.prefix}/{self.settings['STATIC_PATHS'][0].strip('/')}"

    def request_limit(self):
        """Return the bytes a request may have.

        A file as large as `check` allows, in base64 (4 bytes for 3), an
        entry's text JSON-escaped, and some more.
        """
        static = self.settings.get("FORTSETZUNG_MAX_STATIC_FILE_SIZE") or 10**9
        text = self.settings.get("FORTSETZUNG_MAX_TEXT_FILE_SIZE") or 10**7
        return -(-static * 4 // 3) + 2 * text + REQUEST_SLACK

    def media_folder(self, entry_path):
        """Return where the pictures of the entry at `entry_path` go.

        content/images/<the entry's folder in content/>: a series' slug,
        blog, series, pages (as `new` and `new-series` tell authors).
        """
        folder = entry_path[len(self.prefix) + 1 :].split("/")[0]
        return f"{self.images}/{folder}"

    # -- the one gate for paths

    def confined(self, path, below=None, folder=False):
        """Return `path` (relative to the repository) if it is a safe path in content/.

        Refused: anything but a plain relative path with "/" (backslashes, NUL,
        control characters, percent signs, "..", ".", empty or hidden parts,
        .git), a path outside the content folder (or `below`), and a path whose
        real place (symbolic links followed) is not inside the content folder.
        `folder`: the content folder itself is allowed.
        """
        below = below or self.prefix
        parts = path.split("/") if isinstance(path, str) else []
        if (
            not parts
            or len(path) > 1000
            or any(c in path for c in "\\%")
            or any(ord(c) < 32 or ord(c) == 127 for c in path)
            or any(not part or part.startswith(".") for part in parts)
            or not ((path == below and folder) or path.startswith(f"{below}/"))
        ):
            raise Refused(f"Abgelehnt: „{str(path)[:200]}“ ist kein Pfad in {below}/.")
        real = os.path.realpath(self.root / path)
        content = os.path.realpath(self.content)
        if os.path.commonpath([real, content]) != content:
            raise Refused(
                f"Abgelehnt: „{path}“ führt aus {self.prefix}/ hinaus "
                "(eine symbolische Verknüpfung)."
            )
        return path

    def _text_path(self, path):
        path = self.confined(path)
        if not path.lower().endswith(api.MARKDOWN_FILES):
            raise Refused(f"Abgelehnt: „{path}“ ist keine Textdatei eines Beitrags.")
        return path

    # -- git

    def git(self, *args, data=None, env=None, check=True):
        """Run git in the repository; return its output (bytes)."""
        done = subprocess.run(
            ["git", *args],
            cwd=self.root,
            input=data,
            capture_output=True,
            env={**os.environ, "LC_ALL": "C", **(env or {})},
            check=False,
        )
        if check and done.returncode != 0:
            raise GitError(args, done.stderr.decode("utf-8", "replace"))
        return done.stdout if check else done

    def tip(self, branch):
        """Return the commit of `branch`, or None if there is none."""
        done = self.git(
            "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}",
            check=False,
        )  # fmt: skip
        return done.stdout.decode().strip() if done.returncode == 0 else None

    def default(self, params):
        """Return the default branch Decap names (`params.branch`) if it exists."""
        branch = params.get("branch")
        if (
            not isinstance(branch, str)
            or not re.fullmatch(r"[\w.-]+(/[\w.-]+)*", branch)
            or ".." in branch
            or self.tip(branch) is None
        ):
            raise Refused(
                f"Den Zweig „{str(branch)[:100]}“ gibt es in diesem Repository nicht "
                "(backend.branch in der Konfiguration des Editors)."
            )
        return branch

    def author(self):
        """Return git's environment for commits by the person in `git config`."""
        said = {}
        for key in ("name", "email"):
            done = self.git("config", "--get", f"user.{key}", check=False)
            said[key] = done.stdout.decode("utf-8", "replace").strip()
        if not (said["name"] and said["email"]):
            raise conflict(
                "Git kennt Ihren Namen noch nicht, und jede Änderung wird mit dem "
                "Namen gespeichert, der sie gemacht hat. Beenden Sie die Vorschau "
                "(Strg+C) und starten Sie sie wieder mit „python3 dev.py "
                "livereload“: Sie fragt dann nach Ihrem Namen. Ihr Text ist noch im "
                "Editor; speichern Sie danach noch einmal."
            )
        return {
            "GIT_AUTHOR_NAME": said["name"], "GIT_AUTHOR_EMAIL": said["email"],
            "GIT_COMMITTER_NAME": said["name"], "GIT_COMMITTER_EMAIL": said["email"],
        }  # fmt: skip

    def commit(self, parent, changes, message):
        """Return a new commit: `parent` with `changes` ({path: bytes or None})."""
        author = self.author()
        with tempfile.TemporaryDirectory() as folder:
            index = {"GIT_INDEX_FILE": os.path.join(folder, "index")}
            self.git("read-tree", parent, env=index)
            for path, data in changes.items():
                if data is None:
                    self.git("update-index", "--force-remove", "--", path, env=index)
                    continue
                blob = self.git("hash-object", "-w", "--stdin", data=data).decode()
                self.git(
                    "update-index", "--add", "--cacheinfo",
                    f"100644,{blob.strip()},{path}", env=index,
                )  # fmt: skip
            tree = self.git("write-tree", env=index).decode().strip()
        made = self.git(
            "commit-tree", "--no-gpg-sign", tree, "-p", parent,
            data=message.encode("utf-8"), env=author,
        )  # fmt: skip
        return made.decode().strip()

    def move(self, branch, new, old):
        """Point `branch` at `new` if it still is at `old` (None: if it is new)."""
        zero = "0" * len(new)
        done = self.git(
            "update-ref", "-m", "Fortsetzung-Editor", f"refs/heads/{branch}", new,
            old or zero, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise conflict(
                "Gleichzeitig hat jemand anderes diesen Beitrag gespeichert. Damit "
                "nichts verloren geht, wurde nicht gespeichert: Kopieren Sie Ihren "
                "Text, laden Sie die Seite neu und fügen Sie Ihre Änderungen wieder ein."
            )

    def read(self, ref, path):
        """Return the bytes of `path` on `ref` (None if it has none)."""
        done = self.git("cat-file", "blob", f"{ref}:{path}", check=False)
        return done.stdout if done.returncode == 0 else None

    def status_of(self, branch, prefix=None):
        done = self.git("config", "--get", f"branch.{branch}.description", check=False)
        found = done.stdout.decode("utf-8", "replace").strip()
        return found.removeprefix(prefix or LABEL_PREFIX) if found else None

    def set_status(self, branch, status, prefix=None):
        if status not in STATUSES:
            raise Refused(f"Den Status „{str(status)[:50]}“ kennt der Editor nicht.")
        self.git(
            "config",
            f"branch.{branch}.description",
            f"{prefix or LABEL_PREFIX}{status}",
        )

    # -- files in the working tree

    def working_file(self, path):
        """Return the bytes of the regular file at `path` (None if there is none)."""
        full = self.root / path
        try:
            if not full.is_file():
                return None
            return full.read_bytes()
        except OSError:
            return None

    def picture(self, path):
        """Return the bytes of a picture for the editor's preview pane, or None.

        `path` as the text names it after {static}/ (images/<folder>/x.png):
        the working tree's file, else the one an unpublished entry brings
        (on its branch). Only a picture below content/images/.
        """
        try:
            path = self.confined(f"{self.prefix}/{path}", below=self.images)
        except Refused:
            return None
        allowed = {
            f".{kind}".lower() for kind in self.settings["FORTSETZUNG_STATIC_TYPES"]
        }
        if posixpath.splitext(path)[1].lower() not in PICTURES & allowed:
            return None
        found = self.working_file(path)
        for ref in [] if found else self.cms_branches():
            found = self.read(ref, path)
            if found is not None:
                break
        return found

    def cms_branches(self):
        """Return the full names of the entries' branches (refs/heads/cms/…)."""
        refs = self.git("for-each-ref", "--format=%(refname)", f"refs/heads/{CMS}/")
        return refs.decode("utf-8", "replace").splitlines()

    def serve(self, ref, path, data):
        """Remember what the editor was given of `path` (see `unchanged`)."""
        self.served[ref, path] = None if data is None else sha256(data)

    def unchanged(self, ref, path, now):
        """Refuse (409) if `path` on `ref` is not what the editor was given."""
        seen = self.served.get((ref, path), "never")
        now = None if now is None else sha256(now)
        if seen != now and not (seen == "never" and now is None):
            raise conflict(
                f"Die Datei {path} wurde geändert, seit der Editor sie geladen hat "
                "(in einem anderen Fenster oder Programm). Damit nichts verloren geht, "
                "wurde nicht gespeichert. Kopieren Sie Ihren Text, laden Sie die Seite "
                "neu und fügen Sie Ihre Änderungen wieder ein."
            )

    def entry(self, path, label=None):
        data = self.working_file(path)
        self.serve("", path, data)
        file = {"path": path, "id": None if data is None else sha256(data)}
        if label is not None:
            file["label"] = label
        return {"data": None if data is None else _text(data), "file": file}

    def media(self, path, data, ref=""):
        self.serve(ref, path, data)
        return {
            "id": sha256(data), "content": base64.b64encode(data).decode("ascii"),
            "encoding": "base64", "path": path, "name": path.rsplit("/", 1)[-1],
        }  # fmt: skip

    def listing(self, folder, extension="", depth=1):
        """Yield the safe paths of the files in `folder` (working tree), to `depth`."""
        base = self.root / folder
        for place, folders, names in os.walk(base):
            level = len(Path(place).relative_to(base).parts) + 1
            folders[:] = sorted(
                f for f in folders if level < depth and not f.startswith(".")
            )
            for name in sorted(names):
                path = Path(place, name).relative_to(self.root).as_posix()
                if name.endswith(extension) and (self.root / path).is_file():
                    try:
                        yield self.confined(path)
                    except Refused:
                        continue

    # -- checks

    def problems(self, ref, paths, raw=None):
        """Return the problems `check` finds on `ref` (a tree) in the files `paths`.

        `raw`: {path: text} put in place of the files first.
        """
        found = self.check_tree(ref, raw)
        return [p for p in found if p["file"] in paths]

    def check_tree(self, ref, raw=None):
        """Run `check` on the content of the tree `ref` (+ `raw`); return problems."""
        with tempfile.TemporaryDirectory(prefix="fortsetzung-pruefung-") as folder:
            archive = self.git("archive", "--format=tar", ref, "--", self.prefix)
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(folder, filter=_inside)
            for path, text in (raw or {}).items():
                target = Path(folder, path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, "utf-8")
            (Path(folder) / self.prefix).mkdir(parents=True, exist_ok=True)
            return self.check_folder(folder)

    def check_folder(self, folder):
        """Run `check` on `folder`/<content> in a process of its own."""
        done = subprocess.run(
            [
                sys.executable, "-m", "sitetools.editor_backend",
                str(self.settings_file), self.prefix, json.dumps(self.overrides),
            ],
            cwd=folder, capture_output=True, timeout=CHECK_TIMEOUT, check=False,
        )  # fmt: skip
        try:
            found = json.loads(done.stdout)
        except ValueError:
            print(done.stderr.decode("utf-8", "replace"), flush=True)
            raise Refused(
                "Die Prüfung des Beitrags lief nicht durch (das Fenster der Vorschau "
                "sagt mehr). Es wurde nichts veröffentlicht.",
                HTTPStatus.INTERNAL_SERVER_ERROR,
            ) from None
        return [
            {
                "file": p["path"], "line": p["line"], "field": p["field"],
                "label": editor_config.label(p["field"], self.settings),
                "message": p["message"],
                "fix": p["fix"], "severity": p["severity"],
            }
            for p in found
        ]  # fmt: skip

    def blocking(self, tree, paths, base):
        """Return the errors that keep the tree `tree` from the default branch.

        Errors on the changed files `paths`, and errors elsewhere that `base`
        (the default branch) does not have: what a change breaks.
        """
        errors = [p for p in self.check_tree(tree) if p["severity"] == "error"]
        own = [p for p in errors if p["file"] in paths]
        if len(own) == len(errors):
            return own
        before = {_key(p) for p in self.check_tree(base) if p["severity"] == "error"}
        return [p for p in errors if p["file"] in paths or _key(p) not in before]

    def refuse_errors(self, errors, doing):
        if errors:
            raise Refused(
                f"{doing} geht noch nicht: `check` hat Fehler gefunden.\n"
                + "\n".join(map(editor_config.said, errors))
                + "\nBitte korrigieren und speichern Sie den Beitrag; dann geht es."
            )

    def vet_uploads(self, files):
        """Refuse uploads `check` would refuse; `files`: {path: bytes}.

        The rules are `check`'s (types the site publishes, the size limit,
        whole pictures, SVG drawings without scripts), applied by `check`
        itself to the files alone; a safe name comes first.
        """
        if not files:
            return
        allowed = self.settings.get("FORTSETZUNG_STATIC_TYPES") or ()
        allowed = sorted({str(kind).lower().lstrip(".") for kind in allowed})
        limit = self.settings.get("FORTSETZUNG_MAX_STATIC_FILE_SIZE")
        for path, data in files.items():
            name = path.rsplit("/", 1)[-1]
            kind = name.rsplit(".", 1)[-1]
            if not UPLOAD_NAME.fullmatch(name) or kind not in allowed:
                raise Refused(
                    f"Die Datei „{name}“ wurde nicht gespeichert: Ein Dateiname "
                    "besteht hier aus kleinen Buchstaben, Ziffern, - und _ und "
                    "einer Endung, und hochgeladen werden nur Dateien, die die "
                    f"Website veröffentlicht ({', '.join(allowed)})."
                )
            if limit and len(data) > limit:
                with api.speaking(self.settings):
                    raise Refused(
                        f"Die Datei „{name}“ ist {api.size(len(data))} groß; eine "
                        "Datei, die in die Website kopiert wird, darf höchstens "
                        f"{api.size(limit)} groß sein. Sie wurde nicht gespeichert. "
                        "Verkleinern Sie sie (ein Bild: etwa 2000 Pixel breit)."
                    )
        with tempfile.TemporaryDirectory(prefix="fortsetzung-upload-") as folder:
            for path, data in files.items():
                target = Path(folder, path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            errors = [
                p
                for p in self.check_folder(folder)
                if p["file"] in files and p["severity"] == "error"
            ]
        if errors:
            raise Refused(
                "Nicht gespeichert: "
                + " ".join(f"{p['file']}: {p['message']} {p['fix']}" for p in errors)
            )

    # -- the actions

    def handle(self, action, params):
        """Carry out one request of Decap; return what to answer (JSON)."""
        method = ACTIONS.get(action)
        if method is None:
            raise Refused(f"Das kann der Editor hier nicht: „{action[:50]}“.")
        try:
            if action in READING:
                return method(self, params)
            with self.lock:
                return method(self, params)
        except (KeyError, TypeError, AttributeError, ValueError, IndexError):
            raise Refused(
                "Die Anfrage des Editors ist unvollständig oder fehlerhaft.",
                HTTPStatus.BAD_REQUEST,
            ) from None

    def info(self, params):
        return {
            "repo": self.root.name,
            "publish_modes": ["simple", "editorial_workflow"],
            "type": "local_git",
        }

    def entries_by_folder(self, params):
        self.default(params)
        folder = self.confined(params["folder"], folder=True)
        depth = int(params.get("depth") or 1)
        extension = str(params.get("extension") or "")
        return [self.entry(path) for path in self.listing(folder, extension, depth)]

    def entries_by_files(self, params):
        self.default(params)
        return [
            self.entry(self.confined(file["path"]), file.get("label"))
            for file in params["files"]
        ]

    def get_entry(self, params):
        self.default(params)
        return self.entry(self.confined(params["path"]))

    def unpublished_entries(self, params):
        self.default(params)
        keys = [ref.removeprefix(f"refs/heads/{CMS}/") for ref in self.cms_branches()]
        return [key for key in keys if _is_key(key)]

    def unpublished_entry(self, params):
        default = self.default(params)
        if params.get("id"):
            collection, _slash, slug = str(params["id"]).partition("/")
        else:
            collection, slug = params["collection"], params["slug"]
        branch = cms_branch(collection, slug)
        if self.tip(branch) is None:
            raise Refused(
                "Diesen Beitrag gibt es nicht im Arbeitsablauf.", HTTPStatus.NOT_FOUND
            )
        diffs = self.diffs(default, branch)
        authors = (
            self.git("log", "--reverse", "--format=%an", f"{default}..{branch}")
            .decode("utf-8", "replace")
            .splitlines()
        )
        return {
            "collection": collection,
            "slug": slug,
            "status": self.status_of(branch, params.get("cmsLabelPrefix")),
            "diffs": diffs,
            "updatedAt": self.git("log", "-1", "--format=%cI", branch).decode().strip(),
            "pullRequestAuthor": authors[0] if authors else None,
        }

    def diffs(self, default, branch):
        """Return Decap's list of the files the entry's branch adds or changes."""
        said = self.git(
            "diff", "--name-status", "--no-renames", "-z", f"{default}...{branch}",
            "--", self.prefix,
        ).decode("utf-8", "surrogateescape").split("\0")  # fmt: skip
        diffs = []
        for status, path in zip(said[0::2], said[1::2], strict=False):
            if status in ("A", "M", "T"):
                diffs.append({
                    "oldPath": path, "newPath": path, "path": path, "id": path,
                    "status": "added" if status == "A" else "modified",
                    "newFile": status == "A",
                    "binary": not path.lower().endswith(api.MARKDOWN_FILES),
                })  # fmt: skip
        return diffs

    def unpublished_entry_data_file(self, params):
        self.default(params)
        branch = cms_branch(params["collection"], params["slug"])
        path = self.confined(params["path"])
        data = self.read(f"refs/heads/{branch}", path)
        self.serve(branch, path, data)
        return {"data": None if data is None else _text(data)}

    def unpublished_entry_media_file(self, params):
        self.default(params)
        branch = cms_branch(params["collection"], params["slug"])
        path = self.confined(params["path"])
        data = self.read(f"refs/heads/{branch}", path)
        if data is None:
            raise Refused(f"Die Datei {path} gibt es nicht.", HTTPStatus.NOT_FOUND)
        return self.media(path, data, branch)

    def delete_unpublished_entry(self, params):
        self.default(params)
        branch = cms_branch(params["collection"], params["slug"])
        tip = self.tip(branch)
        if tip is not None:
            # kept: a discarded entry can be brought back (git branch <name> <ref>)
            kept = f"{DISCARDED}/{branch}/{time.strftime('%Y%m%d-%H%M%S')}"
            self.git("update-ref", kept, tip)
            self.git("update-ref", "-d", f"refs/heads/{branch}", tip)
            self.git("config", "--remove-section", f"branch.{branch}", check=False)
        return {"message": f"Beitrag verworfen; aufbewahrt unter {DISCARDED}/{branch}/"}

    def persist_entry(self, params):
        default = self.default(params)
        options = params["options"]
        files = params.get("dataFiles") or [params["entry"]]
        message = _message(options["commitMessage"])
        changes = {}
        for file in files:
            path = self._text_path(file["path"])
            raw = file["raw"]
            if not isinstance(raw, str):
                raise TypeError
            changes[path] = raw.encode("utf-8")
            if file.get("newPath"):
                changes[self._text_path(file["newPath"])] = changes.pop(path)
                changes[path] = None
        entry_path = next(p for p, data in changes.items() if data is not None)
        media = self.uploads(params.get("assets") or [], self.media_folder(entry_path))
        if not options.get("useWorkflow"):
            self.vet_uploads(media)
            self.publish_directly(default, {**changes, **media}, message, check=True)
            return {"message": "Gespeichert und veröffentlicht."}
        branch = cms_branch(options["collectionName"], files[0]["slug"])
        tip = self.tip(branch)
        for path in changes:
            if tip is None:
                self.unchanged("", path, self.working_file(path))
            else:
                self.unchanged(branch, path, self.read(tip, path))
        self.vet_uploads(media)
        new = self.commit(tip or self.tip(default), {**changes, **media}, message)
        self.move(branch, new, tip)
        if tip is None:
            self.set_status(
                branch, options.get("status") or "draft", params.get("cmsLabelPrefix")
            )
        for path, data in changes.items():
            self.serve(branch, path, data)
        return {"message": "Gespeichert."}

    def uploads(self, assets, folder):
        """Return {path: bytes} of Decap's assets; each must go into `folder`."""
        files = {}
        for asset in assets:
            path = self.confined(asset["path"], below=self.images)
            if path.rsplit("/", 1)[0] != folder:
                raise Refused(
                    f"Bilder dieses Beitrags gehören in den Ordner {folder}/, nicht "
                    f"nach {path}. Es wurde nichts gespeichert."
                )
            if asset.get("encoding") != "base64":
                raise ValueError
            files[path] = base64.b64decode(asset["content"], validate=True)
        return files

    def update_unpublished_entry_status(self, params):
        default = self.default(params)
        branch = cms_branch(params["collection"], params["slug"])
        status = params["newStatus"]
        if self.tip(branch) is None:
            raise Refused(
                "Diesen Beitrag gibt es nicht im Arbeitsablauf.", HTTPStatus.NOT_FOUND
            )
        if status == READY:
            tree, paths = self.merged(default, branch)
            self.refuse_drafts(tree, paths)
            self.refuse_errors(
                self.blocking(tree, paths, default), "„Bereit“ zum Veröffentlichen"
            )
        self.set_status(branch, status, params.get("cmsLabelPrefix"))
        return {"message": "Status geändert."}

    def refuse_drafts(self, tree, paths):
        """Refuse an entry whose Status is still `draft`: it would not be shown.

        "Bereit" and publishing mean "on the site": an entry the trainee
        left at `Status: draft` (what `new` and the editor start with)
        would be taken over and stay invisible. The editor says so instead.
        """
        for path in sorted(p for p in paths if p.lower().endswith(api.MARKDOWN_FILES)):
            text = self.read(tree, path)
            status = api.parse_header(_text(text)).get("status") if text else None
            if status is not None and status.value.strip().lower() == "draft":
                raise Refused(
                    f"„{path.removeprefix(self.prefix + '/')}“ steht noch im Feld "
                    f"„{editor_config.label('Status', self.settings)}“ auf „Entwurf“: "
                    "So würde der Beitrag übernommen, aber nicht gezeigt. Wählen Sie "
                    "dort „veröffentlicht (oder geplant: ab dem Datum)“, speichern "
                    "Sie, und versuchen Sie es noch einmal."
                )

    def merged(self, default, branch):
        """Return (the tree the merge of `branch` would make, the entry's files)."""
        paths = {d["path"] for d in self.diffs(default, branch)}
        done = self.git("merge-tree", "--write-tree", default, branch, check=False)
        if done.returncode != 0:
            raise conflict(MERGE_CONFLICT.format(branch=branch, default=default))
        return done.stdout.decode().split("\n", 1)[0].strip(), paths

    def publish_unpublished_entry(self, params):
        default = self.default(params)
        branch = cms_branch(params["collection"], params["slug"])
        tip = self.tip(branch)
        if tip is None:
            raise Refused(
                "Diesen Beitrag gibt es nicht im Arbeitsablauf.", HTTPStatus.NOT_FOUND
            )
        self.on_default(default)
        tree, paths = self.merged(default, branch)
        self.refuse_drafts(tree, paths)
        self.refuse_errors(self.blocking(tree, paths, default), "Veröffentlichen")
        done = self.git(
            "merge", "--no-ff", "--no-edit", "--no-gpg-sign", "-m",
            f"Veröffentlicht: {', '.join(sorted(paths)) or branch}", tip,
            env=self.author(), check=False,
        )  # fmt: skip
        if done.returncode != 0:
            merging = self.git("rev-parse", "-q", "--verify", "MERGE_HEAD", check=False)
            if merging.returncode == 0:
                self.git("merge", "--abort", check=False)
            raise conflict(
                MERGE_REFUSED.format(
                    branch=branch, default=default, paths=", ".join(sorted(paths))
                )
            )
        self.git("branch", "-d", branch)  # merged: git checks that it is
        return {"message": f"Veröffentlicht: {branch} ist jetzt in {default}."}

    def on_default(self, default):
        head = (
            self.git("symbolic-ref", "-q", "HEAD", check=False).stdout.decode().strip()
        )
        if head != f"refs/heads/{default}":
            raise conflict(
                f"Veröffentlichen geht nur, wenn im Projektordner der Zweig „{default}“ "
                f"ausgewählt ist (jetzt: „{head.removeprefix('refs/heads/') or 'keiner'}“). "
                f"Wechseln Sie mit „git switch {default}“ und versuchen Sie es noch einmal."
            )

    def publish_directly(self, default, changes, message, check):
        """Commit `changes` on the default branch and write them into the working tree.

        What Decap does without review: only when the default branch is
        checked out and none of the files has changes that are not in git.
        """
        self.on_default(default)
        tip = self.tip(default)
        for path in changes:
            self.unchanged("", path, self.working_file(path))
        local = self.git("status", "--porcelain", "-z", "--", *changes).strip(b"\0")
        if local:
            raise conflict(
                "Nicht gespeichert: Im Projektordner gibt es Änderungen an "
                f"{', '.join(changes)}, die noch nicht in git gespeichert sind. "
                "Bitten Sie jemanden, der git kennt, sie zu speichern (commit) oder "
                "zu verwerfen; dann geht es."
            )
        new = self.commit(tip, changes, message)
        if check:
            paths = {p for p, data in changes.items() if data is not None}
            self.refuse_errors(self.blocking(new, paths, tip), "Veröffentlichen")
        self.move(default, new, tip)
        for path, data in changes.items():
            target = self.root / path
            if data is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            self.serve("", path, data)
        self.git("reset", "-q", "--", *changes)  # the index follows for these files

    def get_media(self, params):
        self.default(params)
        folder = self.confined(params["mediaFolder"], below=self.images, folder=True)
        return [self.media(p, self.working_file(p)) for p in self.listing(folder)]

    def get_media_file(self, params):
        self.default(params)
        path = self.confined(params["path"])
        data = self.working_file(path)
        if data is None:
            raise Refused(f"Die Datei {path} gibt es nicht.", HTTPStatus.NOT_FOUND)
        return self.media(path, data)

    def persist_media(self, params):
        default = self.default(params)
        asset = params["asset"]
        path = self.confined(asset["path"], below=self.images)
        media = self.uploads([asset], path.rsplit("/", 1)[0])
        self.vet_uploads(media)
        self.publish_directly(
            default, media, _message(params["options"]["commitMessage"]), check=False
        )
        return self.media(path, media[path])

    def delete_file(self, params):
        return self.delete_files({**params, "paths": [params["path"]]})

    def delete_files(self, params):
        default = self.default(params)
        paths = [self.confined(p) for p in params["paths"]]
        message = _message(params["options"]["commitMessage"])
        self.publish_directly(default, dict.fromkeys(paths), message, check=True)
        return {"message": "Gelöscht."}

    def get_deploy_preview(self, params):
        return None

    def check(self, params):
        """Return the problems of one entry, for the editor's preview pane.

        {collection, slug}: of its branch, as publishing would check it;
        {path, raw} (and, if it has one, collection and slug): of the text
        `raw` as the file `path`.
        """
        default = self.default(params)
        branch = None
        if params.get("collection") and params.get("slug"):
            branch = cms_branch(params["collection"], params["slug"])
            if self.tip(branch) is None:
                branch = None
        if "raw" in params:
            path = self._text_path(params["path"])
            if not isinstance(params["raw"], str):
                raise TypeError
            ref = f"refs/heads/{branch or default}"
            found = self.problems(ref, {path}, {path: params["raw"]})
        elif branch is None:
            raise Refused(
                "Diesen Beitrag gibt es nicht im Arbeitsablauf.", HTTPStatus.NOT_FOUND
            )
        else:
            tree, paths = self.merged(default, branch)
            found = self.problems(tree, paths)
        return {"problems": found}


#: Decap's actions, and the backend's method for each.
ACTIONS = {
    "info": Backend.info,
    "entriesByFolder": Backend.entries_by_folder,
    "entriesByFiles": Backend.entries_by_files,
    "getEntry": Backend.get_entry,
    "unpublishedEntries": Backend.unpublished_entries,
    "unpublishedEntry": Backend.unpublished_entry,
    "unpublishedEntryDataFile": Backend.unpublished_entry_data_file,
    "unpublishedEntryMediaFile": Backend.unpublished_entry_media_file,
    "deleteUnpublishedEntry": Backend.delete_unpublished_entry,
    "persistEntry": Backend.persist_entry,
    "updateUnpublishedEntryStatus": Backend.update_unpublished_entry_status,
    "publishUnpublishedEntry": Backend.publish_unpublished_entry,
    "getMedia": Backend.get_media,
    "getMediaFile": Backend.get_media_file,
    "persistMedia": Backend.persist_media,
    "deleteFile": Backend.delete_file,
    "deleteFiles": Backend.delete_files,
    "getDeployPreview": Backend.get_deploy_preview,
    "check": Backend.check,
}
#: Actions that change nothing: they need not wait for one that does.
READING = {
    "info", "entriesByFolder", "entriesByFiles", "getEntry", "unpublishedEntries",
    "unpublishedEntry", "unpublishedEntryDataFile", "unpublishedEntryMediaFile",
    "getMedia", "getMediaFile", "getDeployPreview", "check",
}  # fmt: skip

MERGE_CONFLICT = (
    "„{branch}“ lässt sich nicht mit „{default}“ zusammenführen: Dieselben "
    "Dateien wurden dort inzwischen anders geändert. Es wurde nichts verändert; "
    "der Beitrag bleibt im Arbeitsablauf. Bitten Sie jemanden, der git kennt, "
    "den Zweig {branch} mit {default} zusammenzuführen (git merge)."
)
MERGE_REFUSED = (
    "Veröffentlichen ging nicht: git hat das Zusammenführen von „{branch}“ "
    "abgelehnt, meist weil im Projektordner Änderungen an {paths} noch nicht "
    "in git gespeichert sind. Es wurde nichts verändert, der Beitrag bleibt "
    "im Arbeitsablauf. Bitten Sie jemanden, der git kennt, diese Änderungen "
    "zu speichern (commit) oder zu verwerfen; dann noch einmal veröffentlichen."
)


class GitError(Exception):
    """Git failed where it should not; the message is git's (for the console)."""

    def __init__(self, args, said):
        super().__init__(f"git {' '.join(args[:3])}: {said.strip()[:500]}")


def cms_branch(collection, slug):
    """Return Decap's branch of an entry, `cms/<collection>/<slug>`, if both are safe."""
    for name in (collection, slug):
        if (
            not isinstance(name, str)
            or len(name) > 150
            or not NAME.fullmatch(name)
            or name.endswith(".lock")
        ):
            raise Refused(
                f"Abgelehnt: „{str(name)[:100]}“ ist kein Name eines Beitrags."
            )
    return f"{CMS}/{collection}/{slug}"


def _is_key(key):
    collection, _slash, slug = key.partition("/")
    try:
        cms_branch(collection, slug)
    except Refused:
        return False
    return True


def _key(problem):
    return problem["file"], problem["field"], problem["message"]


def _text(data):
    return data.decode("utf-8", "replace")


def _message(text):
    if not isinstance(text, str) or not text.strip():
        raise ValueError
    return text.replace("\0", "")[:2000]


def _inside(member, path):
    """Apply tarfile's "data" filter, leaving out (not failing on) what it refuses."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None


def main(settings_file, content, overrides):
    """Print `check`'s problems (JSON) of `content` (the working folder's)."""
    problems, messages = runner.run_checks(
        settings_file, content, **json.loads(overrides)
    )
    print(runner.as_json(problems + messages))


if __name__ == "__main__":
    main(*sys.argv[1:])
