"""Shared test data for the map and export tests: a real BuildResult built from the models.

Places have Point, LineString, Polygon and MultiPolygon geometries; there are events of all
eight types (one undated, one unplaced) and sources with titles, URLs and a malicious quote.
Imported by tests/maps/test_html.py, test_export.py and test_browser.py (as `tests.maps.sample`);
it holds no tests itself.
"""

from __future__ import annotations

from datetime import date

from gazetteer.models import Mention, Place
from geo.models import LAYER_OF, BuildManifest, BuildResult, Event, Source, SourceRef

MALICIOUS = '<script>window.__pwned = 1</script></script><img src=x onerror="window.__pwned=2">'

PLACES = [
    Place(
        place_id="geonames:491422",
        name="Sochi",
        feature_type="locality",
        country_code="RU",
        admin1="Krasnodar Krai",
        lat=43.6028,
        lon=39.7342,
        population=443562,
        dataset="geonames",
    ),
    Place(
        place_id="geonames:174875",
        name="Stepanakert",
        feature_type="locality",
        country_code="AZ",
        admin1="Karabakh",
        lat=39.8153,
        lon=46.7519,
        dataset="geonames",
    ),
    Place(
        place_id="geonames:616052",
        name="Yerevan",
        feature_type="locality",
        country_code="AM",
        lat=40.1811,
        lon=44.5136,
        dataset="geonames",
    ),
    Place(
        place_id="overlay:lachin-corridor",
        name="Lachin corridor",
        feature_type="corridor",
        country_code="AZ",
        lat=39.64,
        lon=46.55,
        geometry={
            "type": "LineString",
            "coordinates": [[46.75, 39.81], [46.55, 39.64], [46.40, 39.55], [45.95, 39.50]],
        },
        geometry_approximate=True,
        dataset="overlay",
    ),
    Place(
        place_id="overlay:shusha-district",
        name="Shusha District",
        feature_type="district",
        country_code="AZ",
        lat=39.76,
        lon=46.75,
        geometry={
            "type": "Polygon",
            "coordinates": [
                [[46.65, 39.70], [46.85, 39.70], [46.85, 39.82], [46.65, 39.82], [46.65, 39.70]]
            ],
        },
        geometry_approximate=True,
        dataset="overlay",
    ),
    Place(
        place_id="overlay:nagorno-karabakh",
        name="Nagorno-Karabakh",
        feature_type="region",
        country_code="AZ",
        lat=39.9,
        lon=46.7,
        geometry={
            "type": "MultiPolygon",
            "coordinates": [
                [[[46.4, 39.6], [47.1, 39.6], [47.1, 40.3], [46.4, 40.3], [46.4, 39.6]]],
                [[[46.2, 39.3], [46.3, 39.3], [46.3, 39.4], [46.2, 39.3]]],
            ],
        },
        geometry_approximate=True,
        dataset="overlay",
    ),
]

SOURCES = [
    Source(
        source_id="afp",
        path="seeds/afp.txt",
        text="Putin will host talks in Sochi. Troops clashed near Stepanakert.",
        published=date(2022, 10, 28),
        language="en",
        title="Putin to host <b>leaders</b> in Sochi",
        outlet="AFP",
        url="https://example.org/afp?a=1&b=2",
    ),
    Source(
        source_id="evil",
        path="seeds/evil.txt",
        text=MALICIOUS,
        published=date(2021, 1, 10),
        language="en",
        title=MALICIOUS,
        outlet="<i>Evil</i>",
        url="javascript:alert(1)",
    ),
    Source(
        source_id="tass", path="seeds/tass.txt", text="В Сочи состоятся переговоры.", language="ru"
    ),
]


def _ev(i: int, event_type: str, place_id: str | None, **kw: object) -> Event:
    index = {p.place_id: p for p in PLACES}
    place = index.get(place_id) if place_id else None
    data: dict[str, object] = {
        "id": f"ev{i:02d}",
        "event_type": event_type,
        "layer": LAYER_OF[event_type],
        "place": place.name if place else None,
        "place_id": place_id,
        "geo_precision": place.geo_precision if place else None,
        "sources": [
            SourceRef(source_id="afp", quote="Putin will host talks in Sochi.", start=0, end=31)
        ],
        "confidence": 0.8,
    }
    data.update(kw)
    return Event.model_validate(data)


