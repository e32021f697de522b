"""A SQLite cache of per-source results, keyed by content hash (as sqlite-utils' ``hash_record``).

The key of a result is the hash of the source's text and metadata, the tool version and the
gazetteer version: change any of them and the source is processed again. Nothing else is
needed to decide freshness, so a cache can be copied, shared or deleted at will.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from pydantic import ValidationError

from gazetteer.models import Place
from geo.models import SourceResult, content_hash

#: Entries not used for this long are dropped (the cache of a watched folder otherwise grows
#: by one entry per edit).
_MAX_AGE_SECONDS = 30 * 24 * 3600

#: Bumped whenever the tables change; an older cache file is emptied, not migrated.
_SCHEMA_VERSION = 2

# Places are stored once, by the hash of their JSON, and results refer to them: a country's
# polygon is shared by every article that names the country, and parsing it once per build
# instead of once per article is what keeps a fully cached build fast.
_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS results (
        key TEXT PRIMARY KEY,
        source_id TEXT NOT NULL,
        result TEXT NOT NULL,
        place_keys TEXT NOT NULL,
        last_used REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS places (
        key TEXT PRIMARY KEY,
        place_id TEXT NOT NULL,
        place TEXT NOT NULL,
        last_used REAL NOT NULL
    )""",
]


def cache_key(source_hash: str, tool_version: str, gazetteer_version: str) -> str:
    """The key of a source's result: its content hash plus the versions that made it."""
    return content_hash(source_hash, tool_version, gazetteer_version)


class ResultCache:
    """Results of :func:`geo.build.process.process_source` stored in one SQLite file.

    Use as a context manager; a corrupt cache file is replaced by an empty one (it only
    holds results that can be computed again).
    """

    def __init__(self, path: Path, namespace: str = "") -> None:
        self.path = path
        # Places are keyed by id within a namespace (the gazetteer and code versions): the
        # same id always resolves to the same Place there, so a place is serialised once.
        self.namespace = namespace
        self._known_places: set[str] | None = None
        self._place_keys: dict[str, str] = {}
        self._pending = 0
        self._last_commit = time.monotonic()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:
            path.unlink(missing_ok=True)
            Path(f"{path}-wal").unlink(missing_ok=True)
            Path(f"{path}-shm").unlink(missing_ok=True)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        # WAL with synchronous=NORMAL: a crash may lose the last commits, never the file,
        # and a commit costs no fsync (one per result made the parent the bottleneck).
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
            db.execute("DROP TABLE IF EXISTS results")
            db.execute("DROP TABLE IF EXISTS places")
            db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        for statement in _SCHEMA:
            db.execute(statement)
        db.commit()
        return db

    def place_key(self, place_id: str) -> str:
        """The key of a place in this cache's namespace."""
        key = self._place_keys.get(place_id)
        if key is None:  # (a hash per place and result was a third of put's time)
            key = self._place_keys[place_id] = content_hash(self.namespace, place_id)
        return key

    def _select(self, table: str, column: str, keys: list[str]) -> list[tuple[str, str, str]]:
        rows: list[tuple[str, str, str]] = []
        for i in range(0, len(keys), 500):  # stay under SQLite's variable limit
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows += self._db.execute(
                f"SELECT key, {column} FROM {table} WHERE key IN ({marks})", chunk
            ).fetchall()
        return rows

    def get_many(self, keys: Iterable[str]) -> dict[str, SourceResult]:
        """The cached results among ``keys``; unreadable entries count as missing."""
        rows = self._select("results", "result, place_keys", list(keys))
        wanted = sorted({k for _, _, pk in rows for k in json.loads(pk)})
        places: dict[str, Place] = {}
        for key, raw, _place_id in self._select("places", "place, place_id", wanted):
            try:
                places[key] = Place.model_validate_json(raw)
            except ValidationError:
                continue
        found: dict[str, SourceResult] = {}
        for key, raw, place_keys in rows:
            pkeys = json.loads(place_keys)
            if any(k not in places for k in pkeys):
                continue  # a place went missing: compute again
            try:
                result = SourceResult.model_validate_json(raw)
            except ValidationError:
                continue  # written by an older model: compute again
            found[key] = result.model_copy(update={"places": [places[k] for k in pkeys]})
        if found:
            now = time.time()
            self._db.executemany(
                "UPDATE results SET last_used = ? WHERE key = ?", [(now, k) for k in found]
            )
            self.commit()
        return found

    def put(self, key: str, result: SourceResult) -> None:
        """Store one result. Commits are batched (every second or so, and on close), so an
        interrupted build keeps nearly all its work without a commit per result."""
        now = time.time()
        if self._known_places is None:
            self._known_places = {k for (k,) in self._db.execute("SELECT key FROM places")}
        place_keys = []
        for place in result.places:
            pkey = self.place_key(place.place_id)
            place_keys.append(pkey)
            if pkey in self._known_places:
                continue
            self._db.execute(
                "INSERT OR REPLACE INTO places (key, place_id, place, last_used) "
                "VALUES (?, ?, ?, ?)",
                (pkey, place.place_id, place.model_dump_json(), now),
            )
            self._known_places.add(pkey)
        self._db.execute(
            "INSERT OR REPLACE INTO results (key, source_id, result, place_keys, last_used) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                key,
                result.source.source_id,
                result.model_dump_json(exclude={"places"}),
                json.dumps(place_keys),
                now,
            ),
        )
        self._pending += 1
        if self._pending >= 500 or time.monotonic() - self._last_commit > 1.0:
            self.commit()

    def commit(self) -> None:
        """Write pending results to disk."""
        self._db.commit()
        self._pending = 0
        self._last_commit = time.monotonic()

    def prune(self, max_age: float = _MAX_AGE_SECONDS) -> int:
        """Drop entries not used for ``max_age`` seconds; returns how many."""
        cutoff = time.time() - max_age
        cur = self._db.execute("DELETE FROM results WHERE last_used < ?", (cutoff,))
        if cur.rowcount <= 0:
            self.commit()
            return 0
        # Places no remaining result refers to go too.
        used: set[str] = set()
        for (keys,) in self._db.execute("SELECT place_keys FROM results"):
            used.update(json.loads(keys))
        stale = [(k,) for (k,) in self._db.execute("SELECT key FROM places") if k not in used]
        self._db.executemany("DELETE FROM places WHERE key = ?", stale)
        self._known_places = None
        self.commit()
        return cur.rowcount

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM results").fetchone()[0])

    def close(self) -> None:
        self.commit()
        self._db.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
