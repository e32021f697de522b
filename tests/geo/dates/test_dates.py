"""Time expressions in English and Russian, anchored to the publication date (table driven)."""

from __future__ import annotations

from datetime import date

import pytest

from geo.dates import (
    acled_time_precision,
    find_time_expressions,
    infer_year,
    ucdp_date_prec,
)
from geo.dates.words import EN, RU

FRI_2020_10_09 = date(2020, 10, 9)  # AP seed: a Friday
FRI_2022_10_28 = date(2022, 10, 28)
SUN_2021_01_10 = date(2021, 1, 10)
TUE_2021_11_23 = date(2021, 11, 23)
FRI_2024_08_23 = date(2024, 8, 23)


@pytest.mark.parametrize(
    ("text", "lang", "anchor", "tense", "expected"),
    [
        # explicit dates, with and without a year
        (
            "will be held on October 31 in Sochi",
            "en",
            FRI_2022_10_28,
            "future",
            ("2022-10-31", None, "day"),
        ),
        (
            "their November 9, 2020 statement",
            "en",
            SUN_2021_01_10,
            "past",
            ("2020-11-09", None, "day"),
        ),
        ("erupted on September 27", "en", SUN_2021_01_10, "past", ("2020-09-27", None, "day")),
        (
            "expected to arrive on Monday, January 11",
            "en",
            SUN_2021_01_10,
            "future",
            ("2021-01-11", None, "day"),
        ),
        (
            "met on 18-19 August 2024",
            "en",
            FRI_2024_08_23,
            "past",
            ("2024-08-18", "2024-08-19", "day"),
        ),
        ("Moscow, Oct. 28", "en", FRI_2022_10_28, "past", ("2022-10-28", None, "day")),
        (
            "26 ноября в Сочи состоятся переговоры",
            "ru",
            TUE_2021_11_23,
            "future",
            ("2021-11-26", None, "day"),
        ),
        (
            "заявления от 9 ноября 2020 года",
            "ru",
            TUE_2021_11_23,
            "past",
            ("2020-11-09", None, "day"),
        ),
        (
            "встреча 18-19 августа",
            "ru",
            FRI_2024_08_23,
            "past",
            ("2024-08-18", "2024-08-19", "day"),
        ),
        # weekdays by tense
        (
            "holding ceasefire talks on Friday",
            "en",
            FRI_2020_10_09,
            "past",
            ("2020-10-09", None, "day"),
        ),
        (
            "Late Thursday, Putin issued a statement",
            "en",
            FRI_2020_10_09,
            "past",
            ("2020-10-08", None, "day"),
        ),
        (
            "will host talks in Sochi on Monday",
            "en",
            FRI_2022_10_28,
            "future",
            ("2022-10-31", None, "day"),
        ),
        ("Putin announced Monday", "en", FRI_2024_08_23, "past", ("2024-08-19", None, "day")),
        ("last Friday", "en", FRI_2024_08_23, "past", ("2024-08-16", None, "day")),
        ("в пятницу Путин позвонил", "ru", FRI_2024_08_23, "past", ("2024-08-23", None, "day")),
        (
            "в понедельник пройдут переговоры",
            "ru",
            FRI_2024_08_23,
            "future",
            ("2024-08-26", None, "day"),
        ),
        # relative expressions
        ("last week", "en", FRI_2024_08_23, "past", ("2024-08-12", "2024-08-18", "week")),
        (
            "earlier this week in Baku",
            "en",
            FRI_2024_08_23,
            "past",
            ("2024-08-19", "2024-08-22", "week"),
        ),
        ("earlier this month", "en", FRI_2022_10_28, "past", ("2022-10", None, "month")),
        ("this past July", "en", SUN_2021_01_10, "past", ("2020-07", None, "month")),
        ("in September", "en", FRI_2022_10_28, "past", ("2022-09", None, "month")),
        ("last year", "en", FRI_2022_10_28, "past", ("2021", None, "year")),
        ("yesterday", "en", FRI_2022_10_28, "past", ("2022-10-27", None, "day")),
        ("three days ago", "en", FRI_2022_10_28, "past", ("2022-10-25", None, "day")),
        ("накануне вечером", "ru", TUE_2021_11_23, "past", ("2021-11-22", None, "day")),
        ("в ночь на среду", "ru", date(2024, 3, 14), "past", ("2024-03-12", "2024-03-13", "day")),
        (
            "саммит пройдёт осенью",
            "ru",
            date(2024, 3, 14),
            "future",
            ("2024-09", "2024-11", "season"),
        ),
        ("на прошлой неделе", "ru", FRI_2024_08_23, "past", ("2024-08-12", "2024-08-18", "week")),
        ("в прошлом году", "ru", TUE_2021_11_23, "past", ("2020", None, "year")),
        ("в сентябре 2020 года", "ru", TUE_2021_11_23, "past", ("2020-09", None, "month")),
        (
            "в ночь на 10 ноября 2020 года",
            "ru",
            TUE_2021_11_23,
            "past",
            ("2020-11-09", "2020-11-10", "day"),
        ),
        # seasons, years and ranges
        (
            "A six-week war in autumn 2020",
            "en",
            FRI_2022_10_28,
            "past",
            ("2020-09", "2020-11", "season"),
        ),
        ("in the summer of 2014", "en", SUN_2021_01_10, "past", ("2014-06", "2014-08", "season")),
        ("last summer", "en", SUN_2021_01_10, "past", ("2020-06", "2020-08", "season")),
        ("the winter of 2022", "en", FRI_2024_08_23, "past", ("2022-12", "2023-02", "season")),
        ("осенью 2020 года", "ru", TUE_2021_11_23, "past", ("2020-09", "2020-11", "season")),
        ("Russia's 2008 invasion of Georgia", "en", FRI_2022_10_28, "past", ("2008", None, "year")),
        ("the 1992-1994 war", "en", FRI_2022_10_28, "past", ("1992", "1994", "year")),
        ("in April 2016", "en", SUN_2021_01_10, "past", ("2016-04", None, "month")),
        (
            "fighting from March to May 2022",
            "en",
            FRI_2022_10_28,
            "past",
            ("2022-03", "2022-05", "month"),
        ),
        (
            "between November and February 2021",
            "en",
            FRI_2022_10_28,
            "past",
            ("2020-11", "2021-02", "month"),
        ),
        (
            "бои с марта по май 2022 года",
            "ru",
            FRI_2022_10_28,
            "past",
            ("2022-03", "2022-05", "month"),
        ),
        ("28.10.2022", "ru", None, None, ("2022-10-28", None, "day")),
    ],
)
def test_time_expression(text, lang, anchor, tense, expected):
    found = find_time_expressions(text, lang, anchor, tense)
    assert found, f"no time expression in {text!r}"
    e = found[0]
    assert (e.date, e.date_end, e.precision) == expected, e.note
    assert text[e.start : e.end] == e.text


