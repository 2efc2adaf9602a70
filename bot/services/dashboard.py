"""What the lead dashboard shows: every program at a glance, and one program in depth.

Each page is read in one read-only unit of work of the workspace the lead's grant names,
so nothing from another workspace can appear. The numbers are the lead reports'
(``bot.services.reports``, ``pairing.metrics``): the dashboard, ``/mentor stats`` and the
Home tab agree.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.errors import MentorbotError
from bot.services.progress import DeliveryProgress, delivery_progress
from bot.services.reports import (
    build_report,
    mentorship_facts,
    past_groups,
    program_history,
    teams_of,
)
from bot.services.scope import Scope
from bot.viewmodels import ProgramHistory, ProgramReport
from pairing.metrics import cross_team_ties
from pairing.metrics import program_stats as summarise
from pairing.models import PastGroup
from storage.records import EnrollmentRecord, ProgramRecord, RoundRecord, WorkspaceRecord
from storage.uow import UnitOfWork

ROUNDS_PER_PAGE = 10
GROUPS_SHOWN = 200  # per round on the page; the exports hold every group


class NotFound(MentorbotError):
    """No such program (in this workspace) or page."""


@dataclass(frozen=True, slots=True)
class Counts:
    enrolled: int  # signed up and not left
    active: int  # of those, in the next round (not paused, still in the workspace)
    paused: int


@dataclass(frozen=True, slots=True)
class ProgramCard:
    report: ProgramReport
    counts: Counts

    @property
    def program(self) -> ProgramRecord:
        return self.report.program


@dataclass(frozen=True, slots=True)
class Overview:
    workspace: WorkspaceRecord
    programs: tuple[ProgramCard, ...]


@dataclass(frozen=True, slots=True)
class RoundPoint:
    """One round's impact, for the "over time" chart and table."""

    number: int
    created_at: datetime
    groups: int
    reported: int
    met: int
    new_ties: int  # cross-team pairs of people connected for the first time
    left_out: int

    @property
    def meeting_rate(self) -> float | None:
        return self.met / self.reported if self.reported else None


@dataclass(frozen=True, slots=True)
class GroupRow:
    names: tuple[str, ...]  # display names; "Former member" for people who were erased
    outcome: str | None
    roles: tuple[str, ...] = ()  # same order: "peer", or "mentor" / "mentee"


@dataclass(frozen=True, slots=True)
class RoundRow:
    number: int
    created_at: datetime
    delivered: bool
    trigger: str
    groups: tuple[GroupRow, ...]
    hidden_groups: int  # beyond GROUPS_SHOWN
    left_out: tuple[tuple[str, str], ...]  # (name, reason)


@dataclass(frozen=True, slots=True)
class ProgramPage:
    card: ProgramCard
    timeline: tuple[RoundPoint, ...]  # oldest first
    team_links: tuple[tuple[str, str], ...]  # pairs of teams connected so far
    never_matched: tuple[str, ...]  # names of enrolled people in no group yet
    left_out_now: tuple[tuple[str, str], ...]  # the latest round's (name, reason)
    ignoring: tuple[tuple[str, int], ...]  # (name, check-ins left unanswered in a row)
    rounds: tuple[RoundRow, ...]  # this page of the rounds, newest first
    page: int
    pages: int
    delivery: DeliveryProgress | None = None  # a round still going out


async def overview(scope: Scope) -> Overview:
    now = scope.clock()
    async with scope.unit(read_only=True) as uow:
        cards = [await _card(uow, program, now) for program in await uow.programs.all()]
    return Overview(scope.workspace, tuple(cards))


