"""What decides whether earlier work still holds: versions and fingerprints of the code, the
gazetteer and the options, gathered in :class:`Keys` before a build looks at its sources.

A cached result is keyed by its source's content hash plus :attr:`Keys.code` and
:attr:`Keys.gazetteer`; the quick no-change check by :attr:`Keys.settings`.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from gazetteer.config import GazetteerConfig
from geo.build.options import BuildOptions
from geo.build.outputs import WriteOptions
from geo.errors import ConfigError
from geo.models import content_hash

if TYPE_CHECKING:
    from gazetteer import Gazetteer


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


@dataclass(frozen=True, slots=True)
class Keys:
    """The versions and fingerprints of one build."""

    tool_version: str
    #: Tool version + code fingerprint.
    code: str
    gazetteer_version: str
    #: Gazetteer version + fingerprint of the gazetteer options (user boundaries included).
    gazetteer: str
    write_options: WriteOptions
    #: Everything the outputs depend on but the sources: the key of the quick no-change check.
    settings: str


def make_keys(
    sources_paths: Sequence[str | Path],
    options: BuildOptions,
    gazetteer: Gazetteer | None,
    timings: dict[str, float],
) -> Keys:
    """The keys of a build (``timings["gazetteer"]``: the time to learn its version)."""
    t = time.perf_counter()
    from gazetteer import Gazetteer

    # The version alone tells whether cached results still hold; the gazetteer itself is
    # loaded only when a source has to be processed, so a no-op rebuild never loads it.
    gaz_version = gazetteer.version if gazetteer is not None else Gazetteer.version_of()
    # The gazetteer's version covers its bundled data; the user's boundaries and the
    # online fallback change results too, so they are part of the key.
    gaz_key = f"{gaz_version}+{config_fingerprint(options.gazetteer_config)}"
    timings["gazetteer"] = time.perf_counter() - t

    tv = tool_version()
    code = f"{tv}+{code_fingerprint()}"
    write_options = WriteOptions(
        online_assets=options.online_assets, title=options.title, build_date=build_date()
    )
    settings = content_hash(
        code,
        gaz_key,
        json.dumps(options.formats),
        write_options.model_dump_json(),
        str(options.max_size),
        json.dumps([str(p) for p in sources_paths]),
    )
    return Keys(tv, code, gaz_version, gaz_key, write_options, settings)
