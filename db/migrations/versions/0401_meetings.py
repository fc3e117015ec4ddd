"""meetings: a round-table meeting's type, agenda, length and what colleagues may be told; an
agreement's task and its carrying into the plan; conference attendees; free conference items and
the reason detail of each item

Revision ID: 0401_meetings
Revises: 0302_seed_labels
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = '0401_meetings'
down_revision = '0302_seed_labels'
branch_labels = None
depends_on = None

# Copied, not imported: a migration must not change with the app.
_MEETING_TYPES = "'status', 'return_plan', 'future_job'"


def upgrade() -> None:
    with op.batch_alter_table('round_table_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_type', sa.String(length=20), server_default='status', nullable=False))
        batch_op.add_column(sa.Column('agenda', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('duration_minutes', sa.Integer(), server_default='60', nullable=False))
        batch_op.add_column(sa.Column('colleagues_info', sa.Text(), server_default='', nullable=False))
        batch_op.create_check_constraint(op.f('ck_round_table_meeting_meeting_type'),
                                         f"meeting_type IN ({_MEETING_TYPES})")
        batch_op.create_check_constraint(op.f('ck_round_table_meeting_duration_minutes'),
                                         'duration_minutes BETWEEN 15 AND 480')
    with op.batch_alter_table('meeting_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('task_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('carried_to_plan_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_meeting_item_task_id_task'), 'task', ['task_id'], ['id'],
                                    ondelete='SET NULL')
    with op.batch_alter_table('conference_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_detail', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('title', sa.String(length=200), server_default='', nullable=False))
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=True)
    op.create_table('conference_attendee',
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['case_conference.id'],
                            name=op.f('fk_conference_attendee_conference_id_case_conference'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_conference_attendee_user_id_user_account')),
    sa.PrimaryKeyConstraint('conference_id', 'user_id', name=op.f('pk_conference_attendee'))
    )
    with op.batch_alter_table('conference_attendee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conference_attendee_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('conference_attendee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conference_attendee_user_id'))
    op.drop_table('conference_attendee')
    op.execute("DELETE FROM conference_item WHERE case_id IS NULL")
    with op.batch_alter_table('conference_item', schema=None) as batch_op:
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('title')
        batch_op.drop_column('reason_detail')
    with op.batch_alter_table('meeting_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meeting_item_task_id_task'), type_='foreignkey')
        batch_op.drop_column('carried_to_plan_at')
        batch_op.drop_column('task_id')
    with op.batch_alter_table('round_table_meeting', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_round_table_meeting_duration_minutes'), type_='check')
        batch_op.drop_constraint(op.f('ck_round_table_meeting_meeting_type'), type_='check')
        batch_op.drop_column('colleagues_info')
        batch_op.drop_column('duration_minutes')
        batch_op.drop_column('agenda')
        batch_op.drop_column('meeting_type')
