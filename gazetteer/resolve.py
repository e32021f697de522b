"""Resolution: choose a place for every recognised span, by context, and say why.

Each candidate gets a score from its own weight (feature type, population, capital,
official spelling, curated entry), the type the text asks for ("the Kalbajar district"), the
document's country focus (countries of the unambiguous mentions, and their neighbours) and
its distance to the other places the document mentions (``geopy.distance``). Two passes: the
first fixes the focus from priors alone, the second scores with it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from math import asin, cos, radians, sin, sqrt
from typing import Any

from geopy.distance import EARTH_RADIUS

from gazetteer.index.store import FEATURE_TYPES, CompiledIndex
from gazetteer.models import Mention
from gazetteer.recognize.spans import Span

_TYPE_PRIOR = {
    "country": 4.2, "region": 3.4, "admin1": 2.8, "district": 2.0, "corridor": 3.4,
    "border": 3.4, "landmark": 3.6, "water": 3.4, "other": 1.5,
}  # fmt: skip
_MAX_CANDIDATES = 12
_TWO_R = 2 * EARTH_RADIUS
#: Extra weight per decade of population for a city that names an organisation
#: ("Portland Trail Blazers", "Louisville Cardinals").
_EMBEDDED_POPULATION_WEIGHT = 0.3
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|from|near|to|outside|of|в|во|из|под|около|на)\s+(?:the\s+)?$", re.IGNORECASE
)
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
_HINT_MATCH = {"district": {"district", "admin1"}, "admin1": {"admin1", "region"}}


def place_prior(idx: CompiledIndex, p: int, primary: bool) -> tuple[float, list[str]]:
    """A place's own weight (feature type, population, capital, official spelling, curated
    entry), whatever the document says, and its reasons."""
    ft = FEATURE_TYPES[idx.ftype[p]]
    reasons: list[str] = []
    pop = idx.population[p]
    if ft == "locality":
        score = 1.0 + 0.5 * math.log10(pop + 1)
        reasons.append(f"locality, population {pop:,}")
        if idx.capital[p]:
            score += 1.2
            reasons.append("national capital")
    elif ft in ("country", "admin1") and pop:
        # a division outranks a town of its own size: its name usually means the division
        score = max(
            _TYPE_PRIOR[ft], 1.5 + 0.5 * math.log10(pop + 1) + (1.0 if ft == "country" else 0.0)
        )
        reasons.append(f"{ft}, population {pop:,}")
    elif ft == "district" and pop and not idx.curated[p]:
        score = 1.2 + 0.5 * math.log10(pop + 1)
        reasons.append(f"district, population {pop:,}")
    else:
        score = _TYPE_PRIOR.get(ft, 1.5)
        reasons.append(ft)
    if primary:
        score += 1.0
        reasons.append("official spelling")
    if idx.dataset[p] == "overlay":
        # a place someone added on purpose (a district, a corridor) beats bulk data
        score += 1.0
        reasons.append("curated overlay")
    return score, reasons


def _type_ok(hint: str, ft: str) -> bool:
    return ft in _HINT_MATCH.get(hint, {hint})


def _division(idx: CompiledIndex, p: int) -> tuple[str, str] | None:
    """(country, admin-1 name) a place lies in; an admin-1 division is its own."""
    cc = idx.country[p]
    if not cc:
        return None
    if FEATURE_TYPES[idx.ftype[p]] == "admin1":
        return (cc, idx.names[p])
    a1 = idx.admin1[p]
    return (cc, a1) if a1 else None


#: A span's candidates: (place, score, reasons), best first.
_Scored = list[tuple[int, float, list[str]]]
#: A country's votes in a document: the votes by country, their total, the countries with a vote.
_Votes = tuple[dict[str, float], float, set[str]]


def resolve(spans: list[Span], idx: CompiledIndex, lang: str, text: str = "") -> list[Mention]:
    """Score every span's candidates in the context of the whole document.

    ``text`` (the document) lets "London, Ky." tie a town to the division named after it.
    """
    priors, keys = _priors(spans, idx)
    doc = _document(spans, priors, idx, text)
    mentions: list[Mention] = []
    # what depends only on a span's name, worked out once for all its repetitions
    context: dict[str, _Votes] = {}
    nearest: dict[tuple[str, int], tuple[float, int] | None] = {}
    rescorings: dict[tuple[Any, ...], _Scored] = {}
    fields: dict[tuple[Any, ...], dict[str, Any]] = {}
    for no, (sp, scored) in enumerate(zip(spans, priors, strict=True)):
        if not scored:
            continue
        votes = context.get(sp.text)
        if votes is None:
            votes = context[sp.text] = doc.votes_of_others(sp.text)
        rkey = (keys[no], doc.qualifier.get(no), doc.sentence_divisions.get(no))
        rescored = rescorings.get(rkey)
        if rescored is None:
            rescored = rescorings[rkey] = _rescore(sp, no, scored, votes, doc, nearest, idx)
        if not _stands(sp, rescored[0][0], votes[0], text, idx):
            continue
        # one validation call builds the mention and its candidates (given as dicts)
        mkey = (rkey, sp.kind, tuple(sp.reasons))
        if mkey not in fields:
            fields[mkey] = _mention_fields(sp, rescored, idx, lang)
        mentions.append(
            Mention.__pydantic_validator__.validate_python(
                {"start": sp.start, "end": sp.end, **fields[mkey]}
            )
        )
    return mentions


def _priors(spans: list[Span], idx: CompiledIndex) -> tuple[list[_Scored], list[tuple[Any, ...]]]:
    """Each span's best candidates by their own weight and the span's context words (type
    hint, organisation name), and the key that makes two spans score alike.

    A name said again with the same places and context words scores the same: its candidates
    (and in :func:`resolve`, its rescoring and mention fields) are worked out once.
    """
    priors: list[_Scored] = []
    keys: list[tuple[Any, ...]] = []
    prior_lists: dict[tuple[Any, ...], _Scored] = {}
    for sp in spans:
        key = (sp.text, sp.hint, sp.embedded, tuple(sp.places.items()))
        keys.append(key)
        if key in prior_lists:
            priors.append(prior_lists[key])
            continue
        scored = []
        for p, (_kind, primary) in sp.places.items():
            # a place's prior is the same in every document: the index remembers it
            prior = idx.recall(("prior", p, primary))
            if prior is None:
                score, reasons = place_prior(idx, p, primary)
                idx.remember(("prior", p, primary), (score, tuple(reasons)))
            else:
                score, reasons = prior[0], list(prior[1])
            ft = FEATURE_TYPES[idx.ftype[p]]
            if sp.embedded and ft == "locality":
                score += _EMBEDDED_POPULATION_WEIGHT * math.log10(idx.population[p] + 1)
                reasons.append("organisations are named after big cities")
            if sp.hint:
                if ft == sp.hint:
                    score += 3.0
                    reasons.append(f"context asks for a {sp.hint}")
                elif _type_ok(sp.hint, ft):
                    score += 2.2
                    reasons.append(f"context asks for a {sp.hint}")
                elif ft == "locality":
                    score -= 1.0
            scored.append((p, score, reasons))
        scored.sort(key=lambda t: -t[1])
        priors.append(scored[:_MAX_CANDIDATES])
        prior_lists[key] = priors[-1]
    return priors, keys


@dataclass
class _Document:
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

    def votes_of_others(self, name: str) -> _Votes:
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


def _document(spans: list[Span], priors: list[_Scored], idx: CompiledIndex, text: str) -> _Document:
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
        division = _division(idx, best[0])
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
    return _Document(
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
        found = {d for p in divs if (d := _division(idx, p))}
        found |= {
            (cc, "")
            for p in divs
            if FEATURE_TYPES[idx.ftype[p]] == "country" and (cc := idx.country[p])
        }
        if found:
            qualifier[no] = frozenset(found)
    return qualifier


def _named_divisions(
    spans: list[Span], priors: list[_Scored], idx: CompiledIndex, text: str
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
            division = _division(idx, scored[0][0])
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


def _rescore(
    sp: Span,
    no: int,
    scored: _Scored,
    votes: _Votes,
    doc: _Document,
    nearest: dict[tuple[str, int], tuple[float, int] | None],
    idx: CompiledIndex,
) -> _Scored:
    """Pass 2: span ``no``'s candidates (``sp`` the span) scored in the document's context:
    its country focus (or neighbours), the division the text qualifies it with or mentions
    other places in, the distance to the nearest other confident place (``nearest`` keeps
    the distances across the spans of a document)."""
    name = sp.text
    others, total, voted = votes
    qualifier = doc.qualifier.get(no, frozenset())
    in_sentence = doc.sentence_divisions.get(no)
    folded = name.casefold()
    rescored: _Scored = []
    twins: set[int] | None = None
    twin_divisions: dict[tuple[str, str] | None, int] | None = None
    for p, score, reasons in scored:
        reasons = list(reasons)
        cc = idx.country[p]
        if len(scored) > 1 and cc:
            share = others.get(cc, 0.0) / total
            if share:
                score += 2.0 * share
                reasons.append(f"document focus on {cc} ({share:.0%} of mentions)")
            elif not voted.isdisjoint(idx.neighbours.get(cc, ())):
                score += 0.4
                reasons.append(f"{cc} neighbours a country the document mentions")
        division = _division(idx, p)
        ft = FEATURE_TYPES[idx.ftype[p]]
        own_name = bool(division and division[1].casefold().startswith(folded))
        if len(scored) > 1 and division and ft != "admin1":
            if division in qualifier:
                score += 3.0
                reasons.append(f"the text places it in {division[1]}")
            # a division is no context of its own name ("Garissa" the county does not
            # make "Garissa" the town, nor "Montana" Montana City), and an organisation is
            # named after a big city whatever region is around
            elif division == in_sentence and not sp.embedded and not own_name:
                score += 1.5
                reasons.append(f"its sentence names {division[1]}, which contains it")
            elif division == doc.dominant_division and not sp.embedded and not own_name:
                score += 1.0
                reasons.append(f"the document is about {division[1]}, which contains it")
            elif division in doc.divisions:
                if twin_divisions is None:
                    # how many of this name's spans vote for each division (a plain
                    # dict: building a Counter costs more than the loop)
                    twin_divisions = {}
                    for t in doc.same_name[name]:
                        d = doc.own_division.get(t)
                        twin_divisions[d] = twin_divisions.get(d, 0) + 1
                if doc.divisions[division] - twin_divisions.get(division, 0) > 0:
                    score += 0.5
                    reasons.append(f"the document mentions other places in {division[1]}")
        if len(scored) > 1 and FEATURE_TYPES[idx.ftype[p]] not in ("country", "region"):
            if (name, p) in nearest:
                near = nearest[name, p]
            else:
                if twins is None:
                    twins = set(doc.same_name[name])
                near = nearest[name, p] = _nearest_anchor(idx, p, twins, doc.far_anchors)
            if near is not None:
                km, other = near
                if km < 200:
                    score += 1.0
                    reasons.append(f"{km:.0f} km from {idx.names[other]}, also mentioned")
                elif km < 600:
                    score += 0.5
                    reasons.append(f"{km:.0f} km from {idx.names[other]}, also mentioned")
        if (
            len(scored) > 1
            and cc
            and ft != "country"
            and (cc, "") in qualifier
            and not (division and division in qualifier)
        ):
            score += 2.0
            reasons.append(f"the text places it in {cc}")
        rescored.append((p, score, reasons))
    rescored.sort(key=lambda t: -t[1])
    return rescored


def _stands(sp: Span, chosen: int, others: dict[str, float], text: str, idx: CompiledIndex) -> bool:
    """Does the span's chosen place stand as a mention, given the other spans' countries?"""
    needs = idx.requires_context.get(chosen)
    if needs and not any(others.get(cc) for cc in needs):
        return False  # "line of contact" in a text about another conflict
    # A village abroad named by a lone word, with nothing in the text pointing to its
    # country or to a location: far more often a surname ("Sandberg said").
    return not (
        sp.kind == "name"
        and " " not in sp.text
        and FEATURE_TYPES[idx.ftype[chosen]] == "locality"
        and idx.population[chosen] < 10_000
        and not idx.curated[chosen]
        and not others.get(idx.country[chosen] or "")
        and not _LOCATIVE_BEFORE.search(text[max(0, sp.start - 20) : sp.start])
    )


def _nearest_anchor(
    idx: CompiledIndex,
    p: int,
    twins: set[int],
    anchors: list[tuple[int, int, float, float, float]],
) -> tuple[float, int] | None:
    """The nearest confident place of another name (``twins``: the spans of this name).

    ``anchors``: (span no, place, latitude in radians, longitude, cosine of the latitude) of
    the anchors that are not countries or regions. The distance is the haversine great-circle
    distance of ``geopy.distance.great_circle``, inlined because it runs for every candidate
    and anchor pair (geopy's Point validation dominated the run time). It grows with the
    haversine term ``a``, so an anchor whose ``a`` exceeds the best one's cannot be strictly
    nearer and is not measured.
    """
    best: tuple[float, int] | None = None
    best_a = 0.0
    lat1, lon1 = idx.lat[p], idx.lon[p]
    p1 = radians(lat1)
    cos1 = cos(p1)
    for other_no, q, rlat2, lon2, cos2 in anchors:
        if other_no in twins or q == p:
            continue
        dp, dl = rlat2 - p1, radians(lon2 - lon1)
        a = sin(dp / 2) ** 2 + cos1 * cos2 * sin(dl / 2) ** 2
        if best is not None and a > best_a:
            continue
        km = _TWO_R * asin(min(1.0, sqrt(a)))
        if best is None or km < best[0]:
            best = (km, q)
            best_a = a
    return best


def _mention_fields(
    sp: Span, scored: list[tuple[int, float, list[str]]], idx: CompiledIndex, lang: str
) -> dict[str, Any]:
    """The fields of the span's Mention but its offsets (the candidates as dicts: one
    validation call builds the mention and its candidates)."""
    top = scored[:5]
    m = top[0][1]  # the highest score: ``scored`` is sorted
    weights = [math.exp(s - m) for _, s, _ in top]
    conf = weights[0] / sum(weights)
    best, best_score, best_reasons = scored[0]
    chosen = idx.stands_for.get(best, best)
    explanation = [f"{sp.text!r} names {len(sp.places)} place(s) in the gazetteer"]
    explanation += sp.reasons
    explanation.append(
        f"chose {idx.names[best]} ({FEATURE_TYPES[idx.ftype[best]]}, {idx.country[best] or '-'}), "
        f"score {best_score:.2f}: " + "; ".join(best_reasons)
    )
    if len(scored) > 1:
        p2, s2, _ = scored[1]
        explanation.append(
            f"runner-up {idx.names[p2]} ({FEATURE_TYPES[idx.ftype[p2]]}, {idx.country[p2] or '-'}) "
            f"scored {s2:.2f}"
        )
    kind = sp.kind
    if chosen != best:
        explanation.append(f"{idx.names[best]} stands for {idx.names[chosen]}")
        kind = "landmark"
    return {
        "text": sp.text,
        "lang": lang,
        "kind": kind,
        "place_id": idx.ids[chosen],
        "confidence": round(min(1.0, max(0.0, conf)), 4),
        "candidates": [
            {"place_id": idx.ids[p], "score": round(s, 3), "reasons": r} for p, s, r in top
        ],
        "explanation": explanation,
    }
