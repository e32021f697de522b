"""Time expressions in English and Russian news text, anchored to the publication date.

A deterministic rules layer finds and resolves the expressions news reports use: explicit
dates with or without a year ("October 31", "26 ноября", "Monday, January 11",
"November 9, 2020"), weekdays read by tense ("on Friday", "в пятницу"), relative expressions
("last week", "earlier this month", "this past July", "накануне", "в ночь на 10 ноября"),
seasons ("autumn 2020", "the summer of 2014"), bare years and ranges ("18-19 August").

Resolution needs three things besides the words: the *anchor* (the source's publication date,
may be None), the *tense* of the clause (a weekday in a future clause is the next such day), and
an optional *reference* date (the last explicit month and year of the paragraph, so that
"in the night to 10 November" after "in September 2020" stays in 2020).

Numeric dates ("28.10.2022", "10/28/2022") are handed to :mod:`dateparser`, which is only
called on the few strings that look like one (it costs milliseconds per call).

Precisions map to ACLED's ``time_precision`` and UCDP's ``date_prec`` with
:func:`acled_time_precision` and :func:`ucdp_date_prec`.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from geo.models import DatePrecision

__all__ = [
    "TimeExpr",
    "Tense",
    "find_time_expressions",
    "infer_year",
    "acled_time_precision",
    "ucdp_date_prec",
    "ACLED_TIME_PRECISION",
    "UCDP_DATE_PREC",
    "SEASON_MONTHS",
]

Tense = Literal["past", "present", "future"]

#: ACLED ``time_precision``: 1 = the day is known, 2 = the week (or a span of days) is known,
#: 3 = only the month or a longer period is known.
ACLED_TIME_PRECISION: dict[str, int] = {"day": 1, "week": 2, "month": 3, "season": 3, "year": 3}

#: UCDP GED ``date_prec``: 1 = exact day, 2 = 2-6 days, 3 = the week, 4 = the month,
#: 5 = longer than a month (season, year).
UCDP_DATE_PREC: dict[str, int] = {"day": 1, "week": 3, "month": 4, "season": 5, "year": 5}

#: Meteorological seasons (northern hemisphere): first and last month; winter spans two years.
SEASON_MONTHS: dict[str, tuple[int, int]] = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "winter": (12, 2),
}


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

    @property
    def resolved(self) -> bool:
        return self.date is not None


# --------------------------------------------------------------------------- vocabularies

_EN_MONTHS: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _i:
        _EN_MONTHS[_name.lower()] = _i
        _EN_MONTHS[_name[:3].lower()] = _i
_EN_MONTHS["sept"] = 9

_RU_MONTH_STEMS = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
]
_RU_MONTH_FORMS: dict[str, int] = {}
for _i, _stem in enumerate(_RU_MONTH_STEMS, start=1):
    if _stem == "ма":
        forms = ["май", "мая", "мае", "маю"]
    elif _stem == "март" or _stem == "август":
        forms = [_stem, _stem + "а", _stem + "е", _stem + "у"]
    else:
        forms = [_stem + "ь", _stem + "я", _stem + "е", _stem + "ю"]
    for _f in forms:
        _RU_MONTH_FORMS[_f] = _i

# calendar.day_name formats each name through strftime on every access: read it once.
_DAY_NAMES = tuple(calendar.day_name)
_EN_WEEKDAYS = {name.lower(): i for i, name in enumerate(_DAY_NAMES)}
_RU_WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "среду": 2,
    "среда": 2,
    "четверг": 3,
    "пятницу": 4,
    "пятница": 4,
    "субботу": 5,
    "суббота": 5,
    "воскресенье": 6,
}
_EN_SEASONS = {"spring": "spring", "summer": "summer", "autumn": "autumn", "fall": "autumn"}
_EN_SEASONS["winter"] = "winter"
_RU_SEASONS = {
    "весн": "spring",
    "лет": "summer",
    "осен": "autumn",
    "зим": "winter",
}
_EN_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "several": 3,
}

_MON_EN = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_WD_EN = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON_RU = r"(?:" + "|".join(sorted(_RU_MONTH_FORMS, key=len, reverse=True)) + r")"
_WD_RU = r"(?:" + "|".join(sorted(_RU_WEEKDAYS, key=len, reverse=True)) + r")"
_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_DAY = r"(?:[0-3]?\d)"
_ORD = r"(?:st|nd|rd|th)?"

_REL = r"(?P<rel>after|before|since|until|by|from)\s+(?:the\s+)?"

# Each pattern has a name; the resolver dispatches on it. Order matters only through length:
# at one start offset the longest match wins.
_EN_PATTERNS: list[tuple[str, str]] = [
    # Monday, January 11(, 2021) / January 11-12, 2021 / Oct. 28
    (
        "md",
        rf"(?:(?P<wd>{_WD_EN}),?\s+)?(?P<mon>{_MON_EN})\s+(?P<d1>{_DAY}){_ORD}"
        rf"(?:\s*(?:-|–|and|to)\s*(?P<d2>{_DAY}){_ORD})?(?!\d)(?:,?\s+(?P<y>{_YEAR})\b)?",
    ),
    # 11 January(, 2021) / 18-19 August 2024 / the 9th of November
    (
        "dm",
        rf"(?:(?P<wd>{_WD_EN}),?\s+)?(?:the\s+)?(?P<d1>{_DAY}){_ORD}"
        rf"(?:\s*(?:-|–|and|to)\s*(?P<d2>{_DAY}){_ORD})?\s+(?:of\s+)?(?P<mon>{_MON_EN})\b"
        rf"(?:,?\s+(?P<y>{_YEAR})\b)?",
    ),
    # (from / between) March to May (2022), March-May 2022
    (
        "mrange",
        rf"(?:(?:from|between)\s+)?(?P<mon>{_MON_EN})\s*(?:-|–|to|and|through|until)\s*"
        rf"(?P<mon2>{_MON_EN})(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?\b",
    ),
    # (in / this past / last / early) September (2020)
    (
        "month",
        rf"(?:(?P<mod>this\s+past|last|this|next|early|mid-?|late|the\s+end\s+of|the\s+beginning\s+of)\s+)?"
        rf"(?P<mon>{_MON_EN})(?:,?\s+(?:of\s+)?(?P<y>{_YEAR}))?\b",
    ),
    # (the) summer of 2014 / autumn 2020 / last summer
    (
        "season",
        r"(?:(?P<mod>this\s+past|last|this|next|early|late)\s+|the\s+)?"
        rf"(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?\b",
    ),
    # 1992-1994 / 2008
    ("years", rf"(?<![\d,.$€£-])(?P<y>{_YEAR})(?:\s*(?:-|–|to)\s*(?P<y2>{_YEAR}))?(?![\d%])"),
    # (last / next / this / on / late) Friday (morning)
    (
        "weekday",
        rf"(?:(?P<mod>last|next|this|this\s+past|on|late|early)\s+)?(?P<wd>{_WD_EN})\b"
        rf"(?!,?\s+(?:the\s+)?(?:{_MON_EN}\s+\d|\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MON_EN}))"
        r"(?:\s+(?:morning|afternoon|evening|night))?",
    ),
    (
        "rel",
        r"(?P<word>yesterday|today|tonight|tomorrow|overnight|"
        r"(?:earlier|later)\s+(?:this|that)\s+(?:week|month|year)|"
        r"(?:last|this|next|the\s+past|the\s+previous|the\s+coming)\s+(?:week|month|year|weekend)|"
        r"(?:earlier|later)\s+(?:today|in\s+the\s+day))\b",
    ),
    (
        "ago",
        r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several)\s+"
        r"(?P<unit>days?|weeks?|months?|years?)\s+(?:ago|earlier)\b",
    ),
    (
        "numeric",
        r"(?<![\d.])(?:\d{1,2}[./]\d{1,2}[./](?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})(?![\d.])",
    ),
]

_RU_PATTERNS: list[tuple[str, str]] = [
    # в ночь на 10 ноября / в ночь с 9 на 10 ноября
    (
        "night",
        rf"в\s+ночь\s+(?:с\s+(?P<d0>{_DAY})\s+)?на\s+(?P<d1>{_DAY})\s+(?P<mon>{_MON_RU})"
        rf"(?:\s+(?P<y>{_YEAR})\s*(?:года|г\.)?)?",
    ),
    # в ночь на среду
    ("wnight", rf"в\s+ночь\s+на\s+(?P<wd>{_WD_RU})\b"),
    # 26 ноября (2021 года) / 18-19 августа / 18 и 19 августа
    (
        "dm",
        rf"(?:(?:в\s+)?(?P<wd>{_WD_RU}),?\s+)?(?P<d1>{_DAY})(?:\s*(?:-|–|и|по)\s*(?P<d2>{_DAY}))?"
        rf"\s+(?P<mon>{_MON_RU})\b(?:\s+(?P<y>{_YEAR})\s*(?:года|году|г\.)?)?",
    ),
    # с марта по май 2022 года
    (
        "mrange",
        rf"с\s+(?P<mon>{_MON_RU})\s+(?:по|до)\s+(?P<mon2>{_MON_RU})\b"
        rf"(?:\s+(?P<y>{_YEAR})\s*(?:года|г\.)?)?",
    ),
    # в сентябре 2020 года / в начале ноября / в прошлом июле
    (
        "month",
        r"(?:(?P<mod>в\s+начале|в\s+конце|в\s+середине|в\s+прошлом|в\s+этом|в\s+следующем|прошлым|этим)\s+)?"
        rf"(?:в\s+)?(?P<mon>{_MON_RU})\b(?:\s+(?P<y>{_YEAR})\s*(?:года|году|г\.)?)?",
    ),
    # осенью 2020 года / летом 2014 / прошлой осенью
    (
        "season",
        r"(?:(?P<mod>прошлой|прошлым|этой|этим|следующей|следующим)\s+)?"
        r"(?P<season>весн(?:ой|а|е|ы)|лет(?:ом|о|е|а)|осен(?:ью|ь|и)|зим(?:ой|а|е|ы))\b"
        rf"(?:\s+(?P<y>{_YEAR})\s*(?:года|г\.)?)?",
    ),
    (
        "years",
        rf"(?<![\d,.-])(?P<y>{_YEAR})(?:\s*(?:-|–)\s*(?P<y2>{_YEAR}))?(?![\d%])(?:\s*(?:года|году|год|гг?\.))?",
    ),
    (
        "weekday",
        r"(?:(?P<mod>в\s+прошл(?:ый|ую|ое)|в\s+эт(?:от|у|о)|в\s+следующ(?:ий|ую|ее)|в|во)\s+)"
        rf"(?P<wd>{_WD_RU})\b(?!,?\s+\d{{1,2}}\s+{_MON_RU})(?:\s+(?:утром|днём|днем|вечером|ночью))?",
    ),
    (
        "rel",
        r"(?P<word>вчера|сегодня|завтра|накануне|позавчера|"
        r"(?:ранее\s+)?на\s+(?:прошлой|этой|текущей|следующей)\s+неделе|"
        r"в\s+(?:прошлом|этом|текущем|следующем)\s+(?:месяце|году)|"
        r"(?:ранее|в\s+начале)\s+(?:этого|текущего)\s+(?:месяца|года))"
        r"(?:\s+(?:утром|днём|днем|вечером|ночью))?(?!\w)",
    ),
    (
        "ago",
        r"(?P<n>\d+|неделю|месяц|год|два|две|три|четыре|пять|несколько)\s*"
        r"(?P<unit>дн(?:я|ей)|недел(?:и|ь)|месяц(?:а|ев)?|год(?:а)?|лет)?\s+назад",
    ),
    (
        "numeric",
        r"(?<![\d.])(?:\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})(?![\d.])",
    ),
]


# What each pattern can start with (a superset, as lookahead alternatives): re tries every
# pattern at every word start, and a failed lookahead is far cheaper than a failed pattern.
# Each alternative begins with a literal, which re checks first (a group there defeats that).
_WDF = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONA = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
# A month name is followed by a non-word character or by a range word ("March-May", "Marto").
_MONL = [
    m + r"(?:(?!\w)|to|and|through|until)"
    for m in (
        "jan(?:uary)?",
        "feb(?:ruary)?",
        "mar(?:ch)?",
        "apr(?:il)?",
        "may",
        "june?",
        "july?",
        "aug(?:ust)?",
        "sep(?:t|tember)?",
        "oct(?:ober)?",
        "nov(?:ember)?",
        "dec(?:ember)?",
    )
]
_SEASONS = ["spring", "summer", "autumn", "fall", "winter"]
_MODS = [r"this\s", r"last\s", r"next\s"]
_MONS = f"(?:{_MONA})"
_SEASONS_RE = "(?:" + "|".join(_SEASONS) + ")"
_WDF_RE = "(?:" + "|".join(_WDF) + ")"
_RU_MON_STEMS = [r"ма[йяею](?!\w)" if st == "ма" else st for st in _RU_MONTH_STEMS]
_RU_MON_ANY = "|".join(_RU_MONTH_STEMS)
_RU_WD_ANY = "|".join(_RU_WEEKDAYS)
_EN_STARTS: dict[str, list[str]] = {
    "md": _WDF + _MONL,
    "dm": [*_WDF, r"the\s+\d", r"\d"],
    "mrange": [rf"from\s+(?:{_MONA})", rf"between\s+(?:{_MONA})", *_MONL],
    "month": [*_MODS, rf"(?:early|late)\s+{_MONS}", "mid", r"the\s+end\s", r"the\s+beginning\s"]
    + _MONL,
    "season": [*_MODS, rf"(?:early|late|the)\s+{_SEASONS_RE}", *_SEASONS],
    "years": ["1", "2"],
    "weekday": [*_MODS, rf"(?:early|late|on)\s+{_WDF_RE}", *_WDF],
    "rel": [
        "yesterday",
        "tod",
        "ton",
        "tom",
        "overnight",
        r"earlier\s",
        r"later\s",
        r"last\s",
        r"this\s",
        r"next\s",
        r"the\s+(?:past|previous|coming)\s",
    ],
    "ago": [r"\d"]
    + [
        w + r"\s+(?:day|week|month|year)"
        for w in ("an?", "one", "two", "three", "four", "five", "six", "seven", "eight")
        + ("nine", "ten", "several")
    ],
    "numeric": [r"\d"],
}
_RU_STARTS: dict[str, list[str]] = {
    "night": [r"в\s+ночь"],
    "wnight": [r"в\s+ночь"],
    "dm": [rf"в\s+(?:{_RU_WD_ANY})", *_RU_WEEKDAYS, r"\d"],
    "mrange": [rf"с\s+(?:{_RU_MON_ANY})"],
    "month": [
        rf"в\s+(?:начале|конце|середине|прошлом|этом|следующем|{_RU_MON_ANY})",
        r"прошлым\s",
        r"этим\s",
        *_RU_MON_STEMS,
    ],
    "season": [
        *(rf"{w}\s" for w in ("прошлой", "прошлым", "этой", "этим", "следующей", "следующим")),
        *("весн", "лет", "осен", "зим"),
    ],
    "years": ["1", "2"],
    "weekday": [rf"во?\s+(?:прошл|эт|следующ|{_RU_WD_ANY})"],
    "rel": [
        *("вчера", "сегодня", "завтра", "накануне", "позавчера", r"ранее\s"),
        r"на\s+(?:прошлой|этой|текущей|следующей)\s",
        r"в\s+(?:прошлом|этом|текущем|следующем|начале)\s",
    ],
    # number word, unit (optional, letters), "назад"
    "ago": [r"\d"]
    + [
        rf"{w}\s*[а-яё]*\s+назад"
        for w in ("неделю", "месяц", "год", "два", "две", "три", "четыре", "пять", "несколько")
    ],
    "numeric": [r"\d"],
}


def _compile(
    patterns: list[tuple[str, str]], starts: dict[str, list[str]], flags: int
) -> re.Pattern[str]:
    # One alternation with a named group per pattern: a single scan of the text.
    parts = []
    for i, (name, pat) in enumerate(patterns):
        # Group names must be unique across the alternation: suffix them with the index.
        pat_i = re.sub(r"\(\?P<(\w+)>", rf"(?P<\1_{i}>", pat)
        parts.append(f"(?P<_{name}_{i}>(?={'|'.join(starts[name])}){pat_i})")
    # Most word starts begin no pattern at all: one lookahead rejects them at once.
    first = "|".join(dict.fromkeys(w for ws in starts.values() for w in ws))
    return re.compile(rf"(?<!\w)(?={first})(?:" + "|".join(parts) + r")", flags)


_EN_RE = _compile(_EN_PATTERNS, _EN_STARTS, re.IGNORECASE)
_RU_RE = _compile(_RU_PATTERNS, _RU_STARTS, re.IGNORECASE)
# The same patterns, lower-cased, for matching lower-cased text: Python's re runs about twice
# as fast without IGNORECASE. (The patterns use no upper-case escapes such as \S or \W.)
_EN_RE_LOW = re.compile(_EN_RE.pattern.lower().replace("(?p<", "(?P<"))
_RU_RE_LOW = re.compile(_RU_RE.pattern.lower().replace("(?p<", "(?P<"))

# Bare month names that are also ordinary words: only with a year or a time preposition.
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "jan", "jun", "dec", "sep", "sept", "aug", "oct"}
_TIME_PREP_BEFORE = re.compile(
    r"(?:\b(?:in|since|until|till|by|from|during|of|on|through|after|before|last|this|next|past|"
    r"early|late|mid|(?:scheduled|planned|set|slated|due|expected)\s+for)\s+)$",
    re.IGNORECASE,
)
# Precompiled (re.sub(pattern, ...) looks its pattern up in re's cache on every call).
_SPACES = re.compile(r"\s+")
_FROM_BETWEEN = re.compile(r"(?i)from|between")
_RU_MONTH_PREP_BEFORE = re.compile(
    r"(?:(?<!\w)(?:в|с|до|по|к)|(?:запланирован|назначен|намечен)\w*\s+на)\s+$", re.I
)
_REL_BEFORE = re.compile(
    r"\b(after|before|since|until|following|ahead\s+of|starting\s+from|starting|from|"
    r"effective|после|до|с|начиная\s+с|накануне)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


class _Ctx:
    """What resolution needs: anchor, tense, paragraph reference and fallback year."""

    def __init__(
        self,
        anchor: date | None,
        tense: Tense | None,
        ref: date | None,
        year: int | None,
        year_anchor: date | None = None,
    ) -> None:
        self.anchor = anchor
        self.tense = tense
        self.ref = ref
        self.year = year
        self.year_anchor = year_anchor


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
    ctx = _Ctx(anchor, tense, ref, default_year, year_anchor)
    out: list[TimeExpr] = []
    for name, groups, raw, start, end in _scan(text, lang):
        expr = _resolve(name, groups, raw, ctx, lang, text, start)
        if expr is None:
            continue
        rel = _REL_BEFORE.search(text, max(0, start - 25), start)
        relation: Literal["at", "after", "before", "since"] = "at"
        if rel:
            word = rel.group(1).lower()
            if word in ("after", "following", "после"):
                relation = "after"
            elif word in ("before", "until", "ahead of", "до", "накануне"):
                relation = "before"
            elif word in ("since", "с") or word.startswith(
                ("starting", "from", "effective", "начиная")
            ):
                relation = "since"
        if relation == "since" and expr.date_end:
            relation = "at"  # "с 10 по 12 ноября", "from 1 to 5 October": the range itself
        expr.start, expr.end, expr.text, expr.relation = start, end, raw, relation
        out.append(expr)
    return _join_ranges(text, out)


_RANGE_GAP = re.compile(r"\s*(?:to|until|till|through|thru|-|–|—|по|до)\s*", re.IGNORECASE)


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


_Raw = tuple[str, dict[str, str | None], str, int, int]


@functools.lru_cache(maxsize=8192)
def _scan(text: str, lang: str) -> tuple[_Raw, ...]:
    """The raw matches of the time-expression patterns (cached: a sentence is scanned once
    however many triggers and tenses it is resolved for). The group dicts are shared: read
    only."""
    # No keyword prefilter: one was tried, it passed nearly every news sentence and cost
    # as much as the scan itself.
    low = text.lower()
    ru = lang == "ru"
    if len(low) == len(text):  # offsets survive lower-casing (not so for a few letters)
        regex, kinds = _RU_LOW if ru else _EN_LOW
        scanned = low
    else:
        regex, kinds = _RU if ru else _EN
        scanned = text
    out = []
    for m in regex.finditer(scanned):
        # The pattern's own group encloses its inner groups, so it is the last one closed.
        name, shorts, fulls = kinds[m.lastgroup or ""]
        start, end = m.span()
        # group() with two or more names returns a tuple; 0 pads patterns with fewer groups.
        values = m.group(0, 0, *fulls)[2:]
        out.append((name, dict(zip(shorts, values, strict=True)), text[start:end], start, end))
    return tuple(out)


_Kinds = dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]


def _kinds(regex: re.Pattern[str]) -> _Kinds:
    """Per pattern of a combined regex (by its ``_name_idx`` group): the pattern's name, its
    own groups' short names and their full group names."""
    names = list(regex.groupindex)
    out = {}
    for kind in names:
        if not kind.startswith("_"):
            continue
        name, idx = kind[1:].rsplit("_", 1)
        fulls = tuple(k for k in names if not k.startswith("_") and k.endswith(f"_{idx}"))
        out[kind] = (name, tuple(k.rsplit("_", 1)[0] for k in fulls), fulls)
    return out


