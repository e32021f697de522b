"""Reading the time expressions of a text: :func:`find_time_expressions`.

Each raw match of :func:`geo.dates.scan.scan` is first checked in context (a bare "May" or
"fall" is an ordinary word unless a time preposition or a year says otherwise), then resolved
by its kind (:mod:`geo.dates.absolute`, :mod:`geo.dates.relative`), given the relation the
word before it sets ("after", "before", "since"), and "from X to Y" pairs are joined into one
range.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from geo.dates.absolute import (
    resolve_day,
    resolve_month,
    resolve_numeric,
    resolve_season,
)
from geo.dates.expr import Context, TimeExpr
from geo.dates.relative import (
    resolve_ago,
    resolve_night_before,
    resolve_relative,
    resolve_weekday,
)
from geo.dates.scan import scan
from geo.dates.words import month_number, season_name, weekday_number
from geo.text.tense import Tense

__all__ = ["find_time_expressions"]

Relation = Literal["at", "after", "before", "since"]

_TIME_PREP_BEFORE = re.compile(
    r"(?:\b(?:in|since|until|till|by|from|during|of|on|through|after|before|last|this|next|past|"
    r"early|late|mid|(?:scheduled|planned|set|slated|due|expected)\s+for)\s+)$",
    re.IGNORECASE,
)
_RU_MONTH_PREP_BEFORE = re.compile(
    r"(?:(?<!\w)(?:в|с|до|по|к)|(?:запланирован|назначен|намечен)\w*\s+на)\s+$", re.I
)
_FROM_BETWEEN = re.compile(r"(?i)from|between")
_REL_BEFORE = re.compile(
    r"\b(after|before|since|until|following|ahead\s+of|starting\s+from|starting|from|"
    r"effective|после|до|с|начиная\s+с|накануне)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_RANGE_GAP = re.compile(r"\s*(?:to|until|till|through|thru|-|–|—|по|до)\s*", re.IGNORECASE)


def find_time_expressions(
    text: str,
    lang: str = "en",
    anchor: date | None = None,
    tense: Tense | None = None,
    ref: date | None = None,
    default_year: int | None = None,
    year_anchor: date | None = None,
) -> list[TimeExpr]:
    """Find and resolve the time expressions of ``text``.

    Parameters
    ----------
    text:
        A sentence or clause (offsets of the result index it).
    lang:
        ``"en"`` or ``"ru"``; other languages fall back to English patterns.
    anchor:
        Publication date of the source, or None.
    tense:
        Tense of the clause: decides whether "on Friday" is the last or the next Friday and
        which year a date without one falls in.
    ref:
        Narrative reference date (last explicit month-and-year earlier in the paragraph).
    default_year:
        Year inferred from the text when there is no anchor (see :func:`infer_year`).
    year_anchor:
        Without an anchor, the latest date the text itself pins (see
        :func:`infer_reference_date`): it picks the year of dates written without one, but
        never resolves weekdays or relative expressions (that would be guessing).
    """
    ctx = Context(anchor, tense, ref, default_year, year_anchor)
    out: list[TimeExpr] = []
    for name, groups, raw, start, end in scan(text, lang):
        expr = _resolve(name, groups, raw, ctx, lang, text, start)
        if expr is None:
            continue
        relation = _relation(text, start)
        if relation == "since" and expr.date_end:
            relation = "at"  # "с 10 по 12 ноября", "from 1 to 5 October": the range itself
        expr.start, expr.end, expr.text, expr.relation = start, end, raw, relation
        out.append(expr)
    return _join_ranges(text, out)


def _relation(text: str, start: int) -> Relation:
    """How an event relates to the time expression at ``start``, by the word before it."""
    rel = _REL_BEFORE.search(text, max(0, start - 25), start)
    if not rel:
        return "at"
    word = rel.group(1).lower()
    if word in ("after", "following", "после"):
        return "after"
    if word in ("before", "until", "ahead of", "до", "накануне"):
        return "before"
    if word in ("since", "с") or word.startswith(("starting", "from", "effective", "начиная")):
        return "since"
    return "at"


def _join_ranges(text: str, exprs: list[TimeExpr]) -> list[TimeExpr]:
    """Join "from October 1 to October 5", "с 1 октября по 5 октября" into one range."""
    out: list[TimeExpr] = []
    for e in exprs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.relation == "since"
            and prev.date
            and e.date
            and prev.precision == e.precision
            and not prev.date_end
            and _RANGE_GAP.fullmatch(text[prev.end : e.start])
            and (e.date_end or e.date) > prev.date
        ):
            out[-1] = prev.model_copy(
                update={
                    "end": e.end,
                    "text": text[prev.start : e.end],
                    "date_end": e.date_end or e.date,
                    "relation": "at",
                    "note": f"{prev.note}; a range to {e.date_end or e.date}",
                }
            )
            continue
        out.append(e)
    return out


def _resolve(
    name: str, g: dict[str, str | None], raw: str, ctx: Context, lang: str, text: str, pos: int
) -> TimeExpr | None:
    """The date of a raw match of pattern ``name`` at ``pos`` of ``text`` (None: in its
    context the match is no time expression)."""
    if name in ("md", "dm", "night"):
        return resolve_day(g, ctx, lang, night=name == "night")
    if name == "mrange":
        return _month_range(g, raw, ctx, lang)
    if name == "month":
        if not g.get("y") and not g.get("mod") and not _month_alone(raw, lang, text, pos):
            return None
        month = month_number(g["mon"] or "", lang)
        if month is None:
            return None
        return resolve_month(month, g.get("y"), g.get("mod"), ctx)
    if name == "season":
        season = season_name(g["season"] or "", lang)
        if season is None:
            return None
        # English: "fall" needs a year or a modifier ("the fall of the city" is no season),
        # and a season without either needs "the" ("in summer" is too vague to date).
        if (
            lang == "en"
            and not g.get("y")
            and not g.get("mod")
            and ((g["season"] or "").lower() == "fall" or not raw.lower().startswith("the"))
        ):
            return None
        return resolve_season(season, g.get("y"), g.get("mod"), ctx)
    if name == "years":
        return _years(g, raw)
    if name == "wnight":
        wd_n = weekday_number((g.get("wd") or "").lower(), "ru")
        return None if wd_n is None else resolve_night_before(wd_n, ctx)
    if name == "weekday":
        wd = weekday_number((g["wd"] or "").lower(), lang)
        if wd is None:
            return None
        if lang != "ru" and not raw[:1].isupper() and not g.get("mod"):
            return None
        return resolve_weekday(wd, (g.get("mod") or "").lower(), ctx)
    if name == "rel":
        return resolve_relative((g["word"] or "").lower(), ctx)
    if name == "ago":
        return resolve_ago(g.get("n") or "", g.get("unit") or "", ctx, lang)
    # "numeric"
    return resolve_numeric(raw, lang)


def _month_alone(raw: str, lang: str, text: str, pos: int) -> bool:
    """Whether a month written without year or modifier is a time: in English a capitalised
    name after a time preposition ("in May", "scheduled for October"), in Russian after a
    preposition ("в сентябре", "запланирован на октябрь")."""
    if lang == "en":
        return raw[:1].isupper() and bool(_TIME_PREP_BEFORE.search(text[max(0, pos - 20) : pos]))
    if lang == "ru":
        return raw.lower().startswith("в") or bool(
            _RU_MONTH_PREP_BEFORE.search(text[max(0, pos - 20) : pos])
        )
    return True


def _month_range(g: dict[str, str | None], raw: str, ctx: Context, lang: str) -> TimeExpr | None:
    """A range of months ("March to May 2022", "с марта по май")."""
    m1 = month_number(g.get("mon") or "", lang)
    m2 = month_number(g.get("mon2") or "", lang)
    if m1 is None or m2 is None:
        return None
    # Lower-case English "may and march" without a year or "from"/"between" is no range.
    if lang == "en" and not raw[:1].isupper() and not g.get("y") and not _FROM_BETWEEN.match(raw):
        return None
    first = resolve_month(m1, g.get("y"), None, ctx)
    if first.date is None:
        return first
    start_y = int(first.date[:4])
    end_y = start_y + 1 if m2 < m1 else start_y
    if g.get("y") and m2 < m1:
        # "November to February 2021": the range ends in the year named
        start_y, end_y = start_y - 1, start_y
    return first.model_copy(
        update={
            "date": f"{start_y:04d}-{m1:02d}",
            "date_end": f"{end_y:04d}-{m2:02d}",
            "note": first.note + "; a range of months",
        }
    )


def _years(g: dict[str, str | None], raw: str) -> TimeExpr | None:
    """A year or a range of years ("2008", "1992-1994")."""
    y1 = int(g["y"] or 0)
    y2 = int(g["y2"] or 0) if g.get("y2") else None
    if y2 is not None and y2 < y1:
        return None
    return TimeExpr(
        start=0,
        end=0,
        text=raw,
        date=f"{y1:04d}",
        date_end=f"{y2:04d}" if y2 else None,
        precision="year",
        explicit_year=True,
        note="explicit year",
    )
