"""What the share images cost a build (plugin pelican.plugins.fortsetzung.extras.sharecards).

    .venv/bin/python bench/share_images.py --sizes 500 2000

For each size N, the corpus of corpus.py is built as published
(`publishconf.py`), each build in a fresh process into an empty folder:
without share images, with an empty cache (every picture drawn), again with
that cache (nothing drawn), and after one part's title changed (one picture
drawn). Prints a Markdown table; bench/README.md keeps the figures. Nothing
here is a test: the figures depend on the machine.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent


def build_once(content, output, cache, share):
    """Build once (in this process); print the seconds and the pictures drawn."""
    from sitetools import runner  # noqa: PLC0415 (only in the child)

    folder = Path(cache) / "fortsetzung"
    before = set(folder.glob("*.png")) if folder.is_dir() else set()
    overrides = {"CACHE_PATH": cache}
    if share == "off":
        overrides["FORTSETZUNG_SHARE_IMAGES_SAVE_AS"] = ""
    started = time.perf_counter()
    result = runner.build(ROOT / "publishconf.py", content, output, **overrides)
    seconds = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(runner.report(result, output))
    drawn = len(set(folder.glob("*.png")) - before) if folder.is_dir() else 0
    print(json.dumps([seconds, drawn]))


def timed(content, output, cache, share="on"):
    said = subprocess.run(
        [sys.executable, __file__, "--one", content, output, cache, share],
        capture_output=True,
        check=True,
        env={**os.environ, "SITEURL": "https://bench.example"},
    ).stdout
    return json.loads(said.splitlines()[-1])


def retitle(content):
    """Change the title of one part; return its file."""
    files = sorted(Path(content).glob("*/*.md"))
    path = files[len(files) // 2]
    text = path.read_text("utf-8")
    path.write_text(text.replace("Title: ", "Title: Neu: ", 1), "utf-8")
    return path


def measure(size, work):
    root = Path(work) / f"n{size}"
    write_corpus(root, size)
    content, output = str(root / "content"), str(root / "output")
    cache = str(root / "cache")
    row = {"N": size, "off": timed(content, output, str(root / "cache-off"), "off")}
    row["cold"] = timed(content, output, cache)
    row["warm"] = timed(content, output, cache)
    retitle(content)
    row["one"] = timed(content, output, cache)
    pictures = list((root / "output" / "teilen").rglob("*.png"))
    row["bytes"] = sum(p.stat().st_size for p in pictures) / len(pictures)
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.one:
        build_once(*arguments.one)
        return
    print(
        "| N | no share images | empty cache (drawn) | cached (drawn) "
        "| one title changed (drawn) | per picture drawn | PNG size |\n"
        "|---:|---:|---:|---:|---:|---:|---:|"
    )
    with tempfile.TemporaryDirectory(prefix="bench-share-") as work:
        for size in arguments.sizes:
            r = measure(size, work)
            per = (r["cold"][0] - r["off"][0]) / max(1, r["cold"][1]) * 1000
            print(
                f"| {size} | {r['off'][0]:.2f} s | {r['cold'][0]:.2f} s ({r['cold'][1]})"
                f" | {r['warm'][0]:.2f} s ({r['warm'][1]})"
                f" | {r['one'][0]:.2f} s ({r['one'][1]}) | {per:.1f} ms"
                f" | {r['bytes'] / 1024:.0f} KB |",
                flush=True,
            )


if __name__ == "__main__":
    main()
