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
    """Results of :func:`geo.process.process_source` stored in one SQLite file.

    Use as a context manager; a corrupt cache file is replaced by an empty one (it only
    holds results that can be computed again).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:
            path.unlink(missing_ok=True)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
            db.execute("DROP TABLE IF EXISTS results")
            db.execute("DROP TABLE IF EXISTS places")
            db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        for statement in _SCHEMA:
            db.execute(statement)
        db.commit()
        return db

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
            self._db.executemany(
                "UPDATE places SET last_used = ? WHERE key = ?", [(now, k) for k in places]
            )
            self._db.commit()
        return found

    def put(self, key: str, result: SourceResult) -> None:
        """Store one result (committed at once, so an interrupted build keeps its work)."""
        now = time.time()
        place_keys = []
        for place in result.places:
            raw = place.model_dump_json()
            pkey = content_hash(raw)
            place_keys.append(pkey)
            # Same key, same content: an existing row only needs touching, not rewriting.
            self._db.execute(
                "INSERT OR IGNORE INTO places (key, place_id, place, last_used) "
                "VALUES (?, ?, ?, ?)",
                (pkey, place.place_id, raw, now),
            )
            self._db.execute("UPDATE places SET last_used = ? WHERE key = ?", (now, pkey))
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
        self._db.commit()

    def prune(self, max_age: float = _MAX_AGE_SECONDS) -> int:
        """Drop entries not used for ``max_age`` seconds; returns how many."""
        cutoff = time.time() - max_age
        cur = self._db.execute("DELETE FROM results WHERE last_used < ?", (cutoff,))
        # A place in use was touched when its result was read, so age alone is safe here.
        self._db.execute("DELETE FROM places WHERE last_used < ?", (cutoff,))
        self._db.commit()
        return cur.rowcount

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM results").fetchone()[0])

    def close(self) -> None:
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
