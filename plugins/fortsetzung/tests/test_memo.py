"""Every memo of the plugin is one of its own: rotated, exported and absorbed."""

import importlib
import pkgutil

import pelican.plugins.fortsetzung as plugin
from pelican.plugins.fortsetzung import memo


def test_every_memo_has_a_name_of_its_own():
    found = []
    for info in pkgutil.walk_packages(plugin.__path__, plugin.__name__ + "."):
        module = importlib.import_module(info.name)
        found += [v for v in vars(module).values() if isinstance(v, memo.Memo)]
    # a memo whose name another took would never be rotated by next_build
    # (it would grow build after build) nor exported to other processes
    assert sorted(map(id, found)) == sorted(map(id, memo._ALL.values()))
    assert len(found) == len(memo._ALL) >= 8
