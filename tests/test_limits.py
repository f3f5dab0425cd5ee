"""What one content file and the whole site may cost: size, time, HTML (limits.py).

The tests set small limits in the site's settings, so that a file that
would take minutes is stopped within a fraction of a second; none of them
measures how fast anything is.
"""

import contextlib
import hashlib
import json
import re
import signal
import threading
import time

import markdown
import pytest
from conftest import ROOT, png
from pelican.plugins.fortsetzung import api, i18n
from pelican.plugins.fortsetzung.safety import limits

from sitetools import preview, runner

SETTINGS = ROOT / "pelicanconf.py"
TOO_SLOW = "Die Datei ist zu aufwendig zu lesen: Nach 0,2 s war sie noch nicht"
#: Limits small enough for a test; FORTSETZUNG_READ_TIMEOUT is per test.
SMALL = {"FORTSETZUNG_READ_TIMEOUT": 0.2}


@pytest.fixture
def site(site):
    site.series("fsj", "FSJ")
    site.entry("fsj/gut.md", "Gut", "2024-01-01", Series="FSJ")
    return site


def entry(site, name, body, **fields):
    return site.entry(
        f"fsj/{name}.md", name.title(), "2024-02-01", body, Series="FSJ", **fields
    )


def errors_of(found, path):
    return [p for p in found if p.severity == "error" and p.path.endswith(path)]


def snapshot(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).digest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- the size of a file --------------------------------------------------------------


def test_a_text_file_over_the_limit_is_refused_unread(site):
    entry(site, "lang", "Ein langer Text. " * 150)  # about 2.6 kB

    build = site.build(FORTSETZUNG_MAX_TEXT_FILE_SIZE=2000)

    [problem] = errors_of(build.found, "fsj/lang.md")
    assert re.fullmatch(
        r"Die Datei ist 2,\d kB groß; eine Textdatei \(Beitrag, Seite, Kommentare\) "
        r"darf höchstens 2 kB groß sein \(FORTSETZUNG_MAX_TEXT_FILE_SIZE\)\. Sie "
        r"wird nicht gelesen\.",
        problem.message,
    )
    assert problem.fix.startswith("Verteilen Sie den Text auf mehrere Beiträge")
    assert not (build.output / "2024/lang").exists()
    assert (build.output / "2024/gut/index.html").is_file()


def test_a_huge_file_is_refused_without_reading_it(site):
    huge = site.content / "fsj" / "riesig.md"
    with huge.open("wb") as file:  # 3 GB of nothing, on disk only as a hole
        file.write(b"Title: Riesig\n\n")
        file.truncate(3 * 10**9)

    problems, _messages = runner.run_checks(SETTINGS, site.content)

    [problem] = errors_of(problems, "fsj/riesig.md")
    assert problem.message.startswith("Die Datei ist 3 GB groß; eine Textdatei")
    assert "höchstens 1 MB" in problem.message


def test_a_comments_file_over_the_limit_is_refused(site):
    comments = site.content / "fsj" / "gut.comments.json"
    comments.write_text(json.dumps({"comments": [], "x": "a" * 3000}), "utf-8")

    build = site.build(FORTSETZUNG_MAX_TEXT_FILE_SIZE=2000)

    [problem] = errors_of(build.found, "fsj/gut.comments.json")
    assert "höchstens 2 kB" in problem.message


def test_a_static_file_over_the_limit_is_not_published(site):
    (site.content / "images").mkdir()
    (site.content / "images" / "gross.png").write_bytes(png(1, 1) + bytes(5000))
    (site.content / "images" / "klein.png").write_bytes(png(1, 1))

    build = site.build(FORTSETZUNG_MAX_STATIC_FILE_SIZE=1000)

    [problem] = errors_of(build.found, "images/gross.png")
    assert problem.message == (
        "Die Datei ist 5,1 kB groß; eine Datei, die in die Website kopiert wird, "
        "darf höchstens 1 kB groß sein (FORTSETZUNG_MAX_STATIC_FILE_SIZE; GitHub "
        "nimmt keine Datei über 100 MB). Sie wird nicht veröffentlicht."
    )
    assert not (build.output / "images/gross.png").exists()
    assert (build.output / "images/klein.png").is_file()