# Each combined regex with its kinds. (Not an lru_cache on the regex: hashing a compiled
# pattern hashes its whole code, ~12 µs for these.)
_EN_LOW = (_EN_RE_LOW, _kinds(_EN_RE_LOW))
_RU_LOW = (_RU_RE_LOW, _kinds(_RU_RE_LOW))
_EN = (_EN_RE, _kinds(_EN_RE))
_RU = (_RU_RE, _kinds(_RU_RE))


def _resolve(
    name: str, g: dict[str, str | None], raw: str, ctx: _Ctx, lang: str, text: str, pos: int
) -> TimeExpr | None:
    if name in ("md", "dm", "night"):
        return _resolve_day(g, ctx, lang, night=name == "night")
    if name == "mrange":
        m1 = _month_number(g.get("mon") or "", lang)
        m2 = _month_number(g.get("mon2") or "", lang)
        if m1 is None or m2 is None:
            return None
        if (
            lang == "en"
            and not raw[:1].isupper()
            and not g.get("y")
            and not _FROM_BETWEEN.match(raw)
        ):
            return None
        first = _resolve_month(m1, g.get("y"), None, ctx)
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
    if name == "month":
        mon_word = (g["mon"] or "").lower().rstrip(".")
        if (
            lang == "en"
            and not g.get("y")
            and not g.get("mod")
            and (
                not raw[:1].isupper()
                or (
                    mon_word in _AMBIGUOUS_MONTHS
                    and not _TIME_PREP_BEFORE.search(text[max(0, pos - 20) : pos])
                )
                or not _TIME_PREP_BEFORE.search(text[max(0, pos - 20) : pos])
            )
        ):
            return None
        # "сентябрь" alone as a subject is rare; "в сентябре" is the time adverbial.
        if (
            lang == "ru"
            and not g.get("y")
            and not g.get("mod")
            and not raw.lower().startswith("в")
            and not _RU_MONTH_PREP_BEFORE.search(text[max(0, pos - 20) : pos])
        ):
            return None
        month = _month_number(mon_word, lang)
        if month is None:
            return None
        return _resolve_month(month, g.get("y"), g.get("mod"), ctx)
    if name == "season":
        season = _season_name(g["season"] or "", lang)
        if season is None:
            return None
        if (
            lang == "en"
            and (g["season"] or "").lower() == "fall"
            and not (g.get("y") or g.get("mod"))
        ):
            return None
        # English "in summer" without a year or "the": too vague to date.
        if (
            lang == "en"
            and not g.get("y")
            and not g.get("mod")
            and not raw.lower().startswith("the")
        ):
            return None
        return _resolve_season(season, g.get("y"), g.get("mod"), ctx)
    if name == "years":
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
    if name == "wnight":
        wd_n = _RU_WEEKDAYS.get((g.get("wd") or "").lower())
        if wd_n is None:
            return None
        day_expr = _resolve_weekday(wd_n, "", ctx)
        if day_expr.date is None:
            return day_expr
        end = date.fromisoformat(day_expr.date)
        return day_expr.model_copy(
            update={
                "date": (end - timedelta(days=1)).isoformat(),
                "date_end": end.isoformat(),
                "note": day_expr.note + "; the night before that day",
            }
        )
    if name == "weekday":
        wd_word = (g["wd"] or "").lower()
        wd = _EN_WEEKDAYS.get(wd_word) if lang != "ru" else _RU_WEEKDAYS.get(wd_word)
        if wd is None:
            return None
        if lang != "ru" and not raw[:1].isupper() and not g.get("mod"):
            return None
        return _resolve_weekday(wd, (g.get("mod") or "").lower(), ctx)
    if name == "rel":
        return _resolve_relative((g["word"] or "").lower(), ctx, lang)
    if name == "ago":
        return _resolve_ago(g.get("n") or "", g.get("unit") or "", ctx, lang)
    if name == "numeric":
        return _resolve_numeric(raw, lang)
    return None


