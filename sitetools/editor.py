"""The browser editor at /admin/ of the live preview: Decap CMS, served from this machine.

What the preview answers below /admin/. Its POSTs (Decap's local backend
protocol, at /admin/api/v1) pass one door here (`answer`: this page's
origin only, JSON of a declared size, never a traceback) to
editor_backend.py, which does the work on git. Its GETs:

- the editor's page and its two scripts (sitetools/editor/): `format.js`
  reads and writes the site's `Key: value` header, `fortsetzung.js`
  registers it, the preview pane and the check, and starts Decap;
- `einstellungen.js`: what those scripts need to know of the schema,
  generated (editor_config.format_options);
- `config.yml`: Decap's configuration, generated per request from the
  schema and content/series/ (editor_config.config);
- `decap/<file>`: the pinned Decap bundle and the chunks it loads
  (decap.py), by name from the files that are there, nothing else.

Every answer forbids the page to load anything from another host (a
Content-Security-Policy of 'self'): the editor works with the network off,
and tells no third party who writes.
"""

import json
import mimetypes
import re
import subprocess
import sys
import traceback
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from pelican.plugins.fortsetzung import api

from . import decap, editor_backend, editor_config, runner, scaffold

PREFIX = "/admin/"
OWN = Path(__file__).with_name("editor")
#: The editor's own files, by address below /admin/.
PAGES = {
    "": ("index.html", "text/html"),
    "format.js": ("format.js", "text/javascript"),
    "fortsetzung.js": ("fortsetzung.js", "text/javascript"),
}
BUNDLE = re.compile(
    r"decap/((?:[0-9]+\.)?decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt)"
)
#: How the text names a file in content/ ({static}/images/…).
STATIC = "{static}/"
TYPES = {".js": "text/javascript", ".wasm": "application/wasm", ".txt": "text/plain"}
#: Decap builds its styles in the page and runs its bundled code (eval:
#: some of its libraries compile functions); nothing may come from elsewhere.
POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self' blob:; frame-src 'self' blob:; "
    "font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


class EditorError(Exception):
    """EDITOR_BACKEND says something Decap cannot use; the message says what."""


#: What EDITOR_BACKEND must name per backend (docs/schreiben-im-browser.md).
BACKENDS = {
    "github": ("repo", "base_url"),  # base_url: the OAuth endpoint the library runs
    "gitlab": ("repo", "app_id"),  # app_id: a GitLab application (PKCE, no server)
}


#: The commit status CI's check sets on an entry's branch, per backend (the
#: context in .github/workflows/pruefen.yml, the job in .gitlab-ci.yml): the
#: editor's toolbar links to its messages ("Vorschau anzeigen").
CHECK_STATUS = {"github": "Fortsetzung: Prüfung", "gitlab": "pruefen"}


def published_backend(settings):
    """Return Decap's backend for the published editor, or None (no /admin/ then).

    EDITOR_BACKEND (publishconf.py) is a dict: `name` ("github" or "gitlab"),
    `repo`, `branch` and what the backend needs to log in (BACKENDS).
    """
    backend = settings.get("EDITOR_BACKEND")
    if not backend:
        return None
    name = backend.get("name") if isinstance(backend, dict) else None
    if name not in BACKENDS:
        raise EditorError(
            "EDITOR_BACKEND braucht einen Namen: „github“ oder „gitlab“ "
            "(siehe docs/schreiben-im-browser.md)."
        )
    missing = [key for key in BACKENDS[name] if not backend.get(key)]
    if missing:
        raise EditorError(
            f"EDITOR_BACKEND für {name} braucht noch: {', '.join(missing)} "
            "(siehe docs/schreiben-im-browser.md)."
        )
    found = {"branch": "main", "preview_context": CHECK_STATUS[name], **backend}
    if name == "gitlab":
        found.setdefault("auth_type", "pkce")
    return found


