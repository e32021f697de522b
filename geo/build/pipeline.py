"""The build: sources in, merged events and output files out, reusing what has not changed.

:func:`build` is the library entry point the CLI and watch mode call::

    from geo.build.pipeline import build
    result = build(["seeds"], "out")
    print(result.manifest.counts)

Stages: read sources → look them up in the result cache (content hash + tool version +
gazetteer version) → run the engine on new or changed sources only → merge the events of all
sources → write every output format atomically and only when its content changed → write
``build.json``. The output folder is locked for the whole build, so two builds into the same
folder never interleave.
"""

from __future__ import annotations

import datetime as dt
import gc
import glob
import hashlib
import json
import os
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock, Timeout

from gazetteer.config import GazetteerConfig
from gazetteer.errors import ConflictmapError
from gazetteer.models import Place
from geo.build.layout import CACHE_NAME, LOCK_NAME, MANIFEST_NAME, error_log, state_dir
from geo.build.cache import ResultCache, cache_key
from geo.errors import BuildLockedError, ConfigError
from geo.models import (
    BuildManifest,
    BuildResult,
    Event,
    Source,
    SourceRecord,
    SourceResult,
    content_hash,
)
from geo.build.outputs import DEFAULT_FORMATS, WriteOptions, get_writer, write_if_changed
from geo.ingest.sources import DEFAULT_MAX_SIZE, load_sources

if TYPE_CHECKING:
    from gazetteer import Gazetteer


#: Seconds a build waits for another build on the same output folder before giving up.
DEFAULT_LOCK_TIMEOUT = 120.0

#: ``progress(stage, done, total)`` is called as sources are processed.
ProgressCallback = Callable[[str, int, int], None]


class BuildWarnings(ConflictmapError, RuntimeError):
    """A ``strict`` build had warnings. The outputs were written; ``result`` holds them."""

    def __init__(self, result: BuildResult) -> None:
        self.result = result
        n = len(result.manifest.warnings)
        super().__init__(f"{n} warning{'s' if n != 1 else ''} in a strict build")


@cache
def tool_version() -> str:
    """The installed version of conflictmap (pyproject.toml is the single source of truth)."""
    try:
        return version("conflictmap")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


#: The packages whose code and data decide what a build produces.
_CODE_PACKAGES = ("gazetteer", "geo", "maps")


@cache
def code_fingerprint() -> str:
    """A hash of the installed code and package data of conflictmap.

    Part of every cache key alongside :func:`tool_version`: in an editable install (and
    between releases) the code changes while the version does not, and a cached result or
    an unchanged map must never hide that change.
    """
    import importlib.util

    h = hashlib.sha256()
    for name in _CODE_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for root in map(Path, spec.submodule_search_locations):
            for f in sorted(root.rglob("*")):
                if not f.is_file() or "__pycache__" in f.parts or f.suffix in {".pyc", ".pyo"}:
                    continue
                h.update(f"{name}/{f.relative_to(root).as_posix()}".encode())
                h.update(f.read_bytes())
    return h.hexdigest()


def config_fingerprint(config: GazetteerConfig) -> str:
    """A hash of the gazetteer options that change results, including the boundaries file's
    content (and a shapefile's sidecar files)."""
    h = hashlib.sha256(config.model_dump_json(exclude={"cache_dir", "user_agent"}).encode())
    if config.boundaries is not None:
        b = Path(config.boundaries)
        files = sorted(b.parent.glob(f"{glob.escape(b.stem)}.*")) if b.suffix == ".shp" else [b]
        for f in files:
            h.update(f.name.encode())
            try:
                h.update(f.read_bytes())
            except OSError:
                h.update(b"missing")
    return h.hexdigest()[:16]