# -- the time it takes to read a file ---------------------------------------------------

LINK = "[a]: https://example.org/\n\n"
#: Python-Markdown's inline processing is quadratic in the matches of one
#: paragraph: each of these takes minutes (20,000 reference links: hours).
SLOW = {
    "reference links": LINK + " ".join("[x][a]" for _ in range(20000)),
    "short references": LINK + " ".join("[a]" for _ in range(20000)),
    "inline links": " ".join("[x](https://example.org/)" for _ in range(20000)),
    "images": " ".join("![x](bild.png)" for _ in range(20000)),
    "links in emphasis": " ".join("*[x](a.html)*" for _ in range(20000)),
    "unclosed link targets": "[a](" * 20000,
    "footnote references": " ".join("[^1]" for _ in range(20000)) + "\n\n[^1]: x",
    "angle brackets before letters": "<a" * 80000,
}


@pytest.mark.parametrize("text", SLOW.values(), ids=SLOW.keys())
def test_a_text_that_takes_too_long_is_stopped_and_named(site, text):
    entry(site, "langsam", text)

    build = site.build(**SMALL)

    [problem] = errors_of(build.found, "fsj/langsam.md")
    assert problem.message.startswith(TOO_SLOW)
    assert "(FORTSETZUNG_READ_TIMEOUT)" in problem.message
    assert problem.fix.startswith("Teilen Sie lange Absätze mit Leerzeilen auf")
    assert not (build.output / "2024/langsam").exists()
    assert (build.output / "2024/gut/index.html").is_file()


#: Texts nested deeper than Python's recursion limit lets reading them follow.
DEEP = {
    "emphasis in emphasis": "*a _b " * 600 + "c_ d* " * 600,
    "strong in emphasis": "*a **b " * 500 + "c** d* " * 500,
    "spans in spans": "<span>" * 3000 + "x" + "</span>" * 3000,
    "links in links": "[" * 3000 + "x" + "](https://example.org/)" * 3000,
    "quotes in quotes": "".join("> " * n + "x\n" for n in range(1, 1500, 7)),
}


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_a_text_nested_too_deeply_is_refused_or_read(site, text):
    entry(site, "tief", text)

    build = site.build()

    assert not [p for p in build.found if p.field == "Bau"], build.found
    problems = errors_of(build.found, "fsj/tief.md")
    if problems:
        [problem] = problems
        assert problem.message.startswith("Die Datei ist zu tief verschachtelt")
        assert not (build.output / "2024/tief").exists()
    else:
        assert (build.output / "2024/tief/index.html").is_file()
    assert (build.output / "2024/gut/index.html").is_file()


def test_a_summary_that_takes_too_long_is_stopped(site):
    entry(site, "zusammenfassung", "Kurz.", Summary=" ".join(["[x](a.html)"] * 20000))

    build = site.build(**SMALL)

    [problem] = errors_of(build.found, "fsj/zusammenfassung.md")
    assert problem.message.startswith(TOO_SLOW)


def comment_on_gut(site, text):
    comment = {"id": 1, "parent": None, "author": "A", "date": "2024-01-02"}
    comments = site.content / "fsj" / "gut.comments.json"
    comments.write_text(json.dumps({"comments": [{**comment, "text": text}]}), "utf-8")


def test_a_comments_file_that_takes_too_long_is_stopped(site):
    comment_on_gut(site, " ".join("[x](https://example.org/)" for _ in range(20000)))

    build = site.build(**SMALL)

    [problem] = errors_of(build.found, "fsj/gut.comments.json")
    assert problem.message.startswith(TOO_SLOW)
    assert build.html("2024/gut/").find("section", class_="comments") is None


def test_a_file_whose_checks_take_too_long_is_stopped_and_named(site):
    """Each finding is looked for in the text: 2,000 pictures that are
    missing, in 100,000 lines, take many seconds; converting them does not."""
    note = "<!--\n" + "Notiz\n" * 100_000 + "-->\n\n"
    entry(
        site,
        "bilder",
        note + "\n\n".join(f"![Bild](fehlt{n}.png)" for n in range(2000)),
    )

    build = site.build(FORTSETZUNG_READ_TIMEOUT=2)

    [problem] = errors_of(build.found, "fsj/bilder.md")
    assert problem.message.startswith(
        "Die Datei ist zu aufwendig zu prüfen: Nach 2 s waren ihre Prüfungen nicht "
        "fertig und wurden abgebrochen (FORTSETZUNG_READ_TIMEOUT)."
    )
    assert problem.fix == "Verteilen Sie den Text auf mehrere Beiträge."


