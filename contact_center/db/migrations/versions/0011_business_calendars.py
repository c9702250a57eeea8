"""business calendars as editable data

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 14:20:00

The Taiwan calendar's holidays are copied here as they stood when this migration was written (a
migration never reads application code that may change later); admins edit them through
`PUT /api/calendars/{name}`.
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_NOW = datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC)
_OFFICE = [["09:00", "12:00"], ["13:00", "18:00"]]
_ALL_DAY = [["00:00", "00:00"]]

TAIWAN_HOLIDAYS = {
    "2026-01-01": "元旦",
    "2026-02-16": "除夕",
    "2026-02-17": "春節",
    "2026-02-18": "春節",
    "2026-02-19": "春節",
    "2026-02-20": "除夕前一日補假",
    "2026-02-27": "和平紀念日補假",
    "2026-04-03": "兒童節補假",
    "2026-04-06": "民族掃墓節補假",
    "2026-05-01": "勞動節",
    "2026-06-19": "端午節",
    "2026-09-25": "中秋節",
    "2026-09-28": "孔子誕辰紀念日/教師節",
    "2026-10-09": "國慶日補假",
    "2026-10-26": "臺灣光復暨金門古寧頭大捷紀念日補假",
    "2026-12-25": "行憲紀念日",
    "2027-01-01": "元旦",
    "2027-02-04": "除夕前一日",
    "2027-02-05": "除夕",
    "2027-02-08": "春節",
    "2027-02-09": "春節補假",
    "2027-02-10": "春節補假",
    "2027-03-01": "和平紀念日補假",
    "2027-04-05": "民族掃墓節",
    "2027-04-06": "兒童節補假",
    "2027-04-30": "勞動節補假",
    "2027-06-09": "端午節",
    "2027-09-15": "中秋節",
    "2027-09-28": "孔子誕辰紀念日/教師節",
    "2027-10-11": "國慶日補假",
    "2027-10-25": "臺灣光復暨金門古寧頭大捷紀念日",
    "2027-12-24": "行憲紀念日補假"
}  # fmt: skip
TAIWAN_MAKEUP_WORKDAYS = {}

CALENDARS = [
    {
        "name": "taiwan",
        "description": "週一至週五 09:00-12:00, 13:00-18:00; 國定假日與補班日 (DGPA)",
        "weekly": {str(day): _OFFICE for day in range(5)},
        "holidays": TAIWAN_HOLIDAYS,
        "makeup_workdays": TAIWAN_MAKEUP_WORKDAYS,
        "updated_at": _NOW,
    },
    {
        "name": "24x7",
        "description": "全年無休 around the clock",
        "weekly": {str(day): _ALL_DAY for day in range(7)},
        "holidays": {},
        "makeup_workdays": {},
        "updated_at": _NOW,
    },
]


def upgrade() -> None:
    calendars = op.create_table(
        "business_calendars",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("weekly", JsonB, nullable=False),
        sa.Column("holidays", JsonB, nullable=False),
        sa.Column("makeup_workdays", JsonB, nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_calendars")),
        sa.UniqueConstraint("name", name=op.f("uq_business_calendars_name")),
    )
    op.bulk_insert(calendars, CALENDARS)


def downgrade() -> None:
    op.drop_table("business_calendars")
