"""Learning the question adapter: on a problem where e5's geometry is wrong, the matrix learns to fix it."""

from __future__ import annotations

import numpy as np

from evals import adapter_training


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)


def _problem(seed: int, count: int, passages: np.ndarray, twist: np.ndarray) -> list[adapter_training.Example]:
    """Questions whose vectors are their answer's vector seen through ``twist`` (plus noise): the identity
    ranks them poorly, the inverse of the twist ranks them well."""
    rng = np.random.default_rng(seed)
    examples = []
    for _ in range(count):
        answer = int(rng.integers(len(passages)))
        question = _unit(twist @ passages[answer] + rng.normal(0, 0.05, passages.shape[1]))
        found = adapter_training.example(question, [answer], list(range(len(passages))))
        assert found is not None
        examples.append(found)
    return examples


def _top1(matrix: np.ndarray, examples: list[adapter_training.Example], passages: np.ndarray) -> float:
    return float(np.mean([int(np.argmax(passages @ (matrix @ e.vector))) == e.positives[0] for e in examples]))


def test_training_learns_what_the_identity_gets_wrong_and_generalises() -> None:
    rng = np.random.default_rng(0)
    dimension = 8
    passages = _unit(rng.normal(size=(60, dimension)))
    rotation, _ = np.linalg.qr(rng.normal(size=(dimension, dimension)))
    # Halfway to a random rotation: the identity finds a quarter of the answers.
    twist = (0.5 * np.eye(dimension) + 0.5 * rotation).astype(np.float32)
    learn, unseen = _problem(1, 300, passages, twist), _problem(2, 200, passages, twist)
    identity = np.eye(dimension, dtype=np.float32)

    matrix = adapter_training.train(learn, passages, learning_rate=0.01, epochs=30, pull=0.01, temperature=20.0)

    assert adapter_training.loss(matrix, learn, passages, 20.0) < adapter_training.loss(identity, learn, passages, 20.0)
    before, after = _top1(identity, unseen, passages), _top1(matrix, unseen, passages)
    assert before < 0.4 and after > 0.8


def test_training_is_deterministic_and_reports_progress() -> None:
    rng = np.random.default_rng(3)
    passages = _unit(rng.normal(size=(10, 8)))
    examples = _problem(4, 20, passages, np.eye(8, dtype=np.float32))
    seen: list[tuple[int, int]] = []
    first = adapter_training.train(examples, passages, epochs=3, progress=lambda d, t: seen.append((d, t)))
    again = adapter_training.train(examples, passages, epochs=3)
    assert np.array_equal(first, again) and seen == [(1, 3), (2, 3), (3, 3)]


def test_a_question_without_searchable_gold_is_not_an_example() -> None:
    assert adapter_training.example(np.ones(4), [], [1, 2]) is None
    item = adapter_training.example(np.ones(4), [3, 3, 1], [1, 5, 3, 7])
    assert item is not None and item.positives.tolist() == [1, 3] and item.candidates.tolist()[:2] == [1, 3]
