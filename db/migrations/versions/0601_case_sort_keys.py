"""case list sort keys: the citizen's birth date on each case (the CPR order) and a closed case's
sick-leave length in days (the "Sygemeldt" order), each with a narrow index

Both are derived columns (db/derived.py keeps them current); version and updated_at stay as they were.

Revision ID: 0601_case_sort_keys
Revises: 0501_letters_deadlines
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = '0601_case_sort_keys'
down_revision = '0501_letters_deadlines'
branch_labels = None
depends_on = None

# Copied, not imported: a migration must not change with the app.
_CLOSED_SICK_DAYS = {
    'sqlite': 'CAST(julianday(closed_date) - julianday(sick_leave_start) AS INTEGER)',
    'postgresql': 'closed_date - sick_leave_start',
}


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table('tta_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('citizen_birth_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_sick_days', sa.Integer(), nullable=True))
    op.execute("UPDATE tta_case SET citizen_birth_date = "
               "(SELECT citizen.birth_date FROM citizen WHERE citizen.id = tta_case.citizen_id)")
    op.execute("UPDATE tta_case SET closed_sick_days = CASE WHEN closed_date IS NULL THEN NULL "
               f"ELSE {_CLOSED_SICK_DAYS[bind.dialect.name]} END")
    op.create_index('ix_tta_case_sick_days_list', 'tta_case',
                    ['closed_sick_days', 'sick_leave_start', 'id', 'name_search'])
    op.create_index('ix_tta_case_birth_date_list', 'tta_case', ['citizen_birth_date', 'id', 'name_search'])


def downgrade() -> None:
    op.drop_index('ix_tta_case_birth_date_list', table_name='tta_case')
    op.drop_index('ix_tta_case_sick_days_list', table_name='tta_case')
    with op.batch_alter_table('tta_case', schema=None) as batch_op:
        batch_op.drop_column('closed_sick_days')
        batch_op.drop_column('citizen_birth_date')
