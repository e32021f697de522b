"""Engines run the per-source stages (:func:`geo.build.process.process_source`) over many sources.

The pipeline asks :func:`get_engine` for one by name and never cares how the work is spread:

- ``serial`` (:mod:`.serial`): everything in this process, one source after the other;
- ``process`` (:mod:`.pool`): a process pool over all cores (or ``workers``), one gazetteer per
  worker;
- ``dask`` (:mod:`.dask_cluster`): a dask.distributed cluster (``scheduler`` address, or a
  LocalCluster), one gazetteer per Dask worker, optionally writing the events as GeoParquet
  partitions;
- ``auto`` (:mod:`.pool`, the pipeline's default): ``serial`` for a handful of sources, where
  starting a pool costs more than it saves, and ``process`` beyond that.

Every engine yields exactly one :class:`~geo.models.SourceResult` per source, in the order of the
input, and its results are identical to the serial engine's: ``process_source`` is a pure
function of the source and the gazetteer, and every worker loads the same gazetteer from the
same :class:`~gazetteer.config.GazetteerConfig`. A source whose processing raises does not stop
the others: every engine yields all the other results, then raises :class:`SourceFailedError`
naming the sources that failed (:mod:`.base`).
"""

from __future__ import annotations

import inspect
from typing import Any

from geo.build.engines.base import Engine, SourceFailedError, available_cpus
from geo.build.engines.dask_cluster import DaskEngine
from geo.build.engines.pool import AUTO_PROCESS_THRESHOLD, AutoEngine, ProcessEngine
from geo.build.engines.serial import SerialEngine
from geo.build.options import ENGINE_NAMES
from geo.errors import ConfigError

#: The engines by name (:data:`geo.build.options.ENGINE_NAMES`); the options each takes are
#: the parameters of its constructor.
ENGINES: dict[str, type[Engine]] = {
    "auto": AutoEngine,
    "serial": SerialEngine,
    "process": ProcessEngine,
    "dask": DaskEngine,
}


def get_engine(name: str = "auto", **options: Any) -> Engine:
    """An engine by name, with its options (``workers``, ``scheduler``, ...).

    Options an engine does not take are ignored when None, so a caller can always pass
    ``workers=..., scheduler=...``; a non-None option the engine cannot use is a
    :class:`ConfigError`.
    """
    cls = ENGINES.get(name)
    if cls is None:
        raise ConfigError(f"unknown engine {name!r} (known: {', '.join(ENGINE_NAMES)})")
    opts = {k: v for k, v in options.items() if v is not None}
    unknown = sorted(set(opts) - set(inspect.signature(cls).parameters))
    if "scheduler" in unknown:
        raise ConfigError(f"a scheduler address is only for the dask engine, not {name!r}")
    if unknown:
        raise ConfigError(f"engine {name!r} does not take {', '.join(unknown)}")
    return cls(**opts)


__all__ = [
    "AUTO_PROCESS_THRESHOLD",
    "AutoEngine",
    "DaskEngine",
    "Engine",
    "ProcessEngine",
    "SerialEngine",
    "SourceFailedError",
    "available_cpus",
    "get_engine",
]
