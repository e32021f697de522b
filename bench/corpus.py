"""A synthetic corpus of realistic conflict reports, for benchmarks.

Reports are recombined from sentence templates (English and Russian) with real places of
several conflicts (Ukraine, Sudan, Gaza, Nagorno-Karabakh, the Sahel, Myanmar, Syria), with
their actors, leaders and mediators, event sentences of every event type with dates in the
forms news copy uses ("on 12 March", "last Tuesday", "15 мая"), and background sentences so a
report is about 3 KB, like the seeds. Everything comes from ``random.Random(seed)``: the same
size and seed give byte-identical files on every machine.

The ingredients (conflicts, places, date words, outlets, templates) are read from
``bench/data/corpus.yaml``; this module owns how they are recombined. The texts are generated,
not copied from any outlet. Files go into sub-folders of 1,000 reports, each with a
``sources.yaml`` manifest (published date, language, title, outlet), the layout
``conflictmap build`` reads.

Usage: ``python bench/corpus.py OUT_DIR --docs 1000 [--seed 7]`` (a script as well as
``bench.corpus``: ``bench/digests.py`` and ``bench/ab.py`` run it by path).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

DATA = Path(__file__).resolve().parent / "data" / "corpus.yaml"

#: (English, Russian nominative): a party, leader or mediator.
Pair = tuple[str, str]


class Place(BaseModel):
    """A place: English name, and Russian nominative, genitive and prepositional forms.

    Written in the data file as ``[en, nom, gen, prep]``, or ``[en, nom]`` for an indeclinable
    name (Баку, Бамако, Сочи), which uses the nominative in every case.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: str
    nom: str
    gen: str
    prep: str

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, data: Any) -> Any:
        if not isinstance(data, list | tuple):
            return data
        if len(data) not in (2, 4):
            raise ValueError(f"a place is [en, nom] or [en, nom, gen, prep], not {data!r}")
        en, nom, *cases = data
        gen, prep = cases or (nom, nom)
        return {"en": en, "nom": nom, "gen": gen, "prep": prep}


class Conflict(BaseModel):
    """One conflict: where it is fought, by whom, and where it is talked about."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    country: Place
    capital: Place
    places: tuple[Place, ...] = Field(min_length=2)
    venues: tuple[Place, ...] = Field(min_length=1)
    parties: tuple[Pair, Pair]
    leaders: tuple[Pair, ...] = Field(min_length=2)
    mediators: tuple[Pair, ...] = Field(min_length=1)


class Language(BaseModel):
    """The words and templates of one language (Russian month and weekday names are in the
    genitive and the accusative, the cases the date phrases need)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    months: tuple[str, ...] = Field(min_length=12, max_length=12)
    weekdays: tuple[str, ...] = Field(min_length=7, max_length=7)
    outlets: tuple[str, ...] = Field(min_length=1)
    titles: tuple[str, ...] = Field(min_length=1)
    events: dict[str, tuple[str, ...]] = Field(min_length=1)
    filler: tuple[str, ...] = Field(min_length=1)


class Ingredients(BaseModel):
    """Everything ``bench/data/corpus.yaml`` holds, in the order written there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    conflicts: tuple[Conflict, ...] = Field(min_length=1)
    en: Language
    ru: Language


INGREDIENTS = Ingredients.model_validate(yaml.safe_load(DATA.read_text(encoding="utf-8")))
EN, RU = INGREDIENTS.en, INGREDIENTS.ru


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _acc(p: Place) -> str:
    """Russian accusative, good enough for the names here: -а → -у, -я → -ю, else nominative."""
    if p.nom.endswith("а") and p.nom != p.gen:
        return p.nom[:-1] + "у"
    if p.nom.endswith("я") and p.nom != p.gen:
        return p.nom[:-1] + "ю"
    return p.nom


def _instr(p: Place) -> str:
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
        return f"on {d.day} {EN.months[d.month - 1]}"
    if form == 1:
        return f"on {EN.months[d.month - 1]} {d.day}, {d.year}"
    if form == 2:
        return f"{'next' if future else 'last'} {EN.weekdays[d.weekday()]}"
    if form == 3:
        return f"in {EN.months[d.month - 1]} {d.year}"
    return "on Monday" if future else "earlier this week"


def _date_phrase_ru(rng: random.Random, published: date, future: bool) -> str:
    delta = timedelta(days=rng.randint(1, 20))
    d = published + delta if future else published - delta
    form = rng.randrange(3)
    if form == 0:
        return f"{d.day} {RU.months[d.month - 1]}"
    if form == 1:
        return f"{d.day} {RU.months[d.month - 1]} {d.year} года"
    wd = RU.weekdays[d.weekday()]
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
    c = rng.choice(INGREDIENTS.conflicts)
    lang = "ru" if rng.random() < 0.25 else "en"
    published = date(2020, 1, 1) + timedelta(days=rng.randrange(6 * 365))
    words = EN if lang == "en" else RU
    events, filler = words.events, words.filler
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
    title = _fill(rng.choice(words.titles), v)
    outlet = rng.choice(words.outlets)
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
