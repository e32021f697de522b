"""The online fallback, with an injected fake geocoder: these tests never reach the network."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from geopy.exc import GeocoderServiceError
from geopy.location import Location

from gazetteer.errors import GazetteerError
from gazetteer.sources.online import OnlineFallback, feature_type_of, place_from_nominatim

KARVACHAR = {
    "place_id": 1,
    "osm_type": "relation",
    "osm_id": 3406822,
    "lat": "40.0153",
    "lon": "46.0144",
    "class": "boundary",
    "type": "administrative",
    "addresstype": "county",
    "name": "Kalbajar District",
    "display_name": "Kalbajar District, Azerbaijan",
    "address": {"county": "Kalbajar District", "country": "Azerbaijan", "country_code": "az"},
    "geojson": {
        "type": "Polygon",
        "coordinates": [[[45.9, 39.9], [46.1, 39.9], [46.1, 40.1], [45.9, 40.1], [45.9, 39.9]]],
    },
}


class FakeGeocoder:
    """Answers from a dict like Nominatim would, and counts the calls."""

    def __init__(self, answers: dict[str, dict[str, Any]], fail: bool = False) -> None:
        self.answers = answers
        self.fail = fail
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def geocode(self, query: str, **kwargs: Any) -> Location | None:
        self.calls.append((query, kwargs))
        if self.fail:
            raise GeocoderServiceError("service down")
        raw = self.answers.get(query)
        if raw is None:
            return None
        return Location(raw["display_name"], (float(raw["lat"]), float(raw["lon"])), raw)


class FakeTime:
    """A clock that only moves when slept on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make(
    tmp_path: Path, geocoder: FakeGeocoder, fake_time: FakeTime | None = None
) -> OnlineFallback:
    t = fake_time or FakeTime()
    return OnlineFallback(
        "conflictmap-tests/1.0",
        cache_dir=tmp_path,
        geocoder=geocoder,
        min_delay_seconds=1.0,
        clock=t.clock,
        sleep=t.sleep,
    )


def test_user_agent_is_required(tmp_path: Path) -> None:
    for agent in (None, "", "  "):
        with pytest.raises(GazetteerError, match="user agent"):
            OnlineFallback(agent, cache_dir=tmp_path, geocoder=FakeGeocoder({}))


def test_lookup_builds_a_nominatim_place(tmp_path: Path) -> None:
    geocoder = FakeGeocoder({"Karvachar": KARVACHAR})
    place = make(tmp_path, geocoder).lookup("Karvachar", "en")
    assert place is not None
    assert place.place_id == "osm:relation:3406822"
    assert place.dataset == "nominatim"
    assert place.feature_type == "district"
    assert place.country_code == "AZ"
    assert (place.lat, place.lon) == (40.0153, 46.0144)
    assert place.geometry is not None and place.geometry.type == "Polygon"
    (query, kwargs) = geocoder.calls[0]
    assert query == "Karvachar"
    assert kwargs["language"] == "en" and kwargs["exactly_one"] is True


def test_cache_hit_avoids_second_call_even_across_instances(tmp_path: Path) -> None:
    geocoder = FakeGeocoder({"Karvachar": KARVACHAR})
    first = make(tmp_path, geocoder).lookup("Karvachar", "en")
    again = make(tmp_path, geocoder).lookup("  karvachar ", "en")
    assert len(geocoder.calls) == 1
    assert first == again
    assert (tmp_path / "nominatim.sqlite").is_file()


def test_not_found_is_cached_too(tmp_path: Path) -> None:
    geocoder = FakeGeocoder({})
    fallback = make(tmp_path, geocoder)
    assert fallback.lookup("Nowhereville", "en") is None
    assert fallback.lookup("Nowhereville", "en") is None
    assert len(geocoder.calls) == 1


def test_rate_limiter_uses_the_injected_sleep(tmp_path: Path) -> None:
    fake_time = FakeTime()
    geocoder = FakeGeocoder({"Karvachar": KARVACHAR})
    fallback = make(tmp_path, geocoder, fake_time)
    fallback.lookup("Karvachar", "en")
    fallback.lookup("Lachin", "en")
    fallback.lookup("Berdzor", "en")
    assert len(geocoder.calls) == 3
    assert fake_time.sleeps == [pytest.approx(1.0), pytest.approx(1.0)]


def test_failures_return_none_and_are_not_cached(tmp_path: Path) -> None:
    fake_time = FakeTime()
    down = FakeGeocoder({"Karvachar": KARVACHAR}, fail=True)
    assert make(tmp_path, down, fake_time).lookup("Karvachar", "en") is None
    assert len(down.calls) == 3  # one try and two retries, waiting on the injected sleep
    assert fake_time.sleeps and max(fake_time.sleeps) >= 5.0
    up = FakeGeocoder({"Karvachar": KARVACHAR})
    assert make(tmp_path, up).lookup("Karvachar", "en") is not None
    assert len(up.calls) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"class": "place", "type": "city"}, "locality"),
        ({"class": "boundary", "type": "administrative", "addresstype": "state"}, "admin1"),
        ({"class": "boundary", "type": "administrative", "addresstype": "country"}, "country"),
        ({"class": "waterway", "type": "river"}, "water"),
        ({"class": "highway", "type": "primary"}, "corridor"),
        ({"class": "historic", "type": "castle"}, "landmark"),
        ({"class": "shop", "type": "bakery"}, "other"),
    ],
)
def test_feature_type_mapping(raw: dict[str, str], expected: str) -> None:
    assert feature_type_of(raw) == expected


def test_unusable_answers_give_none() -> None:
    assert place_from_nominatim({"osm_type": "node"}) is None
    assert place_from_nominatim({**KARVACHAR, "lat": "123"}) is None  # invalid latitude


def test_default_geocoder_is_nominatim_with_the_user_agent(tmp_path: Path) -> None:
    from geopy.geocoders import Nominatim

    fallback = OnlineFallback("conflictmap-tests/1.0 (tests@example.org)", cache_dir=tmp_path)
    assert isinstance(fallback.geocoder, Nominatim)
    assert fallback.geocoder.headers["User-Agent"] == "conflictmap-tests/1.0 (tests@example.org)"
