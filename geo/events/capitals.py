"""Countries and their capitals, for the event rules.

A call has no place of its own and is mapped to the caller's capital; "the Armenian capital"
names Yerevan; and a capital often stands for its government ("Yerevan handed ...",
"Moscow said"), so it is neither a transferred place nor a sensible antecedent. The country
table is GeoNames' (:func:`gazetteer.sources.geonames.country_table`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from gazetteer.sources.geonames import country_table

if TYPE_CHECKING:
    from gazetteer import Gazetteer
    from gazetteer.models import Place

__all__ = ["Capitals", "country_by_name", "is_capital"]


@functools.lru_cache(maxsize=1)
def country_by_name() -> dict[str, str]:
    """ISO code by lower-case English country name, with common short forms."""
    out = {c["name"].lower(): iso for iso, c in country_table().items()}
    out.update({"united states of america": "US", "usa": "US", "uk": "GB", "turkey": "TR"})
    return out


def is_capital(place: Place) -> bool:
    """Whether ``place`` is its country's capital (a capital often stands for a government)."""
    cap = (country_table().get(place.country_code or "") or {}).get("capital")
    return isinstance(cap, str) and cap.lower() == place.name.lower()


class Capitals:
    """Capitals as gazetteer localities, each looked up once per source."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self._found: dict[str, Place | None] = {}

    def of_country(self, cc: str | None) -> Place | None:
        """The capital of country ``cc`` as a gazetteer locality."""
        if not cc:
            return None
        if cc in self._found:
            return self._found[cc]
        name = (country_table().get(cc) or {}).get("capital")
        best = None
        if name:
            for p in self.gaz.search(name, limit=10):
                if p.country_code == cc and p.feature_type == "locality":
                    best = p
                    break
        self._found[cc] = best
        return best

    def of_party(self, party: str | None) -> Place | None:
        """The capital of the country a party names ("Russia" -> Moscow)."""
        if not party:
            return None
        return self.of_country(country_by_name().get(party.lower()))
