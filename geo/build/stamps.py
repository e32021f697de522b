"""File stamps (size and modification time) and the two checks built on them.

- The quick no-change check: when every source file and folder manifest has the stamp it had
  at the last build, the settings are the same and the outputs are untouched, a build need not
  read anything (state in ``.cache/last-build.json``).
- The unchanged-outputs check: when the results, formats and options that decide the outputs
  are those of the last build and its files are untouched, rendering them again would only
  reproduce the same bytes (state in ``.cache/outputs.json``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from geo.build.layout import MANIFEST_NAME, state_dir
from geo.build.outputs import write_if_changed
from geo.ingest import MANIFEST_NAME as SOURCES_MANIFEST
from geo.ingest import FoundSources
from geo.models import BuildManifest

OUTPUTS_STATE = "outputs.json"
QUICK_STATE = "last-build.json"

#: ``[size, mtime_ns]`` per file path.
Stamps = dict[str, list[int]]


def file_stamp(path: Path) -> list[int] | None:
    """``[size, mtime_ns]`` of ``path``; None when it cannot be read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def stamp_inputs(found: FoundSources) -> Stamps | None:
    """Stamps of every source file found and of the folder manifests beside them; None when a
    path given was missing or not a source (the full build then reports it)."""
    if not found.complete:
        return None
    files = found.files
    stamps: Stamps = {}
    for f in [*files, *sorted({f.parent / SOURCES_MANIFEST for f in files})]:
        stamp = file_stamp(f)
        stamps[str(f)] = stamp if stamp is not None else [-1, -1]
    return stamps


def quick_manifest(out: Path, settings: str, stamps: Stamps) -> BuildManifest | None:
    """The last build's manifest, every source now ``reused``, if nothing changed since."""
    try:
        state = json.loads((state_dir(out) / QUICK_STATE).read_text(encoding="utf-8"))
        if state["settings"] != settings or state["inputs"] != stamps:
            return None
        outputs: dict[str, list[int]] = state["outputs"]
        manifest = BuildManifest.model_validate(state["manifest"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not outputs or any(file_stamp(out / n) != stamp for n, stamp in outputs.items()):
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


def save_quick_state(out: Path, settings: str, stamps: Stamps, manifest: BuildManifest) -> None:
    """Remember this build for the next one's quick no-change check."""
    outputs = {
        name: stamp
        for name in manifest.outputs
        if name != MANIFEST_NAME and (stamp := file_stamp(out / name)) is not None
    }
    state = {
        "settings": settings,
        "inputs": stamps,
        "outputs": outputs,
        "manifest": manifest.model_dump(mode="json", exclude={"timings"}),
    }
    write_if_changed(state_dir(out) / QUICK_STATE, json.dumps(state))


def unchanged_outputs(out: Path, key: str) -> list[str] | None:
    """The outputs of the last build if it had the same key and its files are untouched."""
    try:
        state = json.loads((state_dir(out) / OUTPUTS_STATE).read_text(encoding="utf-8"))
        files: dict[str, list[int]] = state["files"]
        if state["key"] != key:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not files or any(file_stamp(out / name) != stamp for name, stamp in files.items()):
        return None
    return list(files)


def record_outputs(out: Path, key: str, written: list[str]) -> None:
    """Remember the outputs written under ``key`` for the unchanged-outputs check."""
    files = {name: file_stamp(out / name) for name in written}
    state = {"key": key, "files": {k: v for k, v in files.items() if v is not None}}
    write_if_changed(state_dir(out) / OUTPUTS_STATE, json.dumps(state, indent=1))
