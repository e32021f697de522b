"""Recognition and resolution on real text, with the real compiled gazetteer."""

from __future__ import annotations

import pytest

from gazetteer import Gazetteer, Place
from gazetteer.errors import GazetteerError, PlaceNotFound


def _resolved(gaz: Gazetteer, text: str, lang: str = "en") -> dict[str, Place]:
    return {m.text: gaz.get(m.place_id) for m in gaz.geoparse(text, lang) if m.place_id}


# -- English seed sentences ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "surface", "name", "feature_type"),
    [
        ("Putin will host talks in Sochi on Monday.", "Sochi", "Sochi", "locality"),
        (
            "Deadly clashes along the Armenian-Azerbaijani border.",
            "Armenian-Azerbaijani border",
            "Armenia–Azerbaijan border",
            "border",
        ),
        (
            "peacekeepers were deployed along the Lachinsky corridor that connects Armenia",
            "Lachinsky corridor",
            "Lachin corridor",
            "corridor",
        ),
        (
            "Stepanakert, the capital of Nagorno-Karabakh, was heavily shelled.",
            "Stepanakert",
            "Stepanakert",
            "locality",
        ),
        ("a historic cathedral in the city of Shusha was shelled", "Shusha", "Shusha", "locality"),
        (
            "a road in the Syunik Province that will connect to Nakhichevan.",
            "Nakhichevan",
            "Nakhchivan",
            "locality",
        ),
        (
            "transit routes passing through the Syunik region of Armenia",
            "Syunik region",
            "Syunik Province",
            "admin1",
        ),
        ("the situation in the South Caucasus", "South Caucasus", "South Caucasus", "region"),
        ("Price told reporters in Washington.", "Washington", "Washington", "locality"),
    ],
)
def test_seed_places_resolve(
    gazetteer: Gazetteer, sentence: str, surface: str, name: str, feature_type: str
) -> None:
    found = _resolved(gazetteer, sentence)
    assert surface in found, found
    assert found[surface].name == name
    assert found[surface].feature_type == feature_type


def test_landmarks_stand_for_their_city(gazetteer: Gazetteer) -> None:
    text = "the Kremlin said, as ministers met on the sidelines of the UN General Assembly."
    mentions = gazetteer.geoparse(text)
    by_text = {m.text: m for m in mentions}
    assert by_text["Kremlin"].kind == "landmark"
    assert _resolved(gazetteer, text)["Kremlin"].name == "Moscow"
    assert _resolved(gazetteer, text)["UN General Assembly"].name == "New York City"


def test_coordinated_districts_english(gazetteer: Gazetteer) -> None:
    found = _resolved(
        gazetteer, "Armenia handed over the Kalbajar and Lachin districts to Azerbaijan."
    )
    assert found["Kalbajar"].place_id == "overlay:kalbajar-district"
    assert found["Lachin"].place_id == "overlay:lachin-district"


def test_mentions_are_sorted_explained_and_offsets_exact(gazetteer: Gazetteer) -> None:
    text = "Talks in Baku and Yerevan, then Moscow."
    mentions = gazetteer.geoparse(text)
    assert [m.text for m in mentions] == ["Baku", "Yerevan", "Moscow"]
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.explanation and m.candidates
        assert m.candidates[0].reasons
        assert 0 < m.confidence <= 1


