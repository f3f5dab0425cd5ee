"""Write a reproducible corpus of series and entries for benchmarks.

    python bench/corpus.py bench/corpus --entries 2000

Entries like a library blog's: German text of 400 to 800 words with
subheadings, a list, a link to the part before and to another site, and an
image each; spread over 8 series (a few entries outside any series). The
same arguments always give the same files: a seeded random generator picks
words, lengths, dates and tags; nothing depends on the clock.
"""

import argparse
import base64
import datetime
import random
import shutil
from pathlib import Path

from pelican.plugins.fortsetzung.api import write_header

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
    "Stadtteil",
    "Zweigstelle",
    "Vorlesen",
    "Ausbildung",
    "Auszubildende",
    "Team",
    "Kollegin",
    "Leserin",
    "Leser",
    "Gespräch",
    "Ausstellung",
    "Veranstaltung",
    "Workshop",
    "Spiel",
    "Comic",
    "Zeitschrift",
    "Zeitung",
    "Lernort",
    "Arbeitsplatz",
    "Schule",
    "Klasse",
    "Familie",
    "Eltern",
    "Großeltern",
    "Straße",
    "Öffnungszeit",
    "Leihfrist",
    "Gebühr",
    "Fernleihe",
    "Medienkiste",
    "Bestseller",
    "Neuerscheinung",
    "schön",
    "spannend",
    "ruhig",
    "laut",
    "früh",
    "spät",
    "gemeinsam",
    "heute",
    "morgen",
    "wieder",
    "endlich",
    "lesen",
    "hören",
    "schreiben",
    "erzählen",
    "zeigen",
    "finden",
    "suchen",
    "ausleihen",
    "zurückgeben",
    "entdecken",
]
SERIES = [
    "AzubiTagebuch", "FSJ", "Vorleseerlebnisse", "SOS-Serie", "Hör-Bar",
    "Buchvorstellungen", "Makerspace-Notizen", "Aus dem Bücherbus",
]  # fmt: skip
START = datetime.datetime(2012, 4, 2, 9, 0)
#: The archive spans 2012 to 2025, however many entries it has (none in the future).
SPAN_HOURS = 13 * 365 * 24
#: A 1×1 PNG: every entry has an image, and the benchmark measures the
#: build, not image sizes.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGAAAAAEAAH2FzhV"
    "AAAAAElFTkSuQmCC"
)


def sentence(rng, words):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, words):
    out, left = [], words
    while left > 0:
        n = min(left, rng.randint(8, 18))
        out.append(sentence(rng, n))
        left -= n
    return " ".join(out)


def body(rng, words, previous, image, alt):
    """Markdown of about `words` words: paragraphs, subheadings, a list, links."""
    chunks = [paragraph(rng, 60)]
    chunks.append(f"![{alt}]({{static}}/{image})")
    written = 60
    while written < words:
        if rng.random() < 0.3:
            chunks.append(f"## {sentence(rng, 4)[:-1]}")
        if rng.random() < 0.2:
            items = [f"- {sentence(rng, rng.randint(4, 9))}" for _ in range(4)]
            chunks.append("\n".join(items))
            written += 26
        n = rng.randint(40, 90)
        chunks.append(paragraph(rng, n))
        written += n
    links = "Mehr dazu bei der [Stadt](https://www.duesseldorf.de/stadtbuechereien)."
    if previous:
        links = (
            f"Wie es anfing, steht im [Teil davor]({{filename}}/{previous}). {links}"
        )
    chunks.append(links)
    return "\n\n".join(chunks)


def slug_of(name):
    return name.lower().replace("ö", "oe").replace("ü", "ue").replace(" ", "-")


def write_corpus(root, entries=2000, seed=1):
    """Write `entries` entries (spread over 8 series) into `root`/content."""
    rng = random.Random(seed)
    content = Path(root) / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "series").mkdir(parents=True)
    previous = {}
    for name in SERIES:
        slug = slug_of(name)
        fields = [
            ("Title", name),
            ("Status", "ongoing"),
            ("Summary", sentence(rng, 10)),
        ]
        (content / "series" / f"{slug}.md").write_text(
            f"{write_header(fields)}{paragraph(rng, 80)}\n", "utf-8"
        )
        (content / "images" / slug).mkdir(parents=True)
        for n in range(1, 6):
            (content / "images" / slug / f"bild-{n}.png").write_bytes(PNG)
    for number in range(1, entries + 1):
        name = SERIES[number % len(SERIES)]
        slug = slug_of(name)
        step = SPAN_HOURS // entries
        date = START + datetime.timedelta(
            hours=number * step + rng.randint(0, max(step // 2, 1))
        )
        title = f"{name} {number}: {sentence(rng, rng.randint(3, 6))[:-1]}"
        path = f"{slug}/{date:%Y-%m-%d}-{number:05}.md"
        tags = ", ".join(sorted({rng.choice(WORDS[:40]) for _ in range(3)}))
        alt = sentence(rng, 6)
        text = body(
            rng,
            rng.randint(400, 800),
            previous.get(slug),
            f"images/{slug}/bild-{rng.randint(1, 5)}.png",
            alt,
        )
        header = write_header(
            [
                ("Title", title),
                ("Date", f"{date:%Y-%m-%d %H:%M}"),
                ("Author", f"Autorin {number % 11}"),
                ("Series", name),
                ("Tags", tags),
                ("Summary", sentence(rng, 16)),
            ]
        )
        file = content / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"{header}{text}\n", "utf-8")
        previous[slug] = path
    return content


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    content = write_corpus(args.root, args.entries, args.seed)
    print(f"{args.entries} Beiträge in {content}")


if __name__ == "__main__":
    main()
