"""The officers' portal at /portal: sign-in with a session cookie (HttpOnly, SameSite=Lax, Secure over
https), a CSRF token in every POST form, the case queue, a case with its conversation and a reply box, the
dashboard, the document catalogue and the curators' tasks. Same rules and reach as the JSON API."""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from api.deps import get_platform
from api.routes import portal_views as views
from api.routes.auth import TxDep, authenticate, issue_token, staff_from_token
from api.routes.cases import case_detail, case_summary
from api.throttle import login_message, login_refusal
from assistant import cases as case_rules
from assistant.access import Reach, reach_of, works_in_reach
from assistant.analytics import dashboard
from assistant.corrections import mark_wrong, open_tasks, question_for, resolve_task
from assistant.db.union import Unit
from assistant.documents import article_counts, version_status

router = APIRouter(prefix="/portal", include_in_schema=False)
SESSION_COOKIE = "congdoan_session"
CSRF_COOKIE = "congdoan_csrf"
SESSION_PURPOSE = "portal-session"
SESSION_TTL = 8 * 3600
MAX_FORM_BYTES = 64 * 1024
STATIC = {"portal.css": "text/css", "portal.js": "text/javascript"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def vn(iso_value: str | None) -> str:
    if not iso_value:
        return ""
    return case_rules.format_vn(datetime.fromisoformat(iso_value.replace("Z", "+00:00")).replace(tzinfo=None))


# --- session and CSRF -----------------------------------------------------------------------------


def csrf_nonce(request: Request) -> str:
    """The browser's CSRF nonce (new visitors get one on their first page)."""
    nonce: str | None = getattr(request.state, "csrf_nonce", None) or request.cookies.get(CSRF_COOKIE)
    if not nonce or len(nonce) < 16:
        nonce = secrets.token_urlsafe(24)
    request.state.csrf_nonce = nonce
    return nonce


def csrf_token(request: Request) -> str:
    return get_platform(request).signer.digest("csrf", csrf_nonce(request))


def _cookie_flags(request: Request) -> dict[str, Any]:
    return {"httponly": True, "samesite": "lax", "secure": request.url.scheme == "https", "path": "/portal"}


def finish(request: Request, response: Response) -> Response:
    """Security headers, and the CSRF cookie if this visitor had none."""
    response.headers.update(SECURITY_HEADERS)
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce and nonce != request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, nonce, **_cookie_flags(request))
    return response


