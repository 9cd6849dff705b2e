"""A linear map applied to question embeddings before the dense search (the passages' vectors are untouched).

e5-small was trained on general text: "cty ko tra luong" and "người sử dụng lao động không trả đủ lương" land
further apart than a union lawyer would put them. The adapter is a 384 × 384 matrix, learned from our own
question sets (``make adapter``, see ``evals/adapter_training.py``) and kept close to the identity, that moves
a question's vector towards the provisions such questions are answered by. Applying it is one small matrix
product; the index needs no rebuilding, and it can be switched off (``CONGDOAN_EMBEDDING__QUERY_ADAPTER=none``).

The file records the embedding model it was learned for: with any other model it is not used.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

BUNDLED = Path(__file__).resolve().parents[1] / "data" / "query_adapter.npz"


class AdapterError(ValueError):
    """The adapter file cannot be used: unreadable, malformed, or made for another model."""


@dataclass(frozen=True)
class QueryAdapter:
    matrix: np.ndarray
    model_id: str
    info: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        rows, cols = self.matrix.shape if self.matrix.ndim == 2 else (0, -1)
        if rows != cols or rows == 0 or not np.isfinite(self.matrix).all():
            raise AdapterError(f"ma trận điều chỉnh không hợp lệ (kích thước {self.matrix.shape})")

    @property
    def dimension(self) -> int:
        return int(self.matrix.shape[0])

    def apply(self, vector: Any) -> np.ndarray:
        """The adapted question vector, unit length like the passages' (a zero vector stays zero)."""
        adapted = self.matrix @ np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(adapted))
        return adapted / norm if norm > 0 else adapted

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                # Stored as its difference from the identity: small numbers keep their precision in float16.
                delta=(self.matrix - np.eye(self.dimension, dtype=np.float32)).astype(np.float16),
                model_id=np.array(self.model_id),
                info=np.array(json.dumps(self.info, ensure_ascii=False, sort_keys=True)),
            )

    @classmethod
    def read(cls, path: Path) -> QueryAdapter:
        try:
            with np.load(path, allow_pickle=False) as data:
                delta = np.asarray(data["delta"], dtype=np.float32)
                matrix = delta + np.eye(delta.shape[0], dtype=np.float32) if delta.ndim == 2 else delta
                model_id = str(data["model_id"])
                info = json.loads(str(data["info"])) if "info" in data else {}
        except (OSError, KeyError, ValueError) as exc:
            raise AdapterError(f"không đọc được tệp điều chỉnh câu hỏi {path}: {exc}") from exc
        return cls(matrix, model_id, info)


def load_adapter(setting: str, model_id: str, dimension: int | None = None) -> QueryAdapter | None:
    """The adapter a setting names: "bundled" (the file shipped with the package), "none" or "" (no adapter),
    or a file path. One that cannot serve this model is left out with a warning: search still works, as
    it did before adapters existed."""
    if setting.strip().lower() in ("", "none", "off"):
        return None
    path = BUNDLED if setting.strip().lower() == "bundled" else Path(setting)
    if not path.exists():
        if path != BUNDLED:
            log.warning("Không thấy tệp điều chỉnh câu hỏi %s: tìm kiếm không dùng nó", path)
        return None
    try:
        adapter = QueryAdapter.read(path)
    except AdapterError as exc:
        log.warning("%s: tìm kiếm không dùng nó", exc)
        return None
    if adapter.model_id != model_id or (dimension is not None and adapter.dimension != dimension):
        log.warning(
            "Tệp điều chỉnh câu hỏi %s được học cho mô hình %s (%d chiều), không phải %s: không dùng",
            path, adapter.model_id, adapter.dimension, model_id,
        )
        return None
    return adapter
