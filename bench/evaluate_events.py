"""Score events against gold events: ``python -m bench.evaluate_events [EVAL_DIR] [--dev DIR]``.

``make eval-events`` runs it. It scores, each on its own:

- ``ucdp_headlines.dev.jsonl`` from ``EVAL_DIR`` (default ``../shared/eval``; never copied
  into the repository): each line is one UCDP GED event with ``text`` (the headlines of the
  news articles its coders used), ``published`` and gold ``events`` (class, lat/lon, date
  interval);
- every ``*.jsonl`` of the project's annotated development set (``--dev``, default
  ``tests/data/events_dev``) when present, each file and each ``split`` (``dev``,
  ``holdout``) separately. Its lines are ``{"id", "language", "published", "title", "outlet",
  "url", "licence", "split", "text", "events": [{"class", "lat", "lon", "date", "date_end",
  "place"}]}`` with our event types as classes; an item with ``events: []`` is an article with
  nothing to map, so every event drawn from it is unmatched.

Every report is written as a source (``text``, with ``published``, ``language``, ``title``,
``outlet`` and ``url`` as its metadata) into a temporary folder and built by the installed
``conflictmap build`` (so the score follows whatever the command does), then scored as the
project's judge does:

- a gold event is **found** when an output event of its report has the same class (UCDP's
  ``violence`` is ``clash``), lies within 50 km of the gold point (0 when the point is inside the
  event's polygon) and its date interval overlaps the gold interval widened by one day on each
  side;
- also reported: found ignoring the date, reports with no event at all, the share of drawn
  events that match a gold event of their report (same class, 50 km, date), the events drawn
  from reports with nothing to map, and recall and precision by language and class (recall
  by the gold event's class, precision by the drawn event's).

It measures, it does not gate: the exit status is 0 whenever it ran.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from geopy.distance import geodesic
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from geo.events.merge import date_range

ROOT = Path(__file__).resolve().parent.parent
CORPUS = "ucdp_headlines.dev.jsonl"
#: The project's annotated development set (one or more JSON-lines files).
DEV_DIR = ROOT / "tests" / "data" / "events_dev"
#: UCDP/ACLED classes → conflictmap event types.
CLASSES = {"violence": "clash"}
MAX_KM = 50.0
#: Metadata of a report written with its text (``conflictmap build`` reads it).
_META = ("published", "language", "title", "outlet", "url")


def interval(value: str | None, end: str | None = None) -> tuple[date, date] | None:
    """The days an ISO date at any precision (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) covers."""
    if not value:
        return None
    lo, hi = (date.fromisoformat(day) for day in date_range(value))
    if end:
        hi = max(hi, date.fromisoformat(date_range(end)[1]))
    return lo, hi


def distance_km(geometry: dict[str, Any] | None, lat: float, lon: float) -> float:
    """Kilometres from a gold point to an event geometry (0 inside a polygon)."""
    if not geometry:
        return float("inf")
    geom = shape(geometry)
    point = Point(lon, lat)
    if geom.geom_type in ("Polygon", "MultiPolygon") and geom.covers(point):
        return 0.0
    nearest = nearest_points(geom, point)[0]
    return float(geodesic((lat, lon), (nearest.y, nearest.x)).km)


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else "-"


@dataclass
class Tally:
    """The counts of one slice: gold events (found, found ignoring the date) and drawn events
    (right)."""

    gold: int = 0
    found: int = 0
    found_any_date: int = 0
    drawn: int = 0
    drawn_right: int = 0

    def add(self, other: Tally) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class Score(Tally):
    reports: int = 0
    reports_without_events: int = 0
    #: Reports with nothing to map (empty gold) and the events drawn from them.
    reports_nothing_to_map: int = 0
    drawn_from_nothing: int = 0
    #: (language, class) → counts: gold events by their class, drawn events by theirs.
    by: dict[tuple[str, str], Tally] = field(default_factory=dict)

    def tally(self, language: str, cls: str) -> Tally:
        """The counts of one language and class, to add to."""
        return self.by.setdefault((language, cls), Tally())

    def slice(self, language: str, cls: str) -> Tally:
        """The counts of ``language`` and ``cls``, either of them ``all``."""
        total = Tally()
        for (lang, c), t in self.by.items():
            if language in ("all", lang) and cls in ("all", c):
                total.add(t)
        return total

    def table(self) -> str:
        rows = [
            "| measure | value |",
            "|---|---|",
            f"| gold events found (class, 50 km, date ±1 day) | {_pct(self.found, self.gold)} |",
            f"| found, date ignored | {_pct(self.found_any_date, self.gold)} |",
            f"| reports with no event | {_pct(self.reports_without_events, self.reports)} |",
            f"| drawn events that are right | {_pct(self.drawn_right, self.drawn)} |",
        ]
        if self.reports_nothing_to_map:
            rows.append(
                f"| events drawn from the {self.reports_nothing_to_map} reports with nothing "
                f"to map | {self.drawn_from_nothing} |"
            )
        return "\n".join(rows)

    def by_class_table(self) -> str:
        """Recall and precision by language and class (and both summed: ``all``)."""
        rows = [
            "| language | class | recall (class, 50 km, date) | recall, date ignored "
            "| precision (drawn right) |",
            "|---|---|---|---|---|",
        ]
        languages = sorted({lang for lang, _ in self.by})
        for lang in ["all", *languages] if len(languages) > 1 else languages:
            classes = sorted({c for la, c in self.by if lang in ("all", la)})
            for cls in ["all", *classes] if len(classes) > 1 else classes:
                t = self.slice(lang, cls)
                rows.append(
                    f"| {lang} | {cls} | {_pct(t.found, t.gold)} "
                    f"| {_pct(t.found_any_date, t.gold)} | {_pct(t.drawn_right, t.drawn)} |"
                )
        return "\n".join(rows)


def _class(gold: dict[str, Any]) -> str:
    return CLASSES.get(gold["class"], gold["class"])


def _matches(event: dict[str, Any], gold: dict[str, Any], with_date: bool) -> bool:
    props = event["properties"]
    if props["event_type"] != _class(gold):
        return False
    if distance_km(event.get("geometry"), gold["lat"], gold["lon"]) > MAX_KM:
        return False
    if not with_date:
        return True
    got = interval(props.get("date"), props.get("date_end"))
    want = interval(gold.get("date"), gold.get("date_end"))
    if got is None or want is None:
        return False
    lo, hi = want[0] - timedelta(days=1), want[1] + timedelta(days=1)
    return got[0] <= hi and lo <= got[1]


def score(rows: list[dict[str, Any]], events: list[dict[str, Any]]) -> Score:
    """Score the events of a build against the gold of ``rows`` (events belong to the
    reports their sources name)."""
    by_report: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        for ref in {s["source_id"] for s in event["properties"]["sources"]}:
            by_report.setdefault(ref, []).append(event)
    result = Score(reports=len(rows))
    for row in rows:
        lang = row.get("language") or "en"
        mine = by_report.get(_stem(row["id"]), [])
        result.reports_without_events += not mine
        if not row["events"]:
            result.reports_nothing_to_map += 1
            result.drawn_from_nothing += len(mine)
        for e in mine:
            right = any(_matches(e, g, True) for g in row["events"])
            for t in (result, result.tally(lang, e["properties"]["event_type"])):
                t.drawn += 1
                t.drawn_right += right
        for gold in row["events"]:
            found = any(_matches(e, gold, True) for e in mine)
            found_any_date = any(_matches(e, gold, False) for e in mine)
            for t in (result, result.tally(lang, _class(gold))):
                t.gold += 1
                t.found += found
                t.found_any_date += found_any_date
    return result


def _stem(report_id: object) -> str:
    """The file name (without extension) a report is written as: its id, made safe."""
    return re.sub(r"[^\w.-]", "_", str(report_id))


def build_events(rows: list[dict[str, Any]], tmp: Path) -> list[dict[str, Any]]:
    """Write the reports as sources and build them with the installed ``conflictmap``."""
    sources = tmp / "sources"
    sources.mkdir()
    meta: dict[str, dict[str, Any]] = {}
    for row in rows:
        name = f"{_stem(row['id'])}.txt"
        (sources / name).write_text(row["text"] + "\n", encoding="utf-8")
        meta[name] = {k: str(row[k]) for k in _META if row.get(k)}
        meta[name].setdefault("language", "en")
    (sources / "sources.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=True), encoding="utf-8"
    )
    exe = Path(sys.executable).with_name("conflictmap")
    out = tmp / "out"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    subprocess.run(
        [str(exe), "build", str(sources), "--out", str(out), "--no-cache", "-q"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    features: list[dict[str, Any]] = json.loads((out / "events.geojson").read_text())["features"]
    return features


def read_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def corpora(eval_dir: Path, dev_dir: Path) -> list[Path]:
    """The files to score: the UCDP headlines, then the development set's files."""
    found = [eval_dir / CORPUS] if (eval_dir / CORPUS).exists() else []
    return found + (sorted(dev_dir.glob("*.jsonl")) if dev_dir.is_dir() else [])


def by_split(name: str, rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The rows of a corpus named ``name``, one part per ``split`` (``dev``, ``holdout``)."""
    splits = sorted({str(row["split"]) for row in rows if row.get("split")})
    if len(splits) <= 1:
        return [(name + (f" ({splits[0]})" if splits else ""), rows)]
    return [(f"{name} ({s})", [row for row in rows if row.get("split") == s]) for s in splits]


def report(name: str, rows: list[dict[str, Any]], events: list[dict[str, Any]]) -> str:
    """The tables of one corpus (or split of one)."""
    result = score(rows, events)
    return f"{name}: {len(rows)} reports\n{result.table()}\n\n{result.by_class_table()}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument(
        "--dev", type=Path, default=DEV_DIR, help="folder of the annotated development set"
    )
    args = parser.parse_args(argv)
    paths = corpora(args.eval_dir, args.dev)
    if not paths:
        print(f"No {CORPUS} in {args.eval_dir} and no *.jsonl in {args.dev}: nothing to score.")
        return 0
    for path in paths:
        rows = read_rows(path)
        with tempfile.TemporaryDirectory(prefix="cm-events-") as tmp:
            events = build_events(rows, Path(tmp))
        for name, part in by_split(path.name, rows):
            print(report(name, part, events))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
