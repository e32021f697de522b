"""Which English name matches are places here: the filters of :func:`keep_en`.

A match of an indexed name is dropped when the text uses it as something else: a demonym
(unless asked for), a word of :data:`~gazetteer.recognize.words.EN_STOPWORDS`, a person's
name the document uses, part of a longer name that is no place, the tail of a word, an
abbreviation, a common word or an acronym. A locative preposition ("in Marion") or a place
of note keeps it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat
from operator import itemgetter

from gazetteer.index.store import CompiledIndex
from gazetteer.recognize.people import EMBED_MIN_POPULATION, first_names, surnames
from gazetteer.recognize.spans import (
    Span,
    anglophone_city_population,
    big_place,
    is_sentence_start,
    max_population,
    official,
    strong,
    very_big,
)
from gazetteer.recognize.words import EN_STOPWORDS, NAME_HEADS

#: English prepositions after which a capitalised word is very likely a place.
_LOCATIVE = re.compile(
    r"(?:\b(?:in|at|from|near|to|into|across|outside|inside|towards?|around|via|of)\s+(?:the\s+)?)$"
)
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


def keep_en(
    span: Span,
    text: str,
    idx: CompiledIndex,
    nids: list[int],
    demonyms: bool,
    starts: set[int],
    persons: dict[str, bool],
) -> bool:
    """Is this match of English name ids ``nids`` a place here? Sets the span's kind
    (demonym, landmark) and ``embedded`` on the way.

    ``starts``: where the other matches of the text start; ``persons``: the words the
    document uses in people's names (:func:`~gazetteer.recognize.people.person_words`).
    """
    # The tests below are pure: those asked more than once (is_strong, locative) are worked out
    # once, when first needed; the regexes match in ``text`` between offsets, not on slices.
    s, e = span.start, span.end
    surface = span.text
    # map/itemgetter rather than generators: these run for every span
    kinds = set(map(_FIRST, span.places.values()))
    if kinds == {"demonym"} and not demonyms:
        return False
    is_strong: bool | None = None
    if not demonyms and "demonym" in kinds:
        span.places = {p: v for p, v in span.places.items() if v[0] != "demonym"}
        if not span.places or not (is_strong := strong(span, idx)):
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
        official(span, idx) and (not vouched or very_big(span, idx, False))
    ):
        # the document also calls someone by this word ("Paul Allen ... Allen said")
        return False
    before = text[max(0, s - 30) : s]
    locative: bool | None = None
    if surface in first_names() and not curated and not very_big(span, idx):
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
            if word not in NAME_HEADS:
                if not ((e + 1) in starts and big_place(word, idx)):
                    if is_strong is None:
                        is_strong = strong(span, idx)
                    if (
                        not is_strong
                        and not (
                            word.lower() in idx.common_words
                            and max_population(span, idx) >= EMBED_MIN_POPULATION
                        )
                        and not (
                            # "Seattle Seahawks", "Cambridge Analytica"
                            surface not in first_names(0.0)
                            and word not in surnames()
                            and word not in first_names(0.0)
                            and anglophone_city_population(surface, idx) >= EMBED_MIN_POPULATION
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
            if is_strong is None:
                is_strong = strong(span, idx)
            if not is_strong:
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
            if is_strong is None:
                is_strong = strong(span, idx)
            if not is_strong and _word_frequency(surface) >= _ALIAS_MAX_ZIPF:
                # a frequent word that is only another spelling of a town ("Hamas" for
                # Hamm): in running text it is that word, unless the text locates it
                return False
    common = max(map(idx.en_common.get, nids, repeat(0.0)), default=0.0)
    if common and span.kind != "demonym" and span.hint != "locality" and not official(span, idx):
        pop = max_population(span, idx)
        if locative is None:
            locative = bool(_LOCATIVE.search(before))
        if locative:
            pass
        elif common >= 5.0 or is_sentence_start(text, s):
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
