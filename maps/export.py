"""File exports: GeoJSON, CSV (ACLED column names), GeoPackage and GeoParquet.

Each writer implements :class:`geo.build.outputs.Writer` and writes through
:func:`geo.build.outputs.write_if_changed`, so files are replaced atomically and only when their
content changes.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from gazetteer.models import Mention
from gazetteer.sources.geonames import country_table
from geo.build.outputs import WriteOptions, write_if_changed
from geo.dates import acled_time_precision, ucdp_date_prec
from geo.models import BuildResult
from maps.features import (
    EVENT_PROPERTIES,
    event_feature,
    event_features,
    feature_collection,
    gc_paused,
    geometry_of,
    place_features,
    placed_events,
)

if TYPE_CHECKING:
    import geopandas as gpd

# geopandas, pyogrio and shapely are imported by the GIS writers that use them: importing
# them costs about 0.4 s, which the GeoJSON and CSV writers would otherwise pay.

__all__ = [
    "ACLED_COLUMNS",
    "CSVWriter",
    "GeoJSONWriter",
    "GeoPackageWriter",
    "GeoParquetWriter",
    "acled_geo_precision",
]


#: Sorted nothing: property order is the contract's order; compact but readable lines. The
#: features are built here, without cycles, so the encoder's cycle check is skipped (~10%).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _dumps(obj: Any) -> str:
    return _ENCODER.encode(obj) + "\n"


class GeoJSONWriter:
    """``events.geojson`` and ``places.geojson`` (RFC 7946 FeatureCollections)."""

    name = "geojson"

    def write(self, result: BuildResult, out_dir: Path, options: WriteOptions) -> list[Path]:
        paths = [Path(out_dir) / "events.geojson", Path(out_dir) / "places.geojson"]
        with gc_paused():
            write_if_changed(paths[0], _dumps(feature_collection(event_features(result))))
            write_if_changed(paths[1], _places_json(result))
        return paths


def _places_json(result: BuildResult) -> str:
    """``_dumps(feature_collection(place_features(result)))``, the same text made faster.

    The mentions are most of the file (one per place name in every source): they are written
    as text directly instead of as a dict each, which the encoder then walks. Each feature is
    encoded without its mentions, the last property, which are then spliced in.
    """
    encode = _ENCODER.encode
    # Mentions in (source_id, start, end) order, as place_mentions sorts them. A build's are
    # in that order already: checked while reading them, sorted only if they are not.
    by_place = _mentions_json(result.mentions, encode)
    if by_place is None:
        key = attrgetter("source_id", "start", "end")
        by_place = _mentions_json(sorted(result.mentions, key=key), encode)
        assert by_place is not None  # a sorted list is in order
    features = place_features(result, mentions={})
    if any(
        list(f)[-1] != "properties" or list(f["properties"])[-1] != "mentions" for f in features
    ):
        return _dumps(feature_collection(place_features(result)))  # layout changed: no splicing
    parts = []
    for feature in features:
        props = feature["properties"]
        del props["mentions"]
        text = encode(feature)
        mentions = ",".join(by_place.get(props["place_id"], ()))
        parts.append(f'{text[:-2]},"mentions":[{mentions}]}}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}\n"


def _mentions_json(
    mentions: list[Mention], encode: Callable[[Any], str]
) -> dict[str, list[str]] | None:
    """Each resolved mention as JSON text, per place, in list order; None if the list is not
    in (source_id, start, end) order."""
    strings: dict[str, str] = {}  # source ids and place names recur
    by_place: dict[str, list[str]] = {}
    last_source, last_start, last_end = "", -1, -1
    for m in mentions:
        source_id, start, end = m.source_id, m.start, m.end
        if source_id != last_source:
            if source_id < last_source:
                return None
            last_source, last_start, last_end = source_id, start, end
        elif (start, end) < (last_start, last_end):
            return None
        else:
            last_start, last_end = start, end
        if not m.place_id:
            continue
        sid = strings.get(source_id)
        if sid is None:
            sid = strings[source_id] = encode(source_id)
        text = strings.get(m.text)
        if text is None:
            text = strings[m.text] = encode(m.text)
        # A plain int's JSON is its str(); anything else goes through the encoder.
        start_json = str(start) if type(start) is int else encode(start)
        end_json = str(end) if type(end) is int else encode(end)
        by_place.setdefault(m.place_id, []).append(
            f'{{"source_id":{sid},"start":{start_json},"end":{end_json},"text":{text}}}'
        )
    return by_place


# --- CSV ----------------------------------------------------------------------------------

#: ACLED's column names, in ACLED's order, for the columns that have a counterpart.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "time_precision",
    "source",
    "notes",
)

#: The columns after the ACLED ones: the rest of the output contract and UCDP's ``date_prec``.
EXTRA_COLUMNS: tuple[str, ...] = (
    "id",
    "layer",
    "date_end",
    "date_precision",
    "status",
    "place_id",
    "place_precision",
    "actors",
    "confidence",
    "from_party",
    "to_party",
    "corroboration",
    "date_prec",
    "source_ids",
    "inference_notes",
)

#: ACLED sub-event types that are honest counterparts of our event types. Diplomacy has
#: none (ACLED does not code talks or visits); a territory transfer could be any of three
#: ACLED sub-events depending on facts we do not extract, so it is left empty too.
_ACLED_SUB_EVENT: dict[str, str] = {
    "clash": "Armed clash",
    "ceasefire": "Agreement",
    "deployment": "Change to group/activity",
}

_ACLED_GEO_PRECISION: dict[str, int] = {
    "point": 1,
    "locality": 1,
    "district": 2,
    "region": 3,
    "country": 3,
}


def acled_geo_precision(geo_precision: str | None) -> int | None:
    """ACLED's numeric ``geo_precision`` (1-3) for our precision label.

    ACLED codes 1 when the event happened at the coordinates of a named town (or a more
    precise point), 2 when it happened near that town or in a small area such as a district,
    and 3 when only a larger region (province) is known. So:

    ========== ======
    ours        ACLED
    ========== ======
    point       1
    locality    1
    district    2
    region      3
    country     3
    ========== ======

    ACLED has no code for "whole country"; 3 is its coarsest. Unknown → None (empty cell).
    """
    return _ACLED_GEO_PRECISION.get(geo_precision) if geo_precision else None


@cache
def _country_names() -> dict[str, str]:
    return {iso: c["name"] for iso, c in country_table().items()}


def _join(values: list[str]) -> str:
    return "; ".join(v for v in values if v)


def _csv_rows(result: BuildResult, outlets: dict[str, str]) -> Iterator[list[Any]]:
    """One row per event in column order (:data:`CSVWriter.columns`)."""
    countries = _country_names()
    index = result.place_index()
    for e in result.events:
        p = index.get(e.place_id) if e.place_id else None
        # The contract's place and precision: the event's own, else its place's.
        place = e.place if e.place is not None or p is None else p.name
        precision = e.geo_precision if e.geo_precision is not None or p is None else p.geo_precision
        refs = e.sources
        if len(refs) == 1:  # most events: the joins below of one value, without the sets
            source_ids = [refs[0].source_id]
            outlet = outlets.get(source_ids[0], source_ids[0])
            notes = refs[0].quote
        else:
            source_ids = sorted({s.source_id for s in refs})
            outlet = _join(sorted({outlets.get(s, s) for s in source_ids}))
            notes = " | ".join(s.quote for s in refs)
        actors = e.actors
        yield [
            e.date or "",
            e.event_type,
            _ACLED_SUB_EVENT.get(e.event_type, ""),
            actors[0] if actors else "",
            actors[1] if len(actors) > 1 else "",
            countries.get(p.country_code or "", p.country_code or "") if p else "",
            (p.admin1 or "") if p else "",
            place or "",
            p.lat if p else "",
            p.lon if p else "",
            acled_geo_precision(precision) or "",
            _blank(acled_time_precision(e.date_precision)),
            outlet or "",
            notes,
            e.id,
            e.layer,
            e.date_end or "",
            e.date_precision or "",
            e.status,
            e.place_id or "",
            precision or "",
            _join(actors),
            e.confidence,
            e.from_party or "",
            e.to_party or "",
            e.corroboration,
            _blank(ucdp_date_prec(e.date_precision, e.date, e.date_end)),
            _join(source_ids),
            " | ".join(e.notes),
        ]


def _blank(value: object) -> object:
    return "" if value is None else value


class CSVWriter:
    """``events.csv``: one row per event, ACLED's column names first, then the rest.

    ``event_date`` keeps our precision (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); the
    precision is in ``time_precision`` (ACLED's 1-3) and ``date_prec`` (UCDP's 1-5).
    """

    name = "csv"
    columns: ClassVar[tuple[str, ...]] = ACLED_COLUMNS + EXTRA_COLUMNS

    def write(self, result: BuildResult, out_dir: Path, options: WriteOptions) -> list[Path]:
        outlets = {s.source_id: s.outlet or s.source_id for s in result.sources}
        buf = io.StringIO()
        # Rows as lists in column order: what csv.DictWriter would write, without a dict
        # per row and its key check.
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.columns)
        with gc_paused():
            writer.writerows(_csv_rows(result, outlets))
        path = Path(out_dir) / "events.csv"
        write_if_changed(path, buf.getvalue())
        return [path]


# --- tabular GIS formats -------------------------------------------------------------------


def _flat(value: Any) -> Any:
    """GIS tables hold scalars: lists of names are joined, structured lists become JSON."""
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def events_frame(result: BuildResult) -> gpd.GeoDataFrame:
    """Events as a GeoDataFrame (EPSG:4326): the contract's properties, flattened, with
    each event's place geometry (mixed Point / LineString / Polygon; None when unplaced)."""
    import geopandas as gpd
    from shapely.geometry import shape

    rows: list[dict[str, Any]] = []
    geoms: list[Any] = []
    for pe in placed_events(result):
        feat = event_feature(pe)
        rows.append({k: _flat(feat["properties"][k]) for k in EVENT_PROPERTIES})
        geom = geometry_of(pe.place)
        geoms.append(shape(geom) if geom else None)
    columns = list(EVENT_PROPERTIES)
    return gpd.GeoDataFrame(rows, columns=columns, geometry=geoms, crs="EPSG:4326")


