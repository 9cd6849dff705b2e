"""Evaluation questions: the JSON Lines format, loading, and converters for the two shared sets.

A dataset is JSON Lines, one question a line::

    {"id", "question", "gold": [{"work_number", "article", "clause"?}],
     "expects": "answer"|"refuse"|"escalate", "as_of"?, "style"?, "topic"?, "source"?, "flags"?}

``style`` ("diacritics" / "no_diacritics") is computed from the question when absent and checked when
present. The shared sets are read in place from ``<repo>/../shared/evalsets`` and converted on the fly; their
content is never copied into the repository (their licences do not allow redistribution).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, cast

from assistant.vietnamese import has_diacritics, nfc

Expects = Literal["answer", "refuse", "escalate"]
Style = Literal["diacritics", "no_diacritics"]

EXPECTS: tuple[Expects, ...] = ("answer", "refuse", "escalate")
STYLES: tuple[Style, ...] = ("diacritics", "no_diacritics")

REPO_ROOT = Path(__file__).resolve().parents[1]
OWN_DIR = Path(__file__).resolve().parent / "datasets"
DEFAULT_EVALSETS_DIR = REPO_ROOT.parent / "shared" / "evalsets"

LEVIETSANGG_FILE = Path("levietsangg-labor-law-test-v3") / "test_set_v3_in_scope.jsonl"
MRHAO165_FILE = Path("mrhao165-labor-law-eval-v1") / "labor_law_eval_v1.jsonl"

# Document codes of the levietsangg set → the law's own number. 58_VBHN-VPQH is the consolidated text of the
# Social Insurance Law 41/2024/QH15 and its article numbers are those of 41/2024.
LEVIETSANGG_WORKS: dict[str, str] = {
    "45_2019_QH14": "45/2019/QH14",
    "145_2020_NDCP": "145/2020/NĐ-CP",
    "58_VBHN-VPQH": "41/2024/QH15",
    "84_2015_QH13": "84/2015/QH13",
    "50_2024_QH15": "50/2024/QH15",
}

# mrhao165 labels every question against the Labour Code 2019.
MRHAO165_WORK = "45/2019/QH14"
# expected_behavior → (expects, flags). "clarify" questions still get an answer; the flag keeps the nuance.
MRHAO165_BEHAVIOURS: dict[str, tuple[Expects, tuple[str, ...]]] = {
    "answer_with_citations": ("answer", ()),
    "clarify": ("answer", ("clarify",)),
    "clarification_needed": ("answer", ("clarify",)),
    "future_calculator": ("answer", ("calculator",)),
    "refuse": ("refuse", ()),
    "insufficient_context": ("refuse", ()),
}


class DatasetError(ValueError):
    """A dataset line that does not follow the format (the message names the file and line)."""


@dataclass(frozen=True)
class GoldRef:
    """One gold provision: the law's number, the article (Điều) and, where the gold is that precise, the
    clause (khoản). Clauses are usually numbers but some are labelled ("3a")."""

    work_number: str
    article: int
    clause: int | str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"work_number": self.work_number, "article": self.article}
        if self.clause is not None:
            data["clause"] = self.clause
        return data


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    gold: tuple[GoldRef, ...]
    expects: Expects
    style: Style
    dataset: str
    as_of: date | None = None
    topic: str | None = None
    source: str | None = None
    flags: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON Lines form (``dataset`` is where it was loaded from, so it is not written)."""
        data: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "gold": [ref.to_dict() for ref in self.gold],
            "expects": self.expects,
            "style": self.style,
        }
        optional = {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "topic": self.topic,
            "source": self.source,
            "flags": list(self.flags) or None,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        return data


def detect_style(question: str) -> Style:
    """A question with no Vietnamese diacritic at all (đ included) is written "no_diacritics"."""
    return "diacritics" if has_diacritics(question) else "no_diacritics"


def _clause(value: Any) -> int | str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"clause must be a number or label, not {value!r}")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else text


def _gold(items: Any) -> tuple[GoldRef, ...]:
    if not isinstance(items, list):
        raise ValueError("gold must be a list")
    refs = []
    for item in items:
        if not isinstance(item, Mapping):
            raise ValueError(f"gold entry must be an object, not {item!r}")
        article = item["article"]
        if isinstance(article, bool) or not isinstance(article, int | str) or not str(article).isdigit():
            raise ValueError(f"article must be a whole number, not {article!r}")
        refs.append(GoldRef(nfc(str(item["work_number"]).strip()), int(article), _clause(item.get("clause"))))
    return tuple(refs)


def question_from_dict(data: Mapping[str, Any], dataset: str) -> EvalQuestion:
    """Validate one record of the JSON Lines format."""
    question = nfc(str(data["question"]).strip())
    if not question:
        raise ValueError("empty question")
    expects = data.get("expects", "answer")
    if expects not in EXPECTS:
        raise ValueError(f"expects must be one of {EXPECTS}, not {expects!r}")
    style = detect_style(question)
    if data.get("style") not in (None, style):
        raise ValueError(f"style says {data['style']!r} but the question is written {style!r}")
    as_of = data.get("as_of")
    flags = data.get("flags") or ()
    return EvalQuestion(
        id=str(data["id"]),
        question=question,
        gold=_gold(data.get("gold", [])),
        expects=cast(Expects, expects),
        style=style,
        dataset=dataset,
        as_of=date.fromisoformat(as_of) if as_of else None,
        topic=data.get("topic"),
        source=data.get("source"),
        flags=tuple(str(flag) for flag in flags),
    )


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise DatasetError(f"{path}:{number}: a line must be a JSON object")
            yield number, record


