"""The layout of an output folder: where a build keeps its state (one owner for these names).

Kept free of heavy imports: the CLI reads it to place its error log before anything loads.
"""

from __future__ import annotations

from pathlib import Path

#: Where the pipeline keeps its state inside the output folder.
STATE_DIR = ".cache"
CACHE_NAME = "conflictmap.sqlite"
LOCK_NAME = "build.lock"
MANIFEST_NAME = "build.json"
ERROR_LOG = "last-error.log"


def state_dir(out_dir: str | Path) -> Path:
    """The folder holding the cache, the lock and error logs of an output folder."""
    return Path(out_dir) / STATE_DIR


def error_log(out_dir: str | Path) -> Path:
    """The file holding the traceback of the last internal error of builds into ``out_dir``."""
    return state_dir(out_dir) / ERROR_LOG
