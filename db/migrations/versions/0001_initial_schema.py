"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('fields', sa.Text(), server_default='', nullable=False),
    sa.Column('detail', sa.Text(), server_default='', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_log_case_at', ['case_id', 'at'], unique=False)

    op.create_table('catalog_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('counts_as_return', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('after_visitation', sa.Boolean(), nullable=True),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("kind IN ('intervention', 'outcome', 'other_reason', 'subgroup', 'absence_reason', 'rejection_reason', 'next_effort')", name=op.f('ck_catalog_item_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_item')),
    sa.UniqueConstraint('kind', 'code', name='uq_catalog_item_kind_code')
    )
    with op.batch_alter_table('catalog_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_item_kind'), ['kind'], unique=False)

    op.create_table('citizen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cpr', sa.String(length=10), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('name_search', sa.String(length=210), server_default='', nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('sex', sa.String(length=10), nullable=False),
    sa.Column('address', sa.String(length=200), server_default='', nullable=False),
    sa.Column('postcode', sa.String(length=10), server_default='', nullable=False),
    sa.Column('city', sa.String(length=100), server_default='', nullable=False),
    sa.Column('phone', sa.String(length=40), server_default='', nullable=False),
    sa.Column('email', sa.String(length=200), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("sex IN ('female', 'male', 'other')", name=op.f('ck_citizen_sex')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen')),
    sa.UniqueConstraint('cpr', name=op.f('uq_citizen_cpr'))
    )
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizen_name_search'), ['name_search'], unique=False)

    op.create_table('follow_up_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('params_json', sa.Text(), server_default='{}', nullable=False),
    sa.Column('source', sa.Text(), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_rule'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value_json', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('name', name=op.f('uq_team_name'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('initials', sa.String(length=10), server_default='', nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=200), server_default='', nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('must_change_password', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("role IN ('coordinator', 'psychologist', 'physiotherapist', 'doctor', 'job_consultant', 'team_lead', 'admin')", name=op.f('ck_user_account_role')),
    sa.CheckConstraint('failed_logins >= 0', name=op.f('ck_user_account_failed_logins')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_user_account_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('username', name=op.f('uq_user_account_username'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_team_id'), ['team_id'], unique=False)

    op.create_table('case_conference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('closed', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['chair_id'], ['user_account.id'], name=op.f('fk_case_conference_chair_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_conference')),
    sa.UniqueConstraint('held_on', name=op.f('uq_case_conference_held_on'))
    )
    op.create_table('tta_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(length=20), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('coordinator_id', sa.Integer(), nullable=True),
    sa.Column('phase', sa.String(length=20), server_default='referral', nullable=False),
    sa.Column('referral_date', sa.Date(), nullable=False),
    sa.Column('referring_jobcentre', sa.String(length=120), server_default='', nullable=False),
    sa.Column('caseworker_name', sa.String(length=120), server_default='', nullable=False),
    sa.Column('caseworker_phone', sa.String(length=40), server_default='', nullable=False),
    sa.Column('caseworker_email', sa.String(length=200), server_default='', nullable=False),
    sa.Column('referral_text', sa.Text(), server_default='', nullable=False),
    sa.Column('sick_leave_start', sa.Date(), nullable=False),
    sa.Column('employment_status', sa.String(length=20), nullable=False),
    sa.Column('employer_name', sa.String(length=200), server_default='', nullable=False),
    sa.Column('employer_address', sa.String(length=200), server_default='', nullable=False),
    sa.Column('job_title', sa.String(length=120), server_default='', nullable=False),
    sa.Column('normal_hours_per_week', sa.Float(), nullable=True),
    sa.Column('gp_name', sa.String(length=120), server_default='', nullable=False),
    sa.Column('gp_clinic', sa.String(length=200), server_default='', nullable=False),
    sa.Column('gp_phone', sa.String(length=40), server_default='', nullable=False),
    sa.Column('socio_economic_level', sa.String(length=20), server_default='other', nullable=False),
    sa.Column('absent_before_same_cause', sa.Boolean(), nullable=True),
    sa.Column('expects_return_same_workplace', sa.Boolean(), nullable=True),
    sa.Column('referred_to_psych', sa.Boolean(), nullable=True),
    sa.Column('wage_earner', sa.Boolean(), nullable=True),
    sa.Column('rtw_expectation', sa.Integer(), nullable=True),
    sa.Column('subgroup', sa.Integer(), nullable=True),
    sa.Column('visitation_decision', sa.String(length=20), server_default='pending', nullable=False),
    sa.Column('visitation_date', sa.Date(), nullable=True),
    sa.Column('visitation_by_id', sa.Integer(), nullable=True),
    sa.Column('rejection_reason_id', sa.Integer(), nullable=True),
    sa.Column('visitation_note', sa.Text(), server_default='', nullable=False),
    sa.Column('outside_criteria', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('outside_criteria_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('closed_date', sa.Date(), nullable=True),
    sa.Column('outcome_id', sa.Integer(), nullable=True),
    sa.Column('other_reason_id', sa.Integer(), nullable=True),
    sa.Column('next_effort_id', sa.Integer(), nullable=True),
    sa.Column('closing_note', sa.Text(), server_default='', nullable=False),
    sa.Column('final_hours_per_week', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("(phase = 'closed') = (closed_date IS NOT NULL)", name=op.f('ck_tta_case_closed_has_date')),
    sa.CheckConstraint("employment_status IN ('employed', 'resigned', 'dismissed', 'unemployed')", name=op.f('ck_tta_case_employment_status')),
    sa.CheckConstraint("phase IN ('referral', 'visitation', 'assessment', 'plan', 'intervention', 'follow_up', 'closed')", name=op.f('ck_tta_case_phase')),
    sa.CheckConstraint("socio_economic_level IN ('top_manager', 'wage_highest', 'wage_middle', 'wage_basic', 'other')", name=op.f('ck_tta_case_socio_economic_level')),
    sa.CheckConstraint("visitation_decision IN ('pending', 'accepted', 'rejected')", name=op.f('ck_tta_case_visitation_decision')),
    sa.CheckConstraint('NOT outside_criteria OR length(outside_criteria_reason) > 0', name=op.f('ck_tta_case_outside_reason')),
    sa.CheckConstraint('closed_date IS NULL OR closed_date >= referral_date', name=op.f('ck_tta_case_closed_after_referral')),
    sa.CheckConstraint('final_hours_per_week IS NULL OR (final_hours_per_week >= 0 AND final_hours_per_week <= 60)', name=op.f('ck_tta_case_final_hours')),
    sa.CheckConstraint('sick_leave_start <= referral_date', name=op.f('ck_tta_case_sick_leave_before_referral')),
    sa.CheckConstraint('subgroup IS NULL OR (subgroup BETWEEN 1 AND 8)', name=op.f('ck_tta_case_subgroup')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], name=op.f('fk_tta_case_citizen_id_citizen')),
    sa.ForeignKeyConstraint(['coordinator_id'], ['user_account.id'], name=op.f('fk_tta_case_coordinator_id_user_account')),
    sa.ForeignKeyConstraint(['next_effort_id'], ['catalog_item.id'], name=op.f('fk_tta_case_next_effort_id_catalog_item')),
    sa.ForeignKeyConstraint(['other_reason_id'], ['catalog_item.id'], name=op.f('fk_tta_case_other_reason_id_catalog_item')),
    sa.ForeignKeyConstraint(['outcome_id'], ['catalog_item.id'], name=op.f('fk_tta_case_outcome_id_catalog_item')),
    sa.ForeignKeyConstraint(['rejection_reason_id'], ['catalog_item.id'], name=op.f('fk_tta_case_rejection_reason_id_catalog_item')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_tta_case_team_id_team')),
    sa.ForeignKeyConstraint(['visitation_by_id'], ['user_account.id'], name=op.f('fk_tta_case_visitation_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tta_case')),
    sa.UniqueConstraint('case_number', name=op.f('uq_tta_case_case_number'))
    )
    with op.batch_alter_table('tta_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tta_case_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tta_case_coordinator_id'), ['coordinator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tta_case_outcome_id'), ['outcome_id'], unique=False)
        batch_op.create_index('ix_tta_case_phase_coordinator', ['phase', 'coordinator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tta_case_team_id'), ['team_id'], unique=False)

    op.create_table('action_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('version_no', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='draft', nullable=False),
    sa.Column('purpose', sa.Text(), server_default='', nullable=False),
    sa.Column('citizen_view', sa.Text(), server_default='', nullable=False),
    sa.Column('expected_return_date', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status <> 'approved' OR approved_at IS NOT NULL", name=op.f('ck_action_plan_approved_has_time')),
    sa.CheckConstraint("status IN ('draft', 'approved', 'superseded')", name=op.f('ck_action_plan_status')),
    sa.CheckConstraint('version_no >= 1', name=op.f('ck_action_plan_version_no')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_action_plan_approved_by_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_action_plan_case_id_tta_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_action_plan_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_plan')),
    sa.UniqueConstraint('case_id', 'version_no', name='uq_action_plan_case_version_no')
    )
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_plan_case_id'), ['case_id'], unique=False)

    op.create_table('after_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('recorded_date', sa.Date(), nullable=True),
    sa.Column('outcome_id', sa.Integer(), nullable=True),
    sa.Column('other_reason_id', sa.Integer(), nullable=True),
    sa.Column('hours_per_week', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('months IN (3, 6, 12)', name=op.f('ck_after_follow_up_months')),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_after_follow_up_case_id_tta_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_reason_id'], ['catalog_item.id'], name=op.f('fk_after_follow_up_other_reason_id_catalog_item')),
    sa.ForeignKeyConstraint(['outcome_id'], ['catalog_item.id'], name=op.f('fk_after_follow_up_outcome_id_catalog_item')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_after_follow_up_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_after_follow_up')),
    sa.UniqueConstraint('case_id', 'months', name='uq_after_follow_up_case_months')
    )
    with op.batch_alter_table('after_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_after_follow_up_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_after_follow_up_due_date'), ['due_date'], unique=False)

    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('discipline', sa.String(length=30), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), server_default='', nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("discipline IN ('coordinator', 'psychologist', 'physiotherapist', 'doctor', 'job_consultant', 'team_lead', 'admin')", name=op.f('ck_assessment_discipline')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_assessment_author_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_assessment_case_id_tta_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_case_id'), ['case_id'], unique=False)

    op.create_table('case_absence_reason',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reason_id', sa.Integer(), nullable=False),
    sa.Column('other_text', sa.String(length=200), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_case_absence_reason_case_id_tta_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reason_id'], ['catalog_item.id'], name=op.f('fk_case_absence_reason_reason_id_catalog_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_absence_reason')),
    sa.UniqueConstraint('case_id', 'reason_id', name='uq_case_absence_reason_case_reason')
    )
    with op.batch_alter_table('case_absence_reason', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_absence_reason_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_absence_reason_reason_id'), ['reason_id'], unique=False)

    op.create_table('case_icd10',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_case_icd10_case_id_tta_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_icd10')),
    sa.UniqueConstraint('case_id', 'code', name='uq_case_icd10_case_code')
    )
    with op.batch_alter_table('case_icd10', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_icd10_case_id'), ['case_id'], unique=False)

    op.create_table('case_reopening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reopened_at', sa.DateTime(), nullable=False),
    sa.Column('reopened_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('previous_closed_date', sa.Date(), nullable=False),
    sa.Column('previous_outcome_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_case_reopening_case_id_tta_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['previous_outcome_id'], ['catalog_item.id'], name=op.f('fk_case_reopening_previous_outcome_id_catalog_item')),
    sa.ForeignKeyConstraint(['reopened_by_id'], ['user_account.id'], name=op.f('fk_case_reopening_reopened_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_reopening'))
    )
    with op.batch_alter_table('case_reopening', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_reopening_case_id'), ['case_id'], unique=False)

    op.create_table('case_team_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_case_team_member_case_id_tta_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_case_team_member_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_team_member')),
    sa.UniqueConstraint('case_id', 'user_id', name='uq_case_team_member_case_user')
    )
    with op.batch_alter_table('case_team_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_team_member_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_team_member_user_id'), ['user_id'], unique=False)

    op.create_table('conference_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('decision', sa.Text(), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("reason IN ('new_referral', 'assessment_done', 'plan_review', 'round_table', 'deadline', 'stalled', 'closing', 'other')", name=op.f('ck_conference_item_reason')),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_conference_item_case_id_tta_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conference_id'], ['case_conference.id'], name=op.f('fk_conference_item_conference_id_case_conference'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conference_item')),
    sa.UniqueConstraint('conference_id', 'case_id', name='uq_conference_item_conference_case')
    )
    with op.batch_alter_table('conference_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conference_item_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conference_item_conference_id'), ['conference_id'], unique=False)

    op.create_table('consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('given_date', sa.Date(), nullable=False),
    sa.Column('withdrawn_date', sa.Date(), nullable=True),
    sa.Column('scope', sa.Text(), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("party IN ('employer', 'gp', 'other')", name=op.f('ck_consent_party')),
    sa.CheckConstraint('withdrawn_date IS NULL OR withdrawn_date >= given_date', name=op.f('ck_consent_withdrawn')),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_consent_case_id_tta_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_case_id'), ['case_id'], unique=False)

    op.create_table('journal_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('note_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('annotates_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("kind IN ('phone', 'meeting', 'email', 'other')", name=op.f('ck_journal_note_kind')),
    sa.CheckConstraint('length(text) > 0', name=op.f('ck_journal_note_text_not_empty')),
    sa.ForeignKeyConstraint(['annotates_id'], ['journal_note.id'], name=op.f('fk_journal_note_annotates_id_journal_note')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_journal_note_author_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_journal_note_case_id_tta_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_note'))
    )
    with op.batch_alter_table('journal_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_note_case_id'), ['case_id'], unique=False)

    op.create_table('letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('recipient', sa.String(length=200), server_default='', nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), server_default='', nullable=False),
    sa.Column('body', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("kind IN ('status_start', 'status_midway', 'status_closing', 'action_plan', 'invitation', 'round_table_minutes', 'closing_report', 'other')", name=op.f('ck_letter_kind')),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_letter_case_id_tta_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_letter_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter'))
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_case_id'), ['case_id'], unique=False)

    op.create_table('round_table_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('sequence_no', sa.Integer(), server_default='1', nullable=False),
    sa.Column('meeting_date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('location', sa.String(length=200), server_default='', nullable=False),
    sa.Column('purpose', sa.Text(), server_default='', nullable=False),
    sa.Column('status', sa.String(length=20), server_default='planned', nullable=False),
    sa.Column('citizen_account', sa.Text(), server_default='', nullable=False),
    sa.Column('function_description', sa.Text(), server_default='', nullable=False),
    sa.Column('workplace_options', sa.Text(), server_default='', nullable=False),
    sa.Column('next_meeting_date', sa.Date(), nullable=True),
    sa.Column('facilitator_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'held', 'cancelled')", name=op.f('ck_round_table_meeting_status')),
    sa.CheckConstraint('sequence_no >= 1', name=op.f('ck_round_table_meeting_sequence_no')),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_round_table_meeting_case_id_tta_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['facilitator_id'], ['user_account.id'], name=op.f('fk_round_table_meeting_facilitator_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_table_meeting'))
    )
    with op.batch_alter_table('round_table_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_table_meeting_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_table_meeting_meeting_date'), ['meeting_date'], unique=False)

    op.create_table('workplace_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=40), server_default='', nullable=False),
    sa.Column('email', sa.String(length=200), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("kind IN ('manager', 'hr', 'union_rep', 'other')", name=op.f('ck_workplace_contact_kind')),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_workplace_contact_case_id_tta_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workplace_contact'))
    )
    with op.batch_alter_table('workplace_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workplace_contact_case_id'), ['case_id'], unique=False)

    op.create_table('assessment_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=30), nullable=False),
    sa.Column('resources', sa.Text(), server_default='', nullable=False),
    sa.Column('barriers', sa.Text(), server_default='', nullable=False),
    sa.Column('degree', sa.Integer(), nullable=True),
    sa.Column('proposed_effort', sa.Text(), server_default='', nullable=False),
    sa.Column('running_elsewhere', sa.Text(), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("heading IN ('function', 'activity_participation', 'health', 'environment', 'personal')", name=op.f('ck_assessment_section_heading')),
    sa.CheckConstraint('degree IS NULL OR (degree BETWEEN 0 AND 4)', name=op.f('ck_assessment_section_degree')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_assessment_section_assessment_id_assessment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_section')),
    sa.UniqueConstraint('assessment_id', 'heading', name='uq_assessment_section_assessment_heading')
    )
    with op.batch_alter_table('assessment_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_section_assessment_id'), ['assessment_id'], unique=False)

    op.create_table('gradual_return_week',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('week_no', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('days_per_week', sa.Integer(), nullable=True),
    sa.Column('hours_per_day', sa.Float(), nullable=True),
    sa.Column('hours_per_week', sa.Float(), nullable=False),
    sa.Column('tasks', sa.Text(), server_default='', nullable=False),
    sa.Column('accommodations', sa.Text(), server_default='', nullable=False),
    sa.Column('follow_up', sa.Text(), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('days_per_week IS NULL OR (days_per_week BETWEEN 0 AND 7)', name=op.f('ck_gradual_return_week_days')),
    sa.CheckConstraint('hours_per_week >= 0 AND hours_per_week <= 60', name=op.f('ck_gradual_return_week_hours')),
    sa.CheckConstraint('week_no >= 1', name=op.f('ck_gradual_return_week_week_no')),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plan.id'], name=op.f('fk_gradual_return_week_plan_id_action_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gradual_return_week')),
    sa.UniqueConstraint('plan_id', 'week_no', name='uq_gradual_return_week_plan_week_no')
    )
    with op.batch_alter_table('gradual_return_week', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gradual_return_week_plan_id'), ['plan_id'], unique=False)

    op.create_table('instrument_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('instrument', sa.String(length=20), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('answers_json', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('band', sa.String(length=40), server_default='', nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("instrument IN ('WHO5', 'MDI', 'RTWSE19', 'RTW_EXPECTATION')", name=op.f('ck_instrument_result_instrument')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], name=op.f('fk_instrument_result_assessment_id_assessment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_instrument_result_case_id_tta_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_instrument_result_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_result'))
    )
    with op.batch_alter_table('instrument_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instrument_result_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_instrument_result_case_id'), ['case_id'], unique=False)

    op.create_table('meeting_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=120), server_default='', nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("kind IN ('obstacle_employee', 'obstacle_employer', 'solution', 'agreement')", name=op.f('ck_meeting_item_kind')),
    sa.ForeignKeyConstraint(['meeting_id'], ['round_table_meeting.id'], name=op.f('fk_meeting_item_meeting_id_round_table_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_item'))
    )
    with op.batch_alter_table('meeting_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_item_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role_label', sa.String(length=80), nullable=False),
    sa.Column('organisation', sa.String(length=200), server_default='', nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('receives_minutes', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['round_table_meeting.id'], name=op.f('fk_meeting_participant_meeting_id_round_table_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_meeting_participant_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_participant'))
    )
    with op.batch_alter_table('meeting_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_participant_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('plan_goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('achieved', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("owner IN ('citizen', 'team')", name=op.f('ck_plan_goal_owner')),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plan.id'], name=op.f('fk_plan_goal_plan_id_action_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_goal'))
    )
    with op.batch_alter_table('plan_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_goal_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_intervention',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('intervention_id', sa.Integer(), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('end_date IS NULL OR start_date IS NULL OR end_date >= start_date', name=op.f('ck_plan_intervention_dates')),
    sa.ForeignKeyConstraint(['intervention_id'], ['catalog_item.id'], name=op.f('fk_plan_intervention_intervention_id_catalog_item')),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plan.id'], name=op.f('fk_plan_intervention_plan_id_action_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_id'], ['user_account.id'], name=op.f('fk_plan_intervention_responsible_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_intervention'))
    )
    with op.batch_alter_table('plan_intervention', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_intervention_plan_id'), ['plan_id'], unique=False)

    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('kind', sa.String(length=30), server_default='manual', nullable=False),
    sa.Column('conference_item_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['tta_case.id'], name=op.f('fk_task_case_id_tta_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['conference_item_id'], ['conference_item.id'], name=op.f('fk_task_conference_item_id_conference_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_task_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], name=op.f('fk_task_owner_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_owner_id'), ['owner_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_owner_id'))
        batch_op.drop_index(batch_op.f('ix_task_due_date'))
        batch_op.drop_index(batch_op.f('ix_task_case_id'))

    op.drop_table('task')
    with op.batch_alter_table('plan_intervention', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_intervention_plan_id'))

    op.drop_table('plan_intervention')
    with op.batch_alter_table('plan_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_goal_plan_id'))

    op.drop_table('plan_goal')
    with op.batch_alter_table('meeting_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_participant_meeting_id'))

    op.drop_table('meeting_participant')
    with op.batch_alter_table('meeting_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_item_meeting_id'))

    op.drop_table('meeting_item')
    with op.batch_alter_table('instrument_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instrument_result_case_id'))
        batch_op.drop_index(batch_op.f('ix_instrument_result_assessment_id'))

    op.drop_table('instrument_result')
    with op.batch_alter_table('gradual_return_week', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gradual_return_week_plan_id'))

    op.drop_table('gradual_return_week')
    with op.batch_alter_table('assessment_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_section_assessment_id'))

    op.drop_table('assessment_section')
    with op.batch_alter_table('workplace_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workplace_contact_case_id'))

    op.drop_table('workplace_contact')
    with op.batch_alter_table('round_table_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_table_meeting_meeting_date'))
        batch_op.drop_index(batch_op.f('ix_round_table_meeting_case_id'))

    op.drop_table('round_table_meeting')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_case_id'))

    op.drop_table('letter')
    with op.batch_alter_table('journal_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_note_case_id'))

    op.drop_table('journal_note')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_case_id'))

    op.drop_table('consent')
    with op.batch_alter_table('conference_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conference_item_conference_id'))
        batch_op.drop_index(batch_op.f('ix_conference_item_case_id'))

    op.drop_table('conference_item')
    with op.batch_alter_table('case_team_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_team_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_case_team_member_case_id'))

    op.drop_table('case_team_member')
    with op.batch_alter_table('case_reopening', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_reopening_case_id'))

    op.drop_table('case_reopening')
    with op.batch_alter_table('case_icd10', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_icd10_case_id'))

    op.drop_table('case_icd10')
    with op.batch_alter_table('case_absence_reason', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_absence_reason_reason_id'))
        batch_op.drop_index(batch_op.f('ix_case_absence_reason_case_id'))

    op.drop_table('case_absence_reason')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_case_id'))

    op.drop_table('assessment')
    with op.batch_alter_table('after_follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_after_follow_up_due_date'))
        batch_op.drop_index(batch_op.f('ix_after_follow_up_case_id'))

    op.drop_table('after_follow_up')
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_plan_case_id'))

    op.drop_table('action_plan')
    with op.batch_alter_table('tta_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tta_case_team_id'))
        batch_op.drop_index('ix_tta_case_phase_coordinator')
        batch_op.drop_index(batch_op.f('ix_tta_case_outcome_id'))
        batch_op.drop_index(batch_op.f('ix_tta_case_coordinator_id'))
        batch_op.drop_index(batch_op.f('ix_tta_case_citizen_id'))

    op.drop_table('tta_case')
    op.drop_table('case_conference')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_team_id'))

    op.drop_table('user_account')
    op.drop_table('team')
    op.drop_table('setting')
    op.drop_table('follow_up_rule')
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizen_name_search'))

    op.drop_table('citizen')
    with op.batch_alter_table('catalog_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_item_kind'))

    op.drop_table('catalog_item')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_case_at')
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')