def build_date(now: dt.datetime | None = None) -> str:
    """The date stamped on outputs: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else
    today's UTC date. Day precision, so rebuilds on the same day are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError) as exc:
            raise ConfigError(
                f"SOURCE_DATE_EPOCH must be an integer Unix time, got {epoch!r}"
            ) from exc
    return (now or dt.datetime.now(tz=dt.UTC)).date().isoformat()


@contextmanager
def build_lock(out_dir: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Any:
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


@contextmanager
def _heap_frozen_until_exit() -> Any:
    """Unfreeze the garbage collector's heap on exit; the build freezes it as it goes.

    The sources and results a build holds are many small acyclic objects that live until it
    returns: a full collection walks all of them (about 1 s per collection at 10,000
    reports), and merging and writing trigger several. ``gc.freeze()`` after each stage that
    creates them moves them out of the collector's sight; on exit they are handed back.
    """
    try:
        yield
    finally:
        gc.unfreeze()


def _resolve_formats(formats: Iterable[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(formats if formats is not None else DEFAULT_FORMATS))
    for fmt in chosen:
        get_writer(fmt)  # fail before any work on an unknown format
    return chosen


def _merge(events: list[Event]) -> list[Event]:
    from geo.events.merge import merge_events

    return merge_events(events)


def build(
    sources_paths: Sequence[str | Path] | str | Path,
    out_dir: str | Path = "out",
    *,
    formats: Iterable[str] | None = None,
    gazetteer_config: GazetteerConfig | None = None,
    engine: str = "auto",
    engine_options: dict[str, Any] | None = None,
    strict: bool = False,
    max_size: int | None = DEFAULT_MAX_SIZE,
    online_assets: bool = False,
    title: str = "conflictmap",
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    use_cache: bool = True,
    progress: ProgressCallback | None = None,
    gazetteer: Gazetteer | None = None,
    load_unchanged: bool = True,
) -> BuildResult:
    """Build the maps and data files of ``sources_paths`` into ``out_dir``.

    Parameters
    ----------
    sources_paths:
        Files or folders (searched recursively) of ``.txt``, ``.md`` and ``.html`` sources.
    out_dir:
        Output folder; created if missing. Its ``.cache/`` holds the result cache and lock.
    formats:
        Output formats (writer plugin names); ``geojson``, ``csv`` and ``html`` by default.
    gazetteer_config:
        How to load the gazetteer (user boundaries, online fallback).
    engine, engine_options:
        Which engine runs the per-source stages (``auto``, ``serial``, ``process``, ``dask``)
        and its options (``workers``, ``scheduler``).
    strict:
        Raise :class:`BuildWarnings` (after writing everything) if there was any warning.
    max_size:
        Sources larger than this many bytes are skipped; None for no limit.
    lock_timeout:
        Seconds to wait for another build on the same folder (:class:`BuildLockedError`).
    use_cache:
        False processes every source again (the cache is still refreshed).
    progress:
        Called as ``progress(stage, done, total)`` while sources are processed.
    gazetteer:
        An already loaded gazetteer (tests, watch mode); loaded from the config otherwise.
    load_unchanged:
        False lets a build that finds nothing changed (same files by size and modification
        time, same settings, outputs untouched) skip reading, merging and writing: it then
        returns only the manifest, with empty ``events``, ``places``, ``mentions`` and
        ``sources``. The CLI and watch mode use this; it makes a no-op rebuild of thousands
        of sources take about as long as loading the gazetteer.

    Returns
    -------
    BuildResult
        Events, places, mentions, sources and the manifest that was written to build.json.
    """
    if isinstance(sources_paths, str | Path):
        sources_paths = [sources_paths]  # one path, not a sequence of characters
    out = Path(out_dir)
    config = gazetteer_config or GazetteerConfig()
    chosen = _resolve_formats(formats)
    timings: dict[str, float] = {}
    t_start = time.perf_counter()

    with build_lock(out, lock_timeout), _heap_frozen_until_exit():
        t = time.perf_counter()
        from gazetteer import Gazetteer

        # The version alone tells whether cached results still hold; the gazetteer itself is
        # loaded only when a source has to be processed, so a no-op rebuild never loads it.
        gaz_version = gazetteer.version if gazetteer is not None else Gazetteer.version_of()
        # The gazetteer's version covers its bundled data; the user's boundaries and the
        # online fallback change results too, so they are part of the key.
        gaz_key = f"{gaz_version}+{config_fingerprint(config)}"
        timings["gazetteer"] = time.perf_counter() - t

        tv = tool_version()
        code = f"{tv}+{code_fingerprint()}"
        options = WriteOptions(online_assets=online_assets, title=title, build_date=build_date())
        settings = content_hash(
            code,
            gaz_key,
            json.dumps(chosen),
            options.model_dump_json(),
            str(max_size),
            json.dumps([str(p) for p in sources_paths]),
        )

        t = time.perf_counter()
        # File stamps are taken before any file is read: a file edited while this build
        # reads it gets a new stamp, so the next build looks at it again.
        stamps = _stamp_inputs(sources_paths, out)
        if use_cache and not load_unchanged and stamps is not None:
            quick = _quick_manifest(out, settings, stamps)
            if quick is not None:
                timings["read"] = time.perf_counter() - t
                timings["total"] = time.perf_counter() - t_start
                quick.timings = {k: round(v, 4) for k, v in timings.items()}
                write_if_changed(out / MANIFEST_NAME, quick.model_dump_json(indent=2) + "\n")
                result = BuildResult(events=[], places=[], mentions=[], sources=[], manifest=quick)
                if strict and quick.warnings:
                    raise BuildWarnings(result)
                return result
        loaded = load_sources(sources_paths, max_size=max_size, exclude=[out])
        gc.freeze()
        timings["read"] = time.perf_counter() - t
        warnings = list(loaded.warnings)
        keys = {s.source_id: cache_key(s.content_hash, code, gaz_key) for s in loaded.sources}
        results: dict[str, SourceResult] = {}
        status: dict[str, str] = {}
        with ResultCache(state_dir(out) / CACHE_NAME, namespace=f"{code}|{gaz_key}") as rc:
            t = time.perf_counter()
            cached = rc.get_many(keys.values()) if use_cache else {}
            todo = []
            for s in loaded.sources:
                hit = cached.get(keys[s.source_id])
                if hit is not None:
                    # Same content; the path may differ (a moved or copied folder).
                    results[s.source_id] = hit.model_copy(update={"source": s})
                    status[s.source_id] = "reused"
                else:
                    todo.append(s)
            timings["cache"] = time.perf_counter() - t

            t = time.perf_counter()
            failed: list[SourceRecord] = []
            if todo:
                from geo.build.engines import get_engine

                if gazetteer is None:
                    gazetteer = Gazetteer.load(config)
                    timings["gazetteer"] += time.perf_counter() - t
                    t = time.perf_counter()
                eng = get_engine(engine, gazetteer=gazetteer, **(engine_options or {}))
                if progress:
                    progress("process", 0, len(todo))

                n_done = 0

                # Every worker result carries its own copy of each place it uses (a country's
                # outline among them); keep one instance per place so a large corpus holds
                # each geometry once, as results read from the cache already do.
                shared_places: dict[str, Place] = {}

                def done(res: SourceResult) -> None:
                    nonlocal n_done
                    sid = res.source.source_id
                    rc.put(keys[sid], res)
                    res = res.model_copy(
                        update={
                            "places": [shared_places.setdefault(p.place_id, p) for p in res.places]
                        }
                    )
                    results[sid] = res
                    status[sid] = "processed"
                    n_done += 1
                    if progress:
                        progress("process", n_done, len(todo))

                try:
                    for res in eng.run(todo, config):
                        done(res)
                except ConflictmapError:
                    raise  # the engine's own errors (an unreachable scheduler) stop the build
                except Exception:
                    # One source broke the engine's run. Process the rest one by one here,
                    # so a single pathological article cannot stop the build.
                    failed = _process_one_by_one(
                        [s for s in todo if s.source_id not in results], gazetteer, out, done
                    )
                    warnings += [f"{r.path}: {r.reason}" for r in failed]
            timings["process"] = time.perf_counter() - t
            rc.prune()
        gc.freeze()

        ordered = [results[s.source_id] for s in loaded.sources if s.source_id in results]
        t = time.perf_counter()
        events = _merge([e for r in ordered for e in r.events])
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
                status="processed" if status.get(s.source_id) == "processed" else "reused",
            )
            for s in loaded.sources
            if s.source_id in results
        ]
        records += loaded.skipped + failed
        records.sort(key=lambda r: r.path)
        manifest = BuildManifest(
            tool_version=tv,
            gazetteer_version=gaz_version,
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
                "warnings": len(warnings),
            },
            timings=timings,
            warnings=warnings,
        )
        result = BuildResult(
            events=events,
            places=[places[k] for k in sorted(places)],
            mentions=mentions,
            sources=[r.source for r in ordered],
            manifest=manifest,
        )

        # The outputs are a function of the results (their cache keys), the formats and the
        # options: when none changed and the files are as we left them, rendering them again
        # would only reproduce the same bytes, so a no-op rebuild skips it.
        outputs_key = content_hash(
            code,
            gaz_key,
            json.dumps(
                [(r.source.source_id, r.source.path, keys[r.source.source_id]) for r in ordered]
            ),  # fmt: skip
            json.dumps(chosen),
            options.model_dump_json(),
        )
        t = time.perf_counter()
        written = _unchanged_outputs(out, outputs_key)
        if written is None:
            written = []
            for fmt in chosen:
                t = time.perf_counter()
                paths = get_writer(fmt).write(result, out, options)
                timings[f"write_{fmt}"] = time.perf_counter() - t
                written += [_rel(p, out) for p in paths]
            _record_outputs(out, outputs_key, written)
        else:
            timings["write_skipped"] = time.perf_counter() - t
        written.append(MANIFEST_NAME)
        timings["total"] = time.perf_counter() - t_start
        manifest.outputs = sorted(dict.fromkeys(written))
        manifest.timings = {k: round(v, 4) for k, v in timings.items()}
        write_if_changed(out / MANIFEST_NAME, manifest.model_dump_json(indent=2) + "\n")
        if stamps is not None and not failed:  # failed sources must be tried again
            _save_quick_state(out, settings, stamps, manifest)

    if strict and warnings:
        raise BuildWarnings(result)
    return result


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


OUTPUTS_STATE = "outputs.json"
QUICK_STATE = "last-build.json"


def _stamp_inputs(sources_paths: Sequence[str | Path], out: Path) -> dict[str, list[int]] | None:
    """Size and modification time of every source file and folder manifest; None when a
    path is missing or unreadable (the full build then reports it)."""
    from geo.ingest.sources import MANIFEST_NAME as SOURCES_MANIFEST
    from geo.ingest.sources import discover

    try:
        files = discover(sources_paths, exclude=[out])
    except ConflictmapError:
        return None
    stamps: dict[str, list[int]] = {}
    for f in [*files, *sorted({f.parent / SOURCES_MANIFEST for f in files})]:
        stamp = _file_stamp(f)
        stamps[str(f)] = stamp if stamp is not None else [-1, -1]
    return stamps


def _quick_manifest(out: Path, settings: str, stamps: dict[str, list[int]]) -> BuildManifest | None:
    """The last build's manifest, every source now ``reused``, if nothing changed since."""
    try:
        state = json.loads((state_dir(out) / QUICK_STATE).read_text(encoding="utf-8"))
        if state["settings"] != settings or state["inputs"] != stamps:
            return None
        outputs: dict[str, list[int]] = state["outputs"]
        manifest = BuildManifest.model_validate(state["manifest"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not outputs or any(_file_stamp(out / n) != stamp for n, stamp in outputs.items()):
        return None
    sources = [
        r.model_copy(update={"status": "reused"}) if r.status == "processed" else r
        for r in manifest.sources
    ]
    counts = dict(manifest.counts)
    counts["reused"] = sum(r.status == "reused" for r in sources)
    counts["processed"] = 0
    return manifest.model_copy(
        update={
            "sources": sources,
            "counts": counts,
            "built_at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
        }
    )


def _save_quick_state(
    out: Path, settings: str, stamps: dict[str, list[int]], manifest: BuildManifest
) -> None:
    outputs = {
        name: stamp
        for name in manifest.outputs
        if name != MANIFEST_NAME and (stamp := _file_stamp(out / name)) is not None
    }
    state = {
        "settings": settings,
        "inputs": stamps,
        "outputs": outputs,
        "manifest": manifest.model_dump(mode="json", exclude={"timings"}),
    }
    write_if_changed(state_dir(out) / QUICK_STATE, json.dumps(state))


def _file_stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _unchanged_outputs(out: Path, key: str) -> list[str] | None:
    """The outputs of the last build if it had the same key and its files are untouched."""
    try:
        state = json.loads((state_dir(out) / OUTPUTS_STATE).read_text(encoding="utf-8"))
        files: dict[str, list[int]] = state["files"]
        if state["key"] != key:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not files or any(_file_stamp(out / name) != stamp for name, stamp in files.items()):
        return None
    return list(files)


def _record_outputs(out: Path, key: str, written: list[str]) -> None:
    files = {name: _file_stamp(out / name) for name in written}
    state = {"key": key, "files": {k: v for k, v in files.items() if v is not None}}
    write_if_changed(state_dir(out) / OUTPUTS_STATE, json.dumps(state, indent=1))


def _rel(path: Path, out: Path) -> str:
    try:
        return Path(path).resolve().relative_to(out.resolve()).as_posix()
    except ValueError:
        return str(path)
