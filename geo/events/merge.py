"""Merging: one real-world event reported by several sources becomes one event.

Whether two reports tell the same happening is decided by :func:`same_happening` (same type,
same place, dates that overlap: a day inside a season overlaps it; "9 November" overlaps "the
night to 10 November"), here across sources and in :mod:`geo.events.finish` and
:mod:`geo.events.extract` within one. Across sources the status must agree as well. The merged
event keeps every :class:`~geo.models.SourceRef`, counts the distinct
sources in ``corroboration``, takes the date of the most specific basis (``text`` > ``context`` >
``dateline`` > ``publication``), of those the most precise, and records conflicting claims
(different days, different parties) in ``notes`` with both quotes kept in ``sources``. So a
report dated only by its publication week merges with a report that dates the same happening
to a day inside that week, and the merged event keeps the day (with its basis).
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from typing import Protocol

from geo.models import Event, SourceRef, content_hash

__all__ = [
    "Telling",
    "compatible_dates",
    "date_range",
    "merge_events",
    "merge_group",
    "same_happening",
]

_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4, None: 5}
_BASIS_ORDER = {"text": 0, "context": 1, "dateline": 2, "publication": 3, None: 4}


def date_range(value: str, end: str | None = None) -> tuple[str, str]:
    """First and last day (ISO) covered by a partial ISO date and an optional end."""

    def lo(v: str) -> str:
        return (v + "-01-01")[:10] if len(v) == 4 else (v + "-01")[:10]

    def hi(v: str) -> str:
        if len(v) == 4:
            return f"{v}-12-31"
        if len(v) == 7:
            y, m = int(v[:4]), int(v[5:7])
            return f"{v}-{calendar.monthrange(y, m)[1]:02d}"
        return v

    return lo(value), hi(end or value)


def compatible_dates(a: str, a_end: str | None, b: str, b_end: str | None) -> bool:
    """Whether two (partial ISO) dates or ranges overlap."""
    a_lo, a_hi = date_range(a, a_end)
    b_lo, b_hi = date_range(b, b_end)
    return a_lo <= b_hi and b_lo <= a_hi


class Telling(Protocol):
    """What :func:`same_happening` reads of a report: an :class:`~geo.models.Event`, or an
    event still being drafted (:class:`geo.events.drafts.Draft`)."""

    @property
    def event_type(self) -> str: ...
    @property
    def place_id(self) -> str | None: ...
    @property
    def date(self) -> str | None: ...
    @property
    def date_end(self) -> str | None: ...


def same_happening(a: Telling, b: Telling, *, within_source: bool, place: bool = True) -> bool:
    """Whether two reports may tell one happening: the same event type, the same place, and
    dates that overlap.

    Parameters
    ----------
    within_source:
        Within one source an undated report refers back to any report of its type and place
        ("the talks remained fragile"); across sources an undated report is too weak to claim
        identity, and matches only another undated one.
    place:
        False when one report names no place and looks for the report it refers to (to take
        its place): the places are then not compared.
    """
    if a.event_type != b.event_type or (place and a.place_id != b.place_id):
        return False
    if a.date is None or b.date is None:
        return within_source or (a.date is None and b.date is None)
    return compatible_dates(a.date, a.date_end, b.date, b.date_end)


def _ref_key(r: SourceRef) -> tuple[str, int, int]:
    return (r.source_id, r.start, r.end)


def merge_group(events: list[Event]) -> Event:
    """Merge events known to describe one happening into one event."""
    if len(events) == 1:
        return events[0]
    refs: dict[tuple[str, int, int], SourceRef] = {}
    for e in events:
        for r in e.sources:
            refs.setdefault(_ref_key(r), r)
    sources = [refs[k] for k in sorted(refs)]
    dated = [e for e in events if e.date]
    best = (
        min(
            dated,
            key=lambda e: (
                _BASIS_ORDER[e.date_basis],
                _PRECISION_ORDER[e.date_precision],
                e.date or "",
                -e.confidence,
            ),
        )
        if dated
        else max(events, key=lambda e: e.confidence)
    )
    # The notes say how the kept date and place were found: those of the kept report; the
    # other reports only add what they disagree on (below) and their number.
    notes: list[str] = list(best.notes)
    others = len(events) - 1
    notes.append(f"merged with {others} other report{'s' if others > 1 else ''} of the same event")
    # Conflicting claims stay visible: name each differing value with its source.
    days = {(e.date, e.date_end) for e in dated if e.date_precision == "day"}
    if len(days) > 1:
        claims = "; ".join(
            f"{e.sources[0].source_id}: {e.date}{'/' + e.date_end if e.date_end else ''}"
            for e in sorted(dated, key=lambda e: _ref_key(e.sources[0]))
            if e.date_precision == "day"
        )
        notes.append(f"sources differ on the date ({claims}); kept {best.date}")
    for attr in ("from_party", "to_party"):
        vals = {getattr(e, attr) for e in events if getattr(e, attr)}
        if len(vals) > 1:
            notes.append(f"sources differ on {attr}: {', '.join(sorted(vals))}")
    from_party = next((e.from_party for e in events if e.from_party), None)
    to_party = next((e.to_party for e in events if e.to_party), None)
    actors: list[str] = []
    for e in events:
        for a in e.actors:
            if a not in actors:
                actors.append(a)
    n_sources = len({r.source_id for r in sources})
    confidence = min(0.99, max(e.confidence for e in events) + 0.05 * (n_sources - 1))
    key_parts = [best.event_type, best.place_id or ""] + [
        f"{r.source_id}:{r.start}:{r.end}" for r in sources
    ]
    return best.model_copy(
        update={
            "id": content_hash(*key_parts),
            "sources": sources,
            "corroboration": n_sources,
            "actors": actors,
            "notes": notes,
            "confidence": round(confidence, 2),
            "from_party": best.from_party or from_party,
            "to_party": best.to_party or to_party,
        }
    )


def _order_key(e: Event) -> tuple[str, str, str, str]:
    return (e.date or "9999", e.event_type, e.place or "", e.id)


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Merge the events of several sources; the same happening becomes one event.

    A group takes an event of the same status that is the same happening
    (:func:`same_happening`, across sources) as every member of the group. A report dated
    only by its publication week is too weak to start a group others join: it joins a group
    dated otherwise (a day inside its week, say), else only the reports of other sources
    published the same day (the same week).
    Output order is deterministic: by date (undated last), type, place, then id.
    """
    ordered = sorted(
        events,
        key=lambda e: (
            e.date_basis == "publication",  # last: every group they may join exists
            _PRECISION_ORDER[e.date_precision],
            _ref_key(e.sources[0]) if e.sources else ("", 0, 0),
            e.id,
        ),
    )
    # Only events of one type, place and status can be one happening: bucket by that first.
    # Inside a bucket, a group accepts an event that overlaps every member. Intervals on a
    # line that overlap pairwise share a common point (Helly's theorem in one dimension), so
    # "overlaps every member" is "overlaps the group's common span": one comparison per group
    # instead of one per member, which keeps large corpora (tens of thousands of events) fast.
    # Dated and undated events never merge across sources; undated ones of a bucket do.
    buckets: dict[tuple[str, str, str], _Bucket] = {}
    for e in ordered:
        key = (e.event_type, e.place_id or "", e.status)
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = _Bucket()
        bucket.add(e)
    return sorted(
        (merge_group(g) for bucket in buckets.values() for g in bucket.groups), key=_order_key
    )


