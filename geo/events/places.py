"""Where an event happened: the place mentions a clause attaches to an event.

:class:`PlaceFinder` holds the resolved mentions of one source (without the dateline and
boilerplate) and finds, for a clause and a trigger, the candidate places: locative phrases
("in Sochi", "along the border", "в Карабахе"), the object of "invasion of", a place right
before a diplomatic noun ("the Sochi talks"), and places named through a party ("the Armenian
capital"). Topics ("talks on Nagorno-Karabakh"), parties ("between Armenia and Azerbaijan"),
speakers' places ("told reporters in Washington") and actors the gazetteer mistakes for places
("Hamas" as Hamm) are not candidates; a name that modifies an actor ("Kiev forces",
"Moscow-backed rebels") is one only when it is no capital and the clause has no locative
place. The antecedent place of a violent event whose clause
names none is :mod:`geo.events.antecedents`; capitals are :mod:`geo.events.capitals`.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geo.events.actors import ActorLexicon
from geo.events.capitals import Capitals, country_by_name, is_capital
from geo.events.triggers import DIPLOMACY, Trigger
from geo.events.words import alternation, words
from geo.text.document import Document
from geo.text.sentences import Segment

if TYPE_CHECKING:
    from gazetteer import Gazetteer
    from gazetteer.models import Mention, Place

__all__ = [
    "FORCE_AFTER",
    "GEO_NOUN_AFTER",
    "PLACE_ANAPHOR",
    "ActorSpans",
    "Cand",
    "PlaceFinder",
    "drop_containers",
]

#: The actor mentions of the sentence being read (absolute offsets): a place mention inside
#: one is an actor, not a place ("Hamas" where a gazetteer sees Hamm).
ActorSpans = Sequence[tuple[int, int]]

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

_LOCATIVE_EN = re.compile(
    r"\b(?:in|at|near|along|across|into|inside|outside|around|through|throughout|within|"
    r"on\s+the\s+(?:outskirts|border|front|frontline|island|banks?|coast|shores?|edge)\s+of|"
    r"sidelines\s+of|invasion\s+of|invaded|attacks?\s+on|shelling\s+of|bombing\s+of|"
    r"(?:air|drone|missile)?strikes?\s+(?:on|against)|visit(?:s|ed|ing)?(?:\s+to)?|trips?\s+to|travel\w*\s+to|flew\s+to|"
    r"arriv\w+\s+in|(?:sent|send\w*|deploy\w*|dispatch\w*)\s+(?:\w+\s+){0,2}to)"
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
    "(?:" + alternation("topic_nouns") + r")\s+(?:in|on|в|на)\s+(?:the\s+)?$", re.IGNORECASE
)
_REPORTING_PLACE = re.compile(
    r"(?:\b(?:told\s+(?:reporters|journalists|a\s+news\s+conference)|said|speaking|"
    r"according\s+to|заявил\w*|сообщил\w*)\s+(?:in\s+|at\s+|в\s+)?(?:the\s+)?$)",
    re.IGNORECASE,
)
_SPEAKER_PLACE_AFTER = re.compile(
    # "Moscow said", "Baku's office said"; not "... в Белоруссии, заявил Лукашенко" (the
    # place ends a reported clause, the speaker comes after the verb)
    r"^\s*(?:[’']s\s+(?:office|spokes\w+|press\s+\w+)\s+)?(?:,\s*(?=said|says|told))?"
    "(?:" + alternation("speaker_place_verbs") + r")\b",
    re.IGNORECASE,
)
_DEMONYM_CAPITAL = re.compile(
    r"(?<!\w)(?:the\s+)?([A-ZА-ЯЁ][\w-]+)\s+capital\b|\bстолиц\w*\s+([А-ЯЁ][\w-]+)|"
    r"(?<!\w)([а-яё]+ск(?:ая|ой|ую|ие|их))\s+столиц\w*",
)
_DEMONYM_PLACE = re.compile(
    r"(?<!\w)([A-Za-zА-Яа-яЁё][\w-]+)\s+(?:conflict|конфликт\w*)\b",
)
# (pattern, names a capital, words one of which every match contains)
_DERIVED = (
    (_DEMONYM_CAPITAL, True, ("capital", "столиц")),
    (_DEMONYM_PLACE, False, ("conflict", "конфликт")),
)
GEO_NOUN_AFTER = re.compile(r"^[\s-]*(?:" + alternation("geo_nouns") + r")\b", re.IGNORECASE)
PLACE_ANAPHOR = re.compile(
    r"\b(?:the\s+(?:region|area|enclave|zone|district|territory)|there|"
    r"в\s+(?:регионе|районе|зоне|анклаве)|анклав\w*|там)\b",
    re.IGNORECASE,
)
FORCE_AFTER = re.compile(r"^\s*(?:" + alternation("force_nouns") + r")\b", re.IGNORECASE)
# A name that modifies an actor noun names the actor, not where the event happened ("Kiev
# forces' shelling", "Moscow-backed rebels", "pro-Kiev official"); so does a name that
# closes a headline as its attribution ("... killed in east: Kiev", "... - Kiev military").
_ACTOR_HEAD = "(?:" + alternation("force_nouns") + "|" + alternation("actor_head_nouns") + ")"
_ACTOR_AFTER = re.compile(r"^[’']?\s*" + _ACTOR_HEAD + r"(?!\w)", re.IGNORECASE)
_PRO_BEFORE = re.compile(r"(?<!\w)(?:pro|про)-$", re.IGNORECASE)
_ATTRIBUTION_BEFORE = re.compile(r"(?::|\s[-–—]+)\s*$")
_ATTRIBUTION_AFTER = re.compile(r"^\s*(?:" + _ACTOR_HEAD + r"\s*)?(?:\n|$)", re.IGNORECASE)

# Capitalised words that are no place names (English months and weekdays, sentence words).
NOT_PLACE_WORDS = frozenset(words("not_place_words"))

# A locative with a capitalised name after it: a place is named there.
_UNKNOWN_PLACE_EN = re.compile(
    r"\b(?:in|at|near|on|into|outside|struck|shelled|attacked|hit|captured|seized|retook|"
    r"recaptured|took|(?:town|city|village|port)\s+of)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|port|region)\s+of\s+)?([A-Z][\w'’-]+)"
)
_UNKNOWN_PLACE_RU = re.compile(
    r"(?<!\w)(?:в|во|на|по|под|у|около|возле|близ)\s+(?:(?:город|сел|посел|пос[её]л|деревн|район|област)\w*\s+)?"
    r"([А-ЯЁ][\w-]+)"
)
_AND_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|и)|;)\s*", re.IGNORECASE)
_WEAPON_AFTER = re.compile(r"^[»”\"]?\s*(?:" + alternation("weapon_nouns") + r")\b", re.IGNORECASE)
_WEAPON_BEFORE = re.compile(
    "(?:" + alternation("quoted_weapon_nouns") + r")\s*[«“\"]\s*$", re.IGNORECASE
)
_UNKNOWN_BEFORE = re.compile(r"([A-ZА-ЯЁ][\w'’-]+)\s*,?\s+(?:in|в|на)\s+(?:the\s+)?$")
_PLACE_CACHE: weakref.WeakKeyDictionary[Any, dict[str, Place]] = weakref.WeakKeyDictionary()


@dataclass
class Cand:
    """A candidate place of an event: a mention, its place, and whether a locative governs it."""

    mention: Mention
    place: Place
    locative: bool
    #: The name modifies an actor ("Donetsk rebels"): the event's place only if nothing else is.
    actor: bool = False


class PlaceFinder:
    """The resolved place mentions of one source, and the rules that pick an event's place.

    The mentions are the document's, in text order, without those of the dateline and those
    whose place the gazetteer cannot give. Rules that must not take an actor for a place
    take the sentence's :data:`ActorSpans`.
    """

    def __init__(self, doc: Document, gazetteer: Gazetteer, lexicon: ActorLexicon) -> None:
        self.text = doc.text
        self.lang = doc.lang
        self.gaz = gazetteer
        self.lex = lexicon
        self.anchor = doc.published
        self.capitals = Capitals(gazetteer)
        self.places: dict[str, Place] = {}
        dateline = doc.dateline
        self.mentions: list[Mention] = [
            m
            for m in sorted(doc.mentions, key=lambda m: m.start)
            if m.place_id
            and not (dateline and m.start < dateline[1] and m.end > dateline[0])
            and self.place(m.place_id) is not None
        ]
        self._starts = [m.start for m in self.mentions]
        self._max_len = max((m.end - m.start for m in self.mentions), default=0)

    def _first_ending_after(self, pos: int) -> int:
        """An index of ``mentions`` before which every mention ends at or before ``pos``."""
        return bisect.bisect_left(self._starts, pos - self._max_len)

    def starting_in(self, lo: int, hi: int) -> list[Mention]:
        """The mentions that start in ``[lo, hi)``, in text order."""
        starts = self._starts
        return self.mentions[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    def covered(self, pos: int) -> bool:
        """Whether a mention covers offset ``pos``."""
        starts = self._starts
        # A mention that covers pos starts at most max_len - 1 before it.
        lo = bisect.bisect_left(starts, pos - self._max_len + 1)
        return any(m.end > pos for m in self.mentions[lo : bisect.bisect_right(starts, pos)])

    def place(self, place_id: str) -> Place | None:
        """The place of ``place_id`` (shared across the sources of one gazetteer)."""
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

    def candidates(
        self,
        seg: Segment,
        etype: str,
        actors: ActorSpans,
        trig: Trigger | None = None,
        other_clause: bool = False,
    ) -> list[Cand]:
        """Places a segment attaches to an event of ``etype`` (near ``trig``)."""
        out = []
        locative_re = _LOCATIVE_RU if self.lang == "ru" else _LOCATIVE_EN
        prev_end = 0
        # Mentions that end before the segment only ever set prev_end to at most seg.start,
        # which the window below never reaches back past: start at the first that may not.
        for m in self.mentions[self._first_ending_after(seg.start) :]:
            if m.kind != "landmark" and any(
                a <= m.start < b or m.start <= a < m.end for a, b in actors
            ):
                continue  # "Hamas" is an actor even where a gazetteer sees a town
            if m.end <= seg.start:
                prev_end = m.end
                continue
            if m.start >= seg.end:
                break
            if m.end > seg.end:
                continue
            if m.kind == "name" and (
                _WEAPON_AFTER.match(self.text[m.end : m.end + 20])
                or _WEAPON_BEFORE.search(self.text[max(0, m.start - 20) : m.start])
            ):
                continue  # "Iskander missiles", "Bayraktar drones": a weapon, not a place
            place = self.places[m.place_id or ""]
            # Only the words since the previous mention count as this mention's preposition.
            window = self.text[max(prev_end, m.start - 45, seg.start) : m.start]
            prev_end = m.end
            after = self.text[m.end : m.end + 30]
            if re.match(r"^[’']s\b", after) or (m.kind == "name" and re.search(r"[’']s$", m.text)):
                continue  # "Russia's role", "Baku's control": a party
            if m.kind in ("adjective", "demonym") and not GEO_NOUN_AFTER.match(after):
                continue
            if _REPORTING_PLACE.search(window) or _SPEAKER_PLACE_AFTER.match(after):
                continue
            actor = m.kind == "name" and _names_actor(window, after)
            if actor and is_capital(place):
                continue  # "Kiev forces", "Moscow-backed": a capital standing for its state
            locative = not actor and bool(locative_re.search(window))
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
            out.append(Cand(m, place, locative, actor))
        out.extend(self._derived_candidates(seg, locative_re))
        if any(c.locative for c in out):
            # "Mosul militants shelled a checkpoint in Tal Afar": the locative is the place
            out = [c for c in out if not c.actor]
        return out

    def _derived_candidates(self, seg: Segment, locative_re: re.Pattern[str]) -> list[Cand]:
        """Places named through a party: "the Armenian capital", "карабахского конфликта"."""
        out = []
        for rx, capital, keys in _DERIVED:
            # Both patterns need their (lower-case) noun: most segments have neither.
            if not any(k in seg.text for k in keys):
                continue
            for mm in rx.finditer(seg.text):
                word = next(g for g in mm.groups() if g)
                party = self.lex.party_of_word(word, self.lang)
                if party is None:
                    continue
                start = seg.start + mm.start()
                if self.covered(start):
                    continue  # the gazetteer already recognised it
                place = (
                    self.capitals.of_country(country_by_name().get(party.lower()))
                    if capital
                    else self.party_place(party)
                )
                if place is None:
                    continue
                window = self.text[max(seg.start, start - 45) : start]
                mention = _mention(
                    start, seg.start + mm.end(), mm.group(), place.place_id, self.lang
                )
                out.append(Cand(mention, place, bool(locative_re.search(window))))
        return out

    def party_place(self, party: str) -> Place | None:
        """The place named exactly like a party ("Nagorno-Karabakh"), if the gazetteer has it."""
        hits = [p for p in self.gaz.search(party, limit=5) if p.name.lower() == party.lower()]
        return hits[0] if hits else None

    def best_place(self, trig: Trigger, cands: list[Cand]) -> Cand | None:
        """The candidate of ``trig``: locative first, then a bare mention, then a name that
        modifies an actor; then nearest, then most specific."""
        if not cands:
            return None

        def key(c: Cand) -> tuple[int, int, int]:
            dist = min(abs(c.mention.start - trig.end), abs(trig.start - c.mention.end))
            rank = 0 if c.locative else 2 if c.actor else 1
            return (rank, dist, _SPECIFICITY.get(c.place.feature_type, 5))

        return min(cands, key=key)

    def unknown_name_before(self, pos: int, actors: ActorSpans) -> bool:
        """Whether a capitalised name the gazetteer does not know stands right before ``pos``
        as its container's subject ("the town of Paletwa in Chin State": Paletwa)."""
        before = self.text[max(0, pos - 40) : pos]
        m = _UNKNOWN_BEFORE.search(before)
        if m is None or m.group(1).lower() in NOT_PLACE_WORDS:
            return False
        start = pos - len(before) + m.start(1)
        if self.covered(start):
            return False
        return not any(a <= start < b for a, b in actors)

    def unresolved_place(self, clause: Segment, actors: ActorSpans) -> bool:
        """Whether a locative in the clause governs a capitalised name that is no resolved
        place, no actor and no date ("shelled Mykolaiv" unknown to the gazetteer)."""
        rx = _UNKNOWN_PLACE_RU if self.lang == "ru" else _UNKNOWN_PLACE_EN
        for m in rx.finditer(clause.text):
            start = clause.start + m.start(1)
            if m.group(1).lower() in NOT_PLACE_WORDS:
                continue
            if self.covered(start):
                continue
            if any(a <= start < b for a, b in actors):
                continue
            return True
        return False

    def coordinated(self, best: Cand, clause: Segment, actors: ActorSpans) -> list[Cand]:
        """``best`` and the places coordinated with it ("in Jermuk and Goris", "X, Y и Z")."""
        ms = [
            m
            for m in self.starting_in(clause.start, clause.end)
            if m.kind == "name" and not any(a <= m.start < b for a, b in actors)
        ]
        if best.mention not in ms:
            return [best]
        i = ms.index(best.mention)
        lo = hi = i
        while lo > 0 and _AND_GAP.fullmatch(self.text[ms[lo - 1].end : ms[lo].start]):
            lo -= 1
        while hi + 1 < len(ms) and _AND_GAP.fullmatch(self.text[ms[hi].end : ms[hi + 1].start]):
            hi += 1
        out = [best]
        for m in ms[lo : hi + 1]:
            place = self.places[m.place_id or ""]
            if m is not best.mention and place.feature_type not in ("country", "region", "admin1"):
                out.append(Cand(m, place, best.locative))
        out.sort(key=lambda c: c.mention.start)
        return out if best.place.feature_type not in ("country", "region", "admin1") else [best]

    def closest_trigger(self, c: Cand, trigs: list[Trigger]) -> Trigger:
        """The trigger nearest to a candidate place."""
        return min(
            trigs, key=lambda x: min(abs(c.mention.start - x.end), abs(x.start - c.mention.end))
        )


