"""Restoring marks on unaccented questions, from a bigram model of accented text."""

from __future__ import annotations

from pathlib import Path

from assistant.retrieval.diacritics import DiacriticRestorer, sample_questions
from assistant.vietnamese import Lexicon

CORPUS = [
    "Người lao động làm việc đủ 12 tháng thì được nghỉ hằng năm.",
    "Lao động nữ được nghỉ thai sản trước và sau khi sinh con là 06 tháng.",
    "Nghị định này quy định chi tiết một số điều của Bộ luật Lao động.",
    "Người sử dụng lao động phải trả lương đầy đủ, đúng hạn.",
]


def test_restores_marks_from_context() -> None:
    restorer = DiacriticRestorer.from_texts(CORPUS)
    assert restorer.restore("nguoi lao dong duoc nghi hang nam") == "người lao động được nghỉ hằng năm"
    # "nghi" is "nghị" before "định" and "nghỉ" before "thai sản": the bigrams decide.
    assert restorer.restore("nghi dinh quy dinh") == "nghị định quy định"
    assert restorer.restore("nghi thai san") == "nghỉ thai sản"


def test_keeps_what_the_user_typed_and_everything_that_is_not_a_word() -> None:
    restorer = DiacriticRestorer.from_texts(CORPUS)
    assert restorer.restore("Nghi hang nam: 12 thang?") == "Nghỉ hằng năm: 12 tháng?"
    assert restorer.restore("nghị thai san") == "nghị thai sản"  # a typed mark is kept, even if odd
    assert restorer.restore("xyz 45/2019") == "xyz 45/2019"
    assert restorer.restore("") == ""


def test_lexicon_phrases_teach_everyday_words() -> None:
    restorer = DiacriticRestorer.from_texts(CORPUS)
    assert restorer.restore("may thang") != "mấy tháng"
    restorer.add(Lexicon.load().texts(), weight=5)
    assert restorer.restore("nghi de duoc may thang") == "nghỉ đẻ được mấy tháng"


def test_the_shipped_sample_questions_teach_how_workers_write() -> None:
    restorer = DiacriticRestorer.from_texts(CORPUS)
    restorer.add(Lexicon.load().texts(), weight=5)
    # Legal prose never says "quán", "sáng" or "vậy": without the sample questions these come back wrong.
    assert restorer.restore("chu quan bat em lam tu sang toi toi") != "chủ quán bắt em làm từ sáng tới tối"
    restorer.add(sample_questions(), weight=5)
    assert restorer.restore("chu quan bat em lam tu sang toi toi") == "chủ quán bắt em làm từ sáng tới tối"
    assert restorer.restore("ong chu noi em nghi luon di") == "ông chủ nói em nghỉ luôn đi"
    assert restorer.restore("vay co dung luat khong a") == "vậy có đúng luật không ạ"


def test_save_and_load(tmp_path: Path) -> None:
    restorer = DiacriticRestorer.from_texts(CORPUS)
    restorer.save(tmp_path / "d.json")
    loaded = DiacriticRestorer.load(tmp_path / "d.json")
    assert loaded is not None
    assert loaded.restore("tra luong day du dung han") == restorer.restore("tra luong day du dung han")
    assert DiacriticRestorer.load(tmp_path / "missing.json") is None
