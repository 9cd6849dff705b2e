"""``make questions``: write assistant/data/questions.txt, the accented questions of the tuning sets.

The diacritic restorer learns Vietnamese from the corpus, which is legal prose: it has never seen "mình", "ạ",
"vậy", "ổng", so a question typed without marks came back as, say, "mính làm ở công ty" and e5 misread it. These
questions, written the way workers ask, teach it everyday words. Only the tuning sets are used: the development
sets and the held-out sets stay unseen, so what they measure is still a fair estimate.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evals.datasets import detect_style, load_datasets

TUNING_SETS = (
    "slangdev", "slangdev2", "slangdev3", "slangdev4", "slangdev5", "slangdev6", "slangdev7", "slangdev8", "scopedev",
    "scopedev2", "scopedev3", "scopedev4", "scopedev5", "scopedev6", "scopedev7",
)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "assistant" / "data" / "questions.txt"
HEADER = """\
# Câu hỏi mẫu có dấu, viết theo cách người lao động hay hỏi (mỗi dòng một câu).
# Bộ khôi phục dấu học từ các câu này những từ thường ngày mà văn bản luật không có ("mình", "ạ", "vậy").
# Tạo bằng `make questions` từ các bộ câu hỏi dùng để tinh chỉnh (không dùng bộ phát triển hay bộ kiểm tra độc lập).
# Cán bộ pháp chế có thể thêm câu; dòng bắt đầu bằng "#" bị bỏ qua.
"""


def accented_questions(names: tuple[str, ...] = TUNING_SETS) -> list[str]:
    seen: set[str] = set()
    kept = []
    for question in load_datasets(list(names)):
        text = " ".join(question.question.split())
        if detect_style(text) == "diacritics" and text not in seen:
            seen.add(text)
            kept.append(text)
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Ghi câu hỏi mẫu có dấu cho bộ khôi phục dấu")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    questions = accented_questions()
    args.out.write_text(HEADER + "\n".join(questions) + "\n", encoding="utf-8")
    print(f"Đã ghi {len(questions)} câu vào {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
