"""The ``conflictmap`` command: exit codes, one-line messages, and a real subprocess build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import geo.build.pipeline
from geo.build.pipeline import build_lock
from geo.cli.main import ByteSize, main


@pytest.fixture(autouse=True)
def _shared_gazetteer(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Builds through the CLI reuse the session's gazetteer instead of loading their own
    (fetched only when a test builds, so the quick tests never load it)."""
    real = geo.build.pipeline.build

    def build(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("gazetteer", request.getfixturevalue("gazetteer"))
        return real(*args, **kwargs)

    monkeypatch.setattr(geo.build.pipeline, "build", build)


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_version() -> None:
    r = _run("--version")
    assert r.exit_code == 0 and version("conflictmap") in r.output


def test_schema_is_the_event_json_schema() -> None:
    r = _run("schema")
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert schema["title"] == "Event"
    assert "territory_transfer" in json.dumps(schema["properties"]["event_type"])


def test_build_prints_the_map_path_and_a_summary(warm_build: tuple[Path, Path]) -> None:
    seeds_copy, out = warm_build
    (seeds_copy / "new.md").write_text("Talks were held in Sochi.\n", encoding="utf-8")
    r = _run("build", str(seeds_copy), "--out", str(out), "--engine", "serial")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip().splitlines()[-1] == str(out / "map.html")
    assert "6 sources: 1 processed, 5 reused, 0 skipped" in r.stderr
    r = _run("build", str(seeds_copy), "--out", str(out), "--quiet")
    assert r.exit_code == 0 and r.stderr == ""
    assert r.stdout.strip() == str(out / "map.html")
    r = _run("build", str(seeds_copy), "--out", str(out), "-v")
    assert "reused" in r.stderr and "timings:" in r.stderr


def test_bad_input_warns_in_one_line_each_and_strict_exits_2(
    warm_build: tuple[Path, Path],
) -> None:
    seeds_copy, out_dir = warm_build
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "koi.txt").write_bytes("Бои у Лачина.".encode("koi8_r"))
    (seeds_copy / "sources.yaml").write_text(
        (seeds_copy / "sources.yaml").read_text(encoding="utf-8")
        + "koi.txt:\n  published: not-a-date\n",
        encoding="utf-8",
    )
    out = str(out_dir)
    r = _run("build", str(seeds_copy), "--out", out)
    assert r.exit_code == 0
    warnings = [ln for ln in r.stderr.splitlines() if ln.startswith("warning: ")]
    assert len(warnings) == 3
    assert any("empty.txt" in w and "empty" in w for w in warnings)
    assert any("koi.txt" in w and "not UTF-8" in w for w in warnings)
    assert any("sources.yaml" in w and "published" in w for w in warnings)
    assert "Traceback" not in r.output
    r = _run("build", str(seeds_copy), "--out", out, "--strict")
    assert r.exit_code == 2
    assert "3 warnings in a strict build" in r.stderr
    assert r.stdout.strip().endswith("map.html")  # outputs were still written


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "no/such/folder"], "does not exist"),
        (["build", "seeds", "--format", "shp"], "unknown format 'shp'"),
        (["build", "seeds", "--online"], "--online needs --user-agent"),
        (["build", "seeds", "--max-size", "lots"], "is not a size"),
        (["build", "seeds", "--engine", "gpu"], "gpu"),
        (["build", "seeds", "--engine", "serial", "--scheduler", "tcp://x:1"], "scheduler"),
    ],
)
def test_usage_errors_exit_2(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(seeds_copy.parent)
    r = _run(*args, "--out", "out")
    assert r.exit_code == 2, r.output
    assert message in r.stderr and "Traceback" not in r.output


def test_no_sources_and_no_seeds_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = _run("build")
    assert r.exit_code == 2 and "no seeds/ folder" in r.stderr


def test_locked_out_dir_exits_1(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    with build_lock(out):
        r = _run("build", str(seeds_copy), "--out", str(out), "--lock-timeout", "0.2")
    assert r.exit_code == 1
    assert r.stderr.startswith("error: another build is writing to")
    assert len(r.stderr.strip().splitlines()) == 1


def test_internal_error_prints_one_line_and_the_log(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("deep inside")

    monkeypatch.setattr(geo.build.pipeline, "build", boom)
    out = tmp_path / "out"
    r = _run("build", str(seeds_copy), "--out", str(out))
    assert r.exit_code == 1
    (line,) = r.stderr.strip().splitlines()
    log = out / ".cache" / "last-error.log"
    assert line == f"internal error: ZeroDivisionError: deep inside (full log: {log})"
    assert "Traceback" in log.read_text(encoding="utf-8") and "Traceback" not in r.output


def test_byte_sizes() -> None:
    size = ByteSize()
    assert size.convert("500000", None, None) == 500000
    assert size.convert("512k", None, None) == 512 * 1024
    assert size.convert("10MB", None, None) == 10 * 1024**2
    assert size.convert("1GiB", None, None) == 1024**3


def test_every_command_has_help_with_examples() -> None:
    for name in main.commands:
        r = _run(name, "--help")
        assert r.exit_code == 0, name
        assert "Usage:" in r.output and "Example" in r.output, name


def test_real_subprocess_build_on_seed_copy(seeds_copy: Path) -> None:
    """``conflictmap build`` as a user runs it: no arguments, seeds/ and out/ in the cwd."""
    exe = Path(sys.executable).parent / "conflictmap"
    if not exe.exists():
        exe = Path(shutil.which("conflictmap") or "conflictmap")
    cwd = seeds_copy.parent
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    first = subprocess.run([str(exe), "build"], cwd=cwd, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == str(Path("out") / "map.html")
    assert "Traceback" not in first.stderr
    m = json.loads((cwd / "out" / "build.json").read_text(encoding="utf-8"))
    assert m["counts"]["processed"] == 5, (m["warnings"], first.stderr)
    second = subprocess.run([str(exe), "build"], cwd=cwd, env=env, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    m2 = json.loads((cwd / "out" / "build.json").read_text(encoding="utf-8"))
    assert m2["counts"]["reused"] == 5 and m2["counts"]["processed"] == 0


def test_progress_bar_only_for_long_builds_on_a_terminal() -> None:
    from geo.cli.main import PROGRESS_MIN, _Progress

    off = _Progress(enabled=False)
    off("process", 1, 1000)
    assert off._bar is None
    short = _Progress(enabled=True)
    short("process", 1, PROGRESS_MIN - 1)
    assert short._bar is None
    long = _Progress(enabled=True)
    for i in range(PROGRESS_MIN + 1):
        long("process", i, PROGRESS_MIN)
    assert long._bar is not None
    long.close()
    assert long._bar is None


def test_os_errors_are_one_line(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device", str(tmp_path / "out" / "map.html"))

    monkeypatch.setattr(geo.build.pipeline, "build", full)
    r = _run("build", str(seeds_copy), "--out", str(tmp_path / "out"))
    assert r.exit_code == 1
    assert r.stderr == f"error: {tmp_path / 'out' / 'map.html'}: No space left on device\n"


def test_two_concurrent_builds_into_one_folder(warm_build: tuple[Path, Path]) -> None:
    """Two real processes build into the same folder at once: the lock serialises them."""
    src, out = warm_build
    (src / "new.md").write_text("Talks were held in Sochi.\n", encoding="utf-8")
    exe = Path(sys.executable).parent / "conflictmap"
    cmd = [str(exe), "build", str(src), "--out", str(out), "--engine", "serial", "-q"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]  # fmt: skip
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    m = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert m["counts"]["processed"] + m["counts"]["reused"] == 6 == m["counts"]["sources"]
    fc = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and fc["features"]
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_dask_engine_from_the_cli_writes_partitions_dask_geopandas_reads(
    seeds_copy: Path, tmp_path: Path
) -> None:
    dask_geopandas = pytest.importorskip("dask_geopandas")
    out = tmp_path / "out"
    args = ["build", str(seeds_copy), "--out", str(out), "--engine", "dask", "--workers", "1"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    parts = dask_geopandas.read_parquet(out / "partitions").compute()
    merged = json.loads((out / "events.geojson").read_text(encoding="utf-8"))["features"]
    # Partitions hold every source's own (unmerged) events; merging only joins them.
    assert len(parts) >= len(merged) > 0
    assert set(parts["event_type"]) == {f["properties"]["event_type"] for f in merged}
