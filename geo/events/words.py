"""The word lists of the event rules: ``geo/data/event_words.yaml``, read once.

Each list is the alternation of one rule of :mod:`geo.events` (the nouns that make a
demonym a place, the verbs of speaking, the titles of officials, ...); the rule's grammar
stays in its module, which builds its pattern from the list when it is imported.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

__all__ = ["alternation", "words"]


@functools.lru_cache(maxsize=1)
def _lists() -> dict[str, Any]:
    raw = resources.files("geo").joinpath("data/event_words.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


def words(name: str, lang: str | None = None) -> list[str]:
    """The list ``name`` (of language ``lang`` where the list has one per language)."""
    entry = _lists()[name]
    return [str(w) for w in (entry[lang] if lang is not None else entry)]


def alternation(name: str, lang: str | None = None) -> str:
    """The list ``name`` as a regular-expression alternation, ``a|b|c`` (not grouped)."""
    return "|".join(words(name, lang))
