"""Build with an earlier commit and with this tree in turns, to compare them.

    python bench/turns.py c9d13ed --size 2000 --rounds 5

The earlier commit is checked out into a temporary git worktree and run
with this tree's Python environment (its `sitetools` and plugin first on
the path). Each round builds, each in a fresh process (`run.py --one`):
plain Pelican, the earlier commit warm, this tree warm, the earlier commit
cold, this tree cold (warm: each tree's own cache folder, filled by one
build first; cold: an empty one). Prints the medians, their ranges and
their ratios to plain Pelican. Nothing here is a test.
"""

import argparse
import statistics
import subprocess
import tempfile
from pathlib import Path

import run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", help="the earlier commit")
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fortsetzung-turns-") as folder:
        work = Path(folder)
        before = work / "before"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(before), args.before],
            cwd=run.ROOT, check=True, capture_output=True,
        )  # fmt: skip
        try:
            content = run.write_corpus(work / "corpus", args.size)
            plain_settings = work / "plainconf.py"
            plain_settings.write_text(run.PLAIN)
            output = work / "out"
            trees = {"before": before, "after": run.ROOT}
            for tree in trees.values():  # each tree's cache folder, filled
                run.timed_build("ours", content, output, plain_settings, tree)
            runs = [("plain", "after")] + [
                (kind, name) for kind in ("ours", "cold") for name in trees
            ]
            times = {}
            for number in range(args.rounds):
                for kind, name in runs:
                    key = "plain Pelican" if kind == "plain" else f"{name} {kind}"
                    seconds, _megabytes = run.timed_build(
                        kind, content, output, plain_settings, trees[name]
                    )
                    times.setdefault(key, []).append(seconds)
                print(
                    number, {k: round(v[-1], 2) for k, v in times.items()}, flush=True
                )
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(before)], cwd=run.ROOT,
                check=False,
            )  # fmt: skip
    plain = statistics.median(times["plain Pelican"])
    for key, values in times.items():
        median = statistics.median(values)
        print(
            f"{key}: {median:.2f} s ({min(values):.2f}–{max(values):.2f}), "
            f"{median / plain:.2f} × plain Pelican"
        )


if __name__ == "__main__":
    main()
