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
from geo.text.alternation import AnchoredScanner, dispatch_regex, literal_prefixes
from geo.text.document import Document
from geo.text.sentences import Segment, clauses

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
    # Group names of ``combined_lower`` -> event type (see geo.text.alternation).
    combined_names: dict[str, str]
    # ``combined_lower`` tried only where a trigger's first word starts (None: finditer).
    scanner: AnchoredScanner | None
    # The contexts for lower-cased text, where they could be rewritten for speed.
    negative_lower: re.Pattern[str] | None
    negative_before_lower: dict[str, re.Pattern[str]]


def _lower_alternation(patterns: list[str]) -> re.Pattern[str] | None:
    r"""``(?<!\w)(?:p1|p2|...)`` for lower-cased text, rewritten by first character."""
    found = dispatch_regex([("", p) for p in patterns])
    return re.compile(r"(?<!\w)" + found[0]) if found else None


@functools.lru_cache(maxsize=4)
def load_triggers(lang: str) -> TriggerSet:
    """The compiled triggers of ``lang`` (``en`` or ``ru``) from ``geo/data/triggers.yaml``."""
    raw = resources.files("geo").joinpath("data/triggers.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)[lang if lang == "ru" else "en"]
    patterns = []
    need = {}
    weak: dict[str, re.Pattern[str]] = {}
    groups = []
    labelled: list[tuple[str, str]] = []
    for etype in LAYER_OF:
        spec = data.get(etype) or {}
        pats = spec.get("patterns") or []
        labelled += [(etype, p) for p in pats]
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
    neg_before_lower = {
        k: found
        for k, v in (data.get("negative_before") or {}).items()
        if (found := _lower_alternation(v)) is not None
    }
    dispatched = dispatch_regex(labelled)
    scanner = None
    if dispatched is not None:
        combined_lower = re.compile(r"(?<!\w)" + dispatched[0] + r"(?!\w)")
        names = dispatched[1]
        prefixes = literal_prefixes([p for _, p in labelled])
        if prefixes and "" not in prefixes:
            scanner = AnchoredScanner(combined_lower, prefixes)
    else:
        combined_lower = re.compile(
            r"(?<!\w)(?:" + "|".join(groups).lower().replace("(?p<", "(?P<") + r")(?!\w)"
        )
        names = {etype: etype for etype in LAYER_OF}
    return TriggerSet(
        weak=weak,
        combined=re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?!\w)", re.IGNORECASE),
        combined_lower=combined_lower,
        combined_names=names,
        scanner=scanner,
        negative_lower=_lower_alternation(neg) if neg else None,
        negative_before_lower=neg_before_lower,
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
    """All trigger matches of one document, found in one pass; sentences pick theirs by
    offset. No trigger starts in the dateline."""

    def __init__(self, doc: Document) -> None:
        text = doc.text
        self.triggers = load_triggers(doc.lang)
        self.dateline = doc.dateline
        low = text.lower()
        # Matching lower-cased text without IGNORECASE is about twice as fast. A few letters
        # change length when lower-cased (the offsets would not line up), and IGNORECASE takes
        # "ı" and "ſ" for "i" and "s" (see geo.text.tense): texts with those keep IGNORECASE.
        self._low = low if len(low) == len(text) and "ı" not in text and "ſ" not in text else None
        if self._low is not None:
            names = self.triggers.combined_names
            scanner = self.triggers.scanner
            found = (
                scanner.finditer(low)
                if scanner is not None
                else self.triggers.combined_lower.finditer(low)
            )
            self._hits = [
                (m.start(), m.end(), names[m.lastgroup or ""], text[m.start() : m.end()])
                for m in found
            ]
        else:
            self._hits = [
                (m.start(), m.end(), m.lastgroup or "", text[m.start() : m.end()])
                for m in self.triggers.combined.finditer(text)
            ]
        self._hit_starts = [h[0] for h in self._hits]

    def any_in(self, start: int, end: int) -> bool:
        """Whether a trigger word starts in ``[start, end)`` (before any context check)."""
        i = bisect.bisect_left(self._hit_starts, start)
        return i < len(self._hits) and self._hits[i][0] < end

    def _cancelled_before(self, etype: str, before: str, start: int, end: int) -> bool:
        """Whether a negative context ends just before a trigger (``before`` is
        ``text[start:end]``); lower-cased text is checked with the faster rewritten patterns."""
        ts = self.triggers
        low = self._low[start:end] if self._low is not None else None
        if low is not None and ts.negative_lower is not None:
            if ts.negative_lower.search(low):
                return True
        elif ts.negative and ts.negative.search(before):
            return True
        fast = ts.negative_before_lower.get(etype)
        if low is not None and fast is not None:
            return bool(fast.search(low))
        slow = ts.negative_before.get(etype)
        return bool(slow and slow.search(before))

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
            if self._cancelled_before(etype, before, sent.start + max(0, a - 60), hstart):
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
