"""Russian morphology of place names: tokens, lemmas (pymorphy3), lemma keys and the
adjectives Russian forms from place names.

Russian inflects names (в Кельбаджаре, Шуши, Гянджи) and forms adjectives from them
(Кельбаджарский район, на физулинском направлении); both are matched by lemma. The index
compiler (:mod:`gazetteer.index.build`) keys names and derives adjectives with these
functions, the recogniser (:mod:`gazetteer.recognize.russian`) reads text with them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from gazetteer.morphology import analyzer
from gazetteer.recognize.words import NOT_PLACE_ADJECTIVES

#: A word: letters (Cyrillic or Latin) and digits, hyphenated parts included.
TOKEN_RE = re.compile(r"[А-Яа-яЁёA-Za-z0-9]+(?:-[А-Яа-яЁёA-Za-z0-9]+)*")


@lru_cache(maxsize=200_000)
def lemmas(token: str) -> tuple[str, ...]:
    """Possible lemmas of a token (lower case), most likely first, then the token itself."""
    low = token.lower().replace("ё", "е")
    out: list[str] = []
    for p in analyzer().parse(low)[:3]:
        nf = p.normal_form.replace("ё", "е")
        if nf not in out:
            out.append(nf)
    if low not in out:
        out.append(low)
    return tuple(out)


#: How many final letters :func:`form_endings` keeps (three rule out three in four words).
ENDING_LEN = 3


def form_endings(lemma_set: set[str] | dict[str, Any]) -> frozenset[str]:
    """The last :data:`ENDING_LEN` letters of every form pymorphy3 knows of these lemmas (and
    of the lemmas themselves), with ё as е: a longer word ending otherwise is no form of any
    of them, so the recogniser need not analyse it to find out."""
    morph = analyzer()
    out: set[str] = set()
    for lemma in lemma_set:
        out.add(lemma[-ENDING_LEN:])
        for p in morph.parse(lemma):
            if p.normal_form.replace("ё", "е") == lemma:
                out.update(f.word.replace("ё", "е")[-ENDING_LEN:] for f in p.lexeme)
    return frozenset(out)


def lemma_key(name: str) -> str:
    """The lookup key of a Russian name: the first lemma of every token, space-joined."""
    toks = TOKEN_RE.findall(name)
    return " ".join(lemmas(t)[0] for t in toks)


def derived_adjectives(name: str) -> list[str]:
    """Adjective lemmas Russian forms from a one-word place name (Лачин → лачинский,
    Физули → физулинский, Шуша → шушинский). Only used before a geographic noun, so the
    occasional wrong guess costs nothing."""
    low = name.lower().replace("ё", "е")
    if " " in low or len(low) < 3 or not re.fullmatch(r"[а-я-]+", low):
        return []
    out: list[str] = []
    last = low[-1]
    if last in "иы":
        out.append(low + "нский")
    elif last in "ая":
        out += [low[:-1] + "инский", low[:-1] + "ский"]
    elif last == "ь":
        out.append(low[:-1] + "ский")
    elif low.endswith("ск"):
        out.append(low + "ий")
    elif last in "оеу":
        out.append(low + "вский")
    else:
        out.append(low + "ский")
        if last == "к":
            out.append(low[:-1] + "цкий")
    return out


_ADJ_STEMS = (0, 1, 2)
_ADJ_SUFFIXES = ("ский", "нский", "ийский", "анский", "овский", "инский")


def known_adjective(name: str) -> str | None:
    """The relative adjective of a one-word place name, if Russian has it: the first of a few
    regular derivations that pymorphy3's dictionary knows as an adjective (Россия → российский,
    Москва → московский, Америка → американский). Irregular ones (Франция → французский)
    are listed in the overlay."""
    low = name.lower().replace("ё", "е")
    if len(low) < 3 or not re.fullmatch(r"[а-я-]+", low):
        return None
    morph = analyzer()
    for cut in _ADJ_STEMS:
        stem = low[: len(low) - cut] if cut else low
        if len(stem) < 3:
            break
        suffixes = (*_ADJ_SUFFIXES, "ий") if stem.endswith(("ск", "цк")) else _ADJ_SUFFIXES
        for suffix in suffixes:
            word = stem + suffix
            if word in NOT_PLACE_ADJECTIVES:
                continue
            if morph.word_is_known(word) and any(
                "ADJF" in str(p.tag) and p.normal_form == word for p in morph.parse(word)[:2]
            ):
                return word
    return None
