"""Domain models: sources, events, build results and the build manifest."""

from __future__ import annotations

import hashlib
import re
from datetime import date as Date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gazetteer.models import GeoPrecision, Mention, Place

EventType = Literal[
    "summit", "talks", "call", "visit", "clash", "ceasefire", "territory_transfer", "deployment"
]
Layer = Literal["diplomacy", "clashes", "territory"]
DatePrecision = Literal["day", "week", "month", "season", "year"]
Status = Literal["occurred", "planned"]
#: Where an event's date comes from, most specific first: its own clause's time expression
#: (``text``), a neighbouring event or the paragraph's reference date (``context``), the
#: story's dateline (``dateline``), or the publication date as a bound (``publication``).
DateBasis = Literal["text", "context", "dateline", "publication"]

LAYER_OF: dict[str, Layer] = {
    "summit": "diplomacy",
    "talks": "diplomacy",
    "call": "diplomacy",
    "visit": "diplomacy",
    "clash": "clashes",
    "ceasefire": "clashes",
    "territory_transfer": "territory",
    "deployment": "territory",
}

_ISO_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def content_hash(*parts: str) -> str:
    """A stable hex digest of the given strings (the key of incremental work)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


class Span(BaseModel):
    model_config = ConfigDict(frozen=True)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class SourceMeta(BaseModel):
    """Metadata of a source, from front matter or a folder's ``sources.yaml``."""

    published: Date | None = None
    language: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None


class Source(BaseModel):
    """One article, read and decoded, with its metadata."""

    source_id: str = Field(description="File name without extension.")
    path: str
    text: str = Field(description="The article text; offsets in events and mentions index it.")
    published: Date | None = None
    language: str = "en"
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    boilerplate: list[Span] = Field(
        default_factory=list, description="Spans (footers, link lists, adverts) to ignore."
    )
    content_hash: str = ""

    def in_boilerplate(self, start: int, end: int) -> bool:
        # Called for every mention and sentence, mostly with no spans: skip the generator.
        return bool(self.boilerplate) and any(
            s.start <= start and end <= s.end for s in self.boilerplate
        )


class SourceRef(BaseModel):
    """Where an event is stated: the sentence and its offsets in the source text."""

    source_id: str
    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Event(BaseModel):
    """A typed, dated, placed and sourced event."""

    id: str = ""
    event_type: EventType
    layer: Layer
    date: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    date_end: str | None = None
    date_precision: DatePrecision | None = None
    date_basis: DateBasis | None = Field(
        default=None,
        description=(
            "Where the date comes from: 'text' (the event's own clause), 'context' (a "
            "neighbouring event or the paragraph's date), 'dateline' (the story's dateline), "
            "'publication' (the week up to the publication date: an upper bound; for a "
            "planned event, the week from it); null when undated."
        ),
    )
    status: Status = "occurred"
    place: str | None = Field(default=None, description="Canonical English place name.")
    place_id: str | None = None
    geo_precision: GeoPrecision | None = None
    actors: list[str] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    from_party: str | None = None
    to_party: str | None = None
    corroboration: int = Field(default=1, ge=1, description="Number of distinct sources.")
    notes: list[str] = Field(default_factory=list, description="How date/place were inferred.")

    @field_validator("date", "date_end")
    @classmethod
    def _iso_partial(cls, v: str | None) -> str | None:
        if v is not None and not _ISO_PARTIAL.match(v):
            raise ValueError(f"date must be YYYY, YYYY-MM or YYYY-MM-DD, got {v!r}")
        return v


class SourceResult(BaseModel):
    """Everything the per-source stages produce for one source (cached by content hash)."""

    source: Source
    mentions: list[Mention] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list, description="Places the mentions/events use.")


SourceStatus = Literal["processed", "reused", "skipped"]


class SourceRecord(BaseModel):
    """One line of the build manifest."""

    path: str
    source_id: str | None = None
    content_hash: str | None = None
    status: SourceStatus
    reason: str | None = None


class BuildManifest(BaseModel):
    tool_version: str
    gazetteer_version: str
    built_at: str
    sources: list[SourceRecord] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per stage.")
    warnings: list[str] = Field(default_factory=list)
    outputs: list[str] = Field(default_factory=list)


class BuildResult(BaseModel):
    """The merged result of a build, which writers turn into files."""

    events: list[Event]
    places: list[Place]
    mentions: list[Mention]
    sources: list[Source]
    manifest: BuildManifest

    def place_index(self) -> dict[str, Place]:
        return {p.place_id: p for p in self.places}
