"""The ``python -m bench.evaluate`` command: a rich table of the results, and JSON on request."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bench.evaluate.runner import CorpusResult, evaluate_file

if TYPE_CHECKING:
    from gazetteer.core import Gazetteer


def _fmt(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if pct else f"{value:.3f}"


def _vs(value: float | None, target: float | None, pct: bool = False) -> str:
    """A figure with its target beside it, marked ✓ or ✗."""
    text = _fmt(value, pct)
    if target is None or value is None:
        return text
    mark = "[green]✓[/green]" if value >= target else "[red]✗[/red]"
    return f"{text} {mark} ≥{_fmt(target, pct)}"


def _rows(r: CorpusResult) -> dict[str, str]:
    """The table cells of one corpus, keyed by metric."""
    rec, res, t = r.recognition, r.resolution, r.target
    coords = res.gold_with_coords > 0
    mean_err = res.mean_error_km
    return {
        "documents": str(r.documents),
        "gold / predicted": f"{rec.tp + rec.fn} / {rec.tp + rec.fp}",
        "precision": _fmt(rec.precision),
        "recall": _fmt(rec.recall),
        "F1 (exact spans)": _vs(rec.f1, t.f1),
        "F1 city/country/prov.": (
            _vs(r.restricted.f1, t.f1_restricted) if r.restricted is not None else "—"
        ),
        "acc@161 km (found)": _fmt(res.accuracy, pct=True) if coords else "—",
        "mean error km": f"{mean_err:.0f}" if mean_err is not None else "—",
        "end to end": _vs(res.end_to_end, t.end_to_end, pct=True) if coords else "—",
        "end to end, all gold": _fmt(res.end_to_end_all, pct=True) if coords else "—",
        "MB/s": f"{r.mb_per_s:.2f}" if r.seconds > 0 else "—",
    }


def render_table(results: Sequence[CorpusResult]) -> Any:
    """A rich table of the results: one column per corpus, targets beside the figures."""
    from rich.table import Table

    table = Table(title="conflictmap gazetteer evaluation (dev split)")
    table.add_column("metric", no_wrap=True)
    cells = [_rows(r) for r in results]
    for r in results:
        table.add_column(r.corpus, no_wrap=True)
    for metric in cells[0] if cells else {}:
        table.add_row(metric, *(c[metric] for c in cells))
    return table


def _ready_gazetteer(demonyms: bool) -> tuple[Gazetteer, float]:
    """The gazetteer the corpora are scored with, warmed up, and the seconds it took to load."""
    from gazetteer.config import GazetteerConfig
    from gazetteer.core import Gazetteer

    t0 = time.perf_counter()
    gazetteer = Gazetteer.load(
        GazetteerConfig(demonyms=demonyms, landmark_actors=False, streets=True)
    )
    load_seconds = time.perf_counter() - t0
    # Warm lazily loaded parts (morphology, geometries) so throughput measures steady state.
    gazetteer.geoparse("Talks in Paris and Moscow.", lang="en")
    gazetteer.geoparse("Переговоры в Москве и Париже.", lang="ru")
    return gazetteer, load_seconds


def _top_errors(results: Sequence[CorpusResult], n: int) -> Iterator[str]:
    """Per corpus, its ``n`` most frequent missed, spurious and misresolved names (rich markup)."""
    from rich.markup import escape

    for r in results:
        for label, counts in (
            ("missed", r.tally.missed),
            ("spurious", r.tally.spurious),
            ("misresolved", r.tally.misresolved),
        ):
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
            listed = ", ".join(f"{name!r}×{k}" for name, k in top) or "none"
            yield f"[bold]{r.corpus}[/bold] {label}: {escape(listed)}"


@click.command(
    epilog="""\b
Examples:
  python -m bench.evaluate ../shared/eval
  python -m bench.evaluate ../shared/eval --limit 20 --json eval.json

End to end is the share of gold toponyms with coordinates both found (exact span) and
resolved within 161 km; "e2e (all gold)" also counts gold toponyms without coordinates.
"""
)
@click.argument(
    "eval_dir", required=False, default="../shared/eval", type=click.Path(path_type=Path)
)
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="Write results as JSON.")
@click.option(
    "--limit", type=click.IntRange(min=1), help="Score only the first N documents per corpus."
)
@click.option(
    "--errors",
    "show_errors",
    type=click.IntRange(min=1),
    help="Also list the N most frequent missed, spurious and misresolved names per corpus.",
)
@click.option(
    "--demonyms/--no-demonyms",
    default=True,
    show_default=True,
    help="Count demonyms and place adjectives as toponyms, as the corpora annotate them "
    "(the same default as `conflictmap geoparse`).",
)
def main(
    eval_dir: Path,
    json_out: Path | None,
    limit: int | None,
    show_errors: int | None,
    demonyms: bool,
) -> None:
    """Score recognition and resolution on every *.dev.jsonl corpus in EVAL_DIR."""
    from rich.console import Console

    console = Console()
    if not eval_dir.is_dir():
        console.print(
            f"No evaluation folder at {eval_dir}: nothing to score. "
            "Pass the folder holding the *.dev.jsonl corpora, e.g. ../shared/eval."
        )
        return
    files = sorted(eval_dir.glob("*.dev.jsonl"))
    if not files:
        console.print(f"No *.dev.jsonl files in {eval_dir}: nothing to score.")
        return

    from gazetteer.errors import ConflictmapError

    try:
        gazetteer, load_seconds = _ready_gazetteer(demonyms)
        results = [evaluate_file(gazetteer, f, limit) for f in files]
    except ConflictmapError as exc:
        raise click.ClickException(str(exc)) from exc
    console.print(render_table(results))
    if show_errors:
        for line in _top_errors(results, show_errors):
            console.print(line)
    console.print(
        f"gazetteer {gazetteer.version}, loaded in {load_seconds:.2f} s; "
        "throughput counts geoparse and place lookup only."
    )
    if json_out is not None:
        payload = {
            "gazetteer_version": gazetteer.version,
            "load_seconds": load_seconds,
            "limit": limit,
            "corpora": [r.summary() for r in results],
        }
        json_out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", "utf-8")
        console.print(f"wrote {json_out}")
