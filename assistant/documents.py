"""Queries and rules over legal documents: which text is in force on a date, version chains, listing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assistant.db.documents import Provision, Version, Work


def in_force(start: date | None, end: date | None, on: date) -> bool:
    return (start is None or start <= on) and (end is None or on < end)


def relink_work(work: Work) -> None:
    """Recompute every version's and provision's effective dates from the chain of versions.

    A version is in force until the next one starts (or the work is repealed). A provision whose
    amendment takes effect after its version starts is in force only from that date; until then the
    same article of the previous version stands.
    """
    versions = sorted(work.versions, key=lambda v: (v.valid_from, v.id or 0))
    for index, version in enumerate(versions):
        end = versions[index + 1].valid_from if index + 1 < len(versions) else None
        if work.repealed_on and (end is None or work.repealed_on < end):
            end = max(work.repealed_on, version.valid_from)
        version.valid_to = end
        for provision in version.provisions:
            provision.valid_from = version.valid_from
            provision.valid_to = end
    for index, version in enumerate(versions):
        previous = _predecessor(versions, index)
        earlier = {p.article_label: p for p in previous.provisions} if previous else {}
        for provision in version.provisions:
            deferred = provision.amended_from
            if deferred is None or deferred <= version.valid_from:
                continue
            if version.valid_to is not None:
                deferred = min(deferred, version.valid_to)
            provision.valid_from = deferred
            old = earlier.get(provision.article_label)
            if old is not None:
                old.valid_to = deferred


def _predecessor(versions: list[Version], index: int) -> Version | None:
    start = versions[index].valid_from
    for candidate in reversed(versions[:index]):
        if candidate.valid_from < start:
            return candidate
    return None


def version_status(work: Work, version: Version, today: date) -> str:
    if version.valid_from > today:
        return "chưa có hiệu lực"
    if version.valid_to is None or today < version.valid_to:
        return "đang có hiệu lực"
    if work.replaced_by and work.repealed_on and version.valid_to >= work.repealed_on:
        return f"đã được thay thế bởi {work.replaced_by}"
    if work.repealed_on and version.valid_to >= work.repealed_on:
        return "hết hiệu lực"
    return "đã được thay thế bởi phiên bản mới hơn"


def find_work(session: Session, number: str) -> Work | None:
    return session.scalar(
        select(Work).where(Work.number == number).options(selectinload(Work.versions))
    )


def list_works(session: Session) -> list[Work]:
    return list(
        session.scalars(select(Work).order_by(Work.number).options(selectinload(Work.versions))).all()
    )


def article_counts(session: Session) -> dict[int, int]:
    from sqlalchemy import func

    rows = session.execute(
        select(Provision.version_id, func.count(func.distinct(Provision.article_label))).group_by(
            Provision.version_id
        )
    ).all()
    return {int(v): int(n) for v, n in rows}


@dataclass(frozen=True)
class ProvisionInForce:
    provision: Provision
    version: Version


def text_as_of(session: Session, work: Work, on: date, article: str | None = None) -> list[ProvisionInForce]:
    """The provisions of ``work`` in force on ``on``, one per article, in article order."""
    query = (
        select(Provision, Version)
        .join(Version, Provision.version_id == Version.id)
        .where(Version.work_id == work.id)
        .where((Provision.valid_from.is_(None)) | (Provision.valid_from <= on))
        .where((Provision.valid_to.is_(None)) | (Provision.valid_to > on))
        .order_by(Provision.article, Provision.article_label, Version.valid_from.desc())
    )
    if article is not None:
        query = query.where(Provision.article_label == article)
    seen: set[str] = set()
    result: list[ProvisionInForce] = []
    for provision, version in session.execute(query).all():
        if provision.article_label in seen:
            continue
        seen.add(provision.article_label)
        result.append(ProvisionInForce(provision, version))
    return result
