"""The annotated event development set (tests/data/events_dev/) is well formed."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest

from tests import REPO

DEVSET = REPO / "tests" / "data" / "events_dev" / "events_dev.jsonl"
CLASSES = {"summit", "talks", "call", "visit", "clash", "ceasefire", "territory_transfer"}
CLASSES |= {"deployment"}
PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
FIELDS = ("id", "language", "published", "title", "title_source", "outlet", "url", "licence")
FIELDS += ("split", "text", "events")


def _items() -> list[dict[str, Any]]:
    lines = DEVSET.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


ITEMS = _items()


def test_ids_are_unique_and_both_languages_and_splits_are_present() -> None:
    assert len({i["id"] for i in ITEMS}) == len(ITEMS)
    assert {i["language"] for i in ITEMS} == {"en", "ru"}
    assert {i["split"] for i in ITEMS} == {"dev", "holdout"}
    # Articles with nothing to map are part of the set.
    assert any(not i["events"] for i in ITEMS)


@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_item_is_complete_dated_and_its_gold_quotes_its_text(item: dict[str, Any]) -> None:
    for field in FIELDS:
        assert field in item, f"missing {field}"
    date.fromisoformat(item["published"])
    assert item["url"].startswith(("http://", "https://"))
    if item["title_source"] == "page":
        assert item["text"].startswith(item["title"])
    for event in item["events"]:
        assert event["class"] in CLASSES
        assert event["status"] in ("occurred", "planned")
        assert event["quote"] in item["text"]
        assert event["place"]
        assert -90 <= event["lat"] <= 90 and -180 <= event["lon"] <= 180
        for key in ("date", "date_end"):
            assert event[key] is None or PARTIAL_DATE.match(event[key])
