"""Actor lexicon: canonical names across spellings, languages, declensions and offices."""

from __future__ import annotations

from datetime import date

import pytest

from geo.events.actors import load_lexicon
from geo.events.words import words


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


@pytest.mark.parametrize(
    ("text", "lang", "name"),
    [
        ("Armenian Prime Minister Nikol Pashinyan said", "en", "Nikol Pashinyan"),
        ("Prime Minister Nikol Pashinian's office", "en", "Nikol Pashinyan"),
        ("встреча с Пашиняном", "ru", "Nikol Pashinyan"),
        ("переговоры Путина и Алиева", "ru", "Vladimir Putin"),
        ("переговоры Путина и Алиевым", "ru", "Ilham Aliyev"),
        ("Sergei Lavrov met", "en", "Sergey Lavrov"),
        ("с Лавровым", "ru", "Sergey Lavrov"),
        ("в регионе разместились российские миротворцы", "ru", "Russian peacekeepers"),
        ("с участием российских миротворцев", "ru", "Russian peacekeepers"),
        ("Russian peacekeepers were deployed", "en", "Russian peacekeepers"),
        ("саммит ОДКБ", "ru", "CSTO"),
        ("the CSTO summit", "en", "CSTO"),
        ("EU chief Charles Michel", "en", "Charles Michel"),
        ("Erdoğan said", "en", "Recep Tayyip Erdogan"),
        ("с Зеленским", "ru", "Volodymyr Zelensky"),
        ("the OSCE Minsk Group co-chairs", "en", "OSCE Minsk Group"),
        ("Ahead of the Putin-Aliyev talks", "en", "Ilham Aliyev"),
        ("President Kassym-Jomart Tokayev", "en", "Kassym-Jomart Tokayev"),
    ],
)
def test_aliases(lex, text, lang, name):
    assert name in [a.name for a in lex.find_actors(text, lang, date(2021, 1, 1))]


def test_offices_count_only_during_the_term(lex):
    text = "the Armenian prime minister said"
    assert [a.name for a in lex.find_actors(text, "en", date(2020, 10, 9))] == ["Nikol Pashinyan"]
    assert lex.find_actors(text, "en", date(2015, 1, 1)) == []
    assert lex.find_actors(text, "en", None) == []


def test_names_must_be_capitalised(lex):
    assert lex.find_actors("they trump the others", "en") == []


def test_offsets_point_into_the_text(lex):
    text = "Позже в аппарате премьер-министра Армении Никола Пашиняна опровергли слухи."
    for a in lex.find_actors(text, "ru", date(2021, 11, 23)):
        assert text[a.start : a.end] == a.text


@pytest.mark.parametrize(
    ("word", "lang", "party"),
    [
        ("Armenian", "en", "Armenia"),
        ("Baku’s", "en", "Azerbaijan"),
        ("азербайджанский", "ru", "Azerbaijan"),
        ("Азербайджанской", "ru", "Azerbaijan"),
        ("Ереван", "ru", "Armenia"),
        ("Ukrainian", "en", "Ukraine"),
    ],
)
def test_parties(lex, word, lang, party):
    assert lex.party_of_word(word, lang) == party


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("fighting between Azerbaijani and Armenian forces", "en"),
        ("азербайджанские и армянские военные", "ru"),
    ],
)
def test_coordinated_adjectives_share_the_noun(lex, text, lang):
    names = [a.name for a in lex.find_actors(text, lang)]
    assert names == ["Azerbaijani Armed Forces", "Armenian Armed Forces"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_coordinated_force_noun_passes_the_quick_test(lang):
    # find_actors tries the coordination pattern only on text holding one of the keys.
    keys = words("coordinated_force_keys", lang)
    for noun in words("coordinated_force_nouns", lang):
        assert any(k in noun for k in keys), noun