def _month_number(word: str, lang: str) -> int | None:
    word = word.lower().rstrip(".")
    if lang == "ru":
        return _RU_MONTH_FORMS.get(word)
    return _EN_MONTHS.get(word)


def _season_name(word: str, lang: str) -> str | None:
    w = word.lower()
    if lang == "ru":
        for stem, season in _RU_SEASONS.items():
            if w.startswith(stem):
                return season
        return None
    return _EN_SEASONS.get(w)


def _iso(d: date) -> str:
    return d.isoformat()


def _day_expr(d: date, note: str, end: date | None = None, explicit_year: bool = False) -> TimeExpr:
    """A resolved day (or run of days) not yet tied to a span of the text."""
    return TimeExpr(
        start=0,
        end=0,
        text="",
        date=_iso(d),
        date_end=_iso(end) if end else None,
        precision="day",
        explicit_year=explicit_year,
        note=note,
    )


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _pick_year(month: int, day: int, ctx: _Ctx) -> tuple[int | None, str]:
    """The year of a date given without one."""
    if ctx.ref is not None:
        # Narrative time: the first such date on or after the paragraph's reference month.
        y = ctx.ref.year
        cand = _safe_date(y, month, min(day, 28) if day > 28 else day)
        if cand is not None and (cand.month, cand.day) < (ctx.ref.month, 1):
            y += 1
        if ctx.anchor is None or date(y, month, 1) <= ctx.anchor:
            return y, f"year {y} from the paragraph's reference date {ctx.ref.isoformat()[:7]}"
    if ctx.anchor is not None or ctx.year_anchor is not None:
        a = ctx.anchor or ctx.year_anchor or date(1, 1, 1)
        how = (
            "publication date"
            if ctx.anchor is not None
            else (f"latest date the text pins ({a.isoformat()}; no publication date)")
        )
        y = a.year
        this = _safe_date(y, month, day) or date(y, month, 28)
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
            key=lambda yy: abs(((_safe_date(yy, month, day) or date(yy, month, 28)) - a).days),
        )
        return best, f"year from the {how} (nearest occurrence)"
    if ctx.year is not None:
        return ctx.year, f"year {ctx.year} inferred from the text (no publication date)"
    return None, "no year: no publication date and none inferable"


