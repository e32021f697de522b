"""When an event happened: its date from the clause's time expressions, and its status.

:class:`EventTime` reads the time expressions of a clause (:mod:`geo.dates`) in the clause's
tense, anchored to the publication date (or, when there is none, to the year and reference
date the text implies), picks the ones that belong to a trigger, and dates what a clause leaves
undated from its context: its neighbours ("after the clashes in September", an anaphoric
"It ended ...", an event of its sentence dated by its own words), then the reference date
of its sentence and paragraph ("On 3 May 2021, ... . Later that day two soldiers were
wounded"). A date from the clause has ``date_basis`` ``text``, one from the context
``context``.

What the text leaves undated, the source dates (:meth:`EventTime.source_date`, applied by
:mod:`geo.events.finish` once the source's reports are merged):

* ``dateline``: the day of the story's dateline ("MOSCOW, Nov 10 (Reuters) -"), when it lies
  within a week before the publication date (a dateline is the filing day);
* ``publication``: the week ending on the publication date (``date`` = publication − 6 days,
  ``date_end`` = publication, precision ``week``). News tells what happened in its last
  days: this is a bound by convention, and ``date_basis`` says so, so a user can filter it.

An event the source announces as ``planned`` never takes a day it was filed on: it gets the
week *starting* on the dateline or publication date (announced then, to come; the source
gives no date, so the week is the same convention turned forward, never a claim that it was
held). A source with no publication date and no dated dateline leaves the event undated.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from geo.dates import (
    TimeExpr,
    find_time_expressions,
    infer_reference_date,
    infer_year,
    may_pin_year,
)
from geo.events.drafts import Draft
from geo.events.merge import date_range
from geo.events.triggers import DIPLOMACY, VIOLENCE, Trigger
from geo.models import LAYER_OF, DateBasis, DatePrecision
from geo.text.document import Document
from geo.text.sentences import Segment
from geo.text.tense import Tense

__all__ = ["EventTime", "SourceDate", "gap", "plural"]

_REPORTING_BEFORE = re.compile(
    r"(?:\b(?:said|says|announced|reported|told\s+\w+|added|stated|confirmed|"
    r"заявил\w*|сообщил\w*|сообщает|отметил\w*)\s+"
    # "заявил Лукашенко в пятницу", "said Lukashenko on Friday": the speaker may come between
    r"(?:(?-i:[A-ZА-ЯЁ])[\w.-]+\s+){0,3}"
    r"(?:in\s+a\s+statement\s+|on\s+|late\s+|early\s+)?)$",
    re.IGNORECASE,
)
_ANAPHORIC_START = re.compile(
    r"^\s*(?:it|this|that|these|they|under\s+(?:the|this|that)\s+\w+|apart\s+from\s+that|"
    r"in\s+addition|also|besides|then|as\s+a\s+result|кроме\s+того|также|при\s+этом|"
    r"по\s+(?:нему|документу|соглашению)|в\s+результате|он[аи]?|это)\b",
    re.IGNORECASE,
)
_SIMULTANEOUS = re.compile(
    r",\s*(?:while|as|and|whereas|with)\b|\bmeanwhile\b|,\s*(?:а|и|в\s+то\s+время\s+как)(?!\w)",
    re.IGNORECASE,
)
_LIST_GAP = re.compile(
    r"\s*(?:,|and|и|,\s*and|or|или)\s*(?:in|on|в|во)?\s*(?:the\s+)?", re.IGNORECASE
)
_AFTER = re.compile(r"\b(?:after|following|после)\b")
_RU_PLURAL_END = re.compile(r"(?:ы|и|ия|ий|ов|ей|ах|ами)$")
# A year 1800-2099 not inside a longer number. Written to start with a character class, which
# re finds with a fast scan (a leading lookbehind would make it try every position).
HAS_YEAR = re.compile(r"[12](?<!\d[12])(?:(?<=1)[89]|(?<=2)0)\d\d(?!\d)")
#: The week of a date from the publication or the dateline: that day and six others.
_WEEK = timedelta(days=6)


@dataclass(frozen=True)
class SourceDate:
    """The date a source gives an event its text leaves undated (see the module docstring)."""

    date: str
    date_end: str | None
    precision: DatePrecision
    basis: DateBasis
    note: str


class EventTime:
    """Dates and status of the events of one source.

    Without a publication date, ``year_note`` says which year the text implies (and why).
    """

    def __init__(self, doc: Document) -> None:
        self.text = doc.text
        self.lang = doc.lang
        self.anchor = doc.published
        self.default_year: int | None = None
        self.year_note = ""
        self.year_anchor: date | None = None
        if self.anchor is None:
            self.default_year, self.year_note = infer_year(self.text, self.lang)
            self.year_anchor = infer_reference_date(self.text, self.lang)
        self.dateline = doc.dateline

    @functools.cached_property
    def dateline_day(self) -> TimeExpr | None:
        """The day the dateline names ("Moscow, Oct 28 (AFP/APP):"), if it names one that lies
        within a week before the publication date (a day after it allows for time zones)."""
        if self.dateline is None:
            return None
        text = self.text[self.dateline[0] : self.dateline[1]]
        for e in find_time_expressions(
            text, self.lang, self.anchor, "present", None, self.default_year
        ):
            if e.date is None or e.precision != "day" or e.date_end:
                continue
            day = date.fromisoformat(e.date)
            if self.anchor is None or (
                self.anchor - _WEEK <= day <= self.anchor + timedelta(days=1)
            ):
                return e
        return None

    def source_date(self, status: str) -> SourceDate | None:
        """The date of an event of this source whose text leaves it undated: the dateline's
        day, else the week up to the publication date; for a planned event the week from
        either; None when the source has neither."""
        line = self.dateline_day
        basis: DateBasis
        if line is not None and line.date is not None:
            start, basis = date.fromisoformat(line.date), "dateline"
            whence = f"the dateline's date, '{line.text}'"
        elif self.anchor is not None:
            start, basis = self.anchor, "publication"
            whence = f"the publication date, {self.anchor.isoformat()}"
        else:
            return None
        if status == "planned":
            return SourceDate(
                start.isoformat(),
                (start + _WEEK).isoformat(),
                "week",
                basis,
                f"planned, with no date in the text: the week from {whence}",
            )
        if basis == "dateline":
            return SourceDate(
                start.isoformat(), None, "day", basis, f"no date in the text: {whence}"
            )
        return SourceDate(
            (start - _WEEK).isoformat(),
            start.isoformat(),
            "week",
            basis,
            f"no date in the text: the week up to {whence} (an upper bound)",
        )

    def paragraph_reference(self, sent: Segment, ref: TimeExpr | None) -> TimeExpr | None:
        """The paragraph's reference date after ``sent``: its last explicit month/day with a
        year (later relative dates of the paragraph count from it, and later events of the
        paragraph with no date of their own take it)."""
        if not HAS_YEAR.search(sent.text) or not may_pin_year(sent.text, self.lang):
            return ref
        for e in find_time_expressions(
            sent.text, self.lang, self.anchor, "past", None, self.default_year
        ):
            if e.explicit_year and e.date and e.precision in ("day", "month", "season"):
                ref = e
        return ref

    def exprs(self, seg: Segment, tense: Tense, ref: TimeExpr | None) -> list[TimeExpr]:
        """The time expressions of a segment read in ``tense`` (absolute offsets), relative
        ones counted from the paragraph's reference ``ref``; dates of reporting verbs ("the
        Kremlin said on Sunday") are left out."""
        out = []
        for e in find_time_expressions(
            seg.text,
            self.lang,
            self.anchor,
            tense,
            None if tense == "future" or ref is None else _first_day(ref),
            self.default_year,
            year_anchor=self.year_anchor,
        ):
            before = seg.text[max(0, e.start - 40) : e.start]
            if _REPORTING_BEFORE.search(before):
                continue  # when something was said, not when it happened
            # find_time_expressions builds new objects on every call: shift them in place.
            e.start += seg.start
            e.end += seg.start
            out.append(e)
        return out

    def set_date(self, d: Draft, e: TimeExpr) -> None:
        """Date ``d`` by expression ``e``."""
        d.date_expr = e
        d.date, d.date_end, d.precision = e.date, e.date_end, e.precision
        d.date_basis = "text" if e.date else None
        if e.relation == "since" and self.anchor and e.date and not e.date_end:
            d.date_end = self.anchor.isoformat()[: len(e.date)] if len(e.date) >= 7 else None
        d.date_note = f"date from '{e.text}': {e.note}" + (
            f" ({e.relation} that time)" if e.relation != "at" else ""
        )

    def fix_status(self, d: Draft) -> None:
        """A date wholly before publication happened; one after it is planned."""
        if not d.date or self.anchor is None:
            return
        lo, hi = date_range(d.date, d.date_end)
        a = self.anchor.isoformat()
        if hi < a:
            d.status = "occurred"
        elif lo > a:
            d.status = "planned"

    def owned(self, t: Trigger, mates: list[Trigger], exprs: list[TimeExpr]) -> list[TimeExpr]:
        """The expressions that date ``t`` rather than another trigger of its clause: those
        nearest to it, and, for a diplomatic trigger nearest to none, those nearest to another
        diplomatic trigger (they share the clause's date)."""
        if len(mates) == 1 or not exprs:
            return list(exprs)  # the trigger is its clause's only one: all are nearest to it
        nearest = [min(mates, key=lambda x: (gap(x, e), x.start)) for e in exprs]
        if any(n is t for n in nearest):
            return [e for e, n in zip(exprs, nearest, strict=True) if n is t]
        if t.etype not in DIPLOMACY:
            return []
        return [e for e, n in zip(exprs, nearest, strict=True) if n.etype in DIPLOMACY]

    def coordinated(self, exprs: list[TimeExpr]) -> bool:
        """Whether the expressions are a list ("in 2014, in April 2016 and in July")."""
        for a, b in zip(exprs, exprs[1:], strict=False):
            gap = self.text[a.end : b.start]
            if not _LIST_GAP.fullmatch(gap):
                return False
        return True

    def inherit_date(self, d: Draft, same: list[Draft], prev: list[Draft], sent: Segment) -> None:
        """Date an undated draft from its sentence neighbours or the previous sentence."""
        # Another event of the same clause joined by "after the ..." dates this one loosely.
        for o in same:
            if o is d or not o.date or o.trig.clause.start != d.trig.clause.start:
                continue
            between = self.text[min(d.trig.end, o.trig.start) : max(d.trig.start, o.trig.end)]
            if _AFTER.search(between) and o.trig.start > d.trig.start:
                end = d.date_end
                if self.anchor and o.precision in ("month", "day"):
                    end = self.anchor.isoformat()[: len(o.date)]
                why = f"no date of its own: after the {o.etype} of {o.date}"
                _inherit(d, o.date, end, o.precision, why, 0.1)
                return
        # "X shelled A on Sunday, while Y struck B": the "while" clause happens at that time.
        for o in reversed(same):
            if o is d or not o.date or o.trig.start >= d.trig.start:
                continue
            if o.etype != d.etype:
                continue
            between = self.text[o.trig.end : d.trig.start]
            if _SIMULTANEOUS.search(between) and o.date_expr is not None:
                why = f"no date of its own: at the time of the {o.etype} before it"
                _inherit(d, o.date, o.date_end, o.precision, why, 0.1)
                return
        if _ANAPHORIC_START.match(sent.text) and prev:
            src = next((p for p in reversed(prev) if p.date), None)
            if src is not None:
                why = "date inherited from the preceding sentence (anaphoric opening)"
                _inherit(d, src.date, src.date_end, src.precision, why, 0.1)
                return
        # "23 ноября повстанцы обстреляли ... в Рафахе; погибли 28 человек": the nearest event
        # of its layer and place (or none of its own yet) that the sentence's own words date,
        # both held. Not "Russia's 2008 invasion of Georgia and invasion of Ukraine".
        layer = LAYER_OF[d.etype]
        dated = [
            o
            for o in same
            if o is not d
            and o.date_basis == "text"
            and o.status == d.status == "occurred"
            and LAYER_OF[o.etype] == layer
            and (d.place is None or d.place_id == o.place_id)
        ]
        if dated:
            o = min(dated, key=lambda o: abs(o.trig.start - d.trig.start))
            why = f"no date of its own: the date of the {o.etype} of its sentence"
            _inherit(d, o.date, o.date_end, o.precision, why, 0.1)
            return
        if self.lang == "ru" and prev and d.etype in VIOLENCE:
            src = next((p for p in reversed(prev) if p.date and p.etype in VIOLENCE), None)
            if src is not None and src.sentence.paragraph == sent.paragraph:
                why = "date inherited from the preceding sentence of the paragraph"
                _inherit(d, src.date, src.date_end, src.precision, why, 0.15)

    def _in_dateline(self, offset: int) -> bool:
        return self.dateline is not None and self.dateline[0] <= offset < self.dateline[1]

    def paragraph_date(self, d: Draft, sent: Segment, ref: TimeExpr | None) -> None:
        """Date an undated, placed draft that happened by the reference date of its paragraph
        up to and including its sentence ``sent`` (``ref`` is the one before it): "On 3 May
        2021, gunmen attacked ... . Later that day two soldiers were wounded in Herat". A
        planned event, one with no place of its own (it may still refer to another event of
        the source), or a reference after publication takes none."""
        if d.status != "occurred" or d.place is None:
            return
        here = self.paragraph_reference(sent, ref)
        if here is not None and here is not ref and self._in_dateline(sent.start + here.start):
            here = ref  # the day the story was filed is the dateline's (source_date)
        if here is None or here.date is None:
            return
        if self.anchor is not None and date_range(here.date)[0] > self.anchor.isoformat():
            return
        ref = here
        why = f"no date of its own: the paragraph's date, '{ref.text}'"
        _inherit(d, ref.date, ref.date_end, ref.precision, why, 0.15)


def _first_day(e: TimeExpr) -> date:
    """The first day of a (reference) expression's date."""
    return date.fromisoformat(date_range(e.date or "")[0])


def _inherit(
    d: Draft,
    value: str | None,
    end: str | None,
    precision: DatePrecision | None,
    note: str,
    cost: float,
) -> None:
    """Date ``d`` from its context (another event, the paragraph), lowering its confidence."""
    d.date, d.date_end, d.precision = value, end, precision
    d.date_basis = "context"
    d.date_note = note
    d.confidence -= cost


def gap(t: Trigger, e: TimeExpr) -> int:
    """Characters between a trigger and a time expression (0 when they overlap)."""
    if e.end <= t.start:
        return t.start - e.end
    if e.start >= t.end:
        return e.start - t.end
    return 0


def plural(word: str, lang: str) -> bool:
    """Whether a trigger word is plural ("flare-ups", "столкновения")."""
    w = word.lower().split()[0] if word.split() else word.lower()
    if lang == "ru":
        return bool(_RU_PLURAL_END.search(w))
    return w.endswith("s") and not w.endswith("ss")
