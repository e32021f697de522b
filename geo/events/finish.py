"""From drafts to events: the last fallbacks of one source, its within-source merge, and
the :class:`~geo.models.Event` records with their notes, confidence and stable ids.

The date fallbacks of the source itself (dateline, publication date:
:meth:`geo.events.time.EventTime.source_date`) come last, after the within-source merge: an
undated report first joins the dated report of the same happening it refers back to, and only
what is still undated then takes the dateline's day or the publication week."""

from __future__ import annotations

from geo.events.drafts import Draft
from geo.events.merge import compatible_dates, merge_group, same_happening
from geo.events.time import EventTime
from geo.events.triggers import DIPLOMACY, VIOLENCE
from geo.models import LAYER_OF, Event, EventType, SourceRef, content_hash
from geo.text.document import Document

__all__ = ["Finisher"]


class Finisher:
    """Turns the drafts of one source into its events."""

    def __init__(self, doc: Document, time: EventTime) -> None:
        self.source = doc.source
        self.text = doc.text
        self.anchor = doc.published
        self.time = time
        self.year_note = time.year_note
        self.dateline = doc.dateline

    def finish(self, drafts: list[Draft]) -> list[Event]:
        """The events of the drafts that have a place; the same happening told twice is one."""
        _join_summits(drafts)
        for d in drafts:
            # With no place, date or actor of its own, only a mention right after an event of
            # its type refers back to it ("the talks remained fragile" alone is no event).
            if d.place is None and d.etype in DIPLOMACY:
                recent = any(
                    e.etype == d.etype
                    and e.place is not None
                    and 0 <= d.trig.sent - e.trig.sent <= 2
                    for e in drafts
                )
                if d.date or d.actors or recent:
                    self._borrow_place(d, drafts)
        self._narrow_country_places(drafts)
        kept = [d for d in drafts if d.place is not None]
        events = [self.to_event(d) for d in kept]
        # The same happening told twice in one source is one event: dated reports group
        # when their dates overlap; an undated report joins the nearest group of its kind.
        groups: list[list[int]] = []
        for i, e in enumerate(events):
            if e.date is None:
                continue
            for g in groups:
                if all(_same_happening(events[j], e) for j in g):
                    g.append(i)
                    break
            else:
                groups.append([i])
        for i, e in enumerate(events):
            if e.date is not None:
                continue
            fits = [g for g in groups if all(_same_happening(events[j], e) for j in g)]
            if fits:
                near = min(
                    fits,
                    key=lambda g: min(abs(kept[j].trig.start - kept[i].trig.start) for j in g),
                )
                near.append(i)
            else:
                groups.append([i])
        groups.sort(key=lambda g: min(kept[j].trig.start for j in g))
        return [self._source_dated(merge_group([events[j] for j in sorted(g)])) for g in groups]

    def _source_dated(self, e: Event) -> Event:
        """``e``, dated by its source (dateline, publication) when its text leaves it undated."""
        if e.date is not None:
            return e
        when = self.time.source_date(e.status)
        if when is None:
            return e
        return e.model_copy(
            update={
                "date": when.date,
                "date_end": when.date_end,
                "date_precision": when.precision,
                "date_basis": when.basis,
                "notes": [*e.notes, when.note],
            }
        )

    def _borrow_place(self, d: Draft, drafts: list[Draft]) -> None:
        """Place a diplomatic event that names none at the same-type event the source places
        ("ahead of his talks" ... "talks in Moscow on Monday"), if dates and status allow."""
        same = [
            e
            for e in drafts
            if e.place is not None
            and not e.place_note.startswith("no place of its own")
            and same_happening(d, e, within_source=True, place=False)
            # a dated report borrows from a dated one only
            and (d.date is None or e.date is not None)
        ]
        if d.status == "planned" or d.date is not None:
            same = [e for e in same if e.status == d.status]
        if not same:
            return
        near = min(same, key=lambda e: (e.status != d.status, abs(e.trig.start - d.trig.start)))
        d.place = near.place
        d.place_note = (
            f"no place of its own: the {near.etype} the source places at "
            f"{near.place.name if near.place else ''}"
        )
        d.confidence -= 0.15
        if d.date is None:
            d.status = near.status

    def _narrow_country_places(self, drafts: list[Draft]) -> None:
        """An undated event placed at a country joins a same-type event inside that country
        ("his trip to Azerbaijan where he met Aliyev" is the meeting in Baku)."""
        for d in drafts:
            if d.place is None or d.date is not None or d.place.feature_type != "country":
                continue
            inside = [
                e
                for e in drafts
                if e is not d
                and e.etype == d.etype
                and e.place is not None
                and e.place.feature_type != "country"
                and e.place.country_code == d.place.country_code
            ]
            if inside:
                near = min(inside, key=lambda e: abs(e.trig.start - d.trig.start))
                d.place_note += f"; narrowed to {near.place.name if near.place else ''}, within it"
                d.place = near.place

    def to_event(self, d: Draft) -> Event:
        """The event record of a placed draft."""
        sent = d.sentence
        place = d.place
        notes = list(d.notes)
        if d.date_note:
            notes.append(d.date_note)
        elif d.date is None:
            notes.append(
                "no time expression for this event"
                + ("" if self.anchor else "; no publication date")
            )
        if not self.anchor and self.year_note:
            notes.append(f"publication date unknown; {self.year_note}")
        if d.place_note:
            notes.append(d.place_note)
        if self.dateline and d.etype in VIOLENCE and d.place_note.startswith("no place"):
            notes.append(
                f"dateline '{self.text[self.dateline[0] : self.dateline[1]].strip()}' not used as a place"
            )
        conf = d.confidence - (0.1 if d.date is None else 0.0)
        etype: EventType = d.etype  # type: ignore[assignment]
        ref = SourceRef(
            source_id=self.source.source_id, quote=sent.text, start=sent.start, end=sent.end
        )
        return Event(
            id=content_hash(
                d.etype,
                place.place_id if place else "",
                d.date or "",
                self.source.source_id,
                str(sent.start),
                str(sent.end),
                str(d.trig.start),
            ),
            event_type=etype,
            layer=LAYER_OF[d.etype],
            date=d.date,
            date_end=d.date_end if d.date_end != d.date else None,
            date_precision=d.precision if d.date else None,
            date_basis=d.date_basis if d.date else None,
            status="planned" if d.status == "planned" else "occurred",
            place=place.name if place else None,
            place_id=place.place_id if place else None,
            geo_precision=place.geo_precision if place else None,
            actors=d.actors,
            sources=[ref],
            confidence=round(min(0.99, max(0.05, conf)), 2),
            from_party=d.from_party,
            to_party=d.to_party,
            notes=notes,
        )


def _same_happening(a: Event, b: Event) -> bool:
    """Within a source: the same happening, told with the same parties, and of the same
    status when both are dated."""
    if a.from_party and b.from_party and a.from_party != b.from_party:
        return False
    if a.date is not None and b.date is not None and a.status != b.status:
        return False
    return same_happening(a, b, within_source=True)


def _join_summits(drafts: list[Draft]) -> None:
    """Talks the source also tells as a summit are that summit, not talks beside it ("the
    Sochi talks" of a summit held in Sochi): same place (or none, right after the summit),
    compatible dates and status, and no participant the summit lacks."""
    summits = [d for d in drafts if d.etype == "summit"]
    if not summits:
        return
    for d in drafts:
        if d.etype != "talks":
            continue
        for sm in summits:
            if d.place is None:
                placed = sm.place is not None and 0 <= d.trig.sent - sm.trig.sent <= 2
            else:
                placed = sm.place is not None and sm.place.place_id == d.place.place_id
            dated = (
                d.date is None
                or sm.date is None
                or (
                    d.status == sm.status
                    and compatible_dates(d.date, d.date_end, sm.date, sm.date_end)
                )
            )
            if placed and dated and set(d.actors) <= set(sm.actors):
                d.etype = "summit"
                break
