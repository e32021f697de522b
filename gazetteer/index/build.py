"""Compiling the index: every source's entries merged into one :class:`CompiledIndex`.

The overlay's extensions add names to places of other sources; every name becomes an English
key (:func:`~gazetteer.index.store.en_key`, with folded, plural and upper-case variants) or a
Russian lemma key, with Russian place adjectives derived from the names; postings map name ids
to places; English words flag the names that are also common words.

:func:`version_key` names a compiled index: a hash of the sources' fingerprints, the word
lists the compiler reads and :data:`INDEX_FORMAT`. It is cheap to compute, so a warm load never
opens the raw data.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from unidecode import unidecode

from gazetteer.index.store import FEATURE_TYPES, FLAG_PRIMARY, KINDS, CompiledIndex, en_key
from gazetteer.recognize.morphology_ru import (
    derived_adjectives,
    form_endings,
    known_adjective,
    lemma_key,
)
from gazetteer.recognize.words import GEO_NOUNS, compiler_fingerprint
from gazetteer.sources.base import Entry, Name, Source
from gazetteer.sources.geonames import country_table
from gazetteer.sources.overlay import OverlaySource

#: Bump when the layout, the class paths of the pickled index or the compilation logic change.
INDEX_FORMAT = "23"

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_WORD = re.compile(r"\w+")
#: Places this big (and all countries and regions) get Russian relative adjectives.
_ADJECTIVE_MIN_POPULATION = 100_000
#: Upper-case variants (MOSCOW (AP)) are indexed for places at least this big.
_UPPER_MIN_POPULATION = 100_000
#: Feature types whose official (or curated) Russian names get derived place adjectives.
_DERIVED_ADJECTIVE_TYPES = ("locality", "district", "admin1", "region")


def version_key(sources: list[Source]) -> str:
    """The index version: a hash of the index format, the word lists the compiler reads and
    every source's fingerprint."""
    h = hashlib.sha256(f"format={INDEX_FORMAT}".encode())
    h.update(b"\0" + compiler_fingerprint().encode())
    for src in sources:
        h.update(b"\0" + src.fingerprint().encode())
    return h.hexdigest()[:20]


@dataclass
class _Merged:
    """The entries of every source, with the overlay's additions applied."""

    entries: list[Entry]
    #: place id -> entry index
    pos: dict[str, int]
    #: explicit Russian adjective lemmas per place id (from the overlay)
    explicit_adj: dict[str, list[str]]
    #: names that contain a place name but name none ("Minsk Group")
    not_places: list[str]


def _merge(sources: list[Source]) -> _Merged:
    entries: list[Entry] = []
    extensions = []
    explicit_adj: dict[str, list[str]] = {}
    not_places: list[str] = []
    for src in sources:
        entries.extend(src.entries())
        if isinstance(src, OverlaySource):
            extensions = src.extensions()
            explicit_adj = src.ru_adjectives()
            not_places = src.not_places()
    pos = {e.place_id: i for i, e in enumerate(entries)}
    for ext in extensions:
        i = pos.get(ext.place_id)
        if i is None:
            continue
        e = entries[i]
        if ext.display_name:
            e.names.insert(0, Name(e.name, primary=True))
            e.name = ext.display_name
        e.names.extend(ext.names)
        if ext.lat is not None and ext.lon is not None:
            e.lat, e.lon = ext.lat, ext.lon
        e.curated = True
    return _Merged(entries, pos, explicit_adj, not_places)


