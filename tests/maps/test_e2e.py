"""End to end: the seed articles through ``geo.build.pipeline.build`` into every output format,
read back with the same tools users would use."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from geojson_pydantic import FeatureCollection

from maps.export.csv import ACLED_COLUMNS
from tests import SEEDS

FORMATS = ["geojson", "csv", "html", "gpkg", "parquet"]


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory: pytest.TempPathFactory, gazetteer: Any) -> Path:
    from geo.build.pipeline import build

    src = tmp_path_factory.mktemp("seeds")
    for f in SEEDS.iterdir():
        if f.is_file():
            shutil.copy(f, src / f.name)
    out = tmp_path_factory.mktemp("out")
    build([src], out, formats=FORMATS, use_cache=False, gazetteer=gazetteer)
    return out


def test_all_outputs_written(seed_out: Path) -> None:
    for name in (
        "events.geojson",
        "places.geojson",
        "events.csv",
        "map.html",
        "events.gpkg",
        "events.parquet",
    ):
        assert (seed_out / name).stat().st_size > 0, name


def test_seed_events_geojson(seed_out: Path) -> None:
    raw = json.loads((seed_out / "events.geojson").read_text(encoding="utf-8"))
    FeatureCollection.model_validate(raw)
    layers = {f["properties"]["layer"] for f in raw["features"]}
    assert layers == {"diplomacy", "clashes", "territory"}
    assert any(f["geometry"] is not None for f in raw["features"])
    places = json.loads((seed_out / "places.geojson").read_text(encoding="utf-8"))
    FeatureCollection.model_validate(places)
    assert places["features"]


def test_seed_tables_agree(seed_out: Path) -> None:
    raw = json.loads((seed_out / "events.geojson").read_text(encoding="utf-8"))
    n = len(raw["features"])
    with (seed_out / "events.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple((reader.fieldnames or [])[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
        assert len(list(reader)) == n
    assert len(gpd.read_parquet(seed_out / "events.parquet")) == n
    assert len(gpd.read_file(seed_out / "events.gpkg", layer="events")) == n


def test_seed_map_has_every_layer(seed_out: Path) -> None:
    page = (seed_out / "map.html").read_text(encoding="utf-8")
    data = [json.loads(m) for m in re.findall(r"^\s*var data = (.*);$", page, re.M)]
    assert len(data) == 3
    assert all(d["features"] for d in data), "each layer should have seed events on the map"
