"""What a whole document says about where its places are, for resolution (pass 1).

From the first choice of every recognised span: the document's country focus (a vote per
confident mention), the admin-1 divisions it names, the places it measures distances to, and
what the text itself says contains a place — an apposition or a locative ("Kramatorsk,
Donetsk", "Pauktaw township in Rakhine State", "Старица в Харьковской области"), the one
division the rest of a sentence names, or the division most of the document's admin-1
mentions name. :mod:`gazetteer.resolve` scores every candidate against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from math import cos, radians

from gazetteer.index.store import FEATURE_TYPES, CompiledIndex
from gazetteer.recognize.spans import Span

__all__ = ["DocumentContext", "Scored", "Votes", "division_of", "document_context"]

#: Feature types that qualify a name after a comma ("London, Ky.", "Paris, France").
_QUALIFIERS = ("country", "admin1", "district", "region")


#: What stands between a place and the division that contains it: "Kramatorsk, Donetsk",
#: "Pauktaw township in Rakhine State", "Salvatierra in the state of Guanajuato", "Goma
#: (North Kivu)", "Старица в Харьковской области".
_CONTAINED_BY = re.compile(
    r"\s*,\s*|\s*\(\s*|(?:\s+(?-i:[a-z]+))?\s+(?:in|within|в|во)\s+(?:the\s+)?"
    r"(?:(?:state|province|region|oblast|county|district|governorate|prefecture)\s+of\s+)?",
    re.IGNORECASE,
)


#: A sentence ends between two spans.
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")


def division_of(idx: CompiledIndex, p: int) -> tuple[str, str] | None:
    """(country, admin-1 name) a place lies in; an admin-1 division is its own."""
    cc = idx.country[p]
    if not cc:
        return None
    if FEATURE_TYPES[idx.ftype[p]] == "admin1":
        return (cc, idx.names[p])
    a1 = idx.admin1[p]
    return (cc, a1) if a1 else None


#: A span's candidates: (place, score, reasons), best first.
Scored = list[tuple[int, float, list[str]]]


#: A country's votes in a document: the votes by country, their total, the countries with a vote.
Votes = tuple[dict[str, float], float, set[str]]


@dataclass
class DocumentContext:
    """What the whole document says, from the first choice of each span (pass 1)."""

    #: votes for each country: 1 for a confident first choice, 0.5 for an unsure one
    focus: dict[str, float]
    #: each span's own vote, left out when it is scored
    own: list[tuple[str | None, float]]
    #: confident first choices per (country, admin-1 name)
    divisions: dict[tuple[str, str], float]
    #: each confident span's own division, left out too: a place is no context of its own
    own_division: dict[int, tuple[str, str]]
    #: span numbers by span text
    same_name: dict[str, list[int]]
    #: span number -> the divisions (and countries, as (cc, "")) the text says contain it
    #: ("London, Ky.", "Pauktaw in Rakhine State", "Старица в Харьковской области")
    qualifier: dict[int, frozenset[tuple[str, str]]]
    #: span number -> the one admin-1 division its sentence names (by another name)
    sentence_divisions: dict[int, tuple[str, str]]
    #: the admin-1 division most of the document's admin-1 mentions name, if there is one
    dominant_division: tuple[str, str] | None
    #: confident first choices a distance is measured to (no countries or regions): (span
    #: no, place, latitude in radians, longitude, cosine of the latitude)
    far_anchors: list[tuple[int, int, float, float, float]]

    def votes_of_others(self, name: str) -> Votes:
        """The country votes without those of the spans of ``name``: a name said ten times
        is one ambiguity, not ten votes for its first reading."""
        others = dict(self.focus)
        for twin in self.same_name[name]:
            twin_cc, twin_vote = self.own[twin]
            if twin_cc:
                others[twin_cc] -= twin_vote
        total = sum(v for v in others.values() if v > 0) or 1.0
        # the countries with a vote left: a set, to meet each candidate's neighbours
        voted = {c for c, v in others.items() if v}
        return others, total, voted


def document_context(
    spans: list[Span], priors: list[Scored], idx: CompiledIndex, text: str
) -> DocumentContext:
    """Pass 1: the document's country focus, divisions and anchors from the best candidate of
    each span, and the places the text qualifies ("London, Ky.")."""
    focus: dict[str, float] = {}
    own: list[tuple[str | None, float]] = []
    anchors: list[tuple[int, int]] = []  # (span no, place) of confident first choices
    anchored: set[int] = set()
    divisions: dict[tuple[str, str], float] = {}
    own_division: dict[int, tuple[str, str]] = {}
    for no, scored in enumerate(priors):
        if not scored:
            own.append((None, 0.0))
            continue
        best = scored[0]
        margin = best[1] - scored[1][1] if len(scored) > 1 else 5.0
        cc = idx.country[best[0]]
        vote = 1.0 if margin >= 1.0 else 0.5
        own.append((cc, vote))
        if cc:
            focus[cc] = focus.get(cc, 0.0) + vote
        division = division_of(idx, best[0])
        if division and margin >= 1.0:
            divisions[division] = divisions.get(division, 0.0) + 1.0
            own_division[no] = division
        if margin >= 1.0 and best[0] not in anchored:
            anchored.add(best[0])
            anchors.append((no, best[0]))

    same_name: dict[str, list[int]] = {}
    for no, sp in enumerate(spans):
        same_name.setdefault(sp.text, []).append(no)

    qualifier = _containment(spans, idx, text)
    sentence_divisions, dominant_division = _named_divisions(spans, priors, idx, text)

    # anchors a distance is measured to: countries and regions are too big to be near anything
    far_anchors = [
        (other_no, q, radians(idx.lat[q]), idx.lon[q], cos(radians(idx.lat[q])))
        for other_no, q in anchors
        if FEATURE_TYPES[idx.ftype[q]] not in ("country", "region")
    ]
    return DocumentContext(
        focus,
        own,
        divisions,
        own_division,
        same_name,
        qualifier,
        sentence_divisions,
        dominant_division,
        far_anchors,
    )


def _containment(
    spans: list[Span], idx: CompiledIndex, text: str
) -> dict[int, frozenset[tuple[str, str]]]:
    """The divisions and countries (as (cc, "")) the text puts each span in: a place followed
    by ", <division>" ("London, Ky."), "in <division>" ("Pauktaw township in Rakhine State",
    "в Харьковской области") or "(<division>"."""
    qualifier: dict[int, frozenset[tuple[str, str]]] = {}
    for no in range(len(spans) - 1):
        nxt = spans[no + 1]
        gap = text[spans[no].end : nxt.start]
        if len(gap) > 40 or not _CONTAINED_BY.fullmatch(gap):
            continue
        # only divisions qualify: in "Guam, Louisiana, Nevada" the town of Nevada, Mo.
        # must not make Louisiana the Missouri town
        divs = [p for p in nxt.places if FEATURE_TYPES[idx.ftype[p]] in _QUALIFIERS]
        found = {d for p in divs if (d := division_of(idx, p))}
        found |= {
            (cc, "")
            for p in divs
            if FEATURE_TYPES[idx.ftype[p]] == "country" and (cc := idx.country[p])
        }
        if found:
            qualifier[no] = frozenset(found)
    return qualifier


def _named_divisions(
    spans: list[Span], priors: list[Scored], idx: CompiledIndex, text: str
) -> tuple[dict[int, tuple[str, str]], tuple[str, str] | None]:
    """The admin-1 division named in each span's sentence, when the other spans of the
    sentence name one only ("a village near Toretsk in Donetsk oblast"), and the division named
    by more than half of the document's admin-1 mentions.

    A span names a division when its first choice is one, by a margin of 1 or more. A
    sentence naming several states ("from Ohio to Texas") says nothing of which contains its
    towns.
    """
    named: dict[tuple[str, str], int] = {}
    sentences: list[dict[int, tuple[str, str] | None]] = []
    for no, scored in enumerate(priors):
        if not sentences or _SENTENCE_END.search(text, spans[no - 1].end, spans[no].start):
            sentences.append({})
        division = None
        if (
            scored
            and FEATURE_TYPES[idx.ftype[scored[0][0]]] == "admin1"
            and (len(scored) == 1 or scored[0][1] - scored[1][1] >= 1.0)
        ):
            division = division_of(idx, scored[0][0])
            if division:
                named[division] = named.get(division, 0) + 1
        sentences[-1][no] = division
    in_sentence: dict[int, tuple[str, str]] = {}
    if not named:
        return in_sentence, None
    for members in sentences:
        if not any(members.values()):
            continue
        for no in members:
            others = {d for o, d in members.items() if d and o != no}
            if len(others) == 1:
                in_sentence[no] = others.pop()
    top = max(named, key=lambda d: named[d])
    dominant = top if 2 * named[top] > sum(named.values()) else None
    return in_sentence, dominant
