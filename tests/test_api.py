"""The site's tools use the plugin through its public module only (api.py)."""

import ast
import re

from conftest import ROOT
from pelican.plugins.fortsetzung import api

PLUGIN = "pelican.plugins.fortsetzung"
#: Everything of this project that is not the plugin and runs the site.
TOOLS = [*sorted((ROOT / "sitetools").glob("*.py")), ROOT / "tasks.py"]


def imported(path):
    """Yield (line, module, names) of every import of the plugin in `path`."""
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PLUGIN):
            yield node.lineno, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PLUGIN):
                    yield node.lineno, alias.name, []


def test_the_site_tools_import_nothing_of_the_plugin_but_its_api():
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {module} {names}"
        for path in TOOLS
        for line, module, names in imported(path)
        if not (module == f"{PLUGIN}.api" or (module == PLUGIN and names == ["api"]))
    ]
    assert wrong == []
    # and they do use it (the test would pass on tools that import nothing)
    assert any(list(imported(path)) for path in TOOLS)


def test_every_name_of_the_api_exists_and_is_in_the_plugin_readme():
    readme = (ROOT / "plugins" / "fortsetzung" / "README.md").read_text("utf-8")
    section = readme.split("## For tools: the public module", 1)[1].split("\n## ")[0]
    listed = set(re.findall(r"`([A-Za-z_]+)[`(]", section))
    assert sorted(set(api.__all__) - listed) == []
    assert all(hasattr(api, name) for name in api.__all__)


def test_read_site_gives_the_final_model_and_writes_nothing(site):
    site.series("fsj", "FSJ")
    site.entry("f/1.md", "Eins", "2024-01-01", Series="FSJ")
    site.entry("f/2.md", "Zwei", "2024-01-02", Series="FSJ", Summary="TODO")
    output = site.root / "output"
    output.mkdir()
    (output / "kept.html").write_text("from before")
    settings = site.settings(output, DELETE_OUTPUT_DIRECTORY=True)

    context = api.read_site(settings)

    # nothing written, nothing deleted (Pelican would empty the folder)
    assert [p.name for p in output.iterdir()] == ["kept.html"]
    (series,) = context["series_list"]
    assert [a.title for a in series.articles] == ["Eins", "Zwei"]
    # the plugin has finalised and checked the model before the run stopped
    assert [p.field for p in context["content_problems"]] == ["Summary"]
    assert context["articles"][0].url  # URLs are frozen
