"""Tasks for authors and editors: `python3 dev.py --list` (sitetools/cli.py runs them).

Their docstrings and option help are what `--list` and `--help` show:
German, like everything the commands say.
"""

import shlex
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from invoke import Exit, task

from sitetools import announce as announcing
from sitetools import editor as editing
from sitetools import poster as posters
from sitetools import preview as previewing
from sitetools import publish as publishing
from sitetools import runner, scaffold, wordpress, wxr

ROOT = Path(__file__).resolve().parent

CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
POSTERS = ROOT / "plakate"
PREVIEW_SETTINGS = "pelicanconf.py"
PUBLISH_SETTINGS = "publishconf.py"
HOST = "localhost"
#: The preview listens to this machine only: its editor's backend writes files.
LISTEN = "127.0.0.1"
PORT = 8000


def build_or_fail(settings, content, output, index=False):
    """Build the site (see runner.build); any error in the content fails it."""
    try:
        result = runner.build(
            ROOT / settings, content, output, index=index, finish=with_editor(content)
        )
    except (runner.BuildError, editing.EditorError) as error:
        raise Exit(f"Nicht gebaut: {error}", code=1) from None
    print(runner.report(result, output), flush=True)
    if not result.ok:
        raise Exit(code=1)


def with_editor(content, then=None):
    """Return a build's `finish`: the browser editor into admin/ where the settings ask."""

    def finish(folder, result):
        editing.write_published(folder, result.context, content)
        if then:  # after: publish's stamp fingerprints the whole site
            then(folder, result)

    return finish


FOLDERS = {
    "content": "der Inhaltsordner (Vorgabe: content/)",
    "output": "wohin die Seite gebaut wird (Vorgabe: output/)",
}


@task(help={"output": FOLDERS["output"]})
def clean(c, output=str(OUTPUT)):
    """Die gebaute Seite (output/) löschen."""
    try:
        target = runner.judged_output(ROOT / PREVIEW_SETTINGS, CONTENT, output)
        if not target.exists():
            return
        with runner.output_lock(target):
            shutil.rmtree(target, ignore_errors=True)
    except runner.BuildError as error:
        raise Exit(f"Nicht gelöscht: {error}", code=1) from None


@task(help=FOLDERS)
def build(c, content=str(CONTENT), output=str(OUTPUT)):
    """Die Seite für die Vorschau bauen; jeder Fehler im Inhalt hält den Bau auf."""
    build_or_fail(PREVIEW_SETTINGS, content, output)


@task(help=FOLDERS)
def rebuild(c, content=str(CONTENT), output=str(OUTPUT)):
    """Die Seite von Grund auf bauen (wie `build`: output/ bleibt, wenn es scheitert)."""
    build_or_fail(PREVIEW_SETTINGS, content, output)


@task(help=FOLDERS)
def preview(c, content=str(CONTENT), output=str(OUTPUT)):
    """Die Seite bauen, wie sie veröffentlicht wird (ohne Entwürfe, mit Suche)."""
    build_or_fail(PUBLISH_SETTINGS, content, output, index=True)


@task(help={"port": f"der Port auf {HOST} (Vorgabe: {PORT})"})
def serve(c, port=PORT):
    """output/ unter http://localhost:8000/ zeigen, ohne neu zu bauen."""
    c.run(shlex.join([
        sys.executable, "-m", "pelican", "--listen", "-o", str(OUTPUT),
        "-b", HOST, "-p", str(port),
    ]))  # fmt: skip


#: Saving a file in one of these updates the preview.
WATCHED = (
    CONTENT,
    ROOT / "themes",
    ROOT / "plugins",
    ROOT / "sitetools",
    ROOT / PREVIEW_SETTINGS,
)


class Said:
    """What the preview said last: a report is printed again only when it changed."""

    def __init__(self):
        self.last = None

    def __call__(self, result, seconds):
        if result.error is not None:
            print(runner.describe(result.error), flush=True)
            print("Die Vorschau zeigt weiter den Stand davor.", flush=True)
            self.last = None
            return
        report = runner.as_text(result.found)
        if report != self.last:
            print(report, flush=True)
            self.last = report
        seconds = f"{seconds:.1f}".replace(".", ",")
        print(f"Aktualisiert in {seconds} s.", flush=True)


