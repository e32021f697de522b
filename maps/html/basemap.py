"""The offline vector basemap: Natural Earth country outlines (public domain), simplified.

Simplifying the 10m countries takes about two seconds, so the result is cached as GeoJSON in
the user cache folder (platformdirs), keyed by the Natural Earth file and the parameters.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import platformdirs
import shapely

from geo.build.outputs import write_if_changed

#: Douglas-Peucker tolerance in degrees (~5 km): outlines, not boundaries to measure on.
TOLERANCE = 0.05
#: Islands smaller than this (square degrees) are dropped, unless a country has nothing else.
MIN_PART_AREA = 0.05
#: Coordinates are rounded to this many decimals (~1 km).
DECIMALS = 2


def _round(coords: Any) -> Any:
    if coords and isinstance(coords[0], list):
        return [_round(c) for c in coords]
    return [round(coords[0], DECIMALS), round(coords[1], DECIMALS)]


def simplified_countries() -> dict[str, Any]:
    """Build the simplified FeatureCollection (properties ``name``, ``iso_a2``)."""
    from gazetteer.sources.naturalearth import countries

    df = countries()
    features = []
    for name, iso, geom in zip(df["name"], df["iso_a2"], df.geometry.values, strict=True):
        if geom is None or geom.is_empty:
            continue
        parts = list(shapely.get_parts(geom))
        keep = [p for p in parts if p.area >= MIN_PART_AREA] or [max(parts, key=lambda p: p.area)]
        merged = shapely.MultiPolygon(keep) if len(keep) > 1 else keep[0]
        small = shapely.set_precision(
            shapely.simplify(merged, TOLERANCE, preserve_topology=True), 10**-DECIMALS
        )
        if small.is_empty:
            continue
        geometry = json.loads(shapely.to_geojson(small))
        geometry["coordinates"] = _round(geometry["coordinates"])
        features.append(
            {"type": "Feature", "properties": {"name": name, "iso_a2": iso}, "geometry": geometry}
        )
    return {"type": "FeatureCollection", "features": features}


def _cache_path() -> Path:
    from gazetteer.sources.naturalearth import countries_zip

    src = countries_zip()
    stat = src.stat()
    key = hashlib.sha256(
        f"{src.name}|{stat.st_size}|{stat.st_mtime_ns}|{TOLERANCE}|{MIN_PART_AREA}|{DECIMALS}".encode()
    ).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("conflictmap")) / f"ne-countries-{key}.geojson"


@cache
def countries_geojson() -> str:
    """The simplified country outlines as compact GeoJSON text (cached on disk and in memory)."""
    path = _cache_path()
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    text = json.dumps(simplified_countries(), ensure_ascii=False, separators=(",", ":"))
    # A read-only cache folder only costs time on the next run.
    with contextlib.suppress(OSError):
        write_if_changed(path, text)
    return text
