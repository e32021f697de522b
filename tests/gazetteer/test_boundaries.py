"""User boundaries read from real GeoJSON, GeoPackage and Shapefile files in tmp_path."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box, shape

from gazetteer.errors import GazetteerDataError
from gazetteer.sources.boundaries import Boundary, apply_boundaries, read_boundaries

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


# --------------------------------------------------------------------------- apply_boundaries


@pytest.fixture(scope="module")
def fresh_gazetteer():
    """A gazetteer of this module's own: apply_boundaries changes it, and the session one must
    stay clean. The tests here use distinct names, so they can share it."""
    from gazetteer import Gazetteer

    return Gazetteer.load()


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_apply_attaches_to_the_place_inside_or_adds_new_ones(
    tmp_path: Path, ext: str, fresh_gazetteer
) -> None:
    gaz = fresh_gazetteer
    frame = gpd.GeoDataFrame(
        {
            "shapeName": ["Baku", "Zorblax Province"],
            "shapeISO": ["AZ-BA", "ZZ-01"],
        },
        # A box around Baku, and one in the middle of nowhere that no place matches.
        geometry=[box(49.6, 40.2, 50.2, 40.6), box(-30.5, -20.5, -29.5, -19.5)],
        crs="EPSG:4326",
    )
    path = write_frame(tmp_path, ext, frame, stem="my_admin")
    assert apply_boundaries(gaz, path) == 2

    baku = next(p for p in gaz.search("Baku") if p.country_code == "AZ")
    baku = gaz.get(baku.place_id)
    assert baku.geometry is not None and baku.geometry.type == "Polygon"
    assert not baku.geometry_approximate

    added = gaz.search("Zorblax Province")
    assert added and added[0].dataset == "boundaries"
    assert added[0].feature_type == "admin1"
    assert added[0].geometry is not None
    assert -30.5 < added[0].lon < -29.5 and -20.5 < added[0].lat < -19.5
    mentions = gaz.geoparse("Fighting was reported in Zorblax Province.", lang="en")
    assert [m.place_id for m in mentions] == [added[0].place_id]


def test_apply_prefers_the_place_whose_point_is_inside(tmp_path: Path, fresh_gazetteer) -> None:
    gaz = fresh_gazetteer
    state = next(p for p in gaz.search("Georgia", limit=20) if p.country_code == "US")
    country = next(p for p in gaz.search("Georgia", limit=20) if p.feature_type == "country")
    before = gaz.get(country.place_id).geometry
    # "Georgia" drawn over the US state must land on the state, not on the country.
    frame = gpd.GeoDataFrame(
        {"NAME_1": ["Georgia"]}, geometry=[box(-85.6, 30.4, -80.8, 35.0)], crs="EPSG:4326"
    )
    assert apply_boundaries(gaz, write_frame(tmp_path, "geojson", frame)) == 1
    after_state = gaz.get(state.place_id).geometry
    assert after_state is not None and after_state.type == "Polygon"
    assert gaz.get(country.place_id).geometry == before


def test_geoboundaries_level_and_country_columns(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {
            "shapeName": ["Kalbajar", "Lachin"],
            "shapeISO": ["", ""],
            "shapeGroup": ["AZE", "AZE"],
            "shapeType": ["ADM2", "ADM2"],
        },
        geometry=[box(45.6, 39.8, 46.4, 40.4), box(46.2, 39.3, 46.8, 39.8)],
        crs="EPSG:4326",
    )
    boundaries = read_boundaries(write_frame(tmp_path, "geojson", frame))
    assert [(b.feature_type, b.country_code, b.code) for b in boundaries] == [
        ("district", "AZ", None),
        ("district", "AZ", None),
    ]


def test_namesakes_in_one_file_become_distinct_places(tmp_path: Path, fresh_gazetteer) -> None:
    gaz = fresh_gazetteer
    frame = gpd.GeoDataFrame(
        {"NAME_2": ["Qwertzu Central", "Qwertzu Central"]},
        geometry=[box(-31, -21, -30, -20), box(-33, -23, -32, -22)],
        crs="EPSG:4326",
    )
    assert apply_boundaries(gaz, write_frame(tmp_path, "gpkg", frame)) == 2
    first = gaz.get("boundaries:adm:qwertzu-central")
    second = gaz.get("boundaries:adm:qwertzu-central-2")
    assert first.lon > -31 and second.lon < -32
    assert first.feature_type == second.feature_type == "district"