class _Bucket:
    """The groups of one type, place and status, in the order they were started.

    An event joins the first group that accepts it. An undated event is accepted only by an
    undated group, so a bucket has at most one. A dated event is accepted by the first dated
    group whose common span of days ``[los[i], his[i]]`` overlaps its own; a bucket of a
    large corpus holds hundreds of groups, so they are indexed: groups whose span is one day
    by that day (a span never widens, so they stay one-day groups), the others in a list.
    An event dated by its publication week (added after all others) that no dated group
    accepts joins the group of its very week (``weeks``), which no other event joins.
    """

    __slots__ = (
        "groups",
        "undated",
        "dated",
        "los",
        "his",
        "day_group",
        "days",
        "wide",
        "weeks",
    )

    def __init__(self) -> None:
        self.groups: list[list[Event]] = []
        self.undated: list[Event] | None = None
        self.dated: list[list[Event]] = []
        self.los: list[str] = []
        self.his: list[str] = []
        self.day_group: dict[str, int] = {}  # day -> first one-day group of that day
        self.days: list[str] = []  # the keys of day_group, sorted
        self.wide: list[int] = []  # groups spanning several days, in order
        self.weeks: dict[tuple[str, str], list[Event]] = {}  # publication week -> its group

    def add(self, event: Event) -> None:
        if not event.date:
            if self.undated is None:
                self.undated = [event]
                self.groups.append(self.undated)
            else:
                self.undated.append(event)
            return
        lo, hi = date_range(event.date, event.date_end)
        los, his = self.los, self.his
        first = len(los)  # no group accepts it
        if lo == hi:
            first = self.day_group.get(lo, first)
        else:
            days = self.days
            for day in days[bisect_left(days, lo) : bisect_right(days, hi)]:
                first = min(first, self.day_group[day])
        for i in self.wide:
            if i > first:
                break
            if lo <= his[i] and los[i] <= hi:
                first = i
                break
        if first == len(los) and event.date_basis == "publication":
            week = self.weeks.get((lo, hi))
            if week is None:
                self.weeks[lo, hi] = week = []
                self.groups.append(week)
            week.append(event)
            return
        if first == len(los):
            group = [event]
            self.groups.append(group)
            self.dated.append(group)
            los.append(lo)
            his.append(hi)
            if lo == hi:
                self._index_day(lo, first)
            else:
                self.wide.append(first)
            return
        self.dated[first].append(event)
        if los[first] == his[first]:
            return  # a one-day group that accepts an event keeps its day
        los[first], his[first] = max(los[first], lo), min(his[first], hi)
        if los[first] == his[first]:
            self.wide.remove(first)
            self._index_day(los[first], first)

    def _index_day(self, day: str, i: int) -> None:
        if day in self.day_group:
            self.day_group[day] = min(self.day_group[day], i)
        else:
            self.day_group[day] = i
            insort(self.days, day)
