"""name keys: Danish search folding (å = aa, æ = ae, ø = oe) and sort order; case list indexes

Adds ``citizen.name_sort`` and a copy of both name keys on every case (``tta_case.name_search``,
``tta_case.name_sort``; the sort key with COLLATE "C" on PostgreSQL, so its byte order is the order),
recomputes the keys of every citizen with the functions the application uses (db/names.py), and adds
the narrow indexes the case list reads for each order. Only derived columns change; version and
updated_at stay as they were.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

from db.names import NAME_KEY_LENGTH, name_search_key, name_sort_key

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

CHUNK = 2000
LIST_INDEXES = {
    'ix_tta_case_name_list': ['name_sort', 'id', 'name_search'],
    'ix_tta_case_phase_list': ['phase', 'id', 'name_search'],
    'ix_tta_case_subgroup_list': ['subgroup', 'id', 'name_search'],
    'ix_tta_case_sick_leave_list': ['sick_leave_start', 'id', 'name_search'],
}


def _sort_key_type(bind) -> sa.String:
    if bind.dialect.name == 'postgresql':
        return sa.String(length=NAME_KEY_LENGTH, collation='C')
    return sa.String(length=NAME_KEY_LENGTH)


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_sort', _sort_key_type(bind), server_default='', nullable=False))
    with op.batch_alter_table('tta_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_search', sa.String(length=NAME_KEY_LENGTH), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('name_sort', _sort_key_type(bind), server_default='', nullable=False))
    _backfill_citizens(bind, _current_keys)
    op.execute("UPDATE tta_case SET "
               "name_search = (SELECT citizen.name_search FROM citizen WHERE citizen.id = tta_case.citizen_id), "
               "name_sort = (SELECT citizen.name_sort FROM citizen WHERE citizen.id = tta_case.citizen_id)")
    op.drop_index('ix_tta_case_activity_list', table_name='tta_case')
    op.create_index('ix_tta_case_activity_list', 'tta_case', ['last_activity_at', 'id', 'citizen_id', 'name_search'])
    for name, columns in LIST_INDEXES.items():
        op.create_index(name, 'tta_case', columns)


def _backfill_citizens(bind, keys) -> None:
    """Set the name keys of every citizen to ``keys(first_name, last_name)`` (column -> value)."""
    citizen = sa.table('citizen', sa.column('id', sa.Integer), sa.column('first_name', sa.String),
                       sa.column('last_name', sa.String), sa.column('name_search', sa.String),
                       sa.column('name_sort', sa.String))
    rows = bind.execute(sa.select(citizen.c.id, citizen.c.first_name, citizen.c.last_name)
                        .order_by(citizen.c.id)).all()
    if not rows:
        return
    columns = keys('', '').keys()
    update = (sa.update(citizen).where(citizen.c.id == sa.bindparam('cid'))
              .values({c: sa.bindparam(f'new_{c}') for c in columns}))
    for start in range(0, len(rows), CHUNK):
        bind.execute(update, [{'cid': r.id, **{f'new_{c}': v for c, v in keys(r.first_name, r.last_name).items()}}
                              for r in rows[start:start + CHUNK]])


def _current_keys(first: str, last: str) -> dict:
    return {'name_search': name_search_key(first, last), 'name_sort': name_sort_key(first, last)}


def _previous_search_key(first: str, last: str) -> dict:
    # What the application stored up to revision 0004: case-folded only.
    return {'name_search': " ".join(f"{first} {last}".casefold().split())}


def downgrade() -> None:
    for name in LIST_INDEXES:
        op.drop_index(name, table_name='tta_case')
    op.drop_index('ix_tta_case_activity_list', table_name='tta_case')
    op.create_index('ix_tta_case_activity_list', 'tta_case', ['last_activity_at', 'id', 'citizen_id'])
    with op.batch_alter_table('tta_case', schema=None) as batch_op:
        batch_op.drop_column('name_sort')
        batch_op.drop_column('name_search')
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.drop_column('name_sort')
    _backfill_citizens(op.get_bind(), _previous_search_key)
