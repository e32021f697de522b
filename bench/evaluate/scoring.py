"""Scoring, as pure functions: gold and predicted spans of one document in, counts out.

Recognition is scored on exact character spans; resolution over gold toponyms that carry
coordinates, counted correct within :data:`ACCURACY_KM`. The counts add up over documents.
Nothing here touches the gazetteer, so it is tested on tiny synthetic gold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from geopy.distance import geodesic
from pydantic import BaseModel, Field

from bench.evaluate.gold import GoldToponym, PredictedToponym

#: Resolution counts as correct within this distance (100 miles, as in the geoparsing literature).
ACCURACY_KM = 161.0


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
