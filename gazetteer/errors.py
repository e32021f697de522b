"""Root of conflictmap's error tree.

Every error the project raises on purpose derives from :class:`ConflictmapError`, and also from
the matching built-in, so callers can catch either (as ``geopy.exc`` does).
"""

from __future__ import annotations


class ConflictmapError(Exception):
    """Base class of every error conflictmap raises on purpose."""


class GazetteerError(ConflictmapError):
    """The gazetteer could not be built, loaded or queried."""


class GazetteerDataError(GazetteerError, ValueError):
    """A gazetteer data file (overlay, boundaries) is malformed."""


class PlaceNotFound(GazetteerError, KeyError):
    """No place has the requested id."""
