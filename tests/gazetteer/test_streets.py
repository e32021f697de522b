"""Streets and minor features: found by their head word, placed at the town they belong to."""

from __future__ import annotations

import pytest

from gazetteer import Gazetteer, GazetteerConfig
from gazetteer.recognize.streets import find_streets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A fire broke out on Main Street last night.", ["Main Street"]),
        (
            "at 216 S. Clinton Avenue and West Broad Street",
            ["S. Clinton Avenue", "West Broad Street"],
        ),
        ("crossing Browns Bridge Road", ["Browns Bridge Road"]),
        ("near Augusta's Highland Avenue", ["Highland Avenue"]),
        ("located on County Road 4045", ["County Road 4045"]),
        ("in the St. Louis Hills area", ["St. Louis Hills"]),
        ("after it rolled down Bourbon and Dauphine streets", ["Bourbon", "Dauphine"]),
        # a longer name of another kind, and a lone head word, are no streets
        ("in Sand Creek Township", []),
        ("The Park was closed.", []),
    ],
)
def test_find_streets(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in find_streets(text)] == expected


def test_streets_are_placed_at_their_town() -> None:
    gaz = Gazetteer.load(GazetteerConfig(streets=True))
    text = (
        "Chiquita Henry, of 1935 Orchard Street, Alexandria, La., was arrested. "
        "The fire at Dublin Road was put out. Alexandria police said the Orchard Street "
        "house was empty."
    )
    found = {m.text: m for m in gaz.geoparse(text)}
    assert "Dublin" not in found  # part of the street's name
    town = found["Alexandria"].place_id
    assert found["Orchard Street"].place_id == town
    assert found["Dublin Road"].place_id == town
    assert found["Orchard Street"].explanation
    # off by default: the map pipeline has no use for streets
    assert "Orchard Street" not in {m.text for m in Gazetteer.load().geoparse(text)}


def test_buildings_count_where_the_text_locates_something_in_them() -> None:
    from gazetteer.recognize.streets import find_buildings

    text = (
        "He died at Northwestern Memorial Hospital. Hospital officials said the Memorial "
        "Hospital board met. The match at Jamsil Stadium was called off."
    )
    assert [text[s:e] for s, e in find_buildings(text)] == [
        "Northwestern Memorial Hospital",
        "Jamsil Stadium",
    ]
    gaz = Gazetteer.load(GazetteerConfig(streets=True))
    found = {
        m.text: m for m in gaz.geoparse("In Chicago, he died at Northwestern Memorial Hospital.")
    }
    assert found["Northwestern Memorial Hospital"].place_id == found["Chicago"].place_id
