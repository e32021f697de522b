"""Date precisions as ACLED's ``time_precision`` and UCDP GED's ``date_prec`` codes."""

from __future__ import annotations

from datetime import date

__all__ = ["ACLED_TIME_PRECISION", "UCDP_DATE_PREC", "acled_time_precision", "ucdp_date_prec"]

#: ACLED ``time_precision``: 1 = the day is known, 2 = the week (or a span of days) is known,
#: 3 = only the month or a longer period is known.
ACLED_TIME_PRECISION: dict[str, int] = {"day": 1, "week": 2, "month": 3, "season": 3, "year": 3}

#: UCDP GED ``date_prec``: 1 = exact day, 2 = 2-6 days, 3 = the week, 4 = the month,
#: 5 = longer than a month (season, year).
UCDP_DATE_PREC: dict[str, int] = {"day": 1, "week": 3, "month": 4, "season": 5, "year": 5}


def acled_time_precision(precision: str | None) -> int | None:
    """ACLED ``time_precision`` code of a date precision (None when the date is unknown)."""
    return ACLED_TIME_PRECISION.get(precision) if precision else None


def ucdp_date_prec(
    precision: str | None, date_value: str | None = None, date_end: str | None = None
) -> int | None:
    """UCDP ``date_prec`` code of a date precision.

    A day-precision span of two to six days (``date_value`` .. ``date_end``) is code 2.
    """
    if not precision:
        return None
    if precision == "day" and date_value and date_end and len(date_value) == len(date_end) == 10:
        span = (date.fromisoformat(date_end) - date.fromisoformat(date_value)).days
        if 1 <= span <= 5:
            return 2
    return UCDP_DATE_PREC.get(precision)
