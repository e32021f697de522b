"""A synthetic corpus of realistic conflict reports, for benchmarks.

Reports are recombined from sentence templates (English and Russian) with real places of
several conflicts (Ukraine, Sudan, Gaza, Nagorno-Karabakh, the Sahel, Myanmar, Syria), with
their actors, leaders and mediators, event sentences of every event type with dates in the
forms news copy uses ("on 12 March", "last Tuesday", "15 мая"), and background sentences so a
report is about 3 KB, like the seeds. Everything comes from ``random.Random(seed)``: the same
size and seed give byte-identical files on every machine.

The texts are generated, not copied from any outlet; the place names are the usual English and
Russian exonyms. Files go into sub-folders of 1,000 reports, each with a ``sources.yaml``
manifest (published date, language, title, outlet), the layout ``conflictmap build`` reads.

Usage: ``python bench/corpus.py OUT_DIR --docs 1000 [--seed 7]``.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml


@dataclass(frozen=True)
class P:
    """A place: English name, and Russian nominative, genitive and prepositional forms."""

    en: str
    nom: str
    gen: str
    prep: str


@dataclass(frozen=True)
class Conflict:
    key: str
    country: P
    capital: P
    places: tuple[P, ...]
    venues: tuple[P, ...]
    # (English, Russian nominative) pairs.
    parties: tuple[tuple[str, str], tuple[str, str]]
    leaders: tuple[tuple[str, str], ...]
    mediators: tuple[tuple[str, str], ...]
    extra: dict[str, str] = field(default_factory=dict)


def _p(en: str, nom: str, gen: str | None = None, prep: str | None = None) -> P:
    # Indeclinable names (Баку, Бамако, Сочи) use the nominative in every case.
    return P(en, nom, gen or nom, prep or nom)


CONFLICTS: tuple[Conflict, ...] = (
    Conflict(
        "ukraine",
        _p("Ukraine", "Украина", "Украины", "Украине"),
        _p("Kyiv", "Киев", "Киева", "Киеве"),
        (
            _p("Kharkiv", "Харьков", "Харькова", "Харькове"),
            _p("Bakhmut", "Бахмут", "Бахмута", "Бахмуте"),
            _p("Avdiivka", "Авдеевка", "Авдеевки", "Авдеевке"),
            _p("Zaporizhzhia", "Запорожье", "Запорожья", "Запорожье"),
            _p("Kherson", "Херсон", "Херсона", "Херсоне"),
            _p("Odesa", "Одесса", "Одессы", "Одессе"),
            _p("Mariupol", "Мариуполь", "Мариуполя", "Мариуполе"),
            _p("Donetsk", "Донецк", "Донецка", "Донецке"),
            _p("Pokrovsk", "Покровск", "Покровска", "Покровске"),
            _p("Kupiansk", "Купянск", "Купянска", "Купянске"),
            _p("Sumy", "Сумы", "Сум", "Сумах"),
            _p("Dnipro", "Днепр", "Днепра", "Днепре"),
        ),
        (
            _p("Istanbul", "Стамбул", "Стамбула", "Стамбуле"),
            _p("Geneva", "Женева", "Женевы", "Женеве"),
            _p("Jeddah", "Джидда", "Джидды", "Джидде"),
            _p("Moscow", "Москва", "Москвы", "Москве"),
        ),
        (("Russian forces", "российские войска"), ("Ukrainian forces", "украинские войска")),
        (
            ("Volodymyr Zelensky", "Владимир Зеленский"),
            ("Vladimir Putin", "Владимир Путин"),
        ),
        (("Turkey", "Турция"), ("the United Nations", "ООН")),
    ),
    Conflict(
        "sudan",
        _p("Sudan", "Судан", "Судана", "Судане"),
        _p("Khartoum", "Хартум", "Хартума", "Хартуме"),
        (
            _p("Omdurman", "Омдурман", "Омдурмана", "Омдурмане"),
            _p("El Fasher", "Эль-Фашер", "Эль-Фашера", "Эль-Фашере"),
            _p("Nyala", "Ньяла", "Ньялы", "Ньяле"),
            _p("Port Sudan", "Порт-Судан", "Порт-Судана", "Порт-Судане"),
            _p("Wad Madani", "Вад-Медани"),
            _p("El Obeid", "Эль-Обейд", "Эль-Обейда", "Эль-Обейде"),
            _p("Kassala", "Кассала", "Кассалы", "Кассале"),
        ),
        (
            _p("Jeddah", "Джидда", "Джидды", "Джидде"),
            _p("Addis Ababa", "Аддис-Абеба", "Аддис-Абебы", "Аддис-Абебе"),
            _p("Cairo", "Каир", "Каира", "Каире"),
        ),
        (
            ("the Rapid Support Forces", "Силы быстрого реагирования"),
            ("the Sudanese Armed Forces", "суданская армия"),
        ),
        (
            ("Abdel Fattah al-Burhan", "Абдель Фаттах аль-Бурхан"),
            ("Mohamed Hamdan Dagalo", "Мохамед Хамдан Дагало"),
        ),
        (("Saudi Arabia", "Саудовская Аравия"), ("the African Union", "Африканский союз")),
    ),
    Conflict(
        "gaza",
        _p("the Gaza Strip", "сектор Газа", "сектора Газа", "секторе Газа"),
        _p("Jerusalem", "Иерусалим", "Иерусалима", "Иерусалиме"),
        (
            _p("Gaza", "Газа", "Газы", "Газе"),
            _p("Khan Younis", "Хан-Юнис", "Хан-Юниса", "Хан-Юнисе"),
            _p("Rafah", "Рафах", "Рафаха", "Рафахе"),
            _p("Jabalia", "Джабалия", "Джабалии", "Джабалии"),
            _p("Deir al-Balah", "Дейр-эль-Балах", "Дейр-эль-Балаха", "Дейр-эль-Балахе"),
            _p("Beit Hanoun", "Бейт-Ханун", "Бейт-Хануна", "Бейт-Хануне"),
        ),
        (
            _p("Cairo", "Каир", "Каира", "Каире"),
            _p("Doha", "Доха", "Дохи", "Дохе"),
            _p("Paris", "Париж", "Парижа", "Париже"),
        ),
        (("Israeli forces", "израильские войска"), ("Hamas", "ХАМАС")),
        (
            ("Benjamin Netanyahu", "Биньямин Нетаньяху"),
            ("Antony Blinken", "Энтони Блинкен"),
        ),
        (("Egypt", "Египет"), ("Qatar", "Катар")),
    ),
    Conflict(
        "karabakh",
        _p("Nagorno-Karabakh", "Нагорный Карабах", "Нагорного Карабаха", "Нагорном Карабахе"),
        _p("Baku", "Баку"),
        (
            _p("Stepanakert", "Степанакерт", "Степанакерта", "Степанакерте"),
            _p("Shusha", "Шуша", "Шуши", "Шуше"),
            _p("Lachin", "Лачин", "Лачина", "Лачине"),
            _p("Goris", "Горис", "Гориса", "Горисе"),
            _p("Aghdam", "Агдам", "Агдама", "Агдаме"),
            _p("Kalbajar", "Кельбаджар", "Кельбаджара", "Кельбаджаре"),
            _p("Yerevan", "Ереван", "Еревана", "Ереване"),
        ),
        (
            _p("Sochi", "Сочи"),
            _p("Brussels", "Брюссель", "Брюсселя", "Брюсселе"),
            _p("Moscow", "Москва", "Москвы", "Москве"),
        ),
        (("Azerbaijani forces", "азербайджанские войска"), ("Armenian forces", "армянские войска")),
        (
            ("Ilham Aliyev", "Ильхам Алиев"),
            ("Nikol Pashinyan", "Никол Пашинян"),
        ),
        (("Russia", "Россия"), ("the European Union", "Евросоюз")),
    ),
    Conflict(
        "sahel",
        _p("Mali", "Мали"),
        _p("Bamako", "Бамако"),
        (
            _p("Gao", "Гао"),
            _p("Timbuktu", "Тимбукту"),
            _p("Kidal", "Кидаль", "Кидаля", "Кидале"),
            _p("Mopti", "Мопти"),
            _p("Menaka", "Менака", "Менаки", "Менаке"),
            _p("Ouagadougou", "Уагадугу"),
            _p("Niamey", "Ниамей", "Ниамея", "Ниамее"),
        ),
        (
            _p("Algiers", "Алжир", "Алжира", "Алжире"),
            _p("Abuja", "Абуджа", "Абуджи", "Абудже"),
        ),
        (("the Malian army", "малийская армия"), ("Tuareg rebels", "туарегские повстанцы")),
        (
            ("Assimi Goita", "Ассими Гоита"),
            ("Abdourahamane Tchiani", "Абдурахман Тчиани"),
        ),
        (("Algeria", "Алжир"), ("ECOWAS", "ЭКОВАС")),
    ),
    Conflict(
        "myanmar",
        _p("Myanmar", "Мьянма", "Мьянмы", "Мьянме"),
        _p("Naypyidaw", "Нейпьидо"),
        (
            _p("Yangon", "Янгон", "Янгона", "Янгоне"),
            _p("Mandalay", "Мандалай", "Мандалая", "Мандалае"),
            _p("Lashio", "Лашо"),
            _p("Myawaddy", "Мьявади"),
            _p("Sittwe", "Ситуэ"),
            _p("Laukkaing", "Лаукай", "Лаукая", "Лаукае"),
        ),
        (
            _p("Kunming", "Куньмин", "Куньмина", "Куньмине"),
            _p("Bangkok", "Бангкок", "Бангкока", "Бангкоке"),
        ),
        (("the military junta", "военная хунта"), ("the Arakan Army", "Араканская армия")),
        (
            ("Min Aung Hlaing", "Мин Аун Хлайн"),
            ("Wang Yi", "Ван И"),
        ),
        (("China", "Китай"), ("ASEAN", "АСЕАН")),
    ),
    Conflict(
        "syria",
        _p("Syria", "Сирия", "Сирии", "Сирии"),
        _p("Damascus", "Дамаск", "Дамаска", "Дамаске"),
        (
            _p("Aleppo", "Алеппо"),
            _p("Idlib", "Идлиб", "Идлиба", "Идлибе"),
            _p("Homs", "Хомс", "Хомса", "Хомсе"),
            _p("Deir ez-Zor", "Дейр-эз-Зор", "Дейр-эз-Зора", "Дейр-эз-Зоре"),
            _p("Raqqa", "Ракка", "Ракки", "Ракке"),
        ),
        (
            _p("Astana", "Астана", "Астаны", "Астане"),
            _p("Geneva", "Женева", "Женевы", "Женеве"),
            _p("Ankara", "Анкара", "Анкары", "Анкаре"),
        ),
        (
            ("government forces", "правительственные войска"),
            ("opposition fighters", "боевики оппозиции"),
        ),
        (
            ("Recep Tayyip Erdogan", "Реджеп Тайип Эрдоган"),
            ("Sergei Lavrov", "Сергей Лавров"),
        ),
        (("Turkey", "Турция"), ("Iran", "Иран")),
    ),
)

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_RU_GEN = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS_RU_ACC = [
    "понедельник",
    "вторник",
    "среду",
    "четверг",
    "пятницу",
    "субботу",
    "воскресенье",
]

OUTLETS_EN = ("Reuters", "AP", "AFP", "Al Jazeera", "BBC News", "The Guardian", "Kyiv Independent")
OUTLETS_RU = (
    "ТАСС",
    "РИА Новости",
    "Интерфакс",
    "Коммерсантъ",
    "Медуза",
    "BBC News Русская служба",
)

# Event sentences: {p1}/{p2} parties, {place}/{place2} places, {venue}, {leader1}/{leader2},
# {mediator}, {date} (a past date phrase), {fdate} (a future date phrase), {n} a number.
EVENTS_EN: dict[str, tuple[str, ...]] = {
    "clash": (
        "Heavy fighting broke out around {place} {date}, with {p1} and {p2} exchanging artillery fire through the night.",
        "{P1} shelled positions held by {p2} near {place} {date}, local officials said, adding that at least {n} people were killed.",
        "Clashes between {p1} and {p2} were reported on the outskirts of {place} {date}.",
        "A drone strike hit a residential district of {place} {date}, killing {n} civilians, according to the regional administration.",
    ),
    "ceasefire": (
        "{P1} and {p2} agreed to a ceasefire in {place} {date}, though both sides accused each other of violations within hours.",
        "A humanitarian truce took effect in {place} {date} to allow the evacuation of the wounded.",
    ),
    "talks": (
        "Delegations of {p1} and {p2} held talks in {venue} {date} on a possible settlement.",
        "Negotiators met in {venue} {date} for a new round of talks mediated by {mediator}.",
    ),
    "summit": (
        "{Mediator} will host a summit in {venue} {fdate} to discuss the crisis, the foreign ministry said.",
        "Leaders gathered in {venue} {date} for a summit on the war in {country}.",
    ),
    "visit": (
        "{Leader1} visited {place} {date}, meeting troops and local officials.",
        "{Leader2} arrived in {capital} {date} on an unannounced visit.",
    ),
    "call": (
        "{Leader1} held a phone call with {leader2} {date} to discuss the situation around {place}.",
        "In a telephone conversation {date}, {leader2} and {leader1} discussed the exchange of prisoners.",
    ),
    "territory_transfer": (
        "{P1} said they had taken full control of {place} {date} after weeks of fighting with {p2}.",
        "{P2} withdrew from {place} {date}, leaving the town under the control of {p1}.",
    ),
    "deployment": (
        "{Mediator} deployed additional peacekeepers to {place} {date}.",
        "Fresh troops were deployed along the road between {place} and {place2} {date}.",
    ),
}

FILLER_EN: tuple[str, ...] = (
    "The conflict has displaced more than {n} thousand people, according to United Nations estimates.",
    "Humanitarian agencies warned that food and medical supplies in {place} were running low.",
    "Satellite images reviewed by analysts showed widespread damage to residential buildings.",
    "Residents described hearing explosions late into the evening and spending the night in basements.",
    "The claims could not be independently verified.",
    "Officials in {capital} declined to comment on the reports.",
    "The road from {place} to {place2} remains closed to civilian traffic.",
    "Observers said the escalation threatened to derail months of diplomatic efforts.",
    "Aid convoys have repeatedly been blocked at checkpoints outside {place}.",
    "Prices for fuel and bread have more than doubled since the start of the year.",
    "Analysts said both sides were preparing for a long campaign ahead of the winter.",
    "The International Committee of the Red Cross called for safe passage for civilians.",
    "A spokesman said the delegation would report back to {capital} by the end of the week.",
    "In a televised address, {leader1} said the country would not give up any of its land.",
    "Local volunteers have set up shelters in schools and in the basements of public buildings.",
    "Electricity and water supplies were cut in several districts, the utility company said.",
    "Western diplomats said the talks remained fragile and that a lasting agreement was still far off.",
    "Hospitals in {place} said they were treating dozens of wounded, many of them children.",
    "The ministry of defence published a video it said showed the destruction of an ammunition depot.",
    "Both sides have traded accusations of targeting civilian infrastructure.",
)

EVENTS_RU: dict[str, tuple[str, ...]] = {
    "clash": (
        "Ожесточённые бои развернулись в районе {place_gen} {date}, {p1} и {p2} всю ночь вели артиллерийский огонь.",
        "{date_cap} {p1} обстреляли позиции, которые удерживают {p2}, в {place_prep}; по данным местных властей, погибли не менее {n} человек.",
        "Как сообщается, {date} в пригородах {place_gen} произошли столкновения.",
    ),
    "ceasefire": (
        "{date_cap} в {place_prep} вступило в силу гуманитарное перемирие, чтобы эвакуировать раненых.",
        "Стороны договорились о прекращении огня в {place_prep} {date}, однако уже через несколько часов обвинили друг друга в нарушениях.",
    ),
    "talks": (
        "{date_cap} в {venue_prep} прошли переговоры делегаций о возможном урегулировании.",
        "Переговорщики встретились в {venue_prep} {date} на новый раунд переговоров при посредничестве: {mediator}.",
    ),
    "summit": (
        "{fdate_cap} в {venue_prep} состоится саммит, посвящённый кризису, сообщили в министерстве иностранных дел.",
        "Лидеры собрались в {venue_prep} {date} на саммит, посвящённый ситуации в {country_prep}.",
    ),
    "visit": (
        "{Leader1} {date} посетил {place_acc}, где встретился с военными и местными чиновниками.",
        "{Leader2} {date} прибыл в {capital_acc} с необъявленным визитом.",
    ),
    "call": (
        "{Leader1} {date} провёл телефонный разговор, в ходе которого обсуждалась ситуация вокруг {place_gen}.",
        "В ходе телефонного разговора {date} {leader2} обсудил обмен пленными.",
    ),
    "territory_transfer": (
        "{date_cap} {p1} заявили, что установили полный контроль над городом после нескольких недель боёв, сообщает источник в {place_prep}.",
        "{P2} {date} отошли из {place_gen}, оставив город под контролем противника.",
    ),
    "deployment": (
        "{date_cap} в {place_prep} были переброшены дополнительные миротворцы.",
        "Свежие подразделения {date} развернули на дороге между {place_instr_pair}.",
    ),
}

FILLER_RU: tuple[str, ...] = (
    "По оценкам ООН, конфликт вынудил покинуть свои дома более {n} тысяч человек.",
    "Гуманитарные организации предупредили, что в {place_prep} заканчиваются продовольствие и медикаменты.",
    "На спутниковых снимках видны масштабные разрушения жилых домов.",
    "Жители рассказали, что слышали взрывы до позднего вечера и провели ночь в подвалах.",
    "Независимо проверить эти сведения не удалось.",
    "В {capital_prep} отказались комментировать сообщения.",
    "Дорога из {place_gen} остаётся закрытой для гражданского транспорта.",
    "Наблюдатели считают, что эскалация может сорвать многомесячные дипломатические усилия.",
    "Гуманитарные конвои неоднократно задерживались на блокпостах у {place_gen}.",
    "Цены на топливо и хлеб с начала года выросли более чем вдвое.",
    "Аналитики полагают, что обе стороны готовятся к затяжной кампании.",
    "Международный комитет Красного Креста призвал обеспечить безопасный выход мирных жителей.",
    "Местные волонтёры организовали пункты временного размещения в школах.",
    "В нескольких районах отключены электричество и водоснабжение.",
    "Больницы {place_gen} сообщили, что принимают десятки раненых.",
    "Обе стороны обвиняют друг друга в ударах по гражданской инфраструктуре.",
)

TITLES_EN = (
    "Fighting intensifies near {place}",
    "Talks on {country} resume in {venue}",
    "{Leader1} visits {place} as pressure mounts",
    "Ceasefire in {place} under strain",
    "Humanitarian situation in {place} worsens",
)
TITLES_RU = (
    "Бои в районе {place_gen} усилились",
    "Переговоры по ситуации в {country_prep} возобновились",
    "Гуманитарная ситуация в {place_prep} ухудшается",
)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _acc(p: P) -> str:
    """Russian accusative, good enough for the names here: -а → -у, -я → -ю, else nominative."""
    if p.nom.endswith("а") and p.nom != p.gen:
        return p.nom[:-1] + "у"
    if p.nom.endswith("я") and p.nom != p.gen:
        return p.nom[:-1] + "ю"
    return p.nom


def _instr(p: P) -> str:
    """Russian instrumental for "между X и Y"; consonant-final masculine names take -ом."""
    n = p.nom
    if n == p.gen:  # indeclinable
        return n
    if n.endswith("а"):
        return n[:-1] + "ой"
    if n.endswith("я"):
        return n[:-1] + "ей"
    if n.endswith("ь"):
        return n[:-1] + "ем"
    if n.endswith("ы"):
        return n[:-1] + "ами"
    if n.endswith("е"):
        return n + "м"
    return n + "ом"


def _date_phrase_en(rng: random.Random, published: date, future: bool) -> str:
    delta = timedelta(days=rng.randint(1, 20))
    d = published + delta if future else published - delta
    form = rng.randrange(5)
    if form == 0:
        return f"on {d.day} {MONTHS_EN[d.month - 1]}"
    if form == 1:
        return f"on {MONTHS_EN[d.month - 1]} {d.day}, {d.year}"
    if form == 2:
        return f"{'next' if future else 'last'} {WEEKDAYS_EN[d.weekday()]}"
    if form == 3:
        return f"in {MONTHS_EN[d.month - 1]} {d.year}"
    return "on Monday" if future else "earlier this week"


def _date_phrase_ru(rng: random.Random, published: date, future: bool) -> str:
    delta = timedelta(days=rng.randint(1, 20))
    d = published + delta if future else published - delta
    form = rng.randrange(3)
    if form == 0:
        return f"{d.day} {MONTHS_RU_GEN[d.month - 1]}"
    if form == 1:
        return f"{d.day} {MONTHS_RU_GEN[d.month - 1]} {d.year} года"
    wd = WEEKDAYS_RU_ACC[d.weekday()]
    # The adjective agrees with the weekday's gender: вторник (m), среду (f), воскресенье (n).
    gender = "f" if wd.endswith("у") else "n" if wd.endswith("е") else "m"
    adj = {
        "m": ("следующий", "прошлый"),
        "f": ("следующую", "прошлую"),
        "n": ("следующее", "прошлое"),
    }[gender][0 if future else 1]
    return f"в {adj} {wd}"


def _fill(template: str, values: dict[str, str]) -> str:
    return template.format_map(values)


def _values(rng: random.Random, c: Conflict, lang: str, published: date) -> dict[str, str]:
    place, place2 = rng.sample(c.places, 2)
    venue = rng.choice(c.venues)
    (p1, p2) = c.parties if rng.random() < 0.5 else c.parties[::-1]
    leader1, leader2 = rng.sample(c.leaders, 2)
    mediator = rng.choice(c.mediators)
    i = 0 if lang == "en" else 1
    v = {
        "n": str(rng.randint(3, 120)),
        "p1": p1[i],
        "p2": p2[i],
        "leader1": leader1[i],
        "leader2": leader2[i],
        "mediator": mediator[i],
    }
    if lang == "en":
        dp = _date_phrase_en(rng, published, future=False)
        fdp = _date_phrase_en(rng, published, future=True)
        v.update(
            place=place.en,
            place2=place2.en,
            venue=venue.en,
            capital=c.capital.en,
            country=c.country.en,
            date=dp,
            fdate=fdp,
        )
    else:
        dp = _date_phrase_ru(rng, published, future=False)
        fdp = _date_phrase_ru(rng, published, future=True)
        v.update(
            place_gen=place.gen,
            place_prep=place.prep,
            place_acc=_acc(place),
            place_instr_pair=f"{_instr(place)} и {_instr(place2)}",
            venue_prep=venue.prep,
            capital_prep=c.capital.prep,
            capital_acc=_acc(c.capital),
            country_prep=c.country.prep,
            date=dp,
            date_cap=_cap(dp),
            fdate=fdp,
            fdate_cap=_cap(fdp),
        )
    for k in ("p1", "p2", "leader1", "leader2", "mediator"):
        v[_cap(k)] = _cap(v[k])
    return v


@dataclass
class Report:
    source_id: str
    text: str
    language: str
    published: date
    title: str
    outlet: str
    conflict: str


def make_report(rng: random.Random, index: int, target_bytes: int = 3000) -> Report:
    """One report: a few event sentences among background sentences, in paragraphs."""
    c = rng.choice(CONFLICTS)
    lang = "ru" if rng.random() < 0.25 else "en"
    published = date(2020, 1, 1) + timedelta(days=rng.randrange(6 * 365))
    events, filler = (EVENTS_EN, FILLER_EN) if lang == "en" else (EVENTS_RU, FILLER_RU)
    types = list(events)
    target = int(target_bytes * rng.uniform(0.8, 1.2))
    sentences: list[str] = []
    size = 0
    n_events = rng.randint(2, 6)
    # Background sentences are dealt from a shuffled deck, so a report repeats none until it
    # has used them all (as a real article would not).
    deck: list[str] = []
    while size < target:
        v = _values(rng, c, lang, published)
        if n_events and (not sentences or rng.random() < 0.35):
            s = _fill(rng.choice(events[rng.choice(types)]), v)
            n_events -= 1
        else:
            if not deck:
                deck = list(filler)
                rng.shuffle(deck)
            s = _fill(deck.pop(), v)
        sentences.append(s)
        size += len(s.encode("utf-8")) + 1
    paragraphs: list[str] = []
    while sentences:
        k = rng.randint(2, 4)
        paragraphs.append(" ".join(sentences[:k]))
        sentences = sentences[k:]
    v = _values(rng, c, lang, published)
    title = _fill(rng.choice(TITLES_EN if lang == "en" else TITLES_RU), v)
    outlet = rng.choice(OUTLETS_EN if lang == "en" else OUTLETS_RU)
    return Report(
        source_id=f"r{index:06d}",
        text="\n\n".join(paragraphs) + "\n",
        language=lang,
        published=published,
        title=title,
        outlet=outlet,
        conflict=c.key,
    )


def generate(out: Path, docs: int, seed: int = 7, per_folder: int = 1000) -> Path:
    """Write ``docs`` reports under ``out`` (reused when a previous call made the same corpus).

    Returns ``out``. A ``corpus.json`` stamp records the size, seed and byte count.
    """
    stamp = out / "corpus.json"
    if stamp.exists():
        meta = json.loads(stamp.read_text(encoding="utf-8"))
        if (meta.get("docs"), meta.get("seed"), meta.get("per_folder")) == (docs, seed, per_folder):
            return out
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    manifest: dict[str, dict[str, object]] = {}
    folder = out
    for i in range(docs):
        if i % per_folder == 0:
            if manifest:
                _write_manifest(folder, manifest)
            folder = out / f"batch{i // per_folder:04d}"
            folder.mkdir(exist_ok=True)
            manifest = {}
        rep = make_report(rng, i)
        raw = rep.text.encode("utf-8")
        total += len(raw)
        (folder / f"{rep.source_id}.txt").write_bytes(raw)
        manifest[f"{rep.source_id}.txt"] = {
            "published": rep.published,
            "language": rep.language,
            "title": rep.title,
            "outlet": rep.outlet,
        }
    if manifest:
        _write_manifest(folder, manifest)
    stamp.write_text(
        json.dumps(
            {"docs": docs, "seed": seed, "per_folder": per_folder, "bytes": total}, indent=2
        ),
        encoding="utf-8",
    )
    return out


def _write_manifest(folder: Path, manifest: dict[str, dict[str, object]]) -> None:
    header = "# Synthetic benchmark reports generated by bench/corpus.py (no outlet's text).\n"
    body = yaml.safe_dump(manifest, allow_unicode=True, sort_keys=True)
    (folder / "sources.yaml").write_text(header + body, encoding="utf-8")


def corpus_bytes(out: Path) -> int:
    """Bytes of report text in a corpus made by :func:`generate`."""
    return int(json.loads((out / "corpus.json").read_text(encoding="utf-8"))["bytes"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    generate(args.out, args.docs, args.seed)
    print(f"{args.docs} reports, {corpus_bytes(args.out) / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
