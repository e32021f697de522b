"""GeoPackage export: ``events.gpkg`` with the events, their points and the places."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from geo.build.outputs import WriteOptions, write_if_changed
from geo.models import BuildResult
from maps.export.frames import events_frame, places_frame

if TYPE_CHECKING:
    import geopandas as gpd


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
