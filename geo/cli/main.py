"""The ``conflictmap`` command: a thin click layer over :mod:`geo.build.pipeline`.

The library raises typed errors; this module only turns them into one-line messages and exit
codes (as sqlite-utils' CLI does):

- 0: success, warnings allowed;
- 1: an error (a build locked by another, an internal error: one line plus the log path);
- 2: a usage error (bad option or value), or any warning with ``--strict``.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from gazetteer.errors import ConflictmapError
from geo.build.layout import ERROR_LOG, error_log, state_dir
from geo.build.options import ENGINE_NAMES, BuildOptions, EngineName
from geo.build.outputs import DEFAULT_FORMATS
from geo.cli.options import gazetteer_config, gazetteer_options
from geo.errors import ConfigError
from geo.models import BuildResult, Event

#: Exit codes (documented in README.md and in ``conflictmap --help``); 0 is success.
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_WARNINGS = 2
EXIT_INTERRUPTED = 130

#: Sources at least this many to process get a progress bar (on a terminal, without --quiet).
PROGRESS_MIN = 8

_LOG_DIR_KEY = "conflictmap.log_dir"


def _fallback_log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("conflictmap"))


def write_error_log(ctx: click.Context | None) -> Path:
    """Write the current exception's traceback to the log file; return its path."""
    log_dir = None
    if ctx is not None:
        log_dir = ctx.find_root().meta.get(_LOG_DIR_KEY)
    path = Path(log_dir or _fallback_log_dir()) / ERROR_LOG
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(traceback.format_exc(), encoding="utf-8")
    except OSError:
        import tempfile

        path = Path(tempfile.gettempdir()) / f"conflictmap-{ERROR_LOG}"
        path.write_text(traceback.format_exc(), encoding="utf-8")
    return path


class _Group(click.Group):
    """Turns library errors into one-line messages; nothing reaches the user as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except ConfigError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_USAGE)
        except ConflictmapError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except OSError as exc:
            # The machine, not the program: a folder that cannot be written, a full disk.
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(EXIT_ERROR)
        except Exception as exc:
            log = write_error_log(ctx)
            first = str(exc).splitlines()[0] if str(exc) else ""
            click.echo(f"internal error: {type(exc).__name__}: {first} (full log: {log})", err=True)
            ctx.exit(EXIT_ERROR)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class ByteSize(click.ParamType):
    """A size in bytes: ``500000``, ``512k``, ``10MB``, ``1GiB``."""

    name = "bytes"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        m = _SIZE.match(str(value))
        if not m:
            self.fail(f"{value!r} is not a size (e.g. 500000, 512k, 10MB)", param, ctx)
        unit = (m.group(2) or "").lower()[:1]
        return int(float(m.group(1)) * _UNITS[unit])


def _split_formats(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[str]:
    from geo.build.outputs import available_formats

    out: list[str] = []
    known = available_formats()
    for item in value:
        for fmt in filter(None, (f.strip().lower() for f in item.split(","))):
            if fmt not in known:
                raise click.BadParameter(
                    f"unknown format {fmt!r} (known: {', '.join(known) or 'none installed'})"
                )
            out.append(fmt)
    return out


def _build_flags(f: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by ``build`` and ``watch``."""
    options = [
        click.argument(
            "sources",
            nargs=-1,
            type=click.Path(exists=True, path_type=Path),
        ),
        click.option(
            "--out",
            "-o",
            "out",
            default=Path("out"),
            show_default=True,
            type=click.Path(file_okay=False, path_type=Path),
            help="Output folder (also holds the cache in OUT/.cache).",
        ),
        click.option(
            "--format",
            "-f",
            "formats",
            multiple=True,
            callback=_split_formats,
            help="Extra output format, repeatable or comma-separated: gpkg, parquet "
            "(geojson, csv and html are always written).",
        ),
        click.option(
            "--online-assets",
            is_flag=True,
            help="Link Leaflet from a CDN instead of inlining it (smaller map.html).",
        ),
        click.option(
            "--engine",
            type=click.Choice(ENGINE_NAMES),
            default="auto",
            show_default=True,
            help="How sources are processed: auto picks serial or process by count.",
        ),
        click.option("--workers", type=click.IntRange(min=1), help="Worker processes."),
        click.option("--scheduler", help="Dask scheduler address (with --engine dask)."),
        click.option(
            "--max-size",
            type=ByteSize(),
            default="10MB",
            show_default=True,
            help="Skip sources larger than this (bytes; k, MB, GB suffixes allowed).",
        ),
        click.option("--no-cache", is_flag=True, help="Process every source again."),
        click.option(
            "--lock-timeout",
            type=click.FloatRange(min=0),
            default=120.0,
            show_default=True,
            help="Seconds to wait while another build writes to OUT.",
        ),
        click.option("--strict", is_flag=True, help="Exit 2 if there is any warning."),
        click.option("--quiet", "-q", is_flag=True, help="Print only errors and the map path."),
        click.option("--verbose", "-v", is_flag=True, help="Print every source and stage timings."),
    ]
    for option in reversed(options):
        f = option(f)
    return gazetteer_options(f)


