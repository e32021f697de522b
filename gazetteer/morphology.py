"""The one Russian morphological analyser of the project (pymorphy3 with pymorphy3-dicts-ru).

Recognition (:mod:`gazetteer.recognize.morphology_ru`, :mod:`gazetteer.recognize.russian`) and
the event extractor (actors, tense) share it: the dictionaries take ~0.2 s and tens of MB to load, once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ["analyzer"]


@cache
def analyzer() -> Any:
    """The shared ``pymorphy3.MorphAnalyzer`` (loaded on first use)."""
    import pymorphy3  # lazy: the dictionaries take ~0.2 s to load

    return pymorphy3.MorphAnalyzer()