Converter = Callable[[Mapping[str, Any], str], EvalQuestion]


def _convert(path: Path, dataset: str, convert: Converter) -> list[EvalQuestion]:
    questions = []
    for number, record in _read_jsonl(path):
        try:
            questions.append(convert(record, dataset))
        except (KeyError, TypeError, ValueError) as exc:
            raise DatasetError(f"{path}:{number}: {exc!r}") from exc
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            raise DatasetError(f"{path}: duplicate id {question.id!r}")
        seen.add(question.id)
    return questions


def read_questions(path: Path, dataset: str | None = None) -> list[EvalQuestion]:
    """Read a dataset in congdoan's own format."""
    return _convert(path, dataset or path.stem, question_from_dict)


def parse_levietsangg_id(provision_id: str) -> GoldRef:
    """``45_2019_QH14__D18__K3`` → 45/2019/QH14, Điều 18, khoản 3."""
    doc, *parts = provision_id.split("__")
    if doc not in LEVIETSANGG_WORKS:
        raise ValueError(f"unknown document code {doc!r} in {provision_id!r}")
    fields = {part[0]: part[1:] for part in parts if part}
    if not fields.get("D", "").isdigit():
        raise ValueError(f"no article in {provision_id!r}")
    return GoldRef(LEVIETSANGG_WORKS[doc], int(fields["D"]), _clause(fields.get("K")))


def levietsangg_record(data: Mapping[str, Any], dataset: str) -> EvalQuestion:
    question = nfc(str(data["question"]).strip())
    return EvalQuestion(
        id=str(data["id"]),
        question=question,
        gold=tuple(parse_levietsangg_id(pid) for pid in data["gold_provision_ids"]),
        expects="answer",
        style=detect_style(question),
        dataset=dataset,
        topic=data.get("category"),
        source="levietsangg/test_set_v3",
    )


def mrhao165_record(data: Mapping[str, Any], dataset: str) -> EvalQuestion:
    behaviour = str(data["expected_behavior"])
    if behaviour not in MRHAO165_BEHAVIOURS:
        raise ValueError(f"unknown expected_behavior {behaviour!r}")
    expects, flags = MRHAO165_BEHAVIOURS[behaviour]
    clauses = [
        GoldRef(MRHAO165_WORK, int(item["article_number"]), _clause(item.get("clause_number")))
        for item in data.get("expected_clauses") or []
    ]
    covered = {ref.article for ref in clauses}
    articles = [
        GoldRef(MRHAO165_WORK, int(a)) for a in data.get("expected_articles") or [] if int(a) not in covered
    ]
    question = nfc(str(data["question"]).strip())
    return EvalQuestion(
        id=str(data["question_id"]),
        question=question,
        gold=tuple(clauses + articles),
        expects=expects,
        style=detect_style(question),
        dataset=dataset,
        topic=data.get("category"),
        source="mrhao165/labor_law_eval_v1",
        flags=flags,
    )


def _shared_file(evalsets_dir: Path | None, relative: Path) -> Path:
    path = (evalsets_dir or DEFAULT_EVALSETS_DIR) / relative
    if not path.is_file():
        raise FileNotFoundError(f"shared evaluation set not found: {path}")
    return path


def dataset_names() -> list[str]:
    """Names accepted by :func:`load_dataset` besides a file path."""
    own = sorted(path.stem for path in OWN_DIR.glob("*.jsonl"))
    return ["levietsangg", "mrhao165", *own]


def load_dataset(path_or_name: str | Path, *, evalsets_dir: Path | None = None) -> list[EvalQuestion]:
    """Load a dataset by file path, or by name: "levietsangg" and "mrhao165" (the shared sets, converted),
    "own" (evals/datasets/own.jsonl) or the stem of any other file in evals/datasets/."""
    name = str(path_or_name)
    if name == "levietsangg":
        return _convert(_shared_file(evalsets_dir, LEVIETSANGG_FILE), name, levietsangg_record)
    if name == "mrhao165":
        return _convert(_shared_file(evalsets_dir, MRHAO165_FILE), name, mrhao165_record)
    own = OWN_DIR / f"{name}.jsonl"
    if "/" not in name and own.is_file():
        return read_questions(own, name)
    path = Path(path_or_name)
    if not path.is_file():
        raise FileNotFoundError(f"no dataset named {name!r} (known: {', '.join(dataset_names())})")
    return read_questions(path)


def load_datasets(
    names: Iterable[str | Path], *, evalsets_dir: Path | None = None
) -> list[EvalQuestion]:
    return [q for name in names for q in load_dataset(name, evalsets_dir=evalsets_dir)]


def write_questions(questions: Iterable[EvalQuestion], path: Path) -> None:
    lines = [json.dumps(q.to_dict(), ensure_ascii=False) for q in questions]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
