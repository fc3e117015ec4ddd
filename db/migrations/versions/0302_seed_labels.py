"""catalogue labels of the closing statuses and "Andet" reasons as seed 000's Table 2

Revision ID: 0302_seed_labels
Revises: 0301_plan_details
Create Date: 2026-11-23

New databases get these labels from ``app.reference``; an existing database is changed only where
a label is still the old default, so a label the team renamed in Kataloger stays as they chose.
"""
import sqlalchemy as sa
from alembic import op

revision = '0302_seed_labels'
down_revision = '0301_plan_details'
branch_labels = None
depends_on = None

# (kind, code, old default label, label of seed 000)
RENAMED = [
    ("outcome", "fit_to_akasse", "Raskmeldt til a-kasse", "Raskmeldt a-kasse"),
    ("other_reason", "no_show", "Mødte ikke op", "Ikke mødt"),
    ("other_reason", "declined", "Takkede nej til tilbuddet", "Ønsker ikke tilbud"),
    ("other_reason", "moved", "Fraflyttet", "Flyttet"),
    ("other_reason", "other_programme", "I andet forløb", "Var i andet forløb"),
]


def _rename(pairs) -> None:
    for kind, code, old, new in pairs:
        op.get_bind().execute(sa.text("UPDATE catalog_item SET label = :new WHERE kind = :kind AND code = :code "
                                      "AND label = :old"), dict(kind=kind, code=code, old=old, new=new))


def upgrade() -> None:
    _rename(RENAMED)


def downgrade() -> None:
    _rename([(kind, code, new, old) for kind, code, old, new in RENAMED])
