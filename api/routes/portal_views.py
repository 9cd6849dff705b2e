"""HTML of the officers' portal. Every value that comes from data goes through ``e()``; pages are plain
server-rendered forms (each POST carries the CSRF token), and the dashboard's charts are drawn by
/portal/static/portal.js from a JSON block in the page (no inline script, so a strict CSP holds)."""

from __future__ import annotations

import json
from functools import cache
from html import escape
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlencode

from assistant import cases as case_rules
from assistant.access import Reach
from assistant.cases import CATEGORIES, KIND_LABELS, OPINION_CATEGORIES, STATUS_LABELS
from assistant.db.union import Unit
from assistant.units import LEVEL_LABELS

WEB = Path(__file__).resolve().parents[1] / "web" / "portal"
ROLE_LABELS = {
    "officer": "Cán bộ",
    "legal": "Cán bộ pháp lý",
    "curator": "Biên tập viên",
    "admin": "Quản trị",
}
ACTION_LABELS = {
    "opened": "Tiếp nhận",
    "reopened": "Mở lại",
    "assigned": "Giao xử lý",
    "replied": "Trả lời đoàn viên",
    "member_replied": "Đoàn viên phản hồi",
    "escalated": "Chuyển lên cấp trên",
    "resolved": "Giải quyết xong",
    "closed": "Đóng",
    "erased": "Xoá dữ liệu cá nhân",
}
DELIVERY_LABELS = {"pending": "Đang chờ gửi", "sending": "Đang gửi", "sent": "Đã gửi", "failed": "Gửi lỗi"}
CHANNEL_LABELS = {"web": "Trang web", "telegram": "Telegram", "zalo": "Zalo", "cli": "Dòng lệnh"}
CHARTS = {
    "questions_per_day": "Câu hỏi theo ngày",
    "satisfaction": "Mức độ hài lòng",
    "cases_by_status": "Vụ việc theo trạng thái",
    "questions_per_unit": "Câu hỏi theo đơn vị",
    "questions_per_topic": "Câu hỏi theo chủ đề",
    "top_citations": "Điều luật được trích dẫn nhiều nhất",
}
ROLE_NAMES = {"user": "Đoàn viên", "assistant": "Trợ lý", "officer": "Cán bộ công đoàn"}
FLASHES = {
    "reply": "Đã lưu câu trả lời; hệ thống sẽ gửi tới đoàn viên qua kênh của họ.",
    "assign": "Đã giao vụ việc.",
    "resolve": "Đã cập nhật kết quả xử lý.",
    "escalate": "Đã chuyển vụ việc lên công đoàn cấp trên.",
    "correction": "Đã ghi nhận đính chính; biên tập viên sẽ xử lý.",
    "task": "Đã đánh dấu nhiệm vụ hoàn thành.",
}


def e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


@cache
def _layout() -> Template:
    return Template((WEB / "layout.html").read_text(encoding="utf-8"))


def csrf_field(token: str) -> str:
    return f'<input type="hidden" name="csrf_token" value="{e(token)}">'


def _nav(reach: Reach | None, active: str, csrf: str) -> tuple[str, str]:
    if reach is None:
        return "", ""
    links = [
        ("cases", "/portal/cases", "Hàng đợi vụ việc", "cases"),
        ("dashboard", "/portal/dashboard", "Bảng theo dõi", "analytics"),
        ("documents", "/portal/documents", "Văn bản", "documents"),
        ("tasks", "/portal/tasks", "Đính chính cần xử lý", "curator_tasks"),
    ]
    nav = "".join(
        f'<a href="{href}"{" aria-current=page" if key == active else ""}>{label}</a>'
        for key, href, label, capability in links
        if reach.can(capability)
    )
    who = (
        f"<span>{e(reach.display_name)} · {e(ROLE_LABELS.get(reach.role, reach.role))} · "
        f"{e(reach.unit_name)}</span>"
        f'<form method="post" action="/portal/logout" class="inline">{csrf_field(csrf)}'
        f'<button type="submit" class="link">Đăng xuất</button></form>'
    )
    return nav, who


def page(title: str, body: str, *, reach: Reach | None, csrf: str, active: str = "", flash: str = "") -> str:
    nav, who = _nav(reach, active, csrf)
    notice = f'<p class="flash" role="status">{e(FLASHES.get(flash, ""))}</p>' if flash in FLASHES else ""
    return _layout().substitute(title=e(title), nav=nav, who=who, flash=notice, body=body)


