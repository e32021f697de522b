"""Sentence and clause segmentation (English and Russian), offsets into the source text."""

from __future__ import annotations

import pytest

from geo.text.sentences import clauses, paragraphs, sentences


def test_headline_and_paragraphs_stay_apart():
    text = "Putin Holds Government Meeting\n\nRussian President Vladimir Putin held a meeting. He spoke."
    got = [s.text for s in sentences(text)]
    assert got == [
        "Putin Holds Government Meeting",
        "Russian President Vladimir Putin held a meeting.",
        "He spoke.",
    ]
    assert [p.paragraph for p in paragraphs(text)] == [0, 1]


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Talks were held on Oct. 28 in Moscow. They ended late.", 2),
        (
            "“Tripartite negotiations between… Putin, Aliyev and Pashinyan will be held,” it said. Next.",
            2,
        ),
        ("Путин встретился с Алиевым. Т.е. переговоры прошли в Сочи.", 2),
        ("В.В. Путин провёл переговоры. Потом он уехал.", 2),
    ],
)
def test_sentence_counts(text, n):
    got = sentences(text)
    assert len(got) == n, [s.text for s in got]
    for s in got:
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Armenia said it was open to a ceasefire, while Azerbaijan made it conditional.",
            ["Armenia said it was open to a ceasefire", "while Azerbaijan made it conditional."],
        ),
        ("MOSCOW (AP) - Russia sought talks.", ["MOSCOW (AP)", "Russia sought talks."]),
        (
            "Ahead of the Putin-Aliyev talks in Baku, Lavrov accused Yerevan.",
            ["Ahead of the Putin-Aliyev talks in Baku", "Lavrov accused Yerevan."],
        ),
        (
            "Стороны предприняли попытки, но успешным оказалось соглашение.",
            ["Стороны предприняли попытки", "но успешным оказалось соглашение."],
        ),
    ],
)
def test_clauses(sentence, expected):
    (s,) = sentences(sentence)
    got = clauses(s)
    assert [c.text for c in got] == expected
    for c in got:
        assert sentence[c.start : c.end] == c.text
