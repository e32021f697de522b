"""A resolved time expression (:class:`TimeExpr`), what resolving one needs (:class:`Context`),
and the small constructors the resolvers share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from geo.models import DatePrecision
from geo.text.tense import Tense

__all__ = ["Context", "TimeExpr", "day_expr", "safe_date", "squeeze", "week_bounds"]


class TimeExpr(BaseModel):
    """A time expression found in a text, with its resolved date (or None)."""

    start: int = Field(description="Offset in the text given to find_time_expressions.")
    end: int
    text: str
    date: str | None = None
    date_end: str | None = None
    precision: DatePrecision | None = None
    explicit_year: bool = Field(default=False, description="The expression names its year.")
    relation: Literal["at", "after", "before", "since"] = "at"
    note: str = ""


@dataclass(slots=True)
class Context:
    """What resolution needs besides the words.

    ``anchor`` is the publication date, ``tense`` the clause's, ``ref`` the paragraph's
    reference date, ``year`` the year inferred from the text and ``year_anchor`` the latest
    date the text pins (both for texts without a publication date).
    """

    anchor: date | None
    tense: Tense | None
    ref: date | None
    year: int | None
    year_anchor: date | None


def day_expr(d: date, note: str, end: date | None = None, explicit_year: bool = False) -> TimeExpr:
    """A resolved day (or run of days) not yet tied to a span of the text."""
    return TimeExpr(
        start=0,
        end=0,
        text="",
        date=d.isoformat(),
        date_end=end.isoformat() if end else None,
        precision="day",
        explicit_year=explicit_year,
        note=note,
    )


def safe_date(y: int, m: int, d: int) -> date | None:
    """``date(y, m, d)``, or None when there is no such day (30 February)."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def week_bounds(d: date) -> tuple[date, date]:
    """Monday and Sunday of the week of ``d``."""
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


_SPACES = re.compile(r"\s+")


def squeeze(words: str) -> str:
    """``words`` with each run of whitespace as one space ("this  past" reads "this past")."""
    return _SPACES.sub(" ", words)
