"""The catalogue of documents the platform knows (corpus/catalogue.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ingestion.errors import IngestError

DEFAULT_CATALOGUE = Path(__file__).resolve().parents[1] / "corpus" / "catalogue.yaml"


@dataclass(frozen=True)
class CatalogueEntry:
    number: str
    title: str = ""
    doc_type: str = ""
    issuer: str = ""
    issued_on: date | None = None
    valid_from: date | None = None
    status: str = ""
    replaces: tuple[str, ...] = ()
    consolidates: str | None = None
    source_url: str = ""
    scope: str | None = None
    files: tuple[str, ...] = ()
    bundled: str | None = None
    repealed_on: date | None = None
    replaced_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def entry_from_mapping(raw: dict[str, Any]) -> CatalogueEntry:
    known = {f for f in CatalogueEntry.__dataclass_fields__ if f != "extra"}
    return CatalogueEntry(
        number=str(raw["number"]),
        title=str(raw.get("title") or ""),
        doc_type=str(raw.get("doc_type") or ""),
        issuer=str(raw.get("issuer") or ""),
        issued_on=_as_date(raw.get("issued_on")),
        valid_from=_as_date(raw.get("valid_from")),
        status=str(raw.get("status") or ""),
        replaces=tuple(str(x) for x in raw.get("replaces") or ()),
        consolidates=raw.get("consolidates"),
        source_url=str(raw.get("source_url") or ""),
        scope=raw.get("scope"),
        files=tuple(str(x) for x in raw.get("files") or ()),
        bundled=raw.get("bundled"),
        repealed_on=_as_date(raw.get("repealed_on")),
        replaced_by=raw.get("replaced_by"),
        extra={k: v for k, v in raw.items() if k not in known},
    )


class Catalogue:
    def __init__(self, entries: list[CatalogueEntry], path: Path | None = None) -> None:
        self.entries = entries
        self.path = path
        self._by_number = {e.number: e for e in entries}

    @classmethod
    def load(cls, path: Path | None = None) -> Catalogue:
        path = path or DEFAULT_CATALOGUE
        if not path.exists():
            return cls([], path)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            entries = [entry_from_mapping(item) for item in raw.get("documents", [])]
        except (yaml.YAMLError, KeyError, ValueError, TypeError) as exc:
            raise IngestError(f"Danh mục {path} không hợp lệ: {exc}. Sửa tệp YAML rồi chạy lại.") from exc
        return cls(entries, path)

    def by_number(self, number: str | None) -> CatalogueEntry | None:
        return self._by_number.get(number) if number else None

    def by_file(self, name: str) -> CatalogueEntry | None:
        for entry in self.entries:
            if name in entry.files or (entry.bundled and entry.bundled.endswith(name)):
                return entry
        return None

    def bundled(self) -> list[CatalogueEntry]:
        return [e for e in self.entries if e.bundled]

    @property
    def base_dir(self) -> Path:
        return (self.path or DEFAULT_CATALOGUE).parent
