"""Time the site's build and its live preview on generated archives.

    python3 dev.py bench                        # N = 500, 2000 and 8000 (long)
    python3 dev.py bench --sizes 500 --runs 1   # a quick look

For each size N, a corpus of N entries is generated (corpus.py, always the
same for the same N) and then

- built in turns by plain Pelican (no plugins, its default theme), by this
  site (`publishconf.py`: the plugin, the theme, every feed, the checks)
  warm, with the cache folder of the builds before (as on an editor's
  machine, or CI with its cache), and by this site cold, with an empty
  cache folder (a fresh checkout: every file converted, every share image
  drawn, every template compiled); each in a fresh process into an empty
  folder, `--runs` times, each kind first in turn; the table shows the
  medians, their ratios and the largest resident memory of a process (the
  site's build forks workers that share its memory);
- served by the live preview (`invoke livereload`), which is then timed from
  the moment a file is saved until the page shows the change, asked for
  after each build as the page's script asks for it (`Browser`): an
  edited entry (median of `--edits`), a new part (until the part before
  links to it), a series renamed (its file: until the new series page is
  there).

Nothing here is a test: the figures depend on the machine. bench/README.md
keeps the latest ones.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from corpus import SERIES, slug_of, write_corpus

from sitetools.preview import EVENTS

ROOT = Path(__file__).resolve().parent.parent

PLAIN = """\
SITENAME = "Plain"
SITEURL = "https://bench.example"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
PLUGINS = []
ARTICLE_EXCLUDES = ["series"]  # the series' descriptions are not entries
"""


# -- one build, in a process of its own -----------------------------------------------


def build_once(kind, content, output, plain_settings):
    """Build once (in this process); print the seconds it took."""
    import contextlib  # noqa: PLC0415 (only in the child)
    import io  # noqa: PLC0415

    from pelican import Pelican  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    from sitetools import runner  # noqa: PLC0415

    started = time.perf_counter()
    if kind == "plain":
        settings = read_settings(
            plain_settings,
            override={"PATH": content, "OUTPUT_PATH": output, "CACHE_CONTENT": False},
        )
        with contextlib.redirect_stdout(io.StringIO()):
            Pelican(settings).run()
    else:
        # cold: a fresh checkout's build (CI), with an empty cache folder, so
        # every share image is drawn and every template compiled
        cache = {"CACHE_PATH": tempfile.mkdtemp()} if kind == "cold" else {}
        result = runner.build(ROOT / "publishconf.py", content, output, **cache)
        if not result.ok:
            raise SystemExit(runner.report(result, output))
    print(json.dumps(time.perf_counter() - started))
    if kind == "cold":
        shutil.rmtree(cache["CACHE_PATH"])


def timed_build(kind, content, output, plain_settings, tree=ROOT):
    """Return (seconds, largest resident memory in MB) of one build.

    `tree`: the checkout whose code builds (another one: turns.py), with
    its `sitetools` and plugin first on the path and its cache folder.
    """
    shutil.rmtree(output, ignore_errors=True)
    env = {**os.environ, "SITEURL": "https://bench.example"}
    if tree != ROOT:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(tree), str(tree / "plugins" / "fortsetzung")]
        )
    process = subprocess.Popen(
        [sys.executable, str(tree / "bench" / "run.py"), "--one", kind,
         str(content), str(output), str(plain_settings)],
        stdout=subprocess.PIPE, env=env, cwd=tree,
    )  # fmt: skip
    with process.stdout:
        said = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"The {kind} build failed.")
    return json.loads(said), usage.ru_maxrss / 1024


# -- the preview ------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return probe.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError):
        return None


def wait_for(url, condition, timeout=1200):
    """Poll `url` until `condition(page)`; return the seconds it took."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        page = get(url)
        if page is not None and condition(page):
            return time.perf_counter() - started
        time.sleep(0.01)
    raise SystemExit(f"Timed out waiting for {url}")


class Browser:
    """What the preview's script in every page does: wait for a build, reload.

    It listens to the preview's events (Server-Sent Events) and asks for the
    page only when a build is done, as a browser does. (Asking every few
    milliseconds instead made the server render the old page all through
    the build, on the core the build runs on: about a tenth of a second
    more at N = 2,000.)
    """

    def __init__(self, base):
        self.stream = urllib.request.urlopen(f"{base}{EVENTS}", timeout=1200)
        self._next_build()  # the first event names the build there is

    def _next_build(self):
        while True:
            line = self.stream.readline()
            if not line:
                raise SystemExit("The preview stopped sending its events.")
            if line.startswith(b"data: "):
                return

    def wait_for(self, url, condition):
        """Load `url` after each build until `condition(page)`; return the seconds."""
        started = time.perf_counter()
        while True:
            page = get(url)
            if page is not None and condition(page):
                return time.perf_counter() - started
            self._next_build()

    def close(self):
        self.stream.close()


def entry_url(base, path):
    """Return the address of a corpus entry (ARTICLE_URL is {date:%Y}/{slug}/)."""
    from sitetools.scaffold import slugify  # noqa: PLC0415

    header = dict(
        line.split(": ", 1)
        for line in path.read_text("utf-8").split("\n\n", 1)[0].splitlines()
    )
    return f"{base}/{header['Date'][:4]}/{slugify(header['Title'])}/"


