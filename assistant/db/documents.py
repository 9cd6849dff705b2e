"""Legal documents: a work (the law, by its number) has versions, and each version has provisions (Điều)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.db.base import Base, utcnow


class Work(Base):
    __tablename__ = "works"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    doc_type: Mapped[str] = mapped_column(String(64), default="")
    issuer: Mapped[str] = mapped_column(String(255), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    scope_unit_code: Mapped[str | None] = mapped_column(String(64), index=True)
    source_url: Mapped[str] = mapped_column(String(1000), default="")
    repealed_on: Mapped[date | None] = mapped_column(Date)
    replaced_by: Mapped[str | None] = mapped_column(String(64))
    replaces: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A consolidated text of this work that the catalogue knows but the corpus does not hold: answers quoting
    # an older version from that date on must say the quoted wording may have been amended.
    newer_text: Mapped[str | None] = mapped_column(String(64))
    newer_text_from: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    versions: Mapped[list[Version]] = relationship(
        back_populates="work", cascade="all, delete-orphan", order_by="Version.valid_from, Version.id"
    )


class Version(Base):
    __tablename__ = "versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32), default="original")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    issued_on: Mapped[date | None] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source_name: Mapped[str] = mapped_column(String(500), default="")
    media_type: Mapped[str] = mapped_column(String(128), default="")
    footnotes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    appendices: Mapped[list[str]] = mapped_column(JSON, default=list)
    ingested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    work: Mapped[Work] = relationship(back_populates="versions")
    provisions: Mapped[list[Provision]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Provision.position"
    )


class Provision(Base):
    """One Điều of one version. ``valid_from``/``valid_to`` are its effective dates, derived by the pipeline
    from the version chain and from amendments that take effect later than the version itself."""

    __tablename__ = "provisions"
    __table_args__ = (UniqueConstraint("version_id", "position", name="uq_provisions_version_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    article: Mapped[int] = mapped_column(Integer, index=True)
    article_label: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(1000), default="")
    part: Mapped[str | None] = mapped_column(String(500))
    chapter: Mapped[str | None] = mapped_column(String(500))
    section: Mapped[str | None] = mapped_column(String(500))
    intro: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    clauses: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    amendments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    amended_from: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date, index=True)
    valid_to: Mapped[date | None] = mapped_column(Date)

    version: Mapped[Version] = relationship(back_populates="provisions")


class CorpusState(Base):
    """One row: a counter bumped in the same transaction as every change to documents, so each server
    process (and machine) can tell that its search index and caches are behind the central database."""

    __tablename__ = "corpus_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
