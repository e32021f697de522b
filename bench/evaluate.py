"""Score the gazetteer on gold-standard corpora: ``python -m bench.evaluate [EVAL_DIR]``.

For each ``*.dev.jsonl`` file in ``EVAL_DIR`` (lines ``{id, text, lang?, toponyms: [{start, end,
name, lat, lon, geonameid, type?}]}``) it runs :meth:`Gazetteer.geoparse` on every text and
reports:

- recognition: precision, recall and F1 on exact character spans (micro-averaged);
- resolution: over gold toponyms that were found and have gold coordinates, the share resolved
  within 161 km (100 miles, the customary threshold) and the mean error in km;
- end to end: the share of gold toponyms with coordinates that were both found and resolved
  within 161 km (and, for reference, the same share over *all* gold toponyms);
- for NEREL, F1 restricted to ``CITY``, ``COUNTRY`` and ``STATE_OR_PROVINCE``;
- throughput in MB of UTF-8 text per second.

The scoring functions are pure (gold and predicted spans in, counts out) so they are tested on
tiny synthetic gold; only :func:`evaluate_file` touches the gazetteer. The command always exits
0 when it ran, even below target: it measures, it does not gate.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from geopy.distance import geodesic
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gazetteer.errors import GazetteerDataError

if TYPE_CHECKING:
    from gazetteer.core import Gazetteer

#: Resolution counts as correct within this distance (100 miles, as in the geoparsing literature).
ACCURACY_KM = 161.0

#: NEREL entity types that the restricted F1 is computed on.
NEREL_MAIN_TYPES = frozenset({"CITY", "COUNTRY", "STATE_OR_PROVINCE"})


class GoldToponym(BaseModel):
    """One gold toponym; corpus-specific extra fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    name: str = ""
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    type: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None


class GoldDocument(BaseModel):
    """One line of an evaluation corpus."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    text: str
    lang: str = "en"
    toponyms: list[GoldToponym] = Field(default_factory=list)


class PredictedToponym(BaseModel):
    """A recognised span and, if resolved, its coordinates."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    lat: float | None = None
    lon: float | None = None
    place_id: str | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


class RecognitionCounts(BaseModel):
    """True positives, false positives and false negatives on exact spans."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: RecognitionCounts) -> RecognitionCounts:
        return RecognitionCounts(
            tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn
        )

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class ResolutionCounts(BaseModel):
    """Resolution outcomes over gold toponyms that carry coordinates."""

    gold_total: int = Field(0, description="All gold toponyms, with or without coordinates.")
    gold_with_coords: int = Field(0, description="Gold toponyms with coordinates.")
    found: int = Field(0, description="Gold toponyms with coordinates whose exact span was found.")
    resolved: int = Field(0, description="... of those, the ones the prediction gave coordinates.")
    correct: int = Field(0, description="... of those found, resolved within ACCURACY_KM.")
    error_km_sum: float = Field(0.0, description="Sum of errors over the resolved ones.")

    def __add__(self, other: ResolutionCounts) -> ResolutionCounts:
        return ResolutionCounts(
            gold_total=self.gold_total + other.gold_total,
            gold_with_coords=self.gold_with_coords + other.gold_with_coords,
            found=self.found + other.found,
            resolved=self.resolved + other.resolved,
            correct=self.correct + other.correct,
            error_km_sum=self.error_km_sum + other.error_km_sum,
        )

    @property
    def accuracy(self) -> float:
        """Share of found gold toponyms resolved within :data:`ACCURACY_KM`."""
        return self.correct / self.found if self.found else 0.0

    @property
    def mean_error_km(self) -> float | None:
        """Mean error over found toponyms that were resolved; None when there are none."""
        return self.error_km_sum / self.resolved if self.resolved else None

    @property
    def end_to_end(self) -> float:
        """Share of gold toponyms with coordinates both found and resolved within the limit."""
        return self.correct / self.gold_with_coords if self.gold_with_coords else 0.0

    @property
    def end_to_end_all(self) -> float:
        """The same share over all gold toponyms (those without coordinates count as misses)."""
        return self.correct / self.gold_total if self.gold_total else 0.0


def score_recognition(
    gold: Iterable[tuple[int, int]],
    predicted: Iterable[tuple[int, int]],
    ignore: Iterable[tuple[int, int]] = (),
) -> RecognitionCounts:
    """Count exact-span matches between gold and predicted spans of one document.

    Spans in ``ignore`` (gold spans of types outside the scored set) are neither true nor false
    positives when predicted: a restricted score must not punish finding a real place.
    """
    gold_set = set(gold)
    pred_set = set(predicted) - (set(ignore) - gold_set)
    tp = len(gold_set & pred_set)
    return RecognitionCounts(tp=tp, fp=len(pred_set) - tp, fn=len(gold_set) - tp)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance in km on the WGS84 ellipsoid."""
    return float(geodesic((lat1, lon1), (lat2, lon2)).km)


