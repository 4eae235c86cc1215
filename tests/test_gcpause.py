"""gc_paused: no collections inside, the collector restored after, and nothing it should not touch."""

from __future__ import annotations

import gc
import weakref

from villagepolicy.gcpause import gc_paused


class _Node:
    pass


def test_restores_the_collector_as_it_was() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_a_cycle_made_inside_is_still_collected_afterwards() -> None:
    with gc_paused():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        ref = weakref.ref(a)
        del a, b
        assert ref() is not None
    gc.collect()
    assert ref() is None


def test_objects_the_program_froze_stay_frozen() -> None:
    held = [_Node() for _ in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with gc_paused():
            made = [[i] for i in range(1000)]
        assert gc.get_freeze_count() == frozen
        del made, held  # kept alive until here on purpose
    finally:
        gc.unfreeze()
