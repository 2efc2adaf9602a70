"""mentorships: a mentor and a mentee over a term, not a weekly match

Existing mentorship history stays readable and keeps its meaning: every mentor/mentee
pair of a past round becomes a former mentorship (completed, so the two are never
matched again), and the pairs of each mentorship program's newest round become active
relationships whose term starts at that round (``term_weeks`` of the program, 12 by
default).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import storage.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Moment = storage.types.UTCDateTime(timezone=True)
DEFAULT_TERM_WEEKS = 12
DEFAULT_CHECKIN_WEEKS = 2
FORMER = "a pair of an earlier round (before mentorships had terms)"


def upgrade() -> None:
    op.create_table(
        "mentorships",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=16), nullable=False),
        sa.Column("goals", JSON, nullable=False),
        sa.Column("term", sa.Integer(), nullable=False),
        sa.Column("missed_checkins", sa.Integer(), nullable=False),
        sa.Column("checkins", sa.Integer(), nullable=False),
        sa.Column("met_since_checkin", sa.Boolean(), nullable=False),
        sa.Column("next_checkin_at", Moment, nullable=True),
        sa.Column("closing", JSON, nullable=False),
        sa.Column("closing_sent_at", Moment, nullable=True),
        sa.Column("started_at", Moment, nullable=True),
        sa.Column("ends_at", Moment, nullable=True),
        sa.Column("ended_at", Moment, nullable=True),
        sa.Column("ended_by", sa.String(length=64), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("updated_at", Moment, nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["mentor_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["mentee_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["round_groups.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mentorships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentorships_workspace_id"), ["workspace_id"])
        batch_op.create_index(batch_op.f("ix_mentorships_mentor_id"), ["mentor_id"])
        batch_op.create_index(batch_op.f("ix_mentorships_mentee_id"), ["mentee_id"])
        batch_op.create_index("ix_mentorships_program_state", ["program_id", "state"])
    rows = _existing(op.get_bind(), datetime.now(UTC))
    if rows:
        op.bulk_insert(_mentorships(), rows)


def _mentorships() -> sa.TableClause:
    return sa.table(
        "mentorships",
        *(sa.column(name, sa.Integer) for name in _INTS),
        sa.column("state", sa.String),
        sa.column("decided_by", sa.String),
        sa.column("goals", JSON),
        sa.column("closing", JSON),
        sa.column("met_since_checkin", sa.Boolean),
        sa.column("end_reason", sa.Text),
        *(sa.column(name, Moment) for name in _MOMENTS),
    )


_INTS = (
    "workspace_id", "program_id", "mentor_id", "mentee_id", "group_id", "term",
    "missed_checkins", "checkins",
)  # fmt: skip
_MOMENTS = (
    "next_checkin_at", "started_at", "ends_at", "ended_at", "created_at", "updated_at",
)  # fmt: skip


def _weeks(settings: Any, key: str, default: int) -> int:
    value = settings.get(key) if isinstance(settings, dict) else None
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 520
    return value if ok else default  # type: ignore[return-value]


def _existing(bind: sa.Connection, now: datetime) -> list[dict[str, Any]]:
    """The mentorship rows that the pairs of earlier rounds stand for."""
    programs = sa.table(
        "programs",
        sa.column("id", sa.Integer),
        sa.column("workspace_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("settings", JSON),
    )
    rounds = sa.table(
        "rounds", sa.column("id", sa.Integer), sa.column("program_id", sa.Integer),
        sa.column("number", sa.Integer), sa.column("slot", Moment),
    )  # fmt: skip
    groups = sa.table("round_groups", sa.column("id", sa.Integer), sa.column("round_id", sa.Integer))
    members = sa.table(
        "group_members", sa.column("group_id", sa.Integer), sa.column("person_id", sa.Integer),
        sa.column("role", sa.String),
    )  # fmt: skip
    enrollments = sa.table(
        "enrollments", sa.column("program_id", sa.Integer), sa.column("person_id", sa.Integer),
        sa.column("goals", JSON),
    )  # fmt: skip
    found: list[dict[str, Any]] = []
    for program_id, workspace_id, settings in bind.execute(
        sa.select(programs.c.id, programs.c.workspace_id, programs.c.settings).where(
            programs.c.kind == "mentorship"
        )
    ):
        term = timedelta(weeks=_weeks(settings, "term_weeks", DEFAULT_TERM_WEEKS))
        every = timedelta(weeks=_weeks(settings, "checkin_every_weeks", DEFAULT_CHECKIN_WEEKS))
        goals_of = {
            person: list(goals or [])
            for person, goals in bind.execute(
                sa.select(enrollments.c.person_id, enrollments.c.goals).where(
                    enrollments.c.program_id == program_id
                )
            )
        }
        slots = [
            (round_id, slot)
            for round_id, slot in bind.execute(
                sa.select(rounds.c.id, rounds.c.slot)
                .where(rounds.c.program_id == program_id)
                .order_by(rounds.c.number.desc())
            )
        ]
        seen: set[tuple[int, int]] = set()
        for position, (round_id, slot) in enumerate(slots):
            newest = position == 0
            after = slots[position - 1][1] if position else None
            pairs: dict[int, dict[str, int]] = {}
            for group_id, person_id, role in bind.execute(
                sa.select(members.c.group_id, members.c.person_id, members.c.role)
                .join(groups, groups.c.id == members.c.group_id)
                .where(groups.c.round_id == round_id)
            ):
                pairs.setdefault(group_id, {})[role] = person_id
            for group_id, roles in sorted(pairs.items()):
                mentor, mentee = roles.get("mentor"), roles.get("mentee")
                if mentor is None or mentee is None or (mentor, mentee) in seen:
                    continue
                seen.add((mentor, mentee))
                goals = [{"goal": g, "progress": "not_started"} for g in goals_of.get(mentee, [])]
                found.append(
                    {
                        "workspace_id": workspace_id,
                        "program_id": program_id,
                        "mentor_id": mentor,
                        "mentee_id": mentee,
                        "group_id": group_id,
                        "term": 1,
                        "missed_checkins": 0,
                        "checkins": 0,
                        "state": "active" if newest else "completed",
                        "decided_by": "engine",
                        "goals": goals,
                        "closing": {},
                        "met_since_checkin": False,
                        "end_reason": None if newest else FORMER,
                        "next_checkin_at": slot + every if newest else None,
                        "started_at": slot,
                        "ends_at": slot + term if newest else after,
                        "ended_at": None if newest else after,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
    return found


def downgrade() -> None:
    op.drop_table("mentorships")