async def program_page(scope: Scope, program_id: int, *, page: int) -> ProgramPage:
    """``NotFound`` for a program of another workspace, or a page past the last."""
    now = scope.clock()
    async with scope.unit(read_only=True) as uow:
        program = await _program(uow, program_id)
        rounds = await uow.rounds.recent(program.id)
        enrollments = await uow.enrollments.for_program(program.id)
        delivery = await delivery_progress(uow, program.id)
    pages = max(1, -(-len(rounds) // ROUNDS_PER_PAGE))
    if not 1 <= page <= pages:
        raise NotFound(f"There is no page {page} of rounds (there are {pages}).")
    card = _card_of(program, rounds, enrollments, now)
    async with scope.unit(read_only=True) as uow:
        facts = await mentorship_facts(uow, program, enrollments, now=now)
    if facts is not None:
        card = dataclasses.replace(card, report=dataclasses.replace(card.report, mentorships=facts))
    names = {e.person.user_id: e.person.display_name for e in enrollments}
    latest = rounds[0] if rounds else None
    past = past_groups(rounds)
    _, links = cross_team_ties(past, teams_of(rounds))
    shown = rounds[(page - 1) * ROUNDS_PER_PAGE : page * ROUNDS_PER_PAGE]
    return ProgramPage(
        card=card,
        timeline=_timeline(rounds, past),
        team_links=_pairs(links),
        never_matched=tuple(sorted(names.get(u, u) for u in card.report.stats.never_matched)),
        left_out_now=_left_out(latest) if latest else (),
        ignoring=tuple(
            sorted(
                (
                    (e.person.display_name, e.missed_checkins)
                    for e in enrollments
                    if e.missed_checkins
                ),
                key=lambda item: (-item[1], item[0]),
            )
        ),
        rounds=tuple(_row(r) for r in shown),
        page=page,
        pages=pages,
        delivery=delivery,
    )


async def program_export(scope: Scope, program_id: int) -> ProgramHistory:
    """The history behind ``mentorbot history`` (DESIGN.md's JSON shape), by program id."""
    async with scope.unit(read_only=True) as uow:
        program = await _program(uow, program_id)
    return await program_history(scope, program.name)


async def _program(uow: UnitOfWork, program_id: int) -> ProgramRecord:
    program = await uow.programs.get(program_id)  # scoped: another workspace's is None
    if program is None:
        raise NotFound("There is no such program in this workspace.")
    return program


async def _card(uow: UnitOfWork, program: ProgramRecord, now: datetime) -> ProgramCard:
    rounds = await uow.rounds.recent(program.id)
    return _card_of(program, rounds, await uow.enrollments.for_program(program.id), now)


def _card_of(
    program: ProgramRecord,
    rounds: Sequence[RoundRecord],
    enrollments: Sequence[EnrollmentRecord],
    now: datetime,
) -> ProgramCard:
    enrolled = [e.person.user_id for e in enrollments]
    active = sum(1 for e in enrollments if e.is_active(now) and not e.person.deleted)
    paused = sum(1 for e in enrollments if not e.is_active(now))
    report = build_report(program, rounds, enrolled, now=now)
    return ProgramCard(report, Counts(len(enrollments), active, paused))


def _timeline(rounds: Sequence[RoundRecord], past: Sequence[PastGroup]) -> tuple[RoundPoint, ...]:
    teams = teams_of(rounds)
    by_round: dict[int, list[PastGroup]] = defaultdict(list)
    for group in past:
        by_round[group.round].append(group)
    seen: set[frozenset[str]] = set()
    points: list[RoundPoint] = []
    for record in reversed(rounds):
        groups = by_round[record.number]
        stats = summarise(groups, teams=teams)
        ties, _ = cross_team_ties(groups, teams)
        points.append(
            RoundPoint(
                number=record.number,
                created_at=record.created_at,
                groups=stats.groups,
                reported=stats.outcomes_reported,
                met=stats.meetings_held,
                new_ties=len(ties - seen),
                left_out=len(record.left_out),
            )
        )
        seen |= ties
    return tuple(points)


def _row(record: RoundRecord) -> RoundRow:
    return RoundRow(
        number=record.number,
        created_at=record.created_at,
        delivered=record.delivered,
        trigger=record.trigger,
        groups=tuple(
            GroupRow(
                tuple(m.person.display_name for m in g.members),
                g.outcome,
                tuple(m.role.value for m in g.members),
            )
            for g in record.groups[:GROUPS_SHOWN]
        ),
        hidden_groups=max(0, len(record.groups) - GROUPS_SHOWN),
        left_out=_left_out(record),
    )


def _left_out(record: RoundRecord) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((lo.person.display_name, lo.reason) for lo in record.left_out))


def _pairs(links: set[frozenset[str]]) -> tuple[tuple[str, str], ...]:
    """Pairs of teams as sorted tuples, in order (a link always joins two teams)."""
    pairs = [sorted(link) for link in links if len(link) == 2]
    return tuple(sorted((a, b) for a, b in pairs))
