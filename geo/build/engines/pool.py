"""The process-pool engine (one gazetteer per worker process), and ``auto``, which picks it or
the serial engine by the number of sources."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from gazetteer import Gazetteer
from gazetteer.config import GazetteerConfig
from geo.build import memory
from geo.build.engines.base import (
    Engine,
    Failure,
    available_cpus,
    check_workers,
    in_order,
    safe_process,
)
from geo.build.engines.serial import SerialEngine
from geo.errors import ConfigError
from geo.models import Source, SourceResult

#: Below this many sources ``auto`` stays serial. Measured on 2 cores: a forked pool gives its
#: first result after ~40 ms and a report takes ~6 ms, so a pool pays off from ~15 reports;
#: 32 leaves a margin for platforms that spawn workers and load the gazetteer in each.
AUTO_PROCESS_THRESHOLD = 32

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


def _process_one(source: Source) -> SourceResult | Failure:
    if _worker_gazetteer is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("pool worker has no gazetteer; its initializer did not run")
    return safe_process(source, _worker_gazetteer)


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
        self.workers = check_workers(workers) or available_cpus()
        self._gazetteer = gazetteer
        if start_method is not None and start_method not in multiprocessing.get_all_start_methods():
            raise ConfigError(
                f"start method {start_method!r} is not available here "
                f"(available: {', '.join(multiprocessing.get_all_start_methods())})"
            )
        self.start_method = start_method
        self.chunksize = check_workers(chunksize)

    def _chunksize(self, n: int) -> int:
        if self.chunksize:
            return self.chunksize
        # About eight chunks per worker balances the load (reports differ in length) while
        # keeping the per-chunk pickling overhead small.
        return max(1, min(64, n // (self.workers * 8)))

    def _warm_up(
        self, sources: Sequence[Source], gaz: Gazetteer, config: GazetteerConfig
    ) -> dict[int, SourceResult | Failure]:
        """Process the first source of each language here, before forking: whatever the
        stages load lazily on first use (geometries, Russian morphology, date parsers,
        compiled patterns) is then loaded once and shared by every worker, instead of being
        loaded again, and copied, in each of them."""
        global _worker_gazetteer, _worker_config
        first_of: dict[str, int] = {}
        for i, src in enumerate(sources):
            first_of.setdefault(src.language, i)
        warm = {i: safe_process(sources[i], gaz) for i in sorted(first_of.values())}
        # Forked children see this global; the initializer then has nothing to load.
        _worker_gazetteer, _worker_config = gaz, config
        return warm

    def run(self, sources: Sequence[Source], config: GazetteerConfig) -> Iterator[SourceResult]:
        global _worker_gazetteer, _worker_config
        if not sources:
            return
        ctx = multiprocessing.get_context(self.start_method)
        gaz = self._gazetteer
        inherit = ctx.get_start_method() == "fork" and gaz is not None
        with memory.HeldHeap() as heap:
            warm: dict[int, SourceResult | Failure] = {}
            if inherit and gaz is not None:
                warm = self._warm_up(sources, gaz, config)
                heap.freeze()  # before forking: see geo.build.memory
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
                yield from in_order(
                    warm[i] if i in warm else next(pooled) for i in range(len(sources))
                )
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                if inherit:
                    _worker_gazetteer, _worker_config = None, None


class AutoEngine:
    """Serial for a few sources, a process pool for many (the pipeline's default)."""

    name = "auto"

    def __init__(
        self,
        workers: int | None = None,
        gazetteer: Gazetteer | None = None,
        threshold: int = AUTO_PROCESS_THRESHOLD,
    ) -> None:
        self.workers = check_workers(workers) or available_cpus()
        self.threshold = threshold
        self._gazetteer = gazetteer

    def pick(self, n_sources: int) -> Engine:
        """The engine :meth:`run` uses for ``n_sources`` sources."""
        if self.workers > 1 and n_sources >= self.threshold:
            return ProcessEngine(workers=self.workers, gazetteer=self._gazetteer)
        return SerialEngine(gazetteer=self._gazetteer)

    def run(self, sources: Sequence[Source], config: GazetteerConfig) -> Iterator[SourceResult]:
        yield from self.pick(len(sources)).run(sources, config)