def live_preview(content, port, work):
    """Return the preview of `content`, its feeds pointing at this server's `port`."""
    return previewing.Preview(
        ROOT / PREVIEW_SETTINGS, content, work, FEED_DOMAIN=f"http://{HOST}:{port}"
    )


@task(
    help={
        "content": FOLDERS["content"],
        "port": f"der Port auf {HOST} (Vorgabe: {PORT})",
    }
)
def livereload(c, content=str(CONTENT), port=PORT):
    """Live-Vorschau und Browser-Editor (/admin/) unter http://localhost:8000/."""
    watched = [Path(content), *WATCHED[1:]]
    said_who = editing.who_writes(ROOT)
    if said_who:
        print(said_who, flush=True)
    stop = threading.Event()
    outcome = "stopped"
    with tempfile.TemporaryDirectory(prefix="fortsetzung-vorschau-") as work:
        try:
            live = live_preview(content, port, work)
        except runner.BuildError as error:
            raise Exit(f"Die Vorschau kann nicht starten: {error}", code=1) from None
        print("Die Vorschau wird gebaut …", flush=True)
        said = Said()
        started = time.perf_counter()
        said(live.build(), time.perf_counter() - started)
        try:
            server = previewing.serve(
                live,
                LISTEN,
                int(port),
                editing.Editor.of(ROOT, live),
            )
        except OSError as error:
            raise Exit(
                f"Die Vorschau kann nicht starten: Port {port} ist belegt oder nicht "
                f"erlaubt ({error.strerror}). Läuft sie schon? Sonst einen anderen "
                f"Port wählen, z. B. --port {int(port) + 1}.",
                code=1,
            ) from None
        try:
            # said inside: a Ctrl+C right after it is caught here as well
            print(
                f"Vorschau: http://{HOST}:{port}/  Editor: http://{HOST}:{port}/admin/"
                "  (Strg+C beendet)",
                flush=True,
            )
            outcome = previewing.watch(live, watched, ROOT, stop, said)
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
            live.close()
    if outcome == "restart":
        print("Der Code hat sich geändert: die Vorschau startet neu …", flush=True)
        previewing.restart()


@task(
    help={
        "format": "text (für Menschen, die Vorgabe), json (für Programme), github "
        "(Anmerkungen in GitHub Actions) oder gitlab (ein Code-Quality-Bericht)",
        "content": FOLDERS["content"],
    }
)
def check(c, format="text", content=str(CONTENT)):
    """Den ganzen Inhalt prüfen, ohne zu veröffentlichen; alle Probleme auf einmal."""
    formatted = runner.FORMATS.get(format)
    if formatted is None:
        raise Exit(
            f"Unbekanntes Format „{format}“: erlaubt sind "
            + ", ".join(runner.FORMATS)
            + ".",
            code=1,
        )
    try:
        problems, messages = runner.run_checks(ROOT / PREVIEW_SETTINGS, content)
    except runner.BuildError as error:
        raise Exit(f"Nicht geprüft: {error}", code=1) from None
    found = problems + messages
    print(formatted(found))
    if runner.has_errors(found):
        raise Exit(code=1)


@task(
    help={
        "title": 'der Titel des Beitrags, z. B. "Mein erster Tag"',
        "series": "die Serie, nach Titel oder Slug (Vorgabe: keine, content/blog/)",
        "author": "der Name der Autorin oder des Autors (Vorgabe: git config "
        "user.name)",
        "date": 'Datum und Uhrzeit, z. B. "01.03.2025 09:00" (Vorgabe: jetzt)',
        "content": FOLDERS["content"],
    }
)
def new(c, title=None, series=None, author=None, date=None, content=str(CONTENT)):  # noqa: PLR0913, PLR0917  (one per option)
    """Einen neuen Beitrag anlegen: einen Entwurf, alle Kopfzeilen ausgefüllt."""
    try:
        path = scaffold.new_entry(
            content,
            title,
            series=series,
            author=author or scaffold.git_author(ROOT),
            date=date,
            now=scaffold.site_now(),
        )
    except scaffold.ScaffoldError as error:
        raise Exit(str(error), code=1) from None
    print(f"Angelegt: {scaffold.shown(path)}")
    print(
        "Als Nächstes: Text schreiben, dann `python3 dev.py livereload` für die "
        "Vorschau\n(der Entwurf steht unter "
        f"http://{HOST}:{PORT}/drafts/{scaffold.slugify(title)}.html);\n"
        "zum Veröffentlichen die Zeile „Status: draft“ löschen."
    )


