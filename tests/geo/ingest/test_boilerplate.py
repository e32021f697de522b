"""Boilerplate spans: site footers, credits, separators, link lists and adverts."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.ingest.boilerplate import find_boilerplate
from geo.models import Source


def _blocked(text: str) -> str:
    return "\n".join(text[s.start : s.end] for s in find_boilerplate(text))


def _covered(text: str, needle: str) -> bool:
    start = text.index(needle)
    src = Source(source_id="t", path="t", text=text, boilerplate=find_boilerplate(text))
    return src.in_boilerplate(start, start + len(needle))


ARTICLE = (
    "Russian President Vladimir Putin will host talks in Sochi on Monday.\n"
    "Armenia and Azerbaijan have fought two wars over Nagorno-Karabakh in three decades.\n"
    "Deadly clashes in September along the border have raised fears of a fresh conflict.\n"
    "Follow-up talks will be held in Geneva next week, a spokesman said.\n"
    "Like the previous talks, the meeting will be closed to the press.\n"
    "The ceasefire deal offers both sides a way to exchange prisoners.\n"
    "Reporting from the front line remains difficult.\n"
    "Related talks in Minsk: the sides met again on Friday, officials said.\n"
    "Photographs from Stepanakert showed damaged buildings.\n"
    "Video footage from Shusha showed the cathedral on fire after shelling on Thursday.\n"
    "State Department spokesman Ned Price said the price of war was high.\n"
)


def test_plain_article_has_no_boilerplate() -> None:
    assert find_boilerplate(ARTICLE) == []


def test_seed_000_footer(seeds_dir: Path) -> None:
    text = (seeds_dir / "000_76d729122949cfe9.txt").read_text(encoding="utf-8")
    assert _blocked(text) == "Follow the PNI Facebook page for the latest news and updates."


def test_seed_002_credits_advert_and_link_list(seeds_dir: Path) -> None:
    text = (seeds_dir / "002_f983e600a59fb805.txt").read_text(encoding="utf-8")
    for furniture in (
        "____ ____",
        "Avet Demourian from Yerevan, Armenia",
        "You should check here to buy the best price guaranteed products.",
        "Last News",
        "Ikea Japan",
        "Ghislaine Maxwell’s Demands",
    ):
        assert _covered(text, furniture), furniture
    for story in (
        "Mishustin stressed the need",
        "Russian Prime Minister Mikhail Mishustin visited",
    ):
        assert not _covered(text, story), story


@pytest.mark.parametrize(
    "seed", ["001_a2153b96d9194469", "003_25647d25b5e993b4", "004_52f5e189ca4c6ea6"]
)
def test_other_seeds_keep_all_their_text(seeds_dir: Path, seed: str) -> None:
    text = (seeds_dir / f"{seed}.txt").read_text(encoding="utf-8")
    assert find_boilerplate(text) == []


@pytest.mark.parametrize(
    "footer",
    [
        "Reporting by Jane Doe in Kyiv; Editing by John Roe",
        "Additional reporting by Anna Smith in Tbilisi.",
        "Reuters correspondents in Moscow and Baku contributed to this story.",
        "* * *",
        "-----",
        "© 2024 Example News. All rights reserved.",
        "Subscribe to our Telegram channel for breaking news from Donetsk.",
        "Sign up for our newsletter to get the latest from Kharkiv.",
        "Подписывайтесь на наш канал в Telegram.",
        "При подготовке материала использованы данные агентства из Москвы.",
        "Click here to buy discount products today.",
        "ADVERTISEMENT",
        "Реклама",
        "Photo: AFP / Getty Images in Kyiv",
        "Фото: ТАСС",
        "Read more: Armenia and Azerbaijan agree on border commission",
        "READ MORE | Kremlin says Putin will meet Aliyev in Baku",
        "Читайте также: Пашинян прибыл в Москву",
    ],
)
def test_synthetic_footer_lines(footer: str) -> None:
    text = ARTICLE + footer + "\n"
    assert _blocked(text) == footer


def test_headed_link_lists_in_both_languages() -> None:
    related = (
        "Related stories\n"
        "Ukraine says it retook village near Bakhmut\n"
        "Why the Black Sea grain deal collapsed\n"
        "Kremlin denies drone attack on Moscow\n"
    )
    ru = "Читайте также:\nВ Донецке прогремели взрывы\nПереговоры в Стамбуле отложены\n"
    for tail in (related, ru):
        text = ARTICLE + "\n" + tail
        assert _blocked(text) == tail.rstrip("\n")


def test_heading_word_inside_prose_is_kept() -> None:
    text = "Related talks were held in Minsk.\n" + ARTICLE
    assert find_boilerplate(text) == []


def test_unlabelled_headlines_after_a_footer_are_dropped() -> None:
    tail = (
        "____\n"
        "Associated Press writer Jim Heintz in Moscow contributed to this report.\n"
        "Tanks roll into the border town of Sumy\n"
        "Peace talks stall in Riyadh\n"
    )
    text = ARTICLE + tail
    assert _blocked(text) == tail.rstrip("\n")


def test_spans_are_merged_and_index_the_text() -> None:
    text = ARTICLE + "____ ____\nReporting by A. B.; Editing by C. D.\n"
    (span,) = find_boilerplate(text)
    assert text[span.start : span.end] == "____ ____\nReporting by A. B.; Editing by C. D."
