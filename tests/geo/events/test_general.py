"""Event extraction on short realistic reports from other conflicts (not the seeds).

Each report mixes datelines, weekday and relative dates, future tense, transfers, deployments,
calls and visits; the assertions pin type, place, date, status and actors of the events a
careful reader would map, and that the dateline never places them.
"""

from __future__ import annotations

from datetime import date

import pytest

from geo.events.extract import extract_events
from geo.models import Event, Source
from geo.text.document import Document


def events_of(gazetteer, text: str, published: date | None, lang: str) -> list[Event]:
    source = Source(source_id="r", path="r.txt", text=text, published=published, language=lang)
    return extract_events(Document(source, gazetteer.geoparse(text, lang)), gazetteer)


def find(events: list[Event], etype: str, place: str) -> Event:
    hits = [e for e in events if e.event_type == etype and e.place == place]
    assert hits, [(e.event_type, e.place, e.date) for e in events]
    return hits[0]


# (lang, published, text, [(type, place, date, status, actors ⊆, from_party, to_party)])
REPORTS = [
    (
        "en",
        date(2024, 3, 8),
        "KYIV, March 8 (Reuters) - Russian troops captured the village of Ivanivske near "
        "Bakhmut on Thursday, the Russian defence ministry said. Ukrainian forces withdrew from "
        "Avdiivka last month. President Volodymyr Zelensky will visit Odesa on Monday, his "
        "office said.",
        [
            (
                "territory_transfer",
                "Ivanivske",
                "2024-03-07",
                "occurred",
                {"Russian Armed Forces"},
                None,
                "Russia",
            ),
            ("territory_transfer", "Avdiyivka", "2024-02", "occurred", set(), "Ukraine", None),
            ("visit", "Odesa", "2024-03-11", "planned", {"Volodymyr Zelensky"}, None, None),
        ],
    ),
    (
        "en",
        date(2023, 6, 2),
        "KHARTOUM (AP) — Fighting between Sudan's army and the Rapid Support Forces raged in "
        "Khartoum on Wednesday, witnesses said. The RSF attacked El Fasher in North Darfur "
        "earlier this week. The warring parties agreed to a ceasefire in Jeddah on May 20, but "
        "it collapsed.",
        [
            (
                "clash",
                "Khartoum",
                "2023-05-31",
                "occurred",
                {"Sudanese Armed Forces", "Rapid Support Forces"},
                None,
                None,
            ),
            ("clash", "El Fasher", "2023-05-29", "occurred", {"Rapid Support Forces"}, None, None),
            ("ceasefire", "Jeddah", "2023-05-20", "occurred", set(), None, None),
        ],
    ),
    (
        "en",
        date(2023, 11, 24),
        "GAZA CITY — Hamas handed over 13 Israeli hostages to the Red Cross in Rafah on Friday. "
        "Israeli airstrikes hit Khan Younis overnight, health officials said. Egyptian President "
        "Abdel Fattah el-Sisi held a phone call with US President Joe Biden on Thursday.",
        [
            ("clash", "Khān Yūnis", "2023-11-23", "occurred", set(), None, None),
            (
                "call",
                "Cairo",
                "2023-11-23",
                "occurred",
                {"Abdel Fattah el-Sisi", "Joe Biden"},
                None,
                None,
            ),
        ],
    ),
    (
        "en",
        date(2023, 9, 1),
        "BAMAKO — Malian troops were deployed to Kidal on Tuesday as UN peacekeepers withdrew.",
        [("deployment", "Kidal", "2023-08-29", "occurred", {"Malian Armed Forces"}, None, None)],
    ),
    (
        "en",
        date(2024, 4, 15),
        "YANGON (Reuters) - Myanmar's military launched airstrikes on Myawaddy on Saturday. Thai "
        "officials visited Mae Sot on Friday.",
        [
            ("clash", "Myawaddy", "2024-04-13", "occurred", {"Myanmar Armed Forces"}, None, None),
            ("visit", "Mae Sot", "2024-04-12", "occurred", set(), None, None),
        ],
    ),
    (
        "en",
        date(2022, 11, 3),
        "ADDIS ABABA — The Ethiopian government and the Tigray People's Liberation Front signed "
        "a ceasefire agreement in Pretoria on Wednesday. Eritrean troops shelled Adwa in Tigray "
        "last week. An African Union envoy will travel to Mekelle next week.",
        [
            ("ceasefire", "Pretoria", "2022-11-02", "occurred", set(), None, None),
            ("clash", "Adwa", "2022-10-24", "occurred", {"Eritrean Defence Forces"}, None, None),
            ("visit", "Mek'ele", "2022-11-07", "planned", set(), None, None),
        ],
    ),
    (
        "en",
        date(2021, 1, 12),
        "Ethiopian federal forces retook the town of Adigrat from TPLF fighters on Monday, the "
        "army said.",
        [("territory_transfer", "Ādīgrat", "2021-01-11", "occurred", set(), None, "Ethiopia")],
    ),
    (
        "ru",
        date(2024, 2, 20),
        "МОСКВА, 20 фев — РИА Новости. Российские войска полностью освободили Авдеевку 17 "
        "февраля, сообщило Минобороны. Накануне ВСУ обстреляли Донецк. Президент России "
        "Владимир Путин в среду проведёт телефонный разговор с президентом Турции Реджепом "
        "Эрдоганом.",
        [
            (
                "territory_transfer",
                "Avdiyivka",
                "2024-02-17",
                "occurred",
                {"Russian Armed Forces"},
                None,
                "Russia",
            ),
            ("clash", "Donetsk", "2024-02-19", "occurred", {"Ukrainian Armed Forces"}, None, None),
            (
                "call",
                "Moscow",
                "2024-02-21",
                "planned",
                {"Vladimir Putin", "Recep Tayyip Erdogan"},
                None,
                None,
            ),
        ],
    ),
    (
        "ru",
        date(2023, 4, 20),
        "ХАРТУМ, 20 апреля. В Хартуме в среду продолжились ожесточенные бои между армией Судана "
        "и Силами быстрого реагирования. Стороны договорились о перемирии на 24 часа. Генсек ООН "
        "Антониу Гутерриш посетит Порт-Судан в следующем месяце.",
        [
            (
                "clash",
                "Khartoum",
                "2023-04-19",
                "occurred",
                {"Sudanese Armed Forces", "Rapid Support Forces"},
                None,
                None,
            ),
            ("ceasefire", "Khartoum", "2023-04-19", "occurred", set(), None, None),
            ("visit", "Port Sudan", "2023-05", "planned", {"Antonio Guterres"}, None, None),
        ],
    ),
    (
        "ru",
        date(2023, 10, 10),
        "Израильская армия нанесла удары по Хан-Юнису в понедельник. Премьер-министр Израиля "
        "Биньямин Нетаньяху провел телефонный разговор с президентом США Джо Байденом.",
        [
            (
                "call",
                "Jerusalem",
                "2023-10-04",  # not the day of Monday's strikes: the week up to publication
                "occurred",
                {"Benjamin Netanyahu", "Joe Biden"},
                None,
                None,
            ),
        ],
    ),
    (
        "en",
        date(2023, 12, 20),
        "PORT SUDAN — The Rapid Support Forces seized Wad Madani, the capital of Gezira state, "
        "on Monday after the army withdrew from the city. Sudan's army chief Abdel Fattah "
        "al-Burhan visited Port Sudan on Tuesday.",
        [
            (
                "territory_transfer",
                "Wad Medani",
                "2023-12-18",
                "occurred",
                {"Rapid Support Forces"},
                None,
                "Rapid Support Forces",
            ),
            (
                "visit",
                "Port Sudan",
                "2023-12-19",
                "occurred",
                {"Abdel Fattah al-Burhan"},
                None,
                None,
            ),
        ],
    ),
    (
        "en",
        date(2024, 2, 5),
        "Resistance fighters attacked a police station in Sagaing region overnight, killing five "
        "officers. China's foreign minister Wang Yi spoke by phone with junta leader Min Aung "
        "Hlaing on Friday.",
        [
            ("clash", "Sagaing", "2024-02-04", "occurred", set(), None, None),
            (
                "call",
                "Beijing",
                "2024-02-02",
                "occurred",
                {"Wang Yi", "Min Aung Hlaing"},
                None,
                None,
            ),
        ],
    ),
    (
        "en",
        date(2020, 10, 5),
        "STEPANAKERT, Azerbaijan — Azerbaijani forces shelled Stepanakert on Sunday, while "
        "Armenian forces struck Ganja, Azerbaijan's second-largest city.",
        [
            (
                "clash",
                "Stepanakert",
                "2020-10-04",
                "occurred",
                {"Azerbaijani Armed Forces"},
                None,
                None,
            ),
            ("clash", "Ganja", "2020-10-04", "occurred", {"Armenian Armed Forces"}, None, None),
        ],
    ),
    (
        "ru",
        date(2023, 5, 22),
        "Глава ЧВК «Вагнер» Евгений Пригожин заявил, что его бойцы полностью взяли под контроль "
        "Артёмовск в субботу. Президент Украины Владимир Зеленский в воскресенье провёл встречу "
        "с президентом США Джо Байденом в Хиросиме.",
        [
            (
                "territory_transfer",
                "Bakhmut",
                "2023-05-20",
                "occurred",
                {"Wagner Group"},
                None,
                "Russia",
            ),
            (
                # two heads of state meet: a summit (issue 12)
                "summit",
                "Hiroshima",
                "2023-05-21",
                "occurred",
                {"Volodymyr Zelensky", "Joe Biden"},
                None,
                None,
            ),
        ],
    ),
    (
        "ru",
        date(2022, 3, 30),
        "Переговоры делегаций России и Украины прошли во вторник в Стамбуле.",
        [("talks", "Istanbul", "2022-03-29", "occurred", set(), None, None)],
    ),
    (
        "ru",
        date(2023, 8, 5),
        "НИАМЕЙ, 5 августа. В Мали российские инструкторы переброшены в Гао на прошлой неделе.",
        [("deployment", "Gao", "2023-07-24", "occurred", set(), None, None)],
    ),
]


