"""Recognition: find place-name spans in English and Russian text.

English: a case-sensitive Aho-Corasick pass over every indexed Latin-script name, longest
match first, then filters against words and person names that are also places. Russian:
pymorphy3 lemmas matched against a lemma index, plus place adjectives before geographic nouns
("Кельбаджарский, Лачинский и Агдамский районы").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, repeat
from operator import itemgetter
from typing import Literal

import ahocorasick

from gazetteer.index import CompiledIndex, en_key
from gazetteer.russian import ENDING_LEN, GEO_NOUNS, TOKEN_RE, lemmas

_NON_WORD = re.compile(r"[^\w]")
#: _NON_WORD for whole texts: leaving spaces alone gives the same result with far fewer
#: replacements
_NON_WORD_SPACE = re.compile(r"[^\w ]")


class _NonWordToSpace(dict[int, int]):
    r"""A ``str.translate`` table doing what ``_NON_WORD.sub(" ", ...)`` does: a character
    ``\w`` does not match (re's word test is ``isalnum() or "_"``) becomes a space."""

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        out = self[code] = code if ch.isalnum() or ch == "_" else 32
        return out


_TO_SPACE = _NonWordToSpace()


def _spaced(text: str) -> str:
    """``text`` with every non-word character replaced by a space (offsets kept).

    str.translate is many times faster than the regex on text that is (nearly) all ASCII,
    and several times slower on Cyrillic text: the share of non-ASCII characters picks (counted
    without encoding, so a lone surrogate in a caller's text is no error)."""
    if text.isascii() or len(text) - len(text.encode("ascii", "ignore")) < len(text) // 10:
        return text.translate(_TO_SPACE)
    return _NON_WORD_SPACE.sub(" ", text)


_WORD = re.compile(r"\w+")
#: a capitalised word; it must also start a word (see _at_word_starts)
_CAP_WORD = re.compile(r"[A-Z\u00C0-\u00DE]\w*")
#: the next word of a multi-word name: at most three separators, never a line break
_NEXT_WORD = re.compile(r"[^\w\n]{1,3}\w+")

#: Capitalised words that are places somewhere but, in running text, nearly never are.
EN_STOPWORDS = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
        "God",
        "Lord",
        "Christ",
        "President",
        "Prime",
        "Minister",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Sir",
        "Saint",
        "St",
        "General",
        "Colonel",
        "Captain",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Senator",
        "Governor",
        "Mayor",
        "Chief",
        "Police",
        "Army",
        "Navy",
        "News",
        "Press",
        "Post",
        "Times",
        "Daily",
        "Herald",
        "Mail",
        "Street",
        "Road",
        "University",
        "College",
        "School",
        "Church",
        "Hospital",
        "Court",
        "Party",
        "Union",
        "Council",
        "Congress",
        "Senate",
        "House",
        "Parliament",
        "Ministry",
        "Department",
        "Office",
        "Agency",
        "Service",
        "Center",
        "Centre",
        "Group",
        "Company",
        "North",
        "South",
        "East",
        "West",
        "Central",
        "Western",
        "Eastern",
        "Northern",
        "Southern",
        "Republic",
        "Federal",
        "National",
        "International",
        "World",
        "Global",
        "Internet",
        "Facebook",
        "Twitter",
        "Google",
        "Apple",
        "Amazon",
        "Microsoft",
        "Photo",
        "Video",
        "Read",
        "More",
        "Click",
        "Share",
        "Email",
        "Reuters",
        "AP",
        "AFP",
        "TASS",
        "CNN",
        "BBC",
        "Sports",
        "Business",
        "Opinion",
        "Home",
        "Page",
        "Follow",
        "Said",
        "Says",
        "Asked",
        "Tell",
        "Told",
        "Over",
        "Under",
        "Before",
        "After",
        "During",
        "Since",
        "Until",
        "Between",
        "Among",
        "Both",
        "Other",
        "Some",
        "Many",
        "Most",
        "Each",
        "Every",
        "This",
        "That",
        "These",
        "Those",
        "They",
        "There",
        "Their",
        "Them",
        "Then",
        "Than",
        "Also",
        "Still",
        "Even",
        "Just",
        "Only",
        "Very",
        "Much",
        "More",
        "Less",
        "Last",
        "First",
        "Next",
        "New",
        "Old",
        "Good",
        "Best",
        "Great",
        "Little",
        "Long",
        "High",
        "Low",
        "Early",
        "Late",
        "Young",
        "Black",
        "White",
        "Red",
        "Green",
        "Blue",
        "Brown",
        "Gray",
        "Grey",
        "Golden",
        "Silver",
        "Victoria",
        "Paris",
        "Hope",
        "Faith",
        "Grace",
        "Joy",
        "Unity",
        "Liberty",
        "Independence",
        "Freedom",
        "Justice",
        "Mission",
        "Progress",
        "Commerce",
        "Industry",
        "Enterprise",
        "Welcome",
        "Friendship",
        "Harmony",
        "Concord",
        "Alliance",
        "The",
        "An",
        "Of",
        "In",
        "At",
        "On",
        "By",
        "To",
        "For",
        "From",
        "With",
        "Into",
        "Onto",
        "Upon",
        "About",
        "Above",
        "Below",
        "Near",
        "Across",
        "Along",
    ]
) - {"Paris", "Victoria"}

