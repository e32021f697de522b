"""Grammatical tense of a clause, in English (auxiliaries and markers) and Russian (pymorphy3).

The tense decides whether an event is ``planned`` (future) or ``occurred``, and which way a
weekday or a bare date is read ("on Friday" after "will" is the coming Friday).
"""

from __future__ import annotations

import functools
import re

from gazetteer.morphology import analyzer
from geo.dates import Tense

__all__ = ["tense"]

_FUTURE_EN = re.compile(
    r"\b(?:will|won[’']t|shall|would|to\s+be\s+held|going\s+to|"
    r"(?:is|are|was|were)\s+(?:set|due|scheduled|expected|planned|slated|to)\s+(?:to\s+)?|"
    r"plans?\s+to|planned\s+to|intends?\s+to|upcoming|forthcoming|agreed\s+to\s+meet|"
    r"next\s+(?:week|month|year)|tomorrow)\b",
    re.IGNORECASE,
)
_PRESENT_EN = re.compile(r"\b(?:is|are|am)\s+\w+ing\b|\bcontinues?\b|\bongoing\b", re.I)
# The same patterns without IGNORECASE, for lower-cased text (twice as fast). They are only
# used when lower-casing matches like IGNORECASE does: not so for "İ" (two characters in lower
# case), and the dotless "ı" and long "ſ" that IGNORECASE takes for "i" and "s".
_FUTURE_EN_LOW = re.compile(_FUTURE_EN.pattern)
_PRESENT_EN_LOW = re.compile(_PRESENT_EN.pattern)
_RU_WORD = re.compile(r"[а-яё]+", re.IGNORECASE)
_RU_FUTURE_HINT = re.compile(
    r"\b(?:предстоящ\w+|планиру\w+|намечен\w+|запланирован\w*|ожида\w+ся|в\s+ближайш\w+)\b",
    re.IGNORECASE,
)


def _tense_en(text: str) -> Tense:
    if "İ" in text or "ı" in text or "ſ" in text:
        future, present = _FUTURE_EN, _PRESENT_EN
    else:
        future, present, text = _FUTURE_EN_LOW, _PRESENT_EN_LOW, text.lower()
    if future.search(text):
        return "future"
    if present.search(text):
        return "present"
    return "past"


@functools.lru_cache(maxsize=50_000)
def _ru_verb_tense(word: str) -> str | None:
    for p in analyzer().parse(word)[:2]:
        tag = p.tag
        if "VERB" in tag and "futr" in tag:
            return "future"
        if ("VERB" in tag or "PRTF" in tag or "PRTS" in tag) and "past" in tag:
            return "past"
        if "VERB" in tag and "pres" in tag:
            return "present"
    return None


def _tense_ru(text: str) -> Tense:
    if _RU_FUTURE_HINT.search(text):
        return "future"
    seen: set[str] = set()
    for m in _RU_WORD.finditer(text):
        w = m.group().lower()
        if len(w) < 4 or w in seen:
            continue
        seen.add(w)
        t = _ru_verb_tense(w)
        if t == "future":
            return "future"
        if t == "past":
            return "past"
    return "past"


@functools.lru_cache(maxsize=4096)
def tense(text: str, lang: str) -> Tense:
    """The tense of a clause: ``future``, ``present`` or ``past`` (the default). Cached: the
    triggers of one clause often ask about the same words."""
    return _tense_ru(text) if lang == "ru" else _tense_en(text)
