"""plan details: overall goal, target hours and work adaptations on a plan version; status and order of
an intervention; actual hours and weekdays of a gradual-return week; the assessments a plan rests on;
plan templates per subgroup

Revision ID: 0301_plan_details
Revises: 0201_assessments
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = '0301_plan_details'
down_revision = '0201_assessments'
branch_labels = None
depends_on = None

# Copied, not imported: a migration must not change with the app.
_PLAN_GOALS = "'own_job', 'other_job', 'clarification', 'other'"
_INTERVENTION_STATUSES = "'planned', 'in_progress', 'done', 'cancelled'"


def upgrade() -> None:
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('overall_goal', sa.String(length=20), server_default='own_job', nullable=False))
        batch_op.add_column(sa.Column('target_hours', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('work_adaptations', sa.Text(), server_default='', nullable=False))
        batch_op.create_check_constraint(op.f('ck_action_plan_overall_goal'), f"overall_goal IN ({_PLAN_GOALS})")
        batch_op.create_check_constraint(op.f('ck_action_plan_target_hours'),
                                         'target_hours IS NULL OR (target_hours >= 0 AND target_hours <= 60)')
    with op.batch_alter_table('plan_intervention', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='planned', nullable=False))
        batch_op.add_column(sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint(op.f('ck_plan_intervention_status'), f"status IN ({_INTERVENTION_STATUSES})")
    with op.batch_alter_table('gradual_return_week', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actual_hours', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('weekdays', sa.String(length=40), server_default='', nullable=False))
        batch_op.create_check_constraint(op.f('ck_gradual_return_week_actual_hours'),
                                         'actual_hours IS NULL OR (actual_hours >= 0 AND actual_hours <= 80)')
    op.create_table('plan_assessment',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_plan_assessment_assessment_id_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plan.id'], name=op.f('fk_plan_assessment_plan_id_action_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'assessment_id', name=op.f('pk_plan_assessment'))
    )
    with op.batch_alter_table('plan_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_assessment_assessment_id'), ['assessment_id'], unique=False)
    op.create_table('plan_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('subgroups', sa.String(length=40), nullable=False),
    sa.Column('workplace', sa.String(length=10), server_default='any', nullable=False),
    sa.Column('overall_goal', sa.String(length=20), server_default='own_job', nullable=False),
    sa.Column('weeks', sa.Integer(), server_default='12', nullable=False),
    sa.Column('purpose', sa.Text(), server_default='', nullable=False),
    sa.Column('team_goals', sa.Text(), server_default='', nullable=False),
    sa.Column('interventions', sa.Text(), server_default='', nullable=False),
    sa.Column('gradual_weeks', sa.Integer(), server_default='0', nullable=False),
    sa.Column('gradual_start_hours', sa.Float(), server_default='8', nullable=False),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("workplace IN ('any', 'with', 'without')", name=op.f('ck_plan_template_workplace')),
    sa.CheckConstraint(f"overall_goal IN ({_PLAN_GOALS})", name=op.f('ck_plan_template_overall_goal')),
    sa.CheckConstraint('weeks >= 1 AND weeks <= 104', name=op.f('ck_plan_template_weeks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_template')),
    sa.UniqueConstraint('name', name=op.f('uq_plan_template_name'))
    )


def downgrade() -> None:
    op.drop_table('plan_template')
    with op.batch_alter_table('plan_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_assessment_assessment_id'))
    op.drop_table('plan_assessment')
    with op.batch_alter_table('gradual_return_week', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_gradual_return_week_actual_hours'), type_='check')
        batch_op.drop_column('weekdays')
        batch_op.drop_column('actual_hours')
    with op.batch_alter_table('plan_intervention', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_plan_intervention_status'), type_='check')
        batch_op.drop_column('sort_order')
        batch_op.drop_column('status')
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_action_plan_target_hours'), type_='check')
        batch_op.drop_constraint(op.f('ck_action_plan_overall_goal'), type_='check')
        batch_op.drop_column('work_adaptations')
        batch_op.drop_column('target_hours')
        batch_op.drop_column('overall_goal')
