"""Resolution: choose a place for every recognised span, by context, and say why.

Each candidate gets a score from its own weight (feature type, population, capital,
official spelling, curated entry), the type the text asks for ("the Kalbajar district"), the
document's country focus (countries of the unambiguous mentions, and their neighbours) and
its distance to the other places the document mentions (``geopy.distance``), and what the text
says contains it ("Kramatorsk, Donetsk", "в Харьковской области"). Two passes: the first
reads the document's context from priors alone (:mod:`gazetteer.context`), the second scores
with it.
"""

from __future__ import annotations

import math
import re
from math import asin, cos, radians, sin, sqrt
from typing import Any

from geopy.distance import EARTH_RADIUS

from gazetteer.context import DocumentContext, Scored, Votes, division_of, document_context
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


def resolve(spans: list[Span], idx: CompiledIndex, lang: str, text: str = "") -> list[Mention]:
    """Score every span's candidates in the context of the whole document.

    ``text`` (the document) lets "London, Ky." tie a town to the division named after it.
    """
    priors, keys = _priors(spans, idx)
    doc = document_context(spans, priors, idx, text)
    mentions: list[Mention] = []
    # what depends only on a span's name, worked out once for all its repetitions
    context: dict[str, Votes] = {}
    nearest: dict[tuple[str, int], tuple[float, int] | None] = {}
    rescorings: dict[tuple[Any, ...], Scored] = {}
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


def _priors(spans: list[Span], idx: CompiledIndex) -> tuple[list[Scored], list[tuple[Any, ...]]]:
    """Each span's best candidates by their own weight and the span's context words (type
    hint, organisation name), and the key that makes two spans score alike.

    A name said again with the same places and context words scores the same: its candidates
    (and in :func:`resolve`, its rescoring and mention fields) are worked out once.
    """
    priors: list[Scored] = []
    keys: list[tuple[Any, ...]] = []
    prior_lists: dict[tuple[Any, ...], Scored] = {}
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


def _rescore(
    sp: Span,
    no: int,
    scored: Scored,
    votes: Votes,
    doc: DocumentContext,
    nearest: dict[tuple[str, int], tuple[float, int] | None],
    idx: CompiledIndex,
) -> Scored:
    """Pass 2: span ``no``'s candidates (``sp`` the span) scored in the document's context:
    its country focus (or neighbours), the division the text qualifies it with or mentions
    other places in, the distance to the nearest other confident place (``nearest`` keeps
    the distances across the spans of a document)."""
    name = sp.text
    others, total, voted = votes
    qualifier = doc.qualifier.get(no, frozenset())
    in_sentence = doc.sentence_divisions.get(no)
    folded = name.casefold()
    rescored: Scored = []
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
        division = division_of(idx, p)
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
