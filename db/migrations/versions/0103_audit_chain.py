"""audit chain: entries sealed into an HMAC chain, a one-row chain head, list entries name their cases;
CPR numbers in stored search texts and details cut to the birth date

Revision ID: 0103_audit_chain
Revises: 0102_user_session
Create Date: 2026-11-23

The chain needs the key, which lives outside the database and which a migration cannot reach; so
existing entries are left unsealed here, counted in ``audit_chain.unsealed_upto``, and sealed once
at the next start (``app.audit_chain.seal_legacy_entries``), after their CPR numbers were masked.
"""
import re

import sqlalchemy as sa
from alembic import op

revision = '0103_audit_chain'
down_revision = '0102_user_session'
branch_labels = None
depends_on = None

# The same rule as app.validation.mask_cprs_in_text, copied: a migration must not change with the app.
_CPR_IN_TEXT = re.compile(r"(?<!\d)((?:[0-2]\d|3[01]|[6-8]\d|9[01])(?:0[1-9]|1[0-2])\d{2})[- ]?\d{1,4}(?!\d)")


def _mask(text):
    return _CPR_IN_TEXT.sub(lambda m: f"{m.group(1)}-xxxx", text or "")


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_ids', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_log_seq'), ['seq'], unique=True)

    op.create_table('audit_chain',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('key_id', sa.String(length=16), server_default='', nullable=False),
    sa.Column('last_seq', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('last_id', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('last_mac', sa.String(length=64), server_default='', nullable=False),
    sa.Column('head_sig', sa.String(length=64), server_default='', nullable=False),
    sa.Column('checkpoint_seq', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('checkpoint_mac', sa.String(length=64), server_default='', nullable=False),
    sa.Column('checkpoint_count', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('checkpoint_at', sa.DateTime(), nullable=True),
    sa.Column('checkpoint_sig', sa.String(length=64), server_default='', nullable=False),
    sa.Column('unsealed_upto', sa.BigInteger(), server_default='0', nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_audit_chain_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain'))
    )

    conn = op.get_bind()
    log = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('username', sa.String),
                   sa.column('detail', sa.Text))
    # Only rows with six digits in a row can hold a CPR number; the rest are not read into memory.
    if conn.dialect.name == 'postgresql':
        candidates = sa.or_(log.c.detail.op('~')('[0-9]{6}'), log.c.username.op('~')('[0-9]{6}'))
    else:
        six = '*[0-9][0-9][0-9][0-9][0-9][0-9]*'
        candidates = sa.or_(log.c.detail.op('GLOB')(six), log.c.username.op('GLOB')(six))
    changed = []
    for ident, username, detail in conn.execute(sa.select(log.c.id, log.c.username, log.c.detail)
                                                .where(candidates).order_by(log.c.id)):
        new_username, new_detail = _mask(username), _mask(detail)
        if new_username != (username or '') or new_detail != (detail or ''):
            changed.append({'ident': ident, 'new_username': new_username, 'new_detail': new_detail})
    if changed:
        conn.execute(sa.update(log).where(log.c.id == sa.bindparam('ident'))
                     .values(username=sa.bindparam('new_username'), detail=sa.bindparam('new_detail')), changed)
    last = conn.execute(sa.select(sa.func.max(log.c.id))).scalar() or 0
    conn.execute(sa.text("INSERT INTO audit_chain (id, unsealed_upto) VALUES (1, :last)"), {"last": last})


def downgrade() -> None:
    op.drop_table('audit_chain')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_seq'))
        batch_op.drop_column('mac')
        batch_op.drop_column('seq')
        batch_op.drop_column('case_ids')
