"""Recognition: find place-name spans in English and Russian text, before resolution.

- :mod:`~gazetteer.recognize.english`: English (Latin-script) names by key, longest match
  first, then :mod:`~gazetteer.recognize.english_filter` drops words and person names
  (:mod:`~gazetteer.recognize.people`) that are also places;
- :mod:`~gazetteer.recognize.russian`: Russian names by lemma
  (:mod:`~gazetteer.recognize.morphology_ru`), and place adjectives before geographic nouns;
- :mod:`~gazetteer.recognize.streets`: streets, buildings and minor features (optional);
- :mod:`~gazetteer.recognize.spans`: the :class:`Span` they yield;
- :mod:`~gazetteer.recognize.words`: the word lists they read (``gazetteer/data/``).
"""

from gazetteer.recognize.english import recognize_en
from gazetteer.recognize.russian import recognize_ru
from gazetteer.recognize.spans import Span

__all__ = ["Span", "recognize_en", "recognize_ru"]
