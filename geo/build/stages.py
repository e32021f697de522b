"""The stages of a build, each a function of a small typed state:

- :func:`plan`: discover the sources once, stamp them, and read them, unless the quick
  no-change check finds nothing changed since the last build (:class:`Plan`);
- :func:`reuse`: look every source up in the result cache (:class:`Held`);
- :func:`process`: run the engine on the new and changed sources, one by one in this process
  if the engine broke;
- :func:`merge`: merge the events of all sources into the :class:`~geo.models.BuildResult`
  and its manifest;
- :func:`write`: write every output format, unless nothing they depend on changed;
- :func:`record`: write ``build.json`` and the state of the next quick no-change check
  (:func:`record_unchanged` when the plan found nothing changed).

:func:`geo.build.pipeline.build` runs them in this order under the output folder's lock.
Every stage adds its seconds to ``timings`` (build.json's ``timings``).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from gazetteer.errors import ConflictmapError
from gazetteer.models import Place
from geo.build import memory
from geo.build.cache import ResultCache, cache_key
from geo.build.fingerprints import Keys
from geo.build.layout import MANIFEST_NAME, error_log
from geo.build.options import BuildOptions
from geo.build.outputs import get_writer, write_if_changed
from geo.build.stamps import (
    Stamps,
    quick_manifest,
    record_outputs,
    save_quick_state,
    stamp_inputs,
    unchanged_outputs,
)
from geo.ingest import LoadedSources, find_sources, read_sources
from geo.models import BuildManifest, BuildResult, Source, SourceRecord, SourceResult, content_hash

if TYPE_CHECKING:
    from gazetteer import Gazetteer

#: ``progress(stage, done, total)`` is called as sources are processed.
ProgressCallback = Callable[[str, int, int], None]


# --------------------------------------------------------------------------- plan


@dataclass(slots=True)
class Plan:
    """The sources of a build, or the last build's manifest when nothing changed."""

    #: Stamps of the inputs (None when a path given was unusable: no quick check next time).
    stamps: Stamps | None
    sources: LoadedSources = field(default_factory=LoadedSources)
    #: The last build's manifest, every source reused, when nothing changed since.
    unchanged: BuildManifest | None = None


def plan(
    sources_paths: Sequence[str | Path],
    out: Path,
    options: BuildOptions,
    keys: Keys,
    timings: dict[str, float],
) -> Plan:
    """Discover the sources (once: the stamps and the reading share it) and read them."""
    t = time.perf_counter()
    found = find_sources(sources_paths, exclude=[out])
    # File stamps are taken before any file is read: a file edited while this build
    # reads it gets a new stamp, so the next build looks at it again.
    stamps = stamp_inputs(found)
    if options.use_cache and not options.load_unchanged and stamps is not None:
        unchanged = quick_manifest(out, keys.settings, stamps)
        if unchanged is not None:
            timings["read"] = time.perf_counter() - t
            return Plan(stamps, unchanged=unchanged)
    sources = read_sources(found, max_size=options.max_size)
    timings["read"] = time.perf_counter() - t
    return Plan(stamps, sources)


# --------------------------------------------------------------------------- reuse


