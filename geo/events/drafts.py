"""Event drafts: the mutable record an event is built in, before it becomes an Event."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from geo.dates import TimeExpr
from geo.events.places import Cand
from geo.events.triggers import Trigger
from geo.models import DateBasis, DatePrecision
from geo.text.sentences import Segment

if TYPE_CHECKING:
    from gazetteer.models import Place

__all__ = ["Draft", "copy_draft", "one_per_place", "set_place"]


@dataclass
class Draft:
    """An event being built: what one trigger found before it becomes an :class:`Event`."""

    etype: str
    trig: Trigger
    sentence: Segment
    place: Place | None = None
    place_note: str = ""
    date_expr: TimeExpr | None = None
    date_note: str = ""
    status: str = "occurred"
    actors: list[str] = field(default_factory=list)
    confidence: float = 0.85
    from_party: str | None = None
    to_party: str | None = None
    notes: list[str] = field(default_factory=list)
    date: str | None = None
    date_end: str | None = None
    precision: DatePrecision | None = None
    date_basis: DateBasis | None = None

    @property
    def event_type(self) -> str:
        """The event type (as :class:`~geo.models.Event` names it)."""
        return self.etype

    @property
    def place_id(self) -> str | None:
        """The id of the draft's place, if it has one yet."""
        return self.place.place_id if self.place is not None else None


def copy_draft(d: Draft) -> Draft:
    """A copy of ``d`` with its own lists (one draft per place of a transfer or deployment)."""
    return Draft(
        etype=d.etype,
        trig=d.trig,
        sentence=d.sentence,
        place=d.place,
        place_note=d.place_note,
        date_expr=d.date_expr,
        date_note=d.date_note,
        status=d.status,
        actors=list(d.actors),
        confidence=d.confidence,
        from_party=d.from_party,
        to_party=d.to_party,
        notes=list(d.notes),
        date=d.date,
        date_end=d.date_end,
        precision=d.precision,
        date_basis=d.date_basis,
    )


def set_place(d: Draft, c: Cand, how: str) -> None:
    """Place ``d`` at candidate ``c``, saying how the place was found."""
    d.place = c.place
    d.place_note = f"{how}: '{c.mention.text}'" + (
        " (capital of the named country)" if c.place.place_id != c.mention.place_id else ""
    )


def one_per_place(d: Draft, cands: list[Cand], how: str) -> list[Draft]:
    """A copy of ``d`` at each candidate ("shelling in Jermuk and Goris": two clashes)."""
    out = []
    for c in cands:
        dd = copy_draft(d)
        set_place(dd, c, how)
        out.append(dd)
    return out
