"""Garbage-collector settings for a long-running server process.

After start-up a worker holds a few hundred thousand long-lived objects (the search index, lexicon, caches).
The cyclic collector walked all of them again and again: about 470 collections and 0.3 s per 450 answers,
holding the interpreter lock. Freezing what exists once the index is loaded, and collecting the young
generation less often, cut that to 16 collections and 0.05 s (75-79 → 86 answers/s in one process, measured
on two cores). Objects are still freed by reference counting; only cycles wait for a collection.
"""

from __future__ import annotations

import gc

# Young-generation threshold: collect after this many net allocations instead of Python's 700.
YOUNG_THRESHOLD = 20_000


def freeze_long_lived() -> None:
    """Collect, then move every object alive now out of the collector's reach (a server calls this once its
    index is loaded), and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 50, 100)


def refreeze() -> None:
    """After an index swap: let the collector see the previous index's cycles, free them, freeze again.
    Does nothing in a process that never froze (tests, CLI commands)."""
    if gc.get_freeze_count() == 0:
        return
    gc.unfreeze()
    gc.collect()
    gc.freeze()
