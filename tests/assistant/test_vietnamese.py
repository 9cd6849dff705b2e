"""Vietnamese text handling: NFC, tone marks, folding, segmentation and the colloquial → legal lexicon."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest

from assistant.vietnamese import (
    Lexicon,
    fold,
    has_diacritics,
    index_tokens,
    nfc,
    normalize_tone_marks,
    segment,
    syllables,
)


def test_nfc_composes_decomposed_input() -> None:
    decomposed = unicodedata.normalize("NFD", "Người lao động")
    assert decomposed != "Người lao động"
    assert nfc(decomposed) == "Người lao động"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoà giải", "hòa giải"),
        ("thoả thuận", "thỏa thuận"),
        ("Thuý", "Thúy"),
        ("Uỷ ban", "Ủy ban"),
        ("sức khoẻ", "sức khỏe"),
        ("HOÀ", "HÒA"),
        # Closed syllables and "qu" keep their marks where they are in both styles.
        ("hoàn thành", "hoàn thành"),
        ("thuyền", "thuyền"),
        ("quý", "quý"),
        ("toán", "toán"),
    ],
)
def test_tone_marks_placed_one_way(raw: str, expected: str) -> None:
    assert normalize_tone_marks(raw) == expected


def test_tone_normalisation_also_composes() -> None:
    assert normalize_tone_marks(unicodedata.normalize("NFD", "thoả thuận")) == "thỏa thuận"


def test_fold_strips_marks_and_d_stroke() -> None:
    assert fold("Điều 113. Nghỉ hằng năm") == "dieu 113. nghi hang nam"
    assert fold("ĐOÀN PHÍ công đoàn") == "doan phi cong doan"
    assert fold("hoà") == fold("hòa") == "hoa"


def test_has_diacritics() -> None:
    assert has_diacritics("nghỉ phép")
    assert has_diacritics("đi")
    assert not has_diacritics("nghi phep nam duoc may ngay")


def test_segment_finds_multi_syllable_words() -> None:
    words = segment("Người lao động nghỉ phép năm được mấy ngày?")
    assert "lao động" in words
    assert segment("   ") == []


def test_segment_is_fast_enough_for_queries() -> None:
    segment("khởi động")
    started = time.perf_counter()
    for i in range(50):
        segment(f"Công ty nợ lương {i} tháng thì người lao động làm gì?")
    assert (time.perf_counter() - started) / 50 < 0.01


def test_syllables_keep_numbers_and_drop_punctuation() -> None:
    assert syllables("Vùng I: 4.960.000 đồng/tháng, từ 01/01/2026.") == [
        "vung",
        "i",
        "4.960.000",
        "dong",
        "thang",
        "tu",
        "01/01/2026",
    ]
    assert syllables("khoản 2a Điều 4 Luật 45/2019/QH14") == [
        "khoan",
        "2a",
        "dieu",
        "4",
        "luat",
        "45/2019/qh14",
    ]


def test_index_tokens_have_syllables_and_compounds() -> None:
    tokens = index_tokens("Người sử dụng lao động")
    assert {"nguoi", "su", "dung", "lao", "dong"} <= set(tokens)
    assert "lao_dong" in tokens or "su_dung" in tokens


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load()


def test_packaged_lexicon_is_rich(lexicon: Lexicon) -> None:
    assert len(lexicon.entries) >= 80
    assert all(entry.terms and entry.legal for entry in lexicon.entries)


@pytest.mark.parametrize(
    ("query", "legal"),
    [
        ("nghỉ phép năm được mấy ngày", "nghỉ hằng năm"),
        ("nghi phep nam duoc may ngay", "nghỉ hằng năm"),
        ("Nghỉ đẻ được mấy tháng", "thai sản"),
        ("nghi de duoc may thang", "thai sản"),
        ("bị đuổi việc không lý do", "sa thải"),
        ("bi duoi viec", "đơn phương chấm dứt hợp đồng lao động"),
        ("cty no luong 2 thang", "trả lương"),
        ("công ty chậm lương", "kỳ hạn trả lương"),
        ("tăng ca quá nhiều", "làm thêm giờ"),
        ("sếp bắt làm chủ nhật", "người sử dụng lao động"),
        ("em đang có bầu", "mang thai"),
        ("BHXH đóng bao nhiêu", "bảo hiểm xã hội"),
        ("HĐLĐ có mấy loại", "hợp đồng lao động"),
        ("hdld co may loai", "hợp đồng lao động"),
        ("lương tối thiểu vùng 1", "mức lương tối thiểu"),
        ("xin nghỉ việc phải báo trước mấy ngày", "đơn phương chấm dứt hợp đồng lao động"),
        ("đóng đoàn phí bao nhiêu", "đoàn phí công đoàn"),
        ("công đoàn phí 2%", "kinh phí công đoàn"),
        ("bị tai nạn khi làm", "tai nạn lao động"),
        ("bị sàm sỡ ở xưởng", "quấy rối tình dục tại nơi làm việc"),
        ("trợ cấp thôi việc tính sao", "trợ cấp thôi việc"),
        ("thử việc mấy tháng", "thời gian thử việc"),
        ("mất điện cả tuần, xưởng ngừng chạy thì lương tính sao", "tiền lương ngừng việc"),
        ("cup dien nghi 3 ngay co luong ko", "tiền lương ngừng việc"),
        ("bị đuổi từ năm ngoái, giờ đi kiện còn kịp không", "thời hiệu"),
        ("gio con kien ra toa duoc khong", "thời hiệu"),
        ("1 lỗi mà xử 2 hình thức kỷ luật được không", "nhiều hình thức xử lý kỷ luật lao động"),
        ("đi phỏng vấn mà cty bắt đóng 300k tiền hồ sơ", "không phải trả chi phí cho việc tuyển dụng lao động"),
        ("ky 2 hd cung luc co sai luat ko", "giao kết nhiều hợp đồng lao động"),
        ("bi ky luat keo dai nang luong ma thay oan qua, khieu nai o dau", "khiếu nại về kỷ luật lao động"),
        ("thuong tet co bat buoc ko, cty lo nam nay ko thuong", "căn cứ vào kết quả sản xuất"),
        ("lam 7 ngay/tuan khong co ngay nghi nao", "nghỉ ít nhất 24 giờ liên tục"),
        ("xưởng bắt đảo ca, vừa tan ca đêm 2 giờ chiều vào ca luôn", "trước khi chuyển sang ca làm việc khác"),
        ("giua 2 ca phai nghi bao lau", "nghỉ chuyển ca"),
        ("bo vo e moi mat, cty co cho nghi huong luong ko", "nghỉ việc riêng chết"),
        ("xin ung truoc 5tr luong, ke toan bat chiu lai 2%/thang nhu vay ngan hang", "không bị tính lãi"),
        ("lu lut ngap xuong 10 ngay phai nghi het, co duoc tra luong ko", "tiền lương ngừng việc"),
        ("em hiến thận cho anh trai, nghỉ làm 1 tháng có được bhxh trả không", "ghép mô bộ phận cơ thể người"),
        ("bị anh cùng tổ đánh vì chuyện nợ tiền riêng, có được tính tai nạn lao động không", "không liên quan đến"),
    ],
)
def test_expand_adds_legal_terms_with_or_without_marks(lexicon: Lexicon, query: str, legal: str) -> None:
    expanded = lexicon.expand(query)
    assert expanded.startswith(query)
    assert legal in expanded


def test_expand_matches_whole_words_only(lexicon: Lexicon) -> None:
    # "để"/"đề" fold to "de" like "đẻ"; "chưa" folds like "chửa": neither may trigger pregnancy terms.
    assert lexicon.expand("vấn đề này để làm gì") == "vấn đề này để làm gì"
    assert "mang thai" not in lexicon.expand("tôi chưa nhận lương")
    # "bầu" alone is also the union's election ("bầu ban chấp hành").
    assert "mang thai" not in lexicon.expand("bầu ban chấp hành công đoàn cơ sở")


def test_expand_does_not_repeat_terms_already_in_the_query(lexicon: Lexicon) -> None:
    expanded = lexicon.expand("nghỉ hằng năm")
    assert expanded == "nghỉ hằng năm"


def test_expand_leaves_out_terms_the_question_contradicts(lexicon: Lexicon) -> None:
    # "tỷ lệ đóng" stands for the compulsory scheme's terms, unless the member asks about the voluntary one.
    assert "bắt buộc" in lexicon.expand("tỷ lệ đóng bhxh là bao nhiêu")
    voluntary = lexicon.expand("Tỷ lệ đóng bảo hiểm xã hội tự nguyện là bao nhiêu?")
    assert "bắt buộc" not in voluntary and "mức đóng" in voluntary
    assert "bắt buộc" not in lexicon.expand("ty le dong bhxh tu nguyen")
    # "Cộng dồn" is keeping one's social insurance years, but not for annual leave carried over to next year.
    assert "bảo lưu" in lexicon.expand("nghỉ việc rồi thì bhxh có được cộng dồn không")
    leave = lexicon.expand("Phép năm ko dùng hết có được cộng dồn sang năm sau ko")
    assert "bảo lưu" not in leave and "nghỉ gộp" in leave


def test_lexicon_from_a_curator_file(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yaml"
    path.write_text(
        "entries:\n  - terms: [nghỉ đẻ]\n    legal: [thai sản]\n  - terms: [ot]\n    legal: [làm thêm giờ]\n",
        encoding="utf-8",
    )
    lexicon = Lexicon.load(path)
    assert len(lexicon.entries) == 2
    assert lexicon.expand("NGHI DE") == "NGHI DE thai sản"
    assert lexicon.legal_terms("làm OT cuối tuần") == ["làm thêm giờ"]


def test_lexicon_rejects_a_malformed_entry() -> None:
    with pytest.raises(ValueError):
        Lexicon.from_yaml("entries:\n  - terms: 3\n    legal: [x]\n")


def test_colloquial_terms_respect_the_marks_that_were_typed() -> None:
    lexicon = Lexicon.from_yaml("entries:\n  - terms: [bị phạt, nghỉ đẻ]\n    legal: [xử lý kỷ luật]\n")
    assert lexicon.colloquial_terms("bi phat 200k") == ["bi phat"]
    assert lexicon.colloquial_terms("Tôi bị phạt 200 nghìn") == ["bi phat"]
    assert lexicon.colloquial_terms("Làm sao để không bị phát hiện") == []
    assert lexicon.colloquial_terms("nghỉ đẻ mấy tháng", min_words=2) == ["nghi de"]
    assert lexicon.colloquial_terms("NGHỈ ĐẺ mấy tháng", min_words=3) == []


def test_shorthand_is_spelled_out_as_the_question_was_typed() -> None:
    lexicon = Lexicon.from_yaml("entries: []\nshorthand:\n  ko: không\n  cty: công ty\n  đc: được\n  k: không\n")
    assert lexicon.spell_out("cty no luong ko tra dc ko") == "cong ty no luong khong tra duoc khong"
    assert lexicon.spell_out("Cty nợ lương 2 tháng ko trả") == "công ty nợ lương 2 tháng không trả"
    assert lexicon.spell_out("lương 300 k một ngày, đúng k?") == "lương 300 k một ngày, đúng không?"
    assert lexicon.spell_out("kokoro cty1") == "kokoro cty1"  # whole words only


def test_packaged_shorthand_avoids_words_that_fold_together() -> None:
    lexicon = Lexicon.load()
    assert lexicon.spell_out("máy hỏng thì sao") == "máy hỏng thì sao"  # "hông" would fold to "hong"
    assert "không" in lexicon.spell_out("công ty ko trả lương")


def test_malformed_shorthand_is_rejected() -> None:
    with pytest.raises(ValueError, match="shorthand"):
        Lexicon.from_yaml("entries: []\nshorthand: [ko, dc]\n")


def test_shorthand_written_with_marks_matches_only_those_marks() -> None:
    lexicon = Lexicon.from_yaml("entries: []\nshorthand:\n  hổng: không\n  mần: làm\n  củ: triệu\n  hđ: hợp đồng\n")
    assert lexicon.spell_out("Thử việc dài vậy có đúng hổng?") == "Thử việc dài vậy có đúng không?"
    assert lexicon.spell_out("máy hỏng rồi, may hong roi") == "máy hỏng rồi, may hong roi"
    assert lexicon.spell_out("tui mần ở xưởng, màn hình hư") == "tui làm ở xưởng, màn hình hư"
    assert lexicon.spell_out("lương 9 củ") == "lương 9 triệu"  # marked forms apply after a number too
    assert lexicon.spell_out("hd 2 thang") == "hop dong 2 thang"  # "đ" alone is not a mark
    unmarked = Lexicon.from_yaml("entries: []\nshorthand:\n  tui: tôi\n  dc: được\n")
    assert unmarked.spell_out("tui nghỉ dc không, tụi em") == "tôi nghỉ được không, tụi em"
    assert unmarked.spell_out("đc") == "được"


def test_asking_for_leave_is_not_quitting() -> None:
    from assistant.vietnamese import Lexicon

    lexicon = Lexicon.load()
    quitting = "đơn phương chấm dứt hợp đồng lao động"
    assert quitting in lexicon.legal_terms("em muốn nghỉ việc thì báo trước mấy ngày")
    assert quitting not in lexicon.legal_terms("em xin nghỉ 5 ngày về quê được không")
    assert quitting not in lexicon.legal_terms("muốn nghỉ thêm 1 tháng không lương")


def test_spelling_out_is_the_same_however_often_it_is_asked(lexicon: Lexicon) -> None:
    # Cached per message: scope, search, triage and the generator each ask for it.
    first = lexicon.spell_out("cty ko tra luong 2 thang r mn oi")
    assert first == lexicon.spell_out("cty ko tra luong 2 thang r mn oi")
    assert "cong ty" in first and "khong" in first