def test_the_preview_stops_a_slow_file_in_its_own_thread(site):
    """The preview builds in a thread of a process that keeps running."""
    entry(site, "langsam", SLOW["reference links"])
    results = []

    def build():
        live = preview.Preview(SETTINGS, site.content, site.root / "work", **SMALL)
        try:
            results.append(live.build())
        finally:
            live.close()

    thread = threading.Thread(target=build)
    thread.start()
    thread.join()

    [result] = results
    [problem] = errors_of(result.found, "fsj/langsam.md")
    assert problem.message.startswith(TOO_SLOW)


def test_helpers_that_convert_ahead_stop_a_slow_file_and_say_so(site, monkeypatch):
    """The processes forked to convert Markdown ahead of Pelican stop it too.

    They convert from the last file backwards: "zzz" is theirs (Pelican waits
    a moment before it reads it). What they send back holds the refusal, so
    Pelican does not try again.
    """
    # a process with threads forks no helpers (parallel.workers): a test that
    # leaves one running (a server, a browser) would make this one vacuous
    assert threading.enumerate() == [threading.main_thread()]
    monkeypatch.setattr(runner, "MIN_FILES_PER_WORKER", 1)
    entry(site, "zzz", SLOW["reference links"])
    sent = []
    absorb = api.absorb_cache
    prepare = runner.prepare_markdown

    def prepare_slowly(pelican, workers=None):
        stop = prepare(pelican, workers)
        reading = pelican.settings["FORTSETZUNG_BEFORE_READING"]

        def slowly(path):
            # Pelican reads in the file system's order, which may put "zzz"
            # first: give the helper, forked under whatever load, time to
            # claim it
            if path.endswith("zzz.md"):
                time.sleep(1)
            reading(path)

        pelican.settings["FORTSETZUNG_BEFORE_READING"] = slowly
        return stop

    monkeypatch.setattr(runner, "prepare_markdown", prepare_slowly)

    def absorbing(exported):
        sent.extend(
            html
            for key, (html, _meta) in exported.get("conversions", {}).items()
            if isinstance(html, limits.OverLimit)
        )
        absorb(exported)

    # the runner takes what the helpers send through the public module
    monkeypatch.setattr(api, "absorb_cache", absorbing)
    settings = runner.settings_for(SETTINGS, site.content, site.root / "out", **SMALL)

    result = runner.run_pelican(settings, workers=2)

    assert [refusal.kind for refusal in sent] == ["seconds"]
    [problem] = errors_of(result.found, "fsj/zzz.md")
    assert problem.message.startswith(TOO_SLOW)


def test_a_slow_file_is_not_read_again_in_the_next_build(site):
    """The refusal is kept with the conversions: the preview's next build
    (and `check` after reading) says it at once."""
    entry(site, "langsam", SLOW["inline links"])
    live = preview.Preview(SETTINGS, site.content, site.root / "work", **SMALL)
    try:
        first = live.build()
        entry(site, "neu", "Ein neuer Teil.")
        second = live.build()
    finally:
        live.close()

    for result in (first, second):
        [problem] = errors_of(result.found, "fsj/langsam.md")
        assert problem.message.startswith(TOO_SLOW)


# -- the HTML a file makes, and the whole site ------------------------------------------

#: A long address defined once and used in every paragraph: 200 × 2 kB of HTML
#: from 2 kB of text (330 kB of it made 1.2 GB of pages and feeds).
AMPLIFIED = f"[a]: https://example.org/{'x' * 2000}\n\n" + "\n\n".join(["[x][a]"] * 200)


