"""The site's command line in German: what `python3 dev.py <task>` runs.

dev.py runs this program rather than invoke's own `invoke`: invoke's
`Program`, which finds and runs tasks.py as before, with its own words in
German: the usage and help texts, the list of tasks (whose docstrings and
option help in tasks.py are German already) and the parser's errors, each
hint naming `python3 dev.py`. The parser (invoke/parser/parser.py) raises
`ParseError`s worded in English; they are recognised by their wording and
said again in German, with the closest task or option where one was
mistyped (an error of a wording not known here passes unchanged: nothing
is lost).
"""

import contextlib
import difflib
import re
import sys
from importlib import metadata

from invoke import Program
from invoke.exceptions import ParseError

COMMAND = "python3 dev.py"

#: invoke's own options (Program.core_args, task_args), as --help shows them.
CORE_HELP = {
    "command-timeout": "Höchstdauer der Programme, die ein Befehl startet, in Sekunden",
    "complete": "Vorschläge für die Vervollständigung mit der Tab-Taste ausgeben",
    "config": "eine Einstellungsdatei für invoke",
    "debug": "Meldungen zur Fehlersuche in invoke zeigen",
    "dry": "Programme, die ein Befehl startet, nur zeigen, nicht starten",
    "echo": "Programme, die ein Befehl startet, vor dem Start zeigen",
    "help": f"diese Hilfe zeigen; `{COMMAND} BEFEHL --help`: die eines Befehls",
    "hide": "Ausgaben gestarteter Programme verbergen (out, err oder both)",
    "list": "alle Befehle zeigen",
    "list-depth": "beim Auflisten nur so viele Ebenen zeigen",
    "list-format": "Form der Liste: flat (Vorgabe), nested oder json",
    "print-completion-script": "das Skript für die Vervollständigung mit der "
    "Tab-Taste ausgeben (bash, zsh oder fish)",
    "prompt-for-sudo-password": "zu Beginn nach dem Passwort für sudo fragen",
    "pty": "gestartete Programme in einem Pseudo-Terminal ausführen",
    "version": "die Version zeigen",
    "warn-only": "nur warnen, wenn ein gestartetes Programm fehlschlägt",
    "write-pyc": ".pyc-Dateien schreiben",
    "collection": "der Name der Datei mit den Befehlen (Vorgabe: tasks)",
    "no-dedupe": "einen mehrfach genannten Befehl auch mehrfach ausführen",
    "search-root": "der Ordner, in dem die Datei mit den Befehlen gesucht wird",
}
#: How a value is named in the list of options (invoke: STRING, INT).
VALUES = {"STRING": "TEXT", "INT": "ZAHL"}
#: How the tasks' positional arguments are named in a usage line.
PLACEHOLDERS = {"series": "SERIE", "title": "TITEL", "export": "EXPORT"}


def closest(word, candidates):
    """Return ' Meinten Sie „…“?' with the candidate most like `word`, or ''."""
    found = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" Meinten Sie „{found[0]}“?" if found else ""


def option(name):
    """Return the long option of an argument named `name` (if_due: --if-due)."""
    return "--" + name.replace("_", "-")


def placeholder(argument):
    """Return how a positional `argument` is named in a usage line (SERIE)."""
    return PLACEHOLDERS.get(argument.name, argument.name.upper())


