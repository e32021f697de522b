"""Output writers as plugins, and atomic, change-only file writing.

``geo`` never imports ``maps``: writers register under the ``conflictmap.writers`` entry-point
group (see pyproject.toml) and are looked up by format name here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from geo.errors import ConfigError
from geo.models import BuildResult, SourceResult

#: Formats written by ``conflictmap build`` unless --format says otherwise.
DEFAULT_FORMATS: tuple[str, ...] = ("geojson", "csv", "html")


class WriteOptions(BaseModel):
    """Options every writer receives; writers ignore what does not concern them."""

    online_assets: bool = False
    title: str = "conflictmap"
    build_date: str | None = None


@runtime_checkable
class Writer(Protocol):
    """Turns a :class:`BuildResult` into files under ``out_dir``; returns the paths written."""

    name: str

    def write(self, result: BuildResult, out_dir: Path, options: WriteOptions) -> list[Path]: ...


@runtime_checkable
class PartitionWriter(Writer, Protocol):
    """A writer that also writes one partition of a partitioned dataset: the ``parquet`` writer,
    whose GeoParquet partitions the Dask engine writes per batch of sources."""

    def write_partition(self, results: Sequence[SourceResult], path: Path) -> None:
        """Write the (unmerged) events of ``results`` to the one file ``path``, atomically."""
        ...


@cache
def _registry() -> dict[str, str]:
    return {ep.name: ep.value for ep in entry_points(group="conflictmap.writers")}


def available_formats() -> list[str]:
    return sorted(_registry())


def get_writer(fmt: str) -> Writer:
    """Load the writer registered for ``fmt``, with a clear error for unknown formats."""
    for ep in entry_points(group="conflictmap.writers"):
        if ep.name == fmt:
            writer = ep.load()()
            if not isinstance(writer, Writer):
                raise ConfigError(f"writer {fmt!r} ({ep.value}) does not implement Writer")
            return writer
    known = ", ".join(available_formats()) or "none installed"
    raise ConfigError(f"unknown output format {fmt!r} (known: {known})")


@cache
def _umask() -> int:
    # os.umask can only be read by setting it; done once, then restored at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """Write ``data`` to ``path`` atomically, only if the content differs.

    The data goes to a temporary file in the same folder which is then renamed over the
    target, so a crash or Ctrl-C never leaves a half-written file. Returns True if written.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists():
        try:
            if path.read_bytes() == raw:
                return False
        except OSError:
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); outputs get the mode a plain open() would.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
