"""The violent-event lexicon: generated from its lemmas, and the forms it makes triggers of
(verbal, passive, nominal and headline forms of ACLED's sub-event types, in English and
Russian) with the contexts that keep ordinary words ("killed", "destroyed", "fired") out of
other stories."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from geo.events import lexicon
from geo.events.triggers import TriggerFinder
from geo.models import Source
from geo.text.document import Document


def clash_words(text: str, lang: str = "en") -> list[str]:
    doc = Document(Source(source_id="r", path="r.txt", text=text, language=lang))
    finder = TriggerFinder(doc)
    found = []
    for para in doc.paragraphs:
        for si, sent in enumerate(doc.sentences(para)):
            found += [t.text.lower() for t in finder.in_sentence(si, sent) if t.etype == "clash"]
    return found


def test_generated_file_is_up_to_date() -> None:
    data = resources.files("geo").joinpath("data")
    lemmas = yaml.safe_load(data.joinpath("violence_lemmas.yaml").read_text(encoding="utf-8"))
    written = data.joinpath("violence_triggers.yaml").read_text(encoding="utf-8")
    assert lexicon.render(lemmas) == written, "run `python -m geo.events.lexicon`"


def test_pattern_of_matches_exactly_its_forms() -> None:
    pattern = lexicon.pattern_of({"shell", "shelled", "shelling", "shells"})
    assert pattern == "shell(?:ing|ed|s|)"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Shelling kills 5 in Donetsk.", "kills"),  # headline: present tense, count before
        ("Ukrainian army shells Donetsk, two residents killed.", "shells"),
        ("The village was shelled overnight.", "shelled"),
        ("Three people were killed in an attack on the market.", "killed"),
        ("Five killed in east Ukraine as rebels press on.", "killed"),
        ("An airstrike hit the hospital.", "airstrike"),
        ("Gunmen opened fire on a checkpoint.", "opened fire"),
        ("Two soldiers were wounded by a landmine.", "wounded"),
        ("A roadside bomb struck the convoy.", "roadside bomb"),
        ("Militants threw a grenade at the police post.", "threw a grenade"),
        ("The enemy fired at a school.", "fired at"),
        ("Russian troops inflicted heavy losses on the brigade.", "inflicted heavy losses"),
        ("Ukrainian Armed Forces lost about 70 servicemen in a day.", "lost about 70 servicemen"),
    ],
)
def test_english_forms(text: str, word: str) -> None:
    assert word in clash_words(text)


@pytest.mark.parametrize(
    "text",
    [
        "He was killed in a car crash on the motorway.",
        "The flood destroyed dozens of houses.",
        "The coach was fired on Friday after the defeat.",
        "Shell reported record profits.",
        "The company posted losses for the third quarter.",
    ],
)
def test_english_ordinary_words_stay_out(text: str) -> None:
    assert clash_words(text) == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("ВСУ обстреляли Горловку.", "обстреляли"),
        ("Город был обстрелян ночью.", "обстрелян"),
        ("В результате авиаудара погибли трое мирных жителей.", "авиаудара"),
        ("Армия уничтожила колонну боевиков.", "уничтожила"),
        ("Военные открыли огонь по позициям противника.", "открыли огонь"),
    ],
)
def test_russian_forms(text: str, word: str) -> None:
    assert word in clash_words(text, "ru")


def test_russian_ordinary_words_stay_out() -> None:
    assert clash_words("Компания понесла потери на бирже.", "ru") == []
