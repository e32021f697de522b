"""Errors of the domain layer; all derive from :class:`gazetteer.errors.ConflictmapError`."""

from __future__ import annotations

from gazetteer.errors import ConflictmapError


class SourceError(ConflictmapError, ValueError):
    """A source file cannot be used. The message is one line and names the file."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ConfigError(ConflictmapError, ValueError):
    """A command-line option or configuration value is invalid."""


class BuildLockedError(ConflictmapError, RuntimeError):
    """Another build holds the lock on the output folder."""
