"""Engines run the per-source stages (:func:`geo.process.process_source`) over many sources.

The pipeline asks :func:`get_engine` for one by name and never cares how the work is spread.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from gazetteer import Gazetteer
from gazetteer.config import GazetteerConfig
from geo.errors import ConfigError
from geo.models import Source, SourceResult
from geo.process import process_source


class Engine(Protocol):
    name: str

    def run(
        self, sources: Sequence[Source], config: GazetteerConfig
    ) -> Iterator[SourceResult]:
        """Yield one result per source, in the order of ``sources``."""
        ...


class SerialEngine:
    """Everything in this process, one source after the other."""

    name = "serial"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    def run(
        self, sources: Sequence[Source], config: GazetteerConfig
    ) -> Iterator[SourceResult]:
        gaz = self._gazetteer or Gazetteer.load(config)
        for source in sources:
            yield process_source(source, gaz)


def get_engine(name: str = "serial", **options: object) -> Engine:
    if name == "serial":
        return SerialEngine()
    raise ConfigError(f"unknown engine {name!r} (known: serial)")
