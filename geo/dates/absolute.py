"""Dates named by the calendar: days, months, seasons and numeric dates, and the year of those
written without one.

A date without a year takes it from the paragraph's reference date, else from the publication
date read by the clause's tense (the last occurrence in the past, the next in the future),
else from the latest date the text pins or the year inferred from the text (:func:`pick_year`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from geo.dates.expr import Context, TimeExpr, day_expr, safe_date, squeeze
from geo.dates.words import Season, month_number, weekday_number
from geo.text.tense import Tense

__all__ = [
    "SEASON_MONTHS",
    "pick_year",
    "resolve_day",
    "resolve_month",
    "resolve_numeric",
    "resolve_season",
    "years_with_weekday",
]

#: Meteorological seasons (northern hemisphere): first and last month; winter spans two years.
SEASON_MONTHS: dict[Season, tuple[int, int]] = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "winter": (12, 2),
}


def pick_year(month: int, day: int, ctx: Context) -> tuple[int | None, str]:
    """The year of a date given without one, and how it was chosen."""
    if ctx.ref is not None:
        # Narrative time: the first such date on or after the paragraph's reference month.
        y = ctx.ref.year
        cand = safe_date(y, month, min(day, 28) if day > 28 else day)
        if cand is not None and (cand.month, cand.day) < (ctx.ref.month, 1):
            y += 1
        if ctx.anchor is None or date(y, month, 1) <= ctx.anchor:
            return y, f"year {y} from the paragraph's reference date {ctx.ref.isoformat()[:7]}"
    a = ctx.anchor or ctx.year_anchor
    if a is not None:
        how = (
            "publication date"
            if ctx.anchor is not None
            else f"latest date the text pins ({a.isoformat()}; no publication date)"
        )
        y = a.year
        this = safe_date(y, month, day) or date(y, month, 28)
        if ctx.tense == "future":
            if this < a - timedelta(days=1):
                y += 1
            return y, f"year from the {how} (future: next occurrence)"
        if ctx.tense == "past" or ctx.tense is None:
            if this > a + timedelta(days=1):
                y -= 1
            return y, f"year from the {how} (past: last occurrence)"
        # present: the nearest occurrence
        best = min(
            (y - 1, y, y + 1),
            key=lambda yy: abs(((safe_date(yy, month, day) or date(yy, month, 28)) - a).days),
        )
        return best, f"year from the {how} (nearest occurrence)"
    if ctx.year is not None:
        return ctx.year, f"year {ctx.year} inferred from the text (no publication date)"
    return None, "no year: no publication date and none inferable"


def years_with_weekday(month: int, day: int, wd: int, around: int | None) -> int | None:
    """The year nearest ``around`` in which ``day`` ``month`` falls on weekday ``wd``."""
    if around is None:
        return None
    for delta in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6):
        d = safe_date(around + delta, month, day)
        if d is not None and d.weekday() == wd:
            return around + delta
    return None


def resolve_day(g: dict[str, str | None], ctx: Context, lang: str, night: bool) -> TimeExpr | None:
    """A day or run of days ("11 January", "18-19 August 2024"); with ``night``, the night
    before the named day ("в ночь на 10 ноября")."""
    month = month_number(g.get("mon") or "", lang)
    if month is None:
        return None
    d1 = int(g["d1"] or 0)
    d2 = int(g["d2"] or 0) if g.get("d2") else None
    if not 1 <= d1 <= 31 or (d2 is not None and not d1 < d2 <= 31):
        return None
    explicit = bool(g.get("y"))
    note = "explicit date"
    if explicit:
        year: int | None = int(g["y"] or 0)
    else:
        year, note = pick_year(month, d1, ctx)
        wd_word = (g.get("wd") or "").lower()
        wd = weekday_number(wd_word, lang) if wd_word else None
        if wd is not None and (
            year is None or (safe_date(year, month, d1) or date(1, 1, 1)).weekday() != wd
        ):
            pinned = years_with_weekday(month, d1, wd, around=year or ctx.year)
            if pinned is not None:
                year, note = pinned, f"year {pinned} pinned by the weekday ({wd_word})"
    if year is None:
        return TimeExpr(start=0, end=0, text="", precision="day", note=note)
    start = safe_date(year, month, d1)
    if start is None:
        return None
    end = safe_date(year, month, d2) if d2 else None
    if night:
        # "в ночь на 10 ноября": the night from the 9th to the 10th.
        d0 = int(g["d0"] or 0) if g.get("d0") else None
        night_start = safe_date(year, month, d0) if d0 else start - timedelta(days=1)
        return day_expr(
            night_start or start - timedelta(days=1),
            note + "; the night before the named day",
            end=start,
            explicit_year=explicit,
        )
    return day_expr(start, note, end=end, explicit_year=explicit)


def resolve_month(month: int, y: str | None, mod: str | None, ctx: Context) -> TimeExpr:
    """A month ("September 2020", "last July", "в начале ноября")."""
    mod = squeeze((mod or "").lower())
    explicit = bool(y)
    if y:
        year: int | None = int(y)
        note = "explicit month and year"
    elif mod in ("last", "this past", "в прошлом", "прошлым") and ctx.anchor is not None:
        year = ctx.anchor.year if month < ctx.anchor.month else ctx.anchor.year - 1
        note = f"'{mod}' month before the publication date"
    elif mod in ("next", "в следующем") and ctx.anchor is not None:
        year = ctx.anchor.year if month > ctx.anchor.month else ctx.anchor.year + 1
        note = f"'{mod}' month after the publication date"
    else:
        year, note = pick_year(month, 1, ctx)
        if (
            ctx.anchor is not None
            and ctx.ref is None
            and year == ctx.anchor.year
            and month == ctx.anchor.month
        ):
            note = "the month of publication"
    if year is None:
        return TimeExpr(start=0, end=0, text="", precision="month", note=note)
    return TimeExpr(
        start=0,
        end=0,
        text="",
        date=f"{year:04d}-{month:02d}",
        precision="month",
        explicit_year=explicit,
        note=note,
    )


def resolve_season(season: Season, y: str | None, mod: str | None, ctx: Context) -> TimeExpr:
    """A season ("autumn 2020", "last summer", "прошлой осенью")."""
    first, last = SEASON_MONTHS[season]
    explicit = bool(y)
    mod = squeeze((mod or "").lower())
    if y:
        year = int(y)
        note = "explicit season and year"
    elif ctx.anchor is not None:
        year = _season_year(season, mod, ctx.anchor, ctx.tense)
        note = f"season resolved against the publication date ({mod or 'latest begun'})"
    elif ctx.year is not None:
        year = ctx.year
        note = f"year {year} inferred from the text (no publication date)"
    else:
        return TimeExpr(start=0, end=0, text="", precision="season", note="no year for the season")
    end_year = year + 1 if season == "winter" else year
    return TimeExpr(
        start=0,
        end=0,
        text="",
        date=f"{year:04d}-{first:02d}",
        date_end=f"{end_year:04d}-{last:02d}",
        precision="season",
        explicit_year=explicit,
        note=note,
    )


def _season_year(season: Season, mod: str, a: date, tense: Tense | None) -> int:
    """The year a season without one begins in, read against the publication date ``a``."""
    first, last = SEASON_MONTHS[season]

    def bounds(yy: int) -> tuple[date, date]:
        end_y = yy + 1 if season == "winter" else yy
        end_m = date(end_y, last, 28) + timedelta(days=4)
        return date(yy, first, 1), end_m.replace(day=1) - timedelta(days=1)

    # The latest season of that name that has begun by the anchor.
    year = a.year if bounds(a.year)[0] <= a else a.year - 1
    if mod in ("last", "this past", "прошлой", "прошлым") and bounds(year)[1] >= a:
        year -= 1  # still running: "last summer" is the one before
    elif (
        mod in ("next", "следующей", "следующим")
        # "the summit will be held in autumn": the coming one
        or mod in ("", "this", "этой", "этим")
        and tense == "future"
        and bounds(year)[1] < a
    ):
        year += 1
    return year


def resolve_numeric(raw: str, lang: str) -> TimeExpr | None:
    """A numeric date ("28.10.2022", "10/28/2022"), read by :mod:`dateparser`."""
    import dateparser  # lazy: importing it costs ~0.3 s and it is needed only here

    order = "MDY" if lang == "en" and "/" in raw else "DMY"
    parsed = dateparser.parse(
        raw,
        languages=[lang if lang in ("en", "ru") else "en"],
        settings={
            "DATE_ORDER": order,
            "STRICT_PARSING": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
        },
    )
    if not isinstance(parsed, datetime):
        return None
    return TimeExpr(
        start=0,
        end=0,
        text=raw,
        date=parsed.date().isoformat(),
        precision="day",
        explicit_year=True,
        note=f"numeric date ({order})",
    )
