"""Running the gazetteer over a corpus file: the only part of the evaluation that geoparses.

Owns which corpus is scored how (the targets of issue 3, the NEREL types of the restricted
F1) and :class:`CorpusResult`, everything measured on one corpus.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from bench.evaluate.gold import PredictedToponym, corpus_name, read_corpus
from bench.evaluate.scoring import (
    ErrorTally,
    RecognitionCounts,
    ResolutionCounts,
    score_document,
    tally_errors,
)

if TYPE_CHECKING:
    from gazetteer.core import Gazetteer

#: NEREL entity types that the restricted F1 is computed on.
NEREL_MAIN_TYPES = frozenset({"CITY", "COUNTRY", "STATE_OR_PROVINCE"})


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
