"""The word lists of recognition, read once from ``gazetteer/data/`` (``english.yaml``,
``russian.yaml``, ``streets.yaml``: their sources and licences are in the files' headers and
in ``gazetteer/data/README.md``).

The index compiler reads the Russian lists too; :func:`compiler_fingerprint` enters the index
version, so an edit of them rebuilds the index.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from gazetteer.errors import GazetteerDataError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: The files whose lists the index compiler reads.
_COMPILER_FILES = ("russian.yaml",)


def _data(filename: str) -> bytes:
    return files("gazetteer").joinpath(f"data/{filename}").read_bytes()


@cache
def _document(filename: str) -> dict[str, Any]:
    doc = yaml.load(_data(filename), Loader=_LOADER)
    if not isinstance(doc, dict):
        raise GazetteerDataError(f"gazetteer/data/{filename}: expected a mapping of word lists")
    return doc


def _words(filename: str, key: str) -> tuple[str, ...]:
    """The list ``key`` of a data file, in file order."""
    values = _document(filename).get(key)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise GazetteerDataError(f"gazetteer/data/{filename}: {key!r} must be a list of words")
    return tuple(values)


def _table(filename: str, key: str) -> dict[str, str]:
    """The mapping ``key`` of a data file, in file order."""
    values = _document(filename).get(key)
    if not isinstance(values, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in values.items()
    ):
        raise GazetteerDataError(f"gazetteer/data/{filename}: {key!r} must map words to words")
    return dict(values)


def compiler_fingerprint() -> str:
    """A hash of the word lists the index compiler reads."""
    h = hashlib.sha256()
    for filename in _COMPILER_FILES:
        h.update(filename.encode() + b"\0" + _data(filename))
    return "words=" + h.hexdigest()[:16]


# -- English (english.yaml) --------------------------------------------------------------------

#: Capitalised words that are places somewhere but, in running text, nearly never are.
EN_STOPWORDS = frozenset(_words("english.yaml", "not_places"))
#: Words that continue a place's name after it ("Kherson Province", "Jordan Valley").
NAME_HEADS = frozenset(_words("english.yaml", "name_heads"))
#: News agencies written in brackets after a dateline ("BOSTON (Reuters) -").
NEWS_AGENCIES = _words("english.yaml", "news_agencies")
#: Titles before a person's name ("Mayor Allen").
PERSON_TITLES = _words("english.yaml", "person_titles")

# -- Russian (russian.yaml): lemmas ------------------------------------------------------------

#: Geographic nouns after which a place adjective names a place (Лачинский коридор), with the
#: feature type they ask for.
GEO_NOUNS = _table("russian.yaml", "geo_nouns")
#: Adjectives a rule would derive from a place name but that mean something else (русский).
NOT_PLACE_ADJECTIVES = frozenset(_words("russian.yaml", "not_place_adjectives"))

# -- Streets and buildings (streets.yaml) ------------------------------------------------------

#: Head words that end a street or minor natural feature's name ("Orchard Street").
STREET_HEADS = _words("streets.yaml", "street_heads")
#: Plural heads two streets share ("Bourbon and Dauphine streets").
PLURAL_STREET_HEADS = _words("streets.yaml", "plural_street_heads")
#: Head words of buildings and grounds ("Jamsil Stadium").
BUILDING_HEADS = _words("streets.yaml", "building_heads")
#: Words that start a sentence or a phrase, never a street's name ("The Park", "On Main").
LEADING_WORDS = frozenset(_words("streets.yaml", "leading_words"))
