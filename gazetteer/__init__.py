"""Offline, multilingual gazetteer: place data, recognition of mentions, resolution.

The names below are imported on first use: ``import gazetteer.models`` (the typed values
other packages build on) must not load the recogniser, the index or pymorphy3.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gazetteer.config import GazetteerConfig
    from gazetteer.core import Gazetteer
    from gazetteer.models import Candidate, Mention, Place

__all__ = ["Candidate", "Gazetteer", "GazetteerConfig", "Mention", "Place"]

#: Where each public name lives.
_HOMES = {
    "Candidate": "gazetteer.models",
    "Gazetteer": "gazetteer.core",
    "GazetteerConfig": "gazetteer.config",
    "Mention": "gazetteer.models",
    "Place": "gazetteer.models",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
