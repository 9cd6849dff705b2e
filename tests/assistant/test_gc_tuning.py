"""The server's collector settings: frozen once the index is loaded, refrozen after an index swap so the old
index's reference cycles are still freed."""

from __future__ import annotations

import gc
import weakref

from assistant.gc_tuning import YOUNG_THRESHOLD, freeze_long_lived, refreeze


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_frozen_cycles_are_freed_after_an_index_swap() -> None:
    threshold = gc.get_threshold()
    try:
        refreeze()  # a process that never froze: nothing happens
        assert gc.get_freeze_count() == 0
        old_index = Node()
        alive = weakref.ref(old_index)
        freeze_long_lived()
        assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] == YOUNG_THRESHOLD
        del old_index  # the index was swapped out
        gc.collect()
        assert alive() is not None  # frozen: the collector does not look at it
        refreeze()
        assert alive() is None
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
