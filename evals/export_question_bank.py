"""``make question-bank``: write assistant/data/question_bank.jsonl, the in-scope questions of the tuning sets and of
the retired held-out sets, with their gold provisions.

Search reads each provision's questions as a second text of it (assistant/retrieval/question_bank.py), so the words
workers use ("cty đuổi", "nợ lương", "bầu bì") reach the provisions that answer them. The development sets and the
current held-out sets (``HELDOUT``) are never used, so what they measure is still a fair estimate; the retired
held-out sets had been read in many sessions before they joined (README, "Eighteenth session").
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from evals.datasets import EvalQuestion, load_datasets
from evals.run import COLLOQUIAL_DEV, RETIRED_HELDOUT

BANK_SETS = (*COLLOQUIAL_DEV, *RETIRED_HELDOUT)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "assistant" / "data" / "question_bank.jsonl"
HEADER = (
    "# Câu hỏi mẫu viết theo cách người lao động hay hỏi, kèm điều luật trả lời (mỗi dòng một câu, JSON).\n"
    "# Tạo bằng `make question-bank` từ các bộ câu hỏi dùng để tinh chỉnh và các bộ kiểm tra cũ đã nghỉ (không dùng bộ"
    " phát triển hay bộ kiểm tra độc lập hiện hành).\n"
    "# Cán bộ pháp chế có thể thêm dòng {\"question\": ..., \"provisions\": [{\"work_number\", \"article\","
    " \"clause\"?}]}; dòng bắt đầu bằng \"#\" bị bỏ qua.\n"
)


def bank_lines(questions: list[EvalQuestion]) -> list[str]:
    seen: set[str] = set()
    lines = []
    for question in questions:
        text = " ".join(question.question.split())
        if question.expects == "refuse" or not question.gold or text in seen:
            continue
        seen.add(text)
        provisions = [{"work_number": g.work_number, "article": g.article} | (
            {"clause": g.clause} if g.clause is not None else {}
        ) for g in question.gold]
        lines.append(json.dumps({"question": text, "provisions": provisions}, ensure_ascii=False))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Ghi câu hỏi mẫu kèm điều luật cho tìm kiếm")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    lines = bank_lines(load_datasets(list(BANK_SETS)))
    args.out.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"Đã ghi {len(lines)} câu vào {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