def _resolve_day(g: dict[str, str | None], ctx: _Ctx, lang: str, night: bool) -> TimeExpr | None:
    month = _month_number(g.get("mon") or "", lang)
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
        year, note = _pick_year(month, d1, ctx)
        wd_word = (g.get("wd") or "").lower()
        wd = (_RU_WEEKDAYS if lang == "ru" else _EN_WEEKDAYS).get(wd_word) if wd_word else None
        if wd is not None and (
            year is None or (_safe_date(year, month, d1) or date(1, 1, 1)).weekday() != wd
        ):
            pinned = _years_with_weekday(month, d1, wd, around=year or ctx.year)
            if pinned is not None:
                year, note = pinned, f"year {pinned} pinned by the weekday ({wd_word})"
    if year is None:
        return TimeExpr(start=0, end=0, text="", precision="day", note=note)
    start = _safe_date(year, month, d1)
    if start is None:
        return None
    end = _safe_date(year, month, d2) if d2 else None
    if night:
        # "в ночь на 10 ноября": the night from the 9th to the 10th.
        d0 = int(g["d0"] or 0) if g.get("d0") else None
        night_start = _safe_date(year, month, d0) if d0 else start - timedelta(days=1)
        return _day_expr(
            night_start or start - timedelta(days=1),
            note + "; the night before the named day",
            end=start,
            explicit_year=explicit,
        )
    return _day_expr(start, note, end=end, explicit_year=explicit)


