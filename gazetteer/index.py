"""The compiled gazetteer index: built once from every source, cached on disk, loaded fast.

Layout on disk (one folder per version key, so a change of inputs never reads stale data):

- ``index.pkl``: place columns (ids, names, types, countries, coordinates, populations), the
  postings from name ids to places, the Russian lemma index and adjective index;
- ``geometry.pkl``: place geometries, read only when a geometry is first asked for.

English names are looked up two ways: the bulk of them (GeoNames) through a dict of keys,
probed at every capitalised word, because a dict of half a million keys unpickles in a
fraction of a second where a pyahocorasick automaton of the same size takes seconds; and the
curated names (which may start in lower case or with "the") through a small pyahocorasick
automaton built at load time, together with names added at run time.

The version key hashes the data packages' versions, the overlay file and
:data:`INDEX_FORMAT`; it is cheap to compute, so a warm load never opens the raw data.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import re
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from gazetteer.sources.base import Entry, Name, Source

#: Bump when the layout or the compilation logic changes.
INDEX_FORMAT = "22"

FEATURE_TYPES = (
    "country", "region", "admin1", "district", "locality", "corridor", "border", "landmark",
    "water", "other",
)  # fmt: skip
KINDS = ("name", "adjective", "demonym", "landmark")
FLAG_PRIMARY = 1
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_NON_WORD = re.compile(r"[^\w]")
_WORD = re.compile(r"\w+")
#: Places this big (and all countries and regions) get Russian relative adjectives.
_ADJECTIVE_MIN_POPULATION = 100_000
#: Results :meth:`CompiledIndex.recall` keeps, at most.
_MEMO_MAX = 200_000
#: Upper-case variants (MOSCOW (AP)) are indexed for places at least this big.
_UPPER_MIN_POPULATION = 100_000


def en_key(name: str) -> str:
    """Automaton key of a Latin-script name: non-word characters become spaces (one for
    one, so offsets in the text are kept), padded with a space on either side so matches
    fall on word boundaries."""
    return " " + _NON_WORD.sub(" ", name) + " "


def version_key(sources: list[Source]) -> str:
    """The index version: a hash of every source's fingerprint and the index format."""
    h = hashlib.sha256(f"format={INDEX_FORMAT}".encode())
    for src in sources:
        h.update(b"\0" + src.fingerprint().encode())
    return h.hexdigest()[:20]


@dataclass
class CompiledIndex:
    """Everything geoparsing needs, in compact columns."""

    ids: list[str]
    names: list[str]
    ftype: bytes
    country: list[str | None]
    admin1: list[str | None]
    lat: array
    lon: array
    population: array
    dataset: list[str]
    curated: bytes
    capital: bytes
    stands_for: dict[int, int]
    approximate: set[int]
    neighbours: dict[str, set[str]]
    #: postings: name id -> [(place index, kind index, flags)], CSR layout
    post_off: array
    post_place: array
    post_kind: bytes
    post_flags: bytes
    #: surface strings of the name ids (for search and explanations)
    name_texts: list[str]
    #: Russian lemma key -> name id
    ru_names: dict[str, int]
    #: Russian adjective lemma -> place indexes
    ru_adjectives: dict[str, list[int]]
    #: Russian relative adjectives that name a place on their own (российский, московский)
    ru_adj_general: dict[str, list[int]] = field(default_factory=dict)
    #: every proper token prefix of a Russian key (to stop n-gram search early)
    ru_prefixes: set[str] = field(default_factory=set)
    #: first lemmas of Russian keys written in lower case (армяно-азербайджанская граница)
    ru_lower_first: set[str] = field(default_factory=set)
    #: last letters (gazetteer.russian.ENDING_LEN) of every form of those, of the adjective
    #: lemmas and of the geographic nouns: a longer lower-case token that ends otherwise
    #: needs no morphological analysis
    ru_lower_endings: frozenset[str] = field(default_factory=frozenset)
    #: name ids whose text is also a common English word (Reading, Nice, Mobile)
    en_common: dict[int, float] = field(default_factory=dict)
    #: place index -> countries a text must mention for the place to count
    requires_context: dict[int, set[str]] = field(default_factory=dict)
    #: frequent lower-case English words
    common_words: set[str] = field(default_factory=set)
    #: English name key (see :func:`en_key`) -> name id
    en_names: dict[str, int] = field(default_factory=dict)
    #: (key, name id) of curated names, matched with a pyahocorasick automaton
    curated_keys: list[tuple[str, int]] = field(default_factory=list)
    #: every proper word prefix of a multi-word English key, without the trailing space
    en_prefixes: set[str] = field(default_factory=set)
    #: longest English name, in words
    max_words: int = 6
    id_to_index: dict[str, int] = field(default_factory=dict)

    def postings(self, name_id: int) -> list[tuple[int, str, int]]:
        a, b = self.post_off[name_id], self.post_off[name_id + 1]
        return [
            (self.post_place[i], KINDS[self.post_kind[i]], self.post_flags[i]) for i in range(a, b)
        ]

    def name_places(self, name_id: int) -> dict[int, tuple[str, bool]]:
        """A name id's places as place -> (kind of its last posting, any posting primary).

        Memoised (the recogniser asks for the same names in every document); the caller must
        not change the dict. A name id's postings never change: new names get new ids."""
        places = self._name_places.get(name_id)
        if places is None:
            places = {}
            for p, kind, flags in self.postings(name_id):
                prev = places.get(p)
                places[p] = (kind, bool(flags & 1) or (prev[1] if prev else False))
            self._name_places[name_id] = places
        return places

    @cached_property
    def _name_places(self) -> dict[int, dict[int, tuple[str, bool]]]:
        return {}

    @cached_property
    def _memo(self) -> dict[tuple[Any, ...], Any]:
        return {}

    def recall(self, key: tuple[Any, ...]) -> Any:
        """A remembered result of a pure function of the index (``key``: the function's name
        and its other arguments), or None. Kept across documents, emptied when it grows
        past :data:`_MEMO_MAX` entries."""
        if len(self._memo) > _MEMO_MAX:
            self._memo.clear()
        return self._memo.get(key)

    def remember(self, key: tuple[Any, ...], value: Any) -> None:
        self._memo[key] = value

    @cached_property
    def ru_token_memo(self) -> dict[str, Any]:
        """What the Russian recogniser works out about a token (its lemmas and which tables
        they are in), kept across documents: one dict probe per token instead."""
        return {}

    def __getstate__(self) -> dict[str, Any]:
        # the memos are rebuilt at run time, never saved
        state = dict(self.__dict__)
        state.pop("_name_places", None)
        state.pop("_memo", None)
        state.pop("ru_token_memo", None)
        return state


