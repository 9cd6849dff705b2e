"""Everything the bots say, in one place, so wording is reviewed once for every channel."""

from __future__ import annotations

from bots.channel import Button

FEEDBACK_THANKS = "Cảm ơn bạn đã đánh giá!"
FEEDBACK_SORRY = (
    "Cảm ơn bạn đã góp ý. Bạn có thể hỏi lại với nhiều chi tiết hơn (loại hợp đồng, thời gian làm việc, "
    "điều bạn cần biết), hoặc gõ /lienhe để gặp cán bộ công đoàn."
)
FEEDBACK_NOTHING = "Chưa có câu trả lời nào để đánh giá. Bạn hãy đặt câu hỏi trước nhé."
FEEDBACK_UNKNOWN = "Không tìm thấy câu trả lời này để ghi nhận đánh giá."

UNSUPPORTED = (
    "Hiện tôi mới đọc được tin nhắn dạng chữ. Bạn vui lòng gõ câu hỏi bằng chữ nhé "
    "(ảnh, nhãn dán và tin nhắn thoại chưa được hỗ trợ)."
)
CONTACT_NOT_OWN = "Vui lòng chia sẻ số điện thoại của chính bạn bằng nút “📱 Chia sẻ số điện thoại”."
FAILURE = "Xin lỗi, hệ thống đang gặp sự cố nên chưa trả lời được. Bạn vui lòng thử lại sau ít phút."
PRIVATE_ONLY = (
    "Để giữ bí mật thông tin cá nhân, bạn hãy nhắn riêng cho tôi để liên kết thẻ đoàn viên hoặc gặp cán bộ công đoàn."
)
CANCELLED = "Đã hủy. Bạn có thể tiếp tục đặt câu hỏi bất cứ lúc nào."
NOTHING_TO_CANCEL = "Không có thao tác nào đang chờ. Bạn có thể đặt câu hỏi ngay."

CASE_DESCRIBE = (
    "Bạn hãy mô tả ngắn gọn sự việc cần cán bộ công đoàn hỗ trợ (điều gì đã xảy ra, từ khi nào, "
    "bạn mong muốn điều gì). Không cần gửi số CCCD hay giấy tờ tùy thân. Gõ /huy để hủy."
)
CASE_DECLINED = "Đã hủy, nội dung trò chuyện không được chuyển cho cán bộ. Bạn vẫn có thể hỏi tiếp."
CASE_FOLLOWUP = "Tôi đã chuyển thông tin bạn bổ sung tới cán bộ công đoàn đang xử lý yêu cầu #{ref}."

LINK_PROMPT_CONTACT = (
    "Bấm nút “📱 Chia sẻ số điện thoại” bên dưới để liên kết với hồ sơ đoàn viên của bạn. "
    "Hoặc gõ: /lienket <mã đoàn viên> <4 số cuối số điện thoại>, ví dụ: /lienket DV001234 5678"
)
LINK_PROMPT_TYPED = (
    "Để liên kết với hồ sơ đoàn viên, bạn gõ: /lienket <mã đoàn viên> <4 số cuối số điện thoại>, "
    "ví dụ: /lienket DV001234 5678"
)
LINK_BUTTON = "📱 Chia sẻ số điện thoại"

RATE_LIMITED = "Bạn đang gửi tin nhắn hơi nhanh. Vui lòng đợi khoảng {seconds} giây rồi hỏi tiếp nhé, tôi vẫn ở đây."
TOO_LONG = (
    "Tin nhắn của bạn dài {length} ký tự, vượt quá giới hạn {limit} ký tự. Bạn hãy tóm tắt câu hỏi chính "
    "trong vài câu (loại hợp đồng, thời gian làm việc, điều bạn cần biết). Nếu cần trình bày hồ sơ dài, "
    "hãy gõ /lienhe để gặp cán bộ công đoàn."
)

OFFICER_HEADING = "💬 Cán bộ công đoàn trả lời"
OFFICER_FOOTER = "Bạn có thể nhắn tiếp tại đây nếu cần bổ sung thông tin."

