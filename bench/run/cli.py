"""The ``python -m bench.run`` command (``make bench`` runs it with ``--one-core``): corpora,
end-to-end builds, stage timings, then the report, printed and appended to bench/results.md."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bench.run
from bench.run import REPO
from bench.run.builds import BuildRun, one_changed, run_build
from bench.run.report import RESULTS, Run, append, render_report
from bench.run.stages import real_text_bench, stage_bench
from bench.run.workdir import Corpus, parse_size, prepare_index, ready_corpus, snapshot


def _parser() -> argparse.ArgumentParser:
    doc = bench.run.__doc__ or ""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=doc.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1k,10k", help="Comma-separated corpus sizes, e.g. 1k,10k,100k."
    )
    parser.add_argument("--engine", default="auto", choices=["auto", "serial", "process", "dask"])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "conflictmap-bench",
        help="Where corpora (kept between runs) and build outputs go.",
    )
    parser.add_argument(
        "--sample-docs", type=int, default=3000, help="Reports for the one-core stage timings."
    )
    parser.add_argument("--no-stages", action="store_true", help="Skip the one-core stage timings.")
    parser.add_argument("--no-e2e", action="store_true", help="Skip the end-to-end builds.")
    parser.add_argument(
        "--real-text",
        type=Path,
        default=REPO.parent / "shared" / "eval",
        help="Folder of evaluation JSONL files whose texts (real news) are also timed "
        "through process_source on one core; skipped if missing.",
    )
    parser.add_argument(
        "--one-core",
        action="store_true",
        help="Also time a whole build of the largest corpus with --engine serial.",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="Seconds before a build is stopped (exit -9)."
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the stages; print top.")
    parser.add_argument(
        "--no-browser", action="store_true", help="Skip timing map.html in headless Chromium."
    )
    parser.add_argument("--no-append", action="store_true", help="Print only; leave results.md.")
    parser.add_argument(
        "--live",
        action="store_true",
        help="Benchmark the working tree instead of a snapshot of the committed HEAD.",
    )
    return parser


def _builds(
    args: argparse.Namespace, docs: int, mb: float, cdir: Path, code: Path | None
) -> tuple[Run, BuildRun | None]:
    """A cold build of one corpus, the no-change rebuild, and (when both ran) the rebuild after
    editing one report."""
    out = args.workdir / f"out-{docs}"
    shutil.rmtree(out, ignore_errors=True)  # a cold cache for the first build
    first = run_build(cdir, out, args.engine, args.workers, args.timeout, code)
    print(
        f"  build   {first.wall_s:7.2f} s  {docs / first.wall_s:8.0f} docs/s  "
        f"{mb / first.wall_s:6.2f} MB/s  peak PSS {first.peak_pss_mb:7.0f} MB  "
        f"exit {first.exit_code}  timings {first.timings}"
    )
    if first.exit_code != 0:
        print(first.stderr_tail, file=sys.stderr)
        # A rebuild after a failed build measures nothing useful.
        second = BuildRun(float("nan"), 0.0, 0.0, first.exit_code, {}, "")
    else:
        second = run_build(cdir, out, args.engine, args.workers, args.timeout, code)
    print(
        f"  rebuild {second.wall_s:7.2f} s  ratio {second.wall_s / first.wall_s:.3f}  "
        f"exit {second.exit_code}  timings {second.timings}"
    )
    third = one_changed(cdir, out, args, code) if second.exit_code == 0 else None
    return (docs, mb, first, second), third


def _stages(args: argparse.Namespace, corpora: dict[int, Corpus]) -> dict[str, Any] | None:
    """The one-core stage timings on the largest corpus, and on the real news texts."""
    if args.no_stages or not corpora:
        return None
    biggest, _ = corpora[max(corpora)]
    print(f"stage timings on one core, {args.sample_docs} reports of {biggest.name} ...")
    stages = stage_bench(biggest, args.sample_docs, args.profile, not args.no_browser)
    for k, v in stages.items():
        if not k.endswith("_profile"):
            print(f"  {k}: {v:.3f}" if isinstance(v, float) else f"  {k}: {v}")
    if args.profile:
        for k in ("geoparse_profile", "extract_profile", "render_profile"):
            if k in stages:
                print(f"\n=== {k} ===\n{stages[k]}")
    if args.real_text is not None and args.real_text.is_dir():
        print(f"process_source on the real news texts of {args.real_text} ...")
        stages["real_text"] = real_text_bench(args.real_text)
        print(f"  {stages['real_text']}")
    return stages


def _serial(
    args: argparse.Namespace, corpora: dict[int, Corpus], code: Path | None
) -> tuple[int, float, BuildRun] | None:
    """The whole build of the largest corpus on one core: reading, per-source work, merge and
    every writer (None when it failed)."""
    docs = max(corpora)
    cdir, mb = corpora[docs]
    out = args.workdir / f"out-{docs}-serial"
    shutil.rmtree(out, ignore_errors=True)
    run = run_build(cdir, out, "serial", None, args.timeout, code)
    print(f"  serial build {run.wall_s:7.2f} s  {mb / run.wall_s:6.2f} MB/s  {run.timings}")
    return (docs, mb, run) if run.exit_code == 0 else None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    try:
        args.loadavg = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        args.loadavg = "?"
    args.workdir.mkdir(parents=True, exist_ok=True)
    code = None if args.live else snapshot(args.workdir)
    if code is not None:
        # The in-process stage timings import the same frozen code.
        sys.path.insert(0, str(code))
        print(f"benchmarking the committed HEAD, extracted in {code}")
    args.index_ready_s = prepare_index(code)
    print(f"gazetteer index ready in {args.index_ready_s:.1f} s")

    runs: list[Run] = []
    touched: list[tuple[int, BuildRun]] = []
    corpora: dict[int, Corpus] = {}
    for docs in sizes:
        t = time.perf_counter()
        cdir, mb = corpora[docs] = ready_corpus(args.workdir, docs, args.seed)
        print(f"corpus {docs:,} docs, {mb:.1f} MB ready in {time.perf_counter() - t:.1f} s")
        if not args.no_e2e:
            run, third = _builds(args, docs, mb, cdir, code)
            runs.append(run)
            if third is not None:
                touched.append((docs, third))

    stages = _stages(args, corpora)
    serial = _serial(args, corpora, code) if args.one_core and corpora else None
    report = render_report(args, runs, stages, touched, serial)
    print(report)
    if not args.no_append:
        append(report)
        print(f"appended to {RESULTS}")
    return 0