@task(
    help={
        "title": 'der Name der Serie, z. B. "Hörspiele für Kinder"',
        "content": FOLDERS["content"],
    }
)
def new_series(c, title, content=str(CONTENT)):
    """Eine neue Serie anlegen: content/series/<slug>.md und ein Ordner für ihre Teile."""
    try:
        path = scaffold.new_series(content, title)
    except scaffold.ScaffoldError as error:
        raise Exit(str(error), code=1) from None
    print(f"Angelegt: {scaffold.shown(path)}")
    print(f"Ordner für die Beiträge: {scaffold.shown(path.parent.parent / path.stem)}/")
    print(
        "Als Nächstes: Summary und Einführung in dieser Datei schreiben; den ersten "
        f'Beitrag anlegen mit python3 dev.py new --series "{path.stem}" '
        '--title "Titel des Beitrags".\n'
        "Die Serie erscheint auf der Website mit ihrem ersten veröffentlichten "
        "Teil (bis dahin nur in der Vorschau). Soll sie vorher angekündigt "
        "werden, schreiben Sie in die Datei „Status: announced“."
    )


ANNOUNCEMENTS = ROOT / "ankuendigungen"


@task(
    help={
        "since": "Beiträge, die an oder nach diesem Tag erschienen sind: TT.MM.JJJJ",
        "until": "… und an oder vor diesem Tag (Vorgabe: heute)",
        "start": 'wann der erste Post erscheint, "TT.MM.JJJJ HH:MM" '
        "(Vorgabe: morgen 10:00); einer pro Tag",
        "content": FOLDERS["content"],
        "output": "wohin die Dateien kommen (Vorgabe: ankuendigungen/)",
    }
)
def announce(  # noqa: PLR0913, PLR0917  (one per option)
    c, since=None, until=None, start=None, content=str(CONTENT),
    output=str(ANNOUNCEMENTS),
):  # fmt: skip
    """Ankündigungen für soziale Netzwerke: die Beiträge seit einem Tag (CSV, Text)."""
    if since is None:
        raise Exit(
            "Ab welchem Tag? Bitte so aufrufen: python3 dev.py announce --since "
            "TT.MM.JJJJ (zum Beispiel --since 01.09.2025).",
            code=1,
        )
    try:
        written = announcing.announce(
            ROOT / PUBLISH_SETTINGS, content, output, since, until, start
        )
    except announcing.AnnounceError as error:
        raise Exit(str(error), code=1) from None
    print(announcing.summary(written, shown=scaffold.shown))


@task(help={"args": 'weitere Angaben für pytest, z. B. "-k feeds -x"'})
def tests(c, args=""):
    """Alle Tests (der Seite und des Plugins) auf allen Prozessorkernen ausführen."""
    c.run(
        shlex.join([
            sys.executable, "-m", "pytest", "-n", "auto", "--dist", "loadgroup",
            *shlex.split(args),
        ]),
        pty=False,
    )  # fmt: skip


@task(
    help={
        "sizes": "Anzahlen von Beiträgen, durch Kommas getrennt (Vorgabe: "
        "500,2000,8000)",
        "runs": "Bauten jeder Art je Anzahl (Vorgabe: 3)",
        "edits": "in der Vorschau gemessene Änderungen (Vorgabe: 5; 0: keine Vorschau)",
    }
)
def bench(c, sizes="500,2000,8000", runs=3, edits=5):
    """Bau (gegen Pelican allein) und Vorschau an erzeugten Archiven messen."""
    c.run(
        shlex.join([
            sys.executable, str(ROOT / "bench" / "run.py"),
            "--sizes", *sizes.split(","), "--runs", str(runs), "--edits", str(edits),
        ])
    )  # fmt: skip