def login_body(csrf: str, error: str = "", username: str = "") -> str:
    alert = f'<p class="error" role="alert">{e(error)}</p>' if error else ""
    return f"""
<section class="card narrow">
  <h1>Đăng nhập</h1>
  {alert}
  <form method="post" action="/portal/login" id="login-form">
    {csrf_field(csrf)}
    <label>Tên đăng nhập
      <input name="username" autocomplete="username" required value="{e(username)}"></label>
    <label>Mật khẩu <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">Đăng nhập</button>
  </form>
</section>"""


def error_body(message: str) -> str:
    return (
        f'<section class="card narrow"><h1>Không thể hiển thị</h1><p>{e(message)}</p>'
        f'<p><a href="/portal/cases">Về hàng đợi vụ việc</a></p></section>'
    )


# --- queue ----------------------------------------------------------------------------------------


def _options(choices: dict[str, str], selected: str | None, blank: str | None = None) -> str:
    out = [f'<option value="">{e(blank)}</option>'] if blank is not None else []
    out += [
        f'<option value="{e(value)}"{" selected" if value == selected else ""}>{e(label)}</option>'
        for value, label in choices.items()
    ]
    return "".join(out)


def queue_body(
    items: list[dict[str, Any]],
    *,
    filters: dict[str, str],
    units: list[Unit],
    page: int,
    has_more: bool,
) -> str:
    statuses = {"unfinished": "Chưa kết thúc", "all": "Tất cả", **STATUS_LABELS}
    categories = {**CATEGORIES, **OPINION_CATEGORIES}
    unit_choices = {u.code: f"{'· ' * u.depth}{u.name}" for u in units}
    rows = "".join(_queue_row(item) for item in items) or (
        '<tr><td colspan="8" class="empty">Không có vụ việc nào phù hợp.</td></tr>'
    )
    overdue_checked = " checked" if filters.get("overdue") == "true" else ""
    mine_checked = " checked" if filters.get("mine") == "true" else ""
    return f"""
<h1>Hàng đợi vụ việc</h1>
<form method="get" action="/portal/cases" class="filters" aria-label="Lọc vụ việc">
  <label>Trạng thái
    <select name="status">{_options(statuses, filters.get("status") or "unfinished")}</select></label>
  <label>Loại <select name="kind">{_options(KIND_LABELS, filters.get("kind"), "Tất cả")}</select></label>
  <label>Lĩnh vực
    <select name="category">{_options(categories, filters.get("category"), "Tất cả")}</select></label>
  <label>Đơn vị
    <select name="unit">{_options(unit_choices, filters.get("unit"), "Tất cả đơn vị")}</select></label>
  <label class="check"><input type="checkbox" name="overdue" value="true"{overdue_checked}> Quá hạn</label>
  <label class="check"><input type="checkbox" name="mine" value="true"{mine_checked}> Việc của tôi</label>
  <button type="submit">Lọc</button>
</form>
<table class="queue">
  <thead><tr><th>Mã</th><th>Loại</th><th>Lĩnh vực</th><th>Nội dung</th><th>Đơn vị</th><th>Trạng thái</th>
  <th>Hạn xử lý</th><th>Người xử lý</th></tr></thead>
  <tbody>{rows}</tbody>
</table>
{_pager(filters, page, has_more)}"""


def _queue_row(item: dict[str, Any]) -> str:
    overdue = ' class="overdue"' if item["overdue"] else ""
    badge = '<span class="badge danger">Quá hạn</span>' if item["overdue"] else ""
    level = f' <span class="badge">Chuyển cấp {item["escalation_level"]}</span>' if item["escalation_level"] else ""
    return (
        f'<tr{overdue} data-case-id="{e(item["id"])}">'
        f'<td><a href="/portal/cases/{e(item["id"])}">{e(item["id"][:8])}</a></td>'
        f"<td>{e(KIND_LABELS.get(item['kind'], item['kind']))}</td>"
        f"<td>{e(item['category_label'])} "
        f'<span class="prio {e(item["priority"])}">{e(item["priority_label"])}</span></td>'
        f'<td><a href="/portal/cases/{e(item["id"])}">{e(item["subject"])}</a></td>'
        f"<td>{e(item['unit_name'])}{level}</td>"
        f"<td>{e(item['status_label'])}</td>"
        f"<td>{e(item['due_vn'])} {badge}</td>"
        f"<td>{e(item['assignee'] or '—')}</td></tr>"
    )


