"""Merging the same happening reported by several sources."""

from __future__ import annotations

from geo.events.merge import compatible_dates, date_range, merge_events
from geo.models import Event, SourceRef


def ev(
    source_id, date, etype="ceasefire", place_id="overlay:nk", precision="day", date_end=None, **kw
):
    quote = kw.pop("quote", f"{etype} reported by {source_id}")
    return Event(
        id=f"{source_id}-{etype}-{date}",
        event_type=etype,
        layer="clashes" if etype in ("clash", "ceasefire") else "diplomacy",
        date=date,
        date_end=date_end,
        date_precision=precision if date else None,
        place="Nagorno-Karabakh",
        place_id=place_id,
        geo_precision="region",
        sources=[
            SourceRef(source_id=source_id, quote=quote, start=kw.pop("start", 0), end=len(quote))
        ],
        **kw,
    )


def test_date_ranges():
    assert date_range("2020") == ("2020-01-01", "2020-12-31")
    assert date_range("2020-02") == ("2020-02-01", "2020-02-29")
    assert date_range("2020-09", "2020-11") == ("2020-09-01", "2020-11-30")
    assert compatible_dates("2020-11-09", None, "2020-11-09", "2020-11-10")
    assert compatible_dates("2020-11-09", None, "2020-09", "2020-11")
    assert not compatible_dates("2020-11-09", None, "2020-11-10", None)


def test_the_ceasefire_in_three_sources_is_one_event():
    merged = merge_events(
        [
            ev("001", "2020-11-09", actors=["Vladimir Putin"]),
            ev("003", "2020-11-09", date_end="2020-11-10", quote="в ночь на 10 ноября"),
            ev("003", "2020-11-09", quote="от 9 ноября 2020 года", start=184),
            ev("000", "2020-09", date_end="2020-11", precision="season"),
        ]
    )
    assert len(merged) == 1
    m = merged[0]
    assert m.corroboration == 3
    assert [r.source_id for r in m.sources] == ["000", "001", "003", "003"]
    assert m.date == "2020-11-09" and m.date_precision == "day"
    assert "Vladimir Putin" in m.actors
    # the two day-level claims differ in their end: the conflict is visible
    assert any("differ on the date" in n for n in m.notes)


def test_different_days_or_places_stay_apart():
    merged = merge_events(
        [
            ev("001", "2020-11-09"),
            ev("002", "2020-11-12"),
            ev("003", "2020-11-09", place_id="overlay:other"),
            ev("004", "2020-11-09", etype="talks"),
        ]
    )
    assert len(merged) == 4
    assert all(e.corroboration == 1 for e in merged)


def test_conflicting_parties_are_noted_and_both_quotes_kept():
    a = ev(
        "001",
        "2020-11-20",
        etype="territory_transfer",
        from_party="Armenia",
        to_party="Azerbaijan",
        quote="handed over by Armenia",
    )
    b = ev(
        "002",
        "2020-11-20",
        etype="territory_transfer",
        from_party="Armenia",
        to_party="Russia",
        quote="handed over to Russia",
    )
    (m,) = merge_events([a, b])
    assert {r.quote for r in m.sources} == {"handed over by Armenia", "handed over to Russia"}
    assert any("to_party" in n for n in m.notes)


def test_merge_is_deterministic_and_ids_stable():
    events = [
        ev("001", "2020-11-09"),
        ev("003", "2020-11-09"),
        ev("002", "2020-10-09", etype="talks"),
    ]
    one = merge_events(events)
    two = merge_events(list(reversed(events)))
    assert [e.model_dump() for e in one] == [e.model_dump() for e in two]
    assert [e.date for e in one] == ["2020-10-09", "2020-11-09"]


def test_undated_reports_do_not_merge_across_sources():
    merged = merge_events([ev("001", None, etype="clash"), ev("002", "2020-10-08", etype="clash")])
    assert len(merged) == 2


def _reference_merge(events: list[Event]) -> list[list[str]]:
    """The definition: a group takes an event that is the same happening as every member."""
    from geo.events.merge import _PRECISION_ORDER, _ref_key, same_happening

    ordered = sorted(
        events,
        key=lambda e: (_PRECISION_ORDER[e.date_precision], _ref_key(e.sources[0]), e.id),
    )
    groups: list[list[Event]] = []
    for e in ordered:
        for g in groups:
            if all(x.status == e.status and same_happening(x, e, within_source=False) for x in g):
                g.append(e)
                break
        else:
            groups.append([e])
    return sorted(sorted(x.id for x in g) for g in groups)


def test_fast_merge_groups_exactly_as_the_pairwise_definition():
    import random

    rng = random.Random(7)
    dates = [
        ("2020", "year", None),
        ("2020-09", "season", "2020-11"),
        ("2020-10", "month", None),
        ("2020-11", "month", None),
        ("2020-11-09", "day", None),
        ("2020-11-09", "day", "2020-11-10"),
        ("2020-11-10", "day", None),
        ("2020-10-05", "week", "2020-10-11"),
        ("2021-01-11", "day", None),
        (None, None, None),
    ]
    events = []
    for i in range(400):
        date, precision, end = rng.choice(dates)
        events.append(
            ev(
                f"s{i:03d}",
                date,
                etype=rng.choice(["ceasefire", "clash"]),
                place_id=rng.choice(["overlay:nk", "geonames:1"]),
                precision=precision or "day",
                date_end=end,
            )
        )
    merged = merge_events(events)
    by_source = {e.sources[0].source_id: e.id for e in events}
    got = sorted(sorted(by_source[r.source_id] for r in m.sources) for m in merged)
    assert got == _reference_merge(events)
