"""Territory transfers: one event per place handed over, taken or left, with its parties."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from geo.events.actors import ActorLexicon, ActorMention, PartyMention
from geo.events.capitals import is_capital
from geo.events.drafts import Draft, copy_draft, set_place
from geo.events.places import (
    FORCE_AFTER,
    GEO_NOUN_AFTER,
    ActorSpans,
    Cand,
    PlaceFinder,
    drop_containers,
)
from geo.events.triggers import Trigger
from geo.events.words import alternation
from geo.text.sentences import Segment

if TYPE_CHECKING:
    from gazetteer.models import Mention, Place

__all__ = ["transfer_events"]

_TAKES_CONTROL = re.compile(
    "(?:" + alternation("control_verbs") + r")\s+.*(?:control|контроль)", re.IGNORECASE
)
# The direction of a transfer, by its lower-cased trigger.
_CAME = re.compile(alternation("transfer_came"))
_CAPTURED = re.compile(alternation("transfer_captured"))
_WITHDREW = re.compile(alternation("transfer_withdrew"))
_DIRECTION_BEFORE = re.compile(
    r"(?:\b(?:across|over|towards?|through|beyond)|(?<!\w)(?:за|через))\s+(?:the\s+)?$", re.I
)
_CONTROLLER_BEFORE = re.compile(r"(?:control\s+of|контроль|контролем)\s+(?:the\s+)?$", re.I)


def _government(places: PlaceFinder, m: Mention, place: Place) -> bool:
    """A capital stands for its government ("Yerevan handed ..."), unless a region noun
    follows ("the Kyiv region", "Киевской области")."""
    return is_capital(place) and not GEO_NOUN_AFTER.match(places.text[m.end : m.end + 30])


def transfer_events(
    d: Draft,
    sent: Segment,
    cands: list[Cand],
    places: PlaceFinder,
    lexicon: ActorLexicon,
    actors: list[ActorMention],
    others: Sequence[Trigger] = (),
) -> list[Draft]:
    """One event per transferred place of ``d``'s sentence, with the parties from and to.

    The places are the sentence's towns, districts and regions (not countries, not capitals
    standing for governments, not "the Malian army"); the parties come from the trigger's
    direction: "X captured Y from Z", "Y fell to X", "X withdrew from Y", "X handed Y to Z".
    The subject of the trigger is named after any other trigger of the sentence (``others``):
    in "X seized Y after the army withdrew", X did not withdraw. ``actors`` are the
    sentence's (absolute offsets): a place inside one is no object, an armed group is a party.
    """
    t = d.trig
    takes_control = bool(_TAKES_CONTROL.search(t.text))
    objects = _objects(t, sent, cands, places, [(a.start, a.end) for a in actors], takes_control)
    parties = _parties(sent, places, lexicon, actors)
    from_party, to_party = _direction(t, sent, parties, places, lexicon, others, takes_control)
    if not objects:
        d.from_party, d.to_party = from_party, to_party
        d.notes.append("the transferred places are not named")
        return [d]
    out = []
    for c in objects:
        dd = copy_draft(d)
        set_place(dd, c, "transferred place")
        dd.from_party, dd.to_party = from_party, to_party
        out.append(dd)
    return out


def _objects(
    t: Trigger,
    sent: Segment,
    cands: list[Cand],
    places: PlaceFinder,
    actors: ActorSpans,
    takes_control: bool,
) -> list[Cand]:
    """The places of the sentence that change hands, in text order."""
    text = places.text
    objects: list[Cand] = []
    for c in cands or places.candidates(sent, "clash", actors):
        if c.place.feature_type == "country" or _government(places, c.mention, c.place):
            continue
        objects.append(c)
    # Extra: objects named without a preposition (Russian "передал ... районы").
    seen = {id(c.mention) for c in objects}
    for m in places.mentions:
        if (
            sent.start <= m.start < sent.end
            and id(m) not in seen
            and not any(a <= m.start < b for a, b in actors)
        ):
            p = places.places[m.place_id or ""]
            if p.feature_type in (
                "district",
                "admin1",
                "locality",
                "region",
                "corridor",
            ) and not _government(places, m, p):
                after = text[m.end : m.end + 30]
                if (
                    m.kind == "adjective"
                    and not GEO_NOUN_AFTER.match(after)
                    and not re.match(r"^\s*(?:,|и|and)\s", after)
                ):
                    continue
                objects.append(Cand(m, p, False))
    return [
        c
        for c in drop_containers(text, sorted(objects, key=lambda c: c.mention.start))
        # "the Malian army", "under the control of X": a side, not the place handed over
        if not FORCE_AFTER.match(text[c.mention.end : c.mention.end + 30])
        # "the town of Paletwa in Chin State", Paletwa unknown: the region is no object
        and not places.unknown_name_before(c.mention.start, actors)
        # "withdrew across the Dnipro": where they went, not what changed hands
        and not _DIRECTION_BEFORE.search(
            text[max(sent.start, c.mention.start - 20) : c.mention.start]
        )
        and (
            # "took full control of Mopti", "взяли под контроль Артёмовск": the object
            (takes_control and 0 <= c.mention.start - t.end <= 12)
            or not _CONTROLLER_BEFORE.search(
                text[max(sent.start, c.mention.start - 30) : c.mention.start]
            )
        )
    ]


def _parties(
    sent: Segment, places: PlaceFinder, lexicon: ActorLexicon, actors: list[ActorMention]
) -> list[PartyMention]:
    """The parties the sentence names (offsets into ``sent.text``), in text order: party
    words, and armed groups ("Hamas withdrew from ...", "the Arakan Army")."""
    parties = lexicon.find_parties(sent.text, places.lang)
    covered = [(p.start, p.end) for p in parties]
    for a in actors:
        start, end = a.start - sent.start, a.end - sent.start
        if (
            a.kind in ("armed_group", "armed_forces")
            and a.party
            and not any(s <= start < e for s, e in covered)
        ):
            parties.append(PartyMention(start=start, end=end, text=a.text, party=a.party))
    parties.sort(key=lambda p: p.start)
    # "Russia's Kursk region": a possessive naming where a place is, not a side.
    return [
        p
        for p in parties
        if not (
            (re.search(r"[’']s$", p.text) or re.match(r"[’']s\b", sent.text[p.end : p.end + 2]))
            and any(
                0 <= m.start - (sent.start + p.end) <= 3 and m.start < sent.end
                for m in places.mentions
            )
        )
    ]


def _direction(
    t: Trigger,
    sent: Segment,
    parties: list[PartyMention],
    places: PlaceFinder,
    lexicon: ActorLexicon,
    others: Sequence[Trigger],
    takes_control: bool,
) -> tuple[str | None, str | None]:
    """The parties a place goes from and to, by the trigger's direction."""
    text = places.text
    from_party = to_party = None
    rel_t = t.start - sent.start
    rel_e = t.end - sent.start
    # The subject is named after the previous trigger of the sentence, if any; a participle
    # after a comma ("troops pushed into X, seizing Y") shares the sentence's subject.
    participle = bool(
        re.search(r"ing$", t.text)
        and re.search(r",\s*$", text[max(sent.start, t.start - 3) : t.start])
    )
    prev_end = max((o.end for o in others if o.end <= t.start), default=sent.start)
    if participle:
        prev_end = sent.start
    before_p = [p for p in parties if prev_end - sent.start <= p.start and p.end <= rel_t]
    if participle and before_p:
        before_p = before_p[:1]
    after_p = [p for p in parties if p.start >= rel_e]
    trig_low = t.text.lower()
    came = not takes_control and _CAME.search(trig_low)
    # "вернул себе контроль", "regained": the subject takes the place back.
    regained = re.match(r"\s+(?:себе|контроль)", text[t.end : t.end + 12])
    captured = regained or _CAPTURED.search(trig_low)
    withdrew = _WITHDREW.search(trig_low)
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
            to_party = lexicon.party_of_word(ctl.group(1) or ctl.group(2), places.lang)
    elif captured:
        to_party = before_p[-1].party if before_p else None
        frm = re.search(r"\bfrom\s+(?:the\s+)?(\w+)", text[t.end : t.end + 80])
        if frm:
            from_party = lexicon.party_of_word(frm.group(1), places.lang)
    else:
        # "Yerevan handed Baku ...", "Armenia handed over ... to Azerbaijan"
        from_party = before_p[-1].party if before_p else None
        to_m = re.search(r"\bto\s+(?:the\s+)?([\w’']+)", text[t.end : t.end + 120])
        if to_m and places.lang != "ru":
            to_party = lexicon.party_of_word(to_m.group(1), places.lang)
        elif after_p:
            to_party = after_p[0].party
        by_m = re.search(r"\bby\s+(?:the\s+)?([\w’']+)", text[t.end : t.end + 80])
        if by_m and from_party is None:
            from_party = lexicon.party_of_word(by_m.group(1), places.lang)
    if from_party == to_party:
        from_party = None
    return from_party, to_party