def test_a_file_that_makes_too_much_html_is_refused_before_anything_is_written(
    site,
):
    output = site.root / "output"
    assert runner.build(SETTINGS, site.content, output).ok
    before = snapshot(output)
    entry(site, "gross", AMPLIFIED)

    result = runner.build(
        SETTINGS, site.content, output, FORTSETZUNG_MAX_HTML_SIZE=100_000
    )

    assert not result.ok and result.error is None
    [problem] = errors_of(result.found, "fsj/gross.md")
    assert problem.message == (
        "Die Datei ergibt rund 406 kB HTML; eine Datei darf höchstens 100 kB ergeben "
        "(FORTSETZUNG_MAX_HTML_SIZE). Ihr Text steht auf ihrer Seite und in jedem "
        "Feed, und die Website würde zu groß."
    )
    assert "[Text][Name]" in problem.fix
    assert snapshot(output) == before
    assert sorted(p.name for p in site.root.iterdir() if "output" in p.name) == [
        ".output.lock",
        "output",
    ]


def test_an_address_used_thousands_of_times_is_refused_before_the_html_is_made():
    """The tree holds the address once; its text would take gigabytes."""
    converter = markdown.Markdown()
    limits.guard_html(converter, 5_000_000)
    written = []
    converter.serializer = lambda root: written.append(root) or ""
    address = f"https://example.org/{'x' * 100_000}"

    with pytest.raises(limits.OverLimit) as refused:
        converter.convert(f"[a]: {address}\n\n" + "\n\n".join(["[x][a]"] * 20000))

    assert (refused.value.kind, refused.value.amount // 10**9) == ("html", 2)
    assert written == []


def test_comments_that_make_too_much_html_are_refused(site):
    comment_on_gut(
        site, f"[a]: https://example.org/{'x' * 2000}\n\n" + " ".join(["[x][a]"] * 60)
    )

    build = site.build(FORTSETZUNG_MAX_HTML_SIZE=100_000)

    [problem] = errors_of(build.found, "fsj/gut.comments.json")
    assert problem.message.startswith("Die Datei ergibt rund 122 kB HTML")


def test_a_site_over_its_size_is_not_put_in_place_and_its_largest_parts_named(site):
    output = site.root / "output"
    # the share images are drawn anew, not taken from the project's cache
    cache = {"CACHE_PATH": str(site.root / "cache")}
    assert runner.build(SETTINGS, site.content, output, **cache).ok
    before = snapshot(output)
    entry(site, "lang", "Ein langer Absatz, Wort für Wort. " * 2000)  # 70 kB

    result = runner.build(
        SETTINGS, site.content, output, FORTSETZUNG_MAX_SITE_SIZE=500_000, **cache
    )

    assert not result.ok and result.error is None
    [problem] = [p for p in result.found if p.field == "Größe"]
    # the size of the same site, built without the limit
    whole = site.root / "whole"
    assert runner.build(SETTINGS, site.content, whole, **cache).ok
    total = sum(p.lstat().st_size for p in whole.rglob("*") if not p.is_dir())
    assert total > 500_000
    assert problem.message.startswith(
        f"Die gebaute Seite ist {api.size(total)} groß; erlaubt sind 500 kB "
        "(FORTSETZUNG_MAX_SITE_SIZE;"
    )
    assert "Am größten: 2024/lang/index.html (78,1 kB), feeds/" in problem.message
    assert "Die längsten Texte (jeder steht auch in den Feeds): " in problem.message
    assert "content/fsj/lang.md (70 kB HTML)" in problem.message
    assert snapshot(output) == before
    assert not [p for p in site.root.iterdir() if p.name.startswith("output.")]


def test_check_names_a_site_over_its_size(site, tmp_path):
    settings = tmp_path / "klein.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"THEME = {str(ROOT / 'themes' / 'fortsetzung')!r}\n"
        "FORTSETZUNG_MAX_SITE_SIZE = 10_000\n",
        "utf-8",
    )

    problems, _messages = runner.run_checks(settings, site.content)

    assert [p.field for p in problems if p.severity == "error"] == ["Größe"]


# -- the watchdog itself --------------------------------------------------------------


def spin():
    while True:
        pass


