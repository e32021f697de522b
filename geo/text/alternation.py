"""Fast scanning with a long alternation of regular expressions.

Python's ``re`` tries the branches of an alternation one after the other at every position of
the text. A branch that opens with a literal character is skipped with one comparison, but a
branch that opens with a group (``(?P<talks>...)``, ``(?:tele)?phone``) is entered every time.
:func:`dispatch_regex` rewrites a list of patterns into one alternation whose branches each
open with a literal first character, with the patterns that can start with that character
inside it in their original order: the engine tries exactly the branches it tried before, in
the same order, so matches are identical, but rejects all the others at once. On the trigger
lexicon this makes the whole-text scan ~1.7× and the context checks >10× faster.

Only the pattern shapes the lexicons use are rewritten (a literal character, a class of
literal characters, a non-capturing group, optionally followed by ``?``); for anything else
:func:`dispatch_regex` returns None and the caller keeps its plain alternation.

:class:`AnchoredScanner` goes one step further for a whole-text scan: every branch starts with
a literal word (``talks``, ``phone``, ``бо``), so an Aho-Corasick automaton (pyahocorasick)
finds the few positions where a match can start and the regex is tried only there.
"""

from __future__ import annotations

import re

import ahocorasick

__all__ = [
    "AnchoredScanner",
    "dispatch_regex",
    "first_chars",
    "literal_prefixes",
    "split_alternatives",
]

_META = set("\\[](){}.*+?^$|")
_QUANT = set("?*+{")
# Case-sensitive escapes (\W, \S, \D, \B, \A, \Z) would change meaning when lower-cased, and
# inline flags or lookarounds at a branch start are not rewritten.
_UNSUPPORTED = re.compile(r"\\[A-Z]|\(\?[a-zA-Z<=!P]")


def _class_end(p: str, i: int) -> int:
    """Index of the ``]`` closing the character class opened at ``p[i]`` (-1 if none)."""
    k = i + 1
    if p[k : k + 1] == "^":
        k += 1
    if p[k : k + 1] == "]":
        k += 1
    while k < len(p):
        if p[k] == "\\":
            k += 2
            continue
        if p[k] == "]":
            return k
        k += 1
    return -1


