"""The Markdown section a run appends to bench/results.md: the machine, the end-to-end builds,
the stage timings and the targets, each figure beside its target."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from bench.run import REPO
from bench.run.builds import BuildRun

RESULTS = REPO / "bench" / "results.md"

#: The targets of issues 5 and 7 (seconds, MB of peak memory, MB/s).
TARGETS = {
    "e2e_10k_s": 60.0,
    "peak_10k_mb": 1500.0,
    "rebuild_s": 2.0,
    "gazetteer_mb_s": 2.0,
    "extract_mb_s": 1.0,
    "render_10k_s": 10.0,
    "interactive_s": 3.0,
}

#: One size's end-to-end figures: docs, megabytes, the first build and the rebuild.
Run = tuple[int, float, BuildRun, BuildRun]


def machine() -> dict[str, str]:
    """The machine and software the figures were measured on: CPU, cores, RAM, versions."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for pkg in (
        "conflictmap",
        "pydantic",
        "pyahocorasick",
        "pymorphy3",
        "dateparser",
        "geopandas",
        "shapely",
        "folium",
        "dask",
        "distributed",
    ):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{pkg} {metadata.version(pkg)}")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return {
        "CPU": cpu,
        "cores": f"{cores} available ({os.cpu_count()} logical)",
        "RAM": f"{psutil.virtual_memory().total / 1e9:.1f} GB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "versions": ", ".join(versions),
        "commit": commit or "?",
    }


def _ok(value: float, target: float, lower_is_better: bool = True) -> str:
    good = value <= target if lower_is_better else value >= target
    return "✅" if good else "❌"


def _header(args: argparse.Namespace) -> list[str]:
    """The run's title line and the machine it ran on."""
    now = dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## {now} — engine `{args.engine}`, workers {args.workers or 'all'}", ""]
    for k, v in machine().items():
        lines.append(f"- **{k}**: {v}")
    lines.append(f"- **load average before the run**: {args.loadavg}")
    lines.append(
        f"- **gazetteer index** loaded or compiled before the builds in "
        f"{getattr(args, 'index_ready_s', float('nan')):.1f} s (not counted below)"
    )
    return lines


