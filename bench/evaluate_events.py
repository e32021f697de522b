"""Score events against coded conflict events: ``python -m bench.evaluate_events [EVAL_DIR]``.

Reads ``ucdp_headlines.dev.jsonl`` from ``EVAL_DIR`` (default ``../shared/eval``; never copied
into the repository): each line is one UCDP GED event with ``text`` (the headlines of the news
articles its coders used), ``published`` and gold ``events`` (class, lat/lon, date interval).
Every report is written as a dated source into a temporary folder and built by the installed
``conflictmap build`` (so the score follows whatever the command does), then scored as the
project's judge does:

- a gold event is **found** when an output event of its report has the same class (UCDP's
  ``violence`` is ``clash``), lies within 50 km of the gold point (0 when the point is inside the
  event's polygon) and its date interval overlaps the gold interval widened by one day on each
  side;
- also reported: found ignoring the date, reports with no event at all, and the share of drawn
  events that match a gold event of their report (same class, 50 km, date).

It measures, it does not gate: the exit status is 0 whenever it ran.
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from geopy.distance import geodesic
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

ROOT = Path(__file__).resolve().parent.parent
CORPUS = "ucdp_headlines.dev.jsonl"
#: UCDP/ACLED classes → conflictmap event types.
CLASSES = {"violence": "clash"}
MAX_KM = 50.0


def interval(value: str | None, end: str | None = None) -> tuple[date, date] | None:
    """The days an ISO date at any precision (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) covers."""
    if not value:
        return None

    def bounds(v: str) -> tuple[date, date]:
        parts = [int(x) for x in v.split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
        return date(*parts[:3]), date(*parts[:3])

    lo, hi = bounds(value)
    if end:
        hi = max(hi, bounds(end)[1])
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


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    found_any_date: int = 0
    reports: int = 0
    reports_without_events: int = 0
    drawn: int = 0
    drawn_right: int = 0

    def table(self) -> str:
        def pct(a: int, b: int) -> str:
            return f"{a}/{b} ({100 * a / b:.1f}%)" if b else "-"

        return "\n".join(
            [
                "| measure | value |",
                "|---|---|",
                f"| gold events found (class, 50 km, date ±1 day) | {pct(self.found, self.gold)} |",
                f"| found, date ignored | {pct(self.found_any_date, self.gold)} |",
                f"| reports with no event | {pct(self.reports_without_events, self.reports)} |",
                f"| drawn events that are right | {pct(self.drawn_right, self.drawn)} |",
            ]
        )


def _matches(event: dict[str, Any], gold: dict[str, Any], with_date: bool) -> bool:
    props = event["properties"]
    if props["event_type"] != CLASSES.get(gold["class"], gold["class"]):
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
    by_report: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        for ref in {s["source_id"] for s in event["properties"]["sources"]}:
            by_report.setdefault(ref, []).append(event)
    result = Score(reports=len(rows))
    for row in rows:
        mine = by_report.get(str(row["id"]), [])
        result.reports_without_events += not mine
        result.drawn += len(mine)
        result.drawn_right += sum(any(_matches(e, g, True) for g in row["events"]) for e in mine)
        for gold in row["events"]:
            result.gold += 1
            result.found += any(_matches(e, gold, True) for e in mine)
            result.found_any_date += any(_matches(e, gold, False) for e in mine)
    return result


def build_events(rows: list[dict[str, Any]], tmp: Path) -> list[dict[str, Any]]:
    sources = tmp / "sources"
    sources.mkdir()
    for row in rows:
        front = f"---\npublished: {row['published']}\nlanguage: {row.get('language', 'en')}\n---\n"
        (sources / f"{row['id']}.txt").write_text(front + row["text"] + "\n", encoding="utf-8")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args(argv)
    path = args.eval_dir / CORPUS
    if not path.exists():
        print(f"No {CORPUS} in {args.eval_dir}: nothing to score.")
        return 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    with tempfile.TemporaryDirectory(prefix="cm-events-") as tmp:
        events = build_events(rows, Path(tmp))
    print(f"{path.name}: {len(rows)} reports")
    print(score(rows, events).table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
