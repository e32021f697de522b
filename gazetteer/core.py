"""The :class:`Gazetteer`: load the compiled index, recognise and resolve place mentions."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ahocorasick

from gazetteer.config import GazetteerConfig
from gazetteer.errors import PlaceNotFound
from gazetteer.index import build, store
from gazetteer.index.store import FEATURE_TYPES, KINDS, CompiledIndex, en_key
from gazetteer.models import Mention, Place
from gazetteer.recognize import Span, recognize_en, recognize_ru
from gazetteer.recognize.morphology_ru import lemma_key
from gazetteer.resolve import place_prior, resolve
from gazetteer.sources.base import Source
from gazetteer.sources.geonames import GeoNamesSource
from gazetteer.sources.overlay import OverlaySource

if TYPE_CHECKING:
    import numpy as np

_ONLINE_CUE = "(?:in|at|near|from|outside)"
#: A preposition that locates something at a landmark ("talks at the Kremlin", "в Кремле")
#: rather than making it an actor ("the Kremlin said", "White House aides").
_LOCATED = re.compile(
    r"\b(?:in|at|from|inside|outside|near|to|into|on|outside of|в|во|из|у|около|возле|на)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def default_cache_dir() -> Path:
    """Where compiled indexes live unless the config says otherwise."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("conflictmap")) / "gazetteer"


def default_sources() -> list[Source]:
    """The offline sources every gazetteer is compiled from."""
    return [GeoNamesSource(), OverlaySource()]