# -- false positives ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Of course, nobody expected it.",
        "March was the coldest month. In May it rained.",
        "Reading the statement, he paused.",
        "Nice weather helped the rescuers.",
        "Mobile networks were down for hours.",
        "Lachin Ahmadov, a local journalist, said the road was open.",
        "President Ilham Aliyev spoke to Vladimir Putin.",
    ],
)
def test_words_and_people_are_not_places(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.geoparse(text) == []


def test_georgia_country_or_us_state_by_context(gazetteer: Gazetteer) -> None:
    caucasus = _resolved(
        gazetteer, "Russia's 2008 invasion of Georgia worried Tbilisi and Armenia."
    )
    assert caucasus["Georgia"].feature_type == "country"
    assert caucasus["Georgia"].country_code == "GE"
    us = _resolved(
        gazetteer,
        "Storms hit Atlanta and Savannah in Georgia, then moved on to Florida and Alabama.",
    )
    assert us["Georgia"].feature_type == "admin1"
    assert us["Georgia"].country_code == "US"


# -- Russian ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Бои шли в Кельбаджарском районе.", ["overlay:kalbajar-district"]),
        ("Колонна прошла по Лачинскому коридору.", ["overlay:lachin-corridor"]),
        ("Обстрелы в районе Шуши и Гянджи.", ["geonames:147105", "geonames:586523"]),
        (
            "Ереван передал Баку Кельбаджарский, Лачинский и Агдамский районы.",
            [
                "geonames:616052",
                "geonames:587084",
                "overlay:kalbajar-district",
                "overlay:lachin-district",
                "overlay:agdam-district",
            ],
        ),
        ("Затишье на физулинском направлении.", ["overlay:fuzuli-district"]),
        ("Переговоры прошли в Сочи и в Москве.", ["geonames:491422", "geonames:524901"]),
        ("Стрельба на армяно-азербайджанской границе.", ["overlay:armenia-azerbaijan-border"]),
    ],
)
def test_russian_inflected_and_adjectival_forms(
    gazetteer: Gazetteer, text: str, expected: list[str]
) -> None:
    assert [m.place_id for m in gazetteer.geoparse(text, "ru")] == expected


def test_russian_first_names_are_not_places(gazetteer: Gazetteer) -> None:
    text = "Путин встретился с премьер-министром Никола Пашиняном и Владимира Путина поддержали."
    assert gazetteer.geoparse(text, "ru") == []


# -- lookups and extension points ---------------------------------------------------------------------


def test_get_and_search(gazetteer: Gazetteer) -> None:
    moscow = gazetteer.get("geonames:524901")
    assert moscow.name == "Moscow" and moscow.country_code == "RU"
    with pytest.raises(PlaceNotFound):
        gazetteer.get("geonames:0")
    with pytest.raises(KeyError):  # PlaceNotFound is also a KeyError
        gazetteer.get("nowhere")
    assert issubclass(PlaceNotFound, GazetteerError)
    assert gazetteer.search("Khankendi")[0].place_id == "geonames:146970"
    assert gazetteer.search("Ханкенди", lang="ru")[0].place_id == "geonames:146970"
    assert gazetteer.search("Georgia")[0].feature_type == "country"
    assert len(gazetteer.search("Springfield", limit=3)) == 3


def test_geometries(gazetteer: Gazetteer) -> None:
    district = gazetteer.get("overlay:kalbajar-district")
    assert district.geometry is not None and district.geometry.type == "Polygon"
    assert district.geometry_approximate
    border = gazetteer.get("overlay:armenia-azerbaijan-border")
    assert border.geometry is not None and border.geometry.type in ("LineString", "MultiLineString")
    assert not border.geometry_approximate
    corridor = gazetteer.get("overlay:lachin-corridor")
    assert corridor.geometry is not None and corridor.geometry.type == "LineString"
    armenia = gazetteer.search("Armenia")[0]
    assert armenia.feature_type == "country"
    assert armenia.geometry is not None and armenia.geometry.type in ("Polygon", "MultiPolygon")
    russia = gazetteer.search("Russia")[0]
    assert (round(russia.lat), round(russia.lon)) == (60, 100)  # GeoNames' centre


def test_add_place_set_geometry_nearest() -> None:
    gaz = Gazetteer.load()  # a private copy: add_place changes it in memory
    place = Place(
        place_id="user:zorkville", name="Zorkville", feature_type="locality",
        lat=10.0, lon=10.0, dataset="user",
    )  # fmt: skip
    gaz.add_place(place, ["Zorkville", "Зорквиль"])
    assert [m.place_id for m in gaz.geoparse("Fighting near Zorkville today.")] == [
        "user:zorkville"
    ]
    assert [m.place_id for m in gaz.geoparse("Бои у Зорквиля.", "ru")] == ["user:zorkville"]
    square = {
        "type": "Polygon",
        "coordinates": [[[9.9, 9.9], [10.1, 9.9], [10.1, 10.1], [9.9, 10.1], [9.9, 9.9]]],
    }
    gaz.set_geometry("user:zorkville", square, approximate=True)
    got = gaz.get("user:zorkville")
    assert got.geometry is not None and got.geometry.type == "Polygon" and got.geometry_approximate
    near = gaz.nearest(55.75, 37.62, max_km=20)
    assert near is not None and near.name == "Moscow"
    assert gaz.nearest(0.0, -140.0, max_km=50) is None  # mid-Pacific


