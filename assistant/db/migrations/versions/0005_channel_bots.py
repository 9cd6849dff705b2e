"""chat bots: handled updates, pending steps per chat, delivery progress

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-28
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('channel_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('update_key', sa.String(length=128), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_updates')),
    sa.UniqueConstraint('channel', 'update_key', name='uq_channel_updates_channel_key')
    )
    with op.batch_alter_table('channel_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_updates_received_at'), ['received_at'], unique=False)

    op.create_table('chat_states',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('chat_key', sa.String(length=260), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'chat_key', name=op.f('pk_chat_states'))
    )

    op.create_table('channel_deliveries',
    sa.Column('outbox_id', sa.String(length=32), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('parts_sent', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['delivery_outbox.id'], name=op.f('fk_channel_deliveries_outbox_id_delivery_outbox'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('outbox_id', name=op.f('pk_channel_deliveries'))
    )


def downgrade() -> None:
    op.drop_table('channel_deliveries')
    op.drop_table('chat_states')
    with op.batch_alter_table('channel_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_updates_received_at'))

    op.drop_table('channel_updates')
