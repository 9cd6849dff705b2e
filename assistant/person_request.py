"""Does a message ask to be put in touch with a person (an officer, the union's lawyer, someone who is not the bot,
the union's phone or address), and does it ask nothing else?

Works on the folded, clause-split key of :func:`assistant.answering.matching.clause_key`, after
:func:`written_out`. A request is a set phrase ("gặp cán bộ", "người thật", "hotline"); a way of reaching someone
followed closely, within one part of the message, by whom ("nối máy cho em với cán bộ", "xin zalo của cán bộ công
đoàn"); where or how to reach the union next to whom ("địa chỉ liên đoàn lao động quận", "văn phòng công đoàn thứ 7
có mở cửa không"); or whom followed by a call back ("nhờ cán bộ công đoàn gọi lại em").
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answering.matching import contains_any, term_list

# Set phrases that ask for a person by themselves.
PERSON_REQUEST = term_list(
    """gap can bo|noi chuyen voi nguoi|gap nguoi|nguoi that|tu van truc tiep|noi chuyen truc tiep|hoi truc tiep
    |gap truc tiep|lien he cong doan|lien lac cong doan|lien he voi cong doan|lien lac voi cong doan|gap cong doan
    |chuyen cho can bo|can bo lien he|hotline|gap admin|khong phai bot|tra loi tu dong|goi lai cho|lien he lai
    |van phong tu van|van phong cong doan|tru so cong doan|qua truc tiep|den truc tiep|lien he so nao
    |co luat su nao|luat su nao ben|luat su ben cong doan|luat su cua cong doan|can luat su
    |nho luat su|thue luat su|ai truc tong dai|chat voi may|chat voi bot|noi chuyen voi may|noi chuyen voi bot
    |co ai la nguoi khong|ai la nguoi that|ai goi lai|goi lai tu van|goi lai huong dan|goi lai giai thich
    |goi lai em voi|goi lai toi voi|goi lai minh voi|goi lai giup|goi lai gium|goi lai dum|cong doan lien he
    |lien he em|lien he voi em
    |thong tin lien he|dat hen|dat lich gap|hen gap|so lien he|lien he tu van|goi dien cho toi duoc khong
    |goi dien cho em duoc khong|goi dien cho minh duoc khong"""
)
# Pleas for the union's help and ways of calling anyone: a request, but alone not enough to hand the member off
# when the rest of the message says more ("quản lý gọi điện chửi em", "công ty bắt cung cấp số điện thoại").
# Bare "kiện" and "cứu" are left out: folded, they are also "điều kiện", "ý kiến" and "nghiên cứu".
_PLEAS = term_list(
    """goi dien|so dien thoai|nho cong doan|cong doan giup|cong doan can thiep|can giup do|giup toi voi
    |giup em voi|giup minh voi|cuu toi|cuu em|cuu minh|cuu voi|cuu giup|bao ve quyen loi|dung ra giup"""
)
# A way of reaching someone ("nối máy", "xin zalo", "địa chỉ")...
_REACHING = term_list(
    """gap|noi chuyen|lien he|lien lac|noi may|ket noi|goi lai|goi cho|hen lich|hen gap|sap xep|chuyen qua
    |chuyen em qua|chuyen toi qua|chuyen minh qua|qua gap|den gap|xin so|so|so dien thoai|dien thoai|hotline
    |email|zalo|dia chi|so may|facebook|fanpage|inbox|nhan tin|noi em voi|noi toi voi|noi minh voi|dat lich
    |dat hen|goi dien|len phong|tim"""
)
# ...and whom: an officer, the union, its lawyer or legal staff, a real person.
_WHOM = term_list(
    """can bo|cong doan|luat su|nguoi that|tu van vien|nguoi tu van|chu tich|ban chap hanh|lien doan lao dong
    |phap ly|admin|nguoi phu trach|nguoi truc|nhan vien tu van|nhan vien cong doan|ban nu cong|nu cong
    |truong ban|pho ban|phong tu van|trung tam tu van|phong cong doan"""
)
# Where and how to reach the union, named close to whom, before or after, even across a comma ("Trụ sở
# Liên đoàn Lao động tỉnh ở đâu", "công đoàn cơ sở cty em ai phụ trách, cho xin số"). Zalo, Facebook and phones
# count only as a way of reaching someone ("xin zalo của cán bộ"): "nhóm Zalo công ty rằng chủ tịch công đoàn…".
_MEANS = term_list(
    """so dien thoai|hotline|fanpage|dia chi|tru so|van phong|tong dai|lich tiep|gio mo cua|mo cua|so nao|xin so
    |ai phu trach|online|lien he ai|lien he o dau|lien he the nao|lien he kieu gi|lien he sao|phong nao
    |co truc|truc khong|ten gi|tang may|co zalo|zalo oa|co facebook|co email|email|fax|lam viec sang
    |lam viec chieu|lam viec thu|lam viec chu nhat|lam viec cuoi tuan|duong day nong"""
)
_NEAR = 7
# Questions about the assistant itself ("bạn có phải người thật không?") name a real person without asking for one.
_ABOUT_THE_ASSISTANT = term_list(
    """ban la nguoi|ban co phai nguoi|ban la ai|la nguoi that hay|nguoi that hay may|may hay nguoi|ai tao ra ban
    |ai lam ra ban"""
)
# How many words may stand between the way of reaching and whom ("nối máy cho em với cán bộ": 3), and which; after
# a title, a name too ("gặp chú Hùng chủ tịch", "zalo cô Lan ban nữ công").
_REACH = 6
_TITLES = frozenset(term_list("anh|chi|chu|co|ong|ba|bac|thay|di|cau"))
_BRIDGE = frozenset(
    term_list(
        """cho|em|toi|minh|chung|voi|cua|duoc|truc|tiep|ngay|giup|gium|dum|a|tu|van|phap|luat|rieng|mot|nguoi
        |ong|ba|chi|anh|co|chu|bac|luon|ben"""
    )
)
# Words that carry no question of their own around a request for a person ("cho em gặp cán bộ công đoàn
# với ạ"): when nothing else is left, the member only wants a person and gets the hand-off.
_FILLER = frozenset(
    term_list(
        """toi|em|minh|chung|anh|chi|ban|muon|can|cho|xin|duoc|khong|ko|k|a|ah|voi|nho|hay|vui|long|lam|on
        |giup|do|ho|tro|cong|doan|bo|co|so|nguoi|that|truc|tiep|gap|noi|chuyen|lien|he|goi|dien|thoai|tu|van
        |oi|nhe|nha|di|cua|ai|o|dau|the|nao|sao|de|dang|ky|yeu|cau|ngay|bay|gio|luon|nhanh|hoi|ve|tinh|huyen
        |quan|phuong|xa|thanh|pho|nganh|cap|tren|cuu|admin|hotline|luat|su|lac|chu|tich|ak|gium|dum|som|lai
        |mot|chut|la|gi|j|bao|nhieu|alo|chao|hello|hi|dia|email|zalo|facebook|fanpage|inbox|nhan|tin|bot|tra
        |loi|dong|nua|phai|may|vien|hen|lich|tuan|nay|sap|xep|chat|khu|nghiep|lao|phong|chap|hanh|qua|den
        |kieu|cach|phap|ly|ket|trach|phu|vs|nhu|roi|mai|hom|chieu|sang|dc|vay|ha|kcn|ldld|tong|tri|vi|biet
        |rang|moi|ty|cty|ben|tru"""
    )
)
# Work words a request is made of ("cán bộ công đoàn công ty em", "liên đoàn lao động tỉnh") and the channels it
# names (Facebook, Zalo: words of other fields for the scope lists): no question.
CONTACT_TOPICS = frozenset(
    term_list(
        """cong doan|cong ty|cty|nhan vien|lam viec|doan vien|lao dong|quan ly|doanh nghiep|giam doc|truong phong
        |to truong|quan doc|truong ca|noi lam viec|di lam|cong nhan|sep|bao ve quyen loi|luat su|facebook|zalo
        |fanpage|email|dien thoai|tong dai|mang xa hoi"""
    )
)
# Chat shorthand that only a request for a person needs read ("cho e gặp cb cđ", "xin sđt công đoàn"). Kept out
# of the lexicon's shorthand, which search reads too: there "cb" is as often "chuẩn bị" and "cd" "cao đẳng".
_SHORTHAND = {
    "e": "em", "t": "toi", "mk": "minh", "mik": "minh", "ad": "admin", "cb": "can bo", "cd": "cong doan",
    "cdcs": "cong doan co so", "sdt": "so dien thoai", "dt": "dien thoai", "ls": "luat su", "tv": "tu van",
    "bch": "ban chap hanh", "fb": "facebook", "cdoan": "cong doan", "ib": "inbox", "nv": "nhan vien",
}


def written_out(key: str) -> str:
    """The key with the request shorthand written out ("cho e gap cb cd" → "cho em gap can bo cong doan")."""
    return " ".join(_SHORTHAND.get(word, word) for word in key.split(" "))


@dataclass(frozen=True)
class Request:
    found: tuple[str, ...] = ()  # the phrases that ask for a person
    plain: bool = False  # asked plainly (whom, or how to reach the union), not only a plea for help


def person_request(key: str) -> Request:
    """How a (written-out) key asks for a person, if it does."""
    if contains_any(key, _ABOUT_THE_ASSISTANT):
        return Request()
    plain = contains_any(key, PERSON_REQUEST) + _reaching_whom(key) + _means_near_whom(key) + _whom_calls_back(key)
    return Request(tuple(plain + contains_any(key, _PLEAS)), bool(plain))


def _whom_calls_back(key: str) -> list[str]:
    """Whom, then a way of calling back, a few words on ("nhờ cán bộ công đoàn gọi lại em", "tư vấn viên gọi lại")."""
    words = key.split()
    callbacks = _positions(words, _CALLBACK_BY_FIRST)
    return [
        f"{whom} … {callback}"
        for whom, (_, whom_end) in _positions(words, _WHOM_BY_FIRST)
        for callback, (start, _) in callbacks
        if 0 <= start - whom_end <= _REACH and "|" not in words[whom_end:start]
    ]


def _means_near_whom(key: str) -> list[str]:
    """A way to reach the union within a few words of whom, in either order."""
    words = key.split()
    means = _positions(words, _MEANS_BY_FIRST)
    whom = _positions(words, _WHOM_BY_FIRST)
    return [
        f"{m} ~ {w}"
        for m, (m_start, m_end) in means
        for w, (w_start, w_end) in whom
        if max(m_start - w_end, w_start - m_end) <= _NEAR
    ]


def _positions(words: list[str], index: dict[str, list[list[str]]]) -> list[tuple[str, tuple[int, int]]]:
    found = []
    for start in range(len(words)):
        phrase = _starts_with(words, start, index)
        if phrase:
            found.append((phrase, (start, start + len(phrase.split()))))
    return found


def _reaching_whom(key: str) -> list[str]:
    """A way of reaching followed by whom, with only a few small words between: "gặp khó khăn thì công đoàn…"
    asks for nobody."""
    found = []
    words = key.split()
    for start in range(len(words)):
        reaching = _starts_with(words, start, _REACHING_BY_FIRST)
        if not reaching:
            continue
        after = start + len(reaching.split())
        named = 0  # words of a name still allowed, after a title
        for gap in range(_REACH + 1):
            if after + gap >= len(words):
                break
            word = words[after + gap]
            whom = _starts_with(words, after + gap, _WHOM_BY_FIRST)
            if whom:
                found.append(f"{reaching} … {whom}")
                break
            if word in _TITLES:
                named = 2
            elif word not in _BRIDGE:
                if not named or word == "|":
                    break
                named -= 1
    return found


def only_asks_for_person(key: str, request: Request, topics: tuple[str, ...] = ()) -> bool:
    """A request for a person with no question beside it: "cho tôi gặp cán bộ công đoàn", "địa chỉ LĐLĐ tỉnh
    ở đâu ạ, em muốn ghé". A message that also asks something ("tôi muốn khiếu nại, thủ tục thế nào?", "gặp cán
    bộ hỏi về thai sản") is answered, with the escalation suggested beside the answer. Something is asked when a
    message names one of ``topics`` (work, insurance, a dispute, another field of law) beyond the words a request
    is made of (``CONTACT_TOPICS``: the union, the company, its staff; left out of ``topics`` by the caller), or,
    beside a mere plea for help, any word but filler."""
    if not request.found or contains_any(key, topics):
        return False
    # A phone number the member leaves ("sđt em 0912…") is no question either.
    return request.plain or all(word in _FILLER or word == "|" or word[0].isdigit() for word in key.split())


def _by_first_word(phrases: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """Phrases split into words and indexed by their first, longest first: one dict lookup per word."""
    index: dict[str, list[list[str]]] = {}
    for phrase in sorted(phrases, key=lambda p: -len(p.split())):
        parts = phrase.split()
        index.setdefault(parts[0], []).append(parts)
    return index


_REACHING_BY_FIRST = _by_first_word(_REACHING)
_WHOM_BY_FIRST = _by_first_word(_WHOM)
_MEANS_BY_FIRST = _by_first_word(_MEANS)
_CALLBACK_BY_FIRST = _by_first_word(term_list("goi lai|lien he lai|goi dien lai|nhan tin lai"))


def _starts_with(words: list[str], start: int, index: dict[str, list[list[str]]]) -> str | None:
    """The longest phrase of ``index`` that the words begin with at ``start``."""
    for parts in index.get(words[start], ()):
        if words[start : start + len(parts)] == parts:
            return " ".join(parts)
    return None
