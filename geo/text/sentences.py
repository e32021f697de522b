"""Sentence and clause segmentation for English and Russian news text.

Sentences come from `razdel <https://github.com/natasha/razdel>`_ (rule based, fast, good on
both languages), run one paragraph (line) at a time so that headlines and link lists without
final punctuation never run into the next paragraph. A thin repair step re-joins the splits
razdel makes after English month abbreviations ("Oct. 28"), which news datelines use a lot.

Clauses are cut at the connectors that start a new predication (";", ", while", ", but",
", and ... said", " — ", "а", "но"): an event's place and date are looked for in its own clause
first. Offsets always index the original text. The abbreviations and connectors are data
(``geo/data/sentences.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict
from razdel import sentenize

__all__ = ["Segment", "sentences", "split_paragraph", "clauses", "paragraphs"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A span of the source text: a paragraph, sentence or clause.

    A plain dataclass, not a pydantic model: segments never cross a module boundary as data,
    and a source makes hundreds of them.
    """

    start: int
    end: int
    text: str
    paragraph: int = 0


class _Words(BaseModel):
    """``geo/data/sentences.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    abbreviations: tuple[str, ...]
    clause_connectors: tuple[str, ...]
    introductions: tuple[str, ...]


_WORDS = _Words.model_validate(
    yaml.safe_load(
        resources.files("geo").joinpath("data/sentences.yaml").read_text(encoding="utf-8")
    )
)

# razdel splits "Oct. 28" and "Gen. Smith"; re-join when the left piece ends with one of these.
_ABBREV_END = re.compile(
    r"(?:\b(?:" + "|".join(map(re.escape, _WORDS.abbreviations)) + r")\.)$", re.IGNORECASE
)
_PARA = re.compile(r"[^\n]+")


def paragraphs(text: str) -> Iterator[Segment]:
    """Non-blank lines of ``text``; each line of a news file is a paragraph."""
    for i, m in enumerate(_PARA.finditer(text)):
        if m.group().strip():
            yield Segment(start=m.start(), end=m.end(), text=m.group(), paragraph=i)


def sentences(text: str) -> list[Segment]:
    """Split ``text`` into sentences with offsets into ``text``."""
    out: list[Segment] = []
    for para in paragraphs(text):
        out.extend(split_paragraph(text, para))
    return out


def split_paragraph(text: str, para: Segment) -> list[Segment]:
    """The sentences of one paragraph of ``text`` (offsets into ``text``)."""
    out: list[Segment] = []
    pieces = [(para.start + s.start, para.start + s.stop) for s in sentenize(para.text)]
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        # The abbreviations are short: test the piece's tail (with the char before it, for
        # the word boundary) rather than search the whole piece.
        if merged and (
            _ABBREV_END.search(text[max(merged[-1][0], merged[-1][1] - 12) : merged[-1][1]])
            or _open_quote(text[merged[-1][0] : merged[-1][1]])
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    for start, end in merged:
        out.append(Segment(start=start, end=end, text=text[start:end], paragraph=para.paragraph))
    return out


def _open_quote(piece: str) -> bool:
    """Whether a piece leaves a typographic quotation open (an elision "…" inside a quote)."""
    return piece.count("“") > piece.count("”") or piece.count("«") > piece.count("»")


# A new clause starts at these connectors (the connector belongs to the new clause).
_CLAUSE_CUT = re.compile(
    r"\s*;\s*"
    r"|,\s+(?=(?:" + "|".join(_WORDS.clause_connectors) + r")\b)"
    r"|\s+[—–]\s+"
    r"|\s+-\s+",
    re.IGNORECASE,
)


# An introductory adverbial ("Ahead of the talks in Baku, Lavrov accused ...") is a clause of
# its own: its event is not the main clause's.
_INTRO = re.compile(
    r"^\s*(?:" + "|".join(_WORDS.introductions) + r")\b[^,;]{3,120}?,\s+", re.IGNORECASE
)


def clauses(sentence: Segment) -> list[Segment]:
    """Split a sentence into clauses; offsets stay in the coordinates of the source text."""
    out: list[Segment] = []
    pos = 0
    text = sentence.text
    intro = _INTRO.match(text)
    if intro:
        out.append(_sub(sentence, 0, len(intro.group().rstrip(", "))))
        pos = intro.end()
    for m in _CLAUSE_CUT.finditer(text, pos):
        if m.start() > pos:
            out.append(_sub(sentence, pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append(_sub(sentence, pos, len(text)))
    return out or [sentence]


def _sub(sentence: Segment, a: int, b: int) -> Segment:
    return Segment(
        start=sentence.start + a,
        end=sentence.start + b,
        text=sentence.text[a:b],
        paragraph=sentence.paragraph,
    )
