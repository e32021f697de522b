"""Actors (people, armed forces, organisations) and party names, in English and Russian.

The lexicon is committed data (``geo/data/actors.yaml``). Matching works on normalised token
sequences: English tokens are lower-cased and lose a possessive "'s"; Russian tokens are
lemmatised with pymorphy3, so "Пашиняном", "Пашиняна" and "Пашинян" are one alias, and
"российских миротворцев" matches "российские миротворцы". Only tokens that could start or
continue an alias (by a four-letter prefix) are lemmatised, which keeps matching fast.

An office ("Armenian Prime Minister", "президент Азербайджана") stands for its holder only
while they hold it: roles carry validity dates and are used only when the source date is known.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from importlib import resources
from typing import cast

import yaml
from pydantic import BaseModel, ConfigDict, Field

from gazetteer.morphology import analyzer
from geo.events import words as event_words

__all__ = [
    "Actor",
    "ActorMention",
    "ActorLexicon",
    "HEAD_KINDS",
    "HeadTitles",
    "PartyMention",
    "load_lexicon",
]

#: Actor kinds that are heads of state or government (two of them meeting make a summit).
HEAD_KINDS = frozenset({"head_of_state", "head_of_government"})


class Role(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)

    valid_from: date | None = Field(default=None, alias="from")
    valid_to: date | None = Field(default=None, alias="to")
    en: list[str] = Field(default_factory=list)
    ru: list[str] = Field(default_factory=list)

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)


class Actor(BaseModel):
    """One entry of the lexicon."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: str
    party: str | None = None
    en: list[str] = Field(default_factory=list)
    ru: list[str] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)


class ActorMention(BaseModel):
    """An actor found in a text (offsets into that text)."""

    start: int
    end: int
    text: str
    name: str
    kind: str
    party: str | None = None
    via_role: bool = False


class PartyMention(BaseModel):
    """A word that names a party (demonym, country name, capital as metonym)."""

    start: int
    end: int
    text: str
    party: str


_COORDINATED = {
    # "\b" before the first capital, written as a lookbehind after it: a pattern that starts
    # with a character class is searched by a fast scan for that class.
    "en": re.compile(
        r"([A-Z](?<!\w[A-Z])[\w-]+)\s+(?:and|or)\s+([A-Z][\w-]+)\s+"
        "(" + event_words.alternation("coordinated_force_nouns", "en") + r")\b"
    ),
    "ru": re.compile(
        r"(?<!\w)([а-яё]+(?:ие|ые|ских|ских))\s+и\s+([а-яё]+(?:ие|ые|ских))\s+"
        "(" + event_words.alternation("coordinated_force_nouns", "ru") + r")(?!\w)",
        re.IGNORECASE,
    ),
}
# Each pattern's nouns contain one of these: a quick test first (most sentences have none).
_EN_NOUNS = tuple(event_words.words("coordinated_force_keys", "en"))
_RU_NOUN_STEMS = tuple(event_words.words("coordinated_force_keys", "ru"))
# Letters that case-insensitive matching takes for Cyrillic ones but lower() leaves alone.
_RU_ODD = re.compile("[\u1c80-\u1c88]")
# Hyphens separate tokens ("Putin-Aliyev talks"); aliases are split the same way, so
# "Kassym-Jomart Tokayev" still matches as a sequence.
_TOKEN = re.compile(r"[\w.]+(?:['’][\w]+)*", re.UNICODE)


@functools.lru_cache(maxsize=200_000)
def lemmas_ru(word: str) -> frozenset[str]:
    """Every normal form pymorphy3 considers (top three parses) plus the word itself.

    Surnames are ambiguous in the nominative ("Пашинян" also parses as a plural of
    "пашинянин"), so alias and text match when their sets of lemmas meet.
    """
    low = word.lower().replace("ё", "е")
    if not re.search("[а-яё]", low):
        return frozenset({low})
    forms = {str(p.normal_form).replace("ё", "е") for p in analyzer().parse(word)[:3]}
    return frozenset(forms | {low})


