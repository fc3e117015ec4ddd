"""letters and deadlines: deadline rule sets with valid-from dates, each rule's kind; a task's rule and
source; letter templates; a sent letter's template, recipient kind and exact PDF; to whom a consent
was given and who recorded it

Revision ID: 0501_letters_deadlines
Revises: 0401_meetings
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = '0501_letters_deadlines'
down_revision = '0401_meetings'
branch_labels = None
depends_on = None

# Copied, not imported: a migration must not change with the app.
_RECIPIENTS = "'jobcentre', 'gp', 'employer', 'citizen'"
_RULE_KINDS = ("'first_follow_up', 'repeat_follow_up', 'count_in_period', 'reassessment', 'stop_after_first', "
               "'plan_review', 'course_end', 'round_table_follow_up'")


def upgrade() -> None:
    op.create_table('deadline_rule_set',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_rule_set')),
    sa.UniqueConstraint('valid_from', name=op.f('uq_deadline_rule_set_valid_from'))
    )
    op.create_table('letter_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('recipient_kind', sa.String(length=20), nullable=False),
    sa.Column('letter_kind', sa.String(length=30), nullable=False),
    sa.Column('subject', sa.String(length=200), server_default='', nullable=False),
    sa.Column('body', sa.Text(), server_default='', nullable=False),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("letter_kind IN ('status_start', 'status_midway', 'status_closing', 'action_plan', 'invitation', 'round_table_minutes', 'closing_report', 'other')", name=op.f('ck_letter_template_letter_kind')),
    sa.CheckConstraint("recipient_kind IN ('jobcentre', 'gp', 'employer', 'citizen')", name=op.f('ck_letter_template_recipient_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_template')),
    sa.UniqueConstraint('code', name=op.f('uq_letter_template_code'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('given_to', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_consent_recorded_by_id_user_account'), 'user_account', ['recorded_by_id'], ['id'])

    # The two rows seeded before rule sets existed were read by nothing; the reference data seeds the
    # rule sets (app/reference.py) the next time the database is opened.
    op.execute("DELETE FROM follow_up_rule")
    with op.batch_alter_table('follow_up_rule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule_set_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=30), server_default='first_follow_up', nullable=False))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('sort_order', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_follow_up_rule_rule_set_id'), ['rule_set_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_follow_up_rule_rule_set_id_deadline_rule_set'), 'deadline_rule_set', ['rule_set_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(op.f('ck_follow_up_rule_kind'), f"kind IN ({_RULE_KINDS})")

    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template_code', sa.String(length=30), server_default='', nullable=False))
        batch_op.add_column(sa.Column('recipient_kind', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pdf', sa.LargeBinary(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_letter_recipient_kind'),
                                         f"recipient_kind = '' OR recipient_kind IN ({_RECIPIENTS})")

    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rule_key', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('rule_source', sa.String(length=200), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_task_rule_id_follow_up_rule'), 'follow_up_rule', ['rule_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_rule_id_follow_up_rule'), type_='foreignkey')
        batch_op.drop_column('rule_source')
        batch_op.drop_column('rule_key')
        batch_op.drop_column('rule_id')

    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_letter_recipient_kind'), type_='check')
        batch_op.drop_column('pdf')
        batch_op.drop_column('recipient_kind')
        batch_op.drop_column('template_code')

    with op.batch_alter_table('follow_up_rule', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_follow_up_rule_kind'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_follow_up_rule_rule_set_id_deadline_rule_set'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_follow_up_rule_rule_set_id'))
        batch_op.drop_column('sort_order')
        batch_op.drop_column('active')
        batch_op.drop_column('kind')
        batch_op.drop_column('rule_set_id')

    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consent_recorded_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('given_to')

    op.drop_table('letter_template')
    op.drop_table('deadline_rule_set')
