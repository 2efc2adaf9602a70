"""The impact of a program, for its leads: the network measures over its rounds, what
people said came of meeting (totals only), and how fast newcomers got in.

A mentorship program's closing cards count with the coffee follow-up's answers
(``mentorship_outcomes``); any other source of outcomes joins through ``extra``: a
sequence of ``bot.impact.OutcomeCounts`` added to the counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.errors import UnknownProgram
from bot.impact import ImpactReport, OutcomeCounts
from bot.kinds import lasts_a_term
from bot.services.dashboard import NotFound
from bot.services.progress import DeliveryProgress, delivery_progress
from bot.services.reports import past_groups
from bot.services.scope import Scope
from pairing.impact import integration, network_impact, outcomes
from storage.records import MentorshipRecord, ProgramRecord
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ImpactPage:
    program: ProgramRecord
    report: ImpactReport
    delivery: DeliveryProgress | None


async def program_impact(
    scope: Scope, program: str, *, extra: Sequence[OutcomeCounts] = ()
) -> ImpactReport:
    """The impact report of ``program`` (by name); UnknownProgram if there is none."""
    async with scope.unit(read_only=True) as uow:
        record = await uow.programs.by_name(program)
        if record is None:
            raise UnknownProgram(program)
        return await _report(scope, uow, record, extra)


async def impact_page(
    scope: Scope, program_id: int, *, extra: Sequence[OutcomeCounts] = ()
) -> ImpactPage:
    """The dashboard's impact report of a program (by id; ``NotFound`` for a program of
    another workspace), with the delivery progress of a round still going out."""
    async with scope.unit(read_only=True) as uow:
        record = await uow.programs.get(program_id)
        if record is None:
            raise NotFound("There is no such program in this workspace.")
        report = await _report(scope, uow, record, extra)
        delivery = await delivery_progress(uow, record.id)
    return ImpactPage(record, report, delivery)


async def _report(
    scope: Scope, uow: UnitOfWork, record: ProgramRecord, extra: Sequence[OutcomeCounts]
) -> ImpactReport:
    rounds = await uow.rounds.recent(record.id)
    enrolled = await uow.enrollments.for_program(record.id)
    answers = await uow.feedback.for_program(record.id)
    teams: dict[str, str | None] = {}
    names: dict[str, str] = {}
    for round_ in rounds:
        for group in round_.groups:
            for member in group.members:
                teams[member.person.user_id] = member.person.team
                names[member.person.user_id] = member.person.display_name
    for enrollment in enrolled:
        teams[enrollment.person.user_id] = enrollment.person.team
        names[enrollment.person.user_id] = enrollment.person.display_name
    history = past_groups(rounds)
    people = [e.person.user_id for e in enrolled if not e.person.deleted]
    if lasts_a_term(record):  # mentorships' closing cards feed the same outcomes
        extra = (*extra, mentorship_outcomes(await uow.mentorships.for_program(record.id)))
    extra_counts: dict[str, int] = {}
    for source in extra:
        for dimension, count in source.by_dimension.items():
            extra_counts[dimension] = extra_counts.get(dimension, 0) + count
    joined = {e.person.user_id: e.joined_at for e in enrolled if e.joined_at is not None}
    return ImpactReport(
        program=record.name,
        generated_at=scope.clock(),
        network=network_impact(history, teams=teams, people=people),
        outcomes=outcomes(
            (a.came_of for a in answers),
            (a.rating for a in answers),
            extra=extra_counts,
            extra_answers=sum(source.answers for source in extra),
        ),
        integration=integration(history, teams, joined, {r.number: r.created_at for r in rounds}),
        names=names,
        rounds=len(rounds),
        round_dates={r.number: r.created_at for r in rounds},
    )


# What came of a mentorship (its closing card) by the four dimensions; "something
# else" counts as an answer in none of them.
MENTORSHIP_DIMENSIONS = {
    "skill": "skills",
    "confidence": "skills",
    "career": "career",
    "network": "relationships",
}


def mentorship_outcomes(mentorships: Iterable[MentorshipRecord]) -> OutcomeCounts:
    """The closing cards' answers of ``mentorships`` by dimension, and how many answered."""
    counts: Counter[str] = Counter()
    answered = 0
    for mentorship in mentorships:
        for answers in mentorship.closing.values():
            for answer in answers.values():
                if not isinstance(answer, dict) or not answer.get("outcomes"):
                    continue
                answered += 1
                counts.update(
                    {
                        MENTORSHIP_DIMENSIONS[o]
                        for o in answer["outcomes"]
                        if o in MENTORSHIP_DIMENSIONS
                    }
                )
    return OutcomeCounts(dict(counts), answered)
