"""Engines run the per-source stages (:func:`geo.build.process.process_source`) over many sources.

The pipeline asks :func:`get_engine` for one by name and never cares how the work is spread:

- ``serial``: everything in this process, one source after the other;
- ``process``: a process pool over all cores (or ``workers``), one gazetteer per worker;
- ``dask``: a dask.distributed cluster (``scheduler`` address, or a LocalCluster), one
  gazetteer per Dask worker, optionally writing the events as GeoParquet partitions;
- ``auto`` (the pipeline's default): ``serial`` for a handful of sources, where starting a
  pool costs more than it saves, and ``process`` beyond that.

Every engine yields exactly one :class:`~geo.models.SourceResult` per source, in the order of the
input, and its results are identical to the serial engine's: ``process_source`` is a pure
function of the source and the gazetteer, and every worker loads the same gazetteer from the
same :class:`~gazetteer.config.GazetteerConfig`. A source whose processing raises does not stop
the others: every engine yields all the other results, then raises :class:`SourceFailedError`
naming the sources that failed.

The CLI maps ``--engine NAME --workers N --scheduler ADDR`` to
``get_engine(NAME, workers=N, scheduler=ADDR)``.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from gazetteer import Gazetteer
from gazetteer.config import GazetteerConfig
from geo.errors import ConfigError
from geo.models import Source, SourceResult
from geo.build.process import process_source

if TYPE_CHECKING:
    from distributed import Client

#: Below this many sources ``auto`` stays serial. Measured on 2 cores: a forked pool gives its
#: first result after ~40 ms and a report takes ~6 ms, so a pool pays off from ~15 reports;
#: 32 leaves a margin for platforms that spawn workers and load the gazetteer in each.
AUTO_PROCESS_THRESHOLD = 32

#: Sources per Dask task (and per GeoParquet partition) unless ``batch_size`` says otherwise.
DEFAULT_DASK_BATCH = 256

#: Seconds to wait for a remote Dask scheduler before giving up with a ConfigError.
DEFAULT_SCHEDULER_TIMEOUT = 5.0

ENGINE_NAMES: tuple[str, ...] = ("auto", "serial", "process", "dask")


class Engine(Protocol):
    name: str

    def run(self, sources: Sequence[Source], config: GazetteerConfig) -> Iterator[SourceResult]:
        """Yield one result per source, in the order of ``sources``."""
        ...


def available_cpus() -> int:
    """Cores this process may use (respects CPU affinity, e.g. in containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _check_workers(workers: object) -> int | None:
    if workers is None:
        return None
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ConfigError(f"workers must be a positive integer, got {workers!r}")
    return workers


class SourceFailedError(RuntimeError):
    """Some sources raised while being processed; every other result was yielded first.

    Parallel engines do not stop at a failing source: they yield the results of all the
    others, in input order, then raise this naming the ones that failed, so that the caller
    can deal with just those (the pipeline reprocesses them one by one and logs them). It is
    deliberately not a :class:`ConflictmapError`: it reports a bug, not a bad option.
    """

    def __init__(self, failures: list[tuple[str, str]]) -> None:
        self.failures = failures
        first_id, first_error = failures[0]
        more = f" and {len(failures) - 1} more" if len(failures) > 1 else ""
        super().__init__(f"processing {first_id} failed: {first_error}{more}")


class _Failure:
    """What a worker sends back instead of a result when a source raised (always picklable)."""

    __slots__ = ("error", "source_id")

    def __init__(self, source_id: str, error: str) -> None:
        self.source_id = source_id
        self.error = error

    def __reduce__(self) -> tuple[type[_Failure], tuple[str, str]]:
        return (_Failure, (self.source_id, self.error))


def _safe_process(source: Source, gazetteer: Gazetteer) -> SourceResult | _Failure:
    try:
        return process_source(source, gazetteer)
    except Exception as exc:  # reported to the caller through SourceFailedError
        first = (str(exc).splitlines() or [""])[0]
        return _Failure(source.source_id, f"{type(exc).__name__}: {first}")


#: Results between two ``gc.freeze()`` calls while an engine runs (see :func:`_in_order`).
_FREEZE_EVERY = 256


def _in_order(
    outcomes: Iterator[SourceResult | _Failure],
) -> Iterator[SourceResult]:
    """Yield the results, skipping failures, then raise :class:`SourceFailedError` if any.

    The caller keeps every result, so the cyclic garbage collector would traverse an ever
    larger heap of (acyclic) models again and again: at 10,000 reports that cost 10 s of CPU
    in the parent, a quarter of the build. Freezing the heap every few hundred results keeps
    each collection small; everything is unfrozen when the run ends.
    """
    failures: list[tuple[str, str]] = []
    try:
        for n, item in enumerate(outcomes, 1):
            if isinstance(item, _Failure):
                failures.append((item.source_id, item.error))
            else:
                yield item
            if n % _FREEZE_EVERY == 0:
                gc.freeze()
    finally:
        gc.unfreeze()
    if failures:
        raise SourceFailedError(failures)


# --------------------------------------------------------------------------- serial


class SerialEngine:
    """Everything in this process, one source after the other."""

    name = "serial"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    def run(self, sources: Sequence[Source], config: GazetteerConfig) -> Iterator[SourceResult]:
        gaz = self._gazetteer or Gazetteer.load(config)
        yield from _in_order(_safe_process(source, gaz) for source in sources)


# --------------------------------------------------------------------------- process pool

# The gazetteer of a pool worker. Set by the initializer, once per worker process. With the
# "fork" start method a gazetteer the parent already loaded is inherited through this global
# (copy-on-write), so workers start without loading anything.
_worker_gazetteer: Gazetteer | None = None
_worker_config: GazetteerConfig | None = None


def _init_process_worker(config: GazetteerConfig) -> None:
    global _worker_gazetteer, _worker_config
    if _worker_gazetteer is None or _worker_config != config:
        _worker_gazetteer = Gazetteer.load(config)
        _worker_config = config


def _process_one(source: Source) -> SourceResult | _Failure:
    if _worker_gazetteer is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("pool worker has no gazetteer; its initializer did not run")
    return _safe_process(source, _worker_gazetteer)


class ProcessEngine:
    """A process pool over all cores (or ``workers``); one gazetteer per worker process.

    Parameters
    ----------
    workers:
        Number of worker processes; all available cores when None.
    gazetteer:
        A gazetteer already loaded in this process. With the ``fork`` start method (the
        default on Linux) workers inherit it instead of loading their own.
    start_method:
        ``fork``, ``forkserver`` or ``spawn``; the platform default when None.
    chunksize:
        Sources sent to a worker at a time; chosen from the number of sources when None.
    """

    name = "process"

    def __init__(
        self,
        workers: int | None = None,
        gazetteer: Gazetteer | None = None,
        start_method: str | None = None,
        chunksize: int | None = None,
    ) -> None:
        self.workers = _check_workers(workers) or available_cpus()
        self._gazetteer = gazetteer
        if start_method is not None and start_method not in multiprocessing.get_all_start_methods():
            raise ConfigError(
                f"start method {start_method!r} is not available here "
                f"(available: {', '.join(multiprocessing.get_all_start_methods())})"
            )
        self.start_method = start_method
        self.chunksize = _check_workers(chunksize)

    def _chunksize(self, n: int) -> int:
        if self.chunksize:
            return self.chunksize
        # About eight chunks per worker balances the load (reports differ in length) while
        # keeping the per-chunk pickling overhead small.
        return max(1, min(64, n // (self.workers * 8)))

    def run(self, sources: Sequence[Source], config: GazetteerConfig) -> Iterator[SourceResult]:
        global _worker_gazetteer, _worker_config
        if not sources:
            return
        ctx = multiprocessing.get_context(self.start_method)
        gaz = self._gazetteer
        inherit = ctx.get_start_method() == "fork" and gaz is not None
        warm: dict[int, SourceResult | _Failure] = {}
        if inherit and gaz is not None:
            # Process the first source of each language here, before forking: whatever the
            # stages load lazily on first use (geometries, Russian morphology, date parsers,
            # compiled patterns) is then loaded once and shared by every worker, instead of
            # being loaded again, and copied, in each of them.
            first_of: dict[str, int] = {}
            for i, src in enumerate(sources):
                first_of.setdefault(src.language, i)
            for i in sorted(first_of.values()):
                warm[i] = _safe_process(sources[i], gaz)
            # Forked children see this global; the initializer then has nothing to load.
            _worker_gazetteer, _worker_config = gaz, config
            # Move every object the parent has so far into the permanent generation, so the
            # children's garbage collector never writes to them and copy-on-write does not
            # duplicate the gazetteer's pages in every worker (see gc.freeze's docs).
            gc.freeze()
        rest = [s for i, s in enumerate(sources) if i not in warm]
        pool = ProcessPoolExecutor(
            max_workers=max(1, min(self.workers, len(rest))),
            mp_context=ctx,
            initializer=_init_process_worker,
            initargs=(config,),
        )
        try:
            # Executor.map yields in input order whatever order the workers finish in.
            pooled = pool.map(_process_one, rest, chunksize=self._chunksize(len(rest)))
            yield from _in_order(
                warm[i] if i in warm else next(pooled) for i in range(len(sources))
            )
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            if inherit:
                gc.unfreeze()
                _worker_gazetteer, _worker_config = None, None


# --------------------------------------------------------------------------- auto


class AutoEngine:
    """Serial for a few sources, a process pool for many (the pipeline's default)."""

    name = "auto"

    def __init__(
        self,
        workers: int | None = None,
        gazetteer: Gazetteer | None = None,
        threshold: int = AUTO_PROCESS_THRESHOLD,
    ) -> None:
        self.workers = _check_workers(workers) or available_cpus()
        self.threshold = threshold
        self._gazetteer = gazetteer
        self.chosen: str | None = None

    def pick(self, n_sources: int) -> Engine:
        """The engine :meth:`run` uses for ``n_sources`` sources."""
        if self.workers > 1 and n_sources >= self.threshold:
            return ProcessEngine(workers=self.workers, gazetteer=self._gazetteer)
        return SerialEngine(gazetteer=self._gazetteer)

    def run(self, sources: Sequence[Source], config: GazetteerConfig) -> Iterator[SourceResult]:
        engine = self.pick(len(sources))
        self.chosen = engine.name
        yield from engine.run(sources, config)


# --------------------------------------------------------------------------- dask

# One gazetteer per Dask worker, keyed by the worker's id (several in-process workers of a
# LocalCluster(processes=False) share this module, so a plain global would not do).
_dask_gazetteers: dict[tuple[str, str], Gazetteer] = {}
_dask_lock = threading.Lock()


def _dask_worker_gazetteer(config: GazetteerConfig) -> Gazetteer:
    from distributed import get_worker

    try:
        worker_id = get_worker().id
    except ValueError:  # called outside a worker (e.g. dask's synchronous scheduler)
        worker_id = "local"
    key = (worker_id, config.model_dump_json())
    with _dask_lock:
        gaz = _dask_gazetteers.get(key)
        if gaz is None:
            gaz = _dask_gazetteers[key] = Gazetteer.load(config)
    return gaz


def _dask_batch(
    sources: list[Source],
    config: GazetteerConfig,
    partition: str | None,
) -> list[SourceResult | _Failure]:
    """The Dask task: process a batch of sources and optionally write its partition."""
    gaz = _dask_worker_gazetteer(config)
    outcomes = [_safe_process(s, gaz) for s in sources]
    if partition is not None:
        ok = [r for r in outcomes if isinstance(r, SourceResult)]
        write_events_partition(ok, Path(partition))
    return outcomes


_PARTITION_STR_COLUMNS: tuple[str, ...] = (
    "id",
    "event_type",
    "layer",
    "date",
    "date_end",
    "date_precision",
    "status",
    "place",
    "place_id",
    "geo_precision",
    "from_party",
    "to_party",
)


def _events_table(results: Sequence[SourceResult]) -> Any:
    """The events of ``results`` as a GeoParquet-ready Arrow table with a fixed schema.

    The schema is spelled out (not inferred by pandas) so that every partition, an empty one
    included, has the same columns and types, and ``dask_geopandas.read_parquet`` reads the
    folder as one dataset. Geometry is the place's own (WKB, WGS84), null when unplaced.
    """
    import json

    import pyarrow as pa
    import shapely
    from pyproj import CRS
    from shapely.geometry import shape

    cols: dict[str, list[Any]] = {c: [] for c in _PARTITION_STR_COLUMNS}
    for extra in ("actors", "source_ids", "confidence", "corroboration", "source_id"):
        cols[extra] = []
    cols.update(quote=[], start=[], end=[])
    geoms: list[Any] = []
    for res in results:
        places = {p.place_id: p for p in res.places}
        for ev in res.events:
            for col in _PARTITION_STR_COLUMNS:
                cols[col].append(getattr(ev, col))
            cols["actors"].append(list(ev.actors))
            cols["source_ids"].append([s.source_id for s in ev.sources])
            cols["confidence"].append(ev.confidence)
            cols["corroboration"].append(ev.corroboration)
            cols["source_id"].append(res.source.source_id)
            first = ev.sources[0] if ev.sources else None
            cols["quote"].append(first.quote if first else None)
            cols["start"].append(first.start if first else None)
            cols["end"].append(first.end if first else None)
            place = places.get(ev.place_id) if ev.place_id else None
            geoms.append(shape(place.__geo_interface__) if place is not None else None)
    fields = [pa.field(c, pa.string()) for c in _PARTITION_STR_COLUMNS]
    fields += [
        pa.field("actors", pa.list_(pa.string())),
        pa.field("source_ids", pa.list_(pa.string())),
        pa.field("confidence", pa.float64()),
        pa.field("corroboration", pa.int64()),
        pa.field("source_id", pa.string()),
        pa.field("quote", pa.string()),
        pa.field("start", pa.int64()),
        pa.field("end", pa.int64()),
        pa.field("geometry", pa.binary()),
    ]
    cols["geometry"] = list(shapely.to_wkb(geoms)) if geoms else []
    present = [g for g in geoms if g is not None]
    geo = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": sorted({g.geom_type for g in present}),
                "crs": CRS.from_epsg(4326).to_json_dict(),
                **({"bbox": [float(v) for v in shapely.total_bounds(present)]} if present else {}),
            }
        },
    }
    schema = pa.schema(fields, metadata={b"geo": json.dumps(geo).encode("utf-8")})
    return pa.Table.from_pydict(cols, schema=schema)


