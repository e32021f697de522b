"""Place choice: a place name that modifies an actor names the actor, not where it happened."""

from __future__ import annotations

from datetime import date

import pytest

from tests.geo.events.test_general import events_of

PUBLISHED = date(2023, 10, 20)


@pytest.mark.parametrize(
    ("text", "place", "not_place"),
    [
        # a capital before a force noun stands for its state
        (
            "Baghdad forces' shelling killed four people in Fallujah on Tuesday.",
            "Al Fallūjah",
            "Baghdad",
        ),
        ("Damascus-backed militias attacked Idlib on Monday, killing three.", "Idlib", "Damascus"),
        # another town before an actor noun gives way to the clause's locative place
        (
            "Mosul militants shelled a checkpoint near Kirkuk on Monday, killing two.",
            "Kirkūk",
            "Mosul",
        ),
    ],
)
def test_a_name_modifying_an_actor_gives_way_to_the_locative(gazetteer, text, place, not_place):
    events = events_of(gazetteer, text, PUBLISHED, "en")
    places = {e.place for e in events if e.event_type == "clash"}
    assert place in places, places
    assert not_place not in places, places


@pytest.mark.parametrize(
    "text",
    [
        "Three soldiers were killed in fighting overnight: Kabul",
        "Two soldiers killed as fighting rages near the airport - Kabul officials",
        "A pro-Tripoli official said two fighters were killed in clashes on Friday.",
    ],
)
def test_a_capital_as_attribution_or_side_is_no_event_place(gazetteer, text):
    events = events_of(gazetteer, text, PUBLISHED, "en")
    assert not any(e.place in ("Kabul", "Tripoli") for e in events), events


def test_a_town_modifying_an_actor_is_the_place_when_nothing_else_is(gazetteer):
    events = events_of(
        gazetteer, "Aleppo rebels shelled army positions on Monday, killing two.", PUBLISHED, "en"
    )
    assert any(e.event_type == "clash" and e.place == "Aleppo" for e in events), events
