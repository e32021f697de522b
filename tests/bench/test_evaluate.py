"""Scoring functions of ``bench.evaluate`` on tiny synthetic gold (no ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.evaluate import (
    ACCURACY_KM,
    NEREL_MAIN_TYPES,
    CorpusResult,
    GoldToponym,
    PredictedToponym,
    RecognitionCounts,
    ResolutionCounts,
    Target,
    corpus_name,
    distance_km,
    main,
    read_corpus,
    render_table,
    score_document,
    score_recognition,
    score_resolution,
    tally_errors,
)


def test_recognition_exact_spans() -> None:
    counts = score_recognition([(0, 5), (10, 15), (20, 25)], [(0, 5), (10, 14), (30, 35)])
    assert (counts.tp, counts.fp, counts.fn) == (1, 2, 2)
    assert counts.precision == pytest.approx(1 / 3)
    assert counts.recall == pytest.approx(1 / 3)
    assert counts.f1 == pytest.approx(1 / 3)


def test_recognition_empty_is_zero_not_error() -> None:
    counts = score_recognition([], [])
    assert (counts.precision, counts.recall, counts.f1) == (0.0, 0.0, 0.0)


def test_recognition_ignored_spans_are_not_false_positives() -> None:
    counts = score_recognition([(0, 5)], [(0, 5), (10, 15), (20, 25)], ignore=[(10, 15)])
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)


def test_counts_add_up() -> None:
    total = RecognitionCounts(tp=1, fp=2, fn=3) + RecognitionCounts(tp=4, fp=5, fn=6)
    assert (total.tp, total.fp, total.fn) == (5, 7, 9)


def test_distance_km_known_pair() -> None:
    # Paris–London is about 344 km.
    assert distance_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(344, abs=3)


PARIS = (48.8566, 2.3522)
VERSAILLES = (48.8049, 2.1204)  # ~18 km from Paris
PARIS_TEXAS = (33.6609, -95.5555)


def _gold(start: int, end: int, lat: float | None, lon: float | None, type_: str | None = None):
    return GoldToponym(start=start, end=end, name="x", lat=lat, lon=lon, type=type_)


def test_resolution_accuracy_error_and_end_to_end() -> None:
    gold = [
        _gold(0, 5, *PARIS),  # found, right
        _gold(10, 15, *PARIS),  # found, wrong Paris (Texas)
        _gold(20, 25, *PARIS),  # found, unresolved
        _gold(30, 35, *PARIS),  # missed
        _gold(40, 45, None, None),  # no coordinates: not scorable
    ]
    predicted = [
        PredictedToponym(start=0, end=5, lat=VERSAILLES[0], lon=VERSAILLES[1]),
        PredictedToponym(start=10, end=15, lat=PARIS_TEXAS[0], lon=PARIS_TEXAS[1]),
        PredictedToponym(start=20, end=25),
        PredictedToponym(start=40, end=45, lat=0.0, lon=0.0),
    ]
    res = score_resolution(gold, predicted)
    assert res.gold_total == 5
    assert res.gold_with_coords == 4
    assert res.found == 3
    assert res.resolved == 2
    assert res.correct == 1
    assert res.accuracy == pytest.approx(1 / 3)
    assert res.end_to_end == pytest.approx(1 / 4)
    assert res.end_to_end_all == pytest.approx(1 / 5)
    d1 = distance_km(*PARIS, *VERSAILLES)
    d2 = distance_km(*PARIS, *PARIS_TEXAS)
    assert d1 < ACCURACY_KM < d2
    assert res.mean_error_km == pytest.approx((d1 + d2) / 2)


def test_resolution_without_resolved_has_no_mean_error() -> None:
    assert ResolutionCounts().mean_error_km is None
    assert ResolutionCounts().end_to_end == 0.0


def test_restricted_f1_ignores_other_nerel_types() -> None:
    gold = [
        _gold(0, 6, None, None, "CITY"),
        _gold(10, 16, None, None, "COUNTRY"),
        _gold(20, 26, None, None, "LOCATION"),  # a predicted LOCATION is neither TP nor FP
    ]
    predicted = [PredictedToponym(start=s, end=e) for s, e in [(0, 6), (20, 26), (40, 44)]]
    rec, res, restricted = score_document(gold, predicted, NEREL_MAIN_TYPES)
    assert (rec.tp, rec.fp, rec.fn) == (2, 1, 1)
    assert restricted is not None
    assert (restricted.tp, restricted.fp, restricted.fn) == (1, 1, 1)
    assert res.gold_with_coords == 0


def test_corpus_name() -> None:
    assert corpus_name(Path("x/geowebnews.dev.jsonl")) == "geowebnews"
    assert corpus_name(Path("nerel_ru_geo.dev.jsonl")) == "nerel_ru_geo"


def test_read_corpus_skips_bad_lines_and_limits(tmp_path: Path) -> None:
    path = tmp_path / "tiny.dev.jsonl"
    good = {"id": "a", "text": "Paris", "toponyms": [{"start": 0, "end": 5, "name": "Paris"}]}
    path.write_text(
        json.dumps(good) + "\n{not json\n\n" + json.dumps({**good, "id": "b"}) + "\n", "utf-8"
    )
    docs, errors = read_corpus(path)
    assert [d.id for d in docs] == ["a", "b"]
    assert errors == 1
    assert docs[0].lang == "en"
    docs, _ = read_corpus(path, limit=1)
    assert [d.id for d in docs] == ["a"]


def test_result_summary_and_targets() -> None:
    result = CorpusResult(
        corpus="lgl",
        path="lgl.dev.jsonl",
        documents=1,
        megabytes=2.0,
        seconds=0.5,
        recognition=RecognitionCounts(tp=8, fp=1, fn=1),
        resolution=ResolutionCounts(
            gold_total=9, gold_with_coords=9, found=8, resolved=8, correct=6
        ),
        target=Target(f1=0.75, end_to_end=0.65),
    )
    summary = result.summary()
    assert summary["f1"] == pytest.approx(8 / 9)
    assert summary["end_to_end"] == pytest.approx(6 / 9)
    assert summary["mb_per_s"] == pytest.approx(4.0)
    assert result.meets_targets() is True
    json.dumps(summary)  # JSON-ready
    from rich.console import Console

    console = Console(record=True, width=200)
    console.print(render_table([result]))
    assert "lgl" in console.export_text()


def test_cli_missing_folder_is_a_clear_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [str(tmp_path / "absent")])
    assert result.exit_code == 0
    assert "No evaluation folder" in result.output


def test_cli_empty_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [str(tmp_path)])
    assert result.exit_code == 0
    assert "No *.dev.jsonl" in result.output


def test_tally_errors_names_the_surface_forms() -> None:
    text = "Paris and Lyon and Nice"
    gold = [_gold(0, 5, *PARIS), _gold(10, 14, 45.76, 4.84)]
    predicted = [
        PredictedToponym(start=0, end=5, lat=PARIS_TEXAS[0], lon=PARIS_TEXAS[1], place_id="tx"),
        PredictedToponym(start=19, end=23, lat=43.7, lon=7.26),
    ]
    tally = tally_errors(text, gold, predicted)
    assert tally.missed == {"x": 1}
    assert tally.spurious == {"Nice": 1}
    assert tally.misresolved == {"x → tx": 1}


def test_evaluate_file_with_the_real_gazetteer(tmp_path: Path, gazetteer) -> None:
    from bench.evaluate import evaluate_file

    text = "Talks in Baku, then in Yerevan."
    doc = {
        "id": "t1",
        "text": text,
        "toponyms": [
            {"start": 9, "end": 13, "name": "Baku", "lat": 40.38, "lon": 49.89},
            {"start": 23, "end": 30, "name": "Yerevan", "lat": 40.18, "lon": 44.51},
        ],
    }
    path = tmp_path / "tiny.dev.jsonl"
    path.write_text(json.dumps(doc) + "\n", "utf-8")
    result = evaluate_file(gazetteer, path)
    assert result.corpus == "tiny" and result.documents == 1
    assert result.recognition.f1 == 1.0
    assert result.resolution.end_to_end == 1.0
    assert result.resolution.mean_error_km is not None and result.resolution.mean_error_km < 20
    assert result.megabytes == pytest.approx(len(text) / 1e6)


def test_cli_writes_json(tmp_path: Path) -> None:
    corpus = tmp_path / "eval"
    corpus.mkdir()
    toponym = {"start": 10, "end": 16, "name": "Москве", "type": "CITY"}
    doc = {"id": "r", "lang": "ru", "text": "Встреча в Москве.", "toponyms": [toponym]}
    (corpus / "nerel_ru_geo.dev.jsonl").write_text(json.dumps(doc, ensure_ascii=False) + "\n")
    out = tmp_path / "eval.json"
    result = CliRunner().invoke(main, [str(corpus), "--json", str(out), "--errors", "3"])
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text("utf-8"))
    (nerel,) = payload["corpora"]
    assert nerel["corpus"] == "nerel_ru_geo"
    assert nerel["f1_restricted"] == 1.0
    assert nerel["target"] == {"f1_restricted": 0.85}