@task
def lint(c):
    """Den Stil des Codes mit ruff prüfen."""
    c.run(shlex.join([sys.executable, "-m", "ruff", "check", "."]))
    c.run(shlex.join([sys.executable, "-m", "ruff", "format", "--check", "."]))


DEPLOY_HELP = {
    "remote": "das git-Remote (sein Name), in das hochgeladen wird (Vorgabe: "
    "origin; DEPLOY_REMOTE)",
    "branch": "der Zweig mit der Seite (Vorgabe: gh-pages; DEPLOY_BRANCH)",
    "message": "die Commit-Nachricht in diesem Zweig (Vorgabe: nennt die Quelle)",
    "cname": "eine Datei CNAME mit dieser Domain schreiben (Vorgabe: keine; "
    "DEPLOY_CNAME)",
    "force": "auch hochladen, wenn sich der Zweig unerwartet verändert hat",
    "output": "die gebaute Seite (Vorgabe: output/)",
    "repo": "das git-Repository, das hochlädt (Vorgabe: dieses)",
    "settings": "die Einstellungen zum Veröffentlichen (Vorgabe: publishconf.py)",
}


@task(help=DEPLOY_HELP, auto_shortflags=False)
def gh_pages(  # noqa: PLR0913, PLR0917  (one per option)
    c,
    remote=None,
    branch=None,
    message=None,
    cname=None,
    force=False,
    output=str(OUTPUT),
    repo=str(ROOT),
    settings=PUBLISH_SETTINGS,
):
    """output/ hochladen, wie `publish` es gebaut hat (in den Zweig gh-pages)."""
    target = publishing.deploy_target(ROOT / settings, remote, branch, cname)
    try:
        commit = publishing.deploy(output, repo, target, message=message, force=force)
    except publishing.DeployError as error:
        raise Exit(
            f"Nicht veröffentlicht: Das Hochladen nach {target} ist fehlgeschlagen.\n"
            f"{error}\n{Path(output).name}/ ist gebaut; die veröffentlichte Seite "
            f"ist unverändert.\nNochmal hochladen, ohne neu zu bauen: {target.retry()}",
            code=1,
        ) from None
    except publishing.PublishError as error:
        raise Exit(f"Nicht veröffentlicht: {error}", code=1) from None
    print(f"Veröffentlicht: {Path(output).name}/ nach {target} (Commit {commit[:7]}).")


