"""Decap CMS, the browser editor: fetched once from the npm registry, pinned and verified.

The editor is Decap's prebuilt bundle (dist/decap-cms.js and the chunks it
loads on demand), served by the live preview at /admin/. npm would install
the package's 730 dependencies (about 390 MB) to hand over files that are
already built; this takes the one tarball npm's lock file would name, from
the same registry, and checks it against the same sha512 a lock records
(editor/decap-lock.json: the one place of the version). Nothing of it is
committed, and the site never loads it from another host.

Standard library only: dev.py calls `ensure()` before anything is installed.
"""

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

LOCK = Path(__file__).with_name("editor") / "decap-lock.json"
#: The files of the package the editor needs (in the tarball's package/ folder).
WANTED = ("dist/decap-cms.js", "dist/decap-cms.js.LICENSE.txt", "package.json")
#: Chunks loaded on demand, and the WebAssembly they use.
WANTED_SUFFIXES = (".decap-cms.js", ".wasm")


def lock():
    """Return the pinned package: name, version, resolved address, integrity."""
    return json.loads(LOCK.read_text("utf-8"))


def folder(prefix=None):
    """Return the folder the pinned version lives in (inside the environment)."""
    pinned = lock()
    base = Path(prefix or sys.prefix) / "share"
    return base / f"{pinned['package']}-{pinned['version']}"


def installed(prefix=None):
    """Say whether the pinned version is unpacked and complete."""
    return (folder(prefix) / "complete").is_file()


def ensure(prefix=None):
    """Fetch, verify and unpack the pinned version unless it is there.

    Raises OSError (no connection) or ValueError (the download is not the
    pinned file); then nothing is unpacked.
    """
    if installed(prefix):
        return folder(prefix)
    pinned = lock()
    with urllib.request.urlopen(pinned["resolved"], timeout=120) as answer:
        data = answer.read()
    algorithm, _, expected = pinned["integrity"].partition("-")
    if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != expected:
        raise ValueError(
            f"{pinned['resolved']} ist nicht die Datei, die editor/decap-lock.json "
            "festhält (Prüfsumme weicht ab)."
        )
    target = folder(prefix)
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            flat = Path(name).name
            if not member.isfile() or not (
                name in WANTED
                or (name == f"dist/{flat}" and flat.endswith(WANTED_SUFFIXES))
            ):
                continue
            (target / flat).write_bytes(archive.extractfile(member).read())
    (target / "complete").write_text(pinned["version"], "utf-8")
    return target


if __name__ == "__main__":
    try:
        print(f"Editor: {ensure()}")
    except (OSError, ValueError) as error:
        sys.exit(f"Der Browser-Editor (Decap CMS) ließ sich nicht laden: {error}")