def _norm_en(tok: str) -> str:
    t = tok.lower().rstrip(".")
    for suffix in ("'s", "’s"):
        if t.endswith(suffix):
            return t[: -len(suffix)]
    return t.rstrip("'’")


class HeadTitles:
    """Titles that name heads of state or government without naming them, in one language
    (``head_titles`` of ``geo/data/actors.yaml``): ``pattern`` finds them (group ``several``
    for a plural, ``counterpart`` for "his counterpart"); ``blocked_before`` and
    ``blocked_after`` match the words that make a title someone else's."""

    def __init__(self, words: dict[str, list[str]]) -> None:
        def alt(key: str) -> str:
            return "|".join(words.get(key, [])) or "(?!)"

        self.pattern = re.compile(
            rf"(?<![\w-])(?:(?P<several>{alt('several')})|(?P<counterpart>{alt('counterparts')})"
            rf"|(?:{alt('one')}))(?![\w-])",
            re.IGNORECASE,
        )
        self.blocked_before = re.compile(rf"(?<![\w-])(?:{alt('not_after')})[\s-]*$", re.I)
        self.blocked_after = re.compile(rf"^\s*(?:{alt('not_before')})(?!\w)", re.IGNORECASE)


class _Entry(BaseModel):
    tokens: tuple[frozenset[str], ...]
    caps: tuple[bool, ...]
    value: str
    actor: Actor | None = None
    role: Role | None = None


# An entry unpacked for the match loop: token count, tokens, caps, role, the entry.
_Cand = tuple[int, tuple[frozenset[str], ...], tuple[bool, ...], Role | None, _Entry]
_NO_CANDS: tuple[_Cand, ...] = ()

# What a token's text tells: its surface (without trailing dots), its normalised forms, and
# the entries of the actor and of the party index whose first token it may be.
_Info = tuple[str, frozenset[str], tuple[_Cand, ...], tuple[_Cand, ...]]