class Gazetteer:
    """Offline, multilingual gazetteer: recognition and resolution of place mentions.

    Build with :meth:`load`; the compiled index is cached on disk and rebuilt only when its
    inputs (data package versions, overlay contents, word lists, index format) change.
    """

    def __init__(self, idx: CompiledIndex, folder: Path, version: str) -> None:
        self._idx = idx
        # Curated names (and names added at run time) go through a small automaton: they may
        # start in lower case ("line of contact") or with an article ("the Kremlin").
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        for key, nid in idx.curated_keys:
            self._automaton.add_word(key, nid)
        self._automaton.make_automaton()
        self._folder = folder
        self.version = version
        self._geometries: dict[int, Any] | None = None
        self._geometry_override: dict[int, tuple[Any, bool]] = {}
        self._places: dict[int, Place] = {}
        self._coords: np.ndarray | None = None
        self._online: Any = None
        #: Count demonyms ("Armenian") as mentions of their country; off by default, since a
        #: demonym names people or things more often than a place.
        self.demonyms = False
        #: Count landmarks that stand for an institution ("the Kremlin said") as mentions;
        #: when off, only located uses ("at the Kremlin") count.
        self.landmark_actors = True
        #: Tag streets and minor features ("Orchard Street", "Neches River"), placed at the
        #: town the text ties them to; off by default, the map has no use for them.
        self.streets = False

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def load(cls, config: GazetteerConfig | None = None) -> Gazetteer:
        """Load the compiled index from the cache, building it first if needed."""
        config = config or GazetteerConfig()
        cache_dir = config.cache_dir or default_cache_dir()
        gaz = cls.from_sources(default_sources(), cache_dir)
        gaz.demonyms = config.demonyms
        gaz.landmark_actors = config.landmark_actors
        gaz.streets = config.streets
        if config.boundaries is not None:
            from gazetteer.sources.boundaries import apply_boundaries

            apply_boundaries(gaz, config.boundaries, config.boundaries_name_column)
        if config.online:
            from gazetteer.sources.online import OnlineFallback

            gaz._online = OnlineFallback(
                user_agent=config.user_agent, cache_dir=cache_dir / "online"
            )
        return gaz

    @staticmethod
    def version_of() -> str:
        """The :attr:`version` that :meth:`load` would give, without loading anything.

        It hashes the data packages' versions, the overlay and the word lists, so a caller can
        tell whether cached results are still valid (a no-op rebuild) before paying for a load.
        """
        return build.version_key(default_sources())

    @classmethod
    def from_sources(cls, sources: list[Source], cache_dir: Path) -> Gazetteer:
        """Load (or compile and cache) the index of ``sources`` under ``cache_dir``."""
        version = build.version_key(sources)
        folder = store.cached_folder(cache_dir, version, lambda: build.compile_index(sources))
        return cls(store.load(folder), folder, version)

    # -- queries --------------------------------------------------------------------------
    def _index_of(self, place_id: str) -> int:
        try:
            return self._idx.id_to_index[place_id]
        except KeyError:
            raise PlaceNotFound(place_id) from None

    def _geometry(self, i: int) -> tuple[Any, bool]:
        if i in self._geometry_override:
            return self._geometry_override[i]
        if self._geometries is None:
            self._geometries = store.load_geometries(self._folder)
        return self._geometries.get(i), i in self._idx.approximate

    def _place(self, i: int) -> Place:
        # Places are immutable; validating a country's outline is slow, so build each once.
        place = self._places.get(i)
        if place is None:
            place = self._places[i] = self._build_place(i)
        return place

    def _build_place(self, i: int) -> Place:
        idx = self._idx
        geometry, approximate = self._geometry(i)
        return Place(
            place_id=idx.ids[i],
            name=idx.names[i],
            feature_type=FEATURE_TYPES[idx.ftype[i]],
            country_code=idx.country[i],
            admin1=idx.admin1[i],
            lat=idx.lat[i],
            lon=idx.lon[i],
            population=idx.population[i],
            geometry=geometry,
            geometry_approximate=approximate,
            dataset=idx.dataset[i],
        )

    def get(self, place_id: str) -> Place:
        """The place with this id; raises :class:`~gazetteer.errors.PlaceNotFound`."""
        return self._place(self._index_of(place_id))

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._idx.id_to_index

    def __len__(self) -> int:
        return len(self._idx.ids)

    def search(self, name: str, lang: str | None = None, limit: int = 10) -> list[Place]:
        """Places known by ``name`` (exact spelling, or Russian lemma), most important first."""
        idx = self._idx
        found: dict[int, bool] = {}
        if lang in (None, "en") or not any("\u0400" <= c <= "\u04ff" for c in name):
            for variant in dict.fromkeys((name, name.title(), name.upper())):
                key = en_key(variant)
                for nid in (idx.en_names.get(key), self._automaton.get(key, None)):
                    if nid is not None:
                        for p, _k, flags in idx.postings(nid):
                            found[p] = found.get(p, False) or bool(flags & 1)
        if lang in (None, "ru"):
            nid = idx.ru_names.get(lemma_key(name))
            if nid is not None:
                for p, _k, flags in idx.postings(nid):
                    found[p] = found.get(p, False) or bool(flags & 1)
        ranked = sorted(found, key=lambda p: -place_prior(idx, p, found[p])[0])
        return [self._place(p) for p in ranked[:limit]]

    # -- geoparsing -----------------------------------------------------------------------
    def recognize(self, text: str, lang: str = "en") -> list[Span]:
        """Place-name spans in ``text`` before resolution (for debugging and evaluation)."""
        if lang.startswith("ru"):
            spans = recognize_ru(text, self._idx, adjectives=self.demonyms)
            # Latin-script names inside Russian text (Nagorno-Karabakh, UN) still count
            taken = [(s.start, s.end) for s in spans]
            spans += [
                s
                for s in recognize_en(text, self._idx, (self._automaton,), self.demonyms)
                if not any(a < s.end and s.start < b for a, b in taken)
            ]
            return sorted(spans, key=lambda s: s.start)
        return recognize_en(text, self._idx, (self._automaton,), self.demonyms)

    def geoparse(self, text: str, lang: str = "en") -> list[Mention]:
        """Recognised and resolved place mentions in ``text``, sorted by start offset."""
        spans = self.recognize(text, lang)
        mentions = resolve(spans, self._idx, lang, text)
        if not self.landmark_actors:
            mentions = [
                m
                for m in mentions
                if m.kind != "landmark" or _LOCATED.search(text[max(0, m.start - 30) : m.start])
            ]
        if self.streets and not lang.startswith("ru"):
            from gazetteer.recognize.streets import locate_streets

            mentions = locate_streets(text, mentions, lang, self.get)
        if self._online is not None:
            mentions += self._online_mentions(text, lang, mentions)
            mentions.sort(key=lambda m: m.start)
        return mentions

    def _online_mentions(self, text: str, lang: str, known: list[Mention]) -> list[Mention]:
        """Capitalised names after a locative preposition that the offline data lacks."""
        taken = [(m.start, m.end) for m in known]
        out: list[Mention] = []
        pattern = (
            r"\b(?:в|во|из|под|около)\s+([А-ЯЁ][а-яё]+(?:[ -][А-ЯЁ][а-яё]+)*)"
            if lang.startswith("ru")
            else rf"\b{_ONLINE_CUE}\s+(?:the\s+)?([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)"
        )
        for m in re.finditer(pattern, text):
            s, e = m.span(1)
            if any(a < e and s < b for a, b in taken):
                continue
            place = self._online.lookup(m.group(1), lang)
            if place is None:
                continue
            if place.place_id not in self:
                self.add_place(place, [m.group(1)])
            out.append(
                Mention(
                    start=s,
                    end=e,
                    text=m.group(1),
                    lang=lang,
                    place_id=place.place_id,
                    confidence=0.5,
                    explanation=[f"{m.group(1)!r} is not in the offline data; found online"],
                )
            )
        return out

    # -- extension points (boundaries, online fallback, reverse geocoding) ---------------------
    def add_place(self, place: Place, names: Iterable[str]) -> None:
        """Add ``place`` to this (in-memory) gazetteer, recognisable by ``names``."""
        idx = self._idx
        if place.place_id in idx.id_to_index:
            i = idx.id_to_index[place.place_id]
        else:
            i = len(idx.ids)
            idx.ids.append(place.place_id)
            idx.names.append(place.name)
            idx.ftype = idx.ftype + bytes([FEATURE_TYPES.index(place.feature_type)])
            idx.country.append(place.country_code)
            idx.admin1.append(place.admin1)
            idx.lat.append(place.lat)
            idx.lon.append(place.lon)
            idx.population.append(place.population)
            idx.dataset.append(place.dataset)
            idx.curated = idx.curated + b"\x01"
            idx.capital = idx.capital + b"\x00"
            idx.id_to_index[place.place_id] = i
            self._coords = None
        if place.geometry is not None:
            self._geometry_override[i] = (place.geometry, place.geometry_approximate)
        self._places.pop(i, None)
        changed = False
        for name in names:
            if not name or len(name) < 2:
                continue
            if any("\u0400" <= c <= "\u04ff" for c in name):
                key = lemma_key(name)
                idx.ru_names[key] = self._extend_name(name, i, idx.ru_names.get(key))
                toks = key.split(" ")
                for n in range(1, len(toks)):
                    idx.ru_prefixes.add(" ".join(toks[:n]))
            else:
                key = en_key(name)
                self._automaton.add_word(
                    key, self._extend_name(name, i, self._automaton.get(key, None))
                )
                changed = True
        if changed:
            self._automaton.make_automaton()

    def _extend_name(self, name: str, place: int, previous: int | None) -> int:
        """A new name id whose postings are ``previous``'s (if any) plus ``place``.

        Postings are stored in one compact array per name id, so a name that already exists
        (in the bulk data or from an earlier call) gets a fresh id with the union of its
        places, and the caller rebinds the name to it: two places added under one name are
        then both found, and an added place never hides an indexed one ("Москва").
        """
        idx = self._idx
        old = idx.postings(previous) if previous is not None else []
        if previous is not None and any(p == place for p, _k, _f in old):
            return previous
        nid = len(idx.name_texts)
        idx.name_texts.append(name)
        kinds, flags = bytearray(), bytearray()
        for p, kind, flag in old:
            idx.post_place.append(p)
            kinds.append(KINDS.index(kind))
            flags.append(flag)
        idx.post_place.append(place)
        kinds.append(KINDS.index("name"))
        flags.append(1)
        idx.post_kind = idx.post_kind + bytes(kinds)
        idx.post_flags = idx.post_flags + bytes(flags)
        idx.post_off.append(len(idx.post_place))
        return nid

    def set_geometry(self, place_id: str, geometry: Any, approximate: bool = False) -> None:
        """Give a place its own geometry (a GeoJSON mapping or a geojson-pydantic model)."""
        i = self._index_of(place_id)
        if hasattr(geometry, "__geo_interface__") and not hasattr(geometry, "model_dump"):
            geometry = geometry.__geo_interface__
        place = self._place(i)
        checked = Place.model_validate({**place.model_dump(), "geometry": geometry}).geometry
        self._geometry_override[i] = (checked, approximate)
        self._places.pop(i, None)

    def nearest(self, lat: float, lon: float, max_km: float = 50.0) -> Place | None:
        """The nearest populated place (or district, landmark) to a point, within ``max_km``."""
        import numpy as np

        idx = self._idx
        if self._coords is None:
            self._coords = np.radians(np.column_stack([np.asarray(idx.lat), np.asarray(idx.lon)]))
            self._point_like = np.frombuffer(
                bytes(idx.ftype), dtype=np.uint8
            ) >= FEATURE_TYPES.index("district")
        la, lo = math.radians(lat), math.radians(lon)
        c = self._coords
        d = (
            np.sin((c[:, 0] - la) / 2) ** 2
            + np.cos(la) * np.cos(c[:, 0]) * np.sin((c[:, 1] - lo) / 2) ** 2
        )
        km = 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(d, 0, 1)))
        km = np.where(self._point_like, km, np.inf)
        i = int(np.argmin(km))
        if not math.isfinite(km[i]) or km[i] > max_km:
            return None
        return self._place(i)
