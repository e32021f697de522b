"""geo.text.alternation: the rewritten alternation finds exactly what the plain one finds."""

from __future__ import annotations

import re

import pytest
import yaml

from geo.events.triggers import load_triggers, violence_patterns
from geo.models import LAYER_OF
from geo.text.alternation import (
    AnchoredScanner,
    dispatch_regex,
    first_chars,
    literal_prefixes,
    split_alternatives,
)
from tests import REPO


def test_split_alternatives_respects_groups_classes_and_escapes() -> None:
    assert split_alternatives(r"a|(?:b|c)d|[|x]|\|y") == ["a", "(?:b|c)d", "[|x]", r"\|y"]


@pytest.mark.parametrize(
    ("alt", "expected"),
    [
        ("war", [("w", "ar")]),
        (r"(?:tele)?phone\s+call", [("t", r"elephone\s+call"), ("p", r"hone\s+call")]),
        ("(?:ab|cd)e", [("a", "be"), ("c", "de")]),
        ("[ая]бв", [("а", "бв"), ("я", "бв")]),
        ("a?b", None),  # a quantified first character
        ("[a-z]b", None),  # a range
        (r"\d+", None),  # an escape
        ("(x)y", None),  # a capturing group
        ("(?:ab)*c", None),  # a repeated group
    ],
)
def test_first_chars(alt: str, expected: list[tuple[str, str]] | None) -> None:
    assert first_chars(alt) == expected


def test_unsupported_patterns_are_refused() -> None:
    assert dispatch_regex([("x", r"\Wfoo")]) is None  # case-sensitive escape
    assert dispatch_regex([("x", r"(?<![\d,])\d{1,3}")]) is None  # lookbehind


def _plain(patterns: list[tuple[str, str]]) -> re.Pattern[str]:
    groups: dict[str, list[str]] = {}
    for label, p in patterns:
        groups.setdefault(label, []).append(p)
    body = "|".join(
        f"(?P<{label}>" + "|".join(f"(?:{p})" for p in ps) + ")" for label, ps in groups.items()
    )
    return re.compile(r"(?<!\w)(?:" + body + r")(?!\w)", re.IGNORECASE)


def test_first_branch_in_order_wins_like_the_plain_alternation() -> None:
    # "met" comes before "meeting" in the lexicon: both regexes stop at the same branch.
    pats = [("talks", "met"), ("talks", "meetings?"), ("visit", "(?:re)?visit(?:ed)?")]
    body, names = dispatch_regex(pats) or ("", {})
    fast = re.compile(r"(?<!\w)" + body + r"(?!\w)")
    text = "They met at a meeting and revisited the visited town; metal meets."
    plain = [(m.span(), m.lastgroup) for m in _plain(pats).finditer(text)]
    assert [(m.span(), names[m.lastgroup or ""]) for m in fast.finditer(text.lower())] == plain
    assert plain == [
        ((5, 8), "talks"),
        ((14, 21), "talks"),
        ((26, 35), "visit"),
        ((40, 47), "visit"),
    ]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_trigger_lexicon_is_rewritten_and_finds_the_same_triggers(lang: str) -> None:
    """The real lexicon, on the seed articles: every trigger and context check the same."""
    data = yaml.safe_load((REPO / "geo/data/triggers.yaml").read_text(encoding="utf-8"))[lang]
    ts = load_triggers(lang)
    assert ts.negative_lower is not None
    violence = violence_patterns(lang)
    labelled = [
        (et, p)
        for et in LAYER_OF
        for p in ((data.get(et) or {}).get("patterns") or [])
        + (violence["strong"] + violence["weak"] if et == "clash" else [])
    ]
    plain = _plain(labelled)
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    assert texts
    n = 0
    for text in texts:
        low = text.lower()
        want = [(m.span(), m.lastgroup) for m in plain.finditer(text)]
        got = [
            (m.span(), ts.combined_names[m.lastgroup or ""])
            for m in ts.combined_lower.finditer(low)
        ]
        assert got == want
        n += len(want)
        assert ts.negative is not None
        for i in range(0, len(text), 7):
            window = slice(max(0, i - 60), i)
            assert bool(ts.negative_lower.search(low[window])) == bool(
                ts.negative.search(text[window])
            )
            for etype, fast in ts.negative_before_lower.items():
                slow = ts.negative_before[etype]
                assert bool(fast.search(low[window])) == bool(slow.search(text[window]))
    assert n > 10


def test_literal_prefixes() -> None:
    assert literal_prefixes(["meets?", r"(?:tele)?phone\s+call", "бо(?:й|я)", "war"]) == {
        "meet",
        "telephone",
        "phone",
        "бо",
        "war",
    }
    assert literal_prefixes([r"\d+ killed"]) is None


def test_anchored_scanner_is_finditer() -> None:
    rx = re.compile(r"(?<!\w)(?:war|warn|meets?|met)(?!\w)")
    scanner = AnchoredScanner(rx, literal_prefixes(["war", "warn", "meets?", "met"]) or set())
    text = "forward war; warn met-meet meets metal swarm war"
    assert [m.span() for m in scanner.finditer(text)] == [m.span() for m in rx.finditer(text)]
    with pytest.raises(ValueError):
        AnchoredScanner(rx, {""})


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_trigger_scan_uses_the_automaton_and_matches_finditer(lang: str) -> None:
    ts = load_triggers(lang)
    assert ts.scanner is not None
    for path in sorted((REPO / "seeds").glob("*.txt")):
        low = path.read_text(encoding="utf-8").lower()
        want = [(m.span(), m.lastgroup) for m in ts.combined_lower.finditer(low)]
        assert [(m.span(), m.lastgroup) for m in ts.scanner.finditer(low)] == want
