"""CSV export: ``events.csv``, one row per event, ACLED's column names first, then the rest of
the output contract and UCDP's ``date_prec``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from gazetteer.sources.geonames import country_table
from geo.build.outputs import WriteOptions, write_if_changed
from geo.dates import acled_time_precision, ucdp_date_prec
from geo.models import BuildResult

#: ACLED's column names, in ACLED's order, for the columns that have a counterpart.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "time_precision",
    "source",
    "notes",
)

#: The columns after the ACLED ones: the rest of the output contract and UCDP's ``date_prec``.
EXTRA_COLUMNS: tuple[str, ...] = (
    "id",
    "layer",
    "date_end",
    "date_precision",
    "date_basis",
    "status",
    "place_id",
    "place_precision",
    "actors",
    "confidence",
    "from_party",
    "to_party",
    "corroboration",
    "date_prec",
    "source_ids",
    "inference_notes",
)

#: ACLED sub-event types that are honest counterparts of our event types. Diplomacy has
#: none (ACLED does not code talks or visits); a territory transfer could be any of three
#: ACLED sub-events depending on facts we do not extract, so it is left empty too.
_ACLED_SUB_EVENT: dict[str, str] = {
    "clash": "Armed clash",
    "ceasefire": "Agreement",
    "deployment": "Change to group/activity",
}

_ACLED_GEO_PRECISION: dict[str, int] = {
    "point": 1,
    "locality": 1,
    "district": 2,
    "region": 3,
    "country": 3,
}


def acled_geo_precision(geo_precision: str | None) -> int | None:
    """ACLED's numeric ``geo_precision`` (1-3) for our precision label.

    ACLED codes 1 when the event happened at the coordinates of a named town (or a more
    precise point), 2 when it happened near that town or in a small area such as a district,
    and 3 when only a larger region (province) is known. So:

    ========== ======
    ours        ACLED
    ========== ======
    point       1
    locality    1
    district    2
    region      3
    country     3
    ========== ======

    ACLED has no code for "whole country"; 3 is its coarsest. Unknown → None (empty cell).
    """
    return _ACLED_GEO_PRECISION.get(geo_precision) if geo_precision else None


@cache
def _country_names() -> dict[str, str]:
    return {iso: c["name"] for iso, c in country_table().items()}


def _join(values: list[str]) -> str:
    return "; ".join(v for v in values if v)


def _csv_rows(result: BuildResult, outlets: dict[str, str]) -> Iterator[list[Any]]:
    """One row per event in column order (:data:`CSVWriter.columns`)."""
    countries = _country_names()
    index = result.place_index()
    for e in result.events:
        p = index.get(e.place_id) if e.place_id else None
        # The contract's place and precision: the event's own, else its place's.
        place = e.place if e.place is not None or p is None else p.name
        precision = e.geo_precision if e.geo_precision is not None or p is None else p.geo_precision
        refs = e.sources
        if len(refs) == 1:  # most events: the joins below of one value, without the sets
            source_ids = [refs[0].source_id]
            outlet = outlets.get(source_ids[0], source_ids[0])
            notes = refs[0].quote
        else:
            source_ids = sorted({s.source_id for s in refs})
            outlet = _join(sorted({outlets.get(s, s) for s in source_ids}))
            notes = " | ".join(s.quote for s in refs)
        actors = e.actors
        yield [
            e.date or "",
            e.event_type,
            _ACLED_SUB_EVENT.get(e.event_type, ""),
            actors[0] if actors else "",
            actors[1] if len(actors) > 1 else "",
            countries.get(p.country_code or "", p.country_code or "") if p else "",
            (p.admin1 or "") if p else "",
            place or "",
            p.lat if p else "",
            p.lon if p else "",
            acled_geo_precision(precision) or "",
            _blank(acled_time_precision(e.date_precision)),
            outlet or "",
            notes,
            e.id,
            e.layer,
            e.date_end or "",
            e.date_precision or "",
            e.date_basis or "",
            e.status,
            e.place_id or "",
            precision or "",
            _join(actors),
            e.confidence,
            e.from_party or "",
            e.to_party or "",
            e.corroboration,
            _blank(ucdp_date_prec(e.date_precision, e.date, e.date_end)),
            _join(source_ids),
            " | ".join(e.notes),
        ]


def _blank(value: object) -> object:
    return "" if value is None else value


class CSVWriter:
    """``events.csv``: one row per event, ACLED's column names first, then the rest.

    ``event_date`` keeps our precision (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); the
    precision is in ``time_precision`` (ACLED's 1-3) and ``date_prec`` (UCDP's 1-5).
    """

    name = "csv"
    columns: ClassVar[tuple[str, ...]] = ACLED_COLUMNS + EXTRA_COLUMNS

    def write(self, result: BuildResult, out_dir: Path, options: WriteOptions) -> list[Path]:
        outlets = {s.source_id: s.outlet or s.source_id for s in result.sources}
        buf = io.StringIO()
        # Rows as lists in column order: what csv.DictWriter would write, without a dict
        # per row and its key check.
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(_csv_rows(result, outlets))
        path = Path(out_dir) / "events.csv"
        write_if_changed(path, buf.getvalue())
        return [path]
