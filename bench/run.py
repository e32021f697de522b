"""Benchmark conflictmap on synthetic corpora and append the figures to bench/results.md.

For each size (1k and 10k reports by default; ``--sizes 1k,10k,100k`` for the long run) it:

1. generates the corpus once (``bench/corpus.py``, fixed seed, cached under ``--workdir``);
2. runs ``conflictmap build CORPUS --out OUT`` in a fresh process, end to end, timing it and
   sampling the resident memory of the whole process tree (pool workers included);
3. runs the same build again over the unchanged corpus (the incremental rebuild);
4. reads the stage timings of both builds from ``build.json``.

Then, on one core in this process, it times the per-source stages apart on a sample of the
largest corpus: ``Gazetteer.geoparse`` (recognise + resolve), ``extract_events``,
``merge_events``, and the writers (map.html, GeoJSON, CSV) on 10,000 events.

Targets (issue 7 and issue 5): 10k reports end to end ≤ 60 s and ≤ 1.5 GB peak; no-change
rebuild ≤ 2 s; gazetteer ≥ 2 MB/s on one core; extraction ≥ 1 MB/s end to end; 10k events
render ≤ 10 s.

Usage: ``python bench/run.py [--sizes 1k,10k] [--engine auto] [--workers N] [--profile]``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import gc
import io
import json
import os
import platform
import pstats
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus as corpus_mod  # noqa: E402  (bench/ is a folder of scripts, not a package)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results.md"
MB = 1_000_000

TARGETS = {
    "e2e_10k_s": 60.0,
    "peak_10k_mb": 1500.0,
    "rebuild_s": 2.0,
    "gazetteer_mb_s": 2.0,
    "extract_mb_s": 1.0,
    "render_10k_s": 10.0,
    "interactive_s": 3.0,
}


def parse_size(text: str) -> int:
    text = text.strip().lower()
    if text.endswith("k"):
        return int(float(text[:-1]) * 1000)
    return int(text)


# --------------------------------------------------------------------------- memory sampling


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


# --------------------------------------------------------------------------- code snapshot


def snapshot(workdir: Path) -> Path:
    """The committed HEAD, extracted under ``workdir`` (reused for the same commit).

    Builds run against this frozen copy, not the working tree, so that edits made while the
    benchmark runs neither mix two versions of the code nor change the code fingerprint in
    the cache key between the first build and the rebuild.
    """
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    dest = workdir / f"snapshot-{commit[:12]}"
    if not (dest / ".complete").exists():
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit], cwd=REPO, capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
        (dest / ".complete").write_text(commit, encoding="utf-8")
    for old in workdir.glob("snapshot-*"):
        if old != dest:  # snapshots of earlier commits are of no further use
            shutil.rmtree(old, ignore_errors=True)
    return dest


# --------------------------------------------------------------------------- end-to-end builds


@dataclass
class BuildRun:
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
    formats: list[str] | None,
    timeout: float | None = None,
    code_dir: Path | None = None,
) -> BuildRun:
    exe = Path(sys.executable).with_name("conflictmap")
    cmd = [str(exe), "build", str(corpus), "--out", str(out), "--engine", engine, "--quiet"]
    if workers:
        cmd += ["--workers", str(workers)]
    for fmt in formats or []:
        cmd += ["--format", fmt]
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        env = dict(os.environ)
        if code_dir is not None:
            # The snapshot's packages come first on sys.path, before the editable install.
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [str(code_dir), env.get("PYTHONPATH")])
            )
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
        run = run_build(corpus, out, args.engine, args.workers, None, args.timeout, code)
    finally:
        first.write_bytes(original)
    print(
        f"  1 edit  {run.wall_s:7.2f} s  processed {run.counts.get('processed')}  "
        f"exit {run.exit_code}"
    )
    return run


# --------------------------------------------------------------------------- stage micro-benchmarks


def load_corpus_sources(corpus: Path, limit: int) -> list[Any]:
    """Read up to ``limit`` reports as Source models, with geo.ingest (the pipeline's reader)."""
    from geo.ingest import load_sources

    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    sources: list[Any] = []
    for folder in folders:
        sources += load_sources([folder]).sources
        if len(sources) >= limit:
            break
    return sources[:limit]


def _profile_top(prof: cProfile.Profile, n: int = 25) -> str:
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(n)
    return buf.getvalue()


def browser_time(html: Path, chromium: str = "/usr/bin/chromium") -> float:
    """Seconds until map.html has loaded and Leaflet drew its map, in headless Chromium offline."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True)
        try:
            page = browser.new_page()
            # Offline, as the map must work: anything but the file itself is refused.
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
            )
            t = time.perf_counter()
            page.goto(html.as_uri(), wait_until="load", timeout=60_000)
            page.wait_for_function(
                "() => window.L && document.querySelector('.leaflet-container .leaflet-pane')",
                timeout=60_000,
            )
            return time.perf_counter() - t
        finally:
            browser.close()


@contextlib.contextmanager
def _held() -> Iterator[None]:
    """Hold results as the pipeline does: the loop freezes the GC heap after each one (so
    collections skip what is kept), and everything is unfrozen at the end."""
    try:
        yield
    finally:
        gc.unfreeze()


def real_text_bench(eval_dir: Path) -> dict[str, str]:
    """process_source on one core over real news: the texts of the evaluation corpora in
    ``eval_dir`` (read in place, never copied), per language, after a warm-up on every tenth
    text (lazy loads and first-use caches are not throughput)."""
    import json

    from gazetteer import Gazetteer
    from gazetteer.config import GazetteerConfig
    from geo.build.process import process_source
    from geo.models import Source

    docs = []
    for path in sorted(eval_dir.glob("*.jsonl")):
        lang = "ru" if "_ru" in path.stem or path.stem.startswith("ru") else "en"
        # JSON Lines: split at "\n" only (str.splitlines also splits at U+2028 in a text)
        lines = [x for x in path.read_text(encoding="utf-8").split("\n") if x.strip()]
        for i, line in enumerate(lines):
            text = json.loads(line)["text"]
            docs.append(
                Source(
                    source_id=f"{path.stem}-{i}",
                    path=f"{path.stem}-{i}.txt",
                    text=text,
                    language=lang,
                    published=dt.date(2020, 1, 1),
                )
            )
    gaz = Gazetteer.load(GazetteerConfig())
    for s in docs[::10]:
        process_source(s, gaz)
    out: dict[str, str] = {}
    rest = [s for k, s in enumerate(docs) if k % 10]
    for lang in sorted({s.language for s in rest}):
        sub = [s for s in rest if s.language == lang]
        nbytes = sum(len(s.text.encode("utf-8")) for s in sub)
        events = 0
        with _held():
            t = time.process_time()
            for s in sub:
                events += len(process_source(s, gaz).events)
                gc.freeze()
            sec = time.process_time() - t
        out[lang] = (
            f"{nbytes / MB / sec:.2f} MB/s ({len(sub)} texts, {nbytes / MB:.2f} MB, "
            f"{events} events, CPU time)"
        )
    return out


def stage_bench(
    corpus: Path, sample_docs: int, profile: bool, browser: bool = True
) -> dict[str, Any]:
    """Time geoparse, extract, merge and the writers on one core in this process."""
    from gazetteer import Gazetteer
    from gazetteer.config import GazetteerConfig
    from geo.build.outputs import WriteOptions, get_writer
    from geo.build.process import process_source
    from geo.events.extract import extract_events
    from geo.events.merge import merge_events
    from geo.models import BuildManifest, BuildResult
    from geo.text.document import Document

    out: dict[str, Any] = {}
    # Two disjoint samples (and 20 reports to warm up on): the gazetteer and the extractor
    # remember what they worked out about names and words across reports, so timing a stage
    # on reports another stage has just read would flatter it. Sample A times the pipeline's
    # per-source function on reports this process has never seen; sample B, read after A as
    # in a long build, gives the breakdown by stage.
    warm_n = 20
    t = time.perf_counter()
    with _held():
        loaded = load_corpus_sources(corpus, warm_n + 2 * sample_docs)
    read_s = time.perf_counter() - t
    read_bytes = sum(len(s.text.encode("utf-8")) for s in loaded)
    warm = loaded[:warm_n]
    half = (len(loaded) - warm_n + 1) // 2
    first, sources = loaded[warm_n : warm_n + half], loaded[warm_n + half :] or loaded[warm_n:]
    nbytes = sum(len(s.text.encode("utf-8")) for s in sources)
    first_bytes = sum(len(s.text.encode("utf-8")) for s in first)
    out["read_s"] = read_s
    out["read_mb_s"] = read_bytes / MB / read_s
    out["sample_docs"] = len(first)
    out["sample_mb"] = first_bytes / MB
    out["breakdown_docs"] = len(sources)
    out["breakdown_mb"] = nbytes / MB

    t = time.perf_counter()
    gaz = Gazetteer.load(GazetteerConfig())
    out["gazetteer_load_s"] = time.perf_counter() - t

    # Warm up first (lazy loads: the Russian morphology dictionaries, geometries, dateparser)
    # so that one-off start-up costs do not count as throughput.
    for s in warm:
        process_source(s, gaz)

    # The pipeline's per-source work (geo.build.process.process_source: recognise, resolve,
    # extract, the result model), then with reading: text files to events on one core.
    t = time.perf_counter()
    results = []
    with _held():
        for s in first:
            results.append(process_source(s, gaz))
            gc.freeze()
    out["process_s"] = time.perf_counter() - t
    out["process_mb_s"] = first_bytes / MB / out["process_s"]
    out["read_process_mb_s"] = 1 / (1 / out["read_mb_s"] + 1 / out["process_mb_s"])
    del results

    # Recognition alone (Gazetteer.recognize, when the gazetteer exposes it); resolution is
    # then geoparse minus recognition (what recognition works out about names and words is
    # remembered, so the geoparse pass after it is slightly favoured).
    if hasattr(gaz, "recognize"):
        t = time.perf_counter()
        for s in sources:
            gaz.recognize(s.text, lang=s.language)
        out["recognise_s"] = time.perf_counter() - t

    prof = cProfile.Profile() if profile else None
    mentions = []
    t = time.perf_counter()
    if prof:
        prof.enable()
    by_lang: dict[str, list[float]] = {}  # language -> [seconds, bytes]
    gc_block = _held()
    gc_block.__enter__()
    for s in sources:
        t_doc = time.perf_counter()
        mentions.append(
            [
                m.model_copy(update={"source_id": s.source_id})
                for m in gaz.geoparse(s.text, lang=s.language)
            ]
        )
        acc = by_lang.setdefault(s.language, [0.0, 0.0])
        acc[0] += time.perf_counter() - t_doc
        acc[1] += len(s.text.encode("utf-8"))
        gc.freeze()
    gc_block.__exit__(None, None, None)
    if prof:
        prof.disable()
        out["geoparse_profile"] = _profile_top(prof)
    geoparse_s = time.perf_counter() - t
    out["geoparse_s"] = geoparse_s
    out["geoparse_mb_s"] = nbytes / MB / geoparse_s
    out["mentions"] = sum(len(m) for m in mentions)
    out["geoparse_by_lang"] = {
        lang: f"{nb / MB / sec:.2f} MB/s ({sec * 1000 / max(1, n):.1f} ms/report)"
        for lang, (sec, nb) in sorted(by_lang.items())
        for n in [sum(1 for s in sources if s.language == lang)]
    }

    prof = cProfile.Profile() if profile else None
    events = []
    t = time.perf_counter()
    if prof:
        prof.enable()
    with _held():
        for s, ms in zip(sources, mentions, strict=True):
            events += extract_events(Document(s, ms), gaz)
            gc.freeze()
    if prof:
        prof.disable()
        out["extract_profile"] = _profile_top(prof)
    extract_s = time.perf_counter() - t
    out["extract_s"] = extract_s
    out["extract_mb_s"] = nbytes / MB / extract_s
    out["events"] = len(events)
    # Recognise + resolve + extract of sample B.
    out["per_source_mb_s"] = nbytes / MB / (geoparse_s + extract_s)

    t = time.perf_counter()
    merged = merge_events(events)
    out["merge_s"] = time.perf_counter() - t
    out["merged_events"] = len(merged)

    # Render 10,000 events (or all we have): unmerged events are all distinct, with ids.
    render_events = events[:10_000]
    place_ids = sorted({e.place_id for e in render_events if e.place_id})
    places = [gaz.get(pid) for pid in place_ids]
    used_sources = {ref.source_id for e in render_events for ref in e.sources}
    result = BuildResult(
        events=render_events,
        places=places,
        mentions=[],
        sources=[s for s in sources if s.source_id in used_sources],
        manifest=BuildManifest(
            tool_version="bench", gazetteer_version=gaz.version, built_at="2026-01-01T00:00:00"
        ),
    )
    out["render_events"] = len(render_events)
    options = WriteOptions(title="conflictmap benchmark", build_date="2026-01-01")
    with tempfile.TemporaryDirectory(prefix="cm-render-") as tmp:
        for fmt in ("html", "geojson", "csv"):
            try:
                writer = get_writer(fmt)
            except Exception as exc:  # a missing writer is reported, not fatal
                out[f"write_{fmt}_error"] = str(exc)
                continue
            prof = cProfile.Profile() if profile and fmt == "html" else None
            t = time.perf_counter()
            if prof:
                prof.enable()
            paths = writer.write(result, Path(tmp), options)
            if prof:
                prof.disable()
                out["render_profile"] = _profile_top(prof)
            out[f"write_{fmt}_s"] = time.perf_counter() - t
            out[f"write_{fmt}_mb"] = sum(p.stat().st_size for p in paths) / MB
        html = Path(tmp) / "map.html"
        if browser and html.exists():
            try:
                out["browser_interactive_s"] = browser_time(html)
            except Exception as exc:  # no chromium here: report, do not fail the run
                out["browser_error"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
    out["stage_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


# --------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
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


def render_report(
    args: argparse.Namespace,
    runs: list[tuple[int, float, BuildRun, BuildRun]],
    stages: dict[str, Any] | None,
    touched: list[tuple[int, BuildRun]] | None = None,
    serial: tuple[int, float, BuildRun] | None = None,
) -> str:
    now = dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## {now} — engine `{args.engine}`, workers {args.workers or 'all'}", ""]
    for k, v in machine().items():
        lines.append(f"- **{k}**: {v}")
    lines.append(f"- **load average before the run**: {args.loadavg}")
    lines.append(
        f"- **gazetteer index** loaded or compiled before the builds in "
        f"{getattr(args, 'index_ready_s', float('nan')):.1f} s (not counted below)"
    )
    lines += [
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
    for docs, third in touched or []:
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

    if stages:
        s = stages
        lines += [
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

    lines += ["", "### Targets", ""]
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
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    args = parser.parse_args(argv)

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
    # Compile (or load) the gazetteer index once, untimed: its first-use compilation is a
    # one-off per data version, not part of a build's cost.
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from gazetteer import Gazetteer; Gazetteer.load()"],
        env=env,
        cwd=tempfile.gettempdir(),  # not the repo: its packages would shadow the snapshot
        check=True,
    )
    args.index_ready_s = time.perf_counter() - t
    print(f"gazetteer index ready in {args.index_ready_s:.1f} s")

    runs: list[tuple[int, float, BuildRun, BuildRun]] = []
    touched: list[tuple[int, BuildRun]] = []
    corpora: dict[int, Path] = {}
    for docs in sizes:
        t = time.perf_counter()
        cdir = corpus_mod.generate(args.workdir / f"corpus-{docs}-s{args.seed}", docs, args.seed)
        mb = corpus_mod.corpus_bytes(cdir) / MB
        corpora[docs] = cdir
        print(f"corpus {docs:,} docs, {mb:.1f} MB ready in {time.perf_counter() - t:.1f} s")
        if args.no_e2e:
            continue
        out = args.workdir / f"out-{docs}"
        shutil.rmtree(out, ignore_errors=True)  # a cold cache for the first build
        first = run_build(cdir, out, args.engine, args.workers, None, args.timeout, code)
        print(
            f"  build   {first.wall_s:7.2f} s  {docs / first.wall_s:8.0f} docs/s  "
            f"{mb / first.wall_s:6.2f} MB/s  peak PSS {first.peak_pss_mb:7.0f} MB  "
            f"exit {first.exit_code}  timings {first.timings}"
        )
        if first.exit_code != 0:
            print(first.stderr_tail, file=sys.stderr)
        if first.exit_code != 0:
            # A rebuild after a failed build measures nothing useful.
            second = BuildRun(float("nan"), 0.0, 0.0, first.exit_code, {}, "")
        else:
            second = run_build(cdir, out, args.engine, args.workers, None, args.timeout, code)
        print(
            f"  rebuild {second.wall_s:7.2f} s  ratio {second.wall_s / first.wall_s:.3f}  "
            f"exit {second.exit_code}  timings {second.timings}"
        )
        runs.append((docs, mb, first, second))
        if second.exit_code == 0:
            touched.append((docs, one_changed(cdir, out, args, code)))

    stages = None
    if not args.no_stages and corpora:
        biggest = corpora[max(corpora)]
        print(f"stage timings on one core, {args.sample_docs} reports of {biggest.name} ...")
        stages = stage_bench(biggest, args.sample_docs, args.profile, not args.no_browser)
        for k, v in stages.items():
            if not k.endswith("_profile"):
                print(f"  {k}: {v:.3f}" if isinstance(v, float) else f"  {k}: {v}")
        if args.profile:
            for k in ("geoparse_profile", "extract_profile", "render_profile"):
                if k in stages:
                    print(f"\n=== {k} ===\n{stages[k]}")

    if args.real_text is not None and args.real_text.is_dir() and stages is not None:
        print(f"process_source on the real news texts of {args.real_text} ...")
        stages["real_text"] = real_text_bench(args.real_text)
        print(f"  {stages['real_text']}")

    serial = None
    if args.one_core and corpora:
        # The whole build on one core: reading, per-source work, merge and every writer.
        docs = max(corpora)
        out = args.workdir / f"out-{docs}-serial"
        shutil.rmtree(out, ignore_errors=True)
        run = run_build(corpora[docs], out, "serial", None, None, args.timeout, code)
        mb = corpus_mod.corpus_bytes(corpora[docs]) / MB
        print(f"  serial build {run.wall_s:7.2f} s  {mb / run.wall_s:6.2f} MB/s  {run.timings}")
        if run.exit_code == 0:
            serial = (docs, mb, run)
    report = render_report(args, runs, stages, touched, serial)
    print(report)
    if not args.no_append:
        header = (
            ""
            if RESULTS.exists()
            else "# Benchmark results\n\nAppended by `make bench` (bench/run.py).\n\n"
        )
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(header + report + "\n")
        print(f"appended to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
