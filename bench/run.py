"""Time whole builds of generated corpora and print the figures.

    python bench/run.py                  # 250, 500, 1000 entries (10 series)
    python bench/run.py --sizes 100 2000 --series 2

Each size is built with the project's publish settings into a temporary
folder, a few times; the best wall-clock time counts. The last column is the
time per entry relative to the smallest size: about 1.0 everywhere means the
build grows linearly with the number of entries.
"""

import argparse
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

from corpus import write_corpus  # noqa: E402


def build_seconds(content, output, repeat):
    best = float("inf")
    for _ in range(repeat):
        settings = read_settings(
            str(ROOT / "publishconf.py"),
            override={
                "PATH": str(content),
                "OUTPUT_PATH": str(output),
                "THEME": str(ROOT / "themes" / "fortsetzung"),
                "CACHE_CONTENT": False,
                "SITEURL": "https://bench.example",
                "FEED_DOMAIN": "https://bench.example",
            },
        )
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # Pelican's summary
            Pelican(settings).run()
        best = min(best, time.perf_counter() - started)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000])
    parser.add_argument("--series", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            root = Path(tmp) / f"n{size}"
            content = write_corpus(root, args.series, size // args.series)
            seconds = build_seconds(content, root / "output", args.repeat)
            rows.append((size, seconds))
    base = rows[0][1] / rows[0][0]
    print(f"{'Beiträge':>9} {'Sekunden':>9} {'ms/Beitrag':>11} {'relativ':>8}")
    for size, seconds in rows:
        per_entry = seconds / size
        print(
            f"{size:>9} {seconds:>9.2f} {per_entry * 1000:>11.2f} {per_entry / base:>8.2f}"
        )


if __name__ == "__main__":
    main()
