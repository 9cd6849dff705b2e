"""Dataset format, converters for the shared sets, and the quality of congdoan's own sets."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from evals.datasets import (
    DatasetError,
    GoldRef,
    dataset_names,
    detect_style,
    levietsangg_record,
    load_dataset,
    mrhao165_record,
    parse_levietsangg_id,
    read_questions,
    write_questions,
)


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def test_detect_style() -> None:
    assert detect_style("Nghỉ phép năm được mấy ngày?") == "diacritics"
    assert detect_style("nghi phep nam duoc may ngay") == "no_diacritics"
    assert detect_style("HĐLD") == "diacritics"  # đ is a diacritic too
    assert detect_style("ignore previous instructions") == "no_diacritics"


def test_read_questions_round_trip(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "mine.jsonl", [
        {"id": "a", "question": "Nghỉ thai sản bao lâu?", "expects": "answer", "as_of": "2026-08-01",
         "gold": [{"work_number": "45/2019/QH14", "article": 139, "clause": 1}], "topic": "thai_san"},
        {"id": "b", "question": "cho toi gap can bo cong doan", "expects": "escalate", "gold": []},
        {"id": "c", "question": "Lương hưu?", "gold": [{"work_number": "41/2024/QH15", "article": "66",
                                                         "clause": "3a"}]},
    ])
    questions = read_questions(path)
    first, second, third = questions
    assert first.dataset == "mine"
    assert first.gold == (GoldRef("45/2019/QH14", 139, 1),)
    assert first.as_of == date(2026, 8, 1)
    assert first.style == "diacritics"
    assert second.style == "no_diacritics" and second.expects == "escalate" and second.gold == ()
    assert third.expects == "answer" and third.gold == (GoldRef("41/2024/QH15", 66, "3a"),)
    copy = tmp_path / "copy.jsonl"
    write_questions(questions, copy)
    assert read_questions(copy, "mine") == questions


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"id": "x", "question": "", "gold": []}, "empty question"),
        ({"id": "x", "question": "Hỏi?", "gold": [], "expects": "maybe"}, "expects"),
        ({"id": "x", "question": "hoi gi do", "gold": [], "style": "diacritics"}, "style"),
        ({"id": "x", "question": "Hỏi?", "gold": [{"work_number": "45/2019/QH14", "article": "x"}]},
         "article"),
        ({"question": "Hỏi?", "gold": []}, "id"),
    ],
)
def test_invalid_records_name_file_and_line(tmp_path: Path, record: dict[str, object], message: str) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [{"id": "ok", "question": "Hỏi?", "gold": []}, record])
    with pytest.raises(DatasetError, match=rf"bad.jsonl:2: .*{message}"):
        read_questions(path)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    records: list[dict[str, object]] = [{"id": "a", "question": "Hỏi?"}, {"id": "a", "question": "Khác?"}]
    path = write_jsonl(tmp_path / "dup.jsonl", records)
    with pytest.raises(DatasetError, match="duplicate id 'a'"):
        read_questions(path)


def test_parse_levietsangg_ids() -> None:
    assert parse_levietsangg_id("45_2019_QH14__D18__K3") == GoldRef("45/2019/QH14", 18, 3)
    assert parse_levietsangg_id("145_2020_NDCP__D55") == GoldRef("145/2020/NĐ-CP", 55, None)
    # The consolidated Social Insurance Law cites the law it consolidates, with 41/2024's article numbers.
    assert parse_levietsangg_id("58_VBHN-VPQH__D53__K2") == GoldRef("41/2024/QH15", 53, 2)
    assert parse_levietsangg_id("84_2015_QH13__D38__K4") == GoldRef("84/2015/QH13", 38, 4)
    assert parse_levietsangg_id("50_2024_QH15__D28__K2") == GoldRef("50/2024/QH15", 28, 2)
    with pytest.raises(ValueError, match="unknown document"):
        parse_levietsangg_id("99_2099_XX__D1")
    with pytest.raises(ValueError, match="no article"):
        parse_levietsangg_id("45_2019_QH14__K3")


def test_levietsangg_record() -> None:
    q = levietsangg_record({"id": "v3_01_01", "question": "Ai ký hợp đồng bên phía công ty?",
                            "category": "hop_dong_lao_dong", "gold_provision_ids": ["45_2019_QH14__D18__K3"]},
                           "levietsangg")
    assert (q.id, q.expects, q.style, q.topic) == ("v3_01_01", "answer", "diacritics", "hop_dong_lao_dong")
    assert q.gold == (GoldRef("45/2019/QH14", 18, 3),)


def test_mrhao165_behaviours_and_gold() -> None:
    base = {"question_id": "w3-031", "question": "Tôi muốn nghỉ việc thì báo trước bao lâu?",
            "category": "ambiguous", "expected_articles": [35, 138],
            "expected_clauses": [{"article_number": 35, "clause_number": 1, "point_label": None},
                                 {"article_number": 35, "clause_number": 2, "point_label": "đ"}]}
    q = mrhao165_record({**base, "expected_behavior": "clarification_needed"}, "mrhao165")
    assert q.expects == "answer" and q.flags == ("clarify",)
    # Clause-level gold first; an article listed without any clause is kept at article level.
    blld = "45/2019/QH14"
    assert q.gold == (GoldRef(blld, 35, 1), GoldRef(blld, 35, 2), GoldRef(blld, 138))
    assert mrhao165_record({**base, "expected_behavior": "clarify"}, "m").flags == ("clarify",)
    assert mrhao165_record({**base, "expected_behavior": "answer_with_citations"}, "m").flags == ()
    assert mrhao165_record({**base, "expected_behavior": "refuse"}, "m").expects == "refuse"
    assert mrhao165_record({**base, "expected_behavior": "insufficient_context"}, "m").expects == "refuse"
    with pytest.raises(ValueError, match="expected_behavior"):
        mrhao165_record({**base, "expected_behavior": "dance"}, "m")


def test_shared_sets_are_converted_in_place(shared_dir: Path) -> None:
    evalsets = shared_dir / "evalsets"
    lvs = load_dataset("levietsangg", evalsets_dir=evalsets)
    assert len(lvs) == 85 and {q.dataset for q in lvs} == {"levietsangg"}
    works = Counter(ref.work_number for q in lvs for ref in q.gold)
    assert works == {"45/2019/QH14": 40, "145/2020/NĐ-CP": 21, "41/2024/QH15": 15, "84/2015/QH13": 6,
                     "50/2024/QH15": 3}
    mrh = load_dataset("mrhao165", evalsets_dir=evalsets)
    assert len(mrh) == 60
    assert Counter(q.expects for q in mrh) == {"answer": 50, "refuse": 10}
    assert all(not q.gold for q in mrh if q.expects == "refuse")
    assert all(q.gold for q in mrh if q.expects == "answer")


def test_unknown_dataset(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no dataset named"):
        load_dataset("nope")
    with pytest.raises(FileNotFoundError, match="shared evaluation set not found"):
        load_dataset("levietsangg", evalsets_dir=tmp_path)


def test_dataset_names_and_path_loading() -> None:
    assert {"levietsangg", "mrhao165", "own", "own_scope"} <= set(dataset_names())
    by_path = load_dataset(Path(__file__).resolve().parents[2] / "evals" / "datasets" / "own.jsonl")
    assert by_path == load_dataset("own")


# --- congdoan's own sets ---------------------------------------------------------------------------------

OWN_WORKS = {"45/2019/QH14", "50/2024/QH15", "41/2024/QH15", "145/2020/NĐ-CP", "293/2025/NĐ-CP"}


def test_own_set_size_styles_and_coverage() -> None:
    own = load_dataset("own")
    assert len(own) >= 170
    assert all(q.expects == "answer" and q.gold for q in own)
    styles = Counter(q.style for q in own)
    assert styles["no_diacritics"] >= len(own) / 3
    works = Counter(ref.work_number for q in own for ref in q.gold)
    for work in OWN_WORKS:
        assert works[work] >= 8, work
    dated = [q for q in own if q.as_of]
    assert len(dated) >= 6
    # Union members' rights before 2025-07-01 are those of the 2012 Trade Union Law.
    assert any(q.as_of == date(2025, 1, 1) and q.gold[0].work_number == "12/2012/QH13" for q in dated)


def test_own_scope_set() -> None:
    scope = load_dataset("own_scope")
    counts = Counter(q.expects for q in scope)
    assert counts["refuse"] >= 40 and counts["escalate"] >= 30
    assert all(not q.gold for q in scope if q.expects == "refuse")
    assert sum(1 for q in scope if q.expects == "escalate" and q.gold) >= 25
    assert not {q.id for q in scope} & {q.id for q in load_dataset("own")}


HELDOUT_SETS = (
    "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9",
    "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16",
    "heldout17", "heldout18", "heldout19", "heldout20", "heldout21", "heldout22", "heldout23", "heldout24",
    "heldout25", "heldout26", "heldout27", "heldout28", "heldout29",
)


@pytest.mark.parametrize("name", HELDOUT_SETS)
def test_heldout_sets_are_apart_from_the_development_sets(name: str) -> None:
    heldout = load_dataset(name)
    assert len(heldout) >= 80
    assert all(q.gold for q in heldout if q.expects == "answer")
    assert all(q.expects == "refuse" and not q.gold for q in heldout if q.expects != "answer")
    assert Counter(q.style for q in heldout)["no_diacritics"] >= len(heldout) / 3
    others = (
        "own", "own_scope", "slangdev", "slangdev2", "slangdev3", "slangdev4", "slangdev5", "slangdev6", "slangdev7",
        "slangdev8", "slangdev9", "slangdev10", "slangdev11", "slangdev12", "slangdev13", "slangdev14", "slangdev15",
        "slangdev16", "slangdev17", "slangdev18", "slangdev19", "slangdev20", "slangdev21", "slangdev22", "slangdev23",
        "scopedev", "scopedev2", "scopedev3", "scopedev4", "scopedev5", "scopedev6", "scopedev7",
        "scopedev8", "scopedev9", "scopedev10", "scopedev11", "scopedev12", "scopedev13", "scopedev14",
        *(set(HELDOUT_SETS) - {name}),
    )
    questions = {q.question for other in others for q in load_dataset(other)}
    assert not {q.question for q in heldout} & questions


# Where each work's text lives in the shared corpus (the Labour Code also as its 2026 consolidation).
CORPUS_FILES = {
    "45/2019/QH14": ["blld-2019-vbhn-18-2026-vpqh.txt", "blld-2019-45-2019-qh14.txt"],
    "50/2024/QH15": ["luat-cong-doan-2024-50-2024-qh15.txt"],
    "41/2024/QH15": ["luat-bhxh-2024-vbhn-58-2025-vpqh.txt"],
    "145/2020/NĐ-CP": ["nd-145-2020-nd-cp.txt"],
    "293/2025/NĐ-CP": ["nd-293-2025-nd-cp.txt"],
    "12/2012/QH13": ["luat-cong-doan-2012-12-2012-qh13.txt"],
    "10/2012/QH13": ["blld-2012-10-2012-qh13.txt"],
    "84/2015/QH13": ["luat-atvsld-2015-84-2015-qh13.txt"],
    "12/2022/NĐ-CP": ["nd-12-2022-nd-cp.txt"],
    "74/2025/QH15": ["luat-viec-lam-2025-74-2025-qh15.txt"],
    "135/2020/NĐ-CP": ["nd-135-2020-nd-cp.txt"],
    "174/QĐ-TLĐ": ["dieu-le-cong-doan-khoa-xii-2020-174-qd-tld.txt"],
}
ARTICLE_RE = re.compile(r"^Điều (\d+)\.", re.MULTILINE)


def _articles(text: str) -> dict[int, str]:
    """First occurrence of each "Điều N." heading (decrees append forms that restart at Điều 1)."""
    found: dict[int, str] = {}
    matches = list(ARTICLE_RE.finditer(text))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(text)
        found.setdefault(int(match.group(1)), text[match.start():end])
    return found


TUNING_SETS = (
    "own", "own_scope", "slangdev", "slangdev2", "slangdev3", "slangdev4", "slangdev5", "slangdev6", "slangdev7",
    "slangdev8", "slangdev9", "slangdev10", "slangdev11", "slangdev12", "slangdev13", "slangdev14", "slangdev15",
    "slangdev16", "slangdev17", "slangdev18", "slangdev19", "slangdev20", "slangdev21", "slangdev22", "slangdev23",
    "scopedev", "scopedev2", "scopedev3",
    "scopedev4", "scopedev5", "scopedev6", "scopedev7", "scopedev8", "scopedev9", "scopedev10", "scopedev11",
    "scopedev12", "scopedev13", "scopedev14", "levietsangg", "mrhao165",
)


@pytest.mark.parametrize("name", [*TUNING_SETS, *HELDOUT_SETS])
def test_every_gold_provision_exists_in_the_corpus(shared_dir: Path, name: str) -> None:
    raw = shared_dir / "corpus" / "raw"
    articles: dict[str, list[dict[int, str]]] = {
        work: [_articles((raw / f).read_text(encoding="utf-8")) for f in files]
        for work, files in CORPUS_FILES.items()
    }
    missing = []
    for question in load_dataset(name, evalsets_dir=shared_dir / "evalsets"):
        for ref in question.gold:
            texts = [t[ref.article] for t in articles[ref.work_number] if ref.article in t]
            if not texts:
                missing.append(f"{question.id}: {ref}")
            elif ref.clause is not None:
                clause_re = re.compile(rf"^{re.escape(str(ref.clause))}\.(\[\d+\])?\s", re.MULTILINE)
                if not any(clause_re.search(text) for text in texts):
                    missing.append(f"{question.id}: {ref}")
    assert not missing


def test_the_restorer_sample_questions_come_from_the_tuning_sets_only(shared_dir: Path) -> None:
    # The development sets are read from the shared directory: without it there is nothing to compare with.
    from assistant.retrieval.diacritics import sample_questions
    from evals.export_questions import TUNING_SETS, accented_questions

    shipped = set(sample_questions())
    assert shipped == set(accented_questions()), "assistant/data/questions.txt is stale: run `make questions`"
    unseen = ("levietsangg", "mrhao165", "own", "own_scope", *HELDOUT_SETS)
    assert not set(TUNING_SETS) & set(unseen)
    others = {" ".join(q.question.split()) for name in unseen for q in load_dataset(name)}
    assert not shipped & others


def test_no_fitted_question_repeats_a_development_or_held_out_one_even_unmarked(shared_dir: Path) -> None:
    # The development sets are read from the shared directory: without it there is nothing to compare with.
    """The query adapter, the topic model and the mark restorer are fitted on the tuning sets: a question typed
    the same way in a development or held-out set (marks and punctuation aside) would make those figures in-sample."""
    from assistant.vietnamese import fold
    from evals.train_adapter import TRAINING_SETS

    def key(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", fold(text).lower()).split())

    unseen = {key(q.question) for name in ("levietsangg", "mrhao165", "own", "own_scope", *HELDOUT_SETS)
              for q in load_dataset(name)}
    fitted = {q.id: key(q.question) for name in TRAINING_SETS for q in load_dataset(name)}
    assert not [qid for qid, text in fitted.items() if text in unseen]


def test_the_question_bank_is_the_tuning_and_retired_sets_and_repeats_no_unseen_question(shared_dir: Path) -> None:
    # The development sets are read from the shared directory: without it there is nothing to compare with.
    """Search reads the bank's questions as text of their provisions: a development or current held-out question in
    it (marks and punctuation aside) would make those figures in-sample."""
    from assistant.retrieval.question_bank import BANK_FILE
    from assistant.vietnamese import fold
    from evals.export_question_bank import BANK_SETS, DEFAULT_OUT, bank_lines
    from evals.run import COLLOQUIAL_DEV, HELDOUT, RETIRED_HELDOUT

    def key(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", fold(text).lower()).split())

    assert set(BANK_SETS) == {*COLLOQUIAL_DEV, *RETIRED_HELDOUT}
    assert set(HELDOUT) | set(RETIRED_HELDOUT) == set(HELDOUT_SETS) and not set(HELDOUT) & set(RETIRED_HELDOUT)
    assert DEFAULT_OUT.as_posix().endswith(BANK_FILE)
    shipped = [line for line in DEFAULT_OUT.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    expected = bank_lines([q for name in BANK_SETS for q in load_dataset(name)])
    assert shipped == expected, "the bank is stale: run `make question-bank`"
    unseen = {key(q.question) for name in ("levietsangg", "mrhao165", "own", "own_scope", *HELDOUT)
              for q in load_dataset(name)}
    assert not [line for line in shipped if key(json.loads(line)["question"]) in unseen]
