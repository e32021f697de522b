"""What a text without a publication date says about its own time: the year it is most likely
about (:func:`infer_year`), the latest full date it pins (:func:`infer_reference_date`), and
whether a sentence may pin a year at all (:func:`may_pin_year`, a cheap test before reading
its dates)."""

from __future__ import annotations

from datetime import date

from geo.dates.absolute import years_with_weekday
from geo.dates.resolve import find_time_expressions
from geo.dates.scan import scan
from geo.dates.words import DAY_NAMES, MONTH_NAMES, month_number, weekday_number

__all__ = ["infer_reference_date", "infer_year", "may_pin_year"]


def may_pin_year(text: str, lang: str = "en") -> bool:
    """Whether ``text`` may hold a time expression with its own year (a date, month or season
    with a year, or a numeric date): False means find_time_expressions returns none with
    ``explicit_year`` other than bare years."""
    return any(
        name == "numeric" or (name != "years" and groups.get("y"))
        for name, groups, _raw, _start, _end in scan(text, lang)
    )


def infer_year(text: str, lang: str = "en") -> tuple[int | None, str]:
    """The year a text without a publication date is most likely about, and how it was found.

    A weekday written beside a date ("Monday, January 11") pins the year among those near the
    explicit years of the text; otherwise the latest explicit year is used. Without explicit
    years the answer is None (a weekday alone recurs every few years: no guessing).
    """
    years: set[int] = set()
    pinned: list[tuple[int, int, int]] = []
    # The cached scan: find_time_expressions on the same text (infer_reference_date) reuses it.
    for name, groups, _raw, _start, _end in scan(text, lang):
        for k, v in groups.items():
            if v and k in ("y", "y2") and 1800 <= int(v) <= 2099:
                years.add(int(v))
        if name in ("md", "dm"):
            wd_word, mon, d1 = groups.get("wd"), groups.get("mon"), groups.get("d1")
            if wd_word and mon and d1 and not groups.get("y"):
                wd = weekday_number(wd_word.lower(), lang)
                month = month_number(mon, lang)
                if wd is not None and month is not None:
                    pinned.append((month, int(d1), wd))
    if not years:
        return None, "no explicit year in the text"
    latest = max(years)
    for month, day, wd in pinned:
        # The nearest year with that weekday, the later one of two as near (news looks ahead).
        y = years_with_weekday(month, day, wd, around=latest)
        if y is None:
            continue
        if abs(y - latest) <= 1:
            weekday_date = f"{DAY_NAMES[wd]}, {day} {MONTH_NAMES[month - 1]}"
            return y, f"year {y} pinned by a weekday beside a date ({weekday_date})"
        return y, f"year {y} pinned by a weekday beside a date"
    return latest, f"year {latest}: the latest explicit year in the text"


def infer_reference_date(text: str, lang: str = "en") -> date | None:
    """The latest full date a text pins by itself: written with its year, or with a weekday
    that fixes the year ("Monday, January 11" beside "November 9, 2020" is 2021-01-11).

    Used instead of a missing publication date to choose the year of dates written without
    one; None when the text pins no full date.
    """
    year, _ = infer_year(text, lang)
    best: date | None = None
    for e in find_time_expressions(text, lang, None, None, None, year):
        if e.precision != "day" or not e.date:
            continue
        if e.explicit_year or "pinned by the weekday" in e.note:
            d = date.fromisoformat(e.date_end or e.date)
            best = d if best is None or d > best else best
    return best
