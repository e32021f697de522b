"""The curated overlay (``gazetteer/data/overlay.yaml``): regions, districts, corridors,
borders, landmarks and alias sets that GeoNames lacks or gets wrong in conflict reporting.

Entries either describe a new place or ``extends:`` a place of another source with more
names. Lines derived from data (``geometry_from: {shared_border: [AM, AZ]}``) are computed
here from Natural Earth, so the overlay file holds no hand-copied coordinates for them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, get_args

import yaml

from gazetteer.errors import GazetteerDataError
from gazetteer.models import FeatureType
from gazetteer.sources.base import Entry, Name, NameKind, Source

_FEATURE_TYPES = frozenset(get_args(FeatureType))


def default_overlay_path() -> Path:
    """The overlay shipped with the package."""
    return Path(str(files("gazetteer").joinpath("data/overlay.yaml")))


@dataclass(slots=True)
class Extension:
    """More names (and optionally a display name) for a place another source provides."""

    place_id: str
    names: list[Name]
    display_name: str | None = None
    ru_adjectives: list[str] = field(default_factory=list)
    #: corrected coordinates (e.g. GeoNames' own centre of a country)
    lat: float | None = None
    lon: float | None = None


def _names(raw: Any, where: str) -> list[Name]:
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise GazetteerDataError(f"{where}: 'names' must map a language to a list of names")
    out: list[Name] = []
    for lang, values in raw.items():
        if not isinstance(values, list):
            raise GazetteerDataError(f"{where}: names.{lang} must be a list")
        kind: NameKind = "demonym" if lang == "demonyms" else "name"
        out += [Name(str(v), primary=True, kind=kind) for v in values]
    return out


def shared_border(iso_a: str, iso_b: str) -> dict[str, Any]:
    """The shared boundary of two Natural Earth countries as a GeoJSON (Multi)LineString."""
    from shapely import line_merge
    from shapely.geometry import mapping

    from gazetteer.sources.naturalearth import countries

    ne = countries()
    a = ne[ne.iso_a2 == iso_a].geometry
    b = ne[ne.iso_a2 == iso_b].geometry
    if a.empty or b.empty:
        raise GazetteerDataError(f"no Natural Earth outline for {iso_a} or {iso_b}")
    # Outlines of neighbours share vertices along the border; a small buffer absorbs the
    # rounding differences so the intersection is the line, not a scatter of points.
    line = a.iloc[0].boundary.intersection(b.iloc[0].buffer(0.005))
    merged = line_merge(line) if line.geom_type == "MultiLineString" else line
    return dict(mapping(merged.simplify(0.005)))


class OverlaySource(Source):
    """Curated entries from a YAML file (the packaged overlay by default)."""

    name = "overlay"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_overlay_path()
        self._raw: list[dict[str, Any]] | None = None

    def fingerprint(self) -> str:
        return "overlay=" + hashlib.sha256(self.path.read_bytes()).hexdigest()[:16]

    def _load(self) -> list[dict[str, Any]]:
        if self._raw is None:
            try:
                doc = yaml.safe_load(self.path.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                raise GazetteerDataError(f"{self.path}: invalid YAML: {exc}") from exc
            if not isinstance(doc, dict) or not isinstance(doc.get("places"), list):
                raise GazetteerDataError(f"{self.path}: expected a top-level 'places' list")
            self._raw = doc["places"]
        return self._raw

    def extensions(self) -> list[Extension]:
        """Entries that add names to places of other sources."""
        out = []
        for i, raw in enumerate(self._load()):
            if "extends" in raw:
                where = f"{self.path}: entry {i} ({raw['extends']})"
                if not raw.get("source"):
                    raise GazetteerDataError(f"{where}: every entry needs a 'source'")
                out.append(
                    Extension(
                        place_id=str(raw["extends"]),
                        names=_names(raw.get("names"), where),
                        display_name=raw.get("name"),
                        ru_adjectives=[str(a) for a in raw.get("ru_adjectives") or []],
                        lat=float(raw["lat"]) if "lat" in raw else None,
                        lon=float(raw["lon"]) if "lon" in raw else None,
                    )
                )
        return out

    def not_places(self) -> list[str]:
        """Names that contain a place name but do not name a place ("Minsk Group")."""
        doc = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        raw = doc.get("not_places") or {}
        if not isinstance(raw, dict):
            raise GazetteerDataError(f"{self.path}: 'not_places' must map a language to names")
        # the mapping's "source" entry is a citation, not a list of names
        return [str(n) for names in raw.values() if isinstance(names, list) for n in names]

    def ru_adjectives(self) -> dict[str, list[str]]:
        """Explicit Russian adjective lemmas per place id."""
        out: dict[str, list[str]] = {}
        for raw in self._load():
            pid = raw.get("extends") or raw.get("id")
            if raw.get("ru_adjectives"):
                out[str(pid)] = [str(a) for a in raw["ru_adjectives"]]
        return out

    def entries(self) -> Iterator[Entry]:
        for i, raw in enumerate(self._load()):
            if "extends" in raw:
                continue
            where = f"{self.path}: entry {i} ({raw.get('id', '?')})"
            for key in ("id", "name", "type", "lat", "lon", "source"):
                if key not in raw:
                    raise GazetteerDataError(f"{where}: missing '{key}'")
            if raw["type"] not in _FEATURE_TYPES:
                raise GazetteerDataError(f"{where}: unknown type {raw['type']!r}")
            names = _names(raw.get("names"), where)
            names += [Name(str(n)) for n in raw.get("district_of") or []]
            geometry = raw.get("geometry")
            derived = raw.get("geometry_from")
            if derived:
                pair = derived.get("shared_border") if isinstance(derived, dict) else None
                if not pair or len(pair) != 2:
                    raise GazetteerDataError(f"{where}: geometry_from needs shared_border: [A, B]")
                geometry = shared_border(str(pair[0]), str(pair[1]))
            if raw["type"] == "landmark":
                for n in names:
                    n.kind = "landmark"
            yield Entry(
                place_id=str(raw["id"]),
                name=str(raw["name"]),
                feature_type=str(raw["type"]),
                lat=float(raw["lat"]),
                lon=float(raw["lon"]),
                dataset=self.name,
                country_code=raw.get("country"),
                names=names,
                geometry=geometry,
                geometry_approximate=bool(raw.get("approximate", False)),
                stands_for=raw.get("stands_for"),
                curated=True,
                requires_context=[str(c) for c in raw.get("requires_context") or []],
            )