def _years_with_weekday(month: int, day: int, wd: int, around: int | None) -> int | None:
    """The year nearest ``around`` in which ``day`` ``month`` falls on weekday ``wd``."""
    if around is None:
        return None
    for delta in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6):
        d = _safe_date(around + delta, month, day)
        if d is not None and d.weekday() == wd:
            return around + delta
    return None


def _resolve_month(month: int, y: str | None, mod: str | None, ctx: _Ctx) -> TimeExpr:
    mod = _SPACES.sub(" ", (mod or "").lower())
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
        year, note = _pick_year(month, 1, ctx)
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


def _resolve_season(season: str, y: str | None, mod: str | None, ctx: _Ctx) -> TimeExpr:
    first, last = SEASON_MONTHS[season]
    explicit = bool(y)
    mod = _SPACES.sub(" ", (mod or "").lower())
    if y:
        year: int | None = int(y)
        note = "explicit season and year"
    elif ctx.anchor is not None:
        a = ctx.anchor

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
            and ctx.tense == "future"
            and bounds(year)[1] < a
        ):
            year += 1
        note = f"season resolved against the publication date ({mod or 'latest begun'})"
    elif ctx.year is not None:
        year = ctx.year
        note = f"year {year} inferred from the text (no publication date)"
    else:
        return TimeExpr(start=0, end=0, text="", precision="season", note="no year for the season")
    if year is None:
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


