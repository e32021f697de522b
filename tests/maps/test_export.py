"""Exports: GeoJSON (RFC 7946, validated with geojson-pydantic), CSV with ACLED columns,
GeoPackage and GeoParquet, written for real into temporary folders and read back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from geojson_pydantic import FeatureCollection

from geo.build.outputs import WriteOptions, get_writer
from geo.models import BuildResult, SourceResult
from maps.export.csv import ACLED_COLUMNS, CSVWriter, acled_geo_precision
from maps.export.parquet import GeoParquetWriter
from maps.features import EVENT_PROPERTIES
from tests.maps.sample import MALICIOUS, sample_result

OPTIONS = WriteOptions(title="t", build_date="2026-11-22")


@pytest.fixture
def result() -> BuildResult:
    return sample_result()


def _write(fmt: str, result: BuildResult, out: Path) -> list[Path]:
    return get_writer(fmt).write(result, out, OPTIONS)


FORMATS = {
    "geojson": ["events.geojson", "places.geojson"],
    "csv": ["events.csv"],
    "gpkg": ["events.gpkg"],
    "parquet": ["events.parquet"],
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_writer_plugin_writes_its_files(fmt: str, result: BuildResult, tmp_path: Path) -> None:
    paths = _write(fmt, result, tmp_path)
    assert [p.name for p in paths] == FORMATS[fmt]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_same_input_same_bytes_and_no_rewrite(
    fmt: str, result: BuildResult, tmp_path: Path
) -> None:
    first = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in _write(fmt, result, tmp_path)}
    second = _write(fmt, sample_result(), tmp_path)
    for p in second:
        assert p.read_bytes() == first[p][0]
        # write_if_changed left the unchanged file alone
        assert p.stat().st_mtime_ns == first[p][1]


@pytest.mark.parametrize("fmt", ["gpkg", "parquet"])
def test_gis_formats_read_back_with_geopandas(
    fmt: str, result: BuildResult, tmp_path: Path
) -> None:
    (path,) = _write(fmt, result, tmp_path)
    df = gpd.read_parquet(path) if fmt == "parquet" else gpd.read_file(path, layer="events")
    assert len(df) == len(result.events)
    assert df.crs is not None and df.crs.to_epsg() == 4326
    assert set(EVENT_PROPERTIES) <= set(df.columns)
    kinds = set(df.geometry.dropna().geom_type)
    assert {"Point", "LineString", "Polygon", "MultiPolygon"} <= kinds
    unplaced = df[df["id"] == "ev09"]
    assert unplaced.geometry.isna().all() or unplaced.geometry.is_empty.all()
    sochi = df[df["id"] == "ev01"].iloc[0]
    assert (sochi.geometry.x, sochi.geometry.y) == pytest.approx((39.7342, 43.6028))
    assert sochi["actors"] == "Vladimir Putin; Nikol Pashinyan; Ilham Aliyev"
    assert json.loads(df[df["id"] == "ev05"].iloc[0]["sources"])[0]["quote"] == MALICIOUS


def test_geopackage_layers(result: BuildResult, tmp_path: Path) -> None:
    (path,) = _write("gpkg", result, tmp_path)
    layers = {name: gtype for name, gtype in pyogrio.list_layers(path)}
    assert layers == {"events": "Unknown", "event_points": "Point", "places": "Unknown"}
    points = gpd.read_file(path, layer="event_points")
    assert list(points.geom_type.dropna().unique()) == ["Point"]
    places = gpd.read_file(path, layer="places")
    assert len(places) == len(result.places)
    info = pyogrio.read_info(path, layer="events")
    assert info["features"] == len(result.events)


def test_geoparquet_metadata_and_dask(result: BuildResult, tmp_path: Path) -> None:
    import dask_geopandas
    import pyarrow.parquet as pq

    (path,) = _write("parquet", result, tmp_path)
    meta = json.loads(pq.read_metadata(path).metadata[b"geo"])
    assert meta["primary_column"] == "geometry"
    assert meta["columns"]["geometry"]["encoding"] == "WKB"
    ddf = dask_geopandas.read_parquet(path)
    assert len(ddf.compute()) == len(result.events)


#: The columns of a Dask engine partition and their Arrow types, as the engine has always
#: written them (dask_geopandas reads a folder of partitions as one dataset only if they agree).
PARTITION_COLUMNS = [
    *[
        (c, "string")
        for c in (
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
            "from_party",
            "to_party",
        )
    ],
    ("actors", "list<element: string>"),
    ("source_ids", "list<element: string>"),
    ("confidence", "double"),
    ("corroboration", "int64"),
    ("source_id", "string"),
    ("quote", "string"),
    ("start", "int64"),
    ("end", "int64"),
    ("geometry", "binary"),
]


def _source_results(result: BuildResult) -> list[SourceResult]:
    """The sample build as per-source results: each event under its first source."""
    index = result.place_index()
    out = []
    for source in result.sources:
        events = [e for e in result.events if e.sources[0].source_id == source.source_id]
        used = sorted({e.place_id for e in events if e.place_id})
        out.append(SourceResult(source=source, events=events, places=[index[pid] for pid in used]))
    return out


def test_parquet_partitions_keep_their_schema_and_read_back(
    result: BuildResult, tmp_path: Path
) -> None:
    import dask_geopandas
    import pyarrow.parquet as pq

    writer = get_writer("parquet")  # as the Dask engine finds it
    assert isinstance(writer, GeoParquetWriter)
    results = _source_results(result)
    parts = tmp_path / "parts"
    writer.write_partition(results[:2], parts / "part-00000.parquet")
    writer.write_partition(results[2:], parts / "part-00001.parquet")
    writer.write_partition([], parts / "part-00002.parquet")  # an empty batch, same schema
    for path in sorted(parts.glob("*.parquet")):
        schema = pq.read_schema(path)
        assert [(f.name, str(f.type)) for f in schema] == PARTITION_COLUMNS
        geo = json.loads(schema.metadata[b"geo"])
        assert geo["primary_column"] == "geometry"
        assert geo["columns"]["geometry"]["encoding"] == "WKB"

    ddf = dask_geopandas.read_parquet(parts)
    assert ddf.npartitions == 3
    frame = ddf.compute()
    events = [(r.source.source_id, e) for r in results for e in r.events]
    assert len(events) == len(result.events)
    assert list(zip(frame["source_id"], frame["id"], strict=True)) == [
        (sid, e.id) for sid, e in events
    ]
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert list(frame.geometry.notna()) == [e.place_id is not None for _, e in events]
    kinds = set(frame.geometry.dropna().geom_type)
    assert {"Point", "LineString", "Polygon", "MultiPolygon"} <= kinds
    sochi = frame[frame["id"] == "ev01"].iloc[0]
    assert (sochi.geometry.x, sochi.geometry.y) == pytest.approx((39.7342, 43.6028))
    ev01 = result.events[0]
    assert list(sochi["actors"]) == ev01.actors
    assert list(sochi["source_ids"]) == [s.source_id for s in ev01.sources]
    assert (sochi["quote"], sochi["start"], sochi["end"]) == (
        ev01.sources[0].quote,
        ev01.sources[0].start,
        ev01.sources[0].end,
    )


def test_events_geojson_is_rfc7946_and_complete(result: BuildResult, tmp_path: Path) -> None:
    _write("geojson", result, tmp_path)
    raw = json.loads((tmp_path / "events.geojson").read_text(encoding="utf-8"))
    fc: FeatureCollection = FeatureCollection.model_validate(
        raw
    )  # geojson-pydantic: RFC 7946 structure
    assert "crs" not in raw
    assert len(fc.features) == len(result.events)
    by_id = {f["properties"]["id"]: f for f in raw["features"]}
    for f in raw["features"]:
        assert list(f["properties"]) == list(EVENT_PROPERTIES)
    assert by_id["ev01"]["geometry"] == {"type": "Point", "coordinates": [39.7342, 43.6028]}
    assert by_id["ev08"]["geometry"]["type"] == "LineString"
    assert by_id["ev07"]["geometry"]["type"] == "Polygon"
    assert by_id["ev06"]["geometry"]["type"] == "MultiPolygon"
    assert by_id["ev09"]["geometry"] is None
    tt = by_id["ev07"]["properties"]
    assert (tt["from_party"], tt["to_party"]) == ("Armenia", "Azerbaijan")
    assert tt["layer"] == "territory" and tt["date"] == "2020-11"
    assert tt["date_precision"] == "month" and tt["geo_precision"] == "district"
    assert by_id["ev04"]["properties"]["date"] is None
    src = by_id["ev05"]["properties"]["sources"][0]
    assert src == {"source_id": "evil", "quote": MALICIOUS, "start": 0, "end": len(MALICIOUS)}
    # the text is kept verbatim (escaping is the map's job), and non-ASCII is not mangled
    assert "В Сочи состоятся переговоры." in (tmp_path / "events.geojson").read_text("utf-8")


def test_places_geojson(result: BuildResult, tmp_path: Path) -> None:
    _write("geojson", result, tmp_path)
    raw = json.loads((tmp_path / "places.geojson").read_text(encoding="utf-8"))
    FeatureCollection.model_validate(raw)
    by_id = {f["properties"]["place_id"]: f["properties"] for f in raw["features"]}
    assert set(by_id) == {p.place_id for p in result.places}
    sochi = by_id["geonames:491422"]
    assert sochi["name"] == "Sochi" and sochi["feature_type"] == "locality"
    assert sochi["country_code"] == "RU" and sochi["geometry_approximate"] is False
    assert sochi["mentions"] == [
        {"source_id": "afp", "start": 25, "end": 30, "text": "Sochi"},
        {"source_id": "tass", "start": 2, "end": 6, "text": "Сочи"},
    ]
    assert by_id["overlay:lachin-corridor"]["geometry_approximate"] is True
    assert by_id["overlay:lachin-corridor"]["mentions"] == []


def test_csv_acled_columns_first(result: BuildResult, tmp_path: Path) -> None:
    _write("csv", result, tmp_path)
    with (tmp_path / "events.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = {r["id"]: r for r in reader}
    assert tuple(header[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert header == list(CSVWriter.columns)
    assert {
        "id",
        "layer",
        "date_end",
        "date_precision",
        "status",
        "place_id",
        "confidence",
        "from_party",
        "to_party",
        "corroboration",
        "date_prec",
        "source_ids",
    } <= set(header)
    assert len(rows) == len(result.events)
    summit = rows["ev01"]
    assert summit["event_date"] == "2022-10-31"
    assert summit["actor1"] == "Vladimir Putin" and summit["actor2"] == "Nikol Pashinyan"
    assert summit["country"] == "Russia" and summit["admin1"] == "Krasnodar Krai"
    assert summit["location"] == "Sochi"
    assert (float(summit["latitude"]), float(summit["longitude"])) == (43.6028, 39.7342)
    assert summit["geo_precision"] == "1" and summit["time_precision"] == "1"
    assert summit["source"] == "AFP" and summit["notes"] == "Putin will host talks in Sochi."
    assert summit["status"] == "planned"
    talks = rows["ev02"]
    assert talks["time_precision"] == "3"  # ACLED: 3 = month and talks["source_ids"] == "tass"
    assert rows["ev07"]["geo_precision"] == "2" and rows["ev07"]["to_party"] == "Azerbaijan"
    assert rows["ev06"]["geo_precision"] == "3"
    assert rows["ev05"]["sub_event_type"] == "Armed clash"
    assert rows["ev05"]["notes"] == MALICIOUS
    unplaced = rows["ev09"]
    assert unplaced["latitude"] == "" and unplaced["country"] == ""
    assert rows["ev04"]["event_date"] == "" and rows["ev04"]["time_precision"] == ""


@pytest.mark.parametrize(
    ("label", "code"),
    [("point", 1), ("locality", 1), ("district", 2), ("region", 3), ("country", 3), (None, None)],
)
def test_acled_geo_precision(label: str | None, code: int | None) -> None:
    assert acled_geo_precision(label) == code


def test_empty_build_still_writes_valid_files(tmp_path: Path) -> None:
    empty = sample_result().model_copy(update={"events": [], "places": [], "mentions": []})
    for fmt in FORMATS:
        _write(fmt, empty, tmp_path)
    fc = json.loads((tmp_path / "events.geojson").read_text())
    assert fc == {"type": "FeatureCollection", "features": []}
    assert (tmp_path / "events.csv").read_text().splitlines() == [",".join(CSVWriter.columns)]


def test_event_properties_keep_the_contract_order(result: BuildResult) -> None:
    from maps.features import event_properties, placed_events

    for pe in placed_events(result):
        assert tuple(event_properties(pe.event, pe.place)) == EVENT_PROPERTIES


def test_csv_values_sit_under_their_own_columns(result: BuildResult, tmp_path: Path) -> None:
    """Rows are written as positional lists: read back by name, every value is where the
    header says (a reordered or added column would show here)."""
    (path,) = _write("csv", result, tmp_path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert all(None not in row and len(row) == len(CSVWriter.columns) for row in rows)
    by_id = {row["id"]: row for row in rows}
    for e in result.events:
        row = by_id[e.id]
        assert row["event_type"] == e.event_type
        assert row["layer"] == e.layer
        assert row["status"] == e.status
        assert row["place_id"] == (e.place_id or "")
        assert row["date_end"] == (e.date_end or "")
        assert row["date_precision"] == (e.date_precision or "")
        assert row["date_basis"] == (e.date_basis or "")
        assert row["from_party"] == (e.from_party or "")
        assert row["to_party"] == (e.to_party or "")
        assert float(row["confidence"]) == e.confidence
        assert row["notes"] == " | ".join(s.quote for s in e.sources)
