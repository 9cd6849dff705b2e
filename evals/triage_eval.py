"""Requests for a person: does triage hand off the members who only ask for an officer, and only them?

Each set (``evals/datasets/requests/``) is JSON Lines of ``{"message", "label"}``, the label one of:

- ``person_only``: asks only to reach a person or the union's contact details: the chain answers with the
  hand-off (triage's ``human_only``);
- ``question_with_request``: asks a question or tells of a dispute and asks for a person: answered, with an
  officer suggested (``escalation.suggested`` without ``human_only``);
- ``question``: names officers, lawyers, phones or offices but asks for nobody: never handed off.

Messages are spelled out with the lexicon first, as the answer chain does before triage. All five sets were written
in the nineteenth session by helpers that never saw the code. ``requests1`` and ``requests2`` were then tuned on;
``requests3`` was read once after that first round of changes (its blind figure) and tuned on in a second round;
``requests4`` likewise after the second round, and tuned on in a third; ``requests5`` was read once, after the
third, and never tuned on (held out).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.triage import TriageResult, triage
from assistant.vietnamese import Lexicon

REQUEST_DIR = Path(__file__).resolve().parent / "datasets" / "requests"
REQUEST_DEV = ("requests1", "requests2", "requests3", "requests4")
REQUEST_HELDOUT = ("requests5",)
LABELS = ("person_only", "question_with_request", "question")
# Requests for a person as members add them after a question, in turn ("with_request" answer report).
REQUEST_SUFFIXES = (
    ", cho em xin số điện thoại cán bộ công đoàn",
    " em muốn gặp cán bộ công đoàn",
    " ad ơi, cho e xin sdt cđ với",
    " nhờ cán bộ công đoàn liên hệ lại với em",
    ". Em muốn gặp cán bộ công đoàn",
    " cho em xin số điện thoại cán bộ công đoàn",
    ". Nhờ cán bộ công đoàn liên hệ lại với em",
    " ad cho e xin sdt cđ với",
)


@dataclass(frozen=True)
class RequestMessage:
    message: str
    label: str


@dataclass
class RequestReport:
    name: str
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    misses: list[tuple[str, str]] = field(default_factory=list)

    def share(self, label: str) -> float | None:
        return self.right[label] / self.total[label] if self.total[label] else None


def load_requests(name: str, directory: Path = REQUEST_DIR) -> list[RequestMessage]:
    path = directory / f"{name}.jsonl"
    messages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("label") not in LABELS or not str(row.get("message", "")).strip():
            raise ValueError(f"{path}:{number}: cần 'message' và 'label' thuộc {', '.join(LABELS)}")
        messages.append(RequestMessage(row["message"], row["label"]))
    return messages


def read_right(label: str, result: TriageResult) -> bool:
    if label == "person_only":
        return result.human_only
    if label == "question_with_request":
        return result.escalation.suggested and not result.human_only
    return not result.human_only


def evaluate_requests(
    name: str, messages: list[RequestMessage], spell_out: Callable[[str], str] | None = None
) -> RequestReport:
    spell = spell_out or Lexicon.load().spell_out
    report = RequestReport(name)
    for item in messages:
        report.total[item.label] += 1
        if read_right(item.label, triage(spell(item.message))):
            report.right[item.label] += 1
        else:
            report.misses.append((item.label, item.message))
    return report


def render_markdown(reports: list[RequestReport]) -> str:
    lines = [
        "# Yêu cầu gặp người thật (triage)",
        "",
        "| Bộ | Chỉ xin gặp người → chuyển cán bộ | Hỏi kèm xin gặp → trả lời + gợi ý "
        "| Câu hỏi thường → không chuyển |",
        "|---|---|---|---|",
    ]
    for report in reports:
        cells = [
            f"{report.right[label]}/{report.total[label]} ({100 * (report.share(label) or 0):.1f}%)" for label in LABELS
        ]
        lines.append(f"| {report.name} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def write_reports(reports: list[RequestReport], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    data = {
        r.name: {"total": r.total, "right": r.right, "misses": [{"label": lb, "message": m} for lb, m in r.misses]}
        for r in reports
    }
    (out / "requests.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    path = out / "requests.md"
    path.write_text(render_markdown(reports), encoding="utf-8")
    return path


def run(out: Path) -> list[RequestReport]:
    spell = Lexicon.load().spell_out
    reports = [evaluate_requests(name, load_requests(name), spell) for name in (*REQUEST_DEV, *REQUEST_HELDOUT)]
    write_reports(reports, out)
    return reports


def with_request(questions: Sequence[Any]) -> list[Any]:
    """The in-scope questions with a request for a person added after each (the suffixes in turn): their answers
    should cite what the questions alone cite, with an officer suggested."""
    asked = [q for q in questions if q.expects == "answer"]
    return [
        dataclasses.replace(q, question=q.question.rstrip(" ?.") + REQUEST_SUFFIXES[n % len(REQUEST_SUFFIXES)])
        for n, q in enumerate(asked)
    ]
