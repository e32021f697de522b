"""The gazetteer as a geopy geocoder: geocode, reverse, chains and geopandas' geocode."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pytest
from geopy.distance import geodesic
from geopy.exc import GeocoderQueryError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from shapely.geometry import Point

from gazetteer.geocoder import ConflictmapGeocoder

BAKU = (40.3777, 49.8920)
YEREVAN = (40.1811, 44.5136)
MOSCOW = (55.7522, 37.6156)


def km(location: Location, point: tuple[float, float]) -> float:
    return float(geodesic((location.latitude, location.longitude), point).km)


@pytest.fixture(scope="module")
def coder(gazetteer: Any) -> ConflictmapGeocoder:
    return ConflictmapGeocoder(gazetteer)


def test_is_a_geopy_geocoder(coder: ConflictmapGeocoder) -> None:
    assert isinstance(coder, Geocoder)


def test_geocode_english(coder: ConflictmapGeocoder) -> None:
    location = coder.geocode("Baku")
    assert isinstance(location, Location)
    assert km(location, BAKU) < 20
    assert location.address.startswith("Baku")
    assert "Azerbaijan" in location.address
    assert location.raw["place_id"] == coder.gazetteer.search("Baku")[0].place_id
    assert location.raw["country_code"] == "AZ"


def test_geocode_russian_and_alias(coder: ConflictmapGeocoder) -> None:
    moscow = coder.geocode("Москва", language="ru")
    assert moscow is not None and km(moscow, MOSCOW) < 30
    stepanakert = coder.geocode("Khankendi")
    assert stepanakert is not None
    assert km(stepanakert, (39.8153, 46.7519)) < 20


def test_geocode_many_and_none(coder: ConflictmapGeocoder) -> None:
    many = coder.geocode("Yerevan", exactly_one=False)
    assert isinstance(many, list) and many
    assert km(many[0], YEREVAN) < 20
    assert coder.geocode("Qxzvwplk Nonexistentia") is None


def test_geocode_with_a_country_qualifier(coder: ConflictmapGeocoder) -> None:
    paris_us = coder.geocode("Paris, United States")
    assert paris_us is not None
    assert paris_us.raw["country_code"] == "US"


def test_geocode_rejects_empty_queries(coder: ConflictmapGeocoder) -> None:
    with pytest.raises(GeocoderQueryError):
        coder.geocode("  ")


def test_reverse(coder: ConflictmapGeocoder) -> None:
    for query in [(40.38, 49.89), "40.38, 49.89", Point(49.89, 40.38).coords[0][::-1]]:
        location = coder.reverse(query)
        assert isinstance(location, Location)
        assert km(location, BAKU) < 30
    many = coder.reverse((40.38, 49.89), exactly_one=False)
    assert isinstance(many, list) and len(many) == 1
    assert coder.reverse((0.0, -30.0)) is None  # mid-Atlantic: nothing within reach


def test_reverse_rejects_non_points(coder: ConflictmapGeocoder) -> None:
    with pytest.raises(GeocoderQueryError):
        coder.reverse("not a point")


class _Unreachable:
    """Stands for an online geocoder later in a chain; fails the test if it is asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def geocode(self, query: str, **kwargs: Any) -> Location | None:
        self.asked.append(query)
        return None


def test_first_in_a_chain_behind_a_rate_limiter(coder: ConflictmapGeocoder) -> None:
    online = _Unreachable()
    chain = [RateLimiter(coder.geocode, min_delay_seconds=0), online.geocode]

    def geocode(query: str) -> Location | None:
        for step in chain:
            found = step(query)
            if found is not None:
                return found
        return None

    assert geocode("Yerevan") is not None
    assert online.asked == []
    assert geocode("Qxzvwplk Nonexistentia") is None
    assert online.asked == ["Qxzvwplk Nonexistentia"]


def test_geopandas_geocode_with_the_class_as_provider(gazetteer: Any) -> None:
    frame = gpd.tools.geocode(
        ["Baku", "Yerevan", "Qxzvwplk Nonexistentia"], provider=ConflictmapGeocoder
    )
    assert frame.crs.to_epsg() == 4326
    # geopandas swaps geopy's (lat, lon) into Point(lon, lat).
    assert frame.geometry.iloc[0].distance(Point(BAKU[1], BAKU[0])) < 0.2
    assert frame.geometry.iloc[1].distance(Point(YEREVAN[1], YEREVAN[0])) < 0.2
    assert frame.geometry.iloc[2].is_empty
    assert frame["address"].iloc[0].startswith("Baku")


def test_geopandas_reverse_geocode(gazetteer: Any) -> None:
    frame = gpd.tools.reverse_geocode([Point(49.89, 40.38)], provider=ConflictmapGeocoder)
    assert frame["address"].iloc[0].startswith("Baku")


def test_never_touches_the_network(coder: ConflictmapGeocoder, monkeypatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("ConflictmapGeocoder tried to reach the network")

    monkeypatch.setattr(Geocoder, "_call_geocoder", no_network)
    assert coder.geocode("Baku") is not None
    assert coder.reverse((40.38, 49.89)) is not None
