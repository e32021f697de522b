"""Stage timings on one core in this process: the pipeline's per-source work and its stages
(recognise, resolve, extract, merge, the writers, map.html in a browser) on a sample of a
synthetic corpus, and the per-source work on real news (the evaluation texts).

Results are held as the pipeline holds them (the GC heap frozen after each, see :func:`_held`),
and the gazetteer is warmed up first, so neither collections over kept results nor one-off
lazy loads count as throughput. The code is imported when a timing starts, so that a snapshot
put first on ``sys.path`` (:func:`bench.run.workdir.snapshot`) is the code timed.
"""

from __future__ import annotations

import contextlib
import cProfile
import datetime as dt
import gc
import io
import json
import pstats
import resource
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.run import MB

if TYPE_CHECKING:
    from gazetteer import Gazetteer
    from gazetteer.models import Mention
    from geo.models import Event, Source

#: Reports processed before any timing, to warm up lazy loads and first-use caches.
WARM_UP = 20


def load_corpus_sources(corpus: Path, limit: int) -> list[Source]:
    """Read up to ``limit`` reports as Source models, with geo.ingest (the pipeline's reader)."""
    from geo.ingest import load_sources

    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    sources: list[Source] = []
    for folder in folders:
        sources += load_sources([folder]).sources
        if len(sources) >= limit:
            break
    return sources[:limit]


def _profile_top(prof: cProfile.Profile, n: int = 25) -> str:
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(n)
    return buf.getvalue()


def _mb(sources: Sequence[Source]) -> float:
    return sum(len(s.text.encode("utf-8")) for s in sources) / MB


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


def _eval_sources(eval_dir: Path) -> list[Source]:
    """The texts of the evaluation corpora in ``eval_dir`` as sources (read in place)."""
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
    return docs


def real_text_bench(eval_dir: Path) -> dict[str, str]:
    """process_source on one core over real news: the texts of the evaluation corpora in
    ``eval_dir`` (read in place, never copied), per language, after a warm-up on every tenth
    text (lazy loads and first-use caches are not throughput)."""
    from gazetteer import Gazetteer
    from gazetteer.config import GazetteerConfig
    from geo.build.process import process_source

    docs = _eval_sources(eval_dir)
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


def _samples(
    corpus: Path, sample_docs: int
) -> tuple[list[Source], list[Source], list[Source], dict[str, Any]]:
    """Reports to warm up on, sample A, sample B, and the reading figures.

    Two disjoint samples: the gazetteer and the extractor remember what they worked out about
    names and words across reports, so timing a stage on reports another stage has just read
    would flatter it. Sample A times the pipeline's per-source function on reports this
    process has never seen; sample B, read after A as in a long build, gives the breakdown by
    stage.
    """
    t = time.perf_counter()
    with _held():
        loaded = load_corpus_sources(corpus, WARM_UP + 2 * sample_docs)
    read_s = time.perf_counter() - t
    read_bytes = sum(len(s.text.encode("utf-8")) for s in loaded)
    warm = loaded[:WARM_UP]
    half = (len(loaded) - WARM_UP + 1) // 2
    first, sources = loaded[WARM_UP : WARM_UP + half], loaded[WARM_UP + half :] or loaded[WARM_UP:]
    figures = {
        "read_s": read_s,
        "read_mb_s": read_bytes / MB / read_s,
        "sample_docs": len(first),
        "sample_mb": _mb(first),
        "breakdown_docs": len(sources),
        "breakdown_mb": _mb(sources),
    }
    return warm, first, sources, figures


def _time_process(first: Sequence[Source], gaz: Gazetteer, read_mb_s: float) -> dict[str, float]:
    """The pipeline's per-source work (geo.build.process.process_source: recognise, resolve,
    extract, the result model) on sample A, then with reading: text files to events on one
    core."""
    from geo.build.process import process_source

    t = time.perf_counter()
    results = []
    with _held():
        for s in first:
            results.append(process_source(s, gaz))
            gc.freeze()
    process_s = time.perf_counter() - t
    process_mb_s = _mb(first) / process_s
    return {
        "process_s": process_s,
        "process_mb_s": process_mb_s,
        "read_process_mb_s": 1 / (1 / read_mb_s + 1 / process_mb_s),
    }