@pytest.mark.parametrize(
    "text",
    [
        "They may meet soon.",  # a modal verb, not the month
        "We will march on.",
        "killed more than 6,500 troops",
        "an F-16 fighter plane",
        "the leaves fall quickly",
    ],
)
def test_no_false_time_expressions(text):
    assert [e for e in find_time_expressions(text, "en", FRI_2022_10_28, "past") if e.date] == []


def test_reference_date_keeps_the_narrative_year():
    # "in September 2020 ... reached in the night to 10 November" stays in 2020.
    e = find_time_expressions(
        "соглашение, достигнутое в ночь на 10 ноября",
        "ru",
        TUE_2021_11_23,
        "past",
        ref=date(2020, 9, 1),
    )[0]
    assert (e.date, e.date_end) == ("2020-11-09", "2020-11-10")
    assert "2020-09" in e.note


def test_relation_words_are_recorded():
    exprs = find_time_expressions(
        "a ceasefire starting from November 10 since September 27", "en", SUN_2021_01_10, "past"
    )
    assert [e.relation for e in exprs] == ["since", "since"]


def test_without_publication_date_a_weekday_pins_the_year():
    text = "Aliyev and Pashinyan will arrive on Monday, January 11, to discuss the November 9, 2020 statement."
    year, how = infer_year(text, "en")
    assert year == 2021
    assert "weekday" in how
    e = find_time_expressions(text, "en", None, "future", default_year=year)[0]
    assert e.date == "2021-01-11"


def test_without_publication_date_or_year_the_date_stays_null():
    year, how = infer_year("Talks will be held on Monday in Sochi.", "en")
    assert year is None
    exprs = find_time_expressions("Talks will be held on Monday in Sochi.", "en", None, "future")
    assert exprs and exprs[0].date is None and exprs[0].note


def test_explicit_years_without_publication_date():
    year, how = infer_year("The war of 1994 and the clashes of April 2016.", "en")
    assert year == 2016 and "explicit" in how


@pytest.mark.parametrize(
    ("precision", "acled", "ucdp"),
    [
        ("day", 1, 1),
        ("week", 2, 3),
        ("month", 3, 4),
        ("season", 3, 5),
        ("year", 3, 5),
        (None, None, None),
    ],
)
def test_precision_codes(precision, acled, ucdp):
    assert acled_time_precision(precision) == acled
    assert ucdp_date_prec(precision) == ucdp


def test_ucdp_short_day_span():
    assert ucdp_date_prec("day", "2020-11-09", "2020-11-10") == 2


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Fighting raged from October 1 to October 5.", "en", ("2020-10-01", "2020-10-05")),
        ("с 1 октября по 5 октября шли бои", "ru", ("2020-10-01", "2020-10-05")),
        ("С 10 по 12 ноября в Шуше шли бои.", "ru", ("2020-11-10", "2020-11-12")),
        ("clashes from 2014 to 2016", "en", ("2014", "2016")),
    ],
)
def test_from_to_ranges_are_one_expression(text, lang, expected):
    (e,) = find_time_expressions(text, lang, date(2020, 11, 20), "past")
    assert ((e.date, e.date_end), e.relation) == (expected, "at")


def test_every_month_word_of_the_data_file_is_found_and_read():
    # geo/data/dates.yaml builds both the scanner's alternations and the lookups.
    for i, forms in enumerate(EN.months, start=1):
        for form in forms:
            (e,) = find_time_expressions(f"on {form} 10", "en", FRI_2022_10_28, "past")
            assert e.date is not None and e.date[5:7] == f"{i:02d}", form
    for i, forms in enumerate(RU.months, start=1):
        (e,) = find_time_expressions(f"10 {forms[1]}", "ru", FRI_2022_10_28, "past")
        assert e.date is not None and e.date[5:7] == f"{i:02d}", forms[1]
    for i, wd_forms in enumerate(RU.weekdays):
        (e,) = find_time_expressions(f"в {wd_forms[0]}", "ru", FRI_2022_10_28, "past")
        assert e.date is not None and date.fromisoformat(e.date).weekday() == i
