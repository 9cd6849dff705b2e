"""Choosing the clause and point a hit quotes."""

from __future__ import annotations

from datetime import date

from assistant.retrieval.chunks import Chunk, Part, chunks_from_provision
from assistant.retrieval.selection import Reference, best_part, part_scores


def _article(
    clauses: list[dict[str, object]], article: int = 105, title: str = "Thời giờ làm việc bình thường", lead: str = ""
) -> Chunk:
    (chunk,) = chunks_from_provision(
        provision_id=article,
        work_number="45/2019/QH14",
        version_label="v",
        document_title="Bộ luật Lao động",
        article=article,
        article_label=str(article),
        title=title,
        text="\n".join([lead, *(str(c["text"]) for c in clauses)] if lead else [str(c["text"]) for c in clauses]),
        clauses=clauses,  # type: ignore[arg-type]
        valid_from=date(2021, 1, 1),
        valid_to=None,
    )
    return chunk


ART_105 = _article(
    [
        {
            "number": "1",
            "text": "1. Thời giờ làm việc bình thường không quá 08 giờ trong 01 ngày và không quá 48 giờ "
            "trong 01 tuần.",
        },
        {
            "number": "2",
            "text": "2. Người sử dụng lao động có quyền quy định thời giờ làm việc theo ngày hoặc tuần "
            "nhưng phải thông báo cho người lao động biết; trường hợp theo tuần thì thời giờ làm việc bình thường "
            "không quá 10 giờ trong 01 ngày và không quá 48 giờ trong 01 tuần.",
        },
        {
            "number": "3",
            "text": "3. Người sử dụng lao động có trách nhiệm bảo đảm giới hạn thời gian làm việc "
            "tiếp xúc với yếu tố nguy hiểm, yếu tố có hại.",
            "points": [],
        },
    ]
)

WEIGHTS = {"thoi_gio": 2.0, "lam_viec": 1.0, "binh_thuong": 2.0, "ngay": 0.5, "tuan": 1.0, "toi_da": 1.5}


def test_reference_parsing_folds_and_ignores_case() -> None:
    assert Reference.parse("Nội dung khoản 2 Điều 36 là gì?") == Reference("36", "2", None)
    assert Reference.parse("diem b khoan 1 dieu 113") == Reference("113", "1", "b")
    assert Reference.parse("ĐIỂM Đ KHOẢN 2A ĐIỀU 4A") == Reference("4a", "2a", "d")
    assert Reference.parse("nghỉ phép năm") == Reference()
    ref = Reference.parse("khoản 3 Điều 105")
    assert ref.clause_for("105") == "3" and ref.clause_for("106") is None
    assert Reference.parse("khoản 3").clause_for("7") == "3"


def test_short_clause_that_answers_beats_a_long_one_that_mentions_everything() -> None:
    scores = part_scores([p for p in ART_105.parts if p.point is None], WEIGHTS)
    assert scores[0] > scores[1] > scores[2]
    part = best_part(ART_105, WEIGHTS)
    assert part is not None and part.clause == "1"


def test_named_clause_wins_over_scores() -> None:
    part = best_part(ART_105, WEIGHTS, Reference.parse("khoản 3 Điều 105"))
    assert part is not None and part.clause == "3"
    # A clause named for another article does not apply here.
    part = best_part(ART_105, WEIGHTS, Reference.parse("khoản 3 Điều 106"))
    assert part is not None and part.clause == "1"


def test_points_only_when_one_clearly_answers() -> None:
    parts = (
        Part("1", None, "1. Nghỉ như sau:\na) 12 ngày làm việc bình thường;\nb) 14 ngày người khuyết tật;"),
        Part("1", "a", "12 ngày làm việc bình thường;"),
        Part("1", "b", "14 ngày người khuyết tật;"),
    )
    chunk = Chunk(
        id="x:1",
        provision_id="x",
        work_number="w",
        version_label="v",
        document_title="t",
        article=113,
        article_label="113",
        clause="1",
        point=None,
        heading="Điều 113.",
        text=parts[0].text,
        valid_from=date(2021, 1, 1),
        valid_to=None,
        scope_unit_code=None,
        parts=parts[1:],
    )
    pick = best_part(chunk, {"khuyet_tat": 3.0, "ngay": 0.5})
    assert pick is not None and pick.point == "b" and pick.text == "14 ngày người khuyết tật;"
    whole = best_part(chunk, {"ngay": 0.5})
    assert whole is not None and whole.point is None and whole.text == parts[0].text
    named = best_part(chunk, {"ngay": 0.5}, Reference.parse("điểm a"))
    assert named is not None and named.point == "a"


