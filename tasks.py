"""Tasks for authors and editors; `invoke --list` (or `python3 dev.py --list`)."""

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from invoke import task
from livereload import Server

ROOT = Path(__file__).resolve().parent
CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
PREVIEW_SETTINGS = "pelicanconf.py"
PUBLISH_SETTINGS = "publishconf.py"
HOST = "localhost"
PORT = 8000


def pelican_command(settings, *extra):
    """Return the command line that builds the site with `settings` into output/."""
    return [
        sys.executable, "-m", "pelican", str(CONTENT),
        "-s", str(ROOT / settings), "-o", str(OUTPUT), *extra,
    ]  # fmt: skip


def pelican_run(c, settings, *extra):
    """Build the site; any error in the content fails the build."""
    c.run(shlex.join(pelican_command(settings, "--fatal", "errors", *extra)))


@task
def clean(c):
    """Remove the built site (output/)."""
    shutil.rmtree(OUTPUT, ignore_errors=True)


@task
def build(c):
    """Build the site for preview; fails on any error in the content."""
    pelican_run(c, PREVIEW_SETTINGS)


@task(pre=[clean])
def rebuild(c):
    """Remove output/ and build the site again."""
    pelican_run(c, PREVIEW_SETTINGS)


@task
def preview(c):
    """Build the site as it will be published (no drafts, absolute URLs)."""
    pelican_run(c, PUBLISH_SETTINGS)


@task
def serve(c, port=PORT):
    """Serve output/ at http://localhost:8000/ without rebuilding."""
    c.run(shlex.join([
        sys.executable, "-m", "pelican", "--listen", "-o", str(OUTPUT),
        "-b", HOST, "-p", str(port),
    ]))  # fmt: skip


@task
def livereload(c, port=PORT):
    """Build, serve at http://localhost:8000/ and rebuild on every saved change."""

    def rebuild_site():
        # A fresh process for every build: changed plugin code and settings
        # take effect, and a mistake in the content is reported without
        # stopping the server.
        result = subprocess.run(pelican_command(PREVIEW_SETTINGS), check=False)
        if result.returncode:
            print("Der Bau ist fehlgeschlagen; die Meldungen stehen oben.", flush=True)

    rebuild_site()
    server = Server()
    for watched in (
        CONTENT,
        ROOT / "themes",
        ROOT / "plugins",
        ROOT / PREVIEW_SETTINGS,
    ):
        server.watch(str(watched), rebuild_site)
    print(f"Vorschau: http://{HOST}:{port}/  (Strg+C beendet)", flush=True)
    server.serve(host=HOST, port=port, root=str(OUTPUT), open_url_delay=None)


@task(help={"args": 'extra arguments for pytest, e.g. "-k feeds -x"'})
def tests(c, args=""):
    """Run the whole test suite."""
    c.run(shlex.join([sys.executable, "-m", "pytest", *shlex.split(args)]), pty=False)


@task
def lint(c):
    """Check code style with ruff."""
    c.run(shlex.join([sys.executable, "-m", "ruff", "check", "."]))
    c.run(shlex.join([sys.executable, "-m", "ruff", "format", "--check", "."]))
