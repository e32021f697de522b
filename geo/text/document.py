"""One source, read once: the text facts every per-source stage shares.

A :class:`Document` is built once per source (:meth:`Document.read`, called by
:func:`geo.build.process.process_source` and ``conflictmap places``) from a
:class:`~geo.models.Source` and the place mentions the gazetteer recognised in its text. It owns what used to be worked out again by each stage: the language the rules use
(``en`` or ``ru``), the publication date, the boilerplate spans and the mentions outside
them, the dateline, the paragraphs, and the sentences of a paragraph. Sentences are split
only when asked for, once per paragraph: razdel is the costly part, and event extraction needs
the sentences of the paragraphs that hold a trigger only.

A plain class, not a pydantic model: it never crosses a process or file boundary (the
:class:`~geo.models.SourceResult` does), and it caches what it works out.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Literal

from geo.text.datelines import find_dateline
from geo.text.sentences import Segment, paragraphs, split_paragraph

if TYPE_CHECKING:
    from gazetteer import Gazetteer
    from gazetteer.models import Mention
    from geo.models import Source

__all__ = ["Document", "Lang"]

Lang = Literal["en", "ru"]


class Document:
    """A source with what its text tells every stage, each worked out once.

    Parameters
    ----------
    source:
        The source; its ``language`` picks the rules (``ru``, or ``en`` for any other).
    mentions:
        The place mentions recognised in ``source.text`` (``Gazetteer.geoparse``); the
        document keeps those outside boilerplate, in the order given.
    """

    def __init__(self, source: Source, mentions: Iterable[Mention] = ()) -> None:
        self.source = source
        self.text = source.text
        self.lang: Lang = "ru" if source.language == "ru" else "en"
        self.published: date | None = source.published
        #: The recognised place mentions outside boilerplate.
        self.mentions: list[Mention] = [
            m for m in mentions if not source.in_boilerplate(m.start, m.end)
        ]
        self._sentences: dict[int, list[Segment]] = {}

    @classmethod
    def read(cls, source: Source, gazetteer: Gazetteer) -> Document:
        """The document of ``source`` with the places the gazetteer recognises in it."""
        # The gazetteer reads the language tag as given (the document keeps only en/ru).
        return cls(source, gazetteer.geoparse(source.text, lang=source.language))

    def in_boilerplate(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside a boilerplate span."""
        return self.source.in_boilerplate(start, end)

    @functools.cached_property
    def dateline(self) -> tuple[int, int] | None:
        """The span of the dateline ("MOSCOW (AP) —") that opens the story, if any."""
        return find_dateline(self.text)

    @functools.cached_property
    def paragraphs(self) -> list[Segment]:
        """The non-blank lines of the text, in order."""
        return list(paragraphs(self.text))

    def sentences(self, para: Segment) -> list[Segment]:
        """The sentences of paragraph ``para`` (one of :attr:`paragraphs`), split once."""
        found = self._sentences.get(para.paragraph)
        if found is None:
            found = self._sentences[para.paragraph] = split_paragraph(self.text, para)
        return found
