"""A learned second opinion on scope, for questions whose only work words name a company, a boss or a wage.

"Cty mình tổ chức team building ở Đà Lạt, gợi ý quán ăn ngon" and "lương 15 triệu nên gửi tiết kiệm ngân hàng nào"
hold "công ty" and "lương", which the keyword lists count as (weak) work words. A logistic regression on the e5
vector of the question (as search embeds it) reads what the question is about instead. It is trained by
``make train-topic`` (``evals/train_topic.py``) on the tuning sets, never on the held-out ones, and stored as JSON
beside the lexicon.
It only ever refuses: it is asked about questions the keyword lists let through on such words alone.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "topic_model.json"


@dataclass(frozen=True)
class TopicModel:
    """P(out of scope | question vector) = sigmoid(w · (v - mean) + b)."""

    embedding_model: str
    mean: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float
    about: dict[str, Any]

    def off_topic(self, vector: Sequence[float] | np.ndarray) -> float:
        v = np.asarray(vector, dtype=np.float64)
        if v.shape != self.weights.shape:
            return 0.0
        z = float((v - self.mean) @ self.weights + self.bias)
        return float(1.0 / (1.0 + np.exp(-z)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "embedding_model": self.embedding_model,
            "threshold": self.threshold,
            "bias": self.bias,
            "mean": [round(float(x), 7) for x in self.mean],
            "weights": [round(float(x), 7) for x in self.weights],
            "about": self.about,
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TopicModel:
        mean = np.asarray(data["mean"], dtype=np.float64)
        weights = np.asarray(data["weights"], dtype=np.float64)
        if mean.shape != weights.shape or mean.ndim != 1:
            raise ValueError("topic model: mean and weights must be vectors of the same length")
        return cls(
            embedding_model=str(data["embedding_model"]),
            mean=mean,
            weights=weights,
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            about=dict(data.get("about") or {}),
        )

    @classmethod
    def load(cls, path: Path, embedding_model: str) -> TopicModel | None:
        """The model at ``path`` if it was trained on vectors of ``embedding_model``; None (with a log line)
        otherwise: another model's vectors mean nothing to its weights."""
        if not path.is_file():
            return None
        try:
            model = cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("Bỏ qua mô hình chủ đề %s: %s", path, exc)
            return None
        if model.embedding_model != embedding_model:
            log.info(
                "Mô hình chủ đề %s được huấn luyện cho %s, không dùng với %s", path, model.embedding_model,
                embedding_model,
            )
            return None
        return model


def train(
    vectors: np.ndarray,
    off_topic: np.ndarray,
    *,
    l2: float = 1e-3,
    steps: int = 800,
    rate: float = 0.5,
    scale: float = 20.0,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Class-balanced logistic regression by gradient descent: (mean, weights, bias). Vectors are centred and
    multiplied by ``scale`` (e5 vectors are unit length and close together), which is folded into the weights."""
    mean = vectors.mean(axis=0)
    x = (vectors - mean) * scale
    y = off_topic.astype(np.float64)
    share = float(y.mean())
    if share in (0.0, 1.0):
        raise ValueError("topic model: both in-scope and out-of-scope examples are needed")
    sample = np.where(y == 1, 0.5 / share, 0.5 / (1 - share))
    w = np.zeros(x.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        g = (p - y) * sample
        w -= rate * (x.T @ g / len(y) + l2 * w)
        b -= rate * float(g.mean())
    return mean, w * scale, b
