"""case access grants: need-to-know access to a case opened with a stated reason

Revision ID: 0101_case_access
Revises: 0005
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = '0101_case_access'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_access_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('expires_at > granted_at', name=op.f('ck_case_access_grant_expires_after_granted')),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_case_access_grant_case_id_tta_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_case_access_grant_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_access_grant'))
    )
    with op.batch_alter_table('case_access_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_access_grant_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_access_grant_granted_at'), ['granted_at'], unique=False)
        batch_op.create_index('ix_case_access_grant_user_case', ['user_id', 'case_id', 'expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_access_grant', schema=None) as batch_op:
        batch_op.drop_index('ix_case_access_grant_user_case')
        batch_op.drop_index(batch_op.f('ix_case_access_grant_granted_at'))
        batch_op.drop_index(batch_op.f('ix_case_access_grant_case_id'))

    op.drop_table('case_access_grant')