EVENTS = [
    _ev(
        1,
        "summit",
        "geonames:491422",
        date="2022-10-31",
        date_precision="day",
        actors=["Vladimir Putin", "Nikol Pashinyan", "Ilham Aliyev"],
        status="planned",
    ),
    _ev(
        2,
        "talks",
        "geonames:491422",
        date="2021-11",
        date_precision="month",
        actors=["Russia"],
        sources=[
            SourceRef(source_id="tass", quote="В Сочи состоятся переговоры.", start=0, end=28)
        ],
    ),
    _ev(
        3,
        "call",
        "geonames:616052",
        date="2024-08-22",
        date_precision="day",
        actors=["Vladimir Putin", "Nikol Pashinyan"],
    ),
    _ev(4, "visit", "geonames:616052", actors=["Sergey Lavrov"]),  # undated
    _ev(
        5,
        "clash",
        "geonames:174875",
        date="2020-10-09",
        date_precision="day",
        actors=["Armenia", "Azerbaijan"],
        sources=[SourceRef(source_id="evil", quote=MALICIOUS, start=0, end=len(MALICIOUS))],
    ),
    _ev(
        6,
        "ceasefire",
        "overlay:nagorno-karabakh",
        date="2020-11-10",
        date_precision="day",
        actors=["Armenia", "Azerbaijan", "Russia"],
    ),
    _ev(
        7,
        "territory_transfer",
        "overlay:shusha-district",
        date="2020-11",
        date_precision="month",
        from_party="Armenia",
        to_party="Azerbaijan",
        actors=["Azerbaijan"],
    ),
    _ev(
        8,
        "deployment",
        "overlay:lachin-corridor",
        date="2020-11-10",
        date_precision="day",
        actors=["Russian peacekeepers"],
    ),
    _ev(9, "clash", None, date="2020", date_precision="year"),  # unplaced
]

MENTIONS = [
    Mention(
        source_id="afp", start=25, end=30, text="Sochi", place_id="geonames:491422", confidence=0.9
    ),
    Mention(
        source_id="afp",
        start=52,
        end=63,
        text="Stepanakert",
        place_id="geonames:174875",
        confidence=0.9,
    ),
    Mention(
        source_id="tass",
        start=2,
        end=6,
        text="Сочи",
        lang="ru",
        place_id="geonames:491422",
        confidence=0.9,
    ),
    Mention(source_id="afp", start=0, end=5, text="Putin", place_id=None),
]


def sample_result() -> BuildResult:
    """A fresh BuildResult with every geometry kind, event type and escaping hazard."""
    return BuildResult(
        events=list(EVENTS),
        places=list(PLACES),
        mentions=list(MENTIONS),
        sources=list(SOURCES),
        manifest=BuildManifest(
            tool_version="0.1.0", gazetteer_version="test", built_at="2026-11-22T00:00:00Z"
        ),
    )


def large_result(n: int = 10_000, seed: int = 1) -> BuildResult:
    """``n`` random events over 2,000 towns plus the sample places (for scale checks)."""
    import random

    rng = random.Random(seed)
    towns = [
        Place(
            place_id=f"test:{i}",
            name=f"Town {i}",
            feature_type="locality",
            lat=38 + rng.random() * 6,
            lon=40 + rng.random() * 10,
            dataset="test",
        )
        for i in range(2000)
    ]
    places = PLACES + towns
    types = list(LAYER_OF)
    quote = "A sentence of typical length that says what happened where, as a news report does."
    events = []
    for i in range(n):
        t = rng.choice(types)
        p = rng.choice(places)
        events.append(
            Event(
                id=f"e{i:05d}",
                event_type=t,
                layer=LAYER_OF[t],
                date=f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                date_precision="day",
                place=p.name,
                place_id=p.place_id,
                actors=["Armenia", "Azerbaijan"],
                to_party=rng.choice(["Armenia", "Azerbaijan", None])
                if t == "territory_transfer"
                else None,
                sources=[SourceRef(source_id="afp", quote=quote, start=0, end=len(quote))],
            )
        )
    return sample_result().model_copy(update={"events": events, "places": places})
