"""``make train-topic``: train the topic model (assistant/data/topic_model.json) on the tuning sets.

Each question is embedded the way search embeds it (shorthand written out, marks restored when typed without),
on the whole shared corpus. Out-of-scope questions are the positives. The held-out sets are never read here.
Before the final fit, each set is left out in turn and scored by a model trained on the others, which says how the
model does on a set written by someone it has not seen; those figures are printed and stored in the file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import track

from assistant.answering.topic_model import DEFAULT_PATH, TopicModel, train
from evals.corpus_env import DEFAULT_DIR, corpus_platform
from evals.datasets import EvalQuestion, load_datasets

TRAINING_SETS = (
    "levietsangg", "mrhao165", "own", "own_scope", "slangdev", "slangdev2", "slangdev3", "slangdev4", "slangdev5",
    "slangdev6", "slangdev7", "slangdev8", "scopedev", "scopedev2", "scopedev3", "scopedev4", "scopedev5", "scopedev6",
    "scopedev7",
)
# Chosen on the left-out sets. Sixth session: at 0.7 one in-scope question whose only work words name a company, a
# boss or a wage was refused. Eighth session, with scopedev4 and the wider gate: of the 65 gated out-of-scope
# questions 0.9 refused 47, 0.85 49, 0.8 50, 0.7 56, and none of the 67 gated in-scope ones (the highest scores
# 0.68); 0.85 keeps a margin for in-scope questions like "bị hỏi có người yêu chưa khi phỏng vấn" (0.76). With
# slangdev5 and slangdev6 too: 0.9 51, 0.85 52, 0.8 54, 0.7 57 of 65; from 0.8 down one of the gated in-scope
# questions (84-96 as the keyword lists changed) is refused (annual leave spent travelling, 0.82). With slangdev7 and
# slangdev8 too: 0.9 54, 0.85 59, 0.8 62, 0.7 65 of 71, and that question (0.885) from 0.85 down, of 92 in-scope;
# 0.85 stayed: five more out-of-scope questions refused for one in-scope one, which the final model answers (0.69).
# Eleventh session, with scopedev6: 0.95 70, 0.9 77, 0.85 82, 0.8 84 of 101 gated out-of-scope questions; from 0.85
# down two of the 143 gated in-scope ones are refused (a confidentiality pledge, 0.88; annual leave spent
# travelling, 0.87). 0.85 stayed, for the same trade as before: five more refused for two.
# With scopedev7 too: 0.95 91, 0.9 100, 0.85 104, 0.8 110 of 127; 0.9 and above refuse two of the 154 gated in-scope
# questions (annual leave spent travelling, 0.96; buying a fake vocational certificate, 0.98), 0.85 three. 0.85 stayed.
THRESHOLD = 0.85
console = Console(stderr=True)


def left_out_scores(vectors: np.ndarray, labels: np.ndarray, sets: Sequence[str]) -> np.ndarray:
    """Each question's out-of-scope chance from a model that never saw its set."""
    names = np.asarray(sets)
    scores = np.zeros(len(labels))
    for name in sorted(set(sets)):
        held = names == name
        mean, weights, bias = train(vectors[~held], labels[~held])
        scores[held] = 1.0 / (1.0 + np.exp(-((vectors[held] - mean) @ weights + bias)))
    return scores


def summary(scores: np.ndarray, labels: np.ndarray, gated: np.ndarray, threshold: float) -> dict[str, float | int]:
    flagged = scores > threshold
    return {
        "out_of_scope_caught": round(float(flagged[labels == 1].mean()), 3),
        "in_scope_flagged": round(float(flagged[labels == 0].mean()), 4),
        "gated_questions": int(gated.sum()),
        "gated_out_of_scope_caught": int((flagged & gated & (labels == 1)).sum()),
        "gated_out_of_scope": int((gated & (labels == 1)).sum()),
        "gated_in_scope_refused": int((flagged & gated & (labels == 0)).sum()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Huấn luyện mô hình chủ đề (câu hỏi ngoài phạm vi)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    platform = corpus_platform(args.data_dir, console=console)
    search = platform.search
    questions: list[EvalQuestion] = load_datasets(list(TRAINING_SETS))
    rows, gated = [], []
    for question in track(questions, description="Nhúng câu hỏi", console=console):
        vector = search.query_vector(question.question)
        if vector is None:
            raise SystemExit("Mô hình chủ đề cần chỉ mục vectơ (embedding), không chỉ BM25.")
        rows.append(vector)
        scope = platform.chain.classify_scope(question.question)
        gated.append(platform.chain.asks_topic_model(question.question, scope))
    vectors = np.stack(rows).astype(np.float64)
    labels = np.array([q.expects == "refuse" for q in questions], dtype=np.float64)
    scores = left_out_scores(vectors, labels, [q.dataset for q in questions])
    left_out = summary(scores, labels, np.array(gated), THRESHOLD)
    mean, weights, bias = train(vectors, labels)
    model = TopicModel(
        embedding_model=search.embedding_model,
        mean=mean,
        weights=weights,
        bias=bias,
        threshold=THRESHOLD,
        about={
            "trained": date.today().isoformat(),
            "sets": list(TRAINING_SETS),
            "questions": len(questions),
            "out_of_scope": int(labels.sum()),
            "left_out_each_set": left_out,
        },
    )
    model.save(args.out)
    platform.close()
    console.print(f"Đã ghi {args.out}: {len(questions)} câu hỏi, {int(labels.sum())} ngoài phạm vi")
    console.print(f"Để riêng từng bộ: {left_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