async def form_data(request: Request) -> dict[str, str]:
    """The POSTed form (urlencoded), after checking its CSRF token against the cookie's nonce."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise HTTPException(415, "Biểu mẫu không hợp lệ.")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise HTTPException(413, "Nội dung gửi lên quá dài.")
    fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}
    nonce = request.cookies.get(CSRF_COOKIE, "")
    expected = get_platform(request).signer.digest("csrf", nonce) if nonce else ""
    if not expected or not hmac.compare_digest(fields.get("csrf_token", ""), expected):
        raise HTTPException(403, "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang.")
    return fields


FormDep = Annotated[dict[str, str], Depends(form_data)]


def portal_reach(request: Request, session: TxDep) -> Reach | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    staff = staff_from_token(session, get_platform(request).signer, SESSION_PURPOSE, token)
    return reach_of(staff) if staff else None


OptionalReach = Annotated[Reach | None, Depends(portal_reach)]


def html(request: Request, title: str, body: str, reach: Reach | None, active: str = "", status: int = 200) -> Response:
    flash = request.query_params.get("done", "")
    text = views.page(title, body, reach=reach, csrf=csrf_token(request), active=active, flash=flash)
    return finish(request, HTMLResponse(text, status_code=status))


def to_login(request: Request) -> Response:
    return finish(request, RedirectResponse("/portal/login", status_code=303))


def forbidden(request: Request, reach: Reach) -> Response:
    return html(
        request,
        "Không có quyền",
        views.error_body("Vai trò của bạn không dùng được trang này."),
        reach,
        status=403,
    )


def not_found(request: Request, reach: Reach, what: str = "vụ việc") -> Response:
    return html(request, "Không tìm thấy", views.error_body(f"Không tìm thấy {what}."), reach, status=404)


# --- pages ----------------------------------------------------------------------------------------


@router.get("")
@router.get("/")
def home(request: Request, reach: OptionalReach) -> Response:
    if reach is None:
        return to_login(request)
    target = "/portal/cases" if reach.can("cases") else "/portal/dashboard"
    return finish(request, RedirectResponse(target, status_code=303))


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC:
        raise HTTPException(404)
    return FileResponse(views.WEB / name, media_type=STATIC[name], headers={"Cache-Control": "max-age=300"})


@router.get("/login")
def login_form(request: Request, reach: OptionalReach) -> Response:
    if reach is not None:
        return finish(request, RedirectResponse("/portal", status_code=303))
    return html(request, "Đăng nhập", views.login_body(csrf_token(request)), None)


@router.post("/login")
def login(request: Request, form: FormDep, session: TxDep) -> Response:
    refusal = login_refusal(request, form.get("username", ""))
    if refusal is not None:
        body = views.login_body(csrf_token(request), login_message(refusal), form.get("username", ""))
        response = html(request, "Đăng nhập", body, None, status=429)
        response.headers["Retry-After"] = str(max(refusal.retry_after, 1))
        return response
    staff = authenticate(session, form.get("username", ""), form.get("password", ""))
    if staff is None:
        body = views.login_body(
            csrf_token(request), "Tên đăng nhập hoặc mật khẩu không đúng.", form.get("username", "")
        )
        return html(request, "Đăng nhập", body, None, status=401)
    token = issue_token(get_platform(request).signer, staff, SESSION_PURPOSE, SESSION_TTL)
    response = RedirectResponse("/portal", status_code=303)
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_TTL, **_cookie_flags(request))
    # A fresh CSRF nonce for the signed-in session.
    request.state.csrf_nonce = secrets.token_urlsafe(24)
    return finish(request, response)


@router.post("/logout")
def logout(request: Request, form: FormDep) -> Response:
    response = RedirectResponse("/portal/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/portal")
    return finish(request, response)


@router.get("/cases")
def queue(request: Request, reach: OptionalReach, session: TxDep) -> Response:
    if reach is None:
        return to_login(request)
    if not reach.can("cases"):
        return forbidden(request, reach)
    params = request.query_params
    filters = {k: params.get(k, "") for k in ("status", "kind", "category", "unit", "overdue", "mine")}
    status = filters["status"] or "unfinished"
    if status not in ("unfinished", "all", *case_rules.STATUS_LABELS):
        status = "unfinished"
    try:
        page = max(int(params.get("page", "1")), 1)
    except ValueError:
        page = 1
    now = now_utc()
    result = case_rules.list_cases(
        session,
        reach,
        case_rules.CaseFilter(
            status=status,
            category=filters["category"] or None,
            kind=filters["kind"] if filters["kind"] in case_rules.KIND_LABELS else None,
            overdue=True if filters["overdue"] == "true" else None,
            unit_code=filters["unit"] or None,
            assigned_to_me=filters["mine"] == "true",
        ),
        page=page,
        page_size=25,
        now=now,
    )
    items = [{**case_summary(c, now), "due_vn": case_rules.format_vn(c.due_at)} for c in result.items]
    body = views.queue_body(
        items,
        filters=filters,
        units=case_rules.units_in_reach(session, reach),
        page=page,
        has_more=result.has_more,
    )
    return html(request, "Hàng đợi vụ việc", body, reach, "cases")


@router.get("/cases/{case_id}")
def case_page(case_id: str, request: Request, reach: OptionalReach, session: TxDep) -> Response:
    if reach is None:
        return to_login(request)
    if not reach.can("cases"):
        return forbidden(request, reach)
    case = case_rules.get_case(session, reach, case_id)
    if case is None:
        return not_found(request, reach)
    detail = case_detail(session, case, now_utc())
    detail["due_vn"] = case_rules.format_vn(case.due_at)
    for event in detail["events"]:
        event["at_vn"] = vn(event["at"])
    if detail["conversation"]:
        for message in detail["conversation"]["messages"]:
            message["at_vn"] = vn(message["created_at"])
    return html(request, detail["subject"], views.case_body(detail, reach, csrf_token(request)), reach, "cases")


def _case_action(
    request: Request, reach: Reach | None, session: TxDep, case_id: str, action: str, form: dict[str, str]
) -> Response:
    if reach is None:
        return to_login(request)
    if not reach.can("cases"):
        return forbidden(request, reach)
    case = case_rules.get_case(session, reach, case_id)
    if case is None:
        return not_found(request, reach)
    platform = get_platform(request)
    try:
        if action == "reply":
            case_rules.reply(
                session,
                platform.settings,
                reach,
                case,
                form.get("text", ""),
                wait_for_member=form.get("wait_for_member") == "true",
            )
        elif action == "assign":
            case_rules.assign(session, reach, case, form.get("username") or None)
        elif action == "resolve":
            case_rules.resolve(session, reach, case, form.get("note", ""), close=form.get("close") == "true")
        else:
            case_rules.escalate_by_staff(session, platform.settings, reach, case, form.get("note", ""))
    except case_rules.CaseError as exc:
        return html(request, "Không thực hiện được", views.error_body(str(exc)), reach, status=422)
    session.commit()
    if action == "reply":
        platform.outbox.notify()
    # Escalated out of reach: back to the queue rather than a page that no longer exists for this officer.
    target = f"/portal/cases/{case.id}" if case_rules.get_case(session, reach, case.id) else "/portal/cases"
    return finish(request, RedirectResponse(f"{target}?done={action}", status_code=303))


@router.post("/cases/{case_id}/reply")
def reply(case_id: str, request: Request, form: FormDep, reach: OptionalReach, session: TxDep) -> Response:
    return _case_action(request, reach, session, case_id, "reply", form)


@router.post("/cases/{case_id}/assign")
def assign(case_id: str, request: Request, form: FormDep, reach: OptionalReach, session: TxDep) -> Response:
    return _case_action(request, reach, session, case_id, "assign", form)


@router.post("/cases/{case_id}/resolve")
def resolve(case_id: str, request: Request, form: FormDep, reach: OptionalReach, session: TxDep) -> Response:
    return _case_action(request, reach, session, case_id, "resolve", form)


@router.post("/cases/{case_id}/escalate")
def escalate(case_id: str, request: Request, form: FormDep, reach: OptionalReach, session: TxDep) -> Response:
    return _case_action(request, reach, session, case_id, "escalate", form)


@router.post("/messages/{message_id}/correction")
def correction(message_id: str, request: Request, form: FormDep, reach: OptionalReach, session: TxDep) -> Response:
    if reach is None:
        return to_login(request)
    if not reach.can("correct_answers"):
        return forbidden(request, reach)
    try:
        task = mark_wrong(session, reach, message_id, form.get("correction", ""))
    except case_rules.CaseError as exc:
        return html(request, "Không thực hiện được", views.error_body(str(exc)), reach, status=422)
    if task is None:
        return not_found(request, reach, "câu trả lời")
    case_id = form.get("case_id", "")
    target = f"/portal/cases/{case_id}" if case_id and case_rules.get_case(session, reach, case_id) else "/portal"
    return finish(request, RedirectResponse(f"{target}?done=correction", status_code=303))


@router.get("/dashboard")
def dashboard_page(request: Request, reach: OptionalReach, session: TxDep) -> Response:
    if reach is None:
        return to_login(request)
    if not reach.can("analytics"):
        return forbidden(request, reach)
    try:
        days = min(max(int(request.query_params.get("days", "30")), 1), 366)
    except ValueError:
        days = 30
    return html(request, "Bảng theo dõi", views.dashboard_body(dashboard(session, reach, days)), reach, "dashboard")


@router.get("/documents")
def documents(request: Request, reach: OptionalReach, session: TxDep) -> Response:
    if reach is None:
        return to_login(request)
    if not reach.can("documents"):
        return forbidden(request, reach)
    from sqlalchemy.orm import selectinload

    from assistant.db.documents import Work

    works = list(
        session.scalars(works_in_reach(session, reach).options(selectinload(Work.versions)).order_by(Work.number))
    )
    counts, today = article_counts(session), datetime.now(UTC).date()
    listing = [
        {
            "work_number": w.number,
            "title": w.title,
            "doc_type": w.doc_type,
            "scope_unit_code": w.scope_unit_code,
            "versions": [
                {
                    "label": v.label,
                    "valid_from": v.valid_from.isoformat(),
                    "valid_to": v.valid_to.isoformat() if v.valid_to else None,
                    "status": version_status(w, v, today),
                    "articles": counts.get(v.id, 0),
                }
                for v in w.versions
            ],
        }
        for w in works
    ]
    scopes = {w.scope_unit_code for w in works if w.scope_unit_code}
    names = (
        dict(session.execute(select(Unit.code, Unit.name).where(Unit.code.in_(scopes))).tuples().all())
        if scopes
        else {}
    )
    return html(request, "Danh mục văn bản", views.documents_body(listing, names), reach, "documents")


@router.get("/tasks")
def tasks(request: Request, reach: OptionalReach, session: TxDep) -> Response:
    if reach is None:
        return to_login(request)
    if not reach.can("curator_tasks"):
        return forbidden(request, reach)
    listing = [
        {
            "id": t.id,
            "question": question_for(session, t),
            "answer_text": t.answer_text,
            "correction": t.correction,
        }
        for t in open_tasks(session, reach)
    ]
    return html(request, "Đính chính cần xử lý", views.tasks_body(listing, csrf_token(request)), reach, "tasks")


@router.post("/tasks/{task_id}/resolve")
def resolve_curator_task(
    task_id: int, request: Request, form: FormDep, reach: OptionalReach, session: TxDep
) -> Response:
    if reach is None:
        return to_login(request)
    if not reach.can("curator_tasks"):
        return forbidden(request, reach)
    if resolve_task(session, reach, task_id, form.get("note", "")) is None:
        return not_found(request, reach, "nhiệm vụ")
    return finish(request, RedirectResponse("/portal/tasks?done=task", status_code=303))
