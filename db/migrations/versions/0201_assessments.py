"""assessments: the common structured fields and the discipline's own fields on an assessment,
addenda under a signed assessment, and an instrument result without a score while answers are missing

Revision ID: 0201_assessments
Revises: 0103_audit_chain
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = '0201_assessments'
down_revision = '0103_audit_chain'
branch_labels = None
depends_on = None

TEXT_COLUMNS = ('presenting_problems', 'resources', 'barriers_personal', 'barriers_workplace', 'barriers_other',
                'functional_level', 'treatment_status', 'recommendation')


def upgrade() -> None:
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        for name in TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('details_json', sa.Text(), server_default='{}', nullable=False))

    op.create_table('assessment_addendum',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_addendum_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_assessment_addendum_author_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_addendum'))
    )
    op.create_index(op.f('ix_assessment_addendum_assessment_id'), 'assessment_addendum', ['assessment_id'], unique=False)

    with op.batch_alter_table('instrument_result', schema=None) as batch_op:
        batch_op.alter_column('score', existing_type=sa.Float(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM instrument_result WHERE score IS NULL")
    with op.batch_alter_table('instrument_result', schema=None) as batch_op:
        batch_op.alter_column('score', existing_type=sa.Float(), nullable=False)
    op.drop_index(op.f('ix_assessment_addendum_assessment_id'), table_name='assessment_addendum')
    op.drop_table('assessment_addendum')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('details_json')
        for name in reversed(TEXT_COLUMNS):
            batch_op.drop_column(name)