def write_events_partition(results: Sequence[SourceResult], path: Path) -> Path:
    """Write the events of ``results`` as one GeoParquet file, atomically."""
    import pyarrow.parquet as pq

    table = _events_table(results)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


class DaskEngine:
    """Per-source stages on a dask.distributed cluster; one gazetteer per Dask worker.

    Parameters
    ----------
    scheduler:
        Address of a running scheduler (``tcp://host:8786``); a LocalCluster when None.
        Its workers need conflictmap installed and the gazetteer index reachable.
    workers:
        Workers of the LocalCluster (all cores when None); ignored with ``scheduler``.
    processes:
        LocalCluster workers as processes (True) or threads of this process (False).
    batch_size:
        Sources per task; also the sources per GeoParquet partition.
    partitions:
        A folder to write the per-source events to, one GeoParquet file per batch
        (``part-00000.parquet``, ...), readable with ``dask_geopandas.read_parquet(folder)``.
        The folder holds the sources of this run only: old partitions are removed first.
    timeout:
        Seconds to wait for the scheduler before raising :class:`ConfigError`.
    client:
        An existing ``distributed.Client`` to use (then ``scheduler`` is ignored).
    gazetteer:
        Accepted for symmetry with the other engines and ignored: Dask workers always load
        their own from the config.
    """

    name = "dask"

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int | None = None,
        processes: bool = True,
        batch_size: int = DEFAULT_DASK_BATCH,
        partitions: Path | str | None = None,
        timeout: float = DEFAULT_SCHEDULER_TIMEOUT,
        client: Client | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        try:
            import distributed  # noqa: F401
        except ImportError as exc:
            raise ConfigError(
                "the dask engine needs dask.distributed: pip install 'dask[distributed]' "
                "dask-geopandas"
            ) from exc
        self.scheduler = scheduler
        self.workers = _check_workers(workers)
        self.processes = processes
        self.batch_size = _check_workers(batch_size) or DEFAULT_DASK_BATCH
        self.partitions = Path(partitions) if partitions is not None else None
        self.timeout = timeout
        self._client = client

    def _connect(self) -> tuple[Client, list[Any]]:
        """A client, and the things to close after the run (cluster and client we made)."""
        from distributed import Client, LocalCluster

        if self._client is not None:
            return self._client, []
        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout=self.timeout, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ConfigError(
                    f"cannot reach the Dask scheduler at {self.scheduler!r} within "
                    f"{self.timeout:g} s: {exc}"
                ) from exc
            return client, [client]
        cluster = LocalCluster(
            n_workers=self.workers or available_cpus(),
            threads_per_worker=1,
            processes=self.processes,
            dashboard_address=None,
        )
        client = Client(cluster, set_as_default=False)
        return client, [client, cluster]

    def _prepare_partitions(self) -> None:
        if self.partitions is None:
            return
        self.partitions.mkdir(parents=True, exist_ok=True)
        for old in self.partitions.glob("part-*.parquet"):
            old.unlink()

    @staticmethod
    def _gather_in_order(futures: list[Any]) -> Iterator[SourceResult | _Failure]:
        # Waiting on the futures in submission order keeps the input order; each is released
        # once read so the cluster can forget its result.
        for fut in futures:
            yield from fut.result()
            fut.release()

    def run(self, sources: Sequence[Source], config: GazetteerConfig) -> Iterator[SourceResult]:
        if not sources:
            return
        self._prepare_partitions()
        client, to_close = self._connect()
        # Keys unique to this run: a shared scheduler may hold other builds' batches.
        run_id = uuid.uuid4().hex[:12]
        try:
            futures = []
            for i, start in enumerate(range(0, len(sources), self.batch_size)):
                batch = list(sources[start : start + self.batch_size])
                part = (
                    str(self.partitions.resolve() / f"part-{i:05d}.parquet")
                    if self.partitions is not None
                    else None
                )
                futures.append(
                    client.submit(
                        _dask_batch,
                        batch,
                        config,
                        part,
                        pure=False,
                        key=f"conflictmap-{run_id}-{i}",
                    )
                )
            yield from _in_order(self._gather_in_order(futures))
        finally:
            for thing in to_close:
                thing.close()


