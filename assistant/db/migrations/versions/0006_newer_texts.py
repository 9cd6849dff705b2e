"""works: a newer text the catalogue knows and the corpus does not hold

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.add_column(sa.Column('newer_text', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('newer_text_from', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.drop_column('newer_text_from')
        batch_op.drop_column('newer_text')