def test_figure_questions_and_the_texts_that_answer_them() -> None:
    from assistant.retrieval.selection import asked_figure, states_figure

    assert asked_figure("Nghỉ đẻ được mấy tháng?") == "thang"
    assert asked_figure("tang ca toi da bao nhieu tieng") == "gio"
    assert asked_figure("Thử việc tối đa bao lâu?") == ""
    assert asked_figure("Nghỉ việc có được trợ cấp không?") is None
    # "bao nhiêu" with no unit asks for an amount in any unit; an age is still not one.
    assert asked_figure("Tiền thai sản mỗi tháng được tính bằng bao nhiêu?") == "*"
    assert asked_figure("bao nhieu ngay") == "ngay"
    # A share the question states asks for the clause that sets a share.
    assert asked_figure("lam vo man hinh bi tru luong moi thang 50% dc ko") == "%"
    assert asked_figure("bị trừ 50 phần trăm lương") == "%"
    assert asked_figure("bị trừ 50 nghìn") is None
    assert states_figure("Mức hưởng một tháng bằng 100% mức bình quân tiền lương", "*")
    assert states_figure("trợ cấp một lần bằng 02 lần mức tham chiếu", "*")
    assert not states_figure("nhận nuôi con nuôi dưới 06 tháng tuổi", "*")
    assert not states_figure("theo quy định tại khoản 1 Điều 47", "*")
    assert states_figure("nghỉ thai sản trước và sau khi sinh con là 06 tháng", "thang")
    assert not states_figure("nhận nuôi con nuôi dưới 06 tháng tuổi", "thang")  # an age, not a duration
    assert states_figure("không quá 180 ngày", "")


ART_52 = _article(
    [
        {
            "number": "1",
            "text": "1. Thời gian nghỉ việc hưởng chế độ thai sản khi sảy thai được tính như sau: tối đa 10 "
            "ngày nếu thai dưới 05 tuần tuổi; tối đa 20 ngày nếu thai từ 05 tuần tuổi đến dưới 13 tuần tuổi.",
        },
        {
            "number": "2",
            "text": "2. Trường hợp lao động nữ mang thai bị sảy thai, phá thai thì lao động nữ và người chồng "
            "được hưởng chế độ thai sản khi sảy thai theo quy định của Luật này.",
        },
    ]
)


def test_a_figure_question_quotes_the_clause_that_states_the_figure() -> None:
    # "sảy thai", "hưởng chế độ" weigh more in clause 2, but only clause 1 says how many days.
    weights = {"say_thai": 2.0, "huong": 1.0, "che_do": 1.0, "lao_dong_nu": 2.0, "ngay": 0.2}
    plain = best_part(ART_52, weights)
    assert plain is not None and plain.clause == "2"
    asked = best_part(ART_52, weights, figure="ngay")
    assert asked is not None and asked.clause == "1"
    # "bao nhiêu" with no unit asks for an amount: the clause with the days answers it too.
    from assistant.retrieval.selection import asked_figure

    amount = best_part(ART_52, weights, figure=asked_figure("bị sảy thai thì được nghỉ bao nhiêu"))
    assert amount is not None and amount.clause == "1"
    # Asked in a unit no clause states, the best clause stays.
    other = best_part(ART_52, weights, figure="thang")
    assert other is not None and other.clause == "2"


ART_146 = _article(
    [
        {
            "number": "1",
            "text": "1. Thời giờ làm việc của người chưa đủ 15 tuổi không được quá 04 giờ trong 01 ngày và 20 giờ "
            "trong 01 tuần; không được làm thêm giờ, làm việc vào ban đêm.",
        },
        {
            "number": "2",
            "text": "2. Thời giờ làm việc của người từ đủ 15 tuổi đến chưa đủ 18 tuổi không được quá 08 giờ trong "
            "01 ngày và 40 giờ trong 01 tuần. Người từ đủ 15 tuổi đến chưa đủ 18 tuổi có thể được làm thêm giờ, "
            "làm việc vào ban đêm trong một số nghề, công việc.",
        },
        {"number": "3", "text": "3. Khi sử dụng người chưa đủ 18 tuổi làm việc, phải bố trí giờ làm việc hợp lý."},
    ]
)


def test_the_clause_written_for_the_asked_age_answers_though_another_shares_more_words() -> None:
    from assistant.retrieval.quantities import question_quantities

    # Clause 2 shares more of these words than clause 1; clause 3 ("chưa đủ 18 tuổi") also holds 14 years, but
    # clause 1's range is the narrower.
    weights = {"tuoi": 1.0, "gio": 1.0, "du": 1.0, "chua": 1.0, "15_tuoi": 1.0, "lam_them": 1.0}
    plain = best_part(ART_146, weights, figure="gio")
    assert plain is not None and plain.clause == "2"
    fourteen = best_part(ART_146, weights, figure="gio", quantities=question_quantities("con tôi 14 tuổi"))
    assert fourteen is not None and fourteen.clause == "1"
    sixteen = best_part(ART_146, weights, figure="gio", quantities=question_quantities("em 16 tuổi"))
    assert sixteen is not None and sixteen.clause == "2"
    # An age in another unit's words, or none at all, changes nothing.
    headcount = best_part(ART_146, weights, figure="gio", quantities=question_quantities("xưởng có 14 người"))
    assert headcount is not None and headcount.clause == "2"
    # A clause that matches far worse never answers for its age alone.
    few = {"nghe": 3.0, "cong_viec": 2.0, "lam_them": 0.2}
    far = best_part(ART_146, few, quantities=question_quantities("con tôi 14 tuổi"))
    assert far is not None and far.clause == "2"


