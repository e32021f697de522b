"""The GC policy (geo.build.memory): what a build freezes stays frozen until the build ends."""

from __future__ import annotations

import gc

from geo.build.memory import FREEZE_EVERY, HeldHeap


def test_nested_blocks_leave_unfreezing_to_the_outermost() -> None:
    gc.unfreeze()  # whatever an earlier test left frozen
    with HeldHeap() as outer:
        outer.freeze()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with HeldHeap() as inner:  # an engine's run inside a build
            kept = [object() for _ in range(10)]
            for _ in range(FREEZE_EVERY):
                inner.one_more()
            assert gc.get_freeze_count() >= frozen
        assert gc.get_freeze_count() >= frozen  # the inner block did not unfreeze
    assert gc.get_freeze_count() == 0
    assert len(kept) == 10


def test_results_are_frozen_every_few_hundred() -> None:
    gc.unfreeze()
    with HeldHeap() as held:
        for _ in range(FREEZE_EVERY - 1):
            held.one_more()
        assert gc.get_freeze_count() == 0
        held.one_more()
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
