"""The small base every gazetteer source builds on (one module per source, as geopy does).

A source turns its data into :class:`Entry` records: a place plus the names it is known by.
The index compiler (:mod:`gazetteer.index.build`) merges the entries of every source.

A source applied at run time to a loaded gazetteer (user boundaries) sees it as a
:class:`LoadedGazetteer`: sources never import the gazetteer itself.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from gazetteer.models import Place

NameKind = Literal["name", "adjective", "demonym", "landmark"]


@dataclass(slots=True)
class Name:
    """One way of writing a place's name.

    ``primary`` marks official/canonical spellings (they beat alternate spellings when two
    places share a string); ``kind`` says how a mention in this form names the place.
    """

    text: str
    primary: bool = False
    kind: NameKind = "name"


@dataclass(slots=True)
class Entry:
    """A place as a source describes it, before compilation into the index."""

    place_id: str
    name: str
    feature_type: str
    lat: float
    lon: float
    dataset: str
    country_code: str | None = None
    admin1: str | None = None
    population: int = 0
    names: list[Name] = field(default_factory=list)
    geometry: dict[str, Any] | None = None
    geometry_approximate: bool = False
    #: Standing for another place (a landmark for its city): the other place's id.
    stands_for: str | None = None
    #: Curated entries (the overlay) win ties against bulk data.
    curated: bool = False
    capital: bool = False
    #: The place counts only in a text that mentions one of these countries.
    requires_context: list[str] = field(default_factory=list)


class Source(ABC):
    """A gazetteer data source: yields entries and says what its inputs are."""

    #: Short name, also used as :attr:`gazetteer.models.Place.dataset`.
    name: str

    @abstractmethod
    def entries(self) -> Iterator[Entry]:
        """Every place this source knows."""

    @abstractmethod
    def fingerprint(self) -> str:
        """A string that changes whenever this source's data changes (versions, file hashes)."""


class LoadedGazetteer(Protocol):
    """What a run-time source needs of a loaded :class:`~gazetteer.core.Gazetteer`: finding
    places by name, giving one a geometry, adding new ones."""

    def search(self, name: str, lang: str | None = None, limit: int = 10) -> list[Place]:
        """Places known by ``name``, most important first."""
        ...

    def set_geometry(self, place_id: str, geometry: Any, approximate: bool = False) -> None:
        """Give a place its own geometry."""
        ...

    def add_place(self, place: Place, names: Iterable[str]) -> None:
        """Add ``place``, recognisable by ``names``."""
        ...
