"""Every event of a dated source gets a date interval, and says where it comes from
(``date_basis``): its clause, its context, the dateline, or the publication date."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from geo.events.extract import extract_events
from geo.events.merge import merge_events
from geo.models import DateBasis, DatePrecision, Event, Source, SourceRef
from geo.text.document import Document
from maps.html.popups import date_label, event_popup


def events_of(gazetteer, text: str, published: date | None, lang: str = "en") -> list[Event]:
    source = Source(source_id="r", path="r.txt", text=text, published=published, language=lang)
    return extract_events(Document(source, gazetteer.geoparse(text, lang)), gazetteer)


def one(events: list[Event], etype: str) -> Event:
    hits = [e for e in events if e.event_type == etype]
    assert len(hits) == 1, [(e.event_type, e.place, e.date) for e in events]
    return hits[0]


def when(e: Event) -> tuple[str | None, str | None, str | None, str | None, str]:
    return (e.date, e.date_end, e.date_precision, e.date_basis, e.status)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Shelling killed two civilians in Kharkiv."),
        ("ru", "Обстрел Харькова унёс жизни двух мирных жителей."),
    ],
)
def test_an_undated_event_takes_the_week_up_to_publication(gazetteer, lang, text):
    e = one(events_of(gazetteer, text, date(2022, 5, 10), lang), "clash")
    assert e.place == "Kharkiv"
    assert when(e) == ("2022-05-04", "2022-05-10", "week", "publication", "occurred")
    assert any("week up to the publication date, 2022-05-10" in n for n in e.notes)


def test_a_dateline_date_is_used(gazetteer):
    text = "KYIV, May 9 (Reuters) - Shelling killed two civilians in Kharkiv, the governor said."
    e = one(events_of(gazetteer, text, date(2022, 5, 10)), "clash")
    assert (e.place, *when(e)) == ("Kharkiv", "2022-05-09", None, "day", "dateline", "occurred")
    ru = "МОСКВА, 9 мая – РИА Новости. Российские войска обстреляли Харьков."
    e = one(events_of(gazetteer, ru, date(2022, 5, 10), "ru"), "clash")
    assert when(e) == ("2022-05-09", None, "day", "dateline", "occurred")


def test_a_dateline_far_from_publication_is_not_the_event_date(gazetteer):
    # a republished story: its dateline's day is not within the week before publication
    text = "KYIV, March 2 (Reuters) - Shelling killed two civilians in Kharkiv."
    e = one(events_of(gazetteer, text, date(2022, 5, 10)), "clash")
    assert when(e) == ("2022-05-04", "2022-05-10", "week", "publication", "occurred")


def test_a_text_date_wins_over_dateline_and_publication(gazetteer):
    text = (
        "KYIV, May 10 (Reuters) - Russian forces shelled Kharkiv on Sunday, killing two civilians."
    )
    e = one(events_of(gazetteer, text, date(2022, 5, 10)), "clash")
    assert when(e) == ("2022-05-08", None, "day", "text", "occurred")


def test_the_paragraph_date_dates_a_later_event_of_the_paragraph(gazetteer):
    text = (
        "On 9 November 2020, Armenia and Azerbaijan signed a ceasefire in Moscow. "
        "Azerbaijani forces shelled Stepanakert."
    )
    events = events_of(gazetteer, text, date(2020, 11, 12))
    assert when(one(events, "ceasefire")) == ("2020-11-09", None, "day", "text", "occurred")
    clash = one(events, "clash")
    assert (clash.place, *when(clash)) == (
        "Stepanakert",
        "2020-11-09",
        None,
        "day",
        "context",
        "occurred",
    )
    assert any("the paragraph's date, '9 November 2020'" in n for n in clash.notes)


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces shelled Kharkiv on Sunday. They also shelled Izium.",
        "Russian forces shelled Kharkiv on Sunday, while Ukrainian troops shelled Izium.",
    ],
)
def test_a_neighbours_date_is_context(gazetteer, text):
    events = events_of(gazetteer, text, date(2022, 5, 10))
    got = {(e.place, *when(e)) for e in events}
    assert got == {
        ("Kharkiv", "2022-05-08", None, "day", "text", "occurred"),
        ("Izyum", "2022-05-08", None, "day", "context", "occurred"),
    }


def test_an_event_of_the_sentence_dates_its_continuation_not_the_sentence_before(gazetteer):
    text = (
        "5 ноября российские войска обстреляли Херсон; по данным местных властей, погибли не "
        "менее пяти человек. 8 ноября ВСУ обстреляли Горловку; по словам мэра, погибли двое "
        "мирных жителей."
    )
    events = events_of(gazetteer, text, date(2022, 11, 10), "ru")
    got = {(e.place, e.date, e.date_basis, len({r.start for r in e.sources})) for e in events}
    # each casualty clause is its own sentence's shelling (one quote per event), not the
    # shelling of the sentence before
    assert got == {("Kherson", "2022-11-05", "text", 1), ("Horlivka", "2022-11-08", "text", 1)}


def test_a_later_sentence_of_the_paragraph_takes_its_date(gazetteer):
    text = (
        "On 3 May 2021, gunmen attacked a checkpoint in Kandahar. "
        "Later that day two soldiers were wounded in Herat."
    )
    events = events_of(gazetteer, text, date(2021, 5, 10))
    assert {(e.place, *when(e)) for e in events} == {
        ("Kandahār", "2021-05-03", None, "day", "text", "occurred"),
        ("Herāt", "2021-05-03", None, "day", "context", "occurred"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # no date: the week from publication, still planned (never drawn as held)
        ("Zelensky will visit Berlin.", ("2022-05-10", "2022-05-16", "week", "publication")),
        ("Zelensky will visit Berlin on Friday.", ("2022-05-13", None, "day", "text")),
    ],
)
def test_a_planned_event_stays_planned(gazetteer, text, expected):
    e = one(events_of(gazetteer, text, date(2022, 5, 10)), "visit")
    assert when(e) == (*expected, "planned")


def test_a_planned_event_never_takes_the_paragraph_date(gazetteer):
    text = "On 9 November 2020, Armenia and Azerbaijan signed a ceasefire in Moscow. Putin will visit Baku."
    e = one(events_of(gazetteer, text, date(2020, 11, 12)), "visit")
    assert when(e) == ("2020-11-12", "2020-11-18", "week", "publication", "planned")
    ru = one(events_of(gazetteer, "Лавров посетит Анкару.", date(2022, 5, 10), "ru"), "visit")
    assert when(ru) == ("2022-05-10", "2022-05-16", "week", "publication", "planned")


def test_without_a_publication_date_nothing_is_guessed(gazetteer):
    e = one(events_of(gazetteer, "Shelling killed two civilians in Kharkiv.", None), "clash")
    assert when(e) == (None, None, None, None, "occurred")
    assert any("no publication date" in n for n in e.notes)
    # a dateline that names its year dates the story by itself
    text = "KYIV, May 9, 2022 (Reuters) - Shelling killed two civilians in Kharkiv."
    e = one(events_of(gazetteer, text, None), "clash")
    assert when(e) == ("2022-05-09", None, "day", "dateline", "occurred")


def _ev(
    source_id: str, day: str, end: str | None, precision: DatePrecision, basis: DateBasis
) -> Event:
    quote = f"clash reported by {source_id}"
    return Event(
        id=f"{source_id}-{day}",
        event_type="clash",
        layer="clashes",
        date=day,
        date_end=end,
        date_precision=precision,
        date_basis=basis,
        place="Kharkiv",
        place_id="geonames:706483",
        sources=[SourceRef(source_id=source_id, quote=quote, start=0, end=len(quote))],
    )


def test_a_publication_week_merges_with_a_text_day_inside_it_keeping_the_day():
    merged = merge_events(
        [
            _ev("a", "2022-05-04", "2022-05-10", "week", "publication"),
            _ev("b", "2022-05-08", None, "day", "text"),
        ]
    )
    assert len(merged) == 1
    m = merged[0]
    assert (m.date, m.date_end, m.date_precision, m.date_basis) == (
        "2022-05-08",
        None,
        "day",
        "text",
    )
    assert m.corroboration == 2
    # a text month does not give way to a narrower week that only bounds the date
    merged = merge_events(
        [
            _ev("a", "2022-05-04", "2022-05-10", "week", "publication"),
            _ev("b", "2022-05", None, "month", "text"),
        ]
    )
    assert [(m.date, m.date_basis) for m in merged] == [("2022-05", "text")]


def test_publication_weeks_of_other_sources_merge_only_within_the_same_week():
    merged = merge_events(
        [
            _ev("a", "2022-05-04", "2022-05-10", "week", "publication"),
            _ev("b", "2022-05-06", "2022-05-12", "week", "publication"),  # published 2 days on
            _ev("c", "2022-05-04", "2022-05-10", "week", "publication"),  # the same day as a
            _ev("d", "2022-05-20", None, "day", "text"),  # outside both weeks
        ]
    )
    got = sorted((m.date, m.date_end, tuple(r.source_id for r in m.sources)) for m in merged)
    assert got == [
        ("2022-05-04", "2022-05-10", ("a", "c")),
        ("2022-05-06", "2022-05-12", ("b",)),
        ("2022-05-20", None, ("d",)),
    ]


def test_popup_and_label_say_the_basis():
    e = _ev("a", "2022-05-04", "2022-05-10", "week", "publication")
    assert date_label(e) == "2022-05-04 – 2022-05-10 (within a week, by publication date)"
    assert date_label(_ev("a", "2022-05-08", None, "day", "text")) == "2022-05-08 (exact day)"
    assert date_label(_ev("a", "2022-05-09", None, "day", "dateline")) == (
        "2022-05-09 (exact day, by the dateline)"
    )
    assert "(within a week, by publication date)" in event_popup(e, None, {})


def test_schema_names_the_bases():
    schema = Event.model_json_schema()
    basis = schema["properties"]["date_basis"]
    values = {v for alt in basis["anyOf"] for v in alt.get("enum", [])}
    assert values == {"text", "context", "dateline", "publication"}


def test_every_seed_event_is_dated_and_honestly(prebuilt: tuple[Path, Path]):
    _, out = prebuilt
    events = [f["properties"] for f in json.loads((out / "events.geojson").read_text())["features"]]
    assert events and all(e["date"] and e["date_basis"] for e in events)
    bases = Counter(e["date_basis"] for e in events)
    assert set(bases) == {"text", "context", "dateline", "publication"}
    assert bases["text"] > len(events) / 2  # most dates are read from the event's own words
    by_quote = {(e["place"], e["sources"][0]["quote"][:40]): e for e in events}
    # "Stepanakert ... was heavily shelled." (AP, 2020-10-09) says no day: bounded by the week
    stepanakert = by_quote[("Stepanakert", "Stepanakert, the capital of Nagorno-Kara")]
    assert (stepanakert["date"], stepanakert["date_end"], stepanakert["date_precision"]) == (
        "2020-10-03",
        "2020-10-09",
        "week",
    )
    assert stepanakert["date_basis"] == "publication" and stepanakert["status"] == "occurred"
    # the Sochi talks are dated by their own words, planned, not by the dateline "Oct 28"
    sochi = [e for e in events if e["place"] == "Sochi" and e["date"] == "2022-10-31"]
    assert sochi and sochi[0]["date_basis"] == "text" and sochi[0]["status"] == "planned"
    # the dateline "Moscow, Oct 28 (AFP/APP):" dates the undated "ongoing invasion of Ukraine"
    ukraine = [e for e in events if e["place"] == "Ukraine" and e["date_basis"] == "dateline"]
    assert [(e["event_type"], e["date"]) for e in ukraine] == [("clash", "2022-10-28")]
