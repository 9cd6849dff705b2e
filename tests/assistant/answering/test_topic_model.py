"""The topic model: training, the stored file, and the shipped model on the real e5 vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.answering.scope import classify, only_generic_work_terms
from assistant.answering.topic_model import DEFAULT_PATH, TopicModel, train
from assistant.retrieval.embeddings import E5_PROVIDER, E5Embeddings


def _clusters(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centre_in, centre_out = rng.normal(size=16), rng.normal(size=16)
    inside = centre_in + 0.3 * rng.normal(size=(80, 16))
    outside = centre_out + 0.3 * rng.normal(size=(20, 16))
    vectors = np.vstack([inside, outside])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors, np.array([0.0] * 80 + [1.0] * 20)


def _model(vectors: np.ndarray, labels: np.ndarray, embedding_model: str = "test-16") -> TopicModel:
    mean, weights, bias = train(vectors, labels)
    return TopicModel(embedding_model, mean, weights, bias, threshold=0.9, about={"questions": len(labels)})


def test_training_separates_the_two_kinds_despite_the_imbalance() -> None:
    vectors, labels = _clusters()
    model = _model(vectors, labels)
    scores = np.array([model.off_topic(v) for v in vectors])
    assert scores[labels == 1].min() > 0.9
    assert scores[labels == 0].max() < 0.1


def test_training_needs_both_kinds() -> None:
    vectors, _ = _clusters()
    with pytest.raises(ValueError, match="both"):
        train(vectors, np.zeros(len(vectors)))


def test_saved_model_loads_back_only_for_its_embedding_model(tmp_path: Path) -> None:
    vectors, labels = _clusters()
    model = _model(vectors, labels)
    path = tmp_path / "topic.json"
    model.save(path)
    loaded = TopicModel.load(path, "test-16")
    assert loaded is not None and loaded.threshold == 0.9 and loaded.about == {"questions": 100}
    assert abs(loaded.off_topic(vectors[-1]) - model.off_topic(vectors[-1])) < 1e-4
    # Another model's vectors mean nothing to these weights; nor do vectors of another size.
    assert TopicModel.load(path, "sentence-transformers:other") is None
    assert loaded.off_topic(np.ones(384)) == 0.0


def test_a_missing_or_broken_file_means_no_model(tmp_path: Path) -> None:
    assert TopicModel.load(tmp_path / "absent.json", "test-16") is None
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"embedding_model": "test-16", "mean": [0.0, 1.0], "weights": [1.0]}))
    assert TopicModel.load(broken, "test-16") is None


def test_the_shipped_model_is_for_the_default_embeddings() -> None:
    model = TopicModel.load(DEFAULT_PATH, E5_PROVIDER)
    assert model is not None
    assert model.weights.shape == (384,)
    assert "heldout" not in " ".join(model.about["sets"])


@pytest.fixture(scope="module")
def e5() -> E5Embeddings:
    return E5Embeddings()


@pytest.mark.parametrize(
    ("question", "off_topic"),
    [
        ("Sếp muốn mua xe mới cho công ty, nên chọn hãng nào bền?", True),
        ("Công ty mình sắp chuyển trụ sở, nên thuê văn phòng quận nào rẻ?", True),
        ("Công ty có được giữ bằng đại học bản gốc của nhân viên không?", False),
        ("Sếp nói tháng này công ty khó khăn nên trả chậm 20 ngày, có được không?", False),
        # Interview and recruitment words alone: tips are not ours, discrimination in hiring is.
        ("Phỏng vấn bằng tiếng Anh thì nên giới thiệu bản thân thế nào cho ấn tượng?", True),
        ("Nhà tuyển dụng hỏi vì sao nghỉ chỗ cũ thì trả lời sao cho khéo?", True),
        ("Tuyển dụng mà chỉ nhận nam, không nhận nữ có vi phạm không?", False),
        ("Đi phỏng vấn bị hỏi có người yêu chưa, có bị phân biệt đối xử không?", False),
    ],
)
def test_the_shipped_model_reads_what_a_company_question_is_about(
    e5: E5Embeddings, question: str, off_topic: bool
) -> None:
    model = TopicModel.load(DEFAULT_PATH, E5_PROVIDER)
    assert model is not None
    assert only_generic_work_terms(classify(question).matched)
    assert (model.off_topic(e5.embed_query(question)) > model.threshold) is off_topic
