"""User boundaries read from real GeoJSON, GeoPackage and Shapefile files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box, shape

from gazetteer.errors import GazetteerDataError
from gazetteer.sources.boundaries import Boundary, read_boundaries

FORMATS = {"geojson": "GeoJSON", "gpkg": "GPKG", "shp": "ESRI Shapefile"}


def write_frame(tmp_path: Path, ext: str, frame: gpd.GeoDataFrame, stem: str = "adm") -> Path:
    path = tmp_path / f"{stem}.{ext}"
    frame.to_file(path, driver=FORMATS[ext], engine="pyogrio")
    return path


@pytest.fixture
def adm1() -> gpd.GeoDataFrame:
    # Two boxes standing for first-level units, in GADM's column names.
    return gpd.GeoDataFrame(
        {"NAME_1": ["Alpha Province", "Beta Province"], "GID_1": ["XYZ.1_1", "XYZ.2_1"]},
        geometry=[box(10, 10, 11, 11), box(20, 20, 21, 21)],
        crs="EPSG:4326",
    )


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_read_guesses_name_and_code_columns(tmp_path: Path, ext: str, adm1) -> None:
    boundaries = read_boundaries(write_frame(tmp_path, ext, adm1))
    assert [b.name for b in boundaries] == ["Alpha Province", "Beta Province"]
    assert [b.code for b in boundaries] == ["XYZ.1_1", "XYZ.2_1"]
    assert all(isinstance(b, Boundary) and b.feature_type == "admin1" for b in boundaries)
    assert boundaries[0].geometry.type == "Polygon"
    assert boundaries[0].__geo_interface__["type"] == "Polygon"


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_read_reprojects_to_wgs84(tmp_path: Path, ext: str, adm1) -> None:
    boundaries = read_boundaries(write_frame(tmp_path, ext, adm1.to_crs("EPSG:3857")))
    bounds = shape(boundaries[0].__geo_interface__).bounds
    assert bounds == pytest.approx((10, 10, 11, 11), abs=1e-6)


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_explicit_name_column_and_districts(tmp_path: Path, ext: str) -> None:
    frame = gpd.GeoDataFrame(
        {"ADM2_EN": ["Gamma"], "label": ["Gamma District"]},
        geometry=[box(0, 0, 1, 1)],
        crs="EPSG:4326",
    )
    path = write_frame(tmp_path, ext, frame)
    (guessed,) = read_boundaries(path)
    assert (guessed.name, guessed.feature_type) == ("Gamma", "district")
    (chosen,) = read_boundaries(path, name_column="LABEL")  # case-insensitive
    assert chosen.name == "Gamma District"


def test_multipolygons_kept_points_and_blank_names_skipped(tmp_path: Path) -> None:
    from shapely.geometry import MultiPolygon, Point

    frame = gpd.GeoDataFrame(
        {"shapeName": ["Islands", "A point", ""]},
        geometry=[MultiPolygon([box(0, 0, 1, 1), box(2, 2, 3, 3)]), Point(5, 5), box(4, 4, 5, 5)],
        crs="EPSG:4326",
    )
    boundaries = read_boundaries(write_frame(tmp_path, "gpkg", frame))
    assert [(b.name, b.geometry.type) for b in boundaries] == [("Islands", "MultiPolygon")]


def test_missing_file_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nope.geojson"
    with pytest.raises(GazetteerDataError) as info:
        read_boundaries(path)
    message = str(info.value)
    assert str(path) in message and "not found" in message and "\n" not in message


def test_unreadable_file_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text("{this is not geojson", "utf-8")
    with pytest.raises(GazetteerDataError) as info:
        read_boundaries(path)
    message = str(info.value)
    assert str(path) in message and "cannot read" in message and "\n" not in message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_missing_name_column(tmp_path: Path, ext: str) -> None:
    frame = gpd.GeoDataFrame({"pop": [1]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    path = write_frame(tmp_path, ext, frame)
    with pytest.raises(GazetteerDataError, match="no name column found"):
        read_boundaries(path)
    with pytest.raises(GazetteerDataError, match="no column 'label'") as info:
        read_boundaries(path, name_column="label")
    assert str(path) in str(info.value) and "pop" in str(info.value)
