"""Plain Pelican sites in tmp_path, built with nothing but Pelican and the plugin.

No site settings, no site tools, no theme of this repository: what a
Pelican user gets who adds `PLUGINS = ["fortsetzung"]` to a quick-start
site (Pelican's own `simple` or `notmyidea` theme).
"""

import logging
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from pelican import Pelican, signals
from pelican.settings import read_settings

SITEURL = "https://example.org"


@dataclass
class Built:
    """What one Pelican run wrote and said."""

    output: Path
    context: dict
    records: list = field(default_factory=list)

    @property
    def problems(self):
        return self.context.get("content_problems", [])

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == "error"]

    def html(self, relative):
        """The page at `relative` (a folder means its index.html), parsed."""
        if relative.endswith("/") or not relative:
            relative += "index.html"
        return lxml.html.fromstring((self.output / relative).read_bytes())

    def files(self):
        return {
            p.relative_to(self.output).as_posix()
            for p in self.output.rglob("*")
            if p.is_file()
        }


class PlainSite:
    """A content folder under tmp_path and `Pelican(settings).run()` on it."""

    def __init__(self, root):
        self.root = root
        self.content = root / "content"
        self.content.mkdir(parents=True, exist_ok=True)
        self.builds = 0

    def write(self, relative, text):
        """Write a content file; `text` is dedented (a header, a blank line, a body)."""
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text if isinstance(text, bytes) else textwrap.dedent(text).lstrip()
        if isinstance(data, str):
            path.write_text(data, "utf-8")
        else:
            path.write_bytes(data)
        return path

    def settings(self, **overrides):
        self.builds += 1
        return read_settings(
            path=None,
            override={
                "PATH": str(self.content),
                "OUTPUT_PATH": str(self.root / f"output{self.builds}"),
                "PLUGINS": ["fortsetzung"],
                "THEME": "simple",
                "SITEURL": SITEURL,
                "FEED_DOMAIN": SITEURL,
                "TIMEZONE": "UTC",
                "CACHE_CONTENT": False,
                "LOAD_CONTENT_CACHE": False,
                "CACHE_PATH": str(self.root / "cache"),
                **overrides,
            },
        )

    def build(self, **overrides):
        """Run Pelican once; return what it wrote, its context and log records."""
        settings = self.settings(**overrides)
        seen, records = {}, []

        def keep(generators):
            seen["context"] = generators[0].context

        handler = logging.Handler(level=logging.WARNING)
        handler.emit = records.append
        logging.getLogger().addHandler(handler)
        signals.all_generators_finalized.connect(keep)
        try:
            Pelican(settings).run()
        finally:
            signals.all_generators_finalized.disconnect(keep)
            logging.getLogger().removeHandler(handler)
        return Built(Path(settings["OUTPUT_PATH"]), seen["context"], records)


def entry(title, date, series=None, body="Some text.", **fields):
    """The text of a Markdown entry with a complete header."""
    header = {
        "Title": title,
        "Date": date,
        "Author": "Ann",
        "Summary": f"About {title}.",
        **({"Series": series} if series else {}),
        **fields,
    }
    lines = "".join(f"{key}: {value}\n" for key, value in header.items())
    return f"{lines}\n{body}\n"
