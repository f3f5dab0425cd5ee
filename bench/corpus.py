"""Write a reproducible corpus of series and entries for benchmarks.

    python bench/corpus.py bench/corpus --series 10 --parts 100

The same arguments always give the same files (a seeded random generator
picks words, dates and tags); nothing depends on the clock.
"""

import argparse
import datetime
import random
import shutil
from pathlib import Path

WORDS = [
    "Bücherei",
    "Ausleihe",
    "Hörbuch",
    "Lesung",
    "Bilderbuch",
    "Rückgabe",
    "Katalog",
    "Theke",
    "Onleihe",
    "Sprachcafé",
    "Makerspace",
    "Bücherbus",
    "Lesestart",
    "Regal",
    "Medien",
    "Ausweis",
    "Roman",
    "Krimi",
    "Sachbuch",
    "Kinder",
    "Jugend",
    "Kurs",
    "Abend",
    "Sommer",
    "Winter",
    "Tag",
    "Woche",
    "Frage",
    "Antwort",
]
START = datetime.datetime(2020, 1, 6, 10, 0)


def sentence(rng, words=12):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def write_corpus(root, series=10, parts=100, words=300, seed=1):
    """Write `series` series of `parts` entries each into `root`/content."""
    rng = random.Random(seed)
    content = Path(root) / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "series").mkdir(parents=True)
    for s in range(1, series + 1):
        slug = f"serie-{s:03}"
        (content / "series" / f"{slug}.md").write_text(
            f"Title: Serie {s}\nStatus: ongoing\nSummary: {sentence(rng, 8)}\n\n"
            f"{sentence(rng, 40)}\n",
            "utf-8",
        )
        folder = content / slug
        folder.mkdir()
        for p in range(1, parts + 1):
            date = START + datetime.timedelta(days=p * 3 + s, hours=s % 7)
            tags = ", ".join(sorted({rng.choice(WORDS) for _ in range(3)}))
            body = "\n\n".join(sentence(rng, 20) for _ in range(words // 20))
            (folder / f"{date:%Y-%m-%d}-teil-{p:04}.md").write_text(
                f"Title: Serie {s}, Folge {p}: {sentence(rng, 4)}\n"
                f"Date: {date:%Y-%m-%d %H:%M}\nAuthor: Autorin {s % 5}\n"
                f"Series: Serie {s}\nTags: {tags}\nSummary: {sentence(rng, 15)}\n\n"
                f"{body}\n",
                "utf-8",
            )
    return content


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--series", type=int, default=10)
    parser.add_argument("--parts", type=int, default=100)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    content = write_corpus(args.root, args.series, args.parts, args.words, args.seed)
    print(f"{args.series * args.parts} Beiträge in {content}")


if __name__ == "__main__":
    main()
