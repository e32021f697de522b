"""Datelines: the "MOSCOW (AP) —" or "Moscow, Oct 28 (AFP/APP):" that opens a news story.

A dateline says where the story was filed, never where its events happened; the event layer
skips place mentions inside it and never uses it as an event place.
"""

from __future__ import annotations

import re

__all__ = ["find_dateline"]

# Datelines: "MOSCOW (AP) -", "Moscow, Oct 28 (AFP/APP):", "KYIV —", "МОСКВА, 28 окт — РИА".
_DATELINE = re.compile(
    r"^\s*(?:"
    r"[A-ZА-ЯЁ][A-ZА-ЯЁ .'’-]{2,40}(?:,\s*[^\n(]{2,30}?)?\s*\([^)\n]{1,40}\)\s*[-—–:]?"
    r"|[A-ZА-ЯЁ][\w .'’-]{1,30},\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[а-яё]+\.?)"
    r"(?:\s*\([^)\n]{1,40}\))?\s*[-—–:]"
    r"|[A-ZА-ЯЁ]{3,}(?:[ ,]+[A-ZА-ЯЁ]{2,})*\s*[-—–]\s"
    r")",
    re.MULTILINE,
)


def find_dateline(text: str) -> tuple[int, int] | None:
    """The span of the dateline at the start of the text's first paragraphs, if any."""
    head = text[:600]
    for m in _DATELINE.finditer(head):
        # A dateline opens the story: allow a headline line before it, not more.
        if head[: m.start()].count("\n") <= 3:
            return m.start(), m.end()
    return None
