"""The compiled index: its in-memory type (:class:`CompiledIndex`) and its on-disk cache.

Layout on disk (one folder ``index-<version>`` per version key, so a change of inputs never
reads stale data):

- ``index.pkl``: the pickled :class:`CompiledIndex`: place columns (ids, names, types,
  countries, coordinates, populations), the postings from name ids to places, the English
  name keys, the Russian lemma index and adjective index;
- ``geometry.pkl``: place geometries, read only when a geometry is first asked for.

English names are looked up two ways: the bulk of them (GeoNames) through a dict of keys,
probed at every capitalised word, because a dict of half a million keys unpickles in a
fraction of a second where a pyahocorasick automaton of the same size takes seconds; and the
curated names (which may start in lower case or with "the") through a small pyahocorasick
automaton built at load time, together with names added at run time.

The version key (:func:`gazetteer.index.build.version_key`) names the folder; the pickle
records this module's class path, so moving :class:`CompiledIndex` needs a new
:data:`~gazetteer.index.build.INDEX_FORMAT`.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, get_args

from gazetteer.errors import GazetteerError
from gazetteer.models import FeatureType
from gazetteer.sources.base import NameKind

log = logging.getLogger(__name__)

#: Feature types by their code in :attr:`CompiledIndex.ftype` (the order of
#: :data:`gazetteer.models.FeatureType`).
FEATURE_TYPES: tuple[str, ...] = get_args(FeatureType)
#: Name kinds by their code in the postings (the order of :data:`gazetteer.sources.base.NameKind`).
KINDS: tuple[str, ...] = get_args(NameKind)
#: Posting flag: the name is an official spelling of the place.
FLAG_PRIMARY = 1
_NON_WORD = re.compile(r"[^\w]")
#: Results :meth:`CompiledIndex.recall` keeps, at most.
_MEMO_MAX = 200_000


def en_key(name: str) -> str:
    """Automaton key of a Latin-script name: non-word characters become spaces (one for
    one, so offsets in the text are kept), padded with a space on either side so matches
    fall on word boundaries."""
    return " " + _NON_WORD.sub(" ", name) + " "


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
    #: last letters (gazetteer.recognize.morphology_ru.ENDING_LEN) of every form of those, of
    #: the adjective lemmas and of the geographic nouns: a longer lower-case token that ends
    #: otherwise needs no morphological analysis
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


Compiler = Callable[[], tuple[CompiledIndex, dict[int, Any]]]


def cached_folder(cache_dir: Path, version: str, compile_index: Compiler) -> Path:
    """The folder of index ``version`` under ``cache_dir``, compiled first if it is missing.

    ``compile_index`` runs at most once across processes (under a file lock); after it, the
    indexes of other versions that are no longer in use are removed (:func:`prune`).
    """
    from filelock import FileLock

    folder = Path(cache_dir) / f"index-{version}"
    if not (folder / "index.pkl").exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(folder.parent / f".{version}.lock")):
            if not (folder / "index.pkl").exists():
                t = time.perf_counter()
                log.info("building gazetteer index %s (first use)", version)
                idx, geoms = compile_index()
                save(folder, idx, geoms)
                prune(folder.parent, version)
                log.info("built gazetteer index in %.1fs", time.perf_counter() - t)
    return folder


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
    """Read the index written by :func:`save` (geometries are read separately, lazily).

    The garbage collector is left as the caller set it: unpickling the index allocates few
    containers (pausing the collector meanwhile saved no measurable time), and whether to
    freeze the loaded index out of later collections is the application's policy.

    Raises :class:`~gazetteer.errors.GazetteerError` when the files cannot be read.
    """
    try:
        idx: CompiledIndex = pickle.loads((folder / "index.pkl").read_bytes())
    except (OSError, EOFError, ValueError) as exc:
        raise GazetteerError(f"cannot read the gazetteer index in {folder}: {exc}") from exc
    idx.id_to_index = {pid: i for i, pid in enumerate(idx.ids)}
    return idx


def load_geometries(folder: Path) -> dict[int, Any]:
    """The geometries of the index in ``folder``."""
    data: dict[int, Any] = pickle.loads((folder / "geometry.pkl").read_bytes())
    return data


#: Indexes of other versions are deleted once they have not been written for this long; a
#: younger one may belong to a process running other code (another checkout) right now.
STALE_AFTER_S = 3600.0


def prune(cache_dir: Path, keep: str, stale_after: float = STALE_AFTER_S) -> None:
    """Delete compiled indexes of other versions (stale inputs) from ``cache_dir``.

    An index is left alone while its build lock is held or if it was written recently.
    """
    import shutil

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