def _end_to_end(runs: list[Run], touched: list[tuple[int, BuildRun]]) -> list[str]:
    """The end-to-end table, the one-edit rebuilds, the stage timings of build.json and the
    stderr of failed builds."""
    lines = [
        "",
        "### End to end (`conflictmap build`, fresh process, cold cache)",
        "",
        "| docs | MB | build s | docs/s | MB/s | peak PSS (tree) | peak RSS sum | rebuild s "
        "| rebuild/build | events | places | exit |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for docs, mb, first, second in runs:
        c = first.counts
        lines.append(
            f"| {docs:,} | {mb:.1f} | {first.wall_s:.1f} | {docs / first.wall_s:,.0f} "
            f"| {mb / first.wall_s:.2f} | {first.peak_pss_mb:,.0f} MB "
            f"| {first.peak_tree_mb:,.0f} MB | {second.wall_s:.2f} "
            f"| {second.wall_s / first.wall_s:.3f} | {c.get('events', '?')} "
            f"| {c.get('places', '?')} | {first.exit_code}/{second.exit_code} |"
        )
    for docs, third in touched:
        c = third.counts
        lines.append("")
        lines.append(
            f"One report of {docs:,} edited, then rebuilt: {third.wall_s:.2f} s, "
            f"{c.get('processed', '?')} processed, {c.get('reused', '?')} reused "
            f"(build.json total {third.timings.get('total', float('nan')):.2f} s)."
        )
    lines += ["", "Stage timings from build.json (seconds; first build → rebuild):", ""]
    keys: list[str] = []
    for _, _, first, second in runs:
        for k in [*first.timings, *second.timings]:
            if k not in keys:
                keys.append(k)
    lines.append("| docs | " + " | ".join(keys) + " |")
    lines.append("|---:|" + "---:|" * len(keys))
    for docs, _, first, second in runs:
        cells = []
        for k in keys:
            a, b = first.timings.get(k), second.timings.get(k)
            cells.append(
                " → ".join(f"{x:.2f}" if isinstance(x, int | float) else "–" for x in (a, b))
            )
        lines.append(f"| {docs:,} | " + " | ".join(cells) + " |")
    failed = [(d, f) for d, _, f, _ in runs if f.exit_code != 0]
    failed += [(d, s) for d, _, f, s in runs if f.exit_code == 0 and s.exit_code != 0]
    for d, r in failed:
        why = "was stopped after --timeout" if r.exit_code == -9 else f"exited {r.exit_code}"
        lines += ["", f"Build of {d:,} docs {why}:", "", "```", r.stderr_tail, "```"]
    return lines


def _stage_table(s: dict[str, Any]) -> list[str]:
    """The table of the one-core stage timings."""
    lines = [
        "",
        f"### Stages on one core ({s['sample_docs']:,} reports, {s['sample_mb']:.1f} MB; "
        f"breakdown on {s.get('breakdown_docs', s['sample_docs']):,} others)",
        "",
        "| stage | seconds | throughput |",
        "|---|---:|---:|",
        f"| read (geo.ingest) | {s['read_s']:.2f} "
        f"| {s.get('read_mb_s', s['sample_mb'] / s['read_s']):.1f} MB/s |",
        f"| gazetteer load | {s['gazetteer_load_s']:.2f} | |",
        *(
            [
                f"| **process_source** (as the pipeline runs it; reports not seen before) "
                f"| {s['process_s']:.2f} | {s['process_mb_s']:.2f} MB/s |",
                f"| **read + process_source** | | {s['read_process_mb_s']:.2f} MB/s |",
            ]
            if "process_s" in s
            else []
        ),
        f"| recognise + resolve (geoparse) | {s['geoparse_s']:.2f} "
        f"| {s['geoparse_mb_s']:.2f} MB/s, {s['mentions']:,} mentions |",
        *(
            [
                f"| … of which recognise | {s['recognise_s']:.2f} "
                f"| {s['sample_mb'] / s['recognise_s']:.2f} MB/s |",
                f"| … of which resolve | {s['geoparse_s'] - s['recognise_s']:.2f} | |",
            ]
            if "recognise_s" in s
            else []
        ),
        *(
            f"| … geoparse, {lang} reports | | {rate} |"
            for lang, rate in s.get("geoparse_by_lang", {}).items()
        ),
        f"| extract_events | {s['extract_s']:.2f} "
        f"| {s['extract_mb_s']:.2f} MB/s, {s['events']:,} events |",
        f"| geoparse + extract_events | {s['geoparse_s'] + s['extract_s']:.2f} "
        f"| {s['per_source_mb_s']:.2f} MB/s |",
        f"| merge_events | {s['merge_s']:.2f} | {s['merged_events']:,} merged events |",
    ]
    for fmt in ("html", "geojson", "csv"):
        if f"write_{fmt}_s" in s:
            lines.append(
                f"| write {fmt} ({s['render_events']:,} events) | {s[f'write_{fmt}_s']:.2f} "
                f"| {s[f'write_{fmt}_mb']:.1f} MB |"
            )
        elif f"write_{fmt}_error" in s:
            lines.append(f"| write {fmt} | failed | {s[f'write_{fmt}_error']} |")
    for lang, rate in s.get("real_text", {}).items():
        lines.append(f"| process_source, real news ({lang}) | | {rate} |")
    if "browser_interactive_s" in s:
        lines.append(
            f"| map.html interactive in headless Chromium | {s['browser_interactive_s']:.2f} | |"
        )
    elif "browser_error" in s:
        lines.append(f"| map.html in headless Chromium | failed | {s['browser_error']} |")
    return lines


def _targets(
    args: argparse.Namespace,
    runs: list[Run],
    stages: dict[str, Any] | None,
    serial: tuple[int, float, BuildRun] | None,
) -> list[str]:
    """Each measured figure that has a target, with ✅ or ❌."""
    lines = ["", "### Targets", ""]
    by_docs = {d: (mb, f, s) for d, mb, f, s in runs}
    if 10_000 in by_docs:
        _, f, s2 = by_docs[10_000]
        lines.append(
            f"- 10k end to end {f.wall_s:.1f} s ≤ 60 s {_ok(f.wall_s, TARGETS['e2e_10k_s'])}; "
            f"peak {f.peak_pss_mb:,.0f} MB (PSS; RSS sum {f.peak_tree_mb:,.0f} MB) ≤ 1,500 MB "
            f"{_ok(f.peak_pss_mb, TARGETS['peak_10k_mb'])}"
        )
        lines.append(
            f"- 10k no-change rebuild {s2.wall_s:.2f} s ≤ 2 s "
            f"{_ok(s2.wall_s, TARGETS['rebuild_s'])} (build.json total "
            f"{s2.timings.get('total', float('nan')):.2f} s; the rest is interpreter start-up)"
        )
    if stages and "read_process_mb_s" in stages:
        rate = stages["read_process_mb_s"]
        lines.append(
            f"- text to events on one core (read + recognise + resolve + extract, per source): "
            f"{rate:.2f} MB/s ≥ 1 MB/s "
            f"{_ok(rate, TARGETS['extract_mb_s'], lower_is_better=False)}"
        )
    if stages and stages.get("real_text"):
        lines.append(
            "- real news on one core (process_source; eval texts): "
            + "; ".join(f"{lang} {rate}" for lang, rate in stages["real_text"].items())
        )
    if serial is not None:
        d, mb, f = serial
        lines.append(
            f"- whole build on one core (`--engine serial`, {d:,} docs, with merge and every "
            f"writer): {mb / f.wall_s:.2f} MB/s ({f.wall_s:.1f} s wall; build.json "
            f"{', '.join(f'{k} {v:.1f}' for k, v in f.timings.items())})"
        )
    if runs:
        d, mb, f, _ = runs[-1]
        lines.append(f"- whole build at {d:,} docs, engine {args.engine}: {mb / f.wall_s:.2f} MB/s")
    if stages:
        lines.append(
            f"- gazetteer recognise + resolve on one core: {stages['geoparse_mb_s']:.2f} MB/s "
            f"≥ 2 MB/s "
            f"{_ok(stages['geoparse_mb_s'], TARGETS['gazetteer_mb_s'], lower_is_better=False)}"
        )
        if "write_html_s" in stages:
            lines.append(
                f"- map.html for {stages['render_events']:,} events: {stages['write_html_s']:.2f} s "
                f"≤ 10 s {_ok(stages['write_html_s'], TARGETS['render_10k_s'])}"
            )
        if "browser_interactive_s" in stages:
            b = stages["browser_interactive_s"]
            lines.append(
                f"- map.html interactive in headless Chromium: {b:.2f} s ≤ 3 s "
                f"{_ok(b, TARGETS['interactive_s'])}"
            )
    return lines


def render_report(
    args: argparse.Namespace,
    runs: list[Run],
    stages: dict[str, Any] | None,
    touched: list[tuple[int, BuildRun]],
    serial: tuple[int, float, BuildRun] | None,
) -> str:
    """The Markdown section of one run."""
    lines = _header(args) + _end_to_end(runs, touched)
    if stages:
        lines += _stage_table(stages)
    lines += _targets(args, runs, stages, serial)
    lines.append("")
    return "\n".join(lines)


def append(report: str, results: Path = RESULTS) -> None:
    """Append ``report`` to ``results`` (bench/results.md), with a title if it is new."""
    header = (
        ""
        if results.exists()
        else "# Benchmark results\n\nAppended by `make bench` (`python -m bench.run`).\n\n"
    )
    with results.open("a", encoding="utf-8") as fh:
        fh.write(header + report + "\n")
