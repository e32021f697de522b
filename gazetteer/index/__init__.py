"""The compiled gazetteer index: :mod:`~gazetteer.index.build` compiles it from the sources,
:mod:`~gazetteer.index.store` holds its type and keeps it in the on-disk cache."""

from gazetteer.index.store import FEATURE_TYPES, KINDS, CompiledIndex, en_key

__all__ = ["FEATURE_TYPES", "KINDS", "CompiledIndex", "en_key"]