def write_published(folder, settings, content):
    """Write the editor into the built site `folder` (admin/) if EDITOR_BACKEND says so.

    It works there on the repository through GitHub's or GitLab's API:
    saving makes a branch and a pull/merge request, which CI checks
    (.github/workflows/pruefen.yml, .gitlab-ci.yml). The page may talk to
    the backend's hosts, nothing else.
    """
    backend = published_backend(settings)
    if backend is None:
        return
    admin = Path(folder) / PREFIX.strip("/")
    (admin / "decap").mkdir(parents=True, exist_ok=True)
    config = editor_config.config(settings, content, branch=backend["branch"])
    config["backend"] = {**backend, "commit_messages": editor_config.COMMIT_MESSAGES}
    hosts = " ".join(_hosts(backend))
    policy = POLICY.replace(
        "connect-src 'self' blob:", f"connect-src 'self' blob: {hosts}"
    )
    page = (
        (OWN / "index.html")
        .read_text("utf-8")
        .replace(
            "<title>",
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n<title>',
            1,
        )
    )
    (admin / "index.html").write_text(page, "utf-8")
    (admin / "config.yml").write_text(json.dumps(config, ensure_ascii=False), "utf-8")
    (admin / "einstellungen.js").write_text(
        _settings_script(
            [c["name"] for c in config["collections"]], backend["branch"], checks=False
        ),
        "utf-8",
    )
    for name in ("format.js", "fortsetzung.js"):
        (admin / name).write_bytes((OWN / name).read_bytes())
    for path in decap.folder().iterdir():
        if BUNDLE.fullmatch(f"decap/{path.name}"):
            (admin / "decap" / path.name).write_bytes(path.read_bytes())


def _hosts(backend):
    if backend["name"] == "github":
        yield backend.get("api_root", "https://api.github.com")
        yield backend["base_url"]
    else:
        yield backend.get("api_root", "https://gitlab.com/api/v4")
        yield backend.get("base_url", "https://gitlab.com")


def _settings_script(collections, branch, checks):
    """Return einstellungen.js: what fortsetzung.js and format.js need to know."""
    options = {
        **editor_config.format_options(),
        "collections": collections,
        "branch": branch,
        # only the live preview answers the check; published, CI does
        "checks": checks,
    }
    options = json.dumps(options, ensure_ascii=False)
    return f"window.CMS_MANUAL_INIT = true;\nwindow.FORTSETZUNG = {options};\n"


class Editor:
    """Answers GET requests below /admin/ for the site in `root`.

    Its `backend` (editor_backend.Backend, or None: nothing can be saved)
    answers the POSTs of Decap's local backend protocol.
    """

    def __init__(self, root, settings, content, backend=None):
        self.root = Path(root)
        self.settings = settings
        self.content = Path(content)
        self.backend = backend
        self.decap = decap.folder()

    @classmethod
    def of(cls, root, preview):
        """Return the editor of the site the live `preview` shows."""
        backend = editor_backend.Backend(
            preview.settings_file, preview.content, preview.overrides
        )
        return cls(
            root,
            scaffold.site_settings(preview.settings_file),
            preview.content,
            backend,
        )

    def respond(self, relative):
        """Return (status, content type, body) for the address below /admin/."""
        found = self._generated(relative) or self._picture(relative)
        return found or self._bundle(relative)

    def _generated(self, relative):
        if relative in PAGES:
            name, kind = PAGES[relative]
            return HTTPStatus.OK, kind, (OWN / name).read_bytes()
        if relative == "config.yml":
            return HTTPStatus.OK, "text/yaml", self.config()
        if relative == "einstellungen.js":
            # not the whole config: the page asks for that at the same time
            names = editor_config.collection_names(self.settings, self.content)
            body = _settings_script(names, _current_branch(self.root), checks=True)
            return HTTPStatus.OK, "text/javascript", body.encode()
        return None

    def _picture(self, relative):
        """Answer a picture of the preview pane (the text names it {static}/…)."""
        if not relative.startswith(STATIC) or self.backend is None:
            return None
        found = self.backend.picture(relative.removeprefix(STATIC))
        return found and (HTTPStatus.OK, _picture_type(relative), found)

    def _bundle(self, relative):
        match = BUNDLE.fullmatch(relative)
        path = self.decap / match[1] if match else None
        if path and path.is_file():
            return HTTPStatus.OK, TYPES[path.suffix], path.read_bytes()
        if path and not decap.installed():
            return HTTPStatus.NOT_FOUND, "text/plain", NOT_INSTALLED.encode()
        return HTTPStatus.NOT_FOUND, "text/plain", b"Nicht gefunden."

    def config(self):
        """Return the generated configuration (JSON, which is YAML)."""
        settings = self.settings
        config = editor_config.config(
            settings,
            self.content,
            branch=_current_branch(self.root),
            author=scaffold.git_author(self.root),
        )
        return json.dumps(config, ensure_ascii=False, indent=1).encode()