#: English prepositions after which a capitalised word is very likely a place.
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|from|near|to|into|across|outside|inside|towards?|around|via|of)\s+(?:the\s+)?)$"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”\n]\s*|\n\s*[-*•]\s*)$")
_TYPE_HINT_EN = re.compile(
    r"(?:\s*(?:,|and|&|or)\s*[A-Z][\w'’-]+)*\s+(districts?|regions?|provinces?|rayons?|corridor|oblasts?|raions?|governorates?|counties|county|states?)\b"
)
_HINT_TYPES = {
    "district": "district", "rayon": "district", "raion": "district", "region": "district",
    "province": "admin1", "oblast": "admin1", "governorate": "admin1", "state": "admin1",
    "county": "district", "counties": "district", "corridor": "corridor",
}  # fmt: skip
#: A dateline at the start of a line, searched in the text after a newline: a literal first
#: character lets the regex engine skip ahead, where ``(?m)^`` is tried at every offset.
_DATELINE = re.compile(r"\n[ \t]*([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,3})(?=,| \(| —| –| -|:)")
#: A dateline in brackets: "(NEW YORK) — Police officers said" (after a newline, too)
_DATELINE_BRACKETS = re.compile(r"\n[ \t]*\(([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,3})\)(?= [—–-])")
#: A dateline after a byline on the same line: "By Nate Raymond. BOSTON (Reuters) -"
_AGENCIES = r"\((?:AP|Reuters|AFP|UPI|Bloomberg|dpa|Xinhua|TASS|IANS|PTI|CNN|BBC)\)"
_DATELINE_AGENCY = re.compile(
    r"(?<=[.!?] )([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,3})(?= " + _AGENCIES + ")"
)
#: what every _DATELINE_AGENCY match contains: a cheap test before the slow scan
_AGENCY = re.compile(_AGENCIES)
_ORG_TAIL = re.compile(
    r"(?: State)?[ ](?:University|College|Embassy|Commission|Central Bank|Federal Reserve|World Cup)\b"
)
_TRANSLIT_NOUNS = r"\s+(corridor|district|region|direction|area|province)\b"
_TRANSLIT_ADJ = re.compile(r"\b([A-Z][a-z]+?)(?:sky|skiy|skii|ski|skaya|skoye)" + _TRANSLIT_NOUNS)
#: the tail of every _TRANSLIT_ADJ match: a cheap test before the slow scan
_TRANSLIT_TAIL = re.compile(r"sk(?:y|iy|ii|i|aya|oye)" + _TRANSLIT_NOUNS)
#: A capitalised word after which the next capitalised word continues a name (Province...).
_NAME_HEADS = frozenset(
    [
        "Province",
        "Region",
        "District",
        "Oblast",
        "County",
        "State",
        "City",
        "Governorate",
        "Valley",
        "River",
        "Airport",
        "Island",
        "Islands",
        "Mountains",
        "Republic",
        "Territory",
    ]
)


@dataclass
class Span:
    """A recognised, not yet resolved, place mention."""

    start: int
    end: int
    text: str
    kind: Literal["name", "adjective", "demonym", "landmark"] = "name"
    #: candidate place indexes with (kind, primary) from the postings
    places: dict[int, tuple[str, bool]] = field(default_factory=dict)
    #: feature type the context asks for ("the Kalbajar and Lachin districts")
    hint: str | None = None
    reasons: list[str] = field(default_factory=list)
    #: the name heads an organisation's ("Portland Trail Blazers"): such names are taken
    #: from big cities, so population weighs more
    embedded: bool = False


def _at_word_starts(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    r"""``pattern.finditer(text)`` as if the pattern began with ``\b`` (its matches all begin
    with a word character). Without the leading ``\b`` the regex engine can skip ahead to
    the pattern's first characters instead of trying the whole pattern at every offset."""
    search = pattern.search
    pos = 0
    while (m := search(text, pos)) is not None:
        s = m.start()
        if s and (text[s - 1].isalnum() or text[s - 1] == "_"):
            pos = s + 1  # not a word start: try the next offset, as \b would
            continue
        yield m
        pos = m.end()


def _add_postings(span: Span, idx: CompiledIndex, nid: int) -> None:
    """Add a name id's places to the span's: the kind of the last posting, primary if any is."""
    places = idx.name_places(nid)
    if not span.places:
        span.places = dict(places)
        return
    for place, (kind, primary) in places.items():
        prev = span.places.get(place)
        span.places[place] = (kind, primary or (prev[1] if prev else False))


def _is_sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, start - 4) : start]))


