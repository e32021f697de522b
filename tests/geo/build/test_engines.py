"""Engines: the process pool and Dask give exactly the serial engine's results, in order."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from gazetteer import Gazetteer
from gazetteer.config import GazetteerConfig
from geo.build.engines import (
    AUTO_PROCESS_THRESHOLD,
    AutoEngine,
    DaskEngine,
    Engine,
    ProcessEngine,
    SerialEngine,
    SourceFailedError,
    get_engine,
)
from geo.errors import ConfigError
from geo.models import Source, SourceResult, content_hash
from tests import SEEDS


def _seed_sources() -> list[Source]:
    meta = yaml.safe_load((SEEDS / "sources.yaml").read_text(encoding="utf-8"))
    sources = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        m = meta.get(path.name, {})
        sources.append(
            Source(
                source_id=path.stem,
                path=str(path),
                text=text,
                published=m.get("published"),
                language=m.get("language", "en"),
                title=m.get("title"),
                outlet=m.get("outlet"),
                content_hash=content_hash(text),
            )
        )
    return sources


def _dump(results: list[SourceResult]) -> list[dict[str, object]]:
    return [r.model_dump(mode="json") for r in results]


@pytest.fixture(scope="module")
def config() -> GazetteerConfig:
    return GazetteerConfig()


@pytest.fixture(scope="module")
def gazetteer(config: GazetteerConfig) -> Gazetteer:
    return Gazetteer.load(config)


@pytest.fixture(scope="module")
def sources() -> list[Source]:
    return _seed_sources()


@pytest.fixture(scope="module")
def serial(
    sources: list[Source], gazetteer: Gazetteer, config: GazetteerConfig
) -> list[SourceResult]:
    results = list(SerialEngine(gazetteer=gazetteer).run(sources, config))
    # The comparison below means something only if the seeds give places and events.
    assert sum(len(r.mentions) for r in results) > 0
    assert sum(len(r.events) for r in results) > 0
    return results


def test_serial_yields_one_result_per_source_in_order(
    serial: list[SourceResult], sources: list[Source]
) -> None:
    assert [r.source.source_id for r in serial] == [s.source_id for s in sources]


@pytest.mark.parametrize("inherit", [True, False], ids=["fork-inherits", "worker-loads"])
def test_process_engine_identical_to_serial(
    inherit: bool,
    sources: list[Source],
    gazetteer: Gazetteer,
    config: GazetteerConfig,
    serial: list[SourceResult],
) -> None:
    engine = ProcessEngine(workers=2, gazetteer=gazetteer if inherit else None, chunksize=1)
    # Twice the seeds, so that both workers get work and order must be restored.
    results = list(engine.run(sources + sources, config))
    assert _dump(results) == _dump(serial + serial)


def test_process_engine_uses_all_cores_by_default() -> None:
    from geo.build.engines import available_cpus

    assert ProcessEngine().workers == available_cpus()


def test_auto_is_serial_for_few_sources_and_a_pool_for_many(gazetteer: Gazetteer) -> None:
    auto = AutoEngine(workers=2, gazetteer=gazetteer)
    assert auto.pick(5).name == "serial"
    assert auto.pick(AUTO_PROCESS_THRESHOLD).name == "process"
    assert AutoEngine(workers=1).pick(10_000).name == "serial"


def test_auto_engine_identical_to_serial(
    sources: list[Source],
    gazetteer: Gazetteer,
    config: GazetteerConfig,
    serial: list[SourceResult],
) -> None:
    engine = get_engine("auto", workers=2, gazetteer=gazetteer)
    assert _dump(list(engine.run(sources, config))) == _dump(serial)


def test_get_engine_maps_cli_options() -> None:
    assert get_engine("serial", workers=None, scheduler=None).name == "serial"
    proc = get_engine("process", workers=3, scheduler=None)
    assert isinstance(proc, ProcessEngine) and proc.workers == 3
    dask = get_engine("dask", workers=None, scheduler="tcp://127.0.0.1:8786")
    assert isinstance(dask, DaskEngine) and dask.scheduler == "tcp://127.0.0.1:8786"


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("gpu", {}, "unknown engine 'gpu'"),
        ("process", {"workers": 0}, "workers must be a positive integer"),
        ("serial", {"scheduler": "tcp://x:1"}, "only for the dask engine, not 'serial'"),
        ("auto", {"scheduler": "tcp://x:1"}, "only for the dask engine, not 'auto'"),
        ("serial", {"workers": 2}, "engine 'serial' does not take workers"),
    ],
)
def test_get_engine_rejects_bad_options(
    name: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        get_engine(name, **options)


def test_dask_unreachable_scheduler_is_a_config_error(
    sources: list[Source], config: GazetteerConfig
) -> None:
    # Port 9 (discard) on localhost: nothing listens, so the connection is refused quickly.
    engine = DaskEngine(scheduler="tcp://127.0.0.1:9", timeout=1.0)
    with pytest.raises(ConfigError, match="cannot reach the Dask scheduler"):
        list(engine.run(sources, config))


def test_dask_missing_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes the import fail as if the package were not installed.
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ConfigError, match="needs dask.distributed"):
        DaskEngine()


@pytest.mark.parametrize("processes", [False, True], ids=["threads", "processes"])
def test_dask_local_cluster_identical_to_local_engine(
    processes: bool,
    tmp_path: Path,
    sources: list[Source],
    config: GazetteerConfig,
    serial: list[SourceResult],
) -> None:
    dask_geopandas = pytest.importorskip("dask_geopandas")
    parts = tmp_path / "events.parquet.d"
    (parts).mkdir()
    (parts / "part-00099.parquet").write_bytes(b"stale partition of an older run")
    engine = DaskEngine(workers=1, processes=processes, batch_size=2, partitions=parts)
    results = list(engine.run(sources, config))
    assert _dump(results) == _dump(serial)

    # One partition per batch of two sources: 5 seeds -> 3 partitions; the stale one is gone.
    assert sorted(p.name for p in parts.glob("*.parquet")) == [
        "part-00000.parquet",
        "part-00001.parquet",
        "part-00002.parquet",
    ]
    ddf = dask_geopandas.read_parquet(parts)
    assert ddf.npartitions == 3
    frame = ddf.compute()
    expected = [(r.source.source_id, e.id) for r in serial for e in r.events]
    assert list(zip(frame["source_id"], frame["id"], strict=True)) == expected
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    located = [e.place_id is not None for r in serial for e in r.events]
    assert list(frame.geometry.notna()) == located


def _boom_on_second(original: Any) -> Any:
    def process(source: Source, gazetteer: Gazetteer) -> SourceResult:
        if source.source_id == "001_a2153b96d9194469":
            raise ValueError("malformed\nsecond line")
        return original(source, gazetteer)

    return process


@pytest.mark.parametrize("engine_name", ["serial", "process", "dask"])
def test_a_failing_source_does_not_stop_the_others(
    engine_name: str,
    monkeypatch: pytest.MonkeyPatch,
    sources: list[Source],
    config: GazetteerConfig,
    serial: list[SourceResult],
) -> None:
    import geo.build.engines.base

    # Forked pool workers and in-process Dask workers see the patched module.
    monkeypatch.setattr(
        geo.build.engines.base,
        "process_source",
        _boom_on_second(geo.build.engines.base.process_source),
    )
    engines: dict[str, Engine] = {
        "serial": SerialEngine(),
        "process": ProcessEngine(workers=2, chunksize=1, start_method="fork"),
        "dask": DaskEngine(workers=1, processes=False, batch_size=2),
    }
    engine = engines[engine_name]
    got: list[SourceResult] = []
    with pytest.raises(
        SourceFailedError, match="001_a2153b96d9194469 failed: ValueError: malformed$"
    ):
        for res in engine.run(sources, config):
            got.append(res)
    expected = [r for r in serial if r.source.source_id != "001_a2153b96d9194469"]
    assert _dump(got) == _dump(expected)


def test_dask_partitions_need_a_writer_that_writes_partitions(
    tmp_path: Path, sources: list[Source], config: GazetteerConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.build.engines.dask_cluster

    class CsvOnly:
        name = "parquet"

        def write(self, result: Any, out_dir: Path, options: Any) -> list[Path]:
            return []

    monkeypatch.setattr(geo.build.engines.dask_cluster, "get_writer", lambda fmt: CsvOnly())
    engine = DaskEngine(workers=1, processes=False, partitions=tmp_path / "parts")
    with pytest.raises(ConfigError, match="cannot write partitions"):
        list(engine.run(sources, config))
