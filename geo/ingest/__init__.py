"""Sources in: finding files (:mod:`.discovery`), reading and decoding them (:mod:`.read`), the
article text of HTML pages (:mod:`.html`), metadata from ``sources.yaml`` (:mod:`.manifest`) and
the boilerplate spans of a text (:mod:`.boilerplate`)."""

from geo.ingest.discovery import SOURCE_SUFFIXES, FoundSources, discover, find_sources
from geo.ingest.manifest import MANIFEST_NAME
from geo.ingest.read import (
    DEFAULT_MAX_SIZE,
    LoadedSources,
    detect_language,
    load_sources,
    read_source,
    read_sources,
)

__all__ = [
    "DEFAULT_MAX_SIZE",
    "MANIFEST_NAME",
    "SOURCE_SUFFIXES",
    "FoundSources",
    "LoadedSources",
    "detect_language",
    "discover",
    "find_sources",
    "load_sources",
    "read_source",
    "read_sources",
]
