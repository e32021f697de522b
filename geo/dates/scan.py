"""Finding time expressions: the patterns of each language and the cached scan of a text.

Every pattern has a name the resolver dispatches on (``md`` "January 11", ``dm`` "11 January",
``mrange``, ``month``, ``season``, ``years``, ``weekday``, ``rel``, ``ago``, ``numeric``, and
Russian ``night``/``wnight`` "в ночь на ..."). The patterns of a language are combined into
one regex, so a text is scanned once; the word alternations in them are built from
:mod:`geo.dates.words`. :func:`scan` returns the raw matches (pattern name, groups, span).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from os.path import commonprefix

from geo.dates.words import EN, RU

__all__ = ["Raw", "scan"]


def _alternation(words: Iterable[str]) -> str:
    return "(?:" + "|".join(words) + ")"


def _one_start(words: list[str]) -> str:
    """Words that all begin with the first one as a single regex: ``jan(?:uary)?``,
    ``june?``, ``sep(?:t|tember)?``."""
    first, *longer = words
    tails = [w[len(first) :] for w in longer]
    if not tails:
        return first
    if len(tails) == 1 and len(tails[0]) == 1:
        return first + tails[0] + "?"
    return f"{first}(?:{'|'.join(tails)})?"


def _runs(words: Iterable[str]) -> list[list[str]]:
    """Consecutive words that begin with the first word of their run: a, an | one | two."""
    runs: list[list[str]] = []
    for w in words:
        if runs and w.startswith(runs[-1][0]):
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


# --------------------------------------------------------------------------- word alternations

_EN_MONTH_NAMES = [forms[0] for forms in EN.months]
_EN_MONTH_ABBREVIATIONS = [f for forms in EN.months for f in forms[1:]]
_EN_WEEKDAYS = [w.lower() for w in EN.weekdays]
_EN_SEASONS = list(EN.seasons)
_RU_MONTH_FORMS = [f for forms in RU.months for f in forms]
_RU_MONTH_STEMS = [commonprefix(list(forms)) for forms in RU.months]
_RU_WEEKDAYS = [f for forms in RU.weekdays for f in forms]

_MON_EN = _alternation(_EN_MONTH_NAMES + _EN_MONTH_ABBREVIATIONS) + r"\.?"
_WD_EN = _alternation(EN.weekdays)
_SEASON_EN = "|".join(_EN_SEASONS)
_MON_RU = _alternation(sorted(_RU_MONTH_FORMS, key=len, reverse=True))
_WD_RU = _alternation(sorted(_RU_WEEKDAYS, key=len, reverse=True))
_SEASON_RU = "|".join(f"{stem}{_alternation(s.endings)}" for stem, s in RU.seasons.items())
_RU_NUMBERS = [*RU.unit_numbers, *RU.numbers]
_YEAR = r"(?:1[89]\d{2}|20\d{2})"
_DAY = r"(?:[0-3]?\d)"
_ORD = r"(?:st|nd|rd|th)?"

# --------------------------------------------------------------------------- patterns

# The combined regex tries the patterns in this order at each start offset and the first that
# matches wins: a longer form comes before the forms it contains ("January 11", "January").
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
        rf"(?P<season>{_SEASON_EN})(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?\b",
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
        rf"(?P<word>{'|'.join(EN.relative_days)}|overnight|"
        r"(?:earlier|later)\s+(?:this|that)\s+(?:week|month|year)|"
        r"(?:last|this|next|the\s+past|the\s+previous|the\s+coming)\s+(?:week|month|year|weekend)|"
        r"(?:earlier|later)\s+(?:today|in\s+the\s+day))\b",
    ),
    (
        "ago",
        rf"(?P<n>\d+|{'|'.join(EN.numbers)})\s+"
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
        rf"(?P<season>{_SEASON_RU})\b"
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
        rf"(?P<word>{'|'.join(RU.relative_days)}|"
        r"(?:ранее\s+)?на\s+(?:прошлой|этой|текущей|следующей)\s+неделе|"
        r"в\s+(?:прошлом|этом|текущем|следующем)\s+(?:месяце|году)|"
        r"(?:ранее|в\s+начале)\s+(?:этого|текущего)\s+(?:месяца|года))"
        r"(?:\s+(?:утром|днём|днем|вечером|ночью))?(?!\w)",
    ),
    (
        "ago",
        rf"(?P<n>\d+|{'|'.join(_RU_NUMBERS)})\s*"
        r"(?P<unit>дн(?:я|ей)|недел(?:и|ь)|месяц(?:а|ев)?|год(?:а)?|лет)?\s+назад",
    ),
    (
        "numeric",
        r"(?<![\d.])(?:\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})(?![\d.])",
    ),
]

# --------------------------------------------------------------------------- start lookaheads

# What each pattern can start with (a superset, as lookahead alternatives): re tries every
# pattern at every word start, and a failed lookahead is far cheaper than a failed pattern.
# Each alternative begins with a literal, which re checks first (a group there defeats that).
_MON_SHORT = _alternation(sorted(forms, key=len)[0].lower() for forms in EN.months)
# A month name is followed by a non-word character or by a range word ("March-May", "Marto").
_MON_STARTS = [
    _one_start(sorted((f.lower() for f in forms), key=len)) + r"(?:(?!\w)|to|and|through|until)"
    for forms in EN.months
]
_MODS = [r"this\s", r"last\s", r"next\s"]
_SEASON_EN_GROUP = _alternation(_EN_SEASONS)
_WD_EN_LOWER = _alternation(_EN_WEEKDAYS)
# A two-letter stem ("ма") begins too many words: for it the lookahead wants a whole form.
_RU_MON_STARTS = [
    stem if len(stem) > 2 else f"{stem}[{''.join(f[len(stem) :] for f in forms)}](?!\\w)"
    for stem, forms in zip(_RU_MONTH_STEMS, RU.months, strict=True)
]
_RU_MON_ANY = "|".join(_RU_MONTH_STEMS)
_RU_WD_ANY = "|".join(_RU_WEEKDAYS)
_EN_STARTS: dict[str, list[str]] = {
    "md": _EN_WEEKDAYS + _MON_STARTS,
    "dm": [*_EN_WEEKDAYS, r"the\s+\d", r"\d"],
    "mrange": [rf"from\s+{_MON_SHORT}", rf"between\s+{_MON_SHORT}", *_MON_STARTS],
    "month": [
        *_MODS,
        rf"(?:early|late)\s+{_MON_SHORT}",
        "mid",
        r"the\s+end\s",
        r"the\s+beginning\s",
    ]
    + _MON_STARTS,
    "season": [*_MODS, rf"(?:early|late|the)\s+{_SEASON_EN_GROUP}", *_EN_SEASONS],
    "years": ["1", "2"],
    "weekday": [*_MODS, rf"(?:early|late|on)\s+{_WD_EN_LOWER}", *_EN_WEEKDAYS],
    "rel": [
        *EN.relative_days,
        "overnight",
        r"earlier\s",
        r"later\s",
        r"last\s",
        r"this\s",
        r"next\s",
        r"the\s+(?:past|previous|coming)\s",
    ],
    "ago": [r"\d"] + [_one_start(run) + r"\s+(?:day|week|month|year)" for run in _runs(EN.numbers)],
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
        *_RU_MON_STARTS,
    ],
    "season": [
        *(rf"{w}\s" for w in ("прошлой", "прошлым", "этой", "этим", "следующей", "следующим")),
        *RU.seasons,
    ],
    "years": ["1", "2"],
    "weekday": [rf"во?\s+(?:прошл|эт|следующ|{_RU_WD_ANY})"],
    "rel": [
        *RU.relative_days,
        r"ранее\s",
        r"на\s+(?:прошлой|этой|текущей|следующей)\s",
        r"в\s+(?:прошлом|этом|текущем|следующем|начале)\s",
    ],
    # number word, unit (optional, letters), "назад"
    "ago": [r"\d"] + [rf"{w}\s*[а-яё]*\s+назад" for w in _RU_NUMBERS],
    "numeric": [r"\d"],
}

# --------------------------------------------------------------------------- combined regexes


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


def _with_kinds(regex: re.Pattern[str]) -> tuple[re.Pattern[str], _Kinds]:
    return regex, _kinds(regex)


def _lowered(regex: re.Pattern[str]) -> re.Pattern[str]:
    # The same pattern, lower-cased, for matching lower-cased text: Python's re runs about
    # twice as fast without IGNORECASE. (The patterns use no upper-case escapes such as \S.)
    return re.compile(regex.pattern.lower().replace("(?p<", "(?P<"))


# Each combined regex with its kinds. (Not an lru_cache on the regex: hashing a compiled
# pattern hashes its whole code, ~12 µs for these.)
_EN = _with_kinds(_compile(_EN_PATTERNS, _EN_STARTS, re.IGNORECASE))
_RU = _with_kinds(_compile(_RU_PATTERNS, _RU_STARTS, re.IGNORECASE))
_EN_LOW = _with_kinds(_lowered(_EN[0]))
_RU_LOW = _with_kinds(_lowered(_RU[0]))

#: A raw match: pattern name, its groups by short name, the matched text, start and end.
Raw = tuple[str, dict[str, str | None], str, int, int]


@functools.lru_cache(maxsize=8192)
def scan(text: str, lang: str) -> tuple[Raw, ...]:
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
