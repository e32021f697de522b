"""Time two installs of conflictmap side by side: ``python bench/ab.py A_VENV B_VENV``.

A refactoring or a speed change is judged on one machine in one run: the same synthetic corpus
(``bench/corpus.py``, fixed seed) is built by the ``conflictmap`` of each virtual environment in
turn (A, B, A, B, ...), so background load on a shared machine hits both alike. Each build is
``--engine serial --no-cache`` into a fresh folder (one core: read, recognise, resolve,
extract, merge, write). Reported per side: the best and median wall time, MB/s of source text
(best run) and the peak resident memory of the build process.

Typical use: ``git worktree add /tmp/before <commit>``, ``make setup`` there, then
``python bench/ab.py /tmp/before/.venv .venv --docs 3000 --runs 3``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.txt"))


def _one_build(venv: Path, corpus: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one build by ``venv``'s conflictmap."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [str(venv / "bin" / "conflictmap"), "build", str(corpus), "--out", str(out)]
    cmd += ["--engine", "serial", "--no-cache", "-q"]
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{cmd[0]} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="Virtual environment A (before).")
    parser.add_argument("b", type=Path, help="Virtual environment B (after).")
    parser.add_argument("--docs", type=int, default=3000, help="Synthetic reports to build.")
    parser.add_argument("--runs", type=int, default=3, help="Builds per side.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cm-ab-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus"
        subprocess.run(
            [sys.executable, str(HERE / "corpus.py"), str(corpus), "--docs", str(args.docs)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        mb = _corpus_bytes(corpus) / 1e6
        # One untimed build each: the gazetteer index is compiled or loaded into the page cache.
        for venv in (args.a, args.b):
            _one_build(venv, corpus, tmp / "warm")
        times: dict[str, list[float]] = {"A": [], "B": []}
        peaks: dict[str, list[float]] = {"A": [], "B": []}
        for _ in range(args.runs):
            for side, venv in (("A", args.a), ("B", args.b)):
                seconds, peak = _one_build(venv, corpus, tmp / f"out-{side}")
                times[side].append(seconds)
                peaks[side].append(peak)
        print(f"{args.docs} synthetic reports, {mb:.1f} MB, {args.runs} interleaved runs per side")
        print("| side | venv | best s | median s | MB/s (best) | peak RSS MB |")
        print("|---|---|---|---|---|---|")
        for side, venv in (("A", args.a), ("B", args.b)):
            best, med = min(times[side]), statistics.median(times[side])
            print(
                f"| {side} | {venv} | {best:.1f} | {med:.1f} | {mb / best:.2f} | "
                f"{max(peaks[side]):.0f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