def _resolve_weekday(wd: int, mod: str, ctx: _Ctx) -> TimeExpr:
    if ctx.anchor is None:
        return TimeExpr(
            start=0, end=0, text="", precision="day", note="weekday without a publication date"
        )
    a = ctx.anchor
    mod = _SPACES.sub(" ", mod)
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
    return _day_expr(
        a + timedelta(days=delta),
        f"weekday read as {how} {_DAY_NAMES[wd]} relative to the publication date",
    )


def _week_bounds(d: date) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def _resolve_relative(word: str, ctx: _Ctx, lang: str) -> TimeExpr:
    word = _SPACES.sub(" ", word)
    if ctx.anchor is None:
        return TimeExpr(start=0, end=0, text="", note=f"'{word}' without a publication date")
    a = ctx.anchor

    def week(start: date, end: date, note: str) -> TimeExpr:
        return TimeExpr(
            start=0,
            end=0,
            text="",
            date=_iso(start),
            date_end=_iso(end),
            precision="week",
            note=note,
        )

    def month(d: date, note: str) -> TimeExpr:
        return TimeExpr(
            start=0,
            end=0,
            text="",
            date=f"{d.year:04d}-{d.month:02d}",
            precision="month",
            note=note,
        )

    def year(y: int, note: str) -> TimeExpr:
        return TimeExpr(start=0, end=0, text="", date=f"{y:04d}", precision="year", note=note)

    w = (
        word.split(" утром")[0]
        .split(" вечером")[0]
        .split(" ночью")[0]
        .split(" днём")[0]
        .split(" днем")[0]
    )
    if w in ("yesterday", "вчера"):
        return _day_expr(a - timedelta(days=1), "the day before publication")
    if w in ("позавчера",):
        return _day_expr(a - timedelta(days=2), "two days before publication")
    if w == "накануне":
        return _day_expr(a - timedelta(days=1), "'накануне': the day before publication")
    if w in ("today", "tonight", "сегодня") or w.startswith(
        ("earlier today", "later today", "earlier in the day", "later in the day")
    ):
        return _day_expr(a, "the day of publication")
    if w in ("tomorrow", "завтра"):
        return _day_expr(a + timedelta(days=1), "the day after publication")
    if w == "overnight":
        return _day_expr(a - timedelta(days=1), "overnight before publication", end=a)
    mon, sun = _week_bounds(a)
    if "week" in w or "недел" in w:
        if w.startswith(("last", "the past", "the previous")) or "прошлой" in w:
            if w.startswith("the past"):
                return week(a - timedelta(days=7), a, "the seven days before publication")
            return week(
                mon - timedelta(days=7), mon - timedelta(days=1), "the week before publication"
            )
        if w.startswith(("next", "the coming")) or "следующей" in w:
            return week(
                mon + timedelta(days=7), sun + timedelta(days=7), "the week after publication"
            )
        if w.startswith("earlier") or w.startswith("ранее"):
            end = max(mon, a - timedelta(days=1))
            return week(mon, end, "earlier in the week of publication")
        if w.startswith("later"):
            return week(min(a + timedelta(days=1), sun), sun, "later in the week of publication")
        return week(mon, sun, "the week of publication")
    if "weekend" in w:
        sat = mon + timedelta(days=5)
        if w.startswith(("last", "the past", "the previous")):
            sat -= timedelta(days=7)
        elif w.startswith(("next", "the coming")) or (
            w.startswith("this") and ctx.tense == "future"
        ):
            sat = sat if sat >= a else sat + timedelta(days=7)
        return week(sat, sat + timedelta(days=1), "weekend relative to the publication date")
    if "month" in w or "месяц" in w:
        if w.startswith("last") or "прошлом" in w or w.startswith(("the past", "the previous")):
            prev = a.replace(day=1) - timedelta(days=1)
            return month(prev, "the month before publication")
        if w.startswith(("next", "the coming")) or "следующем" in w:
            nxt = (a.replace(day=28) + timedelta(days=4)).replace(day=1)
            return month(nxt, "the month after publication")
        return month(a, "the month of publication")
    if "year" in w or "год" in w:
        if w.startswith("last") or "прошлом" in w or w.startswith(("the past", "the previous")):
            return year(a.year - 1, "the year before publication")
        if w.startswith(("next", "the coming")) or "следующем" in w:
            return year(a.year + 1, "the year after publication")
        return year(a.year, "the year of publication")
    return TimeExpr(start=0, end=0, text="", note=f"unresolved '{word}'")