# -- the local backend's door: POST /admin/api/v1 -------------------------------------


def answer(handler, backend):
    """Answer the POST `handler` (preview.Handler) reads: JSON, never a traceback."""
    try:
        status, body = _answer(handler, backend)
    except editor_backend.Refused as refused:
        status, body = refused.status, {"error": str(refused)}
    except Exception as error:  # the console says what (FORTSETZUNG_DEBUG: all)
        if runner.debugging():
            traceback.print_exception(error)
        print(f"Editor: {type(error).__name__}: {error}", flush=True)
        status = HTTPStatus.INTERNAL_SERVER_ERROR
        body = {
            "error": "Das ging nicht: Im Hintergrund ist ein Fehler aufgetreten "
            "(das Fenster der Vorschau sagt mehr). Es wurde nichts geändert, "
            "was nicht schon gespeichert war."
        }
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    handler.close_connection = True  # a refused body may be left unread
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json; charset=utf-8")
    handler.send_header("Content-Length", str(len(data)))
    handler.send_header("Cache-Control", "no-store")
    handler.send_header("X-Content-Type-Options", "nosniff")
    try:
        handler.end_headers()
        handler.wfile.write(data)
    except OSError:
        pass  # the page was closed or reloaded meanwhile: nobody to tell


def _answer(handler, backend):
    if backend is None or urlsplit(handler.path).path != editor_backend.ENDPOINT:
        raise editor_backend.Refused(
            "Diese Adresse gibt es nicht.", HTTPStatus.NOT_FOUND
        )
    _refuse_other_origins(handler)
    request = _body(handler, backend)
    if not isinstance(request, dict) or not isinstance(request.get("action"), str):
        raise editor_backend.Refused(
            "Die Anfrage sagt nicht, was zu tun ist.", HTTPStatus.BAD_REQUEST
        )
    params = request.get("params") or {}
    if not isinstance(params, dict):
        raise editor_backend.Refused(
            "Die Anfrage ist unvollständig.", HTTPStatus.BAD_REQUEST
        )
    return HTTPStatus.OK, backend.handle(request["action"], params)


FOREIGN = (
    "Abgelehnt: Diese Anfrage kommt nicht vom Editor dieser Vorschau. Der "
    "Editor schreibt nur, wenn Sie ihn unter http://localhost:{port}/admin/ "
    "öffnen."
)


def _refuse_other_origins(handler):
    """Refuse (403) what does not come from this server's own page.

    Host must name this server, Origin and Sec-Fetch-Site (if sent) its own
    page, the body must be JSON: a web page the trainee visits cannot write
    through the editor (a "simple" cross-site POST cannot send JSON, and
    the preflight of one that does gets no CORS answer).
    """
    port = handler.server.server_address[1]
    headers = handler.headers
    hosts = headers.get_all("Host") or []
    host = hosts[0].strip().lower() if len(hosts) == 1 else ""
    origins = headers.get_all("Origin") or []
    fetch_site = headers.get("Sec-Fetch-Site")
    if (
        host not in {f"localhost:{port}", f"127.0.0.1:{port}"}
        or len(origins) > 1
        or (origins and origins[0].strip().lower() != f"http://{host}")
        or (
            fetch_site is not None and fetch_site.strip() not in {"same-origin", "none"}
        )
        or headers.get_content_type() != "application/json"
    ):
        raise editor_backend.Refused(FOREIGN.format(port=port), HTTPStatus.FORBIDDEN)


