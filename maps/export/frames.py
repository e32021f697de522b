"""The build as GIS tables: the output contract's columns flattened to scalars, and the events
and places as GeoDataFrames (EPSG:4326), shared by the GeoPackage and GeoParquet writers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from geo.models import BuildResult
from maps.features import EVENT_PROPERTIES, event_features, place_features

if TYPE_CHECKING:
    import geopandas as gpd

# geopandas and shapely are imported by the functions that use them: importing them costs
# about 0.4 s, which the Dask engine's workers and the other writers would otherwise pay.

#: The columns of the places table, in order.
PLACE_COLUMNS: tuple[str, ...] = (
    "place_id",
    "name",
    "feature_type",
    "country_code",
    "admin1",
    "geo_precision",
    "geometry_approximate",
    "dataset",
    "mentions",
)


def flat(value: Any) -> Any:
    """GIS tables hold scalars: lists of names are joined, structured lists become JSON."""
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def flat_events(result: BuildResult) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Each event's contract properties (:data:`~maps.features.EVENT_PROPERTIES`, in that
    order), flattened, with its place's GeoJSON geometry (None when unplaced; one dict per
    place, shared by the events there)."""
    for feature in event_features(result):
        yield {k: flat(v) for k, v in feature["properties"].items()}, feature["geometry"]


def shapes(geometries: list[dict[str, Any] | None]) -> list[Any]:
    """Shapely geometries of GeoJSON ones, each distinct dict made once (None stays None)."""
    from shapely.geometry import shape

    made: dict[int, Any] = {}
    out: list[Any] = []
    for geometry in geometries:
        if geometry is None:
            out.append(None)
            continue
        geom = made.get(id(geometry))
        if geom is None:
            geom = made[id(geometry)] = shape(geometry)
        out.append(geom)
    return out


def events_frame(result: BuildResult) -> gpd.GeoDataFrame:
    """Events as a GeoDataFrame (EPSG:4326): the contract's properties, flattened, with
    each event's place geometry (mixed Point / LineString / Polygon; None when unplaced)."""
    import geopandas as gpd

    rows: list[dict[str, Any]] = []
    geometries: list[dict[str, Any] | None] = []
    for row, geometry in flat_events(result):
        rows.append(row)
        geometries.append(geometry)
    return gpd.GeoDataFrame(
        rows, columns=list(EVENT_PROPERTIES), geometry=shapes(geometries), crs="EPSG:4326"
    )


def places_frame(result: BuildResult) -> gpd.GeoDataFrame:
    """Places as a GeoDataFrame (EPSG:4326), mentions as a JSON string column."""
    import geopandas as gpd

    feats = place_features(result)
    rows = [{k: flat(v) for k, v in f["properties"].items()} for f in feats]
    geoms = shapes([f["geometry"] for f in feats])
    return gpd.GeoDataFrame(rows, columns=list(PLACE_COLUMNS), geometry=geoms, crs="EPSG:4326")