def _max_population(span: Span, idx: CompiledIndex) -> int:
    return max(map(idx.population.__getitem__, span.places), default=0)


def _strong(span: Span, idx: CompiledIndex) -> bool:
    """Does any candidate stand on its own (country, admin-1, overlay place, capital, big city)?
    Towns the overlay only adds spellings to (Lachin) do not: a person may share the name."""
    for p in span.places:
        ft = idx.ftype[p]
        primary = span.places[p][1]
        if (
            (ft in (0, 2) and (primary or idx.population[p] >= 500_000))
            or (idx.dataset[p] == "overlay" and primary)
            or idx.capital[p]
            or idx.population[p] >= 1_000_000
        ):
            return True
    return False


#: _PERSON_BIGRAM and _TITLE begin at a word start (a leading \b): see _at_word_starts
_PERSON_BIGRAM = re.compile(
    # a generational suffix does not make a longer name: "George Bush Sr", "Cal Ripken Jr."
    r"([A-Z][a-z]+|[A-Z]\.) ([A-Z][a-z]+(?:['’][A-Z][a-z]+)?)\b(?![ -](?!(?:Jr|Sr)\b)[A-Z])"
)
_TITLE = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Lt|Sgt|Capt|Col|Gen|Rev|President|Senator|Governor|Mayor|Judge|Sheriff|Officer|Detective|Coach|Pastor|Chief)\.? ([A-Z][a-z]+)"
)


#: Census share (in per cent) above which a first name is common enough that a lone word
#: spelled like it names a person more often than a small place ("Kristina said").
_FIRST_NAME_MIN_SHARE = 0.02


@lru_cache(maxsize=2)
def first_names(min_share: float = _FIRST_NAME_MIN_SHARE) -> frozenset[str]:
    """US first names at least ``min_share`` per cent of people bear, from the 1990 census
    lists the ``names`` package ships (MIT).

    Each line of ``dist.male.first`` / ``dist.female.first`` is "NAME share cumulative rank".
    """
    from importlib.resources import files

    out: set[str] = set()
    for fname in ("dist.male.first", "dist.female.first"):
        for line in files("names").joinpath(fname).read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) >= 2 and float(parts[1]) >= min_share:
                out.add(parts[0].title())
    return frozenset(out)


#: Census share (per cent) above which a word counts as a common surname.
_SURNAME_MIN_SHARE = 0.002
#: A city this big keeps its name before a capitalised word that is no person's name:
#: "Seattle Seahawks", "Cambridge Analytica" name the city inside the organisation.
_EMBED_MIN_POPULATION = 100_000


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Common US surnames, from the 1990 census list the ``names`` package ships (MIT)."""
    from importlib.resources import files

    out: set[str] = set()
    for line in files("names").joinpath("dist.all.last").read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2 and float(parts[1]) >= _SURNAME_MIN_SHARE:
            out.add(parts[0].title())
    return frozenset(out)


def _names_a_town(span: Span, idx: CompiledIndex) -> bool:
    """Does the best-known candidate of the span (by population) lie in a town?"""
    best = max(span.places, key=lambda p: idx.population[p], default=None)
    return best is not None and idx.ftype[best] == 4


def _very_big(span: Span, idx: CompiledIndex, capitals: bool = True) -> bool:
    """A place a first name cannot hide: a country, a national capital (with ``capitals``),
    a big city or a populous state."""
    for p, (_kind, primary) in span.places.items():
        ft = idx.ftype[p]
        pop = idx.population[p]
        if ft == 0 or (capitals and idx.capital[p] and primary):
            return True
        if not capitals and pop < 1_000_000:
            continue
        if ft == 2 and primary and pop >= 1_000_000:
            return True
        if ft == 4 and pop >= 100_000:
            return True
    return False


#: Where a city's name before a team's or company's is usual in English text.
_ANGLOPHONE = frozenset(["US", "GB", "CA", "AU", "NZ", "IE"])


def _anglophone_city_population(word: str, idx: CompiledIndex) -> int:
    """Population of the biggest English-speaking town spelled ``word`` (0 if none)."""
    key = ("anglophone", word)
    pop: int | None = idx.recall(key)
    if pop is None:
        nid = idx.en_names.get(" " + word + " ")
        pop = (
            0
            if nid is None
            else max(
                (
                    idx.population[p]
                    for p in idx.name_places(nid)
                    if idx.ftype[p] == 4 and idx.country[p] in _ANGLOPHONE
                ),
                default=0,
            )
        )
        idx.remember(key, pop)
    return pop


def _big_place(word: str, idx: CompiledIndex) -> bool:
    key = ("big", word)
    big: bool | None = idx.recall(key)
    if big is None:
        nid = idx.en_names.get(" " + word + " ")
        big = nid is not None and any(
            idx.ftype[p] in (0, 2) or idx.capital[p] or idx.population[p] >= 500_000
            for p in idx.name_places(nid)
        )
        idx.remember(key, big)
    return big


def _person_words(text: str, idx: CompiledIndex) -> dict[str, bool]:
    """Words the document uses as parts of people's names: both words of a capitalised pair
    that is not itself a place ("Paul Allen", "Kristina Harman"), and a name after a title.
    The value says whether a common first name vouches for it ("Robert Douglas"): such a
    word is a person's even where it is also a small capital."""
    out: dict[str, bool] = {}
    for m in _at_word_starts(_PERSON_BIGRAM, text):
        # what a pair says depends on its two words alone: the index remembers it
        key = ("bigram", m.group(0))
        said: tuple[bool, bool, bool] | None = idx.recall(key)
        if said is None:
            said = _bigram_persons(m.group(1), m.group(2), m.group(0), idx)
            idx.remember(key, said)
        vouched, last_person, first_person = said
        if vouched:
            out[m.group(1)] = out[m.group(2)] = True
            continue
        if last_person:
            out.setdefault(m.group(2), False)
        if first_person:
            out.setdefault(m.group(1), False)
    for m in _at_word_starts(_TITLE, text):
        out.setdefault(m.group(1), False)
    return out


