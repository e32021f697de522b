"""The :class:`Span` the recognisers yield, and what the index says of a span's candidates.

The tests here (is a candidate strong, official, very big...) are shared by the English and
Russian recognisers and by the person-name filter; they read the index only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from gazetteer.index.store import CompiledIndex
from gazetteer.sources.base import NameKind

_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”\n]\s*|\n\s*[-*•]\s*)$")
#: Where a city's name before a team's or company's is usual in English text.
_ANGLOPHONE = frozenset(["US", "GB", "CA", "AU", "NZ", "IE"])


@dataclass
class Span:
    """A recognised, not yet resolved, place mention."""

    start: int
    end: int
    text: str
    kind: NameKind = "name"
    #: candidate place indexes with (kind, primary) from the postings
    places: dict[int, tuple[str, bool]] = field(default_factory=dict)
    #: feature type the context asks for ("the Kalbajar and Lachin districts")
    hint: str | None = None
    reasons: list[str] = field(default_factory=list)
    #: the name heads an organisation's ("Portland Trail Blazers"): such names are taken
    #: from big cities, so population weighs more
    embedded: bool = False


def at_word_starts(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    r"""``pattern.finditer(text)`` as if the pattern began with ``\b`` (its matches all begin
    with a word character). Without the leading ``\b`` the regex engine can skip ahead to
    the pattern's first characters instead of trying the whole pattern at every offset."""
    search = pattern.search
    pos = 0
    while (m := search(text, pos)) is not None:
        s = m.start()
        if s and (text[s - 1].isalnum() or text[s - 1] == "_"):
            pos = s + 1  # not a word start: try the next offset, as \b would
            continue
        yield m
        pos = m.end()


def is_sentence_start(text: str, start: int) -> bool:
    """Does a sentence, a quotation or a list item start at ``start``?"""
    return bool(_SENTENCE_START.search(text[max(0, start - 4) : start]))


def add_postings(span: Span, idx: CompiledIndex, nid: int) -> None:
    """Add a name id's places to the span's: the kind of the last posting, primary if any is."""
    places = idx.name_places(nid)
    if not span.places:
        span.places = dict(places)
        return
    for place, (kind, primary) in places.items():
        prev = span.places.get(place)
        span.places[place] = (kind, primary or (prev[1] if prev else False))


def max_population(span: Span, idx: CompiledIndex) -> int:
    return max(map(idx.population.__getitem__, span.places), default=0)


def strong(span: Span, idx: CompiledIndex) -> bool:
    """Does any candidate stand on its own (country, admin-1, overlay place, capital, big city)?
    Towns the overlay only adds spellings to (Lachin) do not: a person may share the name."""
    for p in span.places:
        ft = idx.ftype[p]
        primary = span.places[p][1]
        if (
            (ft in (0, 2) and (primary or idx.population[p] >= 500_000))
            or (idx.dataset[p] == "overlay" and primary)
            or idx.capital[p]
            or idx.population[p] >= 1_000_000
        ):
            return True
    return False


def names_a_town(span: Span, idx: CompiledIndex) -> bool:
    """Does the best-known candidate of the span (by population) lie in a town?"""
    best = max(span.places, key=lambda p: idx.population[p], default=None)
    return best is not None and idx.ftype[best] == 4


def very_big(span: Span, idx: CompiledIndex, capitals: bool = True) -> bool:
    """A place a first name cannot hide: a country, a national capital (with ``capitals``),
    a big city or a populous state."""
    for p, (_kind, primary) in span.places.items():
        ft = idx.ftype[p]
        pop = idx.population[p]
        if ft == 0 or (capitals and idx.capital[p] and primary):
            return True
        if not capitals and pop < 1_000_000:
            continue
        if ft == 2 and primary and pop >= 1_000_000:
            return True
        if ft == 4 and pop >= 100_000:
            return True
    return False


def official(span: Span, idx: CompiledIndex) -> bool:
    """Does the text name, by its own name, a country, a populous admin-1 division, a capital or
    a curated place? (Alternate spellings do not count: "Valley" is not The Valley, Anguilla.)"""
    for p, (_kind, primary) in span.places.items():
        if not primary:
            continue
        ft = idx.ftype[p]
        if ft == 0 or idx.curated[p] or idx.capital[p]:
            return True
        if ft == 2 and idx.population[p] >= 1_000_000:
            return True
    return False


def anglophone_city_population(word: str, idx: CompiledIndex) -> int:
    """Population of the biggest English-speaking town spelled ``word`` (0 if none)."""
    key = ("anglophone", word)
    pop: int | None = idx.recall(key)
    if pop is None:
        nid = idx.en_names.get(" " + word + " ")
        pop = (
            0
            if nid is None
            else max(
                (
                    idx.population[p]
                    for p in idx.name_places(nid)
                    if idx.ftype[p] == 4 and idx.country[p] in _ANGLOPHONE
                ),
                default=0,
            )
        )
        idx.remember(key, pop)
    return pop


def big_place(word: str, idx: CompiledIndex) -> bool:
    """Is ``word`` the name of a country, an admin-1 division, a capital or a big city?"""
    key = ("big", word)
    big: bool | None = idx.recall(key)
    if big is None:
        nid = idx.en_names.get(" " + word + " ")
        big = nid is not None and any(
            idx.ftype[p] in (0, 2) or idx.capital[p] or idx.population[p] >= 500_000
            for p in idx.name_places(nid)
        )
        idx.remember(key, big)
    return big
