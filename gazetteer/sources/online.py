"""Opt-in online fallback: names the offline data lacks, looked up through geopy's Nominatim.

Never used by default (``--online`` turns it on) and never in tests. It follows the OpenStreetMap
Nominatim usage policy (https://operations.osmfoundation.org/policies/nominatim/): a user agent
the user sets, at most one request per second (geopy's :class:`RateLimiter`), and every answer
— including "not found" — kept in a disk cache so the same name is never asked twice.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from geojson_pydantic.geometries import Geometry
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from pydantic import TypeAdapter, ValidationError

from gazetteer.errors import GazetteerError
from gazetteer.models import FeatureType, Place

__all__ = ["OnlineFallback", "place_from_nominatim"]

logger = logging.getLogger(__name__)

_GEOMETRY = TypeAdapter(Geometry)

#: Nominatim ``addresstype`` / ``type`` → our feature type.
_BY_TYPE: dict[str, FeatureType] = {
    "country": "country",
    "state": "admin1",
    "province": "admin1",
    "region": "admin1",
    "state_district": "admin1",
    "county": "district",
    "district": "district",
    "municipality": "district",
    "city_district": "district",
    "city": "locality",
    "town": "locality",
    "village": "locality",
    "hamlet": "locality",
    "suburb": "locality",
    "borough": "locality",
    "quarter": "locality",
    "neighbourhood": "locality",
    "locality": "locality",
    "isolated_dwelling": "locality",
    "sea": "water",
    "river": "water",
    "lake": "water",
    "bay": "water",
    "water": "water",
}

#: Nominatim ``class`` → feature type, when the type alone does not tell.
_BY_CLASS: dict[str, FeatureType] = {
    "waterway": "water",
    "water": "water",
    "highway": "corridor",
    "railway": "corridor",
    "historic": "landmark",
    "tourism": "landmark",
    "amenity": "landmark",
    "building": "landmark",
    "man_made": "landmark",
    "leisure": "landmark",
}


def feature_type_of(raw: Mapping[str, Any]) -> FeatureType:
    """Map Nominatim's ``class``/``type``/``addresstype`` to a :data:`FeatureType`."""
    cls = str(raw.get("class") or raw.get("category") or "")
    for key in (raw.get("addresstype"), raw.get("type")):
        if isinstance(key, str) and key in _BY_TYPE:
            return _BY_TYPE[key]
    if cls == "boundary" and raw.get("type") == "administrative":
        return "admin1"
    return _BY_CLASS.get(cls, "other")


def place_from_nominatim(raw: Mapping[str, Any]) -> Place | None:
    """Build a :class:`Place` from one Nominatim JSON result; None when it is unusable."""
    try:
        osm_type, osm_id = raw["osm_type"], raw["osm_id"]
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    address = raw.get("address") or {}
    name = raw.get("name") or str(raw.get("display_name") or "").split(",")[0].strip()
    if not name:
        return None
    feature_type = feature_type_of(raw)
    geometry = None
    # Nominatim returns a polygon only when asked (geometry="geojson"); keep it for areas.
    if isinstance(raw.get("geojson"), Mapping) and raw["geojson"].get("type") != "Point":
        try:
            geometry = _GEOMETRY.validate_python(raw["geojson"])
        except ValidationError:
            geometry = None
    code = address.get("country_code")
    try:
        return Place(
            place_id=f"osm:{osm_type}:{osm_id}",
            name=name,
            feature_type=feature_type,
            country_code=code.upper() if isinstance(code, str) and code else None,
            admin1=address.get("state") or address.get("province") or address.get("region"),
            lat=lat,
            lon=lon,
            geometry=geometry,
            dataset="nominatim",
        )
    except ValidationError:
        return None


class _InjectableRateLimiter(RateLimiter):
    """geopy's RateLimiter with the clock and sleep passed in, so tests never sleep."""

    def __init__(
        self,
        func: Callable[..., Any],
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        **kwargs: Any,
    ) -> None:
        super().__init__(func, **kwargs)
        self._injected_clock = clock
        self._injected_sleep = sleep

    def _clock(self) -> float:
        return self._injected_clock()

    def _sleep(self, seconds: float) -> None:
        self._injected_sleep(seconds)