BUTTON_GOOD = "👍 Hữu ích"
BUTTON_BAD = "👎 Chưa hữu ích"
BUTTON_OFFICER = "🧑‍💼 Gặp cán bộ công đoàn"
BUTTON_YES = "✅ Đồng ý"
BUTTON_NO = "Không"
QUICK_REPLIES = "Trả lời nhanh:"


def greeting(name: str) -> str:
    hello = f"Xin chào {name}!" if name else "Xin chào!"
    return (
        f"{hello} Tôi là trợ lý pháp lý của Công đoàn Việt Nam. Bạn có thể hỏi tôi về hợp đồng lao động, "
        "tiền lương, thời giờ làm việc, nghỉ phép, bảo hiểm xã hội, kỷ luật lao động, an toàn lao động và "
        "quyền của đoàn viên; tôi trả lời kèm trích dẫn điều luật.\n\n"
        "Ví dụ: “Nghỉ việc thì phải báo trước bao nhiêu ngày?”"
    )


def help_text(typed: bool) -> str:
    lines = [
        "Cách dùng trợ lý:",
        "• Gõ câu hỏi của bạn bằng tiếng Việt, càng cụ thể càng tốt.",
        "• /lienhe – gặp cán bộ công đoàn (chỉ chuyển nội dung khi bạn đồng ý).",
        "• /lienket – liên kết với hồ sơ đoàn viên để yêu cầu được chuyển đúng công đoàn cơ sở.",
        "• /huy – hủy thao tác đang làm dở.",
    ]
    if typed:
        lines.append("• Sau mỗi câu trả lời: gõ 1 nếu hữu ích, 2 nếu chưa hữu ích, 0 để gặp cán bộ công đoàn.")
    else:
        lines.append("• Sau mỗi câu trả lời, bấm 👍 hoặc 👎 để giúp chúng tôi cải thiện.")
    lines.append("Thông tin chỉ mang tính tham khảo pháp lý; vụ việc cụ thể hãy trao đổi với cán bộ công đoàn.")
    return "\n".join(lines)


def linked(name: str, unit: str) -> str:
    where = f" thuộc {unit}" if unit else ""
    return (
        f"Đã liên kết với hồ sơ đoàn viên {name}{where}. Từ nay yêu cầu hỗ trợ của bạn sẽ được chuyển "
        "tới công đoàn cơ sở của bạn."
    )


def consent(unit: str, linked_member: bool) -> str:
    target = f"cán bộ {unit}" if unit else "cán bộ công đoàn cơ sở của bạn"
    shared = "các câu bạn đã hỏi trong cuộc trò chuyện này"
    if linked_member:
        shared += ", họ tên và số điện thoại trong hồ sơ đoàn viên của bạn"
    return (
        f"Tôi sẽ chuyển nội dung cuộc trò chuyện cho {target} để hỗ trợ trực tiếp. "
        f"Cán bộ sẽ xem được {shared}. Bạn có đồng ý không?"
    )


def case_opened(ref: str, unit: str, due: str, created: bool) -> str:
    if not created:
        return (
            f"Yêu cầu #{ref} của bạn đã được gửi tới {unit} trước đó và đang được xử lý. "
            "Bạn có thể nhắn bổ sung thông tin tại đây."
        )
    deadline = f" Hạn phản hồi: {due}." if due else ""
    return (
        f"Đã gửi yêu cầu #{ref} tới {unit}.{deadline} Câu trả lời của cán bộ sẽ được gửi về ngay cuộc trò chuyện này."
    )


def case_in_progress(ref: str, unit: str, status: str) -> str:
    return f"Yêu cầu #{ref} của bạn đang ở {unit} (trạng thái: {status}). Bạn có thể nhắn bổ sung thông tin tại đây."


def answer_buttons(message_id: str) -> list[list[Button]]:
    return [
        [Button(BUTTON_GOOD, f"fb:{message_id}:1", "1"), Button(BUTTON_BAD, f"fb:{message_id}:-1", "2")],
        [Button(BUTTON_OFFICER, "case:start", "0")],
    ]


def consent_buttons() -> list[list[Button]]:
    return [[Button(BUTTON_YES, "case:yes", "đồng ý"), Button(BUTTON_NO, "case:no", "không")]]