ART_112 = _article(
    [
        {
            "number": "1",
            "text": "1. Người lao động được nghỉ làm việc, hưởng nguyên lương trong những ngày lễ, tết sau đây:\n"
            "đ) Quốc khánh: 02 ngày (ngày 02 tháng 9 dương lịch và 01 ngày liền kề trước hoặc sau);",
        },
        {
            "number": "2",
            "text": "2. Lao động là người nước ngoài làm việc tại Việt Nam ngoài các ngày nghỉ theo quy định tại "
            "khoản 1 Điều này còn được nghỉ thêm 01 ngày Tết cổ truyền dân tộc và 01 ngày Quốc khánh của nước họ.",
        },
    ]
)


def test_the_foreign_workers_clause_answers_only_a_question_that_names_a_foreigner() -> None:
    from assistant.retrieval.selection import for_foreigners, names_foreigner
    from assistant.retrieval.titles import question_words

    # Clause 2 is short and says "Quốc khánh" and "nghỉ thêm … ngày": it outscores the list of holidays.
    weights = {"quoc_khanh": 3.0, "nghi": 1.0, "ngay": 0.5, "them": 1.0}
    plain = best_part(ART_112, weights, figure="ngay")
    assert plain is not None and plain.clause == "2"
    ours = best_part(ART_112, weights, figure="ngay", foreigners=False)
    assert ours is not None and ours.clause == "1"
    assert for_foreigners("Lao động là người nước ngoài làm việc tại Việt Nam")
    assert for_foreigners("5. Người lao động nước ngoài làm việc tại Việt Nam bị trục xuất")
    assert not for_foreigners("1. Người lao động được nghỉ làm việc, hưởng nguyên lương")
    for asked in (
        "Sếp người Hàn hỏi ngoài lễ VN thì ổng có được nghỉ thêm ngày lễ bên nước ổng ko",
        "lao động nước ngoài được nghỉ Quốc khánh mấy ngày",
        "chồng em quốc tịch Nhật",
    ):
        assert names_foreigner(question_words(asked)), asked
    # "người lao động", "người trung niên" and an elder brother ("người anh") are not foreigners.
    for asked in ("Người lao động được nghỉ Quốc khánh mấy ngày?", "người trung niên", "người anh của em"):
        assert not names_foreigner(question_words(asked)), asked


def _article_25() -> Chunk:
    lead = (
        "Thời gian thử việc do hai bên thỏa thuận căn cứ vào tính chất và mức độ phức tạp của công việc nhưng chỉ "
        "được thử việc một lần đối với một công việc và bảo đảm điều kiện sau đây:"
    )
    clauses = [
        {"number": "1", "text": "1. Không quá 180 ngày đối với công việc của người quản lý doanh nghiệp;"},
        {"number": "2", "text": "2. Không quá 60 ngày đối với công việc có chức danh nghề nghiệp cần trình độ "
                                "chuyên môn, kỹ thuật từ cao đẳng trở lên;"},
        {"number": "3", "text": "3. Không quá 30 ngày đối với công việc có chức danh nghề nghiệp cần trình độ "
                                "chuyên môn, kỹ thuật trung cấp, công nhân kỹ thuật, nhân viên nghiệp vụ;"},
        {"number": "4", "text": "4. Không quá 06 ngày làm việc đối với công việc khác."},
    ]
    return _article(clauses, article=25, title="Thời gian thử việc", lead=lead)  # type: ignore[arg-type]


def test_a_question_matching_only_the_lead_in_is_answered_by_the_whole_article() -> None:
    article = _article_25()
    # "Thử việc mấy lần?" matches the lead-in, and none of the four durations.
    lead_words = {"thu_viec": 5.0, "mot_lan": 4.0, "thu": 1.6, "viec": 0.4, "lan": 1.0}
    assert best_part(article, lead_words, whole_article=True) is None
    # Below the top hit the best clause is still chosen (a runner-up is not quoted at length).
    assert best_part(article, lead_words) is not None
    # A question that names the case gets its clause: "quản lý doanh nghiệp" is in khoản 1 only.
    manager = {"thu_viec": 5.0, "quan_ly": 3.0, "doanh_nghiep": 3.0, "quan": 1.0, "ly": 1.0}
    part = best_part(article, manager, whole_article=True)
    assert part is not None and part.clause == "1"
