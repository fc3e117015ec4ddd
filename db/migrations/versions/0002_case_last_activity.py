"""case last activity: when anything last happened on a case, for sorting the case list

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tta_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_activity_at', sa.DateTime(), nullable=True))
    # Existing cases: the last change of the case row is the best estimate we have.
    op.execute("UPDATE tta_case SET last_activity_at = COALESCE(updated_at, created_at)")
    with op.batch_alter_table('tta_case', schema=None) as batch_op:
        batch_op.alter_column('last_activity_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_index(batch_op.f('ix_tta_case_last_activity_at'), ['last_activity_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tta_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tta_case_last_activity_at'))
        batch_op.drop_column('last_activity_at')
