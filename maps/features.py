"""Events and places as GeoJSON-like features: the one table every writer starts from.

The geometry of an event is its place's own (:attr:`gazetteer.models.Place.__geo_interface__`,
already ``[lon, lat]``); an event without a known place has a null geometry.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import attrgetter
from typing import Any

from pydantic import BaseModel, ConfigDict

from gazetteer.models import Place
from geo.models import BuildResult, Event

#: Column order of the event properties, exactly the output contract of issue 2 (with
#: ``date_basis`` of issue 12).
EVENT_PROPERTIES: tuple[str, ...] = (
    "id",
    "event_type",
    "layer",
    "date",
    "date_end",
    "date_precision",
    "date_basis",
    "status",
    "place",
    "place_id",
    "geo_precision",
    "actors",
    "sources",
    "confidence",
    "from_party",
    "to_party",
    "corroboration",
)


class PlacedEvent(BaseModel):
    """An event together with the place it is located at (None when unplaced)."""

    model_config = ConfigDict(frozen=True)

    event: Event
    place: Place | None


#: What :func:`event_properties` dumps of an event (in the model's field order, which is the
#: contract's: a test checks it).
_EVENT_FIELDS: set[str] = set(EVENT_PROPERTIES)


def placed_events(result: BuildResult) -> list[PlacedEvent]:
    """Pair every event with its place, in the build's event order."""
    index = result.place_index()
    return [
        PlacedEvent(event=e, place=index.get(e.place_id) if e.place_id else None)
        for e in result.events
    ]


def event_properties(event: Event, place: Place | None = None) -> dict[str, Any]:
    """Every property of the output contract, in contract order (JSON-ready): the event's
    own, with its place's name and precision where the event has none."""
    props = event.model_dump(mode="json", include=_EVENT_FIELDS)
    if place is not None:
        if props["place"] is None:
            props["place"] = place.name
        if props["geo_precision"] is None:
            props["geo_precision"] = place.geo_precision
    return props


def event_features(result: BuildResult) -> list[dict[str, Any]]:
    """One RFC 7946 Feature per event, in the build's event order.

    Each place's geometry is made once and shared by the features of its events (many events
    share a place; a geometry dump per event was a large part of writing). Read-only use.
    """
    index = result.place_index()
    geometries: dict[str, dict[str, Any]] = {}
    features = []
    for e in result.events:
        place = index.get(e.place_id) if e.place_id else None
        geometry = None
        if place is not None:
            geometry = geometries.get(place.place_id)
            if geometry is None:
                geometry = geometries[place.place_id] = place.__geo_interface__
        features.append(
            {
                "type": "Feature",
                "id": e.id or None,
                "geometry": geometry,
                "properties": event_properties(e, place),
            }
        )
    return features


def place_mentions(result: BuildResult) -> dict[str, list[dict[str, Any]]]:
    """Mentions of each resolved place, as ``{source_id, start, end, text}`` in text order.

    ``maps.export.geojson._mentions_json`` writes the same as JSON text for places.geojson:
    keep the two in step."""
    out: dict[str, list[dict[str, Any]]] = {}
    for m in sorted(result.mentions, key=attrgetter("source_id", "start", "end")):
        if m.place_id:
            out.setdefault(m.place_id, []).append(
                {"source_id": m.source_id, "start": m.start, "end": m.end, "text": m.text}
            )
    return out


def place_properties(place: Place, mentions: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Properties of a place feature (the output contract plus admin1 and precision)."""
    return {
        "place_id": place.place_id,
        "name": place.name,
        "feature_type": place.feature_type,
        "country_code": place.country_code,
        "admin1": place.admin1,
        "geo_precision": place.geo_precision,
        "geometry_approximate": place.geometry_approximate,
        "dataset": place.dataset,
        "mentions": list(mentions.get(place.place_id, [])),
    }


def place_features(
    result: BuildResult, mentions: Mapping[str, list[dict[str, Any]]] | None = None
) -> list[dict[str, Any]]:
    """One Feature per resolved place, sorted by place_id for stable output (``mentions``:
    the mentions per place to use instead of the result's)."""
    if mentions is None:
        mentions = place_mentions(result)
    return [
        {
            "type": "Feature",
            "id": p.place_id,
            "geometry": p.__geo_interface__,
            "properties": place_properties(p, mentions),
        }
        for p in sorted(result.places, key=lambda p: p.place_id)
    ]


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection (WGS84 is implied, so no ``crs`` member)."""
    return {"type": "FeatureCollection", "features": features}