def score_resolution(
    gold: Sequence[GoldToponym], predicted: Sequence[PredictedToponym]
) -> ResolutionCounts:
    """Score the resolution of one document's predictions against its gold toponyms."""
    by_span = {p.span: p for p in predicted}
    counts = ResolutionCounts(gold_total=len(gold))
    for g in gold:
        if g.lat is None or g.lon is None:
            continue
        counts.gold_with_coords += 1
        p = by_span.get(g.span)
        if p is None:
            continue
        counts.found += 1
        if p.lat is None or p.lon is None:
            continue
        err = distance_km(g.lat, g.lon, p.lat, p.lon)
        counts.resolved += 1
        counts.error_km_sum += err
        if err <= ACCURACY_KM:
            counts.correct += 1
    return counts


def score_document(
    gold: Sequence[GoldToponym],
    predicted: Sequence[PredictedToponym],
    restrict_types: frozenset[str] | None = None,
) -> tuple[RecognitionCounts, ResolutionCounts, RecognitionCounts | None]:
    """Recognition, resolution and (if ``restrict_types``) restricted recognition counts."""
    pred_spans = [p.span for p in predicted]
    recognition = score_recognition([g.span for g in gold], pred_spans)
    resolution = score_resolution(gold, predicted)
    restricted = None
    if restrict_types is not None:
        restricted = score_recognition(
            [g.span for g in gold if g.type in restrict_types],
            pred_spans,
            ignore=[g.span for g in gold if g.type not in restrict_types],
        )
    return recognition, resolution, restricted


class ErrorTally(BaseModel):
    """Surface forms behind the errors, for diagnosis (``--errors N``)."""

    missed: dict[str, int] = Field(default_factory=dict, description="Gold spans not found.")
    spurious: dict[str, int] = Field(default_factory=dict, description="Predictions not in gold.")
    misresolved: dict[str, int] = Field(
        default_factory=dict, description="Found, but resolved more than ACCURACY_KM away."
    )

    def add(self, other: ErrorTally) -> None:
        for mine, theirs in (
            (self.missed, other.missed),
            (self.spurious, other.spurious),
            (self.misresolved, other.misresolved),
        ):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n


def tally_errors(
    text: str, gold: Sequence[GoldToponym], predicted: Sequence[PredictedToponym]
) -> ErrorTally:
    """Which surface forms were missed, spurious or resolved too far away in one document."""
    tally = ErrorTally()
    gold_spans = {g.span for g in gold}
    by_span = {p.span: p for p in predicted}
    for g in gold:
        p = by_span.get(g.span)
        if p is None:
            tally.missed[g.name] = tally.missed.get(g.name, 0) + 1
        elif (
            g.lat is not None
            and g.lon is not None
            and p.lat is not None
            and p.lon is not None
            and distance_km(g.lat, g.lon, p.lat, p.lon) > ACCURACY_KM
        ):
            key = f"{g.name} → {p.place_id}"
            tally.misresolved[key] = tally.misresolved.get(key, 0) + 1
    for p in predicted:
        if p.span not in gold_spans:
            name = text[p.start : p.end]
            tally.spurious[name] = tally.spurious.get(name, 0) + 1
    return tally


class Target(BaseModel):
    """The figures a corpus must reach (issue 3)."""

    f1: float | None = None
    end_to_end: float | None = None
    f1_restricted: float | None = None


#: Targets keyed by corpus name (the file name before ``.dev.jsonl``).
TARGETS: dict[str, Target] = {
    "geowebnews": Target(f1=0.85, end_to_end=0.80),
    "lgl": Target(f1=0.75, end_to_end=0.65),
    "nerel_ru_geo": Target(f1_restricted=0.85),
}


class CorpusResult(BaseModel):
    """Everything measured on one corpus file."""

    corpus: str
    path: str
    documents: int
    megabytes: float
    seconds: float
    recognition: RecognitionCounts
    resolution: ResolutionCounts
    restricted: RecognitionCounts | None = None
    restricted_types: list[str] = Field(default_factory=list)
    target: Target = Field(default_factory=Target)
    errors: int = Field(0, description="Lines that could not be read.")
    tally: ErrorTally = Field(default_factory=ErrorTally)

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.seconds if self.seconds > 0 else math.inf

    def summary(self) -> dict[str, Any]:
        """A flat, JSON-ready summary with the derived figures."""
        rec, res = self.recognition, self.resolution
        out: dict[str, Any] = {
            "corpus": self.corpus,
            "path": self.path,
            "documents": self.documents,
            "errors": self.errors,
            "gold": rec.tp + rec.fn,
            "predicted": rec.tp + rec.fp,
            "precision": rec.precision,
            "recall": rec.recall,
            "f1": rec.f1,
            "gold_with_coords": res.gold_with_coords,
            "found_with_coords": res.found,
            "accuracy_161km": res.accuracy if res.gold_with_coords else None,
            "mean_error_km": res.mean_error_km,
            "end_to_end": res.end_to_end if res.gold_with_coords else None,
            "end_to_end_all": res.end_to_end_all if res.gold_with_coords else None,
            "megabytes": self.megabytes,
            "seconds": self.seconds,
            "mb_per_s": self.mb_per_s if self.seconds > 0 else None,
            "target": self.target.model_dump(exclude_none=True),
            "counts": {"recognition": rec.model_dump(), "resolution": res.model_dump()},
            "top_errors": {
                label: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:25])
                for label, counts in self.tally.model_dump().items()
            },
        }
        if self.restricted is not None:
            out["restricted_types"] = self.restricted_types
            out["f1_restricted"] = self.restricted.f1
            out["precision_restricted"] = self.restricted.precision
            out["recall_restricted"] = self.restricted.recall
            out["counts"]["restricted"] = self.restricted.model_dump()
        return out

    def meets_targets(self) -> bool | None:
        """True/False against this corpus's targets; None when it has none."""
        checks: list[bool] = []
        if self.target.f1 is not None:
            checks.append(self.recognition.f1 >= self.target.f1)
        if self.target.end_to_end is not None:
            checks.append(self.resolution.end_to_end >= self.target.end_to_end)
        if self.target.f1_restricted is not None and self.restricted is not None:
            checks.append(self.restricted.f1 >= self.target.f1_restricted)
        return all(checks) if checks else None