#: Where ``--engine dask`` writes the per-source events as GeoParquet partitions.
PARTITIONS_DIR = "partitions"


def _options(
    out: Path,
    formats: list[str],
    boundaries: Path | None,
    name_column: str | None,
    online: bool,
    user_agent: str | None,
    online_assets: bool,
    engine: EngineName,
    workers: int | None,
    scheduler: str | None,
    max_size: int,
    no_cache: bool,
    lock_timeout: float,
    strict: bool,
) -> BuildOptions:
    """The build options of the flags of ``build`` and ``watch``."""
    return BuildOptions(
        formats=[*DEFAULT_FORMATS, *formats],
        gazetteer_config=gazetteer_config(boundaries, name_column, online, user_agent),
        engine=engine,
        workers=workers,
        scheduler=scheduler,
        # The Dask engine also writes the events as GeoParquet partitions.
        partitions=out / PARTITIONS_DIR if engine == "dask" else None,
        strict=strict,
        max_size=max_size,
        online_assets=online_assets,
        use_cache=not no_cache,
        lock_timeout=lock_timeout,
        load_unchanged=False,  # only the manifest is reported
    )


def _sources(sources: tuple[Path, ...]) -> list[Path]:
    if sources:
        return list(sources)
    default = Path("seeds")
    if not default.exists():
        raise click.UsageError("no SOURCES given and no seeds/ folder here; name a file or folder")
    return [default]


def _report(result: BuildResult, out: Path, *, quiet: bool, verbose: bool) -> None:
    m = result.manifest
    if not quiet:
        for w in m.warnings:
            click.echo(f"warning: {w}", err=True)
    if verbose:
        for rec in m.sources:
            why = f" ({rec.reason})" if rec.reason else ""
            click.echo(f"  {rec.status:9} {rec.path}{why}", err=True)
        timings = ", ".join(f"{k} {v:.2f}s" for k, v in m.timings.items())
        click.echo(f"  timings: {timings}", err=True)
    if not quiet:
        c = m.counts
        click.echo(
            f"{c.get('sources', 0)} sources: {c.get('processed', 0)} processed, "
            f"{c.get('reused', 0)} reused, {c.get('skipped', 0)} skipped; "
            f"{c.get('events', 0)} events at {c.get('places', 0)} places "
            f"in {m.timings.get('total', 0.0):.2f}s",
            err=True,
        )
    target = out / "map.html"
    click.echo(str(target if "map.html" in m.outputs else out))


