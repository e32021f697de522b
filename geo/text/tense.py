"""Grammatical tense of a clause, in English (auxiliaries and markers) and Russian (pymorphy3).

The markers are data (``geo/data/tense.yaml``). The tense decides whether an event is ``planned`` (future) or ``occurred``, and which way a
weekday or a bare date is read ("on Friday" after "will" is the coming Friday).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from gazetteer.morphology import analyzer

__all__ = ["Tense", "tense"]

#: The tense of a clause, as :func:`tense` reads it (:mod:`geo.dates` reads dates by it).
Tense = Literal["past", "present", "future"]


class _Markers(BaseModel):
    """The tense markers of ``geo/data/tense.yaml`` (regular expressions)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    future_en: tuple[str, ...]
    present_en: tuple[str, ...]
    future_ru: tuple[str, ...]


_MARKERS = _Markers.model_validate(
    yaml.safe_load(resources.files("geo").joinpath("data/tense.yaml").read_text(encoding="utf-8"))
)

_FUTURE_EN = re.compile(r"\b(?:" + "|".join(_MARKERS.future_en) + r")\b", re.IGNORECASE)
_PRESENT_EN = re.compile("|".join(rf"\b{p}\b" for p in _MARKERS.present_en), re.IGNORECASE)
# The same patterns without IGNORECASE, for lower-cased text (twice as fast). They are only
# used when lower-casing matches like IGNORECASE does: not so for "İ" (two characters in lower
# case), and the dotless "ı" and long "ſ" that IGNORECASE takes for "i" and "s".
_FUTURE_EN_LOW = re.compile(_FUTURE_EN.pattern)
_PRESENT_EN_LOW = re.compile(_PRESENT_EN.pattern)
_RU_WORD = re.compile(r"[а-яё]+", re.IGNORECASE)
_RU_FUTURE_HINT = re.compile(r"\b(?:" + "|".join(_MARKERS.future_ru) + r")\b", re.IGNORECASE)


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