@dataclass
class _NameTables:
    """Every name of every place, by English key and by Russian lemma key."""

    #: English key -> {place index: (kind, flags)}
    en_names: dict[str, dict[int, tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    #: English key -> the surface text first seen for it
    en_text: dict[str, str] = field(default_factory=dict)
    #: Russian lemma key -> {place index: (kind, flags)}
    ru_names: dict[str, dict[int, tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    ru_adj: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    ru_lower_first: set[str] = field(default_factory=set)
    ru_adj_general: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def add_entries(self, entries: list[Entry]) -> None:
        for i, e in enumerate(entries):
            for n in e.names:
                # trailing apostrophes (Nakhichevan') would swallow the next punctuation mark
                text = n.text.strip().rstrip("'’-")
                if len(text) < 2:
                    continue
                kind = KINDS.index(n.kind)
                flags = FLAG_PRIMARY if n.primary else 0
                if _CYRILLIC.search(text):
                    self._add_russian(i, e, n, text, kind, flags)
                else:
                    self._add_english(i, e, n, text, kind, flags)

    def _add_russian(self, i: int, e: Entry, n: Name, text: str, kind: int, flags: int) -> None:
        key = lemma_key(text)
        if key and text[0].islower():
            self.ru_lower_first.add(key.split(" ")[0])
        if not key:
            return
        prev = self.ru_names[key].get(i)
        self.ru_names[key][i] = (kind, flags | (prev[1] if prev else 0))
        if (n.primary or e.curated) and e.feature_type in _DERIVED_ADJECTIVE_TYPES:
            for adj in derived_adjectives(text):
                self.ru_adj[adj].add(i)
        if (
            (n.primary or e.feature_type == "locality")
            and " " not in text
            and (
                e.feature_type in ("country", "admin1", "region")
                or e.population >= _ADJECTIVE_MIN_POPULATION
            )
        ):
            relative = known_adjective(text)
            if relative:
                self.ru_adj_general[relative].add(i)
                self.ru_adj[relative].add(i)

    def _add_english(self, i: int, e: Entry, n: Name, text: str, kind: int, flags: int) -> None:
        variants = [text]
        if n.primary and not text.isascii():
            # "Rājasthān" is written Rajasthan in English text
            folded = unidecode(text)
            if folded != text and folded[:1].isupper():
                variants.append(folded)
        if n.kind == "demonym" and text[-1] in "ni":
            variants.append(text + "s")  # Armenians, Israelis
        if e.population >= _UPPER_MIN_POPULATION or e.feature_type == "country":
            variants.append(text.upper())
        for v in variants:
            k = en_key(v)
            self.en_text.setdefault(k, v)
            prev = self.en_names[k].get(i)
            self.en_names[k][i] = (kind, flags | (prev[1] if prev else 0))

    def add_not_places(self, not_places: list[str]) -> None:
        """Names that merely contain a place name get keys without places: as the longest
        match they hide the place name inside them ("Minsk Group", "Единая Россия")."""
        for text in not_places:
            if _CYRILLIC.search(text):
                self.ru_names.setdefault(lemma_key(text), {})
            else:
                self.en_text.setdefault(en_key(text), text)
                self.en_names.setdefault(en_key(text), {})

    def add_explicit_adjectives(self, explicit: dict[str, list[str]], pos: dict[str, int]) -> None:
        for pid, adjs in explicit.items():
            if pid in pos:
                for adj in adjs:
                    self.ru_adj[adj].add(pos[pid])
                    self.ru_adj_general[adj].add(pos[pid])


@dataclass
class _Postings:
    """Name ids and their postings, in the CSR layout of :class:`CompiledIndex`."""

    name_texts: list[str] = field(default_factory=list)
    off: array = field(default_factory=lambda: array("i", [0]))
    place: array = field(default_factory=lambda: array("i"))
    kind: bytearray = field(default_factory=bytearray)
    flags: bytearray = field(default_factory=bytearray)

    def add(self, text: str, places: dict[int, tuple[int, int]]) -> int:
        """A new name id for ``text`` with these places."""
        nid = len(self.name_texts)
        self.name_texts.append(text)
        for place, (kind, flags) in sorted(places.items()):
            self.place.append(place)
            self.kind.append(kind)
            self.flags.append(flags)
        self.off.append(len(self.place))
        return nid


def _en_prefixes(keys: dict[str, int]) -> set[str]:
    out: set[str] = set()
    for key in keys:
        body = key[:-1]
        for m in _WORD.finditer(body):
            if m.end() < len(body.rstrip()):
                out.add(body[: m.end()])
    return out


def _ru_prefixes(keys: dict[str, int]) -> set[str]:
    out: set[str] = set()
    for key in keys:
        toks = key.split(" ")
        for cut in range(1, len(toks)):
            out.add(" ".join(toks[:cut]))
    return out


def _english_commonness(name_texts: list[str]) -> tuple[set[str], dict[int, float]]:
    """Frequent lower-case English words, and the Zipf frequency of the names (by name id)
    that are also common English words.

    How common a name is as an ordinary English word decides how much evidence a capitalised
    match needs (Reading, Nice, Mobile, Of are towns too). The dictionaries keep proper nouns
    capitalised, so "atlanta" is not a word but "reading" is; wordfreq says how often the word
    is used. The common words tell "Seattle Fire" (a place + a noun) from "Seattle Smith" (a
    name).
    """
    from english_words import get_english_words_set
    from wordfreq import zipf_frequency

    lexicon = get_english_words_set(["web2", "gcide"], lower=False, alpha=True)
    common_words = {
        w for w in lexicon if w.islower() and w.isalpha() and zipf_frequency(w, "en") >= 3.0
    }
    en_common: dict[int, float] = {}
    for nid, text in enumerate(name_texts):
        low = text.lower()
        if " " not in text and low in lexicon:
            z = zipf_frequency(low, "en")
            if z >= 3.5:
                en_common[nid] = z
    return common_words, en_common


def compile_index(sources: list[Source]) -> tuple[CompiledIndex, dict[int, Any]]:
    """Merge every source's entries into a :class:`CompiledIndex` and its geometries."""
    merged = _merge(sources)
    entries, pos = merged.entries, merged.pos
    # a country's neighbours: the country-focus bonus reaches them
    neighbours = {
        iso: set(filter(None, str(c.get("neighbours") or "").split(",")))
        for iso, c in country_table().items()
    }
    tables = _NameTables()
    tables.add_entries(entries)
    tables.add_not_places(merged.not_places)
    tables.add_explicit_adjectives(merged.explicit_adj, pos)

    postings = _Postings()
    en_index: dict[str, int] = {}
    curated_keys: list[tuple[str, int]] = []
    for key, places in tables.en_names.items():
        text = tables.en_text[key]
        nid = en_index[key] = postings.add(text, places)
        if (
            any(entries[p].curated and entries[p].dataset != "geonames" for p in places)
            or not text[:1].isupper()
        ):
            curated_keys.append((key, nid))
    ru_index = {key: postings.add(key, places) for key, places in tables.ru_names.items()}
    common_words, en_common = _english_commonness(postings.name_texts[: len(en_index)])
    ru_adj, ru_adj_general = tables.ru_adj, tables.ru_adj_general

    idx = CompiledIndex(
        ids=[e.place_id for e in entries],
        names=[e.name for e in entries],
        ftype=bytes(FEATURE_TYPES.index(e.feature_type) for e in entries),
        country=[e.country_code for e in entries],
        admin1=[e.admin1 for e in entries],
        lat=array("d", (e.lat for e in entries)),
        lon=array("d", (e.lon for e in entries)),
        population=array("q", (e.population for e in entries)),
        dataset=[e.dataset for e in entries],
        curated=bytes(int(e.curated) for e in entries),
        capital=bytes(int(e.capital) for e in entries),
        stands_for={i: pos[e.stands_for] for i, e in enumerate(entries) if e.stands_for in pos},
        approximate={i for i, e in enumerate(entries) if e.geometry_approximate},
        neighbours=neighbours,
        post_off=postings.off,
        post_place=postings.place,
        post_kind=bytes(postings.kind),
        post_flags=bytes(postings.flags),
        name_texts=postings.name_texts,
        ru_names=ru_index,
        ru_adjectives={k: sorted(v) for k, v in ru_adj.items()},
        ru_prefixes=_ru_prefixes(ru_index),
        ru_adj_general={k: sorted(v) for k, v in ru_adj_general.items()},
        ru_lower_first=tables.ru_lower_first,
        ru_lower_endings=form_endings(
            tables.ru_lower_first | set(ru_adj) | set(ru_adj_general) | set(GEO_NOUNS)
        ),
        en_common=en_common,
        common_words=common_words,
        requires_context={
            i: set(e.requires_context) for i, e in enumerate(entries) if e.requires_context
        },
        en_names=en_index,
        en_prefixes=_en_prefixes(en_index),
        max_words=min(8, max((len(_WORD.findall(k)) for k in en_index), default=1)),
        curated_keys=curated_keys,
    )
    geometries = {i: e.geometry for i, e in enumerate(entries) if e.geometry is not None}
    return idx, geometries