class _Tokens:
    """The tokens of a text: per token its :data:`_Info`; start offsets on demand (most
    sentences name no actor and never need them)."""

    __slots__ = ("text", "infos", "_starts")

    def __init__(self, text: str, infos: list[_Info]) -> None:
        self.text = text
        self.infos = infos
        self._starts: list[int] | None = None

    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [m.start() for m in _TOKEN.finditer(self.text)]
        return self._starts

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Offsets of tokens ``i`` .. ``j - 1``."""
        starts = self.starts()
        return starts[i], starts[j - 1] + len(self.infos[j - 1][0])


class ActorLexicon:
    """Compiled actor and party lexicon. Build once with :func:`load_lexicon`."""

    def __init__(
        self,
        actors: list[Actor],
        demonyms: dict[str, dict[str, list[str]]],
        head_titles: dict[str, dict[str, list[str]]] | None = None,
    ) -> None:
        #: Titles of heads of state or government by language.
        self.head_titles = {lang: HeadTitles(w) for lang, w in (head_titles or {}).items()}
        self._index: dict[str, dict[str, list[_Entry]]] = {"en": {}, "ru": {}}
        self._party_index: dict[str, dict[str, list[_Entry]]] = {"en": {}, "ru": {}}
        self._prefixes: set[str] = set()
        # Token information by token text and language (news text repeats its words).
        self._infos: dict[str, dict[str, _Info]] = {"en": {}, "ru": {}}
        self._token_cache: dict[tuple[str, str], _Tokens] = {}
        for actor in actors:
            for lang in ("en", "ru"):
                for alias in getattr(actor, lang):
                    self._add(self._index, lang, alias, actor.name, actor=actor)
                for role in actor.roles:
                    for alias in getattr(role, lang):
                        self._add(self._index, lang, alias, actor.name, actor=actor, role=role)
        for party, langs in demonyms.items():
            for lang, words in langs.items():
                for word in words:
                    self._add(self._party_index, lang, word, party)

    def _norm_tokens(self, text: str, lang: str) -> tuple[frozenset[str], ...]:
        toks = [m.group() for m in _TOKEN.finditer(text)]
        if lang == "ru":
            return tuple(lemmas_ru(t) for t in toks)
        return tuple(frozenset({_norm_en(t)}) for t in toks)

    def _add(
        self,
        index: dict[str, dict[str, list[_Entry]]],
        lang: str,
        alias: str,
        value: str,
        actor: Actor | None = None,
        role: Role | None = None,
    ) -> None:
        toks = self._norm_tokens(alias, lang)
        if not toks:
            return
        # Names must be capitalised in the text ("Trump", not "trump"); offices need not be.
        caps = tuple(m.group()[:1].isupper() and role is None for m in _TOKEN.finditer(alias))
        entry = _Entry(tokens=toks, caps=caps, value=value, actor=actor, role=role)
        for key in toks[0]:
            bucket = index[lang].setdefault(key, [])
            bucket.append(entry)
            bucket.sort(key=lambda e: -len(e.tokens))
        if lang == "ru":
            for t in toks:
                self._prefixes.update(f[:4] for f in t)

    def _tokens(self, text: str, lang: str) -> _Tokens:
        # The same sentence is tokenised for actors, parties and its clauses; the tokens are
        # a pure function of the text (callers only read them).
        key = (text, lang)
        hit = self._token_cache.get(key)
        if hit is not None:
            return hit
        if len(self._token_cache) > 4096:
            self._token_cache.clear()
        out = self._token_cache[key] = self._tokenize(text, lang)
        return out

    def _tokenize(self, text: str, lang: str) -> _Tokens:
        known = self._infos[lang]
        if len(known) > 200_000:
            known.clear()  # bounded memory on huge vocabularies
        get = known.get
        words = _TOKEN.findall(text)
        infos = [get(w) for w in words]
        if None in infos:
            infos = [info or self._info(w, lang) for w, info in zip(words, infos, strict=True)]
        return _Tokens(text, infos)  # type: ignore[arg-type]  # no None left

    def _info(self, word: str, lang: str) -> _Info:
        """The :data:`_Info` of one token text (cached by the caller)."""
        surface = word.rstrip(".") or word
        if lang == "ru":
            low = surface.lower().replace("ё", "е")
            # Only words that could belong to an alias are worth a morphological parse.
            norm = lemmas_ru(surface) if low[:4] in self._prefixes else frozenset({low})
        else:
            key = _norm_en(surface)
            norm = frozenset({key})
            index, party = self._index[lang], self._party_index[lang]
            # Most words start no entry: two dict tests instead of two bucket lookups.
            if key not in index and key not in party:
                info = (surface, norm, _NO_CANDS, _NO_CANDS)
                self._infos[lang][word] = info
                return info
        info = (
            surface,
            norm,
            self._entries(self._index[lang], norm),
            self._entries(self._party_index[lang], norm),
        )
        self._infos[lang][word] = info
        return info

    @staticmethod
    def _entries(index: dict[str, list[_Entry]], keys: frozenset[str]) -> tuple[_Cand, ...]:
        """The entries whose first token one of ``keys`` is, longest first."""
        if len(keys) == 1:
            # One key: its bucket is already sorted longest first (see _add).
            entries = index.get(next(iter(keys)), [])
        else:
            entries = []
            for key in keys:
                entries.extend(index.get(key, ()))
            entries.sort(key=lambda e: -len(e.tokens))
        if not entries:
            return _NO_CANDS
        return tuple((len(e.tokens), e.tokens, e.caps, e.role, e) for e in entries)

    def _match(
        self, slot: int, toks: _Tokens, when: date | None = None
    ) -> list[tuple[int, int, _Entry]]:
        """Longest alias matches, left to right: (first token, end token, entry). ``slot`` is
        2 for the actor index, 3 for the party index (the position in :data:`_Info`)."""
        infos = toks.infos
        found: list[tuple[int, int, _Entry]] = []
        nxt = 0
        size = len(infos)
        for i in [i for i, info in enumerate(infos) if info[slot]]:
            if i < nxt:
                continue  # inside the previous match
            for n, tokens, caps, role, entry in cast(tuple[_Cand, ...], infos[i][slot]):
                if i + n > size:
                    continue
                # Token 0 shares a key with the entry (that is how its bucket was found).
                if caps[0] and not infos[i][0][:1].isupper():
                    continue
                for k in range(1, n):
                    info = infos[i + k]
                    if not info[1] & tokens[k] or (caps[k] and not info[0][:1].isupper()):
                        break
                else:
                    if role is not None and not role.valid_on(when):
                        continue
                    found.append((i, i + n, entry))
                    nxt = i + n
                    break
        return found

    def find_actors(
        self, text: str, lang: str = "en", when: date | None = None
    ) -> list[ActorMention]:
        """Actors named in ``text``; offices count only when ``when`` falls in the term."""
        lang = "ru" if lang == "ru" else "en"
        toks = self._tokens(text, lang)
        out: list[ActorMention] = []
        for i, j, entry in self._match(2, toks, when):
            actor = entry.actor
            if actor is None:
                continue
            start, end = toks.span(i, j)
            out.append(
                ActorMention(
                    start=start,
                    end=end,
                    text=text[start:end],
                    name=actor.name,
                    kind=actor.kind,
                    party=actor.party,
                    via_role=entry.role is not None,
                )
            )
        out.extend(self._coordinated(text, lang, when, out))
        return sorted(out, key=lambda a: a.start)

    def _coordinated(
        self, text: str, lang: str, when: date | None, found: list[ActorMention]
    ) -> list[ActorMention]:
        """ "Azerbaijani and Armenian forces": the first adjective shares the noun."""
        extra: list[ActorMention] = []
        # Each pattern needs one of its nouns: most sentences have none.
        if lang == "en":
            if not any(noun in text for noun in _EN_NOUNS):
                return extra
        elif not _RU_ODD.search(text):
            low = text.lower()  # the Russian pattern ignores case
            if not any(noun in low for noun in _RU_NOUN_STEMS):
                return extra
        for m in _COORDINATED[lang].finditer(text):
            first, noun = m.group(1), m.group(3)
            if any(a.start <= m.start(1) < a.end for a in found):
                continue
            for a in self.find_actors(f"{first} {noun}", lang, when):
                extra.append(
                    a.model_copy(update={"start": m.start(1), "end": m.end(1), "text": m.group(1)})
                )
        return extra

    def find_parties(self, text: str, lang: str = "en") -> list[PartyMention]:
        """Words that name a party: demonyms, possessives, capitals used for governments."""
        lang = "ru" if lang == "ru" else "en"
        toks = self._tokens(text, lang)
        out = []
        for i, j, entry in self._match(3, toks):
            start, end = toks.span(i, j)
            out.append(PartyMention(start=start, end=end, text=text[start:end], party=entry.value))
        return out

    def party_of_word(self, word: str, lang: str = "en") -> str | None:
        """The party a single word names ("Armenian" -> "Armenia"), or None."""
        found = self.find_parties(word, lang)
        return found[0].party if found else None


@functools.lru_cache(maxsize=1)
def load_lexicon() -> ActorLexicon:
    """The packaged actor lexicon (parsed once per process)."""
    text = resources.files("geo").joinpath("data/actors.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    actors = [Actor.model_validate(a) for a in data.get("actors", [])]
    return ActorLexicon(actors, data.get("demonyms", {}), data.get("head_titles", {}))
