"""Document metadata: read from the header, then the catalogue, a sidecar YAML and CLI flags, each overriding
the one before."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ingestion.catalogue import Catalogue, CatalogueEntry, entry_from_mapping
from ingestion.errors import IngestError
from ingestion.structure import ParsedDocument

LAW_NUMBER = re.compile(r"\b(\d{1,4}/\d{4}/(?:QH\d{1,2}|NĐ-CP|TT-[A-ZĐ]+|UBTVQH\d{1,2}))\b")
EFFECTIVE = re.compile(
    r"có hiệu lực(?: thi hành)?(?: kể)? từ ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})", re.IGNORECASE
)


@dataclass(frozen=True)
class DocumentMeta:
    work_number: str
    version_label: str
    kind: str  # original | consolidated
    title: str
    doc_type: str
    issuer: str
    issued_on: date | None
    valid_from: date
    replaces: tuple[str, ...] = ()
    scope_unit_code: str | None = None
    source_url: str = ""
    status_note: str = ""
    repealed_on: date | None = None
    replaced_by: str | None = None
    notes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Overrides:
    """What a curator says on the command line; None means "not given"."""

    number: str | None = None
    title: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    issued_on: date | None = None
    valid_from: date | None = None
    replaces: tuple[str, ...] = ()
    consolidates: str | None = None
    scope: str | None = None


def sidecar_path(path: Path) -> Path | None:
    for candidate in (path.with_suffix(path.suffix + ".yaml"), path.with_suffix(".meta.yaml"),
                      path.with_suffix(".yaml")):
        if candidate.exists() and candidate != path:
            return candidate
    return None


def load_sidecar(path: Path | None) -> CatalogueEntry | None:
    if path is None:
        return None
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "number" not in raw:
            raise KeyError("number")
        return entry_from_mapping(raw)
    except (yaml.YAMLError, KeyError, ValueError, TypeError) as exc:
        raise IngestError(
            f"Tệp mô tả {path.name} không hợp lệ ({exc}); cần ít nhất trường 'number'. Sửa tệp rồi chạy lại."
        ) from exc


def effective_date_in_text(text: str) -> date | None:
    """The last "có hiệu lực (thi hành) từ ngày …" in the text, which is where the entry-into-force article sits."""
    matches = list(EFFECTIVE.finditer(text))
    if not matches:
        return None
    day, month, year = (int(g) for g in matches[-1].groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def consolidated_law_number(text: str) -> str | None:
    head = text[:3000]
    match = LAW_NUMBER.search(head.split("được sửa đổi")[0]) or LAW_NUMBER.search(head)
    return match.group(1) if match else None


def _merge(base: dict[str, Any], entry: CatalogueEntry | None) -> None:
    if entry is None:
        return
    for key in ("title", "doc_type", "issuer", "issued_on", "valid_from", "source_url", "consolidates", "scope",
                "repealed_on", "replaced_by"):
        value = getattr(entry, key)
        if value:
            base[key] = value
    if entry.replaces:
        base["replaces"] = entry.replaces
    if entry.status:
        base["status"] = entry.status


def resolve(
    parsed: ParsedDocument,
    text: str,
    *,
    source: Path | None,
    source_name: str,
    catalogue: Catalogue,
    overrides: Overrides,
    declared: dict[str, str] | None = None,
) -> DocumentMeta:
    header = parsed.header
    number = overrides.number or header.number or (declared or {}).get("so_hieu_van_ban")
    by_file = catalogue.by_file(Path(source_name).name)
    sidecar = load_sidecar(sidecar_path(source)) if source else None
    if not number and sidecar:
        number = sidecar.number
    if not number and by_file:
        number = by_file.number
    if not number:
        raise IngestError(
            f"Không đọc được số hiệu văn bản trong {source_name}. "
            "Hãy chỉ định bằng --number SỐ_HIỆU hoặc tệp mô tả .yaml đặt cạnh tệp."
        )
    values: dict[str, Any] = {
        "title": header.title or "",
        "doc_type": header.doc_type or "",
        "issuer": header.issuer or "",
        "issued_on": header.issued_on,
        "valid_from": effective_date_in_text(text),
        "replaces": (),
        "status": "",
    }
    _merge(values, catalogue.by_number(number) or by_file)
    _merge(values, sidecar)
    for key in ("title", "doc_type", "issuer", "issued_on", "valid_from", "consolidates", "scope"):
        given = getattr(overrides, key)
        if given:
            values[key] = given
    if overrides.replaces:
        values["replaces"] = overrides.replaces
    is_consolidated = "VBHN" in number.upper() or bool(values.get("consolidates"))
    work_number = number
    if is_consolidated:
        work_number = values.get("consolidates") or consolidated_law_number(text) or ""
        if not work_number:
            raise IngestError(
                f"{number} là văn bản hợp nhất nhưng không xác định được luật được hợp nhất. "
                "Hãy chỉ định bằng --consolidates SỐ_HIỆU_LUẬT."
            )
    valid_from = values["valid_from"] or values["issued_on"]
    if valid_from is None:
        raise IngestError(
            f"Không xác định được ngày có hiệu lực của {number}. Hãy chỉ định bằng --valid-from YYYY-MM-DD."
        )
    return DocumentMeta(
        work_number=work_number,
        version_label=number,
        kind="consolidated" if is_consolidated else "original",
        title=values["title"] or number,
        doc_type=values["doc_type"],
        issuer=values["issuer"],
        issued_on=values["issued_on"],
        valid_from=valid_from,
        replaces=tuple(values["replaces"]),
        scope_unit_code=values.get("scope"),
        source_url=values.get("source_url", ""),
        status_note=values.get("status", ""),
        repealed_on=values.get("repealed_on"),
        replaced_by=values.get("replaced_by"),
    )


def with_work_title(meta: DocumentMeta, title: str) -> DocumentMeta:
    return replace(meta, title=title)
