"""Weights of a linear score that picks the gold item of each list: the fit shared by the learned rankers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def fit_softmax(
    lists: Sequence[tuple[np.ndarray, np.ndarray]],
    start: np.ndarray,
    l2: float,
    steps: int = 400,
    rate: float = 0.3,
) -> np.ndarray:
    """Weights maximising the softmax likelihood of each list's gold items (``(features, is_gold)`` pairs; lists
    without a gold item or with one item teach nothing and are skipped), with an L2 penalty, by gradient descent
    from ``start``."""
    usable = [(f, y.astype(np.float64)) for f, y in lists if len(y) > 1 and y.any()]
    weights = np.array(start, dtype=np.float64)
    if not usable:
        return weights
    # Padded into one array, so each step is a few matrix products, not a Python loop over lists.
    width = max(len(y) for _, y in usable)
    features = np.zeros((len(usable), width, len(weights)))
    target = np.zeros((len(usable), width))
    present = np.zeros((len(usable), width), dtype=bool)
    for row, (f, y) in enumerate(usable):
        features[row, : len(y)] = f
        target[row, : len(y)] = y / y.sum()
        present[row, : len(y)] = True
    for _ in range(steps):
        logits = np.where(present, features @ weights, -np.inf)
        chance = np.exp(logits - logits.max(axis=1, keepdims=True))
        chance /= chance.sum(axis=1, keepdims=True)
        gradient = np.einsum("lm,lmf->f", chance - target, features)
        weights -= rate * (gradient + l2 * weights) / len(usable)
    return weights
