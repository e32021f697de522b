"""Who takes part in an event: actors of the trigger's clause, not listeners or speakers; and
whether a meeting is a summit (two or more heads of state or government) or talks."""

from __future__ import annotations

import re
from datetime import date

from geo.events.actors import HEAD_KINDS, ActorLexicon, ActorMention
from geo.events.triggers import DIPLOMACY, Trigger
from geo.events.words import alternation
from geo.text.sentences import Segment

__all__ = ["actors_for", "actors_in", "heads", "meeting_type", "participants", "sides"]

_SPEAKER_AFTER = re.compile(
    r"^(?:[’']s)?\s*(?:(?:office|spokes\w+|press\s+(?:office|service))\s+)?(?:,\s*)?"
    "(?:" + alternation("speech_verbs") + r")\b",
    re.IGNORECASE,
)
# Whom a meeting is reported to is not who meets: "informed the Prime Minister about ...".
_OBJECT_OF = re.compile(
    r"\b(?:" + alternation("reported_to_verbs") + r")\s+(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,3}$",
)
_RELATIVE_AFTER = re.compile(r"\b(?:for|after|during|in)\s+which\b|,\s*(?:which|who|whom)\b", re.I)
_POSSESSOR_GAP = re.compile(r"(?:[’']s)?\s+(?:(?!(?:and|or|with)\b)[\w-]+\s+){0,2}")
_POSSESSIVE = re.compile(r"[’']s")
_POSSESSIVE_END = re.compile(r"[’']s$")
_PRONOUN_BEFORE = re.compile(r"\b(?:his|her|he|she)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


_TITLE_WORDS = "(?:" + alternation("titles") + ")"
_TITLE_AFTER = re.compile(
    r"^(?:[’']s)?\s+(?:[\w-]+\s+){0,2}?" + _TITLE_WORDS + r"\b", re.IGNORECASE
)
# "президент Польши", "министры обороны России, Армении и Азербайджана" (no locative between)
_TITLE_BEFORE = re.compile(
    _TITLE_WORDS
    + r"(?:[\s,]+(?!(?:in|at|to|from|on|of|over|about|в|во|на|из|о|об|по)\b)[\w-]+){0,5}?[\s,]+(?:the\s+)?$",
    re.IGNORECASE,
)


def actors_in(
    seg: Segment, lexicon: ActorLexicon, lang: str, anchor: date | None
) -> list[ActorMention]:
    """The actors of a segment, with absolute offsets; a spokesperson who speaks is none."""
    found = lexicon.find_actors(seg.text, lang, anchor)
    out = []
    for a in found:
        after = seg.text[a.end : a.end + 40]
        if a.kind == "official" and _SPEAKER_AFTER.match(after):
            continue  # "Price said": a spokesperson speaks, does not take part
        # find_actors builds new mentions on every call: shift them in place.
        a.start += seg.start
        a.end += seg.start
        out.append(a)
    return out


def actors_for(
    t: Trigger, mates: list[Trigger], sent_actors: list[ActorMention], clause: Segment
) -> list[ActorMention]:
    """The actors of ``t``: its clause's actors nearest to it (a diplomatic trigger also takes
    the clause's subjects), or the sentence's when the clause names none."""
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


def participants(
    text: str, t: Trigger, acts: list[ActorMention], sent_actors: list[ActorMention]
) -> list[ActorMention]:
    """Who takes part in a meeting or visit, not who is told about it.

    "informed the Prime Minister of Armenia about his visit": the one informed is no
    visitor; "Putin's trip", "he met": the possessor or the pronoun's antecedent is the
    subject, other actors named before it belong to another verb; "..., for which X
    thanked Y" is a relative clause about something else.
    """

    def is_object(a: ActorMention) -> bool:
        return bool(_OBJECT_OF.search(text[max(0, a.start - 40) : a.start]))

    before = [a for a in acts if a.end <= t.start and not is_object(a)]
    after = [
        a for a in acts if a.start >= t.end and not _RELATIVE_AFTER.search(text[t.end : a.start])
    ]
    subject: ActorMention | None = None
    lead = text[max(t.clause.start, t.start - 40) : t.start]
    possessor = [
        a
        for a in sent_actors
        if a.end <= t.start
        and _POSSESSOR_GAP.fullmatch(text[a.end : t.start])
        and (_POSSESSIVE_END.search(a.text) or _POSSESSIVE.match(text[a.end : t.start]))
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


# What lies between a title and the name it introduces ("President Joe Biden", "президента
# Азербайджанской Республики Ильхама Алиева"): capitalised words only, no comma, no verb.
_TITLE_TO_NAME = re.compile(r"^(?:\s+[A-ZА-ЯЁ][\w.'’-]*){0,3}\s+$")


def heads(
    text: str,
    clause: Segment,
    acts: list[ActorMention],
    clause_actors: list[ActorMention],
    lexicon: ActorLexicon,
    lang: str,
) -> int:
    """How many heads of state or government a meeting's clause names (at least; a plural
    title counts two): the participants the lexicon knows as heads, and the titles no known
    actor stands for ("Greek Prime Minister Kyriakos Mitsotakis", "the leaders of Armenia and
    Azerbaijan"); "his counterpart" of a head is one more."""
    n = len({a.name for a in acts if a.kind in HEAD_KINDS})
    titles = lexicon.head_titles.get(lang)
    if titles is None:
        return n
    for m in titles.pattern.finditer(clause.text):
        start, end = clause.start + m.start(), clause.start + m.end()
        if titles.blocked_before.search(
            text[max(0, start - 25) : start]
        ) or titles.blocked_after.match(text[end : end + 40]):
            continue
        if m.group("counterpart") is not None:
            prior = [a for a in clause_actors if a.end <= start]
            if prior and max(prior, key=lambda a: a.end).kind in HEAD_KINDS:
                n += 1
            continue
        if m.group("several") is not None:
            n += 2
            continue
        # the title of a known actor: counted with them
        if any(
            a.start <= start < a.end
            or (a.start >= end and _TITLE_TO_NAME.match(text[end : a.start] or " "))
            for a in clause_actors
        ):
            continue
        n += 1
    return n


def meeting_type(
    text: str,
    etype: str,
    clause: Segment,
    acts: list[ActorMention],
    clause_actors: list[ActorMention],
    lexicon: ActorLexicon,
    lang: str,
) -> str:
    """``summit`` for talks between two or more heads of state or government (one hosting
    another, on the sidelines of a multilateral summit), else ``etype`` unchanged."""
    if etype != "talks":
        return etype
    return "summit" if heads(text, clause, acts, clause_actors, lexicon, lang) >= 2 else etype


def sides(sent: Segment, sent_actors: list[ActorMention], lexicon: ActorLexicon, lang: str) -> int:
    """How many distinct sides a segment names: the parties of its actors (or the actors
    themselves, without one) and the party words no actor stands for ("Polish")."""
    sides = {a.party or a.name for a in sent_actors}
    covered = [(a.start - sent.start, a.end - sent.start) for a in sent_actors]
    sides |= {
        p.party
        for p in lexicon.find_parties(sent.text, lang)
        if not any(a <= p.start < b for a, b in covered)
        # "Polish President", "China's foreign minister", "президент Польши": a side;
        # "visited Stepanakert", "a meeting on Nagorno-Karabakh settlement": not one
        and (
            _TITLE_AFTER.match(sent.text[p.end : p.end + 40])
            or _TITLE_BEFORE.search(sent.text[max(0, p.start - 40) : p.start])
        )
    }
    return len(sides)
