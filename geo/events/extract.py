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
* **actors** from :mod:`geo.events.actors`, and ``from_party``/``to_party`` for transfers.

Events of one source that describe the same happening (same type, place and compatible date)
are merged before they are returned; :func:`geo.events.merge.merge_events` merges across sources.

This module is the extractor's core (the sentence loop and the place fallbacks); it reads
a :class:`~geo.text.document.Document` (sentences, dateline, mentions: worked out once per
source). The parts live beside it: :mod:`geo.events.triggers` (trigger lexicon and scanning),
:mod:`geo.text.tense`, :mod:`geo.events.places` (candidate places),
:mod:`geo.events.antecedents`, :mod:`geo.events.capitals`, :mod:`geo.events.time` (dates and
status), :mod:`geo.events.participants` (participants and sides), :mod:`geo.events.transfers`
(territory transfers), :mod:`geo.events.finish` (drafts to events, within-source merging) and
:mod:`geo.events.drafts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from geo.dates import TimeExpr
from geo.events.actors import ActorMention, PartyMention, load_lexicon
from geo.events.antecedents import Antecedents
from geo.events.drafts import Draft, one_per_place, set_place
from geo.events.finish import Finisher
from geo.events.merge import same_happening
from geo.events.participants import (
    actors_for,
    actors_in,
    heads,
    meeting_type,
    participants,
    sides,
)
from geo.events.places import PLACE_ANAPHOR, Cand, PlaceFinder, drop_containers
from geo.events.time import EventTime, gap, plural
from geo.events.transfers import transfer_events
from geo.events.triggers import DIPLOMACY, VIOLENCE, Trigger, TriggerFinder
from geo.events.words import alternation
from geo.models import Event
from geo.text.document import Document
from geo.text.sentences import Segment
from geo.text.tense import Tense
from geo.text.tense import tense as clause_tense

if TYPE_CHECKING:
    from gazetteer import Gazetteer

__all__ = ["extract_events"]

# A call named as such ("phone call", "spoke by phone"), not a bare "called" ("called the
# attack a war crime"): its sides may be named by party words alone.
_EXPLICIT_CALL = re.compile(alternation("call_words"), re.IGNORECASE)
# "called him": the one called is named before.
_CALLED_PERSON = re.compile(r"\b(?:him|her|them)\b")
# A talks trigger that is a meeting of sides ("met", "встреча"), and words that name a meeting
# of several sides without naming them ("the leaders", "trilateral").
_MEETING = re.compile("(?i)(?:" + alternation("meeting_words") + ")")
_SEVERAL_SIDES = re.compile(r"(?i)\b(?:" + alternation("several_sides_words") + ")")
_AND_GAP_CALLERS = re.compile(r"\s*(?:,|,?\s+(?:and|и))\s*", re.IGNORECASE)
_WHERE_START = re.compile(r"^\s*,?\s*(?:where|где|куда)\b", re.IGNORECASE)
_DEFINITE_BEFORE = re.compile(
    r"(?:\b(?:the|this|that|these|those|its|his|her|their|эт\w+|данн\w+|указанн\w+)\s+"
    r"(?:[\w-]+\s+){0,2}$)",
    re.IGNORECASE,
)


@dataclass
class _Sentence:
    """The sentence being read: its index among the extractor's segments, its triggers (and
    those of each clause, by the clause's start), its actors and their spans."""

    index: int
    seg: Segment
    trigs: list[Trigger]
    actors: list[ActorMention]
    actor_spans: list[tuple[int, int]]
    by_clause: dict[int, list[Trigger]]


class _Extractor:
    """The events of one document: triggers, then per trigger its date, place and actors."""

    def __init__(self, doc: Document, gazetteer: Gazetteer) -> None:
        self.doc = doc
        self.text = doc.text
        self.lang = doc.lang
        self.lex = load_lexicon()
        self.anchor: date | None = doc.published
        self.time = EventTime(doc)
        self.finisher = Finisher(doc, self.time)
        self.finder = TriggerFinder(doc)
        self.pf = PlaceFinder(doc, gazetteer, self.lex)
        self.sents = self._segments()
        self.antecedents = Antecedents(self.pf, self.sents)

    def _segments(self) -> list[Segment]:
        """What the extractor reads, in text order: the sentences of the paragraphs with a
        trigger, the other paragraphs whole (they can still hold the antecedent place of a
        later event; razdel is the costly part); none in boilerplate or inside the dateline."""
        doc = self.doc
        dateline = doc.dateline
        out: list[Segment] = []
        for para in doc.paragraphs:
            has_hit = self.finder.any_in(para.start, para.end)
            segs = doc.sentences(para) if has_hit else [para]
            out.extend(
                s
                for s in segs
                if not doc.in_boilerplate(s.start, s.end)
                and not (dateline and dateline[0] <= s.start and s.end <= dateline[1])
            )
        return out

    # -- main -------------------------------------------------------------------------
    def run(self) -> list[Event]:
        """The events of the document, sentence by sentence."""
        drafts: list[Draft] = []
        ref: TimeExpr | None = None
        para = -1
        prev_sentence_drafts: list[Draft] = []
        for si, sent in enumerate(self.sents):
            if sent.paragraph != para:
                para, ref = sent.paragraph, None
            trigs = self.finder.in_sentence(si, sent)
            sent_drafts: list[Draft] = []
            if trigs:
                sent_drafts = self.sentence_events(
                    self._read(si, sent, trigs), ref, prev_sentence_drafts, drafts
                )
                drafts.extend(sent_drafts)
            # The reference date only serves the next sentences of this paragraph.
            nxt = si + 1
            if nxt < len(self.sents) and self.sents[nxt].paragraph == sent.paragraph:
                ref = self.time.paragraph_reference(sent, ref)
            prev_sentence_drafts = sent_drafts
        return self.finisher.finish(drafts)

    def _read(self, si: int, sent: Segment, trigs: list[Trigger]) -> _Sentence:
        by_clause: dict[int, list[Trigger]] = {}
        for t in trigs:
            by_clause.setdefault(t.clause.start, []).append(t)
        actors = actors_in(sent, self.lex, self.lang, self.anchor)
        return _Sentence(si, sent, trigs, actors, [(a.start, a.end) for a in actors], by_clause)

    def sentence_events(
        self, s: _Sentence, ref: TimeExpr | None, prev: list[Draft], earlier: list[Draft]
    ) -> list[Draft]:
        """The drafts of one sentence: per trigger its actors, tense, date and place; then
        what a clause lacks, from its sentence neighbours and the previous sentence."""
        out: list[Draft] = []
        for t in s.trigs:
            out.extend(self.trigger_events(s, t, ref, earlier + out))
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
        for d in out:
            if d.date is None:
                self.time.inherit_date(d, out, prev, s.seg)
            self.time.fix_status(d)
            if d.place is None and _WHERE_START.match(d.trig.clause.text):
                self._place_where(d, s, out)
            if d.place is None and d.etype in VIOLENCE:
                self.fallback_place(d, s, earlier + [x for x in out if x is not d and x.place])
            if d.date is None:
                self.time.paragraph_date(d, s.seg, ref)
        return out

    def trigger_events(
        self, s: _Sentence, t: Trigger, ref: TimeExpr | None, earlier: list[Draft]
    ) -> list[Draft]:
        """The drafts of one trigger (none, one, or one per date or place)."""
        mates = s.by_clause[t.clause.start]
        acts = self._actors(s, t, mates)
        if acts is None:
            return []
        clause = t.clause
        # Tense of the words around the trigger, not of a far subordinate clause
        # ("talks in Baku ..., a road that will connect" is past).
        tense = clause_tense(self.text[clause.start : min(clause.end, t.end + 130)], self.lang)
        choices = self._dates(t, mates, tense, ref)
        # Places: the clause's, nearest to this trigger (shared among diplomatic triggers).
        cands = [
            c
            for c in self.pf.candidates(clause, t.etype, s.actor_spans, t)
            if self._owns_place(t, c, mates)
        ]
        if not cands and t.etype in VIOLENCE:
            # In the rest of the sentence, only places no other trigger is closer to.
            cands = [
                c
                for c in self.pf.candidates(s.seg, t.etype, s.actor_spans, t, other_clause=True)
                if self.pf.closest_trigger(c, s.trigs) is t
            ]
        if t.etype in VIOLENCE:
            # A mediator or spokesperson is not a side of a clash or a transfer.
            acts = [a for a in acts if a.kind != "official"]
        # Talks between heads of state or government are a summit.
        etype = meeting_type(
            self.text, t.etype, clause, acts, self._in_clause(s, clause), self.lex, self.lang
        )
        out: list[Draft] = []
        for chosen in choices:
            d = Draft(etype, t, s.seg)
            d.actors = list(dict.fromkeys(a.name for a in acts))
            d.status = "planned" if tense == "future" else "occurred"
            if chosen is not None:
                self.time.set_date(d, chosen)
            out.extend(self.place_event(d, cands, acts, s, earlier + out))
        return out

    @staticmethod
    def _in_clause(s: _Sentence, clause: Segment) -> list[ActorMention]:
        """The sentence's actors inside ``clause``."""
        return [a for a in s.actors if clause.start <= a.start < clause.end]

    def _actors(self, s: _Sentence, t: Trigger, mates: list[Trigger]) -> list[ActorMention] | None:
        """The actors of ``t``, or None when they show it is no event: a meeting needs two
        sides ("talks" and "summit" name one by themselves), a call needs someone called."""
        clause = t.clause
        acts = actors_for(t, mates, s.actors, clause)
        if t.etype in ("talks", "summit", "visit") and self.lang == "en":
            acts = participants(self.text, t, acts, s.actors)
        if (
            t.etype == "talks"
            and _MEETING.match(t.text)
            and sides(
                clause,
                [a for a in acts if clause.start <= a.start < clause.end],
                self.lex,
                self.lang,
            )
            < 2
            and not _SEVERAL_SIDES.search(clause.text)
            # two heads of state or government are two sides ("Greek Prime Minister", "лидеры")
            and heads(self.text, clause, acts, self._in_clause(s, clause), self.lex, self.lang) < 2
        ):
            return None
        if (
            t.etype == "call"
            and len({a.name for a in s.actors}) < 2
            and not _CALLED_PERSON.search(self.text[t.end : t.end + 20])
            and not (
                _EXPLICIT_CALL.search(t.text) and sides(s.seg, s.actors, self.lex, self.lang) >= 2
            )
        ):
            return None
        return acts

    def _dates(
        self, t: Trigger, mates: list[Trigger], tense: Tense, ref: TimeExpr | None
    ) -> list[TimeExpr | None]:
        """The dates of ``t``, one event each: the clause's expressions nearest to it
        (diplomatic triggers of one clause, "arrive in Moscow ... to take part in talks",
        share them); several for a plural trigger with a list of dates; None if undated."""
        exprs = self.time.exprs(t.clause, tense, ref)
        own = self.time.owned(t, mates, exprs)
        if t.etype in DIPLOMACY:
            # "his fifth visit since October 7": a count's start, not the meeting's date
            own = [e for e in own if e.relation != "since"]
        if not own:
            return [None]
        ranked = sorted(own, key=lambda e: (e.relation != "at", e.date is None, gap(t, e)))
        coordinated = [
            e for e in sorted(own, key=lambda e: e.start) if e.relation == "at" and e.date
        ]
        if (
            len(coordinated) > 1
            and self.time.coordinated(coordinated)
            and plural(t.text, self.lang)
        ):
            return list(coordinated)  # "flare-ups in 2014, in April 2016 and in July"
        return [ranked[0]]

    def _place_where(self, d: Draft, s: _Sentence, same: list[Draft]) -> None:
        """A clause opened by "where"/"где" happens at the place the clause before it names
        ("посетит Минск, где проведёт переговоры")."""
        before = [
            m
            for m in self.pf.starting_in(s.seg.start, d.trig.clause.start)
            if m.kind == "name" and not any(a <= m.start < b for a, b in s.actor_spans)
        ]
        if not before:
            return
        m = before[-1]
        d.place = self.pf.places[m.place_id or ""]
        d.place_note = f"place of the clause 'where' refers to: '{m.text}'"
        d.confidence -= 0.1
        host = next(
            (o for o in same if o is not d and o.place == d.place and o.date is not None), None
        )
        if d.date is None and host is not None:
            # "will visit Minsk on Thursday, where he will hold talks": at that visit
            d.date, d.date_end, d.precision = host.date, host.date_end, host.precision
            d.date_basis = "context"
            d.status = host.status
            d.date_note = f"no date of its own: the date of the {host.etype} at that place"

    def _owns_place(self, t: Trigger, c: Cand, mates: list[Trigger]) -> bool:
        nearest = self.pf.closest_trigger(c, mates)
        return nearest is t or (nearest.etype in DIPLOMACY and t.etype in DIPLOMACY)

    def place_event(
        self,
        d: Draft,
        cands: list[Cand],
        acts: list[ActorMention],
        s: _Sentence,
        earlier: list[Draft],
    ) -> list[Draft]:
        """Place a draft (one draft per place for transfers, several deployments and
        coordinated clashes)."""
        t = d.trig
        if t.etype == "territory_transfer":
            return transfer_events(d, s.seg, cands, self.pf, self.lex, s.actors, s.trigs)
        if t.etype == "deployment" and len(cands) > 1:
            many = self._deployment_places(cands)
            if len(many) > 1:
                return one_per_place(d, many, "place from the clause")
        if t.etype == "call":
            return self._place_call(d, acts, earlier)
        kept = drop_containers(self.text, cands)
        best = self.pf.best_place(t, kept)
        if best is not None and t.etype == "clash":
            chain = self.pf.coordinated(best, t.clause, s.actor_spans)
            if len(chain) > 1:
                # "shelling in Jermuk and Goris": one clash per place
                return one_per_place(d, chain, "place from the clause")
        if best is not None:
            in_clause = t.clause.start <= best.mention.start < t.clause.end
            set_place(d, best, "place from the clause" if in_clause else "place from the sentence")
            if not best.locative:
                d.confidence -= 0.1
        return [d]

    def _deployment_places(self, cands: list[Cand]) -> list[Cand]:
        """The places of a deployment to several places: each named with a locative."""
        many = [c for c in drop_containers(self.text, cands) if c.locative]
        # "В Мали ... переброшены в Гао": the country only says where the town is.
        return [
            c
            for c in many
            if c.place.feature_type != "country"
            or not any(o.place.country_code == c.place.country_code and o is not c for o in many)
        ]

    def _place_call(self, d: Draft, acts: list[ActorMention], earlier: list[Draft]) -> list[Draft]:
        """A call has no place: the call a definite noun refers back to, else the caller's
        capital (no event without one)."""
        t = d.trig
        definite = bool(_DEFINITE_BEFORE.search(self.text[max(0, t.start - 30) : t.start]))
        prior = next((e for e in reversed(earlier) if e.etype == "call" and e.place), None)
        if definite and d.date is None and prior is not None:
            d.place, d.place_note = prior.place, "the call this sentence refers back to"
            return [d]
        callers = [a for a in acts if a.start < t.start and a.party and a.kind != "official"]
        # "Putin and Erdogan spoke by phone": the first of a coordinated subject.
        k = len(callers) - 1
        while k > 0 and _AND_GAP_CALLERS.fullmatch(
            self.text[callers[k - 1].end : callers[k].start]
        ):
            k -= 1
        caller: ActorMention | PartyMention | None = callers[k] if callers else None
        if caller is None:
            # "China's foreign minister spoke by phone with ...": the caller's party.
            rel = t.start - t.clause.start
            named = [p for p in self.lex.find_parties(t.clause.text, self.lang) if p.end <= rel]
            # Of several ("ministers of Russia, Armenia and Azerbaijan"), the first named.
            caller = named[0] if named else next((a for a in acts if a.party), None)
        cap = self.pf.capitals.of_party(caller.party if caller else None)
        if cap is None or caller is None:
            return []
        d.place = cap
        who = caller.name if isinstance(caller, ActorMention) else caller.text
        d.place_note = f"a call has no place: mapped to the caller's capital ({who})"
        d.confidence -= 0.15
        return [d]

    def fallback_place(self, d: Draft, s: _Sentence, earlier: list[Draft]) -> None:
        """Place a violent draft whose clause names no place: the event a definite noun
        refers back to, the fighting of the sentence before, then an antecedent place."""
        if self.pf.unresolved_place(d.trig.clause, s.actor_spans):
            d.notes.append("the clause names a place the gazetteer does not know")
            return  # a named but unknown place ("по Николаеву"): no antecedent guess
        # A definite noun ("the attack") refers to the last event of its type and time.
        before = self.text[max(0, d.trig.start - 30) : d.trig.start]
        if _DEFINITE_BEFORE.search(before) or self.lang == "ru":
            referent = next(
                (
                    e
                    for e in reversed(earlier)
                    if e.place is not None and same_happening(d, e, within_source=True, place=False)
                ),
                None,
            )
            if referent is not None:
                d.place = referent.place
                d.place_note = f"place of the {referent.etype} this sentence refers back to"
                d.confidence -= 0.15
                return
        if d.etype == "deployment" and not PLACE_ANAPHOR.search(d.trig.clause.text):
            return  # "sending mercenaries" with no place named: do not guess
        # The story goes on where the last sentence's fighting was ("further fire wounded
        # two journalists" after "a cathedral in Shusha was shelled").
        local = [
            e
            for e in earlier
            if e.place is not None
            and e.etype in ("clash", "ceasefire")
            and d.etype in ("clash", "ceasefire")
            and 0 <= s.index - e.trig.sent <= 1
            and e.place_note.startswith("place from")
        ]
        if local:
            e = local[-1]
            d.place = e.place
            d.place_note = f"no place in the clause: the place of the preceding {e.etype}"
            d.confidence -= 0.2
            return
        ante = self.antecedents.find(s.index)
        if ante is None:
            return
        place, m, dist = ante
        d.place = place
        d.place_note = f"no place in the clause: nearest sensible antecedent '{m.text}'" + (
            f" ({dist} sentence(s) earlier)" if dist else " (same sentence)"
        )
        d.confidence -= 0.3


def extract_events(doc: Document, gazetteer: Gazetteer) -> list[Event]:
    """Typed, dated, placed and sourced events of one document.

    Parameters
    ----------
    doc:
        The source read once (:class:`~geo.text.document.Document`): its publication date
        anchors relative dates, its boilerplate is skipped, its language (``en``/``ru``) picks
        the rules, and its place mentions (from ``gazetteer.geoparse``) are the candidate
        places.
    gazetteer:
        Used to look places up by id (and to find a country's capital).

    Returns
    -------
    list[Event]
        In text order; events the source tells twice are merged into one.
    """
    return _Extractor(doc, gazetteer).run()
