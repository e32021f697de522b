"""End-to-end builds: ``conflictmap build`` in a fresh process, timed, with the peak memory of
its whole process tree (pool workers included) and the manifest it wrote."""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from bench.run import MB
from bench.run.workdir import code_env


class TreeMemory:
    """Samples the memory of a process and its descendants in a background thread.

    ``peak`` is the largest sum of RSS seen; it counts pages that forked pool workers share
    with their parent once per process, so it overstates. ``peak_pss`` sums the proportional
    set size (shared pages split between the processes that share them): the honest figure.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            rss = pss = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    info = p.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(self.interval)


@dataclass
class BuildRun:
    """One build: wall seconds, peak memory of its process tree (RSS sum and PSS, MB), exit
    code (-9 when stopped after the timeout), its build.json and the end of its stderr."""

    wall_s: float
    peak_tree_mb: float
    peak_pss_mb: float
    exit_code: int
    manifest: dict[str, Any] = field(default_factory=dict)
    stderr_tail: str = ""

    @property
    def timings(self) -> dict[str, float]:
        return dict(self.manifest.get("timings", {}))

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.manifest.get("counts", {}))


def run_build(
    corpus: Path,
    out: Path,
    engine: str,
    workers: int | None,
    timeout: float | None = None,
    code_dir: Path | None = None,
) -> BuildRun:
    """Build ``corpus`` into ``out`` with the ``conflictmap`` beside this interpreter (the code
    of ``code_dir`` when given, a snapshot), stopped after ``timeout`` seconds (exit -9)."""
    exe = Path(sys.executable).with_name("conflictmap")
    cmd = [str(exe), "build", str(corpus), "--out", str(out), "--engine", engine, "--quiet"]
    if workers:
        cmd += ["--workers", str(workers)]
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        env = code_env(code_dir)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        with TreeMemory(proc.pid) as mem:
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                # Stop the build and its pool workers (its own process group is not ours,
                # so end the tree by pid, children first).
                for child in psutil.Process(proc.pid).children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        child.kill()
                proc.kill()
                proc.wait()
                code = -9
        wall = time.perf_counter() - t0
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-2000:]
    manifest_path = out / "build.json"
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    return BuildRun(wall, mem.peak / MB, mem.peak_pss / MB, code, manifest, tail)


def one_changed(corpus: Path, out: Path, args: argparse.Namespace, code: Path | None) -> BuildRun:
    """Rebuild after editing one report (restored afterwards): the incremental case."""
    first = min(corpus.rglob("*.txt"))
    original = first.read_bytes()
    try:
        first.write_bytes(original + b"\nThis report was updated.\n")
        run = run_build(corpus, out, args.engine, args.workers, args.timeout, code)
    finally:
        first.write_bytes(original)
    print(
        f"  1 edit  {run.wall_s:7.2f} s  processed {run.counts.get('processed')}  "
        f"exit {run.exit_code}"
    )
    return run