@pytest.mark.parametrize(("lang", "published", "text", "expected"), REPORTS)
def test_reports_from_other_conflicts(gazetteer, lang, published, text, expected):
    events = events_of(gazetteer, text, published, lang)
    for etype, place, day, status, actors, from_party, to_party in expected:
        e = find(events, etype, place)
        assert (e.date, e.status) == (day, status), e
        assert actors <= set(e.actors), e.actors
        if etype == "territory_transfer":
            assert (e.from_party, e.to_party) == (from_party, to_party)


def test_dateline_city_is_not_an_event_place(gazetteer):
    for lang, published, text, _ in REPORTS:
        events = events_of(gazetteer, text, published, lang)
        for e in events:
            if e.event_type in ("clash", "territory_transfer", "deployment"):
                assert e.place not in ("Kyiv", "Bamako", "Yangon", "Addis Ababa", "Niamey")


def test_hostages_handed_over_are_no_territory(gazetteer):
    events = events_of(
        gazetteer,
        "Hamas handed over 13 Israeli hostages to the Red Cross in Rafah on Friday.",
        date(2023, 11, 24),
        "en",
    )
    assert [e for e in events if e.event_type == "territory_transfer"] == []


def test_a_town_near_another_is_one_transfer(gazetteer):
    events = events_of(
        gazetteer,
        "Russian troops captured the village of Ivanivske near Bakhmut on Thursday.",
        date(2024, 3, 8),
        "en",
    )
    assert [e.place for e in events if e.event_type == "territory_transfer"] == ["Ivanivske"]


