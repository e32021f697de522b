"""Summit or talks, by who meets (issue 12): two or more heads of state or government meeting,
or one hosting another, is a summit; ministers, officials and negotiators hold talks."""

from __future__ import annotations

from datetime import date

import pytest

from geo.events.extract import extract_events
from geo.models import Source
from geo.text.document import Document

PUBLISHED = date(2023, 5, 20)  # a Saturday


def types(gazetteer, text: str, lang: str) -> set[tuple[str, str | None, str | None]]:
    source = Source(source_id="s", path="s.txt", text=text, published=PUBLISHED, language=lang)
    events = extract_events(Document(source, gazetteer.geoparse(text, lang)), gazetteer)
    return {(e.event_type, e.place, e.date) for e in events}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # heads the lexicon knows, by name or office
        ("ru", "Путин провёл встречу с Эрдоганом в Анкаре в пятницу.", ("summit", "Ankara")),
        (
            "en",
            "Erdogan hosted his Azerbaijani counterpart in Ankara on Monday.",
            ("summit", "Ankara"),
        ),
        # titles of heads the lexicon does not know
        (
            "en",
            "Greek Prime Minister Kyriakos Mitsotakis met Ukrainian President Volodymyr "
            "Zelenskyy in Odesa on Wednesday.",
            ("summit", "Odesa"),
        ),
        (
            "en",
            "The leaders of Armenia and Azerbaijan met in Prague on Thursday.",
            ("summit", "Prague"),
        ),
        (
            "ru",
            "В понедельник в Минске состоялись переговоры президентов России и Белоруссии.",
            ("summit", "Minsk"),
        ),
        ("ru", "Лидеры трёх стран встретились в Сочи в пятницу.", ("summit", "Sochi")),
        # ministers, officials, negotiators: talks
        ("en", "Lavrov met his Turkish counterpart in Ankara on Monday.", ("talks", "Ankara")),
        ("en", "Blinken met Pashinyan in Yerevan on Monday.", ("talks", "Yerevan")),
        ("en", "Tribal leaders met the governor in Kassala on Monday.", ("talks", "Kassala")),
        (
            "ru",
            "Министры иностранных дел Армении и Азербайджана провели переговоры в Алма-Ате в пятницу.",
            ("talks", "Almaty"),
        ),
        ("ru", "Лавров провёл переговоры с Пашиняном в Ереване в пятницу.", ("talks", "Yerevan")),
        (
            "ru",
            "Вице-премьер России встретился с президентом Армении в Ереване в пятницу.",
            ("talks", "Yerevan"),
        ),
    ],
)
def test_summit_or_talks_by_who_meets(gazetteer, lang, text, expected):
    got = types(gazetteer, text, lang)
    assert {(etype, place) for etype, place, _ in got} == {expected}


def test_talks_of_a_summit_join_it(gazetteer):
    # "the Sochi talks" named later are the summit, not talks beside it
    text = (
        "Russian President Vladimir Putin will host talks in Sochi on Monday between the leaders "
        "of Armenia and Azerbaijan, the Kremlin said. Without commenting directly on the Sochi "
        "talks, Price said that the world knows the history."
    )
    assert types(gazetteer, text, "en") == {("summit", "Sochi", "2023-05-22")}