def _resolve_ago(n_word: str, unit: str, ctx: _Ctx, lang: str) -> TimeExpr | None:
    n_word = n_word.lower()
    unit = unit.lower()
    if lang == "ru":
        if n_word in ("неделю", "месяц", "год") and not unit:
            unit, n = n_word, 1
        else:
            n = (
                int(n_word)
                if n_word.isdigit()
                else {"два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "несколько": 3}.get(
                    n_word, 0
                )
            )
    else:
        n = int(n_word) if n_word.isdigit() else _EN_NUMBERS.get(n_word, 0)
    if not n or not unit:
        return None
    if ctx.anchor is None:
        return TimeExpr(start=0, end=0, text="", note="'ago' without a publication date")
    a = ctx.anchor
    if unit.startswith(("day", "дн")):
        return _day_expr(a - timedelta(days=n), f"{n} days before publication")
    if unit.startswith(("week", "недел")):
        start, end = _week_bounds(a - timedelta(days=7 * n))
        return TimeExpr(
            start=0,
            end=0,
            text="",
            date=_iso(start),
            date_end=_iso(end),
            precision="week",
            note=f"{n} weeks before publication",
        )
    if unit.startswith(("month", "месяц")):
        y, m = divmod(a.year * 12 + a.month - 1 - n, 12)
        return TimeExpr(
            start=0,
            end=0,
            text="",
            date=f"{y:04d}-{m + 1:02d}",
            precision="month",
            note=f"{n} months before publication",
        )
    return TimeExpr(
        start=0,
        end=0,
        text="",
        date=f"{a.year - n:04d}",
        precision="year",
        note=f"{n} years before publication",
    )


