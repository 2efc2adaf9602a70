"""a program's kind-specific settings move into one JSON column

The columns group_size, mentor_capacity and reoffer_missed become keys of
programs.settings, so a kind can declare a new setting without a migration (bot.kinds).
Every program keeps all three values, as it had them; downgrading puts them back.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# The moved columns: name → (type, default), as 0001 made them.
MOVED: dict[str, tuple[type[sa.types.TypeEngine[Any]], Any]] = {
    "group_size": (sa.Integer, 2),
    "mentor_capacity": (sa.Integer, 2),
    "reoffer_missed": (sa.Boolean, False),
}


def _programs(*columns: str) -> sa.TableClause:
    types: dict[str, Any] = {"id": sa.Integer, "settings": JSON}
    types.update({name: kind for name, (kind, _) in MOVED.items()})
    return sa.table("programs", *(sa.column(name, types[name]) for name in columns))


def upgrade() -> None:
    with op.batch_alter_table("programs") as batch:
        batch.add_column(
            sa.Column("settings", JSON, nullable=False, server_default=sa.text("'{}'"))
        )
    bind = op.get_bind()
    programs = _programs("id", "settings", *MOVED)
    for row in bind.execute(sa.select(programs.c.id, *(programs.c[n] for n in MOVED))).all():
        settings = {name: _value(row._mapping[name], name) for name in MOVED}
        bind.execute(programs.update().where(programs.c.id == row.id).values(settings=settings))
    with op.batch_alter_table("programs") as batch:
        batch.alter_column("settings", server_default=None, existing_type=JSON)
        for name in MOVED:
            batch.drop_column(name)


def downgrade() -> None:
    with op.batch_alter_table("programs") as batch:
        for name, (kind, default) in MOVED.items():
            literal = sa.false() if default is False else sa.text(str(default))
            batch.add_column(sa.Column(name, kind(), nullable=False, server_default=literal))
    bind = op.get_bind()
    programs = _programs("id", "settings", *MOVED)
    for row in bind.execute(sa.select(programs.c.id, programs.c.settings)).all():
        stored = row.settings if isinstance(row.settings, dict) else {}
        values = {name: _value(stored.get(name), name) for name in MOVED}
        bind.execute(programs.update().where(programs.c.id == row.id).values(**values))
    with op.batch_alter_table("programs") as batch:
        for name, (kind, _) in MOVED.items():
            batch.alter_column(name, server_default=None, existing_type=kind())
        batch.drop_column("settings")


def _value(raw: Any, name: str) -> Any:
    """``raw`` as the column's type, or the column's default when it cannot be."""
    kind, default = MOVED[name]
    if kind is sa.Boolean:
        return bool(raw) if isinstance(raw, bool | int) else default
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else default