def test_a_step_is_interrupted_in_the_main_thread_and_an_earlier_alarm_stays():
    def ring(signum, frame):
        rung.append(signum)

    rung = []
    previous = signal.signal(signal.SIGALRM, ring)  # a test runner's, say
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with pytest.raises(limits.OverLimit) as refused:
            limits.limited(0.05, spin)
        assert refused.value.kind == "seconds"
        assert signal.getsignal(signal.SIGALRM) is ring
        left, _interval = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left <= 30
        for _ in range(300):  # steps that end about when the alarm rings
            with contextlib.suppress(limits.OverLimit):
                limits.limited(0.0002, sum, range(3000))
        time.sleep(0.05)  # nothing rings later
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert rung == []


def test_a_step_is_interrupted_in_another_thread_and_nothing_arrives_later():
    outcome = []

    def work():
        try:
            limits.limited(0.05, spin)
        except limits.OverLimit as refused:
            outcome.append(refused.kind)
        for _ in range(300):  # steps that end about when the watchdog fires
            with contextlib.suppress(limits.OverLimit):
                limits.limited(0.0002, sum, range(3000))
        deadline = time.monotonic() + 0.2
        while time.monotonic() < deadline:  # no interruption lands here
            pass
        outcome.append("fertig")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()

    assert outcome == ["seconds", "fertig"]


@pytest.mark.parametrize("where", ["main thread", "another thread"])
def test_an_interruption_while_the_limit_is_stopped_goes_nowhere(where):
    """A step whose end takes a while: freeing what it held takes longer
    than AGAIN, so the next interruption comes while the limit is stopped."""
    outcome = []

    def work():
        for _ in range(2):
            held = [[[n] for n in range(2_500_000)]]

            def step(held=held):
                mine = held.pop()  # noqa: F841 (freed when the step is interrupted)
                spin()

            try:
                limits.limited(0.05, step)
            except limits.OverLimit as refused:
                outcome.append(refused.kind)
        deadline = time.monotonic() + 0.3
        while time.monotonic() < deadline:  # no interruption lands here
            pass
        outcome.append("fertig")

    if where == "main thread":
        work()
    else:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()

    assert outcome == ["seconds", "seconds", "fertig"]


def nested(depth):
    return 1 + nested(depth - 1) if depth else 0


@pytest.mark.parametrize("seconds", [None, 5])
def test_a_step_that_recurses_too_deeply_is_over_the_depth_limit(seconds):
    with pytest.raises(limits.OverLimit) as refused:
        limits.limited(seconds, nested, 100_000)

    assert refused.value.kind == "depth"
    with i18n.speaking({"DEFAULT_LANG": "de"}):
        assert refused.value.message.startswith("Die Datei ist zu tief verschachtelt")


# -- SVG drawings, cleaned before they are published (svg.py) ---------------------------

DRAWING = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}</svg>'


@pytest.mark.parametrize(
    ("inside", "says"),
    [
        (
            '<rect fill="' + "calc(" * 3000 + "1px" + ")" * 3000 + '"/>',
            "Die Datei ist zu tief verschachtelt",
        ),
        (
            '<rect style="stroke-width:' + "calc(" * 3000 + "1px" + ")" * 3000 + '"/>',
            "Die Datei ist zu tief verschachtelt",
        ),
        (
            "<style>"
            + "rect{fill:rgb(1,2,3);stroke:calc(1px + 2px)}" * 30000
            + "</style>",
            "Die SVG-Datei ist zu aufwendig zu bereinigen: Nach 0,2 s",
        ),
    ],
    ids=["nested in an attribute", "nested in a style", "too many styles"],
)
def test_a_drawing_too_deep_or_too_slow_to_clean_is_not_published(site, inside, says):
    (site.content / "images").mkdir()
    (site.content / "images/zeichnung.svg").write_text(DRAWING.format(inside), "utf-8")

    # the time limit only where it is meant to stop the cleaning: a drawing
    # nested too deep must reach the depth limit, however busy the machine
    build = site.build(**(SMALL if "aufwendig" in says else {}))

    [problem] = errors_of(build.found, "images/zeichnung.svg")
    assert (problem.field, problem.message[: len(says)]) == ("Datei", says)
    assert not (build.output / "images/zeichnung.svg").exists()
    assert (build.output / "2024/gut/index.html").is_file()