def _pager(filters: dict[str, str], page: int, has_more: bool) -> str:
    def link(target: int, label: str) -> str:
        query = urlencode({**{k: v for k, v in filters.items() if v}, "page": target})
        return f'<a href="/portal/cases?{e(query)}">{label}</a>'

    parts = [link(page - 1, "← Trang trước")] if page > 1 else []
    parts.append(f"<span>Trang {page}</span>")
    if has_more:
        parts.append(link(page + 1, "Trang sau →"))
    return f'<nav class="pager" aria-label="Phân trang">{" ".join(parts)}</nav>'


# --- one case -------------------------------------------------------------------------------------


def case_body(detail: dict[str, Any], reach: Reach, csrf: str) -> str:
    case_id = detail["id"]
    finished = detail["status"] in case_rules.FINISHED
    overdue = ' <span class="badge danger">Quá hạn</span>' if detail["overdue"] else ""
    info = f"""
<dl class="facts">
  <dt>Loại</dt><dd>{e(KIND_LABELS.get(detail["kind"], detail["kind"]))} · {e(detail["category_label"])}</dd>
  <dt>Mức ưu tiên</dt><dd>{e(detail["priority_label"])}</dd>
  <dt>Trạng thái</dt><dd id="case-status">{e(detail["status_label"])}</dd>
  <dt>Đơn vị</dt><dd>{e(detail["unit_name"])}</dd>
  <dt>Hạn xử lý</dt><dd>{e(detail["due_vn"])}{overdue}</dd>
  <dt>Người xử lý</dt><dd>{e(detail["assignee"] or "Chưa giao")}</dd>
  <dt>Số điện thoại liên hệ</dt><dd>{e(detail["contact_phone"] or "—")}</dd>
  <dt>Kênh</dt><dd>{e(CHANNEL_LABELS.get(detail["channel"], detail["channel"]))}</dd>
</dl>"""
    description = f'<p class="description">{e(detail["description"])}</p>' if detail["description"] else ""
    actions = "" if finished else _case_actions(case_id, csrf)
    resolution = (
        f'<section class="card"><h2>Kết quả xử lý</h2><p>{e(detail["resolution_note"])}</p></section>'
        if detail["resolution_note"]
        else ""
    )
    return f"""
<p><a href="/portal/cases">← Hàng đợi vụ việc</a></p>
<h1>{e(detail["subject"])}</h1>
<div class="grid">
  <section class="card">{info}{description}</section>
  <section class="card">{actions or "<p>Vụ việc đã kết thúc.</p>"}</section>
</div>
{resolution}
<section class="card"><h2>Cuộc trao đổi</h2>{_conversation(detail, reach, csrf)}</section>
<section class="card"><h2>Phản hồi đã gửi</h2>{_deliveries(detail["deliveries"])}</section>
<section class="card"><h2>Nhật ký xử lý</h2>{_events(detail["events"])}</section>"""


def _case_actions(case_id: str, csrf: str) -> str:
    base = f"/portal/cases/{e(case_id)}"
    return f"""
<h2>Trả lời đoàn viên</h2>
<form method="post" action="{base}/reply" id="reply-form">
  {csrf_field(csrf)}
  <label for="reply-text">Nội dung trả lời</label>
  <textarea id="reply-text" name="text" rows="5" required maxlength="4000"></textarea>
  <label class="check"><input type="checkbox" name="wait_for_member" value="true">
    Cần đoàn viên bổ sung thông tin</label>
  <button type="submit">Gửi trả lời</button>
</form>
<div class="row">
  <form method="post" action="{base}/assign">{csrf_field(csrf)}
    <button type="submit" class="secondary">Nhận xử lý</button></form>
  <form method="post" action="{base}/escalate">{csrf_field(csrf)}
    <button type="submit" class="secondary">Chuyển lên cấp trên</button></form>
</div>
<h2>Kết thúc vụ việc</h2>
<form method="post" action="{base}/resolve" id="resolve-form">
  {csrf_field(csrf)}
  <label for="resolve-note">Kết quả xử lý</label>
  <textarea id="resolve-note" name="note" rows="3" required maxlength="4000"></textarea>
  <label class="check"><input type="checkbox" name="close" value="true"> Đóng (không thể xử lý tiếp)</label>
  <button type="submit" class="secondary">Cập nhật kết quả</button>
</form>"""