def corpus_name(path: Path) -> str:
    """``geowebnews.dev.jsonl`` → ``geowebnews``."""
    name = path.name
    for suffix in (".dev.jsonl", ".jsonl"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def read_corpus(path: Path, limit: int | None = None) -> tuple[list[GoldDocument], int]:
    """Read a corpus file; returns the documents and the number of unreadable lines."""
    docs: list[GoldDocument] = []
    errors = 0
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise GazetteerDataError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    with handle:
        for lineno, line in enumerate(handle, start=1):
            if limit is not None and len(docs) >= limit:
                break
            if not line.strip():
                continue
            try:
                docs.append(GoldDocument.model_validate(json.loads(line)))
            except (json.JSONDecodeError, ValidationError) as exc:
                errors += 1
                first = str(exc).splitlines()[0]
                click.echo(f"{path}:{lineno}: skipped unreadable line ({first})", err=True)
    return docs, errors


def predict(gazetteer: Gazetteer, text: str, lang: str) -> list[PredictedToponym]:
    """Run the gazetteer on one text and turn its mentions into scored predictions."""
    out: list[PredictedToponym] = []
    for m in gazetteer.geoparse(text, lang=lang):
        lat = lon = None
        if m.place_id is not None:
            place = gazetteer.get(m.place_id)
            lat, lon = place.lat, place.lon
        out.append(
            PredictedToponym(start=m.start, end=m.end, lat=lat, lon=lon, place_id=m.place_id)
        )
    return out


def evaluate_file(gazetteer: Gazetteer, path: Path, limit: int | None = None) -> CorpusResult:
    """Geoparse every document of one corpus file and score it."""
    docs, errors = read_corpus(path, limit)
    name = corpus_name(path)
    restrict = NEREL_MAIN_TYPES if name.startswith("nerel") else None
    recognition = RecognitionCounts()
    resolution = ResolutionCounts()
    restricted = RecognitionCounts() if restrict is not None else None
    seconds = 0.0
    nbytes = 0
    tally = ErrorTally()
    for doc in docs:
        nbytes += len(doc.text.encode("utf-8"))
        t0 = time.perf_counter()
        predicted = predict(gazetteer, doc.text, doc.lang)
        seconds += time.perf_counter() - t0
        rec, res, rst = score_document(doc.toponyms, predicted, restrict)
        recognition += rec
        resolution += res
        if restricted is not None and rst is not None:
            restricted += rst
        tally.add(tally_errors(doc.text, doc.toponyms, predicted))
    return CorpusResult(
        corpus=name,
        path=str(path),
        documents=len(docs),
        megabytes=nbytes / 1_000_000,
        seconds=seconds,
        recognition=recognition,
        resolution=resolution,
        restricted=restricted,
        restricted_types=sorted(restrict) if restrict else [],
        target=TARGETS.get(name, Target()),
        errors=errors,
        tally=tally,
    )


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
    from rich.markup import escape

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

    from gazetteer.config import GazetteerConfig
    from gazetteer.core import Gazetteer
    from gazetteer.errors import ConflictmapError

    try:
        t0 = time.perf_counter()
        gazetteer = Gazetteer.load(
            GazetteerConfig(demonyms=demonyms, landmark_actors=False, streets=True)
        )
        load_seconds = time.perf_counter() - t0
        # Warm lazily loaded parts (morphology, geometries) so throughput measures steady state.
        gazetteer.geoparse("Talks in Paris and Moscow.", lang="en")
        gazetteer.geoparse("Переговоры в Москве и Париже.", lang="ru")
        results = [evaluate_file(gazetteer, f, limit) for f in files]
    except ConflictmapError as exc:
        raise click.ClickException(str(exc)) from exc
    console.print(render_table(results))
    if show_errors:
        for r in results:
            for label, counts in (
                ("missed", r.tally.missed),
                ("spurious", r.tally.spurious),
                ("misresolved", r.tally.misresolved),
            ):
                top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:show_errors]
                listed = ", ".join(f"{name!r}×{n}" for name, n in top) or "none"
                console.print(f"[bold]{r.corpus}[/bold] {label}: {escape(listed)}")
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


if __name__ == "__main__":
    main()
