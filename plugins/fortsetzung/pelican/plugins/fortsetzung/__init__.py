"""Fortsetzung: serialised stories for Pelican."""

from .fortsetzung import register

__all__ = ["register"]
