"""The topic model's training script: left-out scoring and the summary stored with the model."""

from __future__ import annotations

import numpy as np

from evals.train_topic import left_out_scores, summary


def test_each_set_is_scored_by_a_model_that_never_saw_it() -> None:
    rng = np.random.default_rng(1)
    centre_in, centre_out = rng.normal(size=8), rng.normal(size=8)
    vectors, labels, sets = [], [], []
    for name in ("a", "b", "c"):
        for label, centre in ((0, centre_in), (1, centre_out)):
            for _ in range(20 if label == 0 else 6):
                vectors.append(centre + 0.3 * rng.normal(size=8))
                labels.append(label)
                sets.append(name)
    matrix = np.array(vectors)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    y = np.array(labels, dtype=float)
    scores = left_out_scores(matrix, y, sets)
    assert scores[y == 1].min() > 0.5 > scores[y == 0].max()
    gated = np.array([i % 2 == 0 for i in range(len(y))])
    stats = summary(scores, y, gated, threshold=0.5)
    assert stats["out_of_scope_caught"] == 1.0 and stats["in_scope_flagged"] == 0.0
    assert stats["gated_questions"] == int(gated.sum())
    assert stats["gated_out_of_scope_caught"] == int((gated & (y == 1)).sum())
    assert stats["gated_in_scope_refused"] == 0