class _Progress:
    """A rich progress bar, shown only on a terminal and only for long builds."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total < PROGRESS_MIN:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self._bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            label = {"process": "Processing sources"}.get(stage, stage)
            self._task = self._bar.add_task(label, total=total)
        self._bar.update(self._task, completed=done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="conflictmap", prog_name="conflictmap")
def main() -> None:
    """Turn news reports (English and Russian) into sourced, dated, layered conflict maps.

    Offline: places come from a bundled gazetteer, and the map is one self-contained HTML
    file.

    \b
    Examples:
      conflictmap build                     # seeds/ -> out/map.html
      conflictmap build articles/ -o maps/  # your own folder of .txt/.md/.html
      conflictmap watch articles/           # rebuild on every change
      conflictmap schema > event.schema.json

    \b
    Exit codes:
      0  success (warnings allowed)
      1  error (another build holds the output folder, internal error)
      2  usage error, or any warning with --strict
    """


@main.command()
@_build_flags
def build(sources: tuple[Path, ...], out: Path, quiet: bool, verbose: bool, **flags: Any) -> None:
    """Build the map, GeoJSON and CSV of SOURCES (default: seeds/) into OUT.

    SOURCES are files or folders (searched recursively) of .txt/.md (with optional YAML front
    matter: published, language, title, outlet, url) and .html; a sources.yaml in a folder
    gives metadata per file name. Only new or changed sources are processed again; the rest
    come from OUT/.cache. Bad files are skipped or repaired with a one-line warning each.
    Prints the path of OUT/map.html.

    \b
    Examples:
      conflictmap build
      conflictmap build articles/ report.html --out maps/
      conflictmap build articles/ --format gpkg --format parquet
      conflictmap build articles/ --boundaries districts.geojson --strict
      conflictmap build big/ --engine process --workers 4 --max-size 2MB
    """
    from geo.build.pipeline import BuildWarnings
    from geo.build.pipeline import build as run_build

    ctx = click.get_current_context()
    ctx.find_root().meta[_LOG_DIR_KEY] = str(state_dir(out))
    options = _options(out, **flags)
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        result = run_build(_sources(sources), out, options, progress=progress)
    except BuildWarnings as exc:
        progress.close()
        _report(exc.result, out, quiet=quiet, verbose=verbose)
        click.echo(f"error: {exc} (--strict)", err=True)
        ctx.exit(EXIT_WARNINGS)
    finally:
        progress.close()
    _report(result, out, quiet=quiet, verbose=verbose)


@main.command()
@_build_flags
@click.option(
    "--debounce",
    type=click.IntRange(min=0),
    default=400,
    show_default=True,
    help="Milliseconds of quiet before a burst of changes triggers a build.",
)
def watch(
    sources: tuple[Path, ...], out: Path, quiet: bool, verbose: bool, debounce: int, **flags: Any
) -> None:
    """Build SOURCES (default: seeds/) into OUT, then rebuild on every change until Ctrl-C.

    Changes to source files and sources.yaml trigger an incremental build (only changed
    sources are processed). A failing build prints its error and watching goes on.

    \b
    Examples:
      conflictmap watch
      conflictmap watch articles/ --out maps/ --debounce 1000
    """
    from geo.build.pipeline import BuildWarnings
    from geo.build.watch import watch as run_watch

    ctx = click.get_current_context()
    ctx.find_root().meta[_LOG_DIR_KEY] = str(state_dir(out))
    options = _options(out, **flags)
    log = error_log(out)

    def on_build(result: BuildResult | None, error: BaseException | None) -> None:
        if result is not None:
            _report(result, out, quiet=quiet, verbose=verbose)
        if isinstance(error, BuildWarnings):
            click.echo(f"error: {error} (--strict)", err=True)
        elif isinstance(error, ConflictmapError):
            click.echo(f"error: {error}", err=True)
        elif error is not None:
            click.echo(
                f"internal error: {type(error).__name__}: {error} (full log: {log})", err=True
            )
        if not quiet:
            click.echo("watching for changes (Ctrl-C to stop)", err=True)

    run_watch(
        _sources(sources), out, options, on_build=on_build, debounce_ms=debounce, log_file=log
    )


@main.command()
@click.option(
    "--indent",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Spaces per indent level (0 for one line).",
)
def schema(indent: int) -> None:
    """Print the JSON Schema of an event (the properties of events.geojson features).

    \b
    Examples:
      conflictmap schema
      conflictmap schema --indent 0 > event.schema.json
    """
    click.echo(json.dumps(Event.model_json_schema(), indent=indent or None, ensure_ascii=False))


def _register_plugins() -> None:
    """Add the gazetteer's commands (``places``, ``geoparse``)."""
    from geo.cli.gazetteer import commands

    for command in commands:
        main.add_command(command)


_register_plugins()
