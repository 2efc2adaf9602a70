"""What program leads read: the pairing history and the program's headline numbers.

``program_history`` has the shape of ``mentorbot history --format json`` (DESIGN.md):
``{"program": …, "rounds": [{"number", "created_at", "groups": [{"members": [user ids],
"outcome": "met" | "not_met" | null}]}]}`` — ``outcome`` comes from the check-ins.
``program_stats`` summarises the same history with :mod:`pairing.metrics`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.builders.mentorship import OUTCOMES
from bot.errors import UnknownProgram
from bot.kinds import KINDS, lasts_a_term
from bot.services.mentorships import DECLINED
from bot.services.scope import Scope
from bot.viewmodels import GroupHistory, MentorshipFacts, ProgramReport, RoundHistory
from bot.viewmodels import ProgramHistory as ProgramHistory  # callers that predate viewmodels
from bot.viewmodels import next_round_at as next_round_at
from pairing.impact import MentorWaits, mentor_waits
from pairing.intake import skills_gap
from pairing.metrics import program_stats as summarise
from pairing.models import Outcome, PastGroup, Role
from storage.records import EnrollmentRecord, MentorshipRecord, ProgramRecord, RoundRecord
from storage.uow import UnitOfWork


async def program_history(scope: Scope, program: str) -> ProgramHistory:
    """Every round of ``program`` (by name), oldest first; UnknownProgram if none. A
    program whose matches last a term adds its mentorships (requests a mentor declined
    were never mentorships and are left out)."""
    async with scope.unit(read_only=True) as uow:
        record = await _program(uow, program)
        rounds = await uow.rounds.recent(record.id)
        relationships = None
        if lasts_a_term(record):
            relationships = tuple(
                _mentorship(m)
                for m in await uow.mentorships.for_program(record.id)
                if m.end_reason != DECLINED
            )
    return ProgramHistory(
        program=record.name,
        rounds=tuple(_round(r) for r in reversed(rounds)),
        mentorships=relationships,
    )


def _mentorship(m: MentorshipRecord) -> dict[str, Any]:
    return {
        "mentor": m.mentor.user_id,
        "mentee": m.mentee.user_id,
        "state": m.state,
        "started_at": m.started_at.isoformat() if m.started_at else None,
        "ends_at": m.ends_at.isoformat() if m.ends_at else None,
        "goals": [{"goal": g.goal, "progress": g.progress} for g in m.goals],
        "decided_by": m.decided_by,
    }


async def program_stats(scope: Scope, program: str) -> ProgramReport:
    """Participation, meeting rate and cross-team ties of ``program`` (by name); for a
    mentorship program also its relationships and skills gap."""
    async with scope.unit(read_only=True) as uow:
        record = await _program(uow, program)
        rounds = await uow.rounds.recent(record.id)
        enrollments = await uow.enrollments.for_program(record.id)
        facts = await mentorship_facts(uow, record, enrollments, now=scope.clock())
    enrolled = [e.person.user_id for e in enrollments]
    report = build_report(record, rounds, enrolled, now=scope.clock())
    return dataclasses.replace(report, mentorships=facts)


async def mentorship_facts(
    uow: UnitOfWork,
    program: ProgramRecord,
    enrollments: Sequence[EnrollmentRecord],
    *,
    now: datetime,
) -> MentorshipFacts | None:
    """The relationships of a program whose matches last a term (None for others)."""
    if not lasts_a_term(program):
        return None
    found = await uow.mentorships.for_program(program.id)
    states = Counter(m.state for m in found if m.end_reason != DECLINED)
    busy = {m.mentee.id for m in found if m.open}
    ratings: list[int] = []
    outcomes: Counter[str] = Counter()
    continued = 0
    for m in found:
        for term, answers in m.closing.items():
            given = [a for a in answers.values() if isinstance(a, dict)]
            ratings += [a["value"] for a in given if isinstance(a.get("value"), int)]
            outcomes.update(o for a in given for o in a.get("outcomes") or () if o in OUTCOMES)
            if int(term) < m.term:
                continued += 1
    mentees = [e for e in enrollments if e.role is Role.MENTEE and e.left_at is None]
    waiting = [e for e in mentees if e.person.id not in busy]
    mentors = [e for e in enrollments if e.role is Role.MENTOR and e.left_at is None]
    topics, synonyms = KINDS.of(program).topics(program)
    gap = skills_gap(
        [e.goals for e in waiting], [e.skills for e in mentors], topics=topics, synonyms=synonyms
    )
    return MentorshipFacts(
        active=states["active"],
        stalled=sum(1 for m in found if m.stalled),
        proposed=states["proposed"],
        completed=states["completed"],
        ended=states["ended"],
        declined=sum(1 for m in found if m.end_reason == DECLINED),
        waiting=len(waiting),
        ratings=len(ratings),
        average_rating=sum(ratings) / len(ratings) if ratings else None,
        outcomes=tuple((OUTCOMES[k], n) for k, n in outcomes.most_common()),
        continued=continued,
        gap=gap,
        waits=_waits(mentees, waiting, found, now),
        awaiting_lead=tuple(m for m in found if m.state == "proposed" and m.decided_by == "lead"),
    )


def _waits(
    mentees: Sequence[EnrollmentRecord],
    waiting: Sequence[EnrollmentRecord],
    found: Sequence[MentorshipRecord],
    now: datetime,
) -> MentorWaits:
    """Days from joining to a first mentorship since, and how long those without a
    mentor now have waited: since they joined, or since their last mentorship ended
    (a request a mentor declined never began)."""
    joined = {e.person.id: (e.person.user_id, e.joined_at) for e in mentees if e.joined_at}
    started: dict[str, datetime] = {}
    ended: dict[int, datetime] = {}
    for m in found:
        user, since = joined.get(m.mentee.id, ("", None))
        if m.started_at is not None and since is not None and m.started_at >= since:
            started[user] = min(m.started_at, started.get(user, m.started_at))
        if m.ended_at is not None and m.end_reason != DECLINED:
            ended[m.mentee.id] = max(m.ended_at, ended.get(m.mentee.id, m.ended_at))
    since_free = {}
    for e in waiting:
        if e.person.id in joined:
            at = joined[e.person.id][1]
            since_free[e.person.user_id] = max(at, ended.get(e.person.id, at))
    return mentor_waits(dict(joined.values()), started, since_free, now)


def build_report(
    record: ProgramRecord, rounds: Sequence[RoundRecord], enrolled: Sequence[str], *, now: datetime
) -> ProgramReport:
    """The report over already loaded ``rounds`` (newest first) and enrolled user ids."""
    past = past_groups(rounds)
    stats = summarise(past, teams=teams_of(rounds), enrolled=enrolled)
    last = rounds[0] if rounds else None
    last_stats = (
        summarise(past, teams=teams_of(rounds), enrolled=enrolled, rounds={last.number})
        if last
        else None
    )
    return ProgramReport(
        program=record,
        stats=stats,
        last_round=last_stats,
        last_round_number=last.number if last else None,
        next_round_at=next_round_at(record, now),
    )


def teams_of(rounds: Sequence[RoundRecord]) -> dict[str, str | None]:
    """Each grouped person's team (user id → team), as the metrics read it."""
    return {m.person.user_id: m.person.team for r in rounds for g in r.groups for m in g.members}


def past_groups(rounds: Sequence[RoundRecord]) -> list[PastGroup]:
    """The engine's view of stored rounds (for metrics)."""
    return [
        PastGroup(
            round=r.number,
            members=frozenset(g.user_ids),
            outcome=Outcome(g.outcome) if g.outcome else None,
        )
        for r in rounds
        for g in r.groups
    ]


def _round(record: RoundRecord) -> RoundHistory:
    return RoundHistory(
        number=record.number,
        created_at=record.created_at,
        groups=tuple(
            GroupHistory(
                members=g.user_ids,
                names=tuple(m.person.display_name for m in g.members),
                outcome=g.outcome,
            )
            for g in record.groups
        ),
        left_out=tuple(lo.person.user_id for lo in record.left_out),
        delivered=record.delivered,
    )


async def _program(uow: UnitOfWork, name: str) -> ProgramRecord:
    record = await uow.programs.by_name(name)
    if record is None:
        raise UnknownProgram(name)
    return record
