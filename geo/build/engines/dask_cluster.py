"""The Dask engine: per-source stages on a dask.distributed cluster, one gazetteer per Dask
worker, optionally writing each batch's events as a GeoParquet partition.

The partitions are written by the ``parquet`` writer plugin
(:class:`~geo.build.outputs.PartitionWriter`), which owns the GeoParquet schema: ``geo`` never
imports ``maps``.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gazetteer import Gazetteer
from gazetteer.config import GazetteerConfig
from geo.build.engines.base import Failure, available_cpus, check_workers, in_order, safe_process
from geo.build.outputs import PartitionWriter, get_writer
from geo.errors import ConfigError
from geo.models import Source, SourceResult

if TYPE_CHECKING:
    from distributed import Client

#: Sources per Dask task (and per GeoParquet partition) unless ``batch_size`` says otherwise.
DEFAULT_DASK_BATCH = 256

#: Seconds to wait for a remote Dask scheduler before giving up with a ConfigError.
DEFAULT_SCHEDULER_TIMEOUT = 5.0

#: The writer plugin that writes the partitions.
PARTITION_FORMAT = "parquet"

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
    writer: PartitionWriter | None,
) -> list[SourceResult | Failure]:
    """The Dask task: process a batch of sources and optionally write its partition."""
    gaz = _dask_worker_gazetteer(config)
    outcomes = [safe_process(s, gaz) for s in sources]
    if partition is not None and writer is not None:
        ok = [r for r in outcomes if isinstance(r, SourceResult)]
        writer.write_partition(ok, Path(partition))
    return outcomes


def _partition_writer() -> PartitionWriter:
    writer = get_writer(PARTITION_FORMAT)
    if not isinstance(writer, PartitionWriter):
        raise ConfigError(
            f"the {PARTITION_FORMAT!r} writer ({type(writer).__name__}) cannot write partitions"
        )
    return writer


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
        self.workers = check_workers(workers)
        self.processes = processes
        self.batch_size = check_workers(batch_size) or DEFAULT_DASK_BATCH
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

    def _prepare_partitions(self) -> PartitionWriter | None:
        """The writer of the partitions (None without ``partitions``), old ones removed."""
        if self.partitions is None:
            return None
        writer = _partition_writer()
        self.partitions.mkdir(parents=True, exist_ok=True)
        for old in self.partitions.glob("part-*.parquet"):
            old.unlink()
        return writer

    @staticmethod
    def _gather_in_order(futures: list[Any]) -> Iterator[SourceResult | Failure]:
        # Waiting on the futures in submission order keeps the input order; each is released
        # once read so the cluster can forget its result.
        for fut in futures:
            yield from fut.result()
            fut.release()

    def run(self, sources: Sequence[Source], config: GazetteerConfig) -> Iterator[SourceResult]:
        if not sources:
            return
        writer = self._prepare_partitions()
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
                        writer,
                        pure=False,
                        key=f"conflictmap-{run_id}-{i}",
                    )
                )
            yield from in_order(self._gather_in_order(futures))
        finally:
            for thing in to_close:
                thing.close()
