"""English (and other Latin-script) recognition: :func:`recognize_en`.

A case-sensitive pass over every indexed Latin-script name: the bulk names through the index's
key dict, probed at every capitalised word; datelines in capitals; the curated and run-time
names through a small Aho-Corasick automaton. The longest match wins; the filters of
:mod:`~gazetteer.recognize.english_filter` then drop words and person names that are also
places. Organisation names that contain a place, type hints ("the Kalbajar and Lachin
districts") and transliterated Russian adjectives ("the Lachinsky corridor") are handled here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick

from gazetteer.index.store import CompiledIndex, en_key
from gazetteer.recognize.english_filter import keep_en
from gazetteer.recognize.people import person_words
from gazetteer.recognize.spans import Span, add_postings, at_word_starts, names_a_town
from gazetteer.recognize.words import EN_STOPWORDS, NEWS_AGENCIES

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


#: a capitalised word; it must also start a word (see at_word_starts)
_CAP_WORD = re.compile(r"[A-Z\u00C0-\u00DE]\w*")
#: the next word of a multi-word name: at most three separators, never a line break
_NEXT_WORD = re.compile(r"[^\w\n]{1,3}\w+")

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
_AGENCIES = r"\((?:" + "|".join(map(re.escape, NEWS_AGENCIES)) + r")\)"
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

#: A match: (start, end, name id).
_Match = tuple[int, int, int]


def recognize_en(
    text: str,
    idx: CompiledIndex,
    automata: Iterable[ahocorasick.Automaton] = (),
    demonyms: bool = False,
) -> list[Span]:
    """English (and other Latin-script) place mentions in ``text``."""
    # the text as keys are written (see gazetteer.index.store.en_key), offsets shifted by one
    padded = " " + _spaced(text) + " "
    raw = _bulk_matches(text, padded, idx)
    city_datelines = _dateline_matches(text, idx, raw)
    raw += _automaton_matches(padded, idx, automata)
    chosen = _leftmost_longest(raw)
    starts = {s for s, _, _ in chosen}
    persons = person_words(text, idx)
    spans: list[Span] = []
    for s, e, nids in chosen:
        surface = text[s:e]
        if surface in EN_STOPWORDS:
            continue  # keep_en drops these, whatever they name
        span = Span(s, e, surface)
        for nid in nids:
            add_postings(span, idx, nid)
        if (
            not surface[:1].isupper()
            and not surface[:1].isdigit()
            and not any(map(idx.curated.__getitem__, span.places))
        ):
            continue  # lower-case keys exist only in the curated overlay ("line of contact")
        if s in city_datelines and surface.isupper():
            span.hint = "locality"
            span.reasons.append("a dateline names a city")
        if not keep_en(span, text, idx, nids, demonyms, starts, persons):
            continue
        _extend_to_organisation(span, text, idx)
        hint = _TYPE_HINT_EN.match(text, span.end)
        if hint:
            noun = hint.group(1).lower()
            span.hint = _HINT_TYPES.get(noun, _HINT_TYPES.get(noun.rstrip("s")))
        spans.append(span)
    spans += _translit_adjectives(text, idx, spans)
    spans.sort(key=lambda sp: sp.start)
    return spans


def _bulk_matches(text: str, padded: str, idx: CompiledIndex) -> list[_Match]:
    """Bulk names: probe the key dict at every capitalised word, extending word by word while
    the words so far begin some longer name (``idx.en_prefixes``)."""
    raw: list[_Match] = []
    names = idx.en_names
    prefixes = idx.en_prefixes
    n_text = len(text)
    for m in at_word_starts(_CAP_WORD, text):
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
    return raw


def _dateline_matches(text: str, idx: CompiledIndex, raw: list[_Match]) -> set[int]:
    """Add to ``raw`` the names of datelines in capitals ("PLEASANTON, Calif. (AP) —",
    "SOUTH WAZIRISTAN:"), looked up as they would be written in running text; return the
    starts of those that name a city.

    A dateline followed by a state or a news agency names a city: "NEW YORK (AP)" is the
    city, not the state.
    """
    city_datelines: set[int] = set()
    lined = "\n" + text  # every line starts after a newline; offsets shifted by one
    datelines = [(m.start(1) - 1, m.end(1) - 1, m.group(1)) for m in _DATELINE.finditer(lined)]
    if _AGENCY.search(text):
        datelines += [(m.start(1), m.end(1), m.group(1)) for m in _DATELINE_AGENCY.finditer(text)]
    datelines += [
        (m.start(1) - 1, m.end(1) - 1, m.group(1)) for m in _DATELINE_BRACKETS.finditer(lined)
    ]
    for s, end, dateline in datelines:
        nid = idx.en_names.get(" " + _NON_WORD.sub(" ", dateline.title()) + " ")
        if nid is not None:
            raw.append((s, end, nid))
            if text[end : end + 2] in (", ", " (", ") "):
                city_datelines.add(s)
    return city_datelines


def _automaton_matches(
    padded: str, idx: CompiledIndex, automata: Iterable[ahocorasick.Automaton]
) -> list[_Match]:
    """Curated and run-time names: small pyahocorasick automata over the padded text."""
    raw: list[_Match] = []
    for auto in automata:
        if not len(auto):
            continue
        for end, nid in auto.iter(padded):
            # the key is " name " in the padded text: see gazetteer.index.store.en_key
            raw.append((end - len(idx.name_texts[nid]) - 1, end - 1, nid))
    return raw


def _leftmost_longest(raw: list[_Match]) -> list[tuple[int, int, list[int]]]:
    """The leftmost-longest, non-overlapping matches, with every name id of each span."""
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
    return chosen


def _extend_to_organisation(span: Span, text: str, idx: CompiledIndex) -> None:
    """Extend the span over an organisation's name it starts ("Colorado State University",
    "European Commission"): the whole name is the mention (as GeoWebNews annotates it),
    still located at the place it contains.

    A city's commission ("the Venice Commission") is the city and a body in it; a commission
    named by a region or people ("European Commission") is one name.
    """
    org = _ORG_TAIL.match(text, span.end)
    if (
        org
        and span.kind in ("name", "demonym")
        and not (org.group(0).endswith("Commission") and names_a_town(span, idx))
    ):
        span.end = org.end()
        span.text = text[span.start : span.end]
        span.reasons.append("part of an organisation's name")


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
                add_postings(span, idx, nid)
                span.reasons.append(f"transliterated adjective of {base!r}")
                break
        if span.places:
            span.hint = _HINT_TYPES.get(noun, "district")
            out.append(span)
    return out