def test_country_of_a_deployment_town_is_no_second_deployment(gazetteer):
    events = events_of(
        gazetteer,
        "В Мали российские инструкторы переброшены в Гао на прошлой неделе.",
        date(2023, 8, 5),
        "ru",
    )
    assert [e.place for e in events] == ["Gao"]


@pytest.mark.parametrize(
    ("text", "etype", "actors"),
    [
        # Whom a visit is reported to is no visitor.
        (
            "The President of Russia informed the Prime Minister of Armenia on his impressions "
            "about his Azerbaijan visit last week, for which Prime Minister Pashinyan thanked "
            "President Putin.",
            "visit",
            ["Vladimir Putin"],
        ),
        # "Putin's trip": the possessor travels, not the subjects of "discussed".
        (
            "Pashinyan and Putin discussed relations, given Putin's latest trip to Azerbaijan.",
            "visit",
            ["Vladimir Putin"],
        ),
        # "called X to brief him about his meeting": X did not take part in the meeting.
        (
            "Putin on Friday called Prime Minister Nikol Pashinyan to brief him about his "
            "meeting with Azerbaijan's president, Ilham Aliyev, earlier this week in Baku.",
            "summit",  # two heads of state meet
            ["Vladimir Putin", "Ilham Aliyev"],
        ),
        (
            "Scholz said he will visit Kyiv with Macron next week.",
            "visit",
            ["Olaf Scholz", "Emmanuel Macron"],
        ),
    ],
)
def test_participants_not_listeners(gazetteer, text, etype, actors):
    events = events_of(gazetteer, text, date(2024, 8, 23), "en")
    e = next(e for e in events if e.event_type == etype)
    assert e.actors == actors


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # people set free are no territory
        ("ru", "Израиль освободил 39 палестинских заключённых в пятницу."),
        # "бойцы" (fighters) is no clash
        ("ru", "Его бойцы отдыхают в Донецке."),
        # "called the attack a war crime" is no call
        ("en", "Ukrainian officials called the Russian attack on Kharkiv a war crime."),
    ],
)
def test_no_false_events(gazetteer, lang, text):
    events = events_of(gazetteer, text, date(2023, 11, 25), lang)
    assert [e for e in events if e.event_type in ("territory_transfer", "call")] == []
    if "бойцы" in text:
        assert events == []