def _conversation(detail: dict[str, Any], reach: Reach, csrf: str) -> str:
    conversation = detail["conversation"]
    if not conversation:
        return "<p>Cuộc trao đổi không còn được lưu (đã hết thời hạn lưu trữ hoặc đã xoá theo yêu cầu).</p>"
    items = []
    for message in conversation["messages"]:
        citations = "".join(
            f"<li>{e(_citation_label(c))}</li>" for c in message.get("citations") or [] if isinstance(c, dict)
        )
        cited = f'<ul class="citations">{citations}</ul>' if citations else ""
        correction = ""
        if message["role"] == "assistant" and reach.can("correct_answers"):
            correction = f"""
<details class="correction"><summary>Đánh dấu câu trả lời sai</summary>
<form method="post" action="/portal/messages/{e(message["id"])}/correction">{csrf_field(csrf)}
<input type="hidden" name="case_id" value="{e(detail["id"])}">
<textarea name="correction" rows="3" required placeholder="Nội dung đúng và căn cứ pháp lý"></textarea>
<button type="submit" class="secondary">Gửi đính chính</button></form></details>"""
        items.append(
            f'<li class="msg {e(message["role"])}">'
            f'<div class="meta">{e(ROLE_NAMES.get(message["role"], message["role"]))} · '
            f"{e(message['at_vn'])}</div>"
            f'<div class="text">{e(message["text"])}</div>{cited}{correction}</li>'
        )
    return f'<ol class="conversation">{"".join(items)}</ol>'


def _citation_label(citation: dict[str, Any]) -> str:
    parts = []
    if citation.get("point"):
        parts.append(f"điểm {citation['point']}")
    if citation.get("clause"):
        parts.append(f"khoản {citation['clause']}")
    if citation.get("article"):
        parts.append(f"Điều {citation['article']}")
    parts.append(str(citation.get("document_title") or ""))
    return " ".join(p for p in parts if p) + f" ({citation.get('work_number', '')})"


def _deliveries(deliveries: list[dict[str, Any]]) -> str:
    if not deliveries:
        return "<p>Chưa có phản hồi nào.</p>"
    rows = "".join(
        f'<li class="delivery {e(d["status"])}">{e(DELIVERY_LABELS.get(d["status"], d["status"]))}'
        f" · lần thử: {e(d['attempts'])}</li>"
        for d in deliveries
    )
    return f"<ul>{rows}</ul>"


def _event_row(event: dict[str, Any]) -> str:
    moved = " → ".join(x for x in (event["from_unit"], event["to_unit"]) if x)
    cells = [
        event["at_vn"],
        event["actor"],
        ACTION_LABELS.get(event["action"], event["action"]),
        STATUS_LABELS.get(event["to_status"] or "", ""),
        moved if event["action"] == "escalated" else "",
    ]
    return "<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + f'<td class="note">{e(event["note"])}</td></tr>'


def _events(events: list[dict[str, Any]]) -> str:
    rows = "".join(_event_row(ev) for ev in events)
    return (
        '<table class="events"><thead><tr><th>Thời điểm</th><th>Người thực hiện</th><th>Việc</th>'
        f"<th>Trạng thái</th><th>Chuyển đơn vị</th><th>Ghi chú</th></tr></thead><tbody>{rows}</tbody></table>"
    )


# --- dashboard, documents, tasks ------------------------------------------------------------------


