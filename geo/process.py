"""The per-source stages: recognise and resolve places, then extract events.

:func:`process_source` is a pure function of the source and the gazetteer, so its result can
be cached by content hash and computed in worker processes or on a Dask cluster.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from gazetteer import Gazetteer
from geo.events import extract_events
from geo.models import Source, SourceResult


def process_source(source: Source, gazetteer: Gazetteer) -> SourceResult:
    """Run recognition, resolution and event extraction on one source."""
    mentions = [
        m
        for m in gazetteer.geoparse(source.text, lang=source.language)
        if not source.in_boilerplate(m.start, m.end)
    ]
    events = extract_events(source, mentions, gazetteer)
    # The ranked candidates and their reasons serve resolution and `conflictmap places
    # --explain`; no output of a build uses them, and keeping them for every mention of a
    # large corpus costs more memory (and cache) than all the rest of the result.
    mentions = [
        m.model_copy(update={"source_id": source.source_id, "candidates": [], "explanation": []})
        for m in mentions
    ]
    used = {m.place_id for m in mentions if m.place_id} | {e.place_id for e in events if e.place_id}
    places = [gazetteer.get(pid) for pid in sorted(used)]
    return SourceResult(source=source, mentions=mentions, events=events, places=places)


@contextmanager
def batch_gc(young: int = 20_000) -> Iterator[None]:
    """Run the cyclic garbage collector's young generation less often inside the block.

    Processing a source allocates hundreds of thousands of short-lived objects (matches,
    segments, models) and almost no reference cycles, so Python's default (a young
    collection every 700 net allocations) spends ~6% of a build re-scanning live objects.
    The older generations keep their thresholds; the previous setting is restored on exit.
    """
    old = gc.get_threshold()
    gc.set_threshold(max(young, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
