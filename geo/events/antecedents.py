"""The antecedent place of a violent event whose clause names none.

"Shelling continued overnight" happened where the story's fighting is: the nearest sensible
place of the sentences before it, preferably one named in a sentence about fighting or a
conflict. Sensible: a region, district, corridor, border or town; not a country, not a capital
standing for its government, not an actor the gazetteer mistakes for a place ("EU").
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from geo.events.capitals import is_capital
from geo.events.places import GEO_NOUN_AFTER, PlaceFinder
from geo.events.triggers import load_triggers
from geo.text.sentences import Segment

if TYPE_CHECKING:
    from gazetteer.models import Mention, Place

__all__ = ["Antecedents"]

# Conflict regions are the sensible referents (lower = preferred).
_ANTECEDENT_RANK = {
    "region": 0,
    "admin1": 1,
    "district": 2,
    "corridor": 2,
    "border": 3,
    "locality": 4,
    "landmark": 5,
}
# How far back an antecedent may be named, in sentences.
_LOOK_BACK = 8


@functools.lru_cache(maxsize=2)
def _violent_rx(lang: str) -> re.Pattern[str]:
    """A sentence about fighting or a conflict: a clash or ceasefire trigger, or "conflict"."""
    pats = [p.pattern for et, p in load_triggers(lang).patterns if et in ("clash", "ceasefire")]
    pats.append(r"\b(?:conflict|конфликт\w*)")
    return re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)


class Antecedents:
    """Antecedent places among the mentions of one source (``places``), by sentence
    (``sents``: the segments the extractor reads, in text order)."""

    def __init__(self, places: PlaceFinder, sents: list[Segment]) -> None:
        self.places = places
        self.sents = sents
        self._violent = _violent_rx(places.lang)
        self._actor_names: dict[str, bool] = {}

    def find(self, si: int) -> tuple[Place, Mention, int] | None:
        """The antecedent of an event of sentence ``si``: its place, the mention naming it,
        and how many sentences before ``si`` that is.

        Preferred: a mention in a sentence about fighting, then the most region-like, then
        the nearest.
        """
        pf = self.places
        best: tuple[tuple[int, int, int], Place, Mention, int] | None = None
        lo = self.sents[max(0, si - _LOOK_BACK)].start
        hi = self.sents[si].end
        for m in pf.starting_in(lo, hi):
            place = pf.places[m.place_id or ""]
            rank = _ANTECEDENT_RANK.get(place.feature_type)
            if rank is None or m.kind == "demonym":
                continue
            if place.feature_type == "locality" and is_capital(place):
                continue  # capitals stand for governments in diplomatic news
            if m.kind != "landmark" and self._names_actor(m.text):
                continue  # "EU" in "EU chief": an organisation, not a place
            if m.kind == "adjective" and not GEO_NOUN_AFTER.match(pf.text[m.end : m.end + 30]):
                continue
            k = next((k for k, s in enumerate(self.sents) if s.start <= m.start < s.end), si)
            dist = si - k
            violent = 0 if self._violent.search(self.sents[k].text) else 1
            key = (violent, rank, dist)
            if best is None or key < best[0]:
                best = (key, place, m, dist)
        if best is None:
            return None
        return best[1], best[2], best[3]

    def _names_actor(self, text: str) -> bool:
        """Whether ``text`` names an actor ("EU", "Hamas"), cached per source."""
        if text not in self._actor_names:
            pf = self.places
            self._actor_names[text] = bool(pf.lex.find_actors(text, pf.lang, pf.anchor))
        return self._actor_names[text]