def test_unknown_named_place_is_not_replaced_by_an_antecedent(gazetteer):
    # The gazetteer may not know a town; the strike is then not moved to the last place named.
    events = events_of(
        gazetteer,
        "Russian troops shelled Kharkiv on Monday. On Tuesday a missile hit Zzyzxville, "
        "officials said.",
        date(2023, 5, 17),
        "en",
    )
    assert [(e.place, e.date) for e in events if e.event_type == "clash"] == [
        ("Kharkiv", "2023-05-15")
    ]


def test_container_of_an_unknown_town_is_no_transfer(gazetteer):
    events = events_of(
        gazetteer,
        "The Arakan Army captured the town of Zzyzxville in Chin State in January.",
        date(2024, 4, 15),
        "en",
    )
    assert [e for e in events if e.event_type == "territory_transfer"] == []


def test_taking_control_of_a_town_names_the_town(gazetteer):
    events = events_of(
        gazetteer,
        "The Malian army said they had taken full control of Mopti last Wednesday.",
        date(2024, 4, 15),
        "en",
    )
    (e,) = [e for e in events if e.event_type == "territory_transfer"]
    assert (e.place, e.to_party) == ("Mopti", "Mali")


@pytest.mark.parametrize(
    ("lang", "published", "text", "expected"),
    [
        # coordinated places: one clash each, dated by the clause they hang on
        (
            "en",
            date(2022, 9, 14),
            "Heavy fighting erupted overnight along the border between Armenia and Azerbaijan, "
            "with shelling reported in Jermuk and Goris.",
            {("clash", "Jermuk", "2022-09-13"), ("clash", "Goris", "2022-09-13")},
        ),
        (
            "en",
            date(2023, 3, 3),
            "NATO will deploy additional troops to Lithuania next month.",
            {("deployment", "Lithuania", "2023-04")},
        ),
        # a side named by its demonym ("Polish President") makes a meeting
        (
            "en",
            date(2023, 3, 3),
            # two heads of state: a summit
            "Polish President Andrzej Duda met Zelensky in Kyiv on Tuesday.",
            {("summit", "Kyiv", "2023-02-28")},
        ),
        # a visit "meeting troops" is no talks; advice to meet is no meeting
        (
            "en",
            date(2023, 10, 3),
            "Ilham Aliyev visited Stepanakert on September 13, 2023, meeting troops and local "
            "officials. Armenia and Azerbaijan should meet in whatever format suits them.",
            {("visit", "Stepanakert", "2023-09-13")},
        ),
        (
            "en",
            date(2024, 5, 10),
            "Russian peacekeepers began withdrawing from Nagorno-Karabakh in April.",
            {("territory_transfer", "Nagorno-Karabakh", "2024-04")},
        ),
        # a call of several ministers is placed at the first side's capital
        (
            "ru",
            date(2021, 11, 17),
            "Министры обороны России, Армении и Азербайджана провели телефонный разговор.",
            {("call", "Moscow", "2021-11-11")},  # the week up to publication
        ),
    ],
)
def test_coordination_and_sides(gazetteer, lang, published, text, expected):
    events = events_of(gazetteer, text, published, lang)
    assert {(e.event_type, e.place, e.date) for e in events} == expected


