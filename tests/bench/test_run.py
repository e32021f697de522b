"""The speed benchmark's report (``bench.run``) from made-up figures: no build, no timing."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.run.builds import BuildRun
from bench.run.report import append, render_report
from bench.run.workdir import parse_size


def test_parse_size() -> None:
    assert parse_size("10k") == 10_000
    assert parse_size(" 1.5K ") == 1_500
    assert parse_size("200") == 200


def _run(wall: float, code: int = 0) -> BuildRun:
    manifest = {"timings": {"process": wall / 2, "total": wall}, "counts": {"events": 7}}
    return BuildRun(wall, 900.0, 800.0, code, manifest, "boom" if code else "")


def test_report_has_every_part_and_marks_targets(tmp_path: Path) -> None:
    args = argparse.Namespace(engine="auto", workers=None, loadavg="0.10", index_ready_s=1.0)
    runs = [(10_000, 30.0, _run(40.0), _run(1.5)), (200, 0.6, _run(2.0, code=1), _run(1.0))]
    stages = {
        "sample_docs": 100,
        "sample_mb": 0.3,
        "read_s": 0.1,
        "gazetteer_load_s": 0.5,
        "geoparse_s": 0.1,
        "geoparse_mb_s": 3.0,
        "mentions": 1234,
        "extract_s": 0.2,
        "extract_mb_s": 1.5,
        "events": 56,
        "per_source_mb_s": 1.0,
        "merge_s": 0.01,
        "merged_events": 50,
        "render_events": 56,
        "write_html_s": 0.3,
        "write_html_mb": 1.0,
    }
    report = render_report(args, runs, stages, [(10_000, _run(3.0))], (10_000, 30.0, _run(30.0)))
    assert report.startswith("## ") and "engine `auto`, workers all" in report
    assert "| 10,000 | 30.0 | 40.0 | 250 | 0.75 | 800 MB | 900 MB | 1.50 |" in report
    assert "One report of 10,000 edited, then rebuilt: 3.00 s" in report
    assert "| 10,000 | 20.00 → 0.75 | 40.00 → 1.50 |" in report
    assert "Build of 200 docs exited 1:" in report and "boom" in report
    assert "| recognise + resolve (geoparse) | 0.10 | 3.00 MB/s, 1,234 mentions |" in report
    assert "- 10k end to end 40.0 s ≤ 60 s ✅; peak 800 MB" in report
    assert "- 10k no-change rebuild 1.50 s ≤ 2 s ✅" in report
    assert "- whole build on one core (`--engine serial`, 10,000 docs" in report
    assert "- map.html for 56 events: 0.30 s ≤ 10 s ✅" in report

    results = tmp_path / "results.md"
    append(report, results)
    append(report, results)
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results\n") and text.count("# Benchmark results") == 1
    assert text.count(report) == 2