def _body(handler, backend):
    """Return the JSON body, read only when its announced size is within the limit."""
    if handler.headers.get("Transfer-Encoding"):
        raise editor_backend.Refused(
            "Die Anfrage muss ihre Größe angeben.", HTTPStatus.LENGTH_REQUIRED
        )
    try:
        length = int(handler.headers.get("Content-Length", ""))
    except ValueError:
        raise editor_backend.Refused(
            "Die Anfrage muss ihre Größe angeben.", HTTPStatus.LENGTH_REQUIRED
        ) from None
    if length < 0:
        raise editor_backend.Refused(
            "Die Anfrage ist fehlerhaft.", HTTPStatus.BAD_REQUEST
        )
    limit = backend.request_limit()
    if length > limit:
        with api.speaking(backend.settings):
            raise editor_backend.Refused(
                f"Das ist zu groß: {api.size(length)} auf einmal; der Editor nimmt "
                f"höchstens {api.size(limit)} (eine Datei darf höchstens so groß "
                "sein, wie `check` es erlaubt). Es wurde nichts gespeichert. "
                "Verkleinern Sie die Datei (ein Bild: etwa 2000 Pixel breit).",
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            )
    try:
        return json.loads(handler.rfile.read(length))
    except ValueError:
        raise editor_backend.Refused(
            "Die Anfrage ist kein gültiges JSON.", HTTPStatus.BAD_REQUEST
        ) from None


NOT_INSTALLED = (
    "Der Browser-Editor (Decap CMS) ist nicht installiert. `python3 dev.py "
    "livereload` lädt ihn beim Start aus dem npm-Verzeichnis; dafür braucht es "
    "einmal eine Verbindung ins Internet."
)


def _picture_type(path):
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def _current_branch(root):
    return _git(root, "symbolic-ref", "--quiet", "--short", "HEAD").strip() or "main"


def who_writes(root, ask=input, interactive=None):
    """Make sure git knows who commits from the editor; ask once if not.

    The editor's saves are commits in the trainee's name: git's user.name
    and user.email. Where git knows neither and someone sits at the
    terminal, they are asked for once and kept in the repository's own
    settings (.git/config), nowhere else. Returns a German line to show,
    or None when all is known.
    """
    name = scaffold.git_author(root)
    email = _git(root, "config", "user.email").strip()
    if name and email:
        return None
    if not (sys.stdin.isatty() if interactive is None else interactive):
        return (
            "Hinweis: Git kennt Ihren Namen nicht; der Browser-Editor kann so nicht "
            'speichern. Einmal eingeben: git config user.name "Lena K." und '
            'git config user.email "lena.k@example.org"'
        )
    print("Der Browser-Editor speichert Ihre Beiträge unter Ihrem Namen (nur in git).")
    while not name:
        name = " ".join(
            ask("Ihr Name, wie er bei Ihren Beiträgen stehen soll: ").split()
        )
    if not email:
        email = ask("Ihre E-Mail-Adresse (freiwillig, Eingabetaste: keine): ").strip()
        email = email or f"{scaffold.slugify(name)}@keine-angabe.invalid"
    _git(root, "config", "user.name", name)
    _git(root, "config", "user.email", email)
    return f"Gespeichert: Sie schreiben als „{name}“ (in .git/config)."


def _git(root, *arguments):
    return subprocess.run(
        ["git", *arguments], cwd=root, capture_output=True, text=True, check=False
    ).stdout
