"""Russian recognition: :func:`recognize_ru`.

Names are matched by lemma (pymorphy3, :mod:`~gazetteer.recognize.morphology_ru`) against the
index's lemma keys, longest first; place adjectives count before a geographic noun
("Кельбаджарский, Лачинский и Агдамский районы"), and relative adjectives on their own when
asked (российский → Russia). Capitalised words that are people's names or ordinary words are
dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate

from gazetteer.index.store import CompiledIndex
from gazetteer.morphology import analyzer
from gazetteer.recognize.morphology_ru import ENDING_LEN, TOKEN_RE, lemmas
from gazetteer.recognize.spans import Span, add_postings, is_sentence_start, strong
from gazetteer.recognize.words import GEO_NOUNS

#: A token: (start, end, text).
_Token = tuple[int, int, str]


@lru_cache(maxsize=50_000)
def _ru_token_ok(tok: str, first: bool, strong_place: bool) -> bool:
    """Reject capitalised Russian words that are names of people or ordinary words.

    Cached: it depends on nothing but its arguments, and the morphological analysis it runs
    costs more than the rest of the Russian recogniser."""
    morph = analyzer()
    parses = morph.parse(tok)[:3]
    tags = [str(p.tag) for p in parses]
    if any(x in tags[0] for x in ("Name", "Surn", "Patr", "Orgn")):
        return False
    if any("Geox" in t for t in tags):
        return True
    if morph.word_is_known(tok.lower()):
        # a dictionary word that is not a toponym: "При", "Мир", "Победа"
        return strong_place and not first
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
    toks = _tokens(text)
    spans: list[Span] = []
    i = 0
    n = len(toks)
    memo = idx.ru_token_memo
    if len(memo) > _RU_TOKEN_MEMO_MAX:
        memo.clear()
    while i < n:
        s0, e0, t0 = toks[i]
        lem0, lower_first, adj, general = memo.get(t0) or _ru_token_info(t0, idx)
        if t0[:1].isupper() or lower_first:
            best = _longest_name(text, toks, i, lem0, idx)
            if best is not None:
                count, nid = best
                e = toks[i + count - 1][1]
                span = Span(s0, e, text[s0:e], reasons=["matched by lemma"])
                add_postings(span, idx, nid)
                if not span.places:
                    i += count  # a curated non-place ("Единая Россия"): skip its words
                    continue
                if _names_a_place(span, text, toks, i, count, idx):
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
        or strong(sp, idx)
    ]


def _tokens(text: str) -> list[_Token]:
    """The tokens of ``text`` with their offsets, from one split (gaps and tokens alternate)
    and running sums of the pieces' lengths: no Python-level step per token."""
    pieces = _TOKEN_SPLIT.split(text)
    offsets = [0, *accumulate(map(len, pieces))]
    return list(zip(offsets[1:-1:2], offsets[2::2], pieces[1::2], strict=True))


def _longest_name(
    text: str, toks: list[_Token], i: int, first_lemmas: tuple[str, ...], idx: CompiledIndex
) -> tuple[int, int] | None:
    """The longest indexed name of up to five tokens starting at token ``i`` (whose lemmas
    are ``first_lemmas``), as (token count, name id), or None."""
    best: tuple[int, int] | None = None
    frontier = list(first_lemmas)
    for j in range(i, min(len(toks), i + 5)):
        if j > i:
            # names do not run across punctuation other than a hyphen or space
            gap = text[toks[j - 1][1] : toks[j][0]]
            if gap.strip():
                break
            frontier = [
                f"{p} {lm}" for p in frontier if p in idx.ru_prefixes for lm in lemmas(toks[j][2])
            ]
            if not frontier:
                break
        for key in frontier:
            nid = idx.ru_names.get(key)
            if nid is not None:
                best = (j - i + 1, nid)
                break
    return best


def _names_a_place(
    span: Span, text: str, toks: list[_Token], i: int, count: int, idx: CompiledIndex
) -> bool:
    """Is a name matched at token ``i`` a place here? A lone capitalised word that is not
    curated may be a person's name or an ordinary word."""
    t0 = toks[i][2]
    if count != 1 or not t0[:1].isupper() or any(map(idx.curated.__getitem__, span.places)):
        return True
    if not _ru_token_ok(t0, is_sentence_start(text, span.start), strong(span, idx)):
        return False
    # "Никола Пашиняна", "Владимира Путина": a first name, not a place
    return not (
        i + 1 < len(toks)
        and toks[i + 1][2][:1].isupper()
        and not strong(span, idx)
        and _ru_person(toks[i + 1][2])
    )


@lru_cache(maxsize=100_000)
def _first_tag(tok: str) -> str:
    return str(analyzer().parse(tok)[0].tag)


def _ru_person_words(toks: list[_Token], text: str, idx: CompiledIndex | None = None) -> set[str]:
    """Lemmas of capitalised words the text uses in people's names: both words of a
    capitalised pair where one is a first name, surname or patronymic ("Марко Рубио")."""
    out: set[str] = set()
    for (s1, e1, a), (s2, _e2, b) in zip(toks, toks[1:], strict=False):
        if not (a[:1].isupper() and b[:1].isupper()) or text[e1:s2] != " ":
            continue
        if is_sentence_start(text, s1) and len(a) <= 3:
            continue
        if any(x in _first_tag(a) or x in _first_tag(b) for x in ("Name", "Surn", "Patr")):
            out.add(lemmas(a)[0])
            out.add(lemmas(b)[0])
        elif (
            idx is not None
            and not is_sentence_start(text, s1)
            and _unknown_word(a)
            and not any(lm in idx.ru_names or lm in idx.ru_prefixes for lm in lemmas(a))
        ):
            # "Лино Овьедо", "Ёсихико Нода": a foreign first name the dictionary does not
            # know, before a word that is also a place, is a person's name
            out.add(lemmas(b)[0])
    return out


@lru_cache(maxsize=50_000)
def _unknown_word(tok: str) -> bool:
    return not analyzer().word_is_known(tok.lower())


def _ru_adjective(text: str, toks: list[_Token], i: int, idx: CompiledIndex) -> Span | None:
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