def _resolve_numeric(raw: str, lang: str) -> TimeExpr | None:
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


def may_pin_year(text: str, lang: str = "en") -> bool:
    """Whether ``text`` may hold a time expression with its own year (a date, month or season
    with a year, or a numeric date): False means find_time_expressions returns none with
    ``explicit_year`` other than bare years."""
    return any(
        name == "numeric" or (name != "years" and groups.get("y"))
        for name, groups, _raw, _start, _end in _scan(text, lang)
    )


def infer_year(text: str, lang: str = "en") -> tuple[int | None, str]:
    """The year a text without a publication date is most likely about, and how it was found.

    A weekday written beside a date ("Monday, January 11") pins the year among those near the
    explicit years of the text; otherwise the latest explicit year is used. Without explicit
    years the answer is None (a weekday alone recurs every few years: no guessing).
    """
    years: Counter[int] = Counter()
    pinned: list[tuple[int, int, int]] = []
    # The cached scan: find_time_expressions on the same text (infer_reference_date) reuses it.
    for name, groups, _raw, _start, _end in _scan(text, lang):
        for k, v in groups.items():
            if v and k in ("y", "y2") and 1800 <= int(v) <= 2099:
                years[int(v)] += 1
        if name in ("md", "dm"):
            gd = groups
            wd_word, mon, d1 = gd.get("wd"), gd.get("mon"), gd.get("d1")
            if wd_word and mon and d1 and not gd.get("y"):
                wd = (_RU_WEEKDAYS if lang == "ru" else _EN_WEEKDAYS).get(wd_word.lower())
                month = _month_number(mon, lang)
                if wd is not None and month is not None:
                    pinned.append((month, int(d1), wd))
    latest = max(years) if years else None
    for month, day, wd in pinned:
        y = _years_with_weekday(month, day, wd, around=latest)
        if y is not None and latest is not None:
            # Prefer the matching year on or after the latest explicit one (news looks ahead).
            for cand in (latest, latest + 1, latest - 1):
                d = _safe_date(cand, month, day)
                if d is not None and d.weekday() == wd:
                    return (
                        cand,
                        f"year {cand} pinned by a weekday beside a date ({calendar.day_name[wd]}, {day} {calendar.month_name[month]})",
                    )
            return y, f"year {y} pinned by a weekday beside a date"
    if latest is not None:
        return latest, f"year {latest}: the latest explicit year in the text"
    return None, "no explicit year in the text"


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