def test_add_place_twice_under_one_name_keeps_both() -> None:
    gaz = Gazetteer.load()  # a private copy: add_place changes it in memory
    for pid, lat in (("user:a", 10.0), ("user:b", -10.0)):
        place = Place(
            place_id=pid, name="Zorkville", feature_type="locality",
            lat=lat, lon=10.0, dataset="user",
        )  # fmt: skip
        gaz.add_place(place, ["Zorkville", "Зорквиль"])
    found = {m.place_id for m in gaz.geoparse("Fighting near Zorkville today.")}
    assert len(found) == 1
    mention = gaz.geoparse("Fighting near Zorkville today.")[0]
    assert {c.place_id for c in mention.candidates} == {"user:a", "user:b"}
    assert {p.place_id for p in gaz.search("Zorkville")} == {"user:a", "user:b"}
    assert {p.place_id for p in gaz.search("Зорквиль", lang="ru")} == {"user:a", "user:b"}
    # an added place never hides an indexed one of the same name
    moscow = Place(
        place_id="user:moscow", name="Moscow", feature_type="landmark",
        lat=1.0, lon=1.0, dataset="user",
    )  # fmt: skip
    gaz.add_place(moscow, ["Москва"])
    ids = {p.place_id for p in gaz.search("Москва", lang="ru")}
    assert {"user:moscow", "geonames:524901"} <= ids


# -- demonyms, adjectives, abbreviations, counties ----------------------------------------------------


def test_demonyms_only_when_switched_on() -> None:
    from gazetteer import GazetteerConfig

    text = "Armenian officials met Russian diplomats."
    plain = Gazetteer.load()
    assert plain.geoparse(text) == []
    with_demonyms = Gazetteer.load(GazetteerConfig(demonyms=True))
    found = {m.text: m for m in with_demonyms.geoparse(text)}
    assert found["Armenian"].kind == "demonym"
    assert with_demonyms.get(found["Armenian"].place_id or "").country_code == "AM"
    assert with_demonyms.get(found["Russian"].place_id or "").country_code == "RU"
    ru = {
        m.text: m.place_id
        for m in with_demonyms.geoparse("Российские и американские дипломаты.", "ru")
    }
    assert ru == {"Российские": "geonames:2017370", "американские": "geonames:6252001"}


def test_us_counties_and_ap_state_abbreviations(gazetteer: Gazetteer) -> None:
    found = _resolved(gazetteer, "Deputies in Laurel County said a man from London, Ky., was held.")
    assert found["Laurel County"].feature_type == "district"
    assert found["Laurel County"].admin1 == "Kentucky"
    assert found["Ky."].name == "Kentucky"
    # the London in Kentucky, not England: the document is about Kentucky
    assert found["London"].country_code == "US"
    # a lone abbreviation that could end a sentence is not a state
    assert "Pa." not in _resolved(gazetteer, "He thanked his Pa. Then he left.")


def test_every_overlay_place_loads_with_valid_geometry(gazetteer: Gazetteer) -> None:
    from gazetteer.sources.overlay import OverlaySource

    for entry in OverlaySource().entries():
        place = gazetteer.get(entry.place_id)  # validates the geometry (geojson-pydantic)
        assert place.dataset == "overlay"
        if place.geometry is not None and place.geometry.type in ("Polygon", "MultiPolygon"):
            from shapely.geometry import Point, shape

            # the representative point lies in (or next to) its own outline
            assert shape(place.geometry.model_dump()).distance(Point(place.lon, place.lat)) < 0.5


def test_edge_cases(gazetteer: Gazetteer) -> None:
    assert gazetteer.geoparse("") == []
    assert gazetteer.geoparse("", "ru") == []
    text = "Talks in Baku.\r\nThen Yerevan."
    assert [m.text for m in gazetteer.geoparse(text)] == ["Baku", "Yerevan"]
    # Latin-script names in Russian text still count
    assert [m.place_id for m in gazetteer.geoparse("Встреча в Baku.", "ru")] == ["geonames:587084"]


def test_generic_line_names_need_their_context(gazetteer: Gazetteer) -> None:
    karabakh = "Shelling along the line of contact near Agdam, Azerbaijan said."
    assert "overlay:karabakh-line-of-contact" in [m.place_id for m in gazetteer.geoparse(karabakh)]
    elsewhere = "Shelling along the line of contact near Donetsk, Ukraine said."
    assert "overlay:karabakh-line-of-contact" not in [
        m.place_id for m in gazetteer.geoparse(elsewhere)
    ]


