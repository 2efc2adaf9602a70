"""workspace routes: what a platform adapter must remember about a workspace

Teams' Bot Connector address of a tenant and where each person's home card is, kept
across restarts (they were an audit entry and process memory). Existing
``teams.service_url`` audit entries are carried over.

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import storage.types

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "workspace_routes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", JSON, nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "kind", "key"),
    )
    with op.batch_alter_table("workspace_routes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workspace_routes_workspace_id"), ["workspace_id"], unique=False
        )
    # The latest Teams address each tenant was served at (kept in the audit log until now).
    latest: dict[int, tuple[str, object]] = {}
    for workspace_id, url, when in op.get_bind().execute(
        sa.text(
            "SELECT workspace_id, target, created_at FROM audit_log "
            "WHERE action = 'teams.service_url' AND target IS NOT NULL ORDER BY id"
        )
    ):
        latest[workspace_id] = (url, when)
    routes = sa.table(
        "workspace_routes",
        sa.column("workspace_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("key", sa.String),
        sa.column("value", JSON),
        sa.column("updated_at", storage.types.UTCDateTime(timezone=True)),
    )
    if latest:
        op.bulk_insert(
            routes,
            [
                {"workspace_id": w, "kind": "service_url", "key": "", "value": {"url": url},
                 "updated_at": when}
                for w, (url, when) in latest.items()
            ],
        )


def downgrade() -> None:
    op.drop_table("workspace_routes")