def _bigram_persons(
    first: str, last: str, pair: str, idx: CompiledIndex
) -> tuple[bool, bool, bool]:
    """What a capitalised pair says of its words (see :func:`_person_words`): whether a
    common first name vouches for both, whether the last word, whether the first word names
    a person."""
    if first in EN_STOPWORDS or last in EN_STOPWORDS or last in _NAME_HEADS:
        return False, False, False
    if (" " + _NON_WORD.sub(" ", pair) + " ") in idx.en_names:
        return False, False, False
    if first in first_names() and not _big_place(first, idx):
        # "Robert Douglas", "Patrick Woodrow": a common first name before a capitalised
        # word makes both a person's, even where the surname is also a town
        return True, True, True
    if (
        last not in surnames()
        and last not in first_names()
        and first not in first_names(0.0)
        and _anglophone_city_population(first, idx) >= _EMBED_MIN_POPULATION
    ):
        return False, False, False  # a city in an organisation's name: "Seattle Seahawks"
    if _big_place(first, idx) and _big_place(last, idx):
        return False, False, False  # two places side by side: "Moscow Kremlin", "Baku Azerbaijan"
    # a big place inside a name ("Liverpool Academy", "Baseball Toronto") stays a place
    return (
        False,
        not _big_place(last, idx),
        not first.endswith(".") and not _big_place(first, idx),
    )


def _official(span: Span, idx: CompiledIndex) -> bool:
    """Does the text name, by its own name, a country, a populous admin-1 division, a capital or
    a curated place? (Alternate spellings do not count: "Valley" is not The Valley, Anguilla.)"""
    for p, (_kind, primary) in span.places.items():
        if not primary:
            continue
        ft = idx.ftype[p]
        if ft == 0 or idx.curated[p] or idx.capital[p]:
            return True
        if ft == 2 and idx.population[p] >= 1_000_000:
            return True
    return False


