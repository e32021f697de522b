"""Watch mode: rebuild whenever a source changes (watchfiles, debounced), through errors.

::

    from geo.build.watch import watch
    watch(["seeds"], "out", stop_event=event)   # returns when ``event`` is set

Every change to a source file or a ``sources.yaml`` triggers one incremental build (only the
changed sources are processed again). A failing build is reported and watching goes on; the
next change tries again.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from watchfiles import Change
from watchfiles import watch as watch_changes

from gazetteer.errors import ConflictmapError
from geo.build.layout import error_log
from geo.build.options import BuildOptions, build_options
from geo.build.pipeline import BuildWarnings, build
from geo.ingest import MANIFEST_NAME, SOURCE_SUFFIXES
from geo.models import BuildResult

if TYPE_CHECKING:
    from gazetteer import Gazetteer

#: ``on_build(result, error)``: after every build, the result or the error that stopped it.
BuildCallback = Callable[[BuildResult | None, BaseException | None], None]

#: Milliseconds of quiet before a burst of changes (an editor's save) triggers one build.
DEFAULT_DEBOUNCE_MS = 400

#: How often (ms) the watcher wakes without changes; the first wake-up starts the first build.
_WAKE_MS = 200


class SourceFilter:
    """Accepts changes to source files and manifests under the watched paths, not outputs."""

    def __init__(self, sources_paths: Sequence[str | Path], out_dir: str | Path) -> None:
        self.files = {Path(p).resolve() for p in sources_paths if Path(p).is_file()}
        self.dirs = [Path(p).resolve() for p in sources_paths if not Path(p).is_file()]
        self.out = Path(out_dir).resolve()

    def __call__(self, change: Change, path: str) -> bool:
        p = Path(path).resolve()
        if p == self.out or self.out in p.parents:
            return False
        if p in self.files:
            return True
        if p.name != MANIFEST_NAME and p.suffix.lower() not in SOURCE_SUFFIXES:
            return False
        for d in self.dirs:
            if d in p.parents:
                rel = p.relative_to(d)
                return not any(part.startswith(".") for part in rel.parts)
        return False

    def roots(self) -> list[Path]:
        """Folders to watch: the folders given, and the parent folder of each file given
        (editors save by renaming a new file over the old one, which a file watch misses)."""
        return sorted(set(self.dirs) | {f.parent for f in self.files})


def watch(
    sources_paths: Sequence[str | Path],
    out_dir: str | Path = "out",
    options: BuildOptions | None = None,
    *,
    on_build: BuildCallback | None = None,
    stop_event: threading.Event | None = None,
    debounce_ms: int = DEFAULT_DEBOUNCE_MS,
    log_file: Path | None = None,
    gazetteer: Gazetteer | None = None,
    **settings: Any,
) -> int:
    """Build once, then rebuild on every change until ``stop_event`` is set or Ctrl-C.

    Every build gets ``options`` with ``settings`` over them, as :func:`geo.build.pipeline.build`
    does. Errors of a build (bad options, an internal error) are passed to ``on_build`` and
    watching goes on; internal errors also have their traceback written to ``log_file``
    (default ``OUT/.cache/last-error.log``). ``gazetteer`` is loaded once from
    ``options.gazetteer_config`` when not given. Returns the number of builds run.
    """
    opts = build_options(options, **settings)
    log_path = log_file or error_log(out_dir)
    flt = SourceFilter(sources_paths, out_dir)
    builds = 0

    def run_once() -> None:
        nonlocal builds, gazetteer
        builds += 1
        try:
            if gazetteer is None:
                # Loaded once: a rebuild then costs only the changed sources.
                from gazetteer import Gazetteer

                gazetteer = Gazetteer.load(opts.gazetteer_config)
            result = build(sources_paths, out_dir, opts, gazetteer=gazetteer)
        except BuildWarnings as exc:
            if on_build:
                on_build(exc.result, exc)
            return
        except ConflictmapError as exc:
            if on_build:
                on_build(None, exc)
            return
        except Exception as exc:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log_path.write_text(traceback.format_exc(), encoding="utf-8")
            if on_build:
                on_build(None, exc)
            return
        if on_build:
            on_build(result, None)

    # The watcher starts first and the first build runs on its first (empty) wake-up, so a
    # change made during that build, or right after it, is never missed.
    started = False
    try:
        for changes in watch_changes(
            *flt.roots(),
            watch_filter=flt,
            debounce=debounce_ms,
            stop_event=stop_event,
            raise_interrupt=False,
            yield_on_timeout=True,
            rust_timeout=_WAKE_MS,
        ):
            if not started:
                started = True
                run_once()
                if stop_event is not None and stop_event.is_set():
                    break
            elif changes:
                run_once()
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        pass
    return builds