def test_participle_shares_the_subject_and_a_possessive_place_is_no_side(gazetteer):
    events = events_of(
        gazetteer,
        "Ukrainian troops pushed into Russia's Kursk region on Tuesday, seizing several "
        "villages, Russian officials said.",
        date(2024, 8, 10),
        "en",
    )
    (t,) = [e for e in events if e.event_type == "territory_transfer"]
    assert (t.place, t.date, t.to_party) == ("Kursk", "2024-08-06", "Ukraine")
    assert any(e.event_type == "clash" and e.place == "Kursk" for e in events)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Israel expanded its ground operation in the Gaza Strip. The war would be long."),
        ("ru", "Израильская армия расширила наземную операцию в секторе Газа. Война будет долгой."),
    ],
)
def test_ground_operation_is_a_clash_a_statement_about_war_is_none(gazetteer, lang, text):
    events = events_of(gazetteer, text, date(2023, 10, 30), lang)
    assert [(e.event_type, e.place) for e in events] == [("clash", "Gaza Strip")]


def test_tanks_entering_the_enclave_are_a_deployment_there(gazetteer):
    events = events_of(
        gazetteer,
        "Israel expanded its ground operation in the Gaza Strip. On Saturday Israeli tanks "
        "entered the northern part of the enclave.",
        date(2023, 10, 30),
        "en",
    )
    assert ("deployment", "Gaza Strip", "2023-10-28") in {
        (e.event_type, e.place, e.date) for e in events
    }


def test_russian_took_control_names_the_receiver(gazetteer):
    events = events_of(
        gazetteer,
        "Азербайджан в среду получил контроль над Кельбаджарским районом.",
        date(2020, 11, 26),
        "ru",
    )
    (t,) = events
    assert (t.event_type, t.place, t.date, t.to_party) == (
        "territory_transfer",
        "Kalbajar District",
        "2020-11-25",
        "Azerbaijan",
    )


@pytest.mark.parametrize(
    "text",
    [
        # the gazetteer reads "Hamas" as Hamm (DE) and "EU" as a place: actors, not places
        "Hamas fighters attacked Israeli troops on Thursday.",
        "Hamas said they had taken full control of Deir al-Balah last week.",
        "EU leaders held talks on Friday.",
        "The Malian army clashed with rebels on Monday.",
    ],
)
def test_actor_names_are_never_event_places(gazetteer, text):
    events = events_of(gazetteer, text, date(2023, 10, 20), "en")
    assert all(e.place not in ("Hamm", "European Union", "Malian") for e in events), events


def test_direction_of_a_withdrawal_is_no_transferred_place(gazetteer):
    events = events_of(
        gazetteer,
        "Ukraine regained control of Kherson on Friday after Russian troops withdrew across "
        "the Dnipro.",
        date(2022, 11, 28),
        "en",
    )
    assert {e.place for e in events if e.event_type == "territory_transfer"} == {"Kherson"}


