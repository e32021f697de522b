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

The rooms: :mod:`~bench.evaluate.gold` reads a corpus into gold models;
:mod:`~bench.evaluate.scoring` holds the scoring functions, pure (gold and predicted spans in,
counts out) so they are tested on tiny synthetic gold; :mod:`~bench.evaluate.runner` is the only
part that touches the gazetteer (:func:`evaluate_file`); :mod:`~bench.evaluate.cli` prints the
table. The command always exits 0 when it ran, even below target: it measures, it does not gate.
"""

from bench.evaluate.cli import main, render_table
from bench.evaluate.gold import (
    GoldDocument,
    GoldToponym,
    PredictedToponym,
    corpus_name,
    read_corpus,
)
from bench.evaluate.runner import NEREL_MAIN_TYPES, TARGETS, CorpusResult, Target, evaluate_file
from bench.evaluate.scoring import (
    ACCURACY_KM,
    ErrorTally,
    RecognitionCounts,
    ResolutionCounts,
    distance_km,
    score_document,
    score_recognition,
    score_resolution,
    tally_errors,
)

__all__ = [
    "ACCURACY_KM",
    "NEREL_MAIN_TYPES",
    "TARGETS",
    "CorpusResult",
    "ErrorTally",
    "GoldDocument",
    "GoldToponym",
    "PredictedToponym",
    "RecognitionCounts",
    "ResolutionCounts",
    "Target",
    "corpus_name",
    "distance_km",
    "evaluate_file",
    "main",
    "read_corpus",
    "render_table",
    "score_document",
    "score_recognition",
    "score_resolution",
    "tally_errors",
]
