"""indexes for the open tasks by due date, all and per owner: Overblik counts and lists them

The count of overdue open tasks read the due-date index and checked every task due before today, done
or not: 0.5 s at 50,000 cases (700,000 tasks); a user's own count read all of the owner's tasks
(40-50 ms). With the open tasks indexed by due date (and by owner) they read only those.

Revision ID: 0602_open_task_index
Revises: 0601_case_sort_keys
Create Date: 2026-11-23
"""
from alembic import op

revision = '0602_open_task_index'
down_revision = '0601_case_sort_keys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_task_open_due', 'task', ['done_at', 'due_date'])
    op.create_index('ix_task_owner_open_due', 'task', ['owner_id', 'done_at', 'due_date'])


def downgrade() -> None:
    op.drop_index('ix_task_owner_open_due', table_name='task')
    op.drop_index('ix_task_open_due', table_name='task')
