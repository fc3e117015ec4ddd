"""indexes for the case list: default order and next deadline

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_tta_case_activity_list', 'tta_case', ['last_activity_at', 'id', 'citizen_id'])
    op.create_index('ix_task_case_open_due', 'task', ['case_id', 'done_at', 'due_date'])


def downgrade() -> None:
    op.drop_index('ix_task_case_open_due', table_name='task')
    op.drop_index('ix_tta_case_activity_list', table_name='tta_case')
