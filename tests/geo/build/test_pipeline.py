"""The build end to end: incremental reuse counted from build.json, outputs, the lock."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import geo.build.fingerprints
from geo.build.fingerprints import build_date
from geo.build.pipeline import BuildWarnings, build, build_lock
from geo.errors import BuildLockedError, ConfigError

if TYPE_CHECKING:
    from gazetteer import Gazetteer

OUTPUTS = ("events.geojson", "places.geojson", "events.csv", "map.html", "build.json")
CHANGED = "002_f983e600a59fb805"


def _build(src: Path, out: Path, gazetteer: Gazetteer, **kw: Any) -> Any:
    return build([src], out, gazetteer=gazetteer, engine="serial", **kw)


def _manifest(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "build.json").read_text(encoding="utf-8"))
    return data


def _statuses(out: Path) -> dict[str, str]:
    return {s["source_id"]: s["status"] for s in _manifest(out)["sources"]}


def _event_sources(out: Path) -> set[str]:
    fc = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    return {ref["source_id"] for f in fc["features"] for ref in f["properties"]["sources"]}


@pytest.fixture
def first_build(warm_build: tuple[Path, Path]) -> tuple[Path, Path]:
    """Seeds and an output folder as the first build left them (a copy: cheap)."""
    return warm_build


def test_first_build_processes_everything_and_writes_all_outputs(
    prebuilt: tuple[Path, Path],
) -> None:
    src, out = prebuilt
    for name in OUTPUTS:
        assert (out / name).is_file(), name
    m = _manifest(out)
    assert set(_statuses(out).values()) == {"processed"}
    assert m["counts"]["processed"] == 5 and m["counts"]["reused"] == 0
    assert m["counts"]["events"] > 0 and m["counts"]["places"] > 0
    from importlib.metadata import version

    assert m["tool_version"] == version("conflictmap")
    assert m["gazetteer_version"]
    assert all(len(s["content_hash"]) == 64 for s in m["sources"])
    for stage in ("read", "process", "merge", "write_html", "total"):
        assert stage in m["timings"]
    assert set(OUTPUTS) <= set(m["outputs"])
    assert (out / ".cache" / "conflictmap.sqlite").is_file()


def test_rebuild_reuses_everything_and_leaves_outputs_untouched(
    first_build: tuple[Path, Path], gazetteer: Gazetteer
) -> None:
    src, out = first_build
    before = {n: ((out / n).read_bytes(), (out / n).stat().st_mtime_ns) for n in OUTPUTS[:-1]}
    first = _manifest(out)
    time.sleep(0.01)
    _build(src, out, gazetteer)
    m = _manifest(out)
    assert set(_statuses(out).values()) == {"reused"}
    assert m["counts"]["processed"] == 0 and m["counts"]["reused"] == 5
    assert m["counts"]["events"] == first["counts"]["events"]
    for name, (data, mtime) in before.items():
        assert (out / name).read_bytes() == data, name
        assert (out / name).stat().st_mtime_ns == mtime, name
    assert m["timings"]["process"] < max(first["timings"]["process"] / 5, 0.01)


def test_changed_source_is_the_only_one_processed(
    first_build: tuple[Path, Path], gazetteer: Gazetteer
) -> None:
    src, out = first_build
    f = src / f"{CHANGED}.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\nTalks were held in Sochi.\n", encoding="utf-8")
    _build(src, out, gazetteer)
    statuses = _statuses(out)
    assert statuses.pop(CHANGED) == "processed"
    assert set(statuses.values()) == {"reused"}


def test_metadata_change_reprocesses_that_source(
    first_build: tuple[Path, Path], gazetteer: Gazetteer
) -> None:
    src, out = first_build
    manifest = src / "sources.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "published: 2020-10-09", "published: 2020-10-10"
        ),
        encoding="utf-8",
    )
    _build(src, out, gazetteer)
    assert [k for k, v in _statuses(out).items() if v == "processed"] == [CHANGED]


def test_deleted_source_disappears_with_its_events(
    first_build: tuple[Path, Path], gazetteer: Gazetteer
) -> None:
    src, out = first_build
    assert CHANGED in _event_sources(out)
    (src / f"{CHANGED}.txt").unlink()
    _build(src, out, gazetteer)
    assert CHANGED not in _statuses(out)
    assert CHANGED not in _event_sources(out)
    assert set(_statuses(out).values()) == {"reused"}


def test_new_tool_version_reprocesses_everything(
    first_build: tuple[Path, Path], gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = first_build
    monkeypatch.setattr(geo.build.fingerprints, "tool_version", lambda: "99.0")
    _build(src, out, gazetteer)
    assert set(_statuses(out).values()) == {"processed"}
    assert _manifest(out)["tool_version"] == "99.0"


def test_moved_sources_are_reused(
    first_build: tuple[Path, Path], gazetteer: Gazetteer, tmp_path: Path
) -> None:
    src, out = first_build
    moved = shutil.move(src, tmp_path / "moved")
    _build(Path(moved), out, gazetteer)
    assert set(_statuses(out).values()) == {"reused"}
    assert all("moved" in s["path"] for s in _manifest(out)["sources"])


def test_corrupt_cache_is_rebuilt(first_build: tuple[Path, Path], gazetteer: Gazetteer) -> None:
    src, out = first_build
    (out / ".cache" / "conflictmap.sqlite").write_bytes(b"not a database" * 100)
    _build(src, out, gazetteer)
    assert set(_statuses(out).values()) == {"processed"}


def test_bad_inputs_are_skipped_and_the_build_goes_on(
    warm_build: tuple[Path, Path], gazetteer: Gazetteer
) -> None:
    seeds_copy, out = warm_build
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    (seeds_copy / "big.txt").write_text("Clashes near Lachin. " * 1000, encoding="utf-8")
    (seeds_copy / "ru1251.txt").write_bytes(
        "Российские миротворцы размещены в Лачинском коридоре.".encode("cp1251")
    )
    result = _build(seeds_copy, out, gazetteer, max_size=10_000)
    m = _manifest(out)
    statuses = _statuses(out)
    assert statuses["empty"] == statuses["image"] == statuses["big"] == "skipped"
    assert statuses["ru1251"] == "processed"
    reasons = {s["source_id"]: s["reason"] for s in m["sources"] if s["status"] == "skipped"}
    assert "empty" in reasons["empty"] and "binary" in reasons["image"]
    assert "size limit" in reasons["big"]
    assert m["counts"]["skipped"] == 3 and m["counts"]["processed"] == 1
    assert m["counts"]["reused"] == 5
    assert len(m["warnings"]) == 4 and all("\n" not in w for w in m["warnings"])
    assert result.manifest.warnings == m["warnings"]
    for name in OUTPUTS:
        assert (out / name).is_file()


def test_strict_raises_after_writing(
    seeds_copy: Path, tmp_path: Path, gazetteer: Gazetteer
) -> None:
    (seeds_copy / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    with pytest.raises(BuildWarnings) as info:
        _build(seeds_copy, out, gazetteer, strict=True)
    assert info.value.result.manifest.counts["skipped"] == 1
    assert (out / "map.html").is_file() and (out / "build.json").is_file()


def test_extra_formats_and_unknown_format(
    seeds_copy: Path, tmp_path: Path, gazetteer: Gazetteer
) -> None:
    with pytest.raises(ConfigError, match="unknown output format 'shp'"):
        _build(seeds_copy, tmp_path / "out", gazetteer, formats=["geojson", "shp"])
    assert not (tmp_path / "out" / "build.json").exists()  # failed before any work


def test_lock_makes_a_second_build_wait_then_fail(
    seeds_copy: Path, tmp_path: Path, gazetteer: Gazetteer
) -> None:
    out = tmp_path / "out"
    with build_lock(out), pytest.raises(BuildLockedError, match="another build is writing"):
        _build(seeds_copy, out, gazetteer, lock_timeout=0.2)
    assert not (out / "build.json").exists()


def test_lock_waits_for_the_first_build_to_finish(
    warm_build: tuple[Path, Path], gazetteer: Gazetteer
) -> None:
    seeds_copy, out = warm_build
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with build_lock(out):
            held.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    threading.Timer(0.3, release.set).start()
    start = time.perf_counter()
    _build(seeds_copy, out, gazetteer, lock_timeout=10)
    assert time.perf_counter() - start >= 0.25
    t.join(5)
    assert _manifest(out)["counts"]["reused"] == 5


def test_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date() == "2023-11-14"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        build_date()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    import datetime as dt

    assert build_date() == dt.datetime.now(tz=dt.UTC).date().isoformat()


def test_a_source_that_breaks_processing_is_skipped_and_logged(
    warm_build: tuple[Path, Path], gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds_copy, out = warm_build
    import geo.build.engines.base
    import geo.build.process

    real = geo.build.process.process_source

    def fragile(source: Any, gaz: Any) -> Any:
        if "BOOM" in source.text:
            raise ZeroDivisionError("cannot divide the article")
        return real(source, gaz)

    monkeypatch.setattr(geo.build.process, "process_source", fragile)
    monkeypatch.setattr(geo.build.engines.base, "process_source", fragile)
    (seeds_copy / "0_boom.txt").write_text("BOOM in Sochi.", encoding="utf-8")
    (seeds_copy / "0_fine.txt").write_text("Talks in Sochi.", encoding="utf-8")
    _build(seeds_copy, out, gazetteer)
    statuses = _statuses(out)
    assert statuses.pop("0_boom") == "skipped"
    assert statuses.pop("0_fine") == "processed"
    assert set(statuses.values()) == {"reused"} and len(statuses) == 5
    (warning,) = _manifest(out)["warnings"]
    assert "0_boom.txt" in warning and "ZeroDivisionError: cannot divide" in warning
    assert "ZeroDivisionError" in (out / ".cache" / "last-error.log").read_text(encoding="utf-8")


def test_noop_rebuild_skips_rendering_but_restores_a_deleted_output(
    first_build: tuple[Path, Path], gazetteer: Gazetteer
) -> None:
    src, out = first_build
    _build(src, out, gazetteer)  # the copy moved the sources: their paths are in the outputs
    _build(src, out, gazetteer)
    timings = _manifest(out)["timings"]
    assert "write_skipped" in timings and "write_html" not in timings
    (out / "map.html").unlink()
    _build(src, out, gazetteer)
    assert "write_html" in _manifest(out)["timings"] and (out / "map.html").is_file()
    assert set(OUTPUTS) <= set(_manifest(out)["outputs"])


def test_config_fingerprint_follows_boundaries_content(tmp_path: Path) -> None:
    from gazetteer.config import GazetteerConfig
    from geo.build.fingerprints import code_fingerprint, config_fingerprint

    b = tmp_path / "b.geojson"
    b.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    plain = config_fingerprint(GazetteerConfig())
    with_b = config_fingerprint(GazetteerConfig(boundaries=b))
    assert plain != with_b
    b.write_text('{"type": "FeatureCollection", "features": [] }', encoding="utf-8")
    assert config_fingerprint(GazetteerConfig(boundaries=b)) != with_b
    assert config_fingerprint(GazetteerConfig(user_agent="x/1")) == plain
    assert len(code_fingerprint()) == 64


def test_quick_noop_rebuild_reads_nothing_and_notices_every_change(
    first_build: tuple[Path, Path], gazetteer: Gazetteer
) -> None:
    src, out = first_build

    def quick() -> dict[str, Any]:
        result = _build(src, out, gazetteer, load_unchanged=False)
        m = _manifest(out)
        assert result.manifest.counts == m["counts"]
        return m

    quick()  # the copy moved the sources: a full build
    m = quick()
    assert "cache" not in m["timings"] and result_is_manifest_only(src, out, gazetteer)
    assert set(_statuses(out).values()) == {"reused"} and m["counts"]["events"] > 0

    f = src / f"{CHANGED}.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\nClashes near Lachin.\n", encoding="utf-8")
    assert "cache" in quick()["timings"]
    assert _statuses(out)[CHANGED] == "processed"

    assert "cache" not in quick()["timings"]
    (src / "sources.yaml").write_text(
        (src / "sources.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert "cache" in quick()["timings"]

    (out / "events.csv").write_text("edited by hand", encoding="utf-8")
    assert "cache" in quick()["timings"]
    assert (out / "events.csv").read_text(encoding="utf-8").startswith("event_date")

    (src / "new.txt").write_text("Talks were held in Sochi.", encoding="utf-8")
    quick()
    assert _statuses(out)["new"] == "processed"


def result_is_manifest_only(src: Path, out: Path, gazetteer: Gazetteer) -> bool:
    result = _build(src, out, gazetteer, load_unchanged=False)
    return result.events == [] and result.sources == [] and result.manifest.counts["reused"] > 0


def test_when_no_source_can_be_processed_the_build_fails(
    warm_build: tuple[Path, Path], gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.build.engines.base
    import geo.build.process

    def broken(source: Any, gaz: Any) -> Any:
        raise ImportError("a broken installation")

    monkeypatch.setattr(geo.build.process, "process_source", broken)
    monkeypatch.setattr(geo.build.engines.base, "process_source", broken)
    src, out = warm_build
    for name in ("a", "b"):
        (src / f"0_{name}.txt").write_text(f"Talks {name} in Sochi.", encoding="utf-8")
    with pytest.raises(ImportError, match="broken installation"):
        _build(src, out, gazetteer)


def test_a_rebuild_with_nothing_to_process_never_loads_the_gazetteer(
    first_build: tuple[Path, Path], gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gazetteer import Gazetteer as GazetteerClass

    src, out = first_build
    assert GazetteerClass.version_of() == gazetteer.version
    build([src], out, engine="serial")  # settle the cache after the copy

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the gazetteer was loaded for a no-op rebuild")

    monkeypatch.setattr(GazetteerClass, "load", refuse)
    build([src], out, engine="serial")
    build([src], out, engine="serial", load_unchanged=False)
    assert set(_statuses(out).values()) == {"reused"}


def test_options_as_a_model_or_as_fields(
    first_build: tuple[Path, Path], gazetteer: Gazetteer
) -> None:
    from geo.build.options import BuildOptions

    src, out = first_build
    options = BuildOptions(engine="serial", formats=["geojson", "csv", "geojson"])
    assert options.formats == ["geojson", "csv"]
    result = build([src], out, options, gazetteer=gazetteer, strict=False)
    assert result.manifest.counts["sources"] == 5
    with pytest.raises(ConfigError, match="engine"):
        build([src], out, gazetteer=gazetteer, engine="gpu")
    with pytest.raises(ConfigError, match="colour"):
        build([src], out, options, gazetteer=gazetteer, colour="red")


def test_sources_are_discovered_once_per_build(
    first_build: tuple[Path, Path], gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.ingest.discovery

    src, out = first_build
    calls: list[object] = []
    real = geo.ingest.discovery.discover

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(geo.ingest.discovery, "discover", counting)
    _build(src, out, gazetteer, load_unchanged=False)  # full: stamps and reads
    assert len(calls) == 1
    _build(src, out, gazetteer, load_unchanged=False)  # quick: nothing changed
    assert len(calls) == 2 and "cache" not in _manifest(out)["timings"]
