"""The serial engine: everything in this process, one source after the other."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gazetteer import Gazetteer
from gazetteer.config import GazetteerConfig
from geo.build.engines.base import in_order, safe_process
from geo.models import Source, SourceResult


class SerialEngine:
    """Everything in this process, one source after the other."""

    name = "serial"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    def run(self, sources: Sequence[Source], config: GazetteerConfig) -> Iterator[SourceResult]:
        gaz = self._gazetteer or Gazetteer.load(config)
        yield from in_order(safe_process(source, gaz) for source in sources)
