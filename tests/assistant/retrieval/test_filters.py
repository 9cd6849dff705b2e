"""Date and scope filters: the Python predicate and the Chroma ``where`` clause must agree."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from assistant.retrieval.chunks import Chunk
from assistant.retrieval.dense import DenseIndex, make_client
from assistant.retrieval.filters import SearchFilter, chunk_metadata, date_key
from tests.assistant.retrieval.conftest import HashingEmbeddings
from tests.assistant.retrieval.retrieval_sample import article_chunks


def _variants() -> list[Chunk]:
    base = article_chunks([114])[0]
    return [
        replace(base, id="old", valid_from=date(2013, 5, 1), valid_to=date(2021, 1, 1)),
        replace(base, id="current", valid_from=date(2021, 1, 1), valid_to=None),
        replace(base, id="future", valid_from=date(2027, 1, 1), valid_to=None),
        replace(base, id="unit-a", scope_unit_code="A"),
        replace(base, id="unit-a1", scope_unit_code="A1"),
        replace(base, id="unit-b", scope_unit_code="B"),
    ]


def test_date_key_and_open_end() -> None:
    assert date_key(date(2021, 1, 1)) == 20210101
    assert date_key(None) == 99991231
    meta = chunk_metadata(_variants()[1])
    assert meta["valid_to"] == 99991231
    assert meta["scope"] == ""


@pytest.mark.parametrize(
    ("as_of", "scopes", "expected"),
    [
        (date(2020, 12, 31), None, {"old"}),
        # valid_to is exclusive: on the day the new code takes effect only the new text is in force.
        (date(2021, 1, 1), None, {"current"}),
        (date(2026, 11, 28), None, {"current"}),
        (date(2026, 11, 28), ["A1", "A"], {"current", "unit-a", "unit-a1"}),
        (date(2026, 11, 28), ["A"], {"current", "unit-a"}),
        (date(2027, 1, 1), ["B"], {"current", "future", "unit-b"}),
    ],
)
def test_predicate_and_chroma_where_agree(
    tmp_path: Path, as_of: date, scopes: list[str] | None, expected: set[str]
) -> None:
    chunks = _variants()
    search_filter = SearchFilter.build(as_of, scopes)
    assert {c.id for c in chunks if search_filter.allows(c)} == expected

    dense = DenseIndex(make_client(tmp_path / "chroma"), "filters", HashingEmbeddings())
    dense.upsert(chunks)
    found = dense.search_vector(HashingEmbeddings().embed_query("nghỉ hằng năm"), 50, search_filter)
    assert {cid for cid, _ in found} == expected


def test_default_as_of_is_today() -> None:
    assert SearchFilter.build().as_of == date.today()
    assert SearchFilter.build(scopes=["", "A"]).scopes == frozenset({"A"})

def test_table_mask_is_kept_per_filter_and_read_only() -> None:
    import numpy as np

    from assistant.retrieval.hybrid import ChunkTable

    chunks = _variants()
    vectors = np.zeros((len(chunks), 4), dtype=np.float32)
    has_vector = np.array([True, True, True, True, False, True])
    table = ChunkTable(chunks, vectors, has_vector)
    for as_of, scopes in [(date(2026, 11, 28), ["A"]), (date(2020, 12, 31), None), (date(2026, 11, 28), ["A"])]:
        search_filter = SearchFilter.build(as_of, scopes)
        mask = table.mask(search_filter)
        assert [c.id for c, ok in zip(chunks, mask, strict=True) if ok] == [
            c.id for c in chunks if search_filter.allows(c)
        ]
        with pytest.raises(ValueError):
            mask[0] = not mask[0]
        blocked, usable = table.dense_blocked(search_filter)
        assert usable == int((mask & has_vector).sum())
        assert set(blocked.tolist()) == {i for i in range(len(chunks)) if not (mask[i] and has_vector[i])}
    assert table.mask(SearchFilter.build(date(2026, 11, 28), ["A"])) is table.mask(
        SearchFilter.build(date(2026, 11, 28), ["A"])
    )
