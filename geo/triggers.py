"""Event triggers: the words that mark an event of the vocabulary, in English and Russian.

Patterns live in ``geo/data/triggers.yaml`` (per language and event type, with the contexts
that cancel them: "called for a ceasefire", "refused to send troops"). :class:`TriggerFinder`
scans a whole text once and hands each sentence its triggers.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from geo.models import LAYER_OF
from geo.sentences import Segment, clauses

__all__ = ["DIPLOMACY", "VIOLENCE", "Trigger", "TriggerFinder", "TriggerSet", "load_triggers"]

VIOLENCE = {"clash", "ceasefire", "deployment", "territory_transfer"}
DIPLOMACY = {"summit", "talks", "call", "visit"}


@dataclass
class TriggerSet:
    """Compiled trigger patterns of one language."""

    patterns: list[tuple[str, re.Pattern[str]]]
    need_context: dict[str, re.Pattern[str]]
    negative: re.Pattern[str] | None
    negative_after: dict[str, re.Pattern[str]]
    negative_before: dict[str, re.Pattern[str]]
    combined: re.Pattern[str]
    combined_lower: re.Pattern[str]
    weak: dict[str, re.Pattern[str]]


@functools.lru_cache(maxsize=4)
def load_triggers(lang: str) -> TriggerSet:
    """The compiled triggers of ``lang`` (``en`` or ``ru``) from ``geo/data/triggers.yaml``."""
    raw = resources.files("geo").joinpath("data/triggers.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)[lang if lang == "ru" else "en"]
    patterns = []
    need = {}
    weak: dict[str, re.Pattern[str]] = {}
    groups = []
    for etype in LAYER_OF:
        spec = data.get(etype) or {}
        pats = spec.get("patterns") or []
        if pats:
            groups.append(f"(?P<{etype}>" + "|".join(f"(?:{p})" for p in pats) + ")")
            patterns.append(
                (etype, re.compile(r"(?<!\w)(?:" + "|".join(pats) + r")(?!\w)", re.IGNORECASE))
            )
        if spec.get("need_context"):
            need[etype] = re.compile("|".join(spec["need_context"]), re.IGNORECASE)
        if spec.get("weak"):
            weak[etype] = re.compile("|".join(spec["weak"]), re.IGNORECASE)
    neg = data.get("negative") or []
    neg_after = {
        k: re.compile("|".join(v), re.IGNORECASE)
        for k, v in (data.get("negative_after") or {}).items()
    }
    neg_before = {
        k: re.compile("|".join(f"(?<!\\w)(?:{n})" for n in v), re.IGNORECASE)
        for k, v in (data.get("negative_before") or {}).items()
    }
    return TriggerSet(
        weak=weak,
        combined=re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)", re.IGNORECASE),
        combined_lower=re.compile(
            r"(?<!\w)(?:" + "|".join(groups).lower().replace("(?p<", "(?P<") + r")(?!\w)"
        ),
        negative_before=neg_before,
        patterns=patterns,
        need_context=need,
        # Every negative context starts at a word boundary ("не" must not match "регионе").
        negative=re.compile("|".join(f"(?<!\\w)(?:{n})" for n in neg), re.IGNORECASE)
        if neg
        else None,
        negative_after=neg_after,
    )


@dataclass
class Trigger:
    """One trigger found in a text."""

    etype: str
    start: int  # absolute offsets in the source text
    end: int
    text: str
    sent: int
    clause: Segment


class TriggerFinder:
    """All trigger matches of one text, found in one pass; sentences pick theirs by offset."""

    def __init__(self, text: str, lang: str, dateline: tuple[int, int] | None) -> None:
        self.text = text
        self.triggers = load_triggers(lang)
        self.dateline = dateline
        low = text.lower()
        # Matching lower-cased text without IGNORECASE is about twice as fast; a few letters
        # change length when lower-cased, and then the offsets would not line up.
        scan, scanned = (
            (self.triggers.combined_lower, low)
            if len(low) == len(text)
            else (self.triggers.combined, text)
        )
        self._hits = [
            (m.start(), m.end(), m.lastgroup or "", text[m.start() : m.end()])
            for m in scan.finditer(scanned)
        ]
        self._hit_starts = [h[0] for h in self._hits]

    def any_in(self, start: int, end: int) -> bool:
        """Whether a trigger word starts in ``[start, end)`` (before any context check)."""
        i = bisect.bisect_left(self._hit_starts, start)
        return i < len(self._hits) and self._hits[i][0] < end

    def in_sentence(self, si: int, sent: Segment) -> list[Trigger]:
        """The triggers of sentence ``si``, each with its clause; the longer of two overlapping
        triggers wins ("phone call" over "call")."""
        found: list[Trigger] = []
        text = sent.text
        cls: list[Segment] = []
        lo = bisect.bisect_left(self._hit_starts, sent.start)
        hi = bisect.bisect_left(self._hit_starts, sent.end)
        for hstart, hend, etype, htext in self._hits[lo:hi]:
            if hend > sent.end:
                continue
            need = self.triggers.need_context.get(etype)
            a, b = hstart - sent.start, hend - sent.start
            start = hstart
            if self.dateline and start < self.dateline[1]:
                continue
            before = text[max(0, a - 60) : a]
            after = text[b : b + 80]
            if self.triggers.negative and self.triggers.negative.search(before):
                continue
            neg_before = self.triggers.negative_before.get(etype)
            if neg_before and neg_before.search(before):
                continue
            neg_after = self.triggers.negative_after.get(etype)
            if neg_after and neg_after.search(after):
                continue
            # Some words are an event only with a marker of that event in the sentence.
            weak = self.triggers.weak.get(etype)
            if (
                need
                and (weak is None or weak.fullmatch(htext))
                and not need.search(text)
                and not need.search(htext)
            ):
                continue
            cls = cls or clauses(sent)
            clause = next((c for c in cls if c.start <= start < c.end), sent)
            found.append(Trigger(etype, start, hend, htext, si, clause))
        # Overlaps: the longer trigger wins ("phone call" over "call").
        found.sort(key=lambda t: (t.start, -(t.end - t.start)))
        out: list[Trigger] = []
        for t in found:
            if out and t.start < out[-1].end:
                continue
            out.append(t)
        return out
