"""People's names in English text, to tell them from places ("Paul Allen", "Kristina said").

First names and surnames come from the US census lists the ``names`` package ships; a
document's capitalised pairs and titled names say which words it uses for people.
"""

from __future__ import annotations

import re
from functools import lru_cache

from gazetteer.index.store import CompiledIndex
from gazetteer.recognize.spans import anglophone_city_population, at_word_starts, big_place
from gazetteer.recognize.words import EN_STOPWORDS, NAME_HEADS, PERSON_TITLES

_NON_WORD = re.compile(r"[^\w]")
#: _PERSON_BIGRAM and _TITLE begin at a word start (a leading \b): see at_word_starts
_PERSON_BIGRAM = re.compile(
    # a generational suffix does not make a longer name: "George Bush Sr", "Cal Ripken Jr."
    r"([A-Z][a-z]+|[A-Z]\.) ([A-Z][a-z]+(?:['’][A-Z][a-z]+)?)\b(?![ -](?!(?:Jr|Sr)\b)[A-Z])"
)
_TITLE = re.compile(r"(?:" + "|".join(map(re.escape, PERSON_TITLES)) + r")\.? ([A-Z][a-z]+)")

#: Census share (in per cent) above which a first name is common enough that a lone word
#: spelled like it names a person more often than a small place ("Kristina said").
_FIRST_NAME_MIN_SHARE = 0.02
#: Census share (per cent) above which a word counts as a common surname.
_SURNAME_MIN_SHARE = 0.002
#: A city this big keeps its name before a capitalised word that is no person's name:
#: "Seattle Seahawks", "Cambridge Analytica" name the city inside the organisation.
EMBED_MIN_POPULATION = 100_000


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


def person_words(text: str, idx: CompiledIndex) -> dict[str, bool]:
    """Words the document uses as parts of people's names: both words of a capitalised pair
    that is not itself a place ("Paul Allen", "Kristina Harman"), and a name after a title.
    The value says whether a common first name vouches for it ("Robert Douglas"): such a
    word is a person's even where it is also a small capital."""
    out: dict[str, bool] = {}
    for m in at_word_starts(_PERSON_BIGRAM, text):
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
    for m in at_word_starts(_TITLE, text):
        out.setdefault(m.group(1), False)
    return out


def _bigram_persons(
    first: str, last: str, pair: str, idx: CompiledIndex
) -> tuple[bool, bool, bool]:
    """What a capitalised pair says of its words (see :func:`person_words`): whether a
    common first name vouches for both, whether the last word, whether the first word names
    a person."""
    if first in EN_STOPWORDS or last in EN_STOPWORDS or last in NAME_HEADS:
        return False, False, False
    if (" " + _NON_WORD.sub(" ", pair) + " ") in idx.en_names:
        return False, False, False
    if first in first_names() and not big_place(first, idx):
        # "Robert Douglas", "Patrick Woodrow": a common first name before a capitalised
        # word makes both a person's, even where the surname is also a town
        return True, True, True
    if (
        last not in surnames()
        and last not in first_names()
        and first not in first_names(0.0)
        and anglophone_city_population(first, idx) >= EMBED_MIN_POPULATION
    ):
        return False, False, False  # a city in an organisation's name: "Seattle Seahawks"
    if big_place(first, idx) and big_place(last, idx):
        return False, False, False  # two places side by side: "Moscow Kremlin", "Baku Azerbaijan"
    # a big place inside a name ("Liverpool Academy", "Baseball Toronto") stays a place
    return (
        False,
        not big_place(last, idx),
        not first.endswith(".") and not big_place(first, idx),
    )