@task(
    help={
        "deploy": "die Seite nach dem Bauen hochladen (--no-deploy: nur output/ bauen)",
        "content": FOLDERS["content"],
        "if_due": "nur, wenn sich seit der letzten Veröffentlichung etwas geändert "
        "hat oder ein geplanter Beitrag fällig wurde (für einen täglichen Zeitplan)",
        **DEPLOY_HELP,
    },
    auto_shortflags=False,
)
def publish(  # noqa: PLR0913, PLR0917  (one per option)
    c,
    deploy=True,
    remote=None,
    branch=None,
    message=None,
    cname=None,
    force=False,
    content=str(CONTENT),
    output=str(OUTPUT),
    repo=str(ROOT),
    settings=PUBLISH_SETTINGS,
    if_due=False,
):
    """Prüfen, wie veröffentlicht nach output/ bauen (nur wenn alles stimmt), hochladen."""
    unchanged = f"{Path(output).name}/ und die veröffentlichte Seite sind unverändert."
    target = publishing.deploy_target(ROOT / settings, remote, branch, cname)
    last = publishing.last_stamp(repo, target, output, fetch=deploy)
    # what the site is built from: a change to any of it is worth publishing
    sources = publishing.sources_fingerprint([
        content, ROOT / "themes", ROOT / "plugins", ROOT / "sitetools",
        ROOT / PREVIEW_SETTINGS, ROOT / settings,
    ])  # fmt: skip
    if if_due:
        reason = publishing.due(last, sources)
        if reason is None:
            print(publishing.nothing_due_text(last), flush=True)
            return
        print(reason, flush=True)
    before = publishing.Addresses.from_stamp(last)
    kept = []

    def finish(folder, result):
        kept.append(publishing.kept_addresses(folder, result.context, before))
        publishing.write_stamp(
            folder,
            ROOT / settings,
            kept[0].addresses,
            sources=sources,
            next_due=publishing.next_due(result.context),
        )

    try:
        result = runner.build(
            ROOT / settings, content, output, finish=with_editor(content, finish),
            index=True,
            FORTSETZUNG_PUBLISHED_ADDRESSES=publishing.published_addresses(before),
        )  # fmt: skip
    except editing.EditorError as error:
        raise Exit(f"Nicht veröffentlicht: {error} {unchanged}", code=1) from None
    except runner.BuildError as error:
        said = f"{error} {unchanged}" if error.output_unchanged else str(error)
        raise Exit(f"Nicht veröffentlicht: {said}", code=1) from None
    print(runner.as_text(result.found), flush=True)
    if result.error is not None:
        print(runner.describe(result.error), flush=True)
        raise Exit(
            f"Nicht veröffentlicht: Der Bau ist fehlgeschlagen (siehe oben). {unchanged}",
            code=1,
        )
    if not result.ok:
        raise Exit(
            "Nicht veröffentlicht: Die Prüfung hat Fehler gefunden (siehe oben). "
            + unchanged,
            code=1,
        )
    publishing.remember(output)
    print(f"Gebaut: {Path(output).name}/ enthält die neue Seite.")
    if kept[0].moved or kept[0].vanished:
        print(publishing.kept_text(kept[0]), flush=True)
    if not deploy:
        print(
            "Nicht hochgeladen (--no-deploy). Hochladen mit: python3 dev.py gh-pages, "
            "oder auf einen eigenen Server kopieren (siehe README)."
        )
        return
    gh_pages(
        c,
        remote=remote,
        branch=branch,
        message=message,
        cname=cname,
        force=force,
        output=output,
        repo=repo,
        settings=settings,
    )


@task(
    help={
        "export": "der Export von WordPress (WXR: .xml, .zip oder ein Ordner)",
        "series": "eine Kategorie oder ein Schlagwort, deren Beiträge eine Serie "
        "bilden (mehrfach möglich)",
        "media": "eine Kopie von wp-content/uploads: Bilder werden daraus kopiert",
        "content": FOLDERS["content"],
        "overwrite": "vorhandene Dateien ersetzen (Vorgabe: sie bleiben, wie sie sind)",
    },
    iterable=["series"],
)
def import_wordpress(  # noqa: PLR0913, PLR0917  (one per option)
    c, export, series=None, media=None, content=str(CONTENT), overwrite=False
):
    """WordPress übernehmen: Beiträge, Seiten, Serien, Kommentare, alte Adressen."""
    try:
        report = wordpress.import_export(
            export, content, series=series or [], media=media, overwrite=overwrite
        )
    except wxr.Refused as error:
        raise Exit(f"Nicht importiert: {error}", code=1) from None
    print(wordpress.as_text(report))


#: `poster --all`: invoke has no optional positional argument, so the
#: series argument takes "--all" (there is no such option) as its value.
ALL_SERIES = "--all"


@task(
    help={
        "series": f"die Serie, nach Titel oder Slug (beliebig geschrieben); "
        f"{ALL_SERIES}: alle veröffentlichten Serien",
        "content": FOLDERS["content"],
        "output": "wohin die PDFs kommen (Vorgabe: plakate/)",
    },
    positional=["series"],
)
def poster(c, series, content=str(CONTENT), output=str(POSTERS)):
    """Plakate (A3, A4) und Flyer (A6) mit QR-Codes: `poster SERIE` oder --all."""
    if series in {"-h", "--help"}:
        print(
            "Aufruf: python3 dev.py poster SERIE [--content ORDNER] [--output ORDNER]\n"
            f"        python3 dev.py poster {ALL_SERIES}   (alle veröffentlichten Serien)"
        )
        return
    try:
        made = posters.make_posters(
            ROOT / PUBLISH_SETTINGS,
            content,
            output,
            [] if series == ALL_SERIES else [series],
        )
    except posters.PosterError as error:
        raise Exit(f"Keine Plakate: {error}", code=1) from None
    print(posters.as_text(made, output))
