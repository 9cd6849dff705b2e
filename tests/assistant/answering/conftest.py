from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.assistant.answering.corpus import LABOUR_CODE, Corpus, build_corpus
from tests.conftest import make_settings


@pytest.fixture(scope="session")
def labour_code(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """The consolidated Labour Code (18/VBHN-VPQH), ingested and indexed once per session."""
    if not LABOUR_CODE.is_file():
        pytest.skip(f"shared corpus not found: {LABOUR_CODE}")
    settings = make_settings(Path(tmp_path_factory.mktemp("labour-code")))
    corpus = build_corpus(settings, [LABOUR_CODE])
    yield corpus
    corpus.db.dispose()
