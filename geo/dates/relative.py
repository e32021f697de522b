"""Dates counted from the publication date: weekdays read by tense, relative words ("yesterday",
"last week", "в прошлом месяце") and "three days ago".

Without a publication date none of these is resolved (that would be guessing): the result
has no date and a note saying why.
"""

from __future__ import annotations

from datetime import date, timedelta

from geo.dates.expr import Context, TimeExpr, day_expr, squeeze, week_bounds
from geo.dates.words import DAY_NAMES, EN, RELATIVE_DAYS, RU

__all__ = ["resolve_ago", "resolve_night_before", "resolve_relative", "resolve_weekday"]

# The notes of the relative-day words by their distance from the publication date.
_DAY_NOTES = {
    -2: "two days before publication",
    -1: "the day before publication",
    0: "the day of publication",
    1: "the day after publication",
}


def resolve_weekday(wd: int, mod: str, ctx: Context) -> TimeExpr:
    """A weekday (Monday is 0): after "last"/"next" the one before/after the publication date,
    otherwise by tense (past: the last, future: the coming, present: the nearest)."""
    if ctx.anchor is None:
        return TimeExpr(
            start=0, end=0, text="", precision="day", note="weekday without a publication date"
        )
    a = ctx.anchor
    mod = squeeze(mod)
    back = (a.weekday() - wd) % 7
    fwd = (wd - a.weekday()) % 7
    if mod.startswith(("last", "this past", "в прошл")):
        delta = -(back or 7)
        how = "last"
    elif mod.startswith(("next", "в следующ")):
        delta = fwd or 7
        how = "next"
    elif ctx.tense == "future":
        delta = fwd
        how = "future tense: the coming"
    elif ctx.tense == "past" or ctx.tense is None:
        delta = -back
        how = "past tense: the last"
    else:
        delta = -back if back <= fwd else fwd
        how = "the nearest"
    return day_expr(
        a + timedelta(days=delta),
        f"weekday read as {how} {DAY_NAMES[wd]} relative to the publication date",
    )


def resolve_night_before(wd: int, ctx: Context) -> TimeExpr:
    """The night before a weekday ("в ночь на среду"): from the day before to that day."""
    day = resolve_weekday(wd, "", ctx)
    if day.date is None:
        return day
    end = date.fromisoformat(day.date)
    return day.model_copy(
        update={
            "date": (end - timedelta(days=1)).isoformat(),
            "date_end": end.isoformat(),
            "note": day.note + "; the night before that day",
        }
    )


def resolve_relative(word: str, ctx: Context) -> TimeExpr:
    """A relative word or phrase: a day, the week, month or year of (or before or after) the
    publication date."""
    word = squeeze(word)
    if ctx.anchor is None:
        return TimeExpr(start=0, end=0, text="", note=f"'{word}' without a publication date")
    a = ctx.anchor
    w = (
        word.split(" утром")[0]
        .split(" вечером")[0]
        .split(" ночью")[0]
        .split(" днём")[0]
        .split(" днем")[0]
    )
    days = RELATIVE_DAYS.get(w)
    if days is not None:
        note = _DAY_NOTES[days]
        # "накануне" is "on the eve" (of what the text names): say which eve it was read as.
        return day_expr(a + timedelta(days=days), f"'{w}': {note}" if w == "накануне" else note)
    if w.startswith(("earlier today", "later today", "earlier in the day", "later in the day")):
        return day_expr(a, "the day of publication")
    if w == "overnight":
        return day_expr(a - timedelta(days=1), "overnight before publication", end=a)
    # "weekend" contains "week": "this weekend" is read as the week of publication.
    if "week" in w or "недел" in w:
        return _relative_week(w, a)
    if "month" in w or "месяц" in w:
        return _relative_month(w, a)
    if "year" in w or "год" in w:
        if w.startswith("last") or "прошлом" in w or w.startswith(("the past", "the previous")):
            return _year(a.year - 1, "the year before publication")
        if w.startswith(("next", "the coming")) or "следующем" in w:
            return _year(a.year + 1, "the year after publication")
        return _year(a.year, "the year of publication")
    return TimeExpr(start=0, end=0, text="", note=f"unresolved '{word}'")


def _relative_week(w: str, a: date) -> TimeExpr:
    mon, sun = week_bounds(a)
    if w.startswith(("last", "the past", "the previous")) or "прошлой" in w:
        if w.startswith("the past"):
            return _week(a - timedelta(days=7), a, "the seven days before publication")
        return _week(
            mon - timedelta(days=7), mon - timedelta(days=1), "the week before publication"
        )
    if w.startswith(("next", "the coming")) or "следующей" in w:
        return _week(mon + timedelta(days=7), sun + timedelta(days=7), "the week after publication")
    if w.startswith("earlier") or w.startswith("ранее"):
        end = max(mon, a - timedelta(days=1))
        return _week(mon, end, "earlier in the week of publication")
    if w.startswith("later"):
        return _week(min(a + timedelta(days=1), sun), sun, "later in the week of publication")
    return _week(mon, sun, "the week of publication")


def _relative_month(w: str, a: date) -> TimeExpr:
    if w.startswith("last") or "прошлом" in w or w.startswith(("the past", "the previous")):
        prev = a.replace(day=1) - timedelta(days=1)
        return _month(prev.year, prev.month, "the month before publication")
    if w.startswith(("next", "the coming")) or "следующем" in w:
        nxt = (a.replace(day=28) + timedelta(days=4)).replace(day=1)
        return _month(nxt.year, nxt.month, "the month after publication")
    return _month(a.year, a.month, "the month of publication")


def resolve_ago(n_word: str, unit: str, ctx: Context, lang: str) -> TimeExpr | None:
    """The day, week, month or year some units before the publication date ("three days
    ago", "неделю назад"); None when the number or unit is not understood."""
    n_word = n_word.lower()
    unit = unit.lower()
    if lang == "ru":
        if n_word in RU.unit_numbers and not unit:
            unit, n = n_word, 1
        else:
            n = int(n_word) if n_word.isdigit() else RU.numbers.get(n_word, 0)
    else:
        n = int(n_word) if n_word.isdigit() else EN.numbers.get(n_word, 0)
    if not n or not unit:
        return None
    if ctx.anchor is None:
        return TimeExpr(start=0, end=0, text="", note="'ago' without a publication date")
    a = ctx.anchor
    if unit.startswith(("day", "дн")):
        return day_expr(a - timedelta(days=n), f"{n} days before publication")
    if unit.startswith(("week", "недел")):
        start, end = week_bounds(a - timedelta(days=7 * n))
        return _week(start, end, f"{n} weeks before publication")
    if unit.startswith(("month", "месяц")):
        y, m = divmod(a.year * 12 + a.month - 1 - n, 12)
        return _month(y, m + 1, f"{n} months before publication")
    return _year(a.year - n, f"{n} years before publication")


def _week(start: date, end: date, note: str) -> TimeExpr:
    return TimeExpr(
        start=0,
        end=0,
        text="",
        date=start.isoformat(),
        date_end=end.isoformat(),
        precision="week",
        note=note,
    )


def _month(y: int, m: int, note: str) -> TimeExpr:
    return TimeExpr(start=0, end=0, text="", date=f"{y:04d}-{m:02d}", precision="month", note=note)


def _year(y: int, note: str) -> TimeExpr:
    return TimeExpr(start=0, end=0, text="", date=f"{y:04d}", precision="year", note=note)
