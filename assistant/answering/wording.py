"""Every sentence the assistant says on its own behalf (refusals, notes, the source list), in one place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from assistant.legal import Citation, document_name

HELP_SCOPE = (
    "hợp đồng lao động, tiền lương, thời giờ làm việc và nghỉ ngơi, làm thêm giờ, kỷ luật lao động, "
    "chấm dứt hợp đồng, bảo hiểm xã hội, an toàn vệ sinh lao động và hoạt động công đoàn"
)

OUT_OF_SCOPE = (
    "Xin lỗi, câu hỏi này nằm ngoài phạm vi tôi có thể hỗ trợ. Tôi là trợ lý pháp lý của Công đoàn, chỉ trả "
    f"lời các câu hỏi về pháp luật lao động: {HELP_SCOPE}. "
    "Bạn có thể hỏi, ví dụ: “Nghỉ việc thì phải báo trước bao nhiêu ngày?”"
)

GREETING = (
    "Xin chào! Tôi là trợ lý pháp lý của Công đoàn. Tôi có thể giải đáp các câu hỏi về "
    f"{HELP_SCOPE}, kèm trích dẫn điều luật. Bạn muốn hỏi điều gì?"
)

NOT_FOUND = (
    "Tôi chưa tìm thấy quy định nào trong các văn bản hiện có trả lời đúng câu hỏi này, nên tôi không muốn "
    "đoán. Bạn có thể hỏi lại cụ thể hơn (ví dụ: loại hợp đồng, thời gian đã làm việc, sự việc đã xảy ra), "
    "hoặc đề nghị gặp cán bộ công đoàn để được hỗ trợ trực tiếp."
)

DISCLAIMER = (
    "Lưu ý: đây là thông tin pháp luật để tham khảo, không phải ý kiến tư vấn cho trường hợp cụ thể. "
    "Nếu cần hỗ trợ, bạn hãy liên hệ công đoàn cơ sở nơi mình làm việc, hoặc đề nghị gặp cán bộ công đoàn "
    "ngay trong cuộc trò chuyện này."
)

ESCALATION_HINT = (
    "Sự việc bạn kể có thể cần cán bộ công đoàn hỗ trợ trực tiếp. Nếu bạn đồng ý, hãy chọn "
    "“Gặp cán bộ công đoàn” để chuyển nội dung cuộc trò chuyện cho công đoàn cơ sở của bạn."
)

HANDOFF = (
    "Tôi có thể chuyển bạn tới cán bộ công đoàn. Hãy chọn “Gặp cán bộ công đoàn” và đồng ý chuyển nội dung "
    "cuộc trò chuyện; cán bộ công đoàn cơ sở sẽ liên hệ lại với bạn. Bạn có thể kể thêm sự việc (đã xảy ra "
    "khi nào, ở đâu, ai liên quan) để cán bộ nắm rõ hơn."
)

NO_FIGURE = (
    "Tôi chưa tìm thấy con số cụ thể cho câu hỏi này trong các văn bản hiện có của hệ thống, nên không đưa ra "
    "con số nào để tránh trả lời sai. Dưới đây là quy định liên quan nhất tôi tìm được; nếu cần con số chính xác "
    "cho trường hợp của bạn, hãy hỏi cán bộ công đoàn."
)

# A first message that points at a situation nobody has told ("Trường hợp này có được thử việc không?").
DESCRIBE_CASE = (
    "Câu hỏi nhắc tới một tình huống mà bạn chưa kể, nên trên đây là quy định chung liên quan nhất. Bạn hãy mô tả "
    "rõ hơn (công việc, loại và thời hạn hợp đồng, sự việc đã xảy ra) để tôi trả lời sát với trường hợp của bạn."
)

SOURCES_HEADING = "Căn cứ pháp lý:"


def fmt_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def is_consolidated(version_label: str) -> bool:
    return "VBHN" in version_label.upper() or "hợp nhất" in version_label.lower()


def version_note(citation: Citation) -> str | None:
    """Say which text was quoted when it is not simply the law as first issued."""
    label = citation.version_label.strip()
    name = document_name(citation)
    if label and is_consolidated(label):
        return (
            f"Trích theo văn bản hợp nhất {label} của {name} (bản cập nhật các sửa đổi, bổ sung; giá trị "
            "pháp lý thuộc các văn bản được hợp nhất)."
        )
    if label and label != citation.work_number and citation.valid_from:
        return f"Trích theo phiên bản “{label}” của {name}, áp dụng từ ngày {fmt_date(citation.valid_from)}."
    if label and label != citation.work_number:
        return f"Trích theo phiên bản “{label}” của {name}."
    return None


def validity_note(citation: Citation) -> str | None:
    if citation.valid_to:
        return f"Quy định này chỉ áp dụng đến trước ngày {fmt_date(citation.valid_to)}."
    return None


def sources_block(citations: Sequence[Citation]) -> str:
    lines = [SOURCES_HEADING]
    for citation in citations:
        line = f"• {citation.label()}"
        notes = [n for n in (version_note(citation), validity_note(citation)) if n]
        if notes:
            line += f" — {' '.join(notes)}"
        lines.append(line)
    return "\n".join(lines)


def newer_text_note(citation: Citation, label: str) -> str:
    # No date in it: every number an answer states must come from the text it cites.
    return (
        f"Lưu ý: {document_name(citation)} đã được sửa đổi, bổ sung. Văn bản hợp nhất {label} đang được áp dụng "
        "nhưng chưa có trong kho văn bản của hệ thống, nên đoạn trích trên có thể chưa phản ánh các sửa đổi đó. "
        "Bạn hãy đối chiếu văn bản hợp nhất hoặc hỏi cán bộ công đoàn trước khi áp dụng."
    )


def as_of_note(as_of: date, today: date) -> str | None:
    if as_of != today:
        return f"Câu trả lời theo các quy định có hiệu lực vào ngày {fmt_date(as_of)}."
    return None