@dataclass(slots=True)
class Held:
    """The results a build holds, by source id: reused from the cache or processed now."""

    #: The cache key of every source read.
    keys: dict[str, str]
    #: The sources that have to be processed.
    todo: list[Source] = field(default_factory=list)
    results: dict[str, SourceResult] = field(default_factory=dict)
    #: ``reused`` or ``processed``.
    status: dict[str, str] = field(default_factory=dict)
    #: Sources whose processing raised (skipped, with the reason).
    failed: list[SourceRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def reuse(
    sources: LoadedSources,
    cache: ResultCache,
    keys: Keys,
    options: BuildOptions,
    timings: dict[str, float],
) -> Held:
    """Take every source's result from the cache where it is there; the rest is to do."""
    held = Held(
        keys={
            s.source_id: cache_key(s.content_hash, keys.code, keys.gazetteer)
            for s in sources.sources
        },
        warnings=list(sources.warnings),
    )
    t = time.perf_counter()
    cached = cache.get_many(held.keys.values()) if options.use_cache else {}
    for s in sources.sources:
        hit = cached.get(held.keys[s.source_id])
        if hit is not None:
            # Same content; the path may differ (a moved or copied folder).
            held.results[s.source_id] = hit.model_copy(update={"source": s})
            held.status[s.source_id] = "reused"
        else:
            held.todo.append(s)
    timings["cache"] = time.perf_counter() - t
    return held


# --------------------------------------------------------------------------- process


def process(
    held: Held,
    cache: ResultCache,
    options: BuildOptions,
    gazetteer: Gazetteer | None,
    out: Path,
    progress: ProgressCallback | None,
    timings: dict[str, float],
) -> None:
    """Process ``held.todo`` with the engine; results go to ``held`` and to the cache.

    The gazetteer is loaded here (only when there is something to process) unless given.
    """
    t = time.perf_counter()
    if held.todo:
        from geo.build.engines import get_engine

        if gazetteer is None:
            from gazetteer import Gazetteer

            gazetteer = Gazetteer.load(options.gazetteer_config)
            timings["gazetteer"] += time.perf_counter() - t
            t = time.perf_counter()
        engine = get_engine(options.engine, gazetteer=gazetteer, **options.engine_options())
        if progress:
            progress("process", 0, len(held.todo))
        done = _collector(held, cache, progress)
        try:
            for res in engine.run(held.todo, options.gazetteer_config):
                done(res)
        except ConflictmapError:
            raise  # the engine's own errors (an unreachable scheduler) stop the build
        except Exception:
            # One source broke the engine's run. Process the rest one by one here,
            # so a single pathological article cannot stop the build.
            rest = [s for s in held.todo if s.source_id not in held.results]
            held.failed = _process_one_by_one(rest, gazetteer, out, done)
            held.warnings += [f"{r.path}: {r.reason}" for r in held.failed]
    timings["process"] = time.perf_counter() - t


def _collector(
    held: Held, cache: ResultCache, progress: ProgressCallback | None
) -> Callable[[SourceResult], None]:
    """What to do with each new result: cache it, hold it, count it."""
    n_done = 0
    # Every worker result carries its own copy of each place it uses (a country's
    # outline among them); keep one instance per place so a large corpus holds
    # each geometry once, as results read from the cache already do.
    shared_places: dict[str, Place] = {}

    def done(res: SourceResult) -> None:
        nonlocal n_done
        sid = res.source.source_id
        cache.put(held.keys[sid], res)
        res = res.model_copy(
            update={"places": [shared_places.setdefault(p.place_id, p) for p in res.places]}
        )
        held.results[sid] = res
        held.status[sid] = "processed"
        n_done += 1
        if progress:
            progress("process", n_done, len(held.todo))

    return done


def _process_one_by_one(
    sources: list[Source],
    gazetteer: Gazetteer,
    out: Path,
    done: Callable[[SourceResult], None],
) -> list[SourceRecord]:
    """Process ``sources`` in this process; a source that raises is skipped and logged."""
    from geo.build.process import process_source

    failed = []
    log = error_log(out)
    log.unlink(missing_ok=True)
    errors: list[Exception] = []
    for source in sources:
        try:
            res = process_source(source, gazetteer)
        except Exception as exc:
            errors.append(exc)
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {source.path}\n{traceback.format_exc()}\n")
            first = (str(exc).splitlines() or [""])[0]
            failed.append(
                SourceRecord(
                    path=source.path,
                    source_id=source.source_id,
                    content_hash=source.content_hash,
                    status="skipped",
                    reason=f"internal error while processing ({type(exc).__name__}: {first}); "
                    f"full log: {log}",
                )
            )
            continue
        done(res)
    if len(errors) == len(sources) > 1:
        # Nothing could be processed: a broken installation, not a bad article. Say so
        # instead of writing an empty map.
        raise errors[0]
    return failed


# --------------------------------------------------------------------------- merge


def merge(sources: LoadedSources, held: Held, keys: Keys, timings: dict[str, float]) -> BuildResult:
    """The events of every source merged, their places and mentions, and the manifest."""
    from geo.events.merge import merge_events

    ordered = [held.results[s.source_id] for s in sources.sources if s.source_id in held.results]
    t = time.perf_counter()
    events = merge_events([e for r in ordered for e in r.events])
    places = {p.place_id: p for r in ordered for p in r.places}
    mentions = sorted(
        (m for r in ordered for m in r.mentions), key=attrgetter("source_id", "start", "end")
    )
    timings["merge"] = time.perf_counter() - t

    records = [
        SourceRecord(
            path=s.path,
            source_id=s.source_id,
            content_hash=s.content_hash,
            status="processed" if held.status.get(s.source_id) == "processed" else "reused",
        )
        for s in sources.sources
        if s.source_id in held.results
    ]
    records += sources.skipped + held.failed
    records.sort(key=lambda r: r.path)
    manifest = BuildManifest(
        tool_version=keys.tool_version,
        gazetteer_version=keys.gazetteer_version,
        built_at=dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
        sources=records,
        counts={
            "sources": len(records),
            "processed": sum(r.status == "processed" for r in records),
            "reused": sum(r.status == "reused" for r in records),
            "skipped": sum(r.status == "skipped" for r in records),
            "events": len(events),
            "places": len(places),
            "mentions": len(mentions),
            "warnings": len(held.warnings),
        },
        timings=timings,
        warnings=held.warnings,
    )
    return BuildResult(
        events=events,
        places=[places[k] for k in sorted(places)],
        mentions=mentions,
        sources=[r.source for r in ordered],
        manifest=manifest,
    )


# --------------------------------------------------------------------------- write


def write(
    result: BuildResult,
    held: Held,
    out: Path,
    options: BuildOptions,
    keys: Keys,
    timings: dict[str, float],
) -> list[str]:
    """Write every output format; the names written (relative to ``out``).

    The outputs are a function of the results (their cache keys), the formats and the
    options: when none changed and the files are as we left them, rendering them again
    would only reproduce the same bytes, so a no-op rebuild skips it.
    """
    outputs_key = content_hash(
        keys.code,
        keys.gazetteer,
        json.dumps([(s.source_id, s.path, held.keys[s.source_id]) for s in result.sources]),
        json.dumps(options.formats),
        keys.write_options.model_dump_json(),
    )
    t = time.perf_counter()
    written = unchanged_outputs(out, outputs_key)
    if written is not None:
        timings["write_skipped"] = time.perf_counter() - t
        return written
    written = []
    with memory.paused():
        for fmt in options.formats:
            t = time.perf_counter()
            paths = get_writer(fmt).write(result, out, keys.write_options)
            timings[f"write_{fmt}"] = time.perf_counter() - t
            written += [_rel(p, out) for p in paths]
    record_outputs(out, outputs_key, written)
    return written


def _rel(path: Path, out: Path) -> str:
    try:
        return Path(path).resolve().relative_to(out.resolve()).as_posix()
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- record


def record(
    out: Path,
    result: BuildResult,
    stamps: Stamps | None,
    keys: Keys,
    written: list[str],
    timings: dict[str, float],
    started: float,
) -> None:
    """Write ``build.json``; with ``stamps``, remember them for the next quick check."""
    manifest = result.manifest
    manifest.outputs = sorted(dict.fromkeys([*written, MANIFEST_NAME]))
    _write_manifest(out, manifest, timings, started)
    if stamps is not None:
        save_quick_state(out, keys.settings, stamps, manifest)


def record_unchanged(
    out: Path, manifest: BuildManifest, timings: dict[str, float], started: float
) -> BuildResult:
    """Write the manifest of a build that found nothing changed; the result holds only it."""
    _write_manifest(out, manifest, timings, started)
    return BuildResult(events=[], places=[], mentions=[], sources=[], manifest=manifest)


def _write_manifest(
    out: Path, manifest: BuildManifest, timings: dict[str, float], started: float
) -> None:
    """Stamp the build's timings (its total too) on ``manifest`` and write ``build.json``."""
    timings["total"] = time.perf_counter() - started
    manifest.timings = {k: round(v, 4) for k, v in timings.items()}
    write_if_changed(out / MANIFEST_NAME, manifest.model_dump_json(indent=2) + "\n")
