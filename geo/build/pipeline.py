"""The build: sources in, merged events and output files out, reusing what has not changed.

:func:`build` is the library entry point the CLI and watch mode call::

    from geo.build.pipeline import build
    result = build(["seeds"], "out")
    print(result.manifest.counts)

Its options are a :class:`~geo.build.options.BuildOptions` (or its fields as keyword
arguments). The build runs the stages of :mod:`geo.build.stages` (plan → reuse → process →
merge → write → record) with the output folder locked for the whole build, so two builds into
the same folder never interleave, and with the garbage collector's policy of
:mod:`geo.build.memory`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout

from gazetteer.errors import ConflictmapError
from geo.build import memory, stages
from geo.build.cache import ResultCache
from geo.build.fingerprints import make_keys
from geo.build.layout import CACHE_NAME, LOCK_NAME, state_dir
from geo.build.options import DEFAULT_LOCK_TIMEOUT, BuildOptions, build_options
from geo.build.outputs import get_writer
from geo.build.stages import ProgressCallback
from geo.errors import BuildLockedError
from geo.models import BuildResult

if TYPE_CHECKING:
    from gazetteer import Gazetteer


class BuildWarnings(ConflictmapError, RuntimeError):
    """A ``strict`` build had warnings. The outputs were written; ``result`` holds them."""

    def __init__(self, result: BuildResult) -> None:
        self.result = result
        n = len(result.manifest.warnings)
        super().__init__(f"{n} warning{'s' if n != 1 else ''} in a strict build")


@contextmanager
def build_lock(out_dir: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[FileLock]:
    """Hold the lock of ``out_dir``; raise :class:`BuildLockedError` after ``timeout`` s."""
    lock_path = state_dir(out_dir) / LOCK_NAME
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path)
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise BuildLockedError(
            f"another build is writing to {out_dir} (waited {timeout:g}s for {lock_path}); "
            "wait for it to finish or use another --out folder"
        ) from exc
    try:
        yield lock
    finally:
        lock.release()


def build(
    sources_paths: Sequence[str | Path] | str | Path,
    out_dir: str | Path = "out",
    options: BuildOptions | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    progress: ProgressCallback | None = None,
    **settings: Any,
) -> BuildResult:
    """Build the maps and data files of ``sources_paths`` into ``out_dir``.

    Parameters
    ----------
    sources_paths:
        Files or folders (searched recursively) of ``.txt``, ``.md`` and ``.html`` sources.
    out_dir:
        Output folder; created if missing. Its ``.cache/`` holds the result cache and lock.
    options:
        The build's options (formats, engine, strict, ...); the defaults when None.
    gazetteer:
        An already loaded gazetteer (tests, watch mode); loaded from
        ``options.gazetteer_config`` otherwise, and only if a source has to be processed.
    progress:
        Called as ``progress(stage, done, total)`` while sources are processed.
    settings:
        Fields of :class:`~geo.build.options.BuildOptions` over ``options``
        (``build(["seeds"], "out", engine="serial")``); a bad value is a ConfigError.

    Returns
    -------
    BuildResult
        Events, places, mentions, sources and the manifest that was written to build.json.
        With ``load_unchanged=False``, a build that finds nothing changed (same files by size
        and modification time, same settings, outputs untouched) returns only the manifest.

    Raises
    ------
    BuildWarnings
        With ``strict``, after writing everything, if there was any warning.
    """
    if isinstance(sources_paths, str | Path):
        sources_paths = [sources_paths]  # one path, not a sequence of characters
    out = Path(out_dir)
    opts = build_options(options, **settings)
    for fmt in opts.formats:
        get_writer(fmt)  # fail before any work on an unknown format
    timings: dict[str, float] = {}
    started = time.perf_counter()

    with build_lock(out, opts.lock_timeout), memory.HeldHeap() as heap:
        keys = make_keys(sources_paths, opts, gazetteer, timings)
        plan = stages.plan(sources_paths, out, opts, keys, timings)
        if plan.unchanged is not None:
            result = stages.record_unchanged(out, plan.unchanged, timings, started)
        else:
            heap.freeze()  # the sources read
            cache_path = state_dir(out) / CACHE_NAME
            with ResultCache(cache_path, namespace=f"{keys.code}|{keys.gazetteer}") as cache:
                held = stages.reuse(plan.sources, cache, keys, opts, timings)
                stages.process(held, cache, opts, gazetteer, out, progress, timings)
                cache.prune()
            heap.freeze()  # the results
            result = stages.merge(plan.sources, held, keys, timings)
            written = stages.write(result, held, out, opts, keys, timings)
            # Failed sources must be tried again: no quick no-change check after them.
            stamps = plan.stamps if not held.failed else None
            stages.record(out, result, stamps, keys, written, timings, started)

    if opts.strict and result.manifest.warnings:
        raise BuildWarnings(result)
    return result
