"""Scoring of ``bench.evaluate_events`` on tiny hand-made gold (no ../shared, no build)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from bench.evaluate_events import CORPUS, by_split, corpora, distance_km, interval, score

SQUARE = {"type": "Polygon", "coordinates": [[[30, 50], [31, 50], [31, 51], [30, 51], [30, 50]]]}


def _event(
    source: str, etype: str, geometry: dict[str, Any], when: str | None, end: str | None = None
) -> dict[str, Any]:
    props = {
        "event_type": etype,
        "date": when,
        "date_end": end,
        "sources": [{"source_id": source}],
    }
    return {"type": "Feature", "geometry": geometry, "properties": props}


def test_interval_at_every_precision() -> None:
    assert interval("2014") == (date(2014, 1, 1), date(2014, 12, 31))
    assert interval("2016-02") == (date(2016, 2, 1), date(2016, 2, 29))
    assert interval("2014-08-05", "2014-08-07") == (date(2014, 8, 5), date(2014, 8, 7))
    assert interval(None) is None


def test_distance_is_zero_inside_a_polygon_and_geodesic_outside() -> None:
    assert distance_km(SQUARE, 50.5, 30.5) == 0.0
    # 0.5 degree of latitude north of the square's top edge: about 55.6 km.
    assert 55 < distance_km(SQUARE, 51.5, 30.5) < 56.5
    assert distance_km(None, 50.5, 30.5) == float("inf")


def test_score_counts_class_distance_and_date_with_a_day_of_slack() -> None:
    gold = {"class": "violence", "lat": 50.45, "lon": 30.52, "date": "2014-02-20", "date_end": None}
    rows = [
        {"id": "r1", "events": [gold]},
        {"id": "r2", "events": [dict(gold, date="2014-03-01")]},
        {"id": "r3", "events": [gold]},
    ]
    kyiv = {"type": "Point", "coordinates": [30.52, 50.45]}
    lviv = {"type": "Point", "coordinates": [24.03, 49.84]}
    events = [
        _event("r1", "clash", kyiv, "2014-02-21"),  # a day late: found
        _event("r2", "clash", kyiv, "2014-02-20"),  # nine days early: found only without date
        _event("r2", "talks", kyiv, "2014-03-01"),  # wrong class
        _event("r3", "clash", lviv, "2014-02-20"),  # 470 km off
    ]
    result = score(rows, events)
    assert (result.gold, result.found, result.found_any_date) == (3, 1, 2)
    assert (result.drawn, result.drawn_right, result.reports_without_events) == (4, 1, 0)


def test_score_by_language_and_class_and_reports_with_nothing_to_map() -> None:
    kyiv = {"type": "Point", "coordinates": [30.52, 50.45]}
    gold = {"class": "clash", "lat": 50.45, "lon": 30.52, "date": "2022-05-09", "date_end": None}
    talks = dict(gold, **{"class": "talks"})
    rows = [
        {"id": "en1", "language": "en", "events": [gold, talks]},
        {"id": "ru1", "language": "ru", "events": [gold]},
        {"id": "ru2", "language": "ru", "events": []},  # nothing to map
    ]
    events = [
        # a week ending on publication that holds the gold day: found
        _event("en1", "clash", kyiv, "2022-05-04", "2022-05-10"),
        _event("ru1", "clash", kyiv, "2022-04-01"),  # a month early: found only without date
        _event("ru2", "visit", kyiv, "2022-05-09"),  # drawn from a report with nothing to map
        _event("ru2", "clash", kyiv, "2022-05-09"),
    ]
    result = score(rows, events)
    assert (result.gold, result.found, result.found_any_date) == (3, 1, 2)
    assert (result.drawn, result.drawn_right) == (4, 1)
    assert (result.reports_nothing_to_map, result.drawn_from_nothing) == (1, 2)
    en_clash, en_talks = result.slice("en", "clash"), result.slice("en", "talks")
    assert (en_clash.gold, en_clash.found, en_clash.drawn, en_clash.drawn_right) == (1, 1, 1, 1)
    assert (en_talks.gold, en_talks.found, en_talks.drawn) == (1, 0, 0)
    ru = result.slice("ru", "all")
    assert (ru.gold, ru.found, ru.found_any_date, ru.drawn, ru.drawn_right) == (1, 0, 1, 3, 0)
    assert result.slice("all", "clash").drawn == 3
    table = result.by_class_table()
    assert "| en | talks | 0/1 (0.0%) | 0/1 (0.0%) | - |" in table
    assert "| ru | visit | - | - | 0/1 (0.0%) |" in table
    assert "| all | all | 1/3 (33.3%) | 2/3 (66.7%) | 1/4 (25.0%) |" in table
    assert "events drawn from the 1 reports with nothing to map | 2 |" in result.table()


def test_each_file_and_split_is_scored_on_its_own(tmp_path: Path) -> None:
    eval_dir, dev = tmp_path / "eval", tmp_path / "dev"
    eval_dir.mkdir()
    dev.mkdir()
    assert corpora(eval_dir, dev) == []
    for path in (eval_dir / CORPUS, dev / "ru.jsonl", dev / "en.jsonl", dev / "notes.txt"):
        path.write_text("", encoding="utf-8")
    assert corpora(eval_dir, dev) == [eval_dir / CORPUS, dev / "en.jsonl", dev / "ru.jsonl"]
    rows = [
        {"id": "a", "split": "dev"},
        {"id": "b", "split": "holdout"},
        {"id": "c", "split": "dev"},
    ]
    parts = by_split("en.jsonl", rows)
    assert [(name, [r["id"] for r in part]) for name, part in parts] == [
        ("en.jsonl (dev)", ["a", "c"]),
        ("en.jsonl (holdout)", ["b"]),
    ]
    assert by_split(CORPUS, [{"id": "u"}]) == [(CORPUS, [{"id": "u"}])]