def dashboard_body(data: dict[str, Any]) -> str:
    # "<" escaped so the JSON cannot close its script element.
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    sat = data["satisfaction"]
    rate = f"{sat['rate'] * 100:.0f}%" if sat["rate"] is not None else "chưa có đánh giá"
    ru = data["refused_unanswered"]
    questions = sum(d["count"] for d in data["questions_per_day"])
    charts = "".join(
        f'<figure class="card chart" data-chart="{key}"><figcaption>{label}</figcaption></figure>'
        for key, label in CHARTS.items()
    )
    return f"""
<h1>Bảng theo dõi ({e(data["days"])} ngày gần nhất)</h1>
<div class="stats">
  <div class="stat"><b>{questions}</b><span>câu hỏi</span></div>
  <div class="stat"><b>{e(rate)}</b>
    <span>hài lòng ({e(sat["up"])} hài lòng / {e(sat["down"])} chưa hài lòng)</span></div>
  <div class="stat"><b>{e(ru["refused"])}</b><span>câu hỏi bị từ chối</span></div>
  <div class="stat"><b>{e(ru["unanswered"])}</b><span>câu hỏi chưa tìm được căn cứ</span></div>
  <div class="stat"><b>{e(data["cases"]["overdue"])}</b><span>vụ việc quá hạn</span></div>
</div>
<div class="charts">{charts}</div>
<div class="grid">
  <section class="card"><h2>Câu hỏi bị từ chối gần đây</h2>{_question_list(ru["recent_refused"])}</section>
  <section class="card"><h2>Câu hỏi chưa tìm được căn cứ</h2>
    {_question_list(ru["recent_unanswered"])}</section>
  <section class="card"><h2>Góp ý gần đây</h2>{_comments(sat["recent_comments"])}</section>
</div>
<script type="application/json" id="dashboard-data">{payload}</script>"""


def _question_list(items: list[dict[str, Any]]) -> str:
    if not items:
        return "<p>Không có.</p>"
    return "<ul>" + "".join(f"<li>{e(i['question'])}</li>" for i in items) + "</ul>"


def _comments(items: list[dict[str, Any]]) -> str:
    if not items:
        return "<p>Chưa có góp ý.</p>"
    return (
        "<ul>"
        + "".join(
            f'<li><span class="badge">{"Hài lòng" if c["rating"] > 0 else "Chưa hài lòng"}</span> '
            f"{e(c['comment'])}</li>"
            for c in items
        )
        + "</ul>"
    )


def documents_body(works: list[dict[str, Any]], scope_names: dict[str, str]) -> str:
    rows = []
    for work in works:
        scope = scope_names.get(work["scope_unit_code"] or "", "Công khai") if work["scope_unit_code"] else "Công khai"
        versions = "".join(
            f"<li>{e(v['label'])}: {e(v['valid_from'])} – {e(v['valid_to'] or 'nay')} · {e(v['status'])}"
            f" · {e(v['articles'])} điều</li>"
            for v in work["versions"]
        )
        rows.append(
            f"<tr><td>{e(work['work_number'])}</td><td>{e(work['title'])}</td><td>{e(work['doc_type'])}</td>"
            f'<td>{e(scope)}</td><td><ul class="versions">{versions}</ul></td></tr>'
        )
    body = "".join(rows) or '<tr><td colspan="5" class="empty">Chưa có văn bản nào.</td></tr>'
    return (
        "<h1>Danh mục văn bản</h1>"
        "<p>Văn bản pháp luật công khai và văn bản nội bộ của các đơn vị trong phạm vi "
        "của bạn. Thêm hoặc cập nhật văn bản bằng lệnh <code>congdoan ingest</code>.</p>"
        '<table class="documents"><thead><tr><th>Số hiệu</th><th>Tên văn bản</th><th>Loại</th>'
        "<th>Phạm vi</th>"
        f"<th>Các phiên bản</th></tr></thead><tbody>{body}</tbody></table>"
    )


def tasks_body(tasks: list[dict[str, Any]], csrf: str) -> str:
    items = []
    for task in tasks:
        items.append(f"""
<li class="card task">
  <p><b>Câu hỏi:</b> {e(task["question"] or "(không còn lưu)")}</p>
  <p><b>Câu trả lời của trợ lý:</b> {e(task["answer_text"])}</p>
  <p><b>Đính chính:</b> {e(task["correction"])}</p>
  <form method="post" action="/portal/tasks/{e(task["id"])}/resolve">{csrf_field(csrf)}
    <input name="note" placeholder="Đã xử lý thế nào (tuỳ chọn)" maxlength="4000">
    <button type="submit" class="secondary">Đánh dấu đã xử lý</button></form>
</li>""")
    listing = "".join(items) or "<p>Không có đính chính nào đang chờ.</p>"
    return f'<h1>Đính chính cần xử lý</h1><ul class="tasks">{listing}</ul>'


def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level, level)
