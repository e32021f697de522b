"""Street-level names, buildings and minor natural features ("Orchard Street", "Dublin Road",
"Neches River", "at Northwestern Memorial Hospital").

The gazetteer has no streets, parks or small rivers, yet local news names them all the time
and the geoparsing corpora annotate them as toponyms. They are found by their generic head
word and located, approximately, at the town the text ties them to: the place named right
after them ("Orchard St., Alexandria") or else the town the document mentions most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from gazetteer.models import Candidate, Mention, Place
from gazetteer.recognize.words import (
    BUILDING_HEADS,
    LEADING_WORDS,
    PLURAL_STREET_HEADS,
    STREET_HEADS,
)

_HEADS = "|".join(map(re.escape, STREET_HEADS))
_WORD = r"(?:St\.|Mt\.|[A-Z][\w'’-]*|\d+(?:st|nd|rd|th)|[NSEW]\.|[NS][EW]\.?)"
_STREET = re.compile(
    r"(?<![\w.])((?:" + _WORD + r"\s){1,3}(?:" + _HEADS + r"))(?![\w-])"
    # "County Road 225"; a name that goes on ("Sand Creek Township") is another kind of place
    r"(\s\d+\b)?(?!\s[A-Z])"
)
_HEAD_WORD = re.compile(r"(?<![\w.])(?:" + _HEADS + r")(?![\w-])")


def _around_heads(
    pattern: re.Pattern[str], heads: re.Pattern[str], text: str
) -> list[re.Match[str]]:
    """``pattern``'s matches whose group 1 ends at a head word, searched only near the head
    words: scanning the whole text with the full pattern dominated the run time."""
    out: dict[int, re.Match[str]] = {}
    n = len(text)
    for h in heads.finditer(text):
        for m in pattern.finditer(text, max(0, h.start() - 56), min(n, h.end() + 16)):
            if m.end(1) == h.end() and m.start(1) not in out:
                out[m.start(1)] = m
    return [out[k] for k in sorted(out)]


#: Buildings and grounds count only where the text locates something in them ("died at
#: Northwestern Memorial Hospital", "the final at Jamsil Stadium"); elsewhere they name the
#: institution ("Hospital officials said").
_BUILDING_HEADS = "|".join(map(re.escape, BUILDING_HEADS))
_BUILDING = re.compile(
    r"\b(?:at|in|into|inside|outside|from|near|to)\s+(?:the\s+)?"
    r"((?:(?:[A-Z][\w'’-]*|St\.?|of|de|des)\s){1,4}"
    r"(?:" + _BUILDING_HEADS + r"))(?![\w-])(?!\s[A-Z])"
)
_BUILDING_HEAD = re.compile(r"\b(?:" + _BUILDING_HEADS + r")\b")


def find_buildings(text: str) -> list[tuple[int, int]]:
    """Spans of named buildings and grounds after a locative preposition."""
    out = []
    for m in _around_heads(_BUILDING, _BUILDING_HEAD, text):
        s, e = m.span(1)
        if text[s:e].split()[0] in LEADING_WORDS:
            continue
        out.append((s, e))
    return out


#: Two streets sharing a plural head: "at Bourbon and Dauphine streets" names two streets.
_PLURAL_HEADS = "|".join(map(re.escape, PLURAL_STREET_HEADS))
_STREET_PAIR = re.compile(
    r"(?<![\w.])([A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?)(?:,? and|,) ([A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?)"
    r" (?:" + _PLURAL_HEADS + r")\b"
)
_PLURAL_HEAD = re.compile(r" (?:" + _PLURAL_HEADS + r")\b")


def find_streets(text: str) -> list[tuple[int, int]]:
    """Spans of street-like names: one to three capitalised words before a head word, and
    each name of a pair before a plural head ("Lakeview and Harrison streets")."""
    out: list[tuple[int, int]] = []
    pairs = _STREET_PAIR.finditer(text) if _PLURAL_HEAD.search(text) else ()
    for m in pairs:
        for g in (1, 2):
            s, e = m.span(g)
            words = text[s:e].split()
            if words[0] in LEADING_WORDS:
                if len(words) == 1:
                    continue
                s = text.index(words[1], s + len(words[0]))
            out.append((s, e))
    for m in _around_heads(_STREET, _HEAD_WORD, text):
        s, e = m.span(1)
        if m.group(2) and m.group(1).split()[-2:-1] in (["County"], ["State"]):
            e = m.end(2)
        words = text[s:e].split()
        # "Augusta's Highland Avenue": the street starts after the possessive
        for k, w in enumerate(words[:-1]):
            if w.endswith(("'s", "’s")):
                s = text.index(words[k + 1], s)
                words = words[k + 1 :]
                break
        # drop leading function words ("On Main Street" -> "Main Street")
        while len(words) > 1 and words[0] in LEADING_WORDS:
            s = text.index(words[1], s + len(words[0]))
            words = words[1:]
        if len(words) < 2:
            continue
        if text[s - 1 : s] == "’" or text[s - 1 : s] == "'":
            continue
        out.append((s, e))
    return sorted(out)


def locate_streets(
    text: str, mentions: list[Mention], lang: str, get: Callable[[str], Place]
) -> list[Mention]:
    """Add street mentions to ``mentions``: a street wins over a place inside its name
    ("Dublin Road" is no mention of Dublin), and is placed at its town.

    ``get`` looks a place id up: only towns and districts locate a
    street, a country or a state is too coarse.
    """

    def _is_town(m: Mention) -> bool:
        return bool(m.place_id) and get(m.place_id or "").feature_type in ("locality", "district")

    streets = find_streets(text)
    inside = {i for i, m in enumerate(mentions) for s, e in streets if s <= m.start and m.end <= e}
    kept = [m for i, m in enumerate(mentions) if i not in inside]
    towns = Counter(m.place_id for m in kept if m.place_id and m.kind == "name" and _is_town(m))
    # the town named most often; among equals the biggest (a namesake village the
    # resolver chose by mistake is small)
    focus = max(towns, key=lambda pid: (towns[pid], get(pid).population), default=None)
    out = list(kept)
    # a building's name that holds a place name ("Dubai World Trade Centre") is left to the
    # place: the corpora disagree on such names, and the place is the safer mention
    streets += [
        (s, e)
        for s, e in find_buildings(text)
        if not any(m.start < e and s < m.end for m in mentions)
        and not any(a < e and s < b for a, b in streets)
    ]
    for s, e in streets:
        if any(m.start < e and s < m.end for m in kept):
            continue
        place_id, why = focus, "the town the document mentions most"
        after = next((m for m in kept if m.start >= e), None)
        if (
            after is not None
            and after.place_id
            and re.fullmatch(r",? (?:in )?", text[e : after.start])
            and _is_town(after)
        ):
            place_id, why = after.place_id, f"the town named after it ({after.text})"
        out.append(
            Mention(
                start=s,
                end=e,
                text=text[s:e],
                lang=lang,
                place_id=place_id,
                confidence=0.3 if place_id else 0.0,
                candidates=[Candidate(place_id=place_id, score=0.0, reasons=[why])]
                if place_id
                else [],
                explanation=[
                    f"{text[s:e]!r} is a street or minor feature, not in the gazetteer",
                    f"placed approximately at {why}" if place_id else "no town to place it at",
                ],
            )
        )
    out.sort(key=lambda m: m.start)
    return out
