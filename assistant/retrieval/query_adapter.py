"""A linear map that moves a question's e5 vector toward the provisions that answer such questions.

e5 places "cty nợ lương 2 tháng" near other chat messages, not near "Điều 97. Kỳ hạn trả lương", so dense search
was weakest exactly where workers write colloquially. The map is fitted by ridge regression from question vectors
to the mean vector of their gold clauses' chunks, pulled toward the identity so that formal questions keep their
place, and search uses a blend of the mapped and the original vector (``blend`` of the former).
``make train-adapter`` (``evals/train_adapter.py``) fits it on the colloquial tuning sets only (never on the
development or held-out sets) and stores it beside the lexicon. It applies to the dense half of search only; the
topic model keeps reading the unmapped vector it was trained on.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "query_adapter.npz"


@dataclass(frozen=True)
class QueryAdapter:
    embedding_model: str
    matrix: np.ndarray
    blend: float
    about: dict[str, Any]

    def adapt(self, vector: np.ndarray) -> np.ndarray:
        """``blend`` of ``matrix @ vector`` and the rest of ``vector`` (both unit length), at unit length as the
        chunk vectors are, so cosine scores stay comparable."""
        v = np.asarray(vector, dtype=np.float32)
        if v.shape != (self.matrix.shape[1],):
            return v
        mixed = (1.0 - self.blend) * _unit(v) + self.blend * _unit(self.matrix @ v)
        return _unit(mixed)

    def save(self, path: Path) -> None:
        meta = {"embedding_model": self.embedding_model, "blend": self.blend, "about": self.about}
        with path.open("wb") as handle:
            np.savez_compressed(handle, matrix=self.matrix.astype(np.float32), meta=np.array(json.dumps(meta)))

    @classmethod
    def load(cls, path: Path, embedding_model: str) -> QueryAdapter | None:
        """The adapter at ``path`` if it was fitted on vectors of ``embedding_model``; None (with a log line)
        otherwise: another model's vectors live in another space."""
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                matrix = np.asarray(data["matrix"], dtype=np.float32)
                meta = json.loads(str(data["meta"]))
        except (OSError, ValueError, KeyError) as exc:
            log.warning("Bộ chuyển vectơ câu hỏi %s không đọc được (%s): bỏ qua", path, exc)
            return None
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
            log.warning("Bộ chuyển vectơ câu hỏi %s không phải ma trận vuông: bỏ qua", path)
            return None
        if meta.get("embedding_model") != embedding_model:
            log.info(
                "Bộ chuyển vectơ câu hỏi %s được huấn luyện cho %s, không dùng với %s",
                path, meta.get("embedding_model"), embedding_model,
            )
            return None
        blend = float(meta.get("blend", 1.0))
        about = dict(meta.get("about") or {})
        log.info("Bộ chuyển vectơ câu hỏi %s: %s câu hỏi huấn luyện, tỉ lệ %.2f", path, about.get("questions"), blend)
        return cls(embedding_model=embedding_model, matrix=matrix, blend=blend, about=about)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def fit(questions: np.ndarray, targets: np.ndarray, ridge: float) -> np.ndarray:
    """argmin_W ||questions·Wᵀ − targets||² + ridge·||W − I||²: closed form, one linear solve."""
    dim = questions.shape[1]
    identity = np.eye(dim)
    gram = questions.T @ questions + ridge * identity
    cross = questions.T @ targets + ridge * identity
    return np.asarray(np.linalg.solve(gram, cross).T, dtype=np.float32)