def _names_actor(before: str, after: str) -> bool:
    """Whether a place name between ``before`` and ``after`` modifies an actor or closes a
    headline as its attribution."""
    return bool(
        _ACTOR_AFTER.match(after)
        or _PRO_BEFORE.search(before)
        or (_ATTRIBUTION_BEFORE.search(before) and _ATTRIBUTION_AFTER.match(after))
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
        explanation=["derived by geo.events.extract from a demonym"],
    )


def drop_containers(text: str, cands: list[Cand]) -> list[Cand]:
    """Drop "Y" in "X in Y" (Y only says where X is) and duplicate places."""
    out: list[Cand] = []
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
    r"\s*,?\s*(?:(?:the|its|a)\s+)?(?:(?:regional|provincial|state|administrative)\s+)?"
    r"(?:(?:capital|centre|center|heart|outskirts)\s+)?"
    r"(?:in|of|near|outside|close\s+to|(?:north|south|east|west)(?:-?(?:east|west))?\s+of|"
    r"в|на|под|около|возле|близ|к\s+(?:северу|югу|востоку|западу)\s+от|"
    r"(?:административн\w+\s+)?(?:столиц\w*|центр\w*))\s+(?:the\s+)?(?:[\w-]+\s+){0,2}",
    re.IGNORECASE,
)
