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

The modules:

- :mod:`~geo.dates.words`: the calendar words, from ``geo/data/dates.yaml``;
- :mod:`~geo.dates.scan`: the patterns of each language and the cached scan of a text;
- :mod:`~geo.dates.resolve`: :func:`find_time_expressions`, which reads each match in context
  with :mod:`~geo.dates.absolute` (days, months, seasons and the year of a date without one)
  and :mod:`~geo.dates.relative` (weekdays, "last week", "three days ago");
- :mod:`~geo.dates.year`: what a text without a publication date says about its own year;
- :mod:`~geo.dates.precision`: precisions as ACLED ``time_precision`` and UCDP ``date_prec``.
"""

from __future__ import annotations

from geo.dates.expr import TimeExpr
from geo.dates.precision import acled_time_precision, ucdp_date_prec
from geo.dates.resolve import find_time_expressions
from geo.dates.year import infer_reference_date, infer_year, may_pin_year

__all__ = [
    "TimeExpr",
    "acled_time_precision",
    "find_time_expressions",
    "infer_reference_date",
    "infer_year",
    "may_pin_year",
    "ucdp_date_prec",
]
