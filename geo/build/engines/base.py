"""What every engine shares: the :class:`Engine` protocol, failure reporting, worker counts.

A source whose processing raises does not stop the others: a worker sends back a
:class:`Failure` instead of a result, :func:`in_order` yields every other result and then
raises :class:`SourceFailedError` naming the sources that failed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Protocol

from gazetteer import Gazetteer
from gazetteer.config import GazetteerConfig
from geo.build import memory
from geo.build.process import process_source
from geo.errors import ConfigError
from geo.models import Source, SourceResult


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


def check_workers(workers: object) -> int | None:
    """``workers`` (or another count) as a positive int, None when not given."""
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


class Failure:
    """What a worker sends back instead of a result when a source raised (always picklable)."""

    __slots__ = ("error", "source_id")

    def __init__(self, source_id: str, error: str) -> None:
        self.source_id = source_id
        self.error = error

    def __reduce__(self) -> tuple[type[Failure], tuple[str, str]]:
        return (Failure, (self.source_id, self.error))


def safe_process(source: Source, gazetteer: Gazetteer) -> SourceResult | Failure:
    """:func:`~geo.build.process.process_source`, with an exception turned into a Failure."""
    try:
        return process_source(source, gazetteer)
    except Exception as exc:  # reported to the caller through SourceFailedError
        first = (str(exc).splitlines() or [""])[0]
        return Failure(source.source_id, f"{type(exc).__name__}: {first}")


def in_order(outcomes: Iterator[SourceResult | Failure]) -> Iterator[SourceResult]:
    """Yield the results, skipping failures, then raise :class:`SourceFailedError` if any.

    The caller keeps every result: they are frozen out of the collector's sight as they come
    (:meth:`geo.build.memory.HeldHeap.one_more`).
    """
    failures: list[tuple[str, str]] = []
    with memory.HeldHeap() as held:
        for item in outcomes:
            if isinstance(item, Failure):
                failures.append((item.source_id, item.error))
            else:
                yield item
            held.one_more()
    if failures:
        raise SourceFailedError(failures)
