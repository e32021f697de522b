"""The calendar words of English and Russian, read once from ``geo/data/dates.yaml``.

Month, weekday and season names, number words and relative-day words, as written in the data
file (its order is the order of the scanner's alternations), and the lookups the resolvers use
to turn a matched word into a month, weekday, season or number.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "DAY_NAMES",
    "Season",
    "EN",
    "MONTH_NAMES",
    "RELATIVE_DAYS",
    "RU",
    "month_number",
    "season_name",
    "weekday_number",
]


Season = Literal["spring", "summer", "autumn", "winter"]


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Per month, January first: the forms that name it (English: name, then abbreviations).
    months: tuple[tuple[str, ...], ...] = Field(min_length=12, max_length=12)
    #: Number words: word -> number.
    numbers: dict[str, int]
    #: Words for a day: word -> days after the publication date (the notes of
    #: :mod:`geo.dates.relative` cover two days before to one day after).
    relative_days: dict[str, Annotated[int, Field(ge=-2, le=1)]]


class English(_Words):
    """The English words of ``dates.yaml``."""

    weekdays: tuple[str, ...] = Field(min_length=7, max_length=7)
    #: Season words: word -> season ("fall" -> "autumn").
    seasons: dict[str, Season]


class RussianSeason(BaseModel):
    """A Russian season stem ("лет") and its endings ("ом", "о", ...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    season: Season
    endings: tuple[str, ...]


class Russian(_Words):
    """The Russian words of ``dates.yaml``."""

    #: Per weekday, Monday first: its forms (accusative, then nominative where it differs).
    weekdays: tuple[tuple[str, ...], ...] = Field(min_length=7, max_length=7)
    seasons: dict[str, RussianSeason]
    #: Units that stand for one of them before "назад" ("неделю назад").
    unit_numbers: tuple[str, ...]


class _DatesYaml(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    en: English
    ru: Russian


def _load() -> _DatesYaml:
    text = resources.files("geo").joinpath("data/dates.yaml").read_text(encoding="utf-8")
    return _DatesYaml.model_validate(yaml.safe_load(text))


_DATA = _load()
EN: English = _DATA.en
RU: Russian = _DATA.ru

#: English month and weekday names, for notes ("weekday read as the last Friday ...").
MONTH_NAMES: tuple[str, ...] = tuple(forms[0] for forms in EN.months)
DAY_NAMES: tuple[str, ...] = EN.weekdays
#: Words for a day in either language: word -> days after the publication date.
RELATIVE_DAYS: dict[str, int] = {**EN.relative_days, **RU.relative_days}

_EN_MONTHS = {f.lower(): i for i, forms in enumerate(EN.months, start=1) for f in forms}
_RU_MONTHS = {f: i for i, forms in enumerate(RU.months, start=1) for f in forms}
_EN_WEEKDAYS = {name.lower(): i for i, name in enumerate(EN.weekdays)}
_RU_WEEKDAYS = {f: i for i, forms in enumerate(RU.weekdays) for f in forms}
_RU_SEASONS = {stem: s.season for stem, s in RU.seasons.items()}


def month_number(word: str, lang: str) -> int | None:
    """The month (1-12) a month word names ("Sept.", "ноября"), or None."""
    word = word.lower().rstrip(".")
    if lang == "ru":
        return _RU_MONTHS.get(word)
    return _EN_MONTHS.get(word)


def weekday_number(word: str, lang: str) -> int | None:
    """The weekday (Monday is 0) a lower-case weekday word names ("friday", "пятницу"), or
    None."""
    return (_RU_WEEKDAYS if lang == "ru" else _EN_WEEKDAYS).get(word)


def season_name(word: str, lang: str) -> Season | None:
    """The season ("spring", "summer", "autumn", "winter") a season word names, or None."""
    w = word.lower()
    if lang == "ru":
        for stem, season in _RU_SEASONS.items():
            if w.startswith(stem):
                return season
        return None
    return EN.seasons.get(w)
