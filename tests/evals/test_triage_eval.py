from __future__ import annotations

from pathlib import Path

import pytest

from evals.triage_eval import (
    LABELS,
    REQUEST_DEV,
    REQUEST_HELDOUT,
    REQUEST_SUFFIXES,
    evaluate_requests,
    load_requests,
    render_markdown,
    with_request,
    write_reports,
)


def test_request_sets_load_with_every_label() -> None:
    for name in (*REQUEST_DEV, *REQUEST_HELDOUT):
        messages = load_requests(name)
        assert {m.label for m in messages} == set(LABELS)
        assert len({m.message for m in messages}) == len(messages)


def test_a_bad_label_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"message": "gặp cán bộ", "label": "maybe"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:1"):
        load_requests("bad", tmp_path)


@pytest.mark.parametrize("name", REQUEST_DEV)
def test_development_requests_are_read_as_labelled(name: str) -> None:
    report = evaluate_requests(name, load_requests(name))
    assert (report.share("person_only") or 0) >= 0.9
    assert (report.share("question_with_request") or 0) >= 0.95
    assert report.share("question") == 1.0


def test_no_plain_question_is_handed_off_in_any_set(tmp_path: Path) -> None:
    reports = [evaluate_requests(n, load_requests(n)) for n in (*REQUEST_DEV, *REQUEST_HELDOUT)]
    assert all(r.right["question"] == r.total["question"] for r in reports)
    path = write_reports(reports, tmp_path)
    assert "requests5" in path.read_text(encoding="utf-8") and "requests5" in render_markdown(reports)


def test_with_request_adds_a_request_to_each_in_scope_question() -> None:
    from evals.datasets import load_dataset

    questions = [*load_dataset("own"), *load_dataset("own_scope")]
    asked = with_request(questions)
    assert len(asked) == sum(q.expects == "answer" for q in questions)
    assert all(a.question.startswith(q.question.rstrip(" ?.")) and a.id == q.id
               for a, q in zip(asked, [q for q in questions if q.expects == "answer"], strict=True))
    assert {a.question[-12:] for a in asked} == {s[-12:] for s in REQUEST_SUFFIXES}
