"""The SQLite result cache on its own: keys, round trips, corruption, pruning."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from geo.build.cache import ResultCache, cache_key
from geo.models import Event, Source, SourceRef, SourceResult


def _result(sid: str = "a") -> SourceResult:
    src = Source(source_id=sid, path=f"{sid}.txt", text="Clashes near Lachin.", content_hash="h")
    ev = Event(
        event_type="clash",
        layer="clashes",
        sources=[SourceRef(source_id=sid, quote="Clashes near Lachin.", start=0, end=20)],
    )
    return SourceResult(source=src, events=[ev])


def test_key_depends_on_content_tool_and_gazetteer() -> None:
    base = cache_key("h", "0.1", "g1")
    assert base == cache_key("h", "0.1", "g1")
    assert len({base, cache_key("h2", "0.1", "g1"), cache_key("h", "0.2", "g1"),
                cache_key("h", "0.1", "g2")}) == 4  # fmt: skip


def test_round_trip_and_missing_keys(tmp_path: Path) -> None:
    path = tmp_path / "c" / "cache.sqlite"
    with ResultCache(path) as cache:
        cache.put("k1", _result())
        assert len(cache) == 1
    with ResultCache(path) as cache:
        got = cache.get_many(["k1", "k2"])
    assert list(got) == ["k1"] and got["k1"] == _result()


def test_unreadable_entry_counts_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with ResultCache(path) as cache:
        cache.put("k1", _result())
    db = sqlite3.connect(path)
    db.execute("UPDATE results SET result = '{\"old\": 1}'")
    db.commit()
    db.close()
    with ResultCache(path) as cache:
        assert cache.get_many(["k1"]) == {}


def test_corrupt_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"garbage" * 1000)
    with ResultCache(path) as cache:
        assert len(cache) == 0
        cache.put("k", _result())
        assert len(cache) == 1


def test_prune_drops_old_entries(tmp_path: Path) -> None:
    with ResultCache(tmp_path / "cache.sqlite") as cache:
        cache.put("old", _result("old"))
        cache.put("new", _result("new"))
        cache._db.execute("UPDATE results SET last_used = 0 WHERE key = 'old'")
        assert cache.prune() == 1
        assert list(cache.get_many(["old", "new"])) == ["new"]


def test_many_keys_beyond_sqlite_variable_limit(tmp_path: Path) -> None:
    with ResultCache(tmp_path / "cache.sqlite") as cache:
        cache.put("k0", _result())
        keys = [f"k{i}" for i in range(1200)]
        assert list(cache.get_many(keys)) == ["k0"]


def test_places_are_stored_once_and_pruned_with_their_results(tmp_path: Path) -> None:
    from gazetteer.models import Place

    sochi = Place(
        place_id="geonames:491422", name="Sochi", feature_type="locality", lat=43.6, lon=39.7,
        dataset="geonames",
    )  # fmt: skip
    with ResultCache(tmp_path / "cache.sqlite", namespace="v1") as cache:
        for sid in ("a", "b"):
            cache.put(sid, _result(sid).model_copy(update={"places": [sochi]}))
        assert cache._db.execute("SELECT count(*) FROM places").fetchone()[0] == 1
        got = cache.get_many(["a", "b"])
        assert got["a"].places == [sochi] and got["b"].places[0] is got["a"].places[0]
        cache._db.execute("UPDATE results SET last_used = 0")
        assert cache.prune() == 2
        assert cache._db.execute("SELECT count(*) FROM places").fetchone()[0] == 0
    with ResultCache(tmp_path / "cache.sqlite", namespace="v2") as cache:
        assert cache.place_key(sochi.place_id) != ResultCache(
            tmp_path / "x.sqlite", "v1"
        ).place_key(sochi.place_id)