def _en_prefixes(keys: dict[str, int]) -> set[str]:
    out: set[str] = set()
    for key in keys:
        body = key[:-1]
        for m in _WORD.finditer(body):
            if m.end() < len(body.rstrip()):
                out.add(body[: m.end()])
    return out


def compile_index(sources: list[Source]) -> tuple[CompiledIndex, dict[int, Any]]:
    """Merge every source's entries into a :class:`CompiledIndex` and its geometries."""
    from unidecode import unidecode

    from gazetteer.russian import (
        GEO_NOUNS,
        derived_adjectives,
        form_endings,
        known_adjective,
        lemma_key,
    )
    from gazetteer.sources.overlay import OverlaySource

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

    from gazetteer.sources.geonames import country_table  # neighbours: country-focus bonus

    neighbours = {
        iso: set(filter(None, str(c.get("neighbours") or "").split(",")))
        for iso, c in country_table().items()
    }

    # name text -> {place index: (kind, flags)}
    en_names: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    en_text: dict[str, str] = {}
    ru_names: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    ru_adj: dict[str, set[int]] = defaultdict(set)
    ru_lower_first: set[str] = set()
    ru_adj_general: dict[str, set[int]] = defaultdict(set)
    for i, e in enumerate(entries):
        for n in e.names:
            # trailing apostrophes (Nakhichevan') would swallow the next punctuation mark
            text = n.text.strip().rstrip("'’-")
            if len(text) < 2:
                continue
            kind = KINDS.index(n.kind)
            flags = FLAG_PRIMARY if n.primary else 0
            if _CYRILLIC.search(text):
                key = lemma_key(text)
                if key and text[0].islower():
                    ru_lower_first.add(key.split(" ")[0])
                if key:
                    prev = ru_names[key].get(i)
                    ru_names[key][i] = (kind, flags | (prev[1] if prev else 0))
                    if (n.primary or e.curated) and e.feature_type in (
                        "locality",
                        "district",
                        "admin1",
                        "region",
                    ):
                        for adj in derived_adjectives(text):
                            ru_adj[adj].add(i)
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
                            ru_adj_general[relative].add(i)
                            ru_adj[relative].add(i)
            else:
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
                    en_text.setdefault(k, v)
                    prev = en_names[k].get(i)
                    en_names[k][i] = (kind, flags | (prev[1] if prev else 0))
    # Names that merely contain a place name get keys without places: as the longest match
    # they hide the place name inside them ("Minsk Group", "Единая Россия").
    for text in not_places:
        if _CYRILLIC.search(text):
            ru_names.setdefault(lemma_key(text), {})
        else:
            en_text.setdefault(en_key(text), text)
            en_names.setdefault(en_key(text), {})
    for pid, adjs in explicit_adj.items():
        if pid in pos:
            for adj in adjs:
                ru_adj[adj].add(pos[pid])
                ru_adj_general[adj].add(pos[pid])

    name_texts: list[str] = []
    post_off = array("i", [0])
    post_place = array("i")
    post_kind = bytearray()
    post_flags = bytearray()

    def add_postings(text: str, places: dict[int, tuple[int, int]]) -> int:
        nid = len(name_texts)
        name_texts.append(text)
        for place, (kind, flags) in sorted(places.items()):
            post_place.append(place)
            post_kind.append(kind)
            post_flags.append(flags)
        post_off.append(len(post_place))
        return nid

    en_index: dict[str, int] = {}
    curated_keys: list[tuple[str, int]] = []
    for key, places in en_names.items():
        nid = add_postings(en_text[key], places)
        en_index[key] = nid
        if (
            any(entries[p].curated and entries[p].dataset != "geonames" for p in places)
            or not en_text[key][:1].isupper()
        ):
            curated_keys.append((key, nid))
    ru_index = {key: add_postings(key, places) for key, places in ru_names.items()}
    ru_prefixes: set[str] = set()
    for key in ru_index:
        toks = key.split(" ")
        for cut in range(1, len(toks)):
            ru_prefixes.add(" ".join(toks[:cut]))
    from english_words import get_english_words_set
    from wordfreq import zipf_frequency

    # How common a name is as an ordinary English word decides how much evidence a
    # capitalised match needs (Reading, Nice, Mobile, Of are towns too). The dictionaries
    # keep proper nouns capitalised, so "atlanta" is not a word but "reading" is; wordfreq
    # says how often the word is used.
    lexicon = get_english_words_set(["web2", "gcide"], lower=False, alpha=True)
    # Common English words (lower case), to tell "Seattle Fire" (a place + a noun) from
    # "Seattle Smith" (a name).
    common_words = {
        w for w in lexicon if w.islower() and w.isalpha() and zipf_frequency(w, "en") >= 3.0
    }
    en_common: dict[int, float] = {}
    for nid, text in enumerate(name_texts[: len(en_names)]):
        low = text.lower()
        if " " not in text and low in lexicon:
            z = zipf_frequency(low, "en")
            if z >= 3.5:
                en_common[nid] = z

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
        post_off=post_off,
        post_place=post_place,
        post_kind=bytes(post_kind),
        post_flags=bytes(post_flags),
        name_texts=name_texts,
        ru_names=ru_index,
        ru_adjectives={k: sorted(v) for k, v in ru_adj.items()},
        ru_prefixes=ru_prefixes,
        ru_adj_general={k: sorted(v) for k, v in ru_adj_general.items()},
        ru_lower_first=ru_lower_first,
        ru_lower_endings=form_endings(
            ru_lower_first | set(ru_adj) | set(ru_adj_general) | set(GEO_NOUNS)
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


def save(folder: Path, idx: CompiledIndex, geoms: dict[int, Any]) -> None:
    """Write the index files into ``folder`` atomically (temp files, then rename)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, writer in (
        ("geometry.pkl", lambda p: p.write_bytes(pickle.dumps(geoms, protocol=5))),
        ("index.pkl", lambda p: p.write_bytes(pickle.dumps(idx, protocol=5))),
    ):
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        writer(tmp)
        os.replace(tmp, folder / name)


def load(folder: Path) -> CompiledIndex:
    """Read the index written by :func:`save` (geometries are read separately, lazily)."""
    data = (folder / "index.pkl").read_bytes()
    # Unpickling creates a million small objects, none of them cyclic garbage: pausing the
    # cyclic collector halves the load time.
    enabled = gc.isenabled()
    gc.disable()
    try:
        idx: CompiledIndex = pickle.loads(data)
        idx.id_to_index = {pid: i for i, pid in enumerate(idx.ids)}
    finally:
        if enabled:
            gc.enable()
    # The index lives as long as the process and holds no garbage: moving it to the
    # permanent generation stops every later collection from rescanning it.
    gc.freeze()
    return idx


#: Indexes of other versions are deleted once they have not been written for this long; a
#: younger one may belong to a process running other code (another checkout) right now.
STALE_AFTER_S = 3600.0


def prune(cache_dir: Path, keep: str, stale_after: float = STALE_AFTER_S) -> None:
    """Delete compiled indexes of other versions (stale inputs) from ``cache_dir``.

    An index is left alone while its build lock is held or if it was written recently.
    """
    import shutil
    import time

    from filelock import FileLock, Timeout

    now = time.time()
    for old in cache_dir.glob("index-*"):
        version = old.name.removeprefix("index-")
        if version == keep or not old.is_dir() or now - old.stat().st_mtime < stale_after:
            continue
        try:
            with FileLock(str(cache_dir / f".{version}.lock"), timeout=0):
                shutil.rmtree(old, ignore_errors=True)
        except Timeout:
            continue


def load_geometries(folder: Path) -> dict[int, Any]:
    """The geometries of the index in ``folder``."""
    data: dict[int, Any] = pickle.loads((folder / "geometry.pkl").read_bytes())
    return data