def recognize_en(
    text: str,
    idx: CompiledIndex,
    automata: Iterable[ahocorasick.Automaton] = (),
    demonyms: bool = False,
) -> list[Span]:
    """English (and other Latin-script) place mentions in ``text``."""
    # the text as keys are written (see gazetteer.index.en_key), offsets shifted by one
    padded = " " + _spaced(text) + " "
    raw: list[tuple[int, int, int]] = []  # (start, end, name id)
    # Bulk names: probe the key dict at every capitalised word, extending word by word while
    # the words so far begin some longer name (idx.en_prefixes).
    names = idx.en_names
    prefixes = idx.en_prefixes
    n_text = len(text)
    for m in _at_word_starts(_CAP_WORD, text):
        s = m.start()
        end = m.end()
        count = 1
        while True:
            # The words text[s:end] start and end at word boundaries, so the characters
            # either side are spaces in ``padded``: this slice is their key " words ".
            key = padded[s : end + 2]
            nid = names.get(key)
            if nid is not None:
                raw.append((s, end, nid))
            # keys that end in punctuation (U.S.) carry it as a trailing space
            if end < n_text and not text[end].isspace():
                nid = names.get(key + " ")
                if nid is not None:
                    raw.append((s, end + 1, nid))
            if count >= idx.max_words or key[:-1] not in prefixes:
                break
            nxt = _NEXT_WORD.match(text, end)
            if nxt is None:
                break
            end = nxt.end()
            count += 1
    # Datelines in capitals ("PLEASANTON, Calif. (AP) —", "SOUTH WAZIRISTAN:"): look the
    # name up as it would be written in running text.
    # A dateline followed by a state or a news agency names a city: "NEW YORK (AP)" is the
    # city, not the state.
    city_datelines: set[int] = set()
    lined = "\n" + text  # every line starts after a newline; offsets shifted by one
    datelines = [(m.start(1) - 1, m.end(1) - 1, m.group(1)) for m in _DATELINE.finditer(lined)]
    if _AGENCY.search(text):
        datelines += [(m.start(1), m.end(1), m.group(1)) for m in _DATELINE_AGENCY.finditer(text)]
    datelines += [
        (m.start(1) - 1, m.end(1) - 1, m.group(1)) for m in _DATELINE_BRACKETS.finditer(lined)
    ]
    for s, end, dateline in datelines:
        nid = names.get(" " + _NON_WORD.sub(" ", dateline.title()) + " ")
        if nid is not None:
            raw.append((s, end, nid))
            if text[end : end + 2] in (", ", " (", ") "):
                city_datelines.add(s)
    # Curated and run-time names: a small pyahocorasick automaton over the padded text.
    for auto in automata:
        if not len(auto):
            continue
        for end, nid in auto.iter(padded):
            # the key is " name " in the padded text: see gazetteer.index.en_key
            raw.append((end - len(idx.name_texts[nid]) - 1, end - 1, nid))
    # leftmost-longest, non-overlapping
    raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    chosen: list[tuple[int, int, list[int]]] = []
    last_end = -1
    for s, e, nid in raw:
        if s < last_end:
            if chosen and chosen[-1][0] == s and chosen[-1][1] == e:
                chosen[-1][2].append(nid)
            continue
        chosen.append((s, e, [nid]))
        last_end = e
    starts = {s for s, _, _ in chosen}
    persons = _person_words(text, idx)
    spans: list[Span] = []
    for s, e, nids in chosen:
        surface = text[s:e]
        if surface in EN_STOPWORDS:
            continue  # _keep_en drops these, whatever they name
        if not surface[:1].isupper() and not surface[:1].isdigit():
            # lower-case keys exist only in the curated overlay ("line of contact")
            span = Span(s, e, surface)
            for nid in nids:
                _add_postings(span, idx, nid)
            if not any(map(idx.curated.__getitem__, span.places)):
                continue
        else:
            span = Span(s, e, surface)
            for nid in nids:
                _add_postings(span, idx, nid)
        if s in city_datelines and surface.isupper():
            span.hint = "locality"
            span.reasons.append("a dateline names a city")
        if not _keep_en(span, text, idx, nids, demonyms, starts, persons):
            continue
        org = _ORG_TAIL.match(text, e)
        if (
            org
            and span.kind in ("name", "demonym")
            and not (org.group(0).endswith("Commission") and _names_a_town(span, idx))
        ):
            # A city's commission ("the Venice Commission") is the city and a body in it;
            # a commission named by a region or people ("European Commission") is one name.
            # "Colorado State University", "European Commission": the whole name is the mention
            # (as GeoWebNews annotates it), still located at the place it contains.
            span.end = e = org.end()
            span.text = text[s:e]
            span.reasons.append("part of an organisation's name")
        hint = _TYPE_HINT_EN.match(text, e)
        if hint:
            noun = hint.group(1).lower()
            span.hint = _HINT_TYPES.get(noun, _HINT_TYPES.get(noun.rstrip("s")))

        spans.append(span)
    spans += _translit_adjectives(text, idx, spans)
    spans.sort(key=lambda sp: sp.start)
    return spans


_COORD_BEFORE = re.compile(r"([A-Z][\w'’.-]*)(?:,| and| or| &) $")
_COORD_AFTER = re.compile(r"(?:,| and| or| &) (?=[A-Z])")


def _coordinated(text: str, s: int, e: int, starts: set[int]) -> bool:
    """Is the span listed with another place name ("Gainesville and Lindsay")?"""
    m = _COORD_BEFORE.search(text, max(0, s - 40), s)
    if m and m.end() == s and m.start() in starts:
        return True
    m = _COORD_AFTER.match(text, e)
    return bool(m and m.end() in starts)


#: Zipf frequency (wordfreq) above which a capitalised word that is only an alternate
#: spelling of a town is taken for the word itself ("Hamas" is a spelling of Hamm).
_ALIAS_MAX_ZIPF = 3.3


