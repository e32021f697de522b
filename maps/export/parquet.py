"""GeoParquet: ``events.parquet`` of a build, and the per-source partitions of the Dask engine.

One owner for the schema of both. :data:`EVENTS_SCHEMA` is the output contract's columns
(:data:`~maps.features.EVENT_PROPERTIES`) as GIS tables hold them (lists flattened, see
:func:`maps.export.frames.flat`: the same rows as the GeoPackage's), then the geometry.
:data:`PARTITION_SCHEMA` is derived from it: a partition holds the events of a batch of
sources *before* they are merged across sources, one row per event of one source, so it keeps
the contract's plain columns and types, has the names lists as lists (``actors``, and
``source_ids`` for the JSON ``sources``), and adds the source's columns (``source_id``, and the
first reference's ``quote``, ``start`` and ``end``).

Both are written with a fixed schema (not inferred by pandas), so every file, an empty one
included, has the same columns and types, and ``dask_geopandas.read_parquet`` reads a folder
of partitions as one dataset. Geometry is the place's own (WKB, WGS84), null when unplaced.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from geo.build.outputs import WriteOptions, write_if_changed
from geo.models import BuildResult, SourceResult
from maps.export.frames import flat_events, shapes
from maps.features import EVENT_PROPERTIES

#: The contract's columns that are not strings (every other one is).
_NOT_STRINGS: dict[str, pa.DataType] = {"confidence": pa.float64(), "corroboration": pa.int64()}

_GEOMETRY = pa.field("geometry", pa.binary())

#: ``events.parquet``: the output contract, flattened, then the geometry.
EVENTS_SCHEMA: pa.Schema = pa.schema(
    [pa.field(c, _NOT_STRINGS.get(c, pa.string())) for c in EVENT_PROPERTIES] + [_GEOMETRY]
)

#: The contract's lists (flattened to strings in events.parquet), kept as lists in partitions.
_LISTS: dict[str, str] = {"actors": "actors", "sources": "source_ids"}

#: The contract's plain string columns.
_PLAIN_STRINGS: tuple[str, ...] = tuple(
    f.name for f in EVENTS_SCHEMA if f.type == pa.string() and f.name not in _LISTS
)

#: The partitions: the contract's plain string columns, its lists as lists, its other
#: columns, the source's columns, the geometry (see the module docstring).
PARTITION_SCHEMA: pa.Schema = pa.schema(
    [EVENTS_SCHEMA.field(c) for c in _PLAIN_STRINGS]
    + [pa.field(name, pa.list_(pa.string())) for name in _LISTS.values()]
    + [EVENTS_SCHEMA.field(c) for c in _NOT_STRINGS]
    + [
        pa.field("source_id", pa.string()),
        pa.field("quote", pa.string()),
        pa.field("start", pa.int64()),
        pa.field("end", pa.int64()),
        _GEOMETRY,
    ]
)


def _geoparquet_table(
    schema: pa.Schema, columns: dict[str, list[Any]], geometries: list[Any]
) -> pa.Table:
    """``columns`` and the shapely ``geometries`` as an Arrow table of ``schema``, with the
    GeoParquet metadata (WKB encoding, EPSG:4326, geometry types and bounding box)."""
    import shapely
    from pyproj import CRS

    present = [g for g in geometries if g is not None]
    geo = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": sorted({g.geom_type for g in present}),
                "crs": CRS.from_epsg(4326).to_json_dict(),
                **({"bbox": [float(v) for v in shapely.total_bounds(present)]} if present else {}),
            }
        },
    }
    columns["geometry"] = list(shapely.to_wkb(geometries)) if geometries else []
    schema = schema.with_metadata({b"geo": json.dumps(geo).encode("utf-8")})
    return pa.Table.from_pydict(columns, schema=schema)


def events_table(result: BuildResult) -> pa.Table:
    """The events of a build as a GeoParquet-ready table of :data:`EVENTS_SCHEMA`."""
    columns: dict[str, list[Any]] = {c: [] for c in EVENT_PROPERTIES}
    geometries: list[dict[str, Any] | None] = []
    for row, geometry in flat_events(result):
        for c, v in row.items():
            columns[c].append(v)
        geometries.append(geometry)
    return _geoparquet_table(EVENTS_SCHEMA, columns, shapes(geometries))


def partition_table(results: Sequence[SourceResult]) -> pa.Table:
    """The events of ``results``, unmerged, as a table of :data:`PARTITION_SCHEMA`."""
    columns: dict[str, list[Any]] = {f.name: [] for f in PARTITION_SCHEMA if f.name != "geometry"}
    geometries: list[dict[str, Any] | None] = []
    by_place: dict[str, dict[str, Any]] = {}  # a place's geometry, dumped once per batch
    for res in results:
        places = {p.place_id: p for p in res.places}
        for ev in res.events:
            for c in _PLAIN_STRINGS:
                columns[c].append(getattr(ev, c))
            columns["actors"].append(list(ev.actors))
            columns["source_ids"].append([s.source_id for s in ev.sources])
            columns["confidence"].append(ev.confidence)
            columns["corroboration"].append(ev.corroboration)
            columns["source_id"].append(res.source.source_id)
            first = ev.sources[0] if ev.sources else None
            columns["quote"].append(first.quote if first else None)
            columns["start"].append(first.start if first else None)
            columns["end"].append(first.end if first else None)
            place = places.get(ev.place_id) if ev.place_id else None
            if place is None:
                geometries.append(None)
                continue
            geometry = by_place.get(place.place_id)
            if geometry is None:
                geometry = by_place[place.place_id] = place.__geo_interface__
            geometries.append(geometry)
    return _geoparquet_table(PARTITION_SCHEMA, columns, shapes(geometries))


def _parquet_bytes(table: pa.Table, **options: Any) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, **options)
    return buf.getvalue()


class GeoParquetWriter:
    """``events.parquet``: GeoParquet (WKB geometry, GeoParquet metadata) of the events,
    readable by ``geopandas.read_parquet`` and ``dask_geopandas.read_parquet``; and, for the
    Dask engine, one partition of per-source events (:meth:`write_partition`)."""

    name = "parquet"

    def write(self, result: BuildResult, out_dir: Path, options: WriteOptions) -> list[Path]:
        path = Path(out_dir) / "events.parquet"
        write_if_changed(path, _parquet_bytes(events_table(result), compression="zstd"))
        return [path]

    def write_partition(self, results: Sequence[SourceResult], path: Path) -> None:
        """Write the events of ``results`` (one batch of sources) as one GeoParquet file of
        :data:`PARTITION_SCHEMA`, atomically."""
        write_if_changed(Path(path), _parquet_bytes(partition_table(results)))
