"""Resolution by the document's geography: a namesake inside the division the text names
beats a bigger one elsewhere, and the explanation says why (sentences written for these
tests)."""

from __future__ import annotations

import pytest

from gazetteer import Gazetteer


def _chosen(gaz: Gazetteer, text: str, surface: str, lang: str = "en") -> tuple[str, str, str]:
    """(country, admin-1, chosen reasons) of the mention ``surface``."""
    (mention,) = [m for m in gaz.geoparse(text, lang) if m.text == surface]
    place = gaz.get(mention.place_id)
    return place.country_code or "", place.admin1 or "", mention.explanation[-2]


@pytest.mark.parametrize(
    ("text", "surface", "lang", "country", "admin1", "reason"),
    [
        # a Ukrainian village and the US state and city: "in the <Y> region"
        (
            "Shelling hit the village of New York in the Donetsk region.",
            "New York",
            "en",
            "UA",
            "Donetska oblast",
            "the text places it in Donetska oblast",
        ),
        # the region named further on in the same sentence, in Russian
        (
            "Армия обстреляла Нью-Йорк под Торецком в Донецкой области.",
            "Нью-Йорк",
            "ru",
            "UA",
            "Donetska oblast",
            "its sentence names Donetska oblast",
        ),
        # "X, a village near Z in Y oblast": the oblast is in the sentence, not next to X
        (
            "Russian forces shelled New York, a village near Toretsk in Donetsk oblast.",
            "New York",
            "en",
            "UA",
            "Donetska oblast",
            "its sentence names Donetska oblast",
        ),
        # a Mexican town with a bigger namesake in El Salvador: "X, <state>"
        (
            "Gunmen attacked a police post in Santa Ana, Sonora, late on Friday.",
            "Santa Ana",
            "en",
            "MX",
            "Sonora",
            "the text places it in Sonora",
        ),
        # "in the state of <Y>"
        (
            "Soldiers clashed with cartel gunmen in Guadalupe in the state of Nuevo Leon.",
            "Guadalupe",
            "en",
            "MX",
            "Nuevo León",
            "the text places it in Nuevo León",
        ),
        # one of many Ukrainian Novoselivkas: the oblast opens the sentence
        (
            "A drone struck Pokrovsk. In Donetsk Oblast, shelling also hit Bakhmut and Novoselivka.",
            "Novoselivka",
            "en",
            "UA",
            "Donetska oblast",
            "its sentence names Donetska oblast",
        ),
        # the oblast named in an earlier paragraph is what the document is about
        (
            "Fighting continued in Donetsk Oblast.\n\nLater, troops entered Novoselivka.",
            "Novoselivka",
            "en",
            "UA",
            "Donetska oblast",
            "the document is about Donetska oblast",
        ),
    ],
)
def test_a_namesake_in_the_named_division_wins(
    gazetteer: Gazetteer, text: str, surface: str, lang: str, country: str, admin1: str, reason: str
) -> None:
    cc, a1, reasons = _chosen(gazetteer, text, surface, lang)
    assert (cc, a1) == (country, admin1)
    assert reason in reasons


def test_without_a_regional_cue_the_big_namesake_stays(gazetteer: Gazetteer) -> None:
    cc, _, reasons = _chosen(gazetteer, "Stocks rose in New York on Monday.", "New York")
    assert cc == "US"
    assert "contains it" not in reasons and "places it in" not in reasons


def test_a_division_is_no_context_of_its_own_name(gazetteer: Gazetteer) -> None:
    # "Garissa" the county must not vouch for "Garissa" the town
    text = "Bandits raided Garissa in Kenya's north-east; later they struck Mandera."
    for surface in ("Garissa", "Mandera"):
        assert "contains it" not in _chosen(gazetteer, text, surface)[2]


def test_several_states_in_a_sentence_place_none_of_its_towns(gazetteer: Gazetteer) -> None:
    text = "Storms moved from Texas into Oklahoma and hit Paris overnight."
    assert "its sentence names" not in _chosen(gazetteer, text, "Paris")[2]