def test_russian_left_a_town(gazetteer):
    (e,) = events_of(
        gazetteer, "Российские войска ушли из Херсона 11 ноября.", date(2022, 11, 28), "ru"
    )
    assert (e.event_type, e.place, e.date, e.from_party) == (
        "territory_transfer",
        "Kherson",
        "2022-11-11",
        "Russia",
    )


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Lavrov said Moscow was ready to host talks in Sochi."),
        ("en", "Analysts warned that a new war in Karabakh could break out."),
        ("en", "If Russia attacks Kharkiv, NATO will respond."),
        ("en", "Residents of Donetsk fear another attack."),
        ("en", "Turkey has refused to send troops to Libya."),
        ("ru", "Лавров заявил, что Москва готова провести переговоры в Сочи."),
        ("ru", "Эксперты не исключают, что в Карабахе может начаться новая война."),
        ("ru", "Жители Донецка опасаются новых обстрелов."),
        ("ru", "В Кремле опровергли сообщения о визите Путина в Баку."),
    ],
)
def test_fears_conditions_and_readiness_are_no_events(gazetteer, lang, text):
    assert events_of(gazetteer, text, date(2023, 5, 10), lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "en",
            "Explosions were heard in Belgorod on Saturday.",
            ("clash", "Belgorod", "2023-11-04"),
        ),
        ("ru", "В Белгороде в субботу прогремели взрывы.", ("clash", "Belgorod", "2023-11-04")),
        (
            "en",
            "Kharkiv was hit by Russian missiles on Thursday morning.",
            ("clash", "Kharkiv", "2023-11-09"),
        ),
        # the first of a coordinated subject is the caller; "on Monday" is no appeal
        ("en", "Erdogan and Putin spoke by phone on Monday.", ("call", "Ankara", "2023-11-06")),
        (
            "ru",
            "Путин и Эрдоган в понедельник провели телефонный разговор.",
            ("call", "Moscow", "2023-11-06"),
        ),
        # "since October 7" counts visits; it does not date this one
        (
            "en",
            "Blinken arrived in Tel Aviv on Thursday for his fifth visit to the region since "
            "October 7.",
            ("visit", "Tel Aviv", "2023-11-09"),
        ),
    ],
)
def test_strikes_calls_and_visits(gazetteer, lang, text, expected):
    events = events_of(gazetteer, text, date(2023, 11, 10), lang)
    assert [(e.event_type, e.place, e.date) for e in events] == [expected]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # a weapon named like a town is no place; the speaker's day is no event date
        (
            "en",
            "Russia has deployed Iskander missiles to Belarus, Lukashenko said on Friday.",
            ("deployment", "Belarus", "2024-06-04", "occurred"),  # the week up to publication
        ),
        (
            "ru",
            "Россия разместила ракеты «Искандер» в Белоруссии, заявил Лукашенко в пятницу.",
            ("deployment", "Belarus", "2024-06-04", "occurred"),
        ),
        # "scheduled for October", "запланирован на октябрь"
        (
            "en",
            "The BRICS summit in Kazan is scheduled for October.",
            ("summit", "Kazan", "2024-10", "planned"),
        ),
        (
            "ru",
            "Саммит БРИКС в Казани запланирован на октябрь.",
            ("summit", "Kazan", "2024-10", "planned"),
        ),
        (
            "ru",
            "Саммит НАТО пройдёт в Вашингтоне 9-11 июля.",
            ("summit", "Washington", "2024-07-09", "planned"),
        ),
    ],
)
def test_weapons_speakers_and_schedules(gazetteer, lang, text, expected):
    events = events_of(gazetteer, text, date(2024, 6, 10), lang)
    assert [(e.event_type, e.place, e.date, e.status) for e in events] == [expected]


def test_where_clause_happens_at_the_place_before_it(gazetteer):
    events = events_of(
        gazetteer,
        "МОСКВА, 3 окт - РИА Новости. Лавров в четверг посетит Минск, где проведёт переговоры "
        "с белорусским коллегой.",
        date(2023, 10, 3),
        "ru",
    )
    assert {(e.event_type, e.place, e.date, e.status) for e in events} == {
        ("visit", "Minsk", "2023-10-05", "planned"),
        ("talks", "Minsk", "2023-10-05", "planned"),
    }


def test_russian_abbreviated_forces_entering_a_town(gazetteer):
    events = events_of(gazetteer, "ВСУ вошли в Херсон в пятницу.", date(2022, 11, 11), "ru")
    assert [(e.event_type, e.place, e.date) for e in events] == [
        ("deployment", "Kherson", "2022-11-11")
    ]