class _DiskCache:
    """Nominatim answers by (language, name), in one small sqlite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(path)) as db, db:
                db.execute(
                    "CREATE TABLE IF NOT EXISTS lookups ("
                    " lang TEXT NOT NULL, name TEXT NOT NULL, raw TEXT, fetched REAL NOT NULL,"
                    " PRIMARY KEY (lang, name))"
                )
        except (OSError, sqlite3.Error) as exc:
            raise GazetteerError(f"{path}: cannot open the online lookup cache ({exc})") from exc

    def get(self, lang: str, name: str) -> tuple[bool, dict[str, Any] | None]:
        """(hit, raw answer); a hit with None is a cached "not found"."""
        with closing(sqlite3.connect(self.path)) as db:
            row = db.execute(
                "SELECT raw FROM lookups WHERE lang = ? AND name = ?", (lang, name)
            ).fetchone()
        if row is None:
            return False, None
        return True, (json.loads(row[0]) if row[0] is not None else None)

    def put(self, lang: str, name: str, raw: Mapping[str, Any] | None) -> None:
        payload = json.dumps(dict(raw), ensure_ascii=False) if raw is not None else None
        with closing(sqlite3.connect(self.path)) as db, db:
            db.execute(
                "INSERT OR REPLACE INTO lookups (lang, name, raw, fetched) VALUES (?, ?, ?, ?)",
                (lang, name, payload, time.time()),
            )


def _default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("conflictmap")) / "online"


class OnlineFallback:
    """Look up names the offline gazetteer lacks on OpenStreetMap Nominatim, politely.

    Parameters
    ----------
    user_agent:
        Required: identifies your application to Nominatim (its usage policy demands one).
    cache_dir:
        Where ``nominatim.sqlite`` lives; platformdirs' user cache when None.
    geocoder:
        Any geopy-style geocoder (``geocode(query, **kwargs)`` returning a Location with
        ``raw``); a :class:`geopy.geocoders.Nominatim` with ``user_agent`` when None.
    min_delay_seconds:
        Minimum pause between two requests (Nominatim allows one per second).
    clock, sleep:
        Time source and sleeper of the rate limiter; injectable so tests never sleep.
    """

    def __init__(
        self,
        user_agent: str | None,
        cache_dir: Path | None = None,
        geocoder: Any = None,
        min_delay_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not user_agent or not user_agent.strip():
            raise GazetteerError(
                "the online fallback needs a user agent naming your application "
                "(--user-agent), as Nominatim's usage policy requires"
            )
        if min_delay_seconds < 0:
            raise GazetteerError(f"min_delay_seconds must be >= 0, got {min_delay_seconds}")
        self.user_agent = user_agent.strip()
        if geocoder is None:
            from geopy.geocoders import Nominatim

            geocoder = Nominatim(user_agent=self.user_agent)
        self.geocoder = geocoder
        self.cache = _DiskCache((cache_dir or _default_cache_dir()) / "nominatim.sqlite")
        self._geocode = _InjectableRateLimiter(
            geocoder.geocode,
            clock=clock,
            sleep=sleep,
            min_delay_seconds=min_delay_seconds,
            max_retries=2,
            error_wait_seconds=max(5.0, min_delay_seconds),
            # Failures must not be cached as "not found": let them through and handle below.
            swallow_exceptions=False,
        )

    def lookup(self, name: str, lang: str = "en") -> Place | None:
        """The best Nominatim match for ``name`` as a :class:`Place`, or None.

        Answers (and "not found") are cached on disk; a network failure is logged, returns None
        and is not cached, so a later run retries.
        """
        key = " ".join(name.split()).casefold()
        if not key:
            return None
        hit, raw = self.cache.get(lang, key)
        if not hit:
            try:
                location = self._geocode(
                    name.strip(),
                    exactly_one=True,
                    language="en",  # canonical names are English, whatever the query language
                    addressdetails=True,
                    geometry="geojson",
                )
            except GeopyError as exc:
                logger.warning("online lookup of %r failed: %s", name, exc)
                return None
            raw = dict(location.raw) if location is not None else None
            self.cache.put(lang, key, raw)
        return place_from_nominatim(raw) if raw is not None else None
