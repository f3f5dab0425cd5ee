"""Fortsetzung: serialised stories for Pelican."""

from .plugin import register

__all__ = ["register"]