def test_names_that_merely_contain_a_place(gazetteer: Gazetteer) -> None:
    assert gazetteer.geoparse("co-chairs of the OSCE Minsk Group met in Paris") != []
    assert [
        m.text for m in gazetteer.geoparse("co-chairs of the OSCE Minsk Group met in Paris")
    ] == ["Paris"]
    assert [
        m.text for m in gazetteer.geoparse("Депутаты Единой России посетили Казань.", "ru")
    ] == ["Казань"]


def test_datelines_in_capitals(gazetteer: Gazetteer) -> None:
    found = _resolved(gazetteer, "PLEASANTON, Calif. (AP) — Firefighters contained the blaze.")
    assert found["PLEASANTON"].name == "Pleasanton"
    assert found["PLEASANTON"].admin1 == "California"


@pytest.mark.parametrize(
    "text",
    [
        "“We both knew what that meant,” Kristina said.",
        "Safety stressed on St. Patrick's Day.",
        "Police Chief Robert Douglas said his officers came. Douglas said it was calm.",
        "It survived the administration of George Bush Sr and his secretary.",
    ],
)
def test_common_first_names_are_people(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.geoparse(text) == []


def test_first_names_that_the_text_locates_stay_places(gazetteer: Gazetteer) -> None:
    found = _resolved(
        gazetteer,
        "He moved to Marion last year. Traffic grew between Gainesville and Lindsay. "
        "Sen. Jones, R-Marshall, spoke. Houston and Virginia were hit.",
    )
    assert {"Marion", "Lindsay", "Marshall", "Houston", "Virginia"} <= set(found)


def test_landmark_actors_can_be_left_out() -> None:
    from gazetteer import GazetteerConfig

    gaz = Gazetteer.load(GazetteerConfig(landmark_actors=False))
    text = "The Kremlin said talks at the Kremlin would follow. Пресс-служба Кремля; в Кремле."
    located = [m.text for m in gaz.geoparse(text) if m.kind == "landmark"]
    assert located == ["Kremlin"]
    assert [m.start for m in gaz.geoparse(text) if m.kind == "landmark"] == [
        text.index("Kremlin w")
    ]
    ru = "Пресс-служба Кремля сообщила о переговорах в Кремле."
    assert [m.text for m in gaz.geoparse(ru, "ru") if m.kind == "landmark"] == ["Кремле"]


def test_parts_of_a_country_do_not_lend_it_their_name(gazetteer: Gazetteer) -> None:
    # countryinfo files Wales under GB: Wales must stay Wales, and the UK keep its own point
    found = _resolved(gazetteer, "He moved from Wales to the United Kingdom's capital.")
    assert found["Wales"].feature_type == "admin1"
    uk = gazetteer.search("United Kingdom")[0]
    assert uk.feature_type == "country" and round(uk.lat) == 54


@pytest.mark.parametrize(
    "text", ["Hamas fighters attacked at dawn.", "Voters turned out early and stayed late."]
)
def test_frequent_words_that_only_spell_a_town_are_words(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.geoparse(text) == []


def test_cities_inside_organisation_names(gazetteer: Gazetteer) -> None:
    text = (
        "Data was exploited by Cambridge Analytica. The Seattle Seahawks won. "
        "The Toronto Transit Commission and the European Commission met. Jackson Browne sang."
    )
    found = {m.text for m in gazetteer.geoparse(text)}
    assert {"Cambridge", "Seattle", "Toronto"} <= found
    assert "Toronto Transit Commission" not in found
    assert "Jackson" not in found  # a first name before a surname is a person


def test_only_divisions_qualify_a_name_after_a_comma(gazetteer: Gazetteer) -> None:
    # Nevada is also a town in Missouri, where a Louisiana lies: a list of states stays states
    found = _resolved(gazetteer, "Teams are heading to Hawaii and Guam, Louisiana, Nevada.")
    assert found["Louisiana"].feature_type == "admin1"
    assert _resolved(gazetteer, "A man from London, Ky., was held.")["London"].country_code == "US"


def test_datelines_with_an_agency_name_cities(gazetteer: Gazetteer) -> None:
    assert _resolved(gazetteer, "NEW YORK (AP) — Stocks fell.")["NEW YORK"].feature_type == (
        "locality"
    )
    found = _resolved(gazetteer, "(NEW YORK) — Police officers said.")
    assert found["NEW YORK"].feature_type == "locality"
    found = _resolved(gazetteer, "By Nate Raymond. BOSTON (Reuters) - The owner said.")
    assert found["BOSTON"].name == "Boston" and found["BOSTON"].country_code == "US"


def test_a_place_is_no_context_for_itself(gazetteer: Gazetteer) -> None:
    # Athens, Greece must not count its own region as "other places the document mentions"
    text = "A man from Augusta, Ga., was held in Clarke County, Georgia. Athens officers said."
    athens = _resolved(gazetteer, text)["Athens"]
    assert (athens.country_code, athens.admin1) == ("US", "Georgia")
    mention = next(m for m in gazetteer.geoparse("Athens is the capital.") if m.text == "Athens")
    assert not any("other places in" in r for c in mention.candidates for r in c.reasons)


def test_a_repeated_name_is_one_ambiguity_not_many_votes(gazetteer: Gazetteer) -> None:
    text = (
        "The Dublin school board met on Monday. Dublin officials said the levy failed. "
        "Dublin parents were upset. Parents drove in from Columbus and Hilliard, Ohio."
    )
    places = [
        gazetteer.get(m.place_id or "") for m in gazetteer.geoparse(text) if m.text == "Dublin"
    ]
    assert len(places) == 3 and all(p.country_code == "US" for p in places)


def test_a_demonym_is_no_village_of_the_same_spelling(gazetteer: Gazetteer) -> None:
    # demonyms are off by default: "Malian" must then be nothing, not the village of Malian
    assert gazetteer.geoparse("Troops advanced in Malian territory.") == []


def test_organisations_are_named_after_big_cities(gazetteer: Gazetteer) -> None:
    text = "HOUSTON (AP) — The Houston Rockets beat the Portland Trail Blazers. Dallas and San Antonio, Texas, lost."
    portland = _resolved(gazetteer, text)["Portland"]
    assert (portland.country_code, portland.admin1) == ("US", "Oregon")


def test_russian_foreign_first_name_before_a_place_word_is_a_person(gazetteer: Gazetteer) -> None:
    text = "Премьер-министр Японии Ёсихико Нода заявил, что Нода останется в Токио."
    assert {m.text for m in gazetteer.geoparse(text, "ru")} == {"Японии", "Токио"}


def test_russian_words_that_end_unlike_any_table_form_are_not_analysed(
    gazetteer: Gazetteer,
) -> None:
    """The ending filter skips morphology only for words no table lemma can be a form of."""
    from gazetteer.recognize.morphology_ru import lemmas
    from gazetteer.recognize.russian import _ru_token_info
    from gazetteer.recognize.words import GEO_NOUNS

    idx = gazetteer._idx
    targets = set(idx.ru_lower_first) | set(idx.ru_adjectives) | set(idx.ru_adj_general)
    targets |= set(GEO_NOUNS)
    # forms of place adjectives, geographic nouns and lower-case name starts are analysed
    for word in ("карабахскому", "районами", "границей", "линии", "армяно-азербайджанской"):
        lem, *_ = _ru_token_info(word, idx)
        assert lem == lemmas(word)
    # words of other shapes are not, and none of them is a form of a table lemma
    text = (
        "Переговоры продолжались несколько часов, стороны обменялись пленными, "
        "президент заявил журналистам, что перемирие соблюдается."
    )
    skipped = 0
    for word in text.replace(",", " ").replace(".", " ").split():
        if word[:1].isupper():
            continue
        lem, lower_first, adj, general = _ru_token_info(word, idx)
        if lem == ():
            skipped += 1
            assert not any(lm in targets for lm in lemmas(word))
            assert (lower_first, adj, general) == (False, None, None)
    assert skipped >= 4
    # the seed's district list still resolves ("Кельбаджарский, Лачинский и Агдамский районы")
    found = _resolved(
        gazetteer, "Ереван передал Баку Кельбаджарский, Лачинский и Агдамский районы.", "ru"
    )
    assert {"Кельбаджарский", "Лачинский"} <= set(found)


def test_text_with_a_lone_surrogate_is_read(gazetteer: Gazetteer) -> None:
    """Callers may pass str that is not valid UTF-8 (a lone surrogate): no error."""
    assert "Aleppo" in _resolved(gazetteer, "Fighting in Gaza \ud800 and Aleppo.")
