"""case next deadline: earliest open task per case, stored for sorting the case list

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tta_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_deadline', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tta_case_next_deadline'), ['next_deadline'], unique=False)
    op.execute("UPDATE tta_case SET next_deadline = (SELECT MIN(task.due_date) FROM task "
               "WHERE task.case_id = tta_case.id AND task.done_at IS NULL)")


def downgrade() -> None:
    with op.batch_alter_table('tta_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tta_case_next_deadline'))
        batch_op.drop_column('next_deadline')