def _time_geoparse(
    sources: Sequence[Source], gaz: Gazetteer, profile: bool
) -> tuple[list[list[Mention]], dict[str, Any]]:
    """Recognise + resolve (Gazetteer.geoparse) on sample B, overall and by language; and,
    when the gazetteer exposes it, recognition alone before it (resolution is then geoparse
    minus recognition; what recognition works out about names and words is remembered, so
    the geoparse pass after it is slightly favoured)."""
    out: dict[str, Any] = {}
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
    with _held():
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
    if prof:
        prof.disable()
        out["geoparse_profile"] = _profile_top(prof)
    geoparse_s = time.perf_counter() - t
    out["geoparse_s"] = geoparse_s
    out["geoparse_mb_s"] = _mb(sources) / geoparse_s
    out["mentions"] = sum(len(m) for m in mentions)
    out["geoparse_by_lang"] = {
        lang: f"{nb / MB / sec:.2f} MB/s ({sec * 1000 / max(1, n):.1f} ms/report)"
        for lang, (sec, nb) in sorted(by_lang.items())
        for n in [sum(1 for s in sources if s.language == lang)]
    }
    return mentions, out


def _time_extract(
    sources: Sequence[Source], mentions: Sequence[list[Mention]], gaz: Gazetteer, profile: bool
) -> tuple[list[Event], dict[str, Any]]:
    """extract_events on sample B, given its mentions."""
    from geo.events.extract import extract_events
    from geo.text.document import Document

    out: dict[str, Any] = {}
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
    out["extract_mb_s"] = _mb(sources) / extract_s
    out["events"] = len(events)
    return events, out


def _time_writers(
    events: Sequence[Event],
    sources: Sequence[Source],
    gaz: Gazetteer,
    profile: bool,
    browser: bool,
) -> dict[str, Any]:
    """The writers (map.html, GeoJSON, CSV) on 10,000 events (or all there are: unmerged
    events are all distinct, with ids), and map.html in headless Chromium."""
    from geo.build.outputs import WriteOptions, get_writer
    from geo.models import BuildManifest, BuildResult

    out: dict[str, Any] = {}
    render_events = list(events[:10_000])
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
    return out


def stage_bench(
    corpus: Path, sample_docs: int, profile: bool, browser: bool = True
) -> dict[str, Any]:
    """Time geoparse, extract, merge and the writers on one core in this process."""
    from gazetteer import Gazetteer
    from gazetteer.config import GazetteerConfig
    from geo.build.process import process_source
    from geo.events.merge import merge_events

    warm, first, sources, out = _samples(corpus, sample_docs)

    t = time.perf_counter()
    gaz = Gazetteer.load(GazetteerConfig())
    out["gazetteer_load_s"] = time.perf_counter() - t

    # Warm up first (lazy loads: the Russian morphology dictionaries, geometries, dateparser)
    # so that one-off start-up costs do not count as throughput.
    for s in warm:
        process_source(s, gaz)

    out |= _time_process(first, gaz, out["read_mb_s"])
    mentions, figures = _time_geoparse(sources, gaz, profile)
    out |= figures
    events, figures = _time_extract(sources, mentions, gaz, profile)
    out |= figures
    # Recognise + resolve + extract of sample B.
    out["per_source_mb_s"] = out["breakdown_mb"] / (out["geoparse_s"] + out["extract_s"])

    t = time.perf_counter()
    merged = merge_events(events)
    out["merge_s"] = time.perf_counter() - t
    out["merged_events"] = len(merged)

    out |= _time_writers(events, sources, gaz, profile, browser)
    out["stage_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out
