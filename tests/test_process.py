"""geo.process.batch_gc: fewer young collections inside, the old setting restored after."""

from __future__ import annotations

import gc

import pytest

from geo.process import batch_gc


def test_batch_gc_raises_the_young_threshold_and_restores_it() -> None:
    before = gc.get_threshold()
    with batch_gc(25_000):
        inside = gc.get_threshold()
        assert inside[0] == max(25_000, before[0])
        assert inside[1:] == before[1:]
    assert gc.get_threshold() == before


def test_batch_gc_restores_on_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), batch_gc():
        raise RuntimeError("boom")
    assert gc.get_threshold() == before