def measure_preview(content, edits):
    """Start `invoke livereload` on `content`; return its figures."""
    port = free_port()
    base = f"http://localhost:{port}"
    process = subprocess.Popen(
        [
            sys.executable, "-m", "invoke", "livereload",
            "--content", str(content), "--port", str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        first = wait_for(f"{base}/", lambda page: "</html>" in page)
        browser = Browser(base)
        series = slug_of(SERIES[1])
        parts = sorted((content / series).glob("*.md"))
        seconds = []
        for n in range(edits):
            path = parts[len(parts) // 2 + n]
            url = entry_url(base, path)
            wait_for(url, lambda page: "</html>" in page)
            text = path.read_text("utf-8")
            marker = f"Geändert{n}x"
            path.write_text(text.replace("\n\n", f"\n\n{marker} ", 1), "utf-8")
            seconds.append(browser.wait_for(url, lambda page, m=marker: m in page))
            path.write_text(text, "utf-8")
            # the next edit starts when the preview is quiet again
            browser.wait_for(url, lambda page, m=marker: m not in page)
        # a new part, after the last one
        last = parts[-1]
        new = last.with_name("9999-12-31-neu.md")
        header = last.read_text("utf-8").split("\n\n", 1)[0]
        new.write_text(
            header.replace(
                header.splitlines()[0], "Title: Ein ganz neuer Teil"
            ).replace(header.splitlines()[1], "Date: 2025-12-31 10:00")
            + "\n\nNeu.\n",
            "utf-8",
        )
        before = entry_url(base, last)
        new_part = browser.wait_for(before, lambda page: "ein-ganz-neuer-teil" in page)
        new.unlink()
        browser.wait_for(before, lambda page: "ein-ganz-neuer-teil" not in page)
        # a series renamed (its file: the series gets a new address)
        old = content / "series" / f"{series}.md"
        renamed = old.with_name(f"{series}-neu.md")
        old.rename(renamed)
        rename = browser.wait_for(
            f"{base}/serien/{series}-neu/", lambda page: "</html>" in page
        )
        renamed.rename(old)
        browser.close()
        memory = _peak_memory(process.pid)
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl+C: the preview cleans up
        process.wait(timeout=60)
    return {
        "start": first,
        "edit": statistics.median(seconds),
        "edits": seconds,
        "new_part": new_part,
        "rename": rename,
        "memory": memory,
    }


def _peak_memory(pid):
    """Return the largest resident memory of a process so far, in MB (Linux)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next(line for line in status.splitlines() if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


# -- the table ------------------------------------------------------------------------


def measure(size, runs, edits, work):
    root = work / f"n{size}"
    content = write_corpus(root, size)
    plain_settings = root / "plainconf.py"
    plain_settings.write_text(PLAIN)
    kinds = ("plain", "ours", "cold")
    times = {kind: [] for kind in kinds}
    memory = {kind: [] for kind in kinds}
    # the cache folder of the builds before: a warm build is warm from the first
    timed_build("ours", str(content), str(root / "out-ours"), str(plain_settings))
    for run in range(runs):
        for kind in kinds[run % 3 :] + kinds[: run % 3]:  # each first in turn
            seconds, megabytes = timed_build(
                kind, str(content), str(root / f"out-{kind}"), str(plain_settings)
            )
            times[kind].append(seconds)
            memory[kind].append(megabytes)
            print(f"  N={size} {kind}: {seconds:.2f} s, {megabytes:.0f} MB", flush=True)
    for kind in kinds:
        shutil.rmtree(root / f"out-{kind}", ignore_errors=True)
    preview = measure_preview(content, edits) if edits else None
    if preview:
        print(f"  N={size} preview: {preview}", flush=True)
    return {
        "size": size,
        "plain": statistics.median(times["plain"]),
        "ours": statistics.median(times["ours"]),
        "cold": statistics.median(times["cold"]),
        "plain_memory": max(memory["plain"]),
        "ours_memory": max(memory["ours"]),
        "preview": preview,
    }


def table(rows):
    lines = [
        "| N | plain Pelican | this site | ratio | cold | ratio "
        "| per entry (vs. smallest N) "
        "| memory plain / site | preview: edit | new part | series renamed "
        "| preview memory |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    first = rows[0]
    for row in rows:
        per_entry = (row["ours"] / row["size"]) / (first["ours"] / first["size"])
        preview = row["preview"] or {}

        def seconds(key, p=preview):
            return f"{p[key]:.2f} s" if key in p else "–"

        memory = preview.get("memory")
        lines.append(
            f"| {row['size']} | {row['plain']:.2f} s | {row['ours']:.2f} s "
            f"| {row['ours'] / row['plain']:.2f} "
            f"| {row['cold']:.2f} s | {row['cold'] / row['plain']:.2f} | {per_entry:.2f} "
            f"| {row['plain_memory']:.0f} / {row['ours_memory']:.0f} MB "
            f"| {seconds('edit')} | {seconds('new_part')} | {seconds('rename')} "
            f"| {f'{memory:.0f} MB' if memory else '–'} |"
        )
    return "\n".join(lines)


def machine():
    return (
        f"{platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 8000])
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind")
    parser.add_argument(
        "--edits", type=int, default=5, help="edits in the preview (0: none)"
    )
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        build_once(*args.one)
        return
    print(f"Machine: {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="fortsetzung-bench-") as work:
        rows = [
            measure(size, args.runs, args.edits, Path(work))
            for size in sorted(args.sizes)
        ]
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
