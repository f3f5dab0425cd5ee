"""Fixtures of the plugin's tests (plain.py has the helpers)."""

import pytest

from .plain import PlainSite


@pytest.fixture
def site(tmp_path):
    return PlainSite(tmp_path)