@lru_cache(maxsize=50_000)
def _word_frequency(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_LOCATED_AFTER = re.compile(r"(?:, [A-Z]|-[A-Z])")
_PARTY_BEFORE = re.compile(r"\b[RDI]-$")
_NEXT_CAP = re.compile(r" ([A-Z][\w'’-]*[a-z][\w'’-]*)")
_PREV_CAP = re.compile(r"([A-Z][a-z][\w'’-]*) $")


def _keep_en(
    span: Span,
    text: str,
    idx: CompiledIndex,
    nids: list[int],
    demonyms: bool,
    starts: set[int],
    persons: dict[str, bool],
) -> bool:
    # The tests below are pure: those asked more than once (strong, locative) are computed
    # once, when first needed; the regexes match in ``text`` between offsets, not on slices.
    s, e = span.start, span.end
    surface = span.text
    # map/itemgetter rather than generators: these run for every span
    kinds = set(map(_FIRST, span.places.values()))
    if kinds == {"demonym"} and not demonyms:
        return False
    strong: bool | None = None
    if not demonyms and "demonym" in kinds:
        span.places = {p: v for p, v in span.places.items() if v[0] != "demonym"}
        if not span.places or not (strong := _strong(span, idx)):
            # "in Malian territory": the demonym, not the village of Malian
            return False
    elif not span.places:
        return False
    if kinds and kinds <= {"demonym"}:
        span.kind = "demonym"
    elif "landmark" in kinds:
        span.kind = "landmark"
    if surface in EN_STOPWORDS:
        return False
    curated = any(map(idx.curated.__getitem__, span.places))
    vouched = persons.get(surface)
    if vouched is not None and not (
        _official(span, idx) and (not vouched or _very_big(span, idx, False))
    ):
        # the document also calls someone by this word ("Paul Allen ... Allen said")
        return False
    before = text[max(0, s - 30) : s]
    locative: bool | None = None
    if surface in first_names() and not curated and not _very_big(span, idx):
        locative = bool(_LOCATIVE.search(before))
        if (
            not locative
            and not _LOCATED_AFTER.match(text, e, e + 3)
            and not _PARTY_BEFORE.search(before)
            and not _coordinated(text, s, e, starts)
        ):
            # a lone common first name ("Kristina said", "St. Patrick's Day") is a person
            # unless the text locates it ("in Marion", "Troy, N.Y.") or it is a place of note
            return False
    single = " " not in surface and "-" not in surface
    # A capitalised word right after or before this one makes it part of a longer name
    # that is not a place: "Vladimir Putin", "Ilham Aliyev", "Lachin Ahmadov", "Mobile World".
    if single:
        nxt = _NEXT_CAP.match(text, e, e + 40)
        if nxt:
            word = nxt.group(1)
            if word not in _NAME_HEADS:
                if not ((e + 1) in starts and _big_place(word, idx)):
                    if strong is None:
                        strong = _strong(span, idx)
                    if (
                        not strong
                        and not (
                            word.lower() in idx.common_words
                            and _max_population(span, idx) >= _EMBED_MIN_POPULATION
                        )
                        and not (
                            # "Seattle Seahawks", "Cambridge Analytica"
                            surface not in first_names(0.0)
                            and word not in surnames()
                            and word not in first_names(0.0)
                            and _anglophone_city_population(surface, idx) >= _EMBED_MIN_POPULATION
                        )
                    ):
                        return False
                if word not in surnames() and word not in first_names(0.0):
                    span.embedded = True
        prv = _PREV_CAP.search(before) if before[-2:].endswith((" ", " \n")) else None
        if (
            prv
            and prv.group(1) not in EN_STOPWORDS
            and (s - len(prv.group(0))) not in starts
            and not curated
        ):
            if strong is None:
                strong = _strong(span, idx)
            if not strong:
                if locative is None:
                    locative = bool(_LOCATIVE.search(before))
                if not locative:
                    return False
    if s > 1 and text[s - 1] in "'’" and text[s - 2].isalpha() and not curated:
        return False  # the tail of a word: O’Toole, Côte d'Ivoire's parts
    if surface.endswith(".") and surface.count(".") == 1 and text[max(0, s - 2) : s] != ", ":
        # "Ga.", "Pa.", "Ind.": AP abbreviations of states only count after a comma
        # ("Macon, Ga."), as they otherwise read as words ending a sentence.
        return False
    if (
        single
        and span.kind == "name"
        and not curated
        and not any(map(_SECOND, span.places.values()))
    ):
        if locative is None:
            locative = bool(_LOCATIVE.search(before))
        if not locative:
            if strong is None:
                strong = _strong(span, idx)
            if not strong and _word_frequency(surface) >= _ALIAS_MAX_ZIPF:
                # a frequent word that is only another spelling of a town ("Hamas" for
                # Hamm): in running text it is that word, unless the text locates it
                return False
    common = max(map(idx.en_common.get, nids, repeat(0.0)), default=0.0)
    if common and span.kind != "demonym" and span.hint != "locality" and not _official(span, idx):
        pop = _max_population(span, idx)
        if locative is None:
            locative = bool(_LOCATIVE.search(before))
        if locative:
            pass
        elif common >= 5.0 or _is_sentence_start(text, s):
            return False
        elif common >= 4.5:
            if pop < 500_000:
                return False
        elif pop < 50_000:
            return False
    # all-caps words are acronyms far more often than places, unless they start a dateline
    if surface.isupper() and len(surface) <= 4 and not curated:
        return False
    return bool(span.places)


def _translit_adjectives(text: str, idx: CompiledIndex, found: list[Span]) -> list[Span]:
    """ "the Lachinsky corridor" → the Lachin corridor (or Lachin, hinted as a corridor)."""
    taken = [(sp.start, sp.end) for sp in found]
    out = []
    if not _TRANSLIT_TAIL.search(text):
        return []
    for m in _TRANSLIT_ADJ.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        base, noun = m.group(1), m.group(2)
        span = Span(m.start(), m.end(), m.group(0), kind="adjective")
        for key in (en_key(f"{base} {noun}"), en_key(base)):
            nid = idx.en_names.get(key)
            if nid is not None:
                _add_postings(span, idx, nid)
                span.reasons.append(f"transliterated adjective of {base!r}")
                break
        if span.places:
            span.hint = _HINT_TYPES.get(noun, "district")
            out.append(span)
    return out


# -- Russian ----------------------------------------------------------------------------------


@lru_cache(maxsize=50_000)
def _ru_token_ok(tok: str, first: bool, strong: bool) -> bool:
    """Reject capitalised Russian words that are names of people or ordinary words.

    Cached: it depends on nothing but its arguments, and the morphological analysis it runs
    costs more than the rest of the Russian recogniser."""
    from gazetteer.morphology import analyzer

    morph = analyzer()
    parses = morph.parse(tok)[:3]
    tags = [str(p.tag) for p in parses]
    if any(x in tags[0] for x in ("Name", "Surn", "Patr", "Orgn")):
        return False
    if any("Geox" in t for t in tags):
        return True
    if morph.word_is_known(tok.lower()):
        # a dictionary word that is not a toponym: "При", "Мир", "Победа"
        return strong and not first
    return True


def _ru_person(tok: str) -> bool:
    tag = _first_tag(tok)
    return any(x in tag for x in ("Surn", "Name", "Patr"))


_TOKEN_SPLIT = re.compile(f"({TOKEN_RE.pattern})")
#: The Russian token memo is emptied when it holds more tokens than this.
_RU_TOKEN_MEMO_MAX = 200_000


def _ru_token_info(
    tok: str, idx: CompiledIndex
) -> tuple[tuple[str, ...], bool, str | None, str | None]:
    """A token's lemmas, whether one starts a lower-case name, its place adjective lemma and
    its relative adjective lemma (None if none): the same for every occurrence, so they go
    in the index's token memo (the lower-case and adjective tables never change at run
    time). A lower-case token whose ending no form of those tables' lemmas (nor of a
    geographic noun) has is none of them: it is not analysed (most words of a text), and its
    lemmas are left empty (only capitalised tokens, lower-case name starts and the nouns
    after place adjectives use them)."""
    info = idx.ru_token_memo.get(tok)
    if info is None:
        if (
            len(tok) > ENDING_LEN
            and not tok[:1].isupper()
            and tok.lower().replace("ё", "е")[-ENDING_LEN:] not in idx.ru_lower_endings
        ):
            info = idx.ru_token_memo[tok] = ((), False, None, None)
            return info
        lem = lemmas(tok)
        info = idx.ru_token_memo[tok] = (
            lem,
            any(lm in idx.ru_lower_first for lm in lem),
            next((lm for lm in lem if lm in idx.ru_adjectives), None),
            next((lm for lm in lem if lm in idx.ru_adj_general), None),
        )
    return info


def recognize_ru(text: str, idx: CompiledIndex, adjectives: bool = False) -> list[Span]:
    """Russian place mentions: names by lemma, place adjectives before geographic nouns, and
    (with ``adjectives``) relative adjectives on their own (российский → Russia)."""
    # the tokens with their offsets, from one split (gaps and tokens alternate) and running
    # sums of the pieces' lengths: no Python-level step per token
    pieces = _TOKEN_SPLIT.split(text)
    offsets = [0, *accumulate(map(len, pieces))]
    toks = list(zip(offsets[1:-1:2], offsets[2::2], pieces[1::2], strict=True))
    spans: list[Span] = []
    i = 0
    n = len(toks)
    memo = idx.ru_token_memo
    if len(memo) > _RU_TOKEN_MEMO_MAX:
        memo.clear()
    while i < n:
        s0, e0, t0 = toks[i]
        upper = t0[:1].isupper()
        best: tuple[int, int] | None = None  # (token count, name id)
        lem0, lower_first, adj, general = memo.get(t0) or _ru_token_info(t0, idx)
        if upper or lower_first:
            frontier = list(lem0)
            for j in range(i, min(n, i + 5)):
                if j > i:
                    # names do not run across punctuation other than a hyphen or space
                    gap = text[toks[j - 1][1] : toks[j][0]]
                    if gap.strip():
                        break
                    frontier = [
                        f"{p} {lm}"
                        for p in frontier
                        if p in idx.ru_prefixes
                        for lm in lemmas(toks[j][2])
                    ]
                    if not frontier:
                        break
                for key in frontier:
                    nid = idx.ru_names.get(key)
                    if nid is not None:
                        best = (j - i + 1, nid)
                        break
        if best is not None:
            count, nid = best
            e = toks[i + count - 1][1]
            span = Span(s0, e, text[s0:e], reasons=["matched by lemma"])
            _add_postings(span, idx, nid)
            if not span.places:
                i += count  # a curated non-place ("Единая Россия"): skip its words
                continue
            ok = True
            if count == 1 and upper and not any(map(idx.curated.__getitem__, span.places)):
                ok = _ru_token_ok(t0, _is_sentence_start(text, s0), _strong(span, idx))
                if (
                    ok
                    and i + 1 < n
                    and toks[i + 1][2][:1].isupper()
                    and not _strong(span, idx)
                    and _ru_person(toks[i + 1][2])
                ):
                    # "Никола Пашиняна", "Владимира Путина": a first name, not a place
                    ok = False
            if ok and span.places:
                nxt = lemmas(toks[i + count][2])[0] if i + count < n else ""
                span.hint = GEO_NOUNS.get(nxt)
                spans.append(span)
                i += count
                continue
        if adj is not None:
            found = _ru_adjective(text, toks, i, idx)
            if found is not None:
                spans.append(found)
                i += 2 if found.end > e0 else 1
                continue
        if adjectives and general is not None and "ADJF" in _first_tag(t0):
            span = Span(s0, e0, t0, kind="adjective", reasons=[f"adjective {general!r}"])
            for p in idx.ru_adj_general[general]:
                span.places[p] = ("adjective", True)
            spans.append(span)
        i += 1
    persons = _ru_person_words(toks, text, idx)
    return [
        sp
        for sp in spans
        if not (sp.kind == "name" and " " not in sp.text and lemmas(sp.text)[0] in persons)
        or _strong(sp, idx)
    ]


@lru_cache(maxsize=100_000)
def _first_tag(tok: str) -> str:
    from gazetteer.morphology import analyzer

    return str(analyzer().parse(tok)[0].tag)


def _ru_person_words(
    toks: list[tuple[int, int, str]], text: str, idx: CompiledIndex | None = None
) -> set[str]:
    """Lemmas of capitalised words the text uses in people's names: both words of a
    capitalised pair where one is a first name, surname or patronymic ("Марко Рубио")."""
    out: set[str] = set()
    for (s1, e1, a), (s2, _e2, b) in zip(toks, toks[1:], strict=False):
        if not (a[:1].isupper() and b[:1].isupper()) or text[e1:s2] != " ":
            continue
        if _is_sentence_start(text, s1) and len(a) <= 3:
            continue
        if any(x in _first_tag(a) or x in _first_tag(b) for x in ("Name", "Surn", "Patr")):
            out.add(lemmas(a)[0])
            out.add(lemmas(b)[0])
        elif (
            idx is not None
            and not _is_sentence_start(text, s1)
            and _unknown_word(a)
            and not any(lm in idx.ru_names or lm in idx.ru_prefixes for lm in lemmas(a))
        ):
            # "Лино Овьедо", "Ёсихико Нода": a foreign first name the dictionary does not
            # know, before a word that is also a place, is a person's name
            out.add(lemmas(b)[0])
    return out


@lru_cache(maxsize=50_000)
def _unknown_word(tok: str) -> bool:
    from gazetteer.morphology import analyzer

    return not analyzer().word_is_known(tok.lower())


def _ru_adjective(
    text: str, toks: list[tuple[int, int, str]], i: int, idx: CompiledIndex
) -> Span | None:
    """A place adjective followed, possibly after coordinated adjectives, by a geographic noun."""
    s0, e0, t0 = toks[i]
    adj = next(lm for lm in lemmas(t0) if lm in idx.ru_adjectives)
    j = i + 1
    while j < len(toks) and j <= i + 8:
        lem, _lower, adj_j, _general = _ru_token_info(toks[j][2], idx)
        noun = next((lm for lm in lem if lm in GEO_NOUNS), None)
        if noun is not None:
            end = toks[j][1] if j == i + 1 else e0
            span = Span(s0, end, text[s0:end], kind="adjective", hint=GEO_NOUNS[noun])
            span.reasons.append(f"adjective {adj!r} before {noun!r}")
            for p in idx.ru_adjectives[adj]:
                span.places[p] = ("adjective", True)
            return span
        if toks[j][2].lower() in ("и", "или") or adj_j is not None:
            j += 1
            continue
        return None
    return None