class Fortsetzung(Program):
    """invoke's Program, speaking German (see the module's docstring)."""

    def core_args(self):
        return self._in_german(super().core_args())

    def task_args(self):
        return self._in_german(super().task_args())

    @staticmethod
    def _in_german(arguments):
        for argument in arguments:
            argument.help = CORE_HELP.get(argument.name, argument.help)
        return arguments

    # -- the parser's errors ------------------------------------------------

    def parse_core(self, argv):
        with self._errors_in_german():
            super().parse_core(argv)

    def parse_tasks(self):
        with self._errors_in_german():
            super().parse_tasks()

    def parse_cleanup(self):
        with self._errors_in_german():
            super().parse_cleanup()

    @contextlib.contextmanager
    def _errors_in_german(self):
        try:
            yield
        except ParseError as error:
            raise ParseError(self._german(error), error.context) from None
        except ValueError as error:  # invoke casts an option's value: int("abc")
            value = re.search(r"'(.*)'$", str(error))
            raise ParseError(
                f"„{value[1] if value else error}“ ist keine ganze Zahl, die "
                f"Option davor erwartet aber eine. Die Optionen eines Befehls "
                f"zeigt {COMMAND} BEFEHL --help."
            ) from None

    def _german(self, error):
        """Say `error`, in invoke's parser's English, in German."""
        for pattern, say in (
            (r"No idea what '(-.*)' is!", self._unknown_option),
            (r"No idea what '(.*)' is!", self._unknown_task),
            (r"'.*' did not receive required positional arguments: .*", self._missing),
            (r"Flag <Argument: (\S+).*> needed value and was not given one!",
             self._without_value),
            (r"Flag <Argument: (\S+).*> doesn't take any value!", self._with_value),
            (r"'(.*)' is ambiguous when given after an optional-value flag",
             self._ambiguous),
        ):  # fmt: skip
            found = re.fullmatch(pattern, str(error), re.DOTALL)
            if found:
                return say(error.context, *found.groups())
        return str(error)

    def _unknown_option(self, context, given):
        if context is None or context.name is None:  # before any task
            known, where, task = self.initial_context.flags, "Unbekannte Option", ""
        else:
            known, task = context.flags, f" {context.name}"
            where = f"„{context.name}“ kennt keine Option"
        return (
            f"{where} „{given}“."
            + closest(given, [flag for flag in known if flag.startswith("--")])
            + f" Alle Optionen: {COMMAND}{task} --help"
        )

    def _unknown_task(self, _context, given):
        return (
            f"Unbekannter Befehl „{given}“."
            + closest(given, list(self.collection.task_names))
            + f" Alle Befehle: {COMMAND} --list"
        )

    def _missing(self, context):
        missing = context.missing_positional_args
        return "\n".join([
            f"Bei „{context.name}“ fehlt eine Angabe:",
            *(f"  {placeholder(argument)}: {argument.help}" for argument in missing),
            f"Aufruf: {self._usage(context.name)}",
        ])  # fmt: skip

    @staticmethod
    def _without_value(context, name):
        task = f" {context.name}" if context is not None and context.name else ""
        return (
            f"Hinter {option(name)} fehlt der Wert. Was dort stehen kann, zeigt "
            f"{COMMAND}{task} --help."
        )

    @staticmethod
    def _with_value(_context, name):
        return f"{option(name)} nimmt keinen Wert an: nur {option(name)} allein."

    @staticmethod
    def _ambiguous(_context, given):
        return (
            f"„{given}“ ist hier nicht eindeutig: Schreiben Sie den Wert der Option "
            "davor mit = an sie (--option=WERT)."
        )

    # -- help and the list of tasks --------------------------------------------

    def _usage(self, task):
        """`python3 dev.py task [--optionen] SERIES` for `task`."""
        context = self.parser.contexts[task]
        options = " [--optionen]" if context.flags else ""
        positional = "".join(f" {placeholder(a)}" for a in context.positional_args)
        return f"{COMMAND} {task}{options}{positional}"

    def print_help(self):
        print(f"Aufruf: {COMMAND} BEFEHL [--optionen]")
        print(f"        {COMMAND} BEFEHL --help   (was ein Befehl kann)")
        print("")
        print("Allgemeine Optionen (von invoke, das die Befehle ausführt):")
        print("")
        self.print_columns(self.initial_context.help_tuples())
        if getattr(self, "collection", None) is not None:
            self.list_tasks()

    def print_task_help(self, name):
        print(f"Aufruf: {self._usage(name)}")
        print("")
        for line in (self.collection[name].__doc__ or "").strip().splitlines():
            print(self.leading_indent + line.strip() if line.strip() else "")
        print("")
        tuples = self.parser.contexts[name].help_tuples()
        if tuples:
            print("Optionen:")
            print("")
            self.print_columns(tuples)
        else:
            print("Keine Optionen.")

    def task_list_opener(self, extra=""):
        return (
            f"Alle Befehle ({COMMAND} BEFEHL --help zeigt die Optionen eines Befehls)"
        )

    def print_columns(self, tuples):
        super().print_columns(
            [
                (re.sub(r"\b(STRING|INT)\b", lambda m: VALUES[m[1]], spec), text)
                for spec, text in tuples
            ]
        )

    def print_version(self):
        print(f"Fortsetzung {self.version}")


program = Fortsetzung(
    name="Fortsetzung", binary=COMMAND, version=metadata.version("fortsetzung")
)


def main():
    program.run(sys.argv)


if __name__ == "__main__":
    main()
