#!/usr/bin/env python3
"""Set up everything the project needs, then run one of its tasks.

    python3 dev.py livereload   build the sample site and serve it on localhost:8000
    python3 dev.py tests        run the whole test suite (on Debian/Ubuntu it
                                also installs Chromium and Java for the
                                browser tests, with sudo if needed)
    python3 dev.py --list       every task (they live in tasks.py)

The first run creates a virtual environment in .venv and installs the
plugin (plugins/fortsetzung, editable) and the dependencies from
pyproject.toml into it; later runs reinstall only when either pyproject.toml
has changed. It also fetches the browser editor (Decap CMS, pinned in
sitetools/editor/decap-lock.json) once. Needs nothing but Python >= 3.11
(and git).
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

from sitetools import decap  # the standard library only, like this file

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / "installed-from.sha256"
PLUGIN = ROOT / "plugins" / "fortsetzung"
#: Wheels to install the plugin into a bare environment without the network
#: (tests/test_distribution.py): what the plugin's pyproject.toml names.
WHEELS = VENV / "wheels"


def installed_from(root=ROOT):
    """Return what the environment is installed from: a hash of the pyproject files."""
    return hashlib.sha256(
        (root / "pyproject.toml").read_bytes()
        + (root / PLUGIN.relative_to(ROOT) / "pyproject.toml").read_bytes()
    ).hexdigest()


def ensure_environment():
    """Create .venv and install the dependencies unless they are up to date."""
    wanted = installed_from()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        print("Richte die Arbeitsumgebung in .venv ein …", flush=True)
        venv.create(VENV, with_pip=True)
    print(
        "Installiere Abhängigkeiten (einmalig, dauert etwa eine Minute) …", flush=True
    )
    # both editable: the site uses the code in plugins/fortsetzung and
    # sitetools/ as it is in this folder
    subprocess.run(
        [
            BIN / "python", "-m", "pip", "install", "--quiet",
            "--editable", PLUGIN, "--editable", f"{ROOT}[test]",
        ],
        check=True,
    )  # fmt: skip
    STAMP.write_text(wanted)


def bare_requirements():
    """Return what the plugin needs to be installed: its dependencies, its build backend."""
    project = tomllib.loads((PLUGIN / "pyproject.toml").read_text("utf-8"))
    return [*project["project"]["dependencies"], *project["build-system"]["requires"]]


def ensure_wheels():
    """Download the wheels a bare environment needs for the plugin (again when they change)."""
    stamp = WHEELS / "downloaded"
    wanted = bare_requirements()
    if stamp.exists() and stamp.read_text("utf-8") == " ".join(wanted):
        return
    print("Lade Pakete für den Test der Plugin-Installation …", flush=True)
    result = subprocess.run(
        [
            BIN / "python", "-m", "pip", "download", "--quiet",
            "--only-binary=:all:", "--dest", WHEELS, *wanted,
        ],
        check=False,
    )  # fmt: skip
    if result.returncode == 0:
        stamp.write_text(" ".join(wanted), "utf-8")


def ensure_system_packages():
    """Install the system packages the tests need, where apt can (Debian).

    Chromium and Java for the browser tests, zbar for the posters' QR codes.
    """
    if os.name != "nt" and shutil.which("apt-get"):
        result = subprocess.run(["bash", ROOT / ".ci" / "system-packages"], check=False)
        if result.returncode:
            print(
                "Chromium, Java oder zbar ließ sich nicht installieren; die "
                "Browser-Tests und das Lesen der QR-Codes auf den Plakaten werden "
                "übersprungen (in CI: schlagen fehl).",
                flush=True,
            )


def ensure_editor():
    """Fetch the browser editor (Decap CMS, pinned in sitetools/editor/) once."""
    if decap.installed(VENV):
        return
    print("Lade den Browser-Editor (Decap CMS, einmalig) …", flush=True)
    try:
        decap.ensure(VENV)
    except (OSError, ValueError) as error:
        print(
            f"Der Browser-Editor ließ sich nicht laden ({error}); /admin/ in der "
            "Vorschau sagt dann, wie er nachgeladen wird.",
            flush=True,
        )


def main():
    ensure_environment()
    ensure_editor()
    if sys.argv[1:2] == ["tests"]:
        ensure_system_packages()
        ensure_wheels()
    os.chdir(ROOT)
    # Ctrl+C in a terminal reaches the task as well, which stops cleanly
    # (the preview removes its temporary folder): wait for it, rather than
    # end with a traceback and kill it. (A handler, not SIG_IGN: that would
    # be inherited.)
    signal.signal(signal.SIGINT, lambda *_: None)
    # invoke's program, in German (sitetools/cli.py), runs tasks.py
    program = [BIN / "python", "-m", "sitetools.cli"]
    completed = subprocess.run([*program, *(sys.argv[1:] or ["--list"])], check=False)
    sys.exit(completed.returncode)


if __name__ == "__main__":
    main()
