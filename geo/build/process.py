"""The per-source stages: recognise and resolve places, then extract events.

:func:`process_source` is a pure function of the source and the gazetteer, so its result can
be cached by content hash and computed in worker processes or on a Dask cluster.
"""

from __future__ import annotations

from gazetteer import Gazetteer
from geo.events.extract import extract_events
from geo.models import Source, SourceResult
from geo.text.document import Document


def process_source(source: Source, gazetteer: Gazetteer) -> SourceResult:
    """Run recognition, resolution and event extraction on one source."""
    doc = Document.read(source, gazetteer)
    events = extract_events(doc, gazetteer)
    # The ranked candidates and their reasons serve resolution and `conflictmap places
    # --explain`; no output of a build uses them, and keeping them for every mention of a
    # large corpus costs more memory (and cache) than all the rest of the result.
    mentions = [
        m.model_copy(update={"source_id": source.source_id, "candidates": [], "explanation": []})
        for m in doc.mentions
    ]
    used = {m.place_id for m in mentions if m.place_id} | {e.place_id for e in events if e.place_id}
    places = [gazetteer.get(pid) for pid in sorted(used)]
    return SourceResult(source=source, mentions=mentions, events=events, places=places)