def places_frame(result: BuildResult) -> gpd.GeoDataFrame:
    """Places as a GeoDataFrame (EPSG:4326), mentions as a JSON string column."""
    import geopandas as gpd
    from shapely.geometry import shape

    feats = place_features(result)
    rows = [{k: _flat(v) for k, v in f["properties"].items()} for f in feats]
    geoms = [shape(f["geometry"]) for f in feats]
    columns = [
        "place_id",
        "name",
        "feature_type",
        "country_code",
        "admin1",
        "geo_precision",
        "geometry_approximate",
        "dataset",
        "mentions",
    ]
    return gpd.GeoDataFrame(rows, columns=columns, geometry=geoms, crs="EPSG:4326")


def _event_points(frame: gpd.GeoDataFrame, result: BuildResult) -> gpd.GeoDataFrame:
    """The same events located at their place's representative point (one geometry type)."""
    import geopandas as gpd
    from shapely.geometry import Point

    index = result.place_index()
    pts = []
    for pid in frame["place_id"]:
        p = index.get(pid) if isinstance(pid, str) else None
        pts.append(Point(p.lon, p.lat) if p else None)
    return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=pts, crs="EPSG:4326")


@contextmanager
def _gdal_config(**options: str | None) -> Iterator[None]:
    """Set GDAL config options for the duration of a block, then restore them."""
    import pyogrio

    old = {k: pyogrio.get_gdal_config_option(k) for k in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(old)


class GeoPackageWriter:
    """``events.gpkg`` with three layers, so QGIS opens it without questions:

    - ``events``: every event with its place's own geometry. A layer holds one geometry
      type in GeoPackage, so this one is declared ``GEOMETRY`` (mixed points, lines,
      polygons; QGIS offers to split it by type on load).
    - ``event_points``: the same rows at each place's representative point (``POINT``),
      the easy layer for symbology and heat maps.
    - ``places``: the resolved places (``GEOMETRY``), mentions as JSON.

    GeoPackage stores a "last change" timestamp; it is pinned (to the build date when
    given) so the same input gives the same bytes.
    """

    name = "gpkg"

    def write(self, result: BuildResult, out_dir: Path, options: WriteOptions) -> list[Path]:
        import pyogrio

        events = events_frame(result)
        layers = {
            "events": (events, "Unknown"),
            "event_points": (_event_points(events, result), "Point"),
            "places": (places_frame(result), "Unknown"),
        }
        stamp = f"{options.build_date or '2000-01-01'}T00:00:00Z"
        with tempfile.TemporaryDirectory() as tmp, _gdal_config(OGR_CURRENT_DATE=stamp):
            tmp_path = Path(tmp) / "events.gpkg"
            for layer, (frame, geometry_type) in layers.items():
                pyogrio.write_dataframe(
                    frame,
                    tmp_path,
                    layer=layer,
                    driver="GPKG",
                    geometry_type=geometry_type,
                    promote_to_multi=False,
                    append=tmp_path.exists(),
                )
            data = tmp_path.read_bytes()
        path = Path(out_dir) / "events.gpkg"
        write_if_changed(path, data)
        return [path]


class GeoParquetWriter:
    """``events.parquet``: GeoParquet (WKB geometry, GeoParquet metadata) of the events,
    readable by ``geopandas.read_parquet`` and ``dask_geopandas.read_parquet``."""

    name = "parquet"

    def write(self, result: BuildResult, out_dir: Path, options: WriteOptions) -> list[Path]:
        buf = io.BytesIO()
        events_frame(result).to_parquet(buf, index=False, compression="zstd")
        path = Path(out_dir) / "events.parquet"
        write_if_changed(path, buf.getvalue())
        return [path]
