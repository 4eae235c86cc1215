"""Pausing Python's cycle collector while many acyclic objects are made (decisions, roster results)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (reference counting still frees everything).

    Each collection rescans every object made since the last one and, every so often, the whole heap:
    with a roster's results growing by the hundred thousand that alone cost a third of a check.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                # Everything made meanwhile is in the youngest generation, and the next collection would
                # scan it all (~1 µs a decision). freeze + unfreeze moves it to the oldest one, as
                # surviving a few collections would, without the scans: full collections still see it.
                # Skipped when the program froze objects itself (unfreeze would thaw those too).
                gc.freeze()
                gc.unfreeze()
            gc.enable()
