"""A SQLite cache of per-source results, keyed by content hash (as sqlite-utils' ``hash_record``).

The key of a result is the hash of the source's text and metadata, the tool version and the
gazetteer version: change any of them and the source is processed again. Nothing else is
needed to decide freshness, so a cache can be copied, shared or deleted at will.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from pydantic import ValidationError

from geo.models import SourceResult, content_hash

#: Entries not used for this long are dropped (the cache of a watched folder otherwise grows
#: by one entry per edit).
_MAX_AGE_SECONDS = 30 * 24 * 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    source_id TEXT NOT NULL,
    result TEXT NOT NULL,
    last_used REAL NOT NULL
)
"""


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
        db.execute(_SCHEMA)
        db.commit()
        return db

    def get_many(self, keys: Iterable[str]) -> dict[str, SourceResult]:
        """The cached results among ``keys``; unreadable entries count as missing."""
        keys = list(keys)
        found: dict[str, SourceResult] = {}
        for i in range(0, len(keys), 500):  # stay under SQLite's variable limit
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, result FROM results WHERE key IN ({marks})", chunk
            ).fetchall()
            for key, raw in rows:
                try:
                    found[key] = SourceResult.model_validate_json(raw)
                except ValidationError:
                    continue  # written by an older model: compute again
        if found:
            now = time.time()
            self._db.executemany(
                "UPDATE results SET last_used = ? WHERE key = ?", [(now, k) for k in found]
            )
            self._db.commit()
        return found

    def put(self, key: str, result: SourceResult) -> None:
        """Store one result (committed at once, so an interrupted build keeps its work)."""
        self._db.execute(
            "INSERT OR REPLACE INTO results (key, source_id, result, last_used) VALUES (?, ?, ?, ?)",
            (key, result.source.source_id, result.model_dump_json(), time.time()),
        )
        self._db.commit()

    def prune(self, max_age: float = _MAX_AGE_SECONDS) -> int:
        """Drop entries not used for ``max_age`` seconds; returns how many."""
        cur = self._db.execute("DELETE FROM results WHERE last_used < ?", (time.time() - max_age,))
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