# --------------------------------------------------------------------------- registry


def get_engine(name: str = "auto", **options: Any) -> Engine:
    """An engine by name, with its options (``workers``, ``scheduler``, ...).

    Options an engine does not take are ignored when None, so the CLI can always pass
    ``workers=args.workers, scheduler=args.scheduler``; a non-None option the engine cannot
    use is a :class:`ConfigError`.
    """
    accepted: dict[str, set[str]] = {
        "serial": {"gazetteer"},
        "process": {"workers", "gazetteer", "start_method", "chunksize"},
        "auto": {"workers", "gazetteer", "threshold"},
        "dask": {
            "scheduler",
            "workers",
            "processes",
            "batch_size",
            "partitions",
            "timeout",
            "client",
            "gazetteer",
        },
    }
    if name not in accepted:
        raise ConfigError(f"unknown engine {name!r} (known: {', '.join(ENGINE_NAMES)})")
    opts = {k: v for k, v in options.items() if v is not None}
    unknown = sorted(set(opts) - accepted[name])
    if "scheduler" in unknown:
        raise ConfigError(f"a scheduler address is only for the dask engine, not {name!r}")
    if unknown:
        raise ConfigError(f"engine {name!r} does not take {', '.join(unknown)}")
    if name == "serial":
        return SerialEngine(**opts)
    if name == "process":
        return ProcessEngine(**opts)
    if name == "auto":
        return AutoEngine(**opts)
    return DaskEngine(**opts)
