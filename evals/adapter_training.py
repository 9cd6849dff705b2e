"""Learning the question adapter (assistant/retrieval/query_adapter.py) from questions with gold provisions.

For each question: its e5 vector as the chain computes it (shorthand written out, marks restored), the
chunks of its gold articles (positives) and the chunks it could be confused with (the dense top 100 and
the BM25 top 50 without adapter). The matrix starts at the identity and follows the gradient of

    -log Σ_positives softmax(τ · (W q) · p)      (any chunk of a gold article may answer: an article's
                                                   best chunk stands for it in search)

over those candidates, with a pull back towards the identity (``pull``) so that it only bends e5 where the
questions ask it to. Plain numpy, seeded: the same questions give the same matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

# Chosen by leave-one-set-out cross-validation on the five tuning sets (see README "Question adapter").
TEMPERATURE = 100.0
PULL = 0.1
LEARNING_RATE = 0.001
EPOCHS = 20
BATCH = 32
SEED = 0


@dataclass(frozen=True)
class Example:
    vector: np.ndarray  # the question's embedding, unit length
    positives: np.ndarray  # rows of the gold articles' chunks
    candidates: np.ndarray  # positives first, then the confusable rows


def example(vector: np.ndarray, positives: Sequence[int], confusable: Sequence[int]) -> Example | None:
    """None for a question none of whose gold chunks can be searched (not in force on its date, say)."""
    if not positives:
        return None
    gold = sorted(set(positives))
    rows = list(dict.fromkeys([*gold, *confusable]))
    return Example(np.asarray(vector, dtype=np.float32), np.asarray(gold), np.asarray(rows))


def train(
    examples: Sequence[Example],
    passages: np.ndarray,
    *,
    temperature: float = TEMPERATURE,
    pull: float = PULL,
    learning_rate: float = LEARNING_RATE,
    epochs: int = EPOCHS,
    seed: int = SEED,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """The adapter matrix for ``passages`` (the chunk vectors, one row each, as the index holds them)."""
    dimension = passages.shape[1]
    identity = np.eye(dimension, dtype=np.float32)
    matrix = identity.copy()
    rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        order = rng.permutation(len(examples))
        for start in range(0, len(order), BATCH):
            batch = [examples[i] for i in order[start : start + BATCH]]
            gradient = sum((_gradient(matrix, e, passages, temperature) for e in batch), np.zeros_like(matrix))
            matrix -= learning_rate * (gradient / len(batch) + pull * (matrix - identity))
        if progress is not None:
            progress(epoch + 1, epochs)
    return matrix


def _gradient(matrix: np.ndarray, item: Example, passages: np.ndarray, temperature: float) -> np.ndarray:
    candidates = passages[item.candidates]
    logits = temperature * (candidates @ (matrix @ item.vector))
    weights = np.exp(logits - logits.max())
    softmax = weights / weights.sum()
    on_gold = np.zeros_like(softmax)
    on_gold[: len(item.positives)] = softmax[: len(item.positives)]
    target = on_gold / on_gold.sum()
    return temperature * np.outer(candidates.T @ (softmax - target), item.vector)


def loss(
    matrix: np.ndarray, examples: Sequence[Example], passages: np.ndarray, temperature: float = TEMPERATURE
) -> float:
    """Mean -log of the probability the candidates' softmax gives the gold chunks (lower is better)."""
    total = 0.0
    for item in examples:
        logits = temperature * (passages[item.candidates] @ (matrix @ item.vector))
        shifted = logits - logits.max()
        log_probs = shifted - np.log(np.exp(shifted).sum())
        total -= float(np.log(np.exp(log_probs[: len(item.positives)]).sum()))
    return total / max(len(examples), 1)