def _top_level(p: str) -> list[tuple[int, str]] | None:
    """(index, character) of the parentheses and bars of ``p`` outside escapes and classes."""
    out = []
    k = 0
    while k < len(p):
        ch = p[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "[":
            k = _class_end(p, k)
            if k < 0:
                return None
        elif ch in "()|":
            out.append((k, ch))
        k += 1
    return out


def _close(p: str, i: int) -> int:
    """Index of the parenthesis closing the one opened at ``p[i]`` (-1 if unbalanced)."""
    depth = 0
    for k, ch in _top_level(p[i:]) or []:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + k
    return -1


def split_alternatives(p: str) -> list[str]:
    """The top-level alternatives of the regular expression ``p``."""
    marks = _top_level(p)
    if marks is None:
        return [p]
    out, depth, start = [], 0, 0
    for k, ch in marks:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            out.append(p[start:k])
            start = k + 1
    out.append(p[start:])
    return out


def first_chars(alt: str) -> list[tuple[str, str]] | None:
    """``alt`` (one alternative) as (first character, rest) pairs, in the order the regex
    engine would try them; None for a start this module does not rewrite."""
    if not alt:
        return None
    ch = alt[0]
    if ch not in _META:
        return None if alt[1:2] and alt[1] in _QUANT else [(ch, alt[1:])]
    if ch == "[":
        end = _class_end(alt, 0)
        body = alt[1:end] if end > 0 else ""
        if not body or any(c in _META or c == "-" for c in body):
            return None  # empty, negated, ranges or escapes
        if alt[end + 1 : end + 2] and alt[end + 1] in _QUANT:
            return None
        return [(c, alt[end + 1 :]) for c in dict.fromkeys(body)]
    if not alt.startswith("(?:"):
        return None
    end = _close(alt, 0)
    if end < 0:
        return None
    after = alt[end + 1 :]
    optional = after[:1] == "?"
    if optional:
        after = after[1:]
        if after[:1] and after[0] in "?+":
            return None  # lazy or possessive
    elif after[:1] and after[0] in _QUANT:
        return None
    # (?:A|B)R is tried as AR, then BR; (?:A)?R as AR, then R.
    out: list[tuple[str, str]] = []
    for branch in split_alternatives(alt[3:end]) + ([""] if optional else []):
        sub = first_chars(branch + after)
        if sub is None:
            return None
        out += sub
    return out


def _expand(patterns: list[tuple[str, str]]) -> list[tuple[str, str, str]] | None:
    """Every (label, first character, rest) of the lower-cased patterns' alternatives, in the
    order the regex engine tries them; None if one has a shape that is not rewritten."""
    out: list[tuple[str, str, str]] = []
    for label, pattern in patterns:
        if _UNSUPPORTED.search(pattern):
            return None
        for alt in split_alternatives(pattern.lower()):
            pairs = first_chars(alt)
            if pairs is None:
                return None
            out += [(label, ch, rest) for ch, rest in pairs]
    return out


def dispatch_regex(patterns: list[tuple[str, str]]) -> tuple[str, dict[str, str]] | None:
    """One alternation, for lower-cased text, equivalent to trying ``patterns`` in order.

    ``patterns`` are (label, regular expression) pairs. Returns the regex text (to be wrapped
    by the caller, e.g. in ``(?<!\\w)...(?!\\w)``) and a mapping from group names to labels:
    a match's ``lastgroup`` names the label of the pattern that matched. None if a pattern
    has a shape that is not rewritten.
    """
    expanded = _expand(patterns)
    if expanded is None:
        return None
    buckets: dict[str, list[tuple[str, str]]] = {}
    for label, ch, rest in expanded:
        buckets.setdefault(ch, []).append((label, rest))
    names: dict[str, str] = {}
    branches = []
    for ch, items in buckets.items():
        groups: list[list[str]] = []
        prev = None
        for label, rest in items:
            if label != prev:
                names[f"g{len(names)}"] = label
                groups.append([])
                prev = label
            groups[-1].append(rest)
        first = len(names) - len(groups)
        alternation = "|".join(
            f"(?P<g{first + i}>{'|'.join(rests)})" for i, rests in enumerate(groups)
        )
        branches.append(f"{re.escape(ch)}(?:{alternation})")
    return "(?:" + "|".join(branches) + ")", names


def _literal_run(rest: str) -> str:
    """The literal characters ``rest`` starts with (one before a quantifier is not literal)."""
    out: list[str] = []
    for ch in rest:
        if ch in _META:
            if ch in _QUANT and out:
                out.pop()
            break
        out.append(ch)
    return "".join(out)


def literal_prefixes(patterns: list[str]) -> set[str] | None:
    """Strings one of which every match of ``patterns`` (lower-cased) starts with; None if a
    pattern has a shape :func:`first_chars` does not rewrite."""
    expanded = _expand([("", p) for p in patterns])
    if expanded is None:
        return None
    return {ch + _literal_run(rest) for _, ch, rest in expanded}


class AnchoredScanner:
    """``regex.finditer(text)`` for a regex whose matches all start with one of ``prefixes``.

    The automaton finds every occurrence of a prefix; the regex is matched (anchored) at those
    positions only, left to right, skipping positions inside the previous match, which is
    what ``finditer`` does for matches that are never empty. Lookbehinds still see the text
    before the position. Several times faster than ``finditer`` on news text, where a trigger
    word starts at one position in a few hundred.
    """

    def __init__(self, regex: re.Pattern[str], prefixes: set[str]) -> None:
        if not prefixes or "" in prefixes:
            raise ValueError("every match needs a non-empty literal prefix")
        self.regex = regex
        self._automaton = ahocorasick.Automaton()
        for prefix in prefixes:
            self._automaton.add_word(prefix, len(prefix))
        self._automaton.make_automaton()

    def finditer(self, text: str) -> list[re.Match[str]]:
        """The matches of the regex in ``text``, as ``finditer`` would give them."""
        starts = sorted({end - n + 1 for end, n in self._automaton.iter(text)})
        out: list[re.Match[str]] = []
        done = 0
        match = self.regex.match
        for pos in starts:
            if pos < done:
                continue
            m = match(text, pos)
            if m is not None:
                out.append(m)
                done = m.end()
        return out
