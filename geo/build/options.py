"""What a build is asked to do: :class:`BuildOptions`, the one typed model of a build's options.

The CLI makes one from its flags, watch mode passes it to every build, and
:func:`geo.build.pipeline.build` takes one (or its fields as keyword arguments).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gazetteer.config import GazetteerConfig
from geo.build.outputs import DEFAULT_FORMATS
from geo.errors import ConfigError
from geo.ingest import DEFAULT_MAX_SIZE

#: How the per-source stages are run (:mod:`geo.build.engines`).
EngineName = Literal["auto", "serial", "process", "dask"]
ENGINE_NAMES: tuple[str, ...] = get_args(EngineName)

#: Seconds a build waits for another build on the same output folder before giving up.
DEFAULT_LOCK_TIMEOUT = 120.0


class BuildOptions(BaseModel):
    """The options of a build; every field has the default ``conflictmap build`` uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    formats: list[str] = Field(
        default_factory=lambda: list(DEFAULT_FORMATS),
        description="Output formats (writer plugin names), in order, without repeats.",
    )
    gazetteer_config: GazetteerConfig = Field(
        default_factory=GazetteerConfig,
        description="How to load the gazetteer (user boundaries, online fallback).",
    )
    engine: EngineName = Field(
        default="auto", description="Which engine runs the per-source stages."
    )
    workers: int | None = Field(default=None, description="Worker processes of the engine.")
    scheduler: str | None = Field(default=None, description="Dask scheduler address.")
    partitions: Path | None = Field(
        default=None, description="Folder of the Dask engine's GeoParquet partitions."
    )
    strict: bool = Field(
        default=False, description="Raise BuildWarnings (after writing) on any warning."
    )
    max_size: int | None = Field(
        default=DEFAULT_MAX_SIZE, description="Sources larger than this (bytes) are skipped."
    )
    online_assets: bool = Field(
        default=False, description="Link Leaflet from a CDN instead of inlining it."
    )
    title: str = Field(default="conflictmap", description="Title of the map.")
    lock_timeout: float = Field(
        default=DEFAULT_LOCK_TIMEOUT,
        description="Seconds to wait for another build on the same folder.",
    )
    use_cache: bool = Field(
        default=True, description="False processes every source again (the cache is refreshed)."
    )
    load_unchanged: bool = Field(
        default=True,
        description="False lets a build that finds nothing changed return only the manifest.",
    )

    @field_validator("formats")
    @classmethod
    def _unique(cls, formats: list[str]) -> list[str]:
        return list(dict.fromkeys(formats))

    def engine_options(self) -> dict[str, object]:
        """The options :func:`geo.build.engines.get_engine` takes from these."""
        return {"workers": self.workers, "scheduler": self.scheduler, "partitions": self.partitions}


def build_options(options: BuildOptions | None = None, **settings: Any) -> BuildOptions:
    """``options`` (the defaults when None) with the fields in ``settings`` over them.

    A bad field or value is a :class:`~geo.errors.ConfigError` naming it, in one line.
    """
    fields = {**(dict(options) if options is not None else {}), **settings}
    try:
        return BuildOptions(**fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'options'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid build options ({problems})") from exc
