"""Mentorship intakes on SQLite and PostgreSQL: a match starts a term, mentees with a
mentor and full mentors stay out of the next intake, nobody gets a former mentor again,
and free text meets the topic it means."""

from __future__ import annotations

from datetime import timedelta

from bot.core import Core
from bot.services.rounds import form_round
from bot.slack.simulator.slack_api import SlackApiSimulator
from pairing.models import Role
from storage.records import WorkspaceRecord
from storage.repositories import Profile, ProgramSpec
from storage.repositories.enrollments import EnrollmentForm
from tests.conftest import NOW
from tests.fakes import community
from tests.fakes.clock import FakeClock
from tests.integration.test_rounds import CHANNEL, clock, container, slack, workspace  # noqa: F401


async def _enroll(container: Core, workspace: WorkspaceRecord, slack, people, **settings):  # noqa: F811
    """``people``: (role, skills or goals, capacity) per person, in order."""
    users = community.people(len(people))
    community.add_to_slack(slack.workspace, users)
    async with container.uow(workspace.id) as uow:
        program = await uow.programs.save(
            ProgramSpec(name="mentoring", kind="mentorship", channel_id=CHANNEL, settings=settings),
            now=NOW,
            source="test",
        )
        for offset, (user, (role, terms, capacity)) in enumerate(zip(users, people, strict=True)):
            person = await uow.people.upsert(
                Profile(user.id, user.name, user.real_name, user.title, user.tz), now=NOW
            )
            form = EnrollmentForm(
                role=Role(role),
                skills=terms if role == "mentor" else [],
                goals=terms if role == "mentee" else [],
                capacity=capacity,
            )
            await uow.enrollments.save(
                program.id, person.id, form, now=NOW - timedelta(days=offset)
            )
        await uow.commit()
    return program, [u.id for u in users]


async def _intake(container: Core, workspace: WorkspaceRecord, clock: FakeClock):  # noqa: F811
    formed = await form_round(await container.scope_for(workspace, paced=True), "mentoring")
    await container.deliveries.deliver_round(workspace, formed.round.id)
    clock.advance(weeks=1)
    return formed


async def test_a_match_is_a_mentorship_for_a_term_and_the_next_intake_leaves_it_alone(
    container: Core,  # noqa: F811
    workspace: WorkspaceRecord,  # noqa: F811
    slack: SlackApiSimulator,  # noqa: F811
    clock: FakeClock,  # noqa: F811
) -> None:
    program, (mentor, a, b, c) = await _enroll(
        container,
        workspace,
        slack,
        [
            ("mentor", ["public speaking", "Kubernetes"], 2),
            ("mentee", ["Presenting"], None),
            ("mentee", ["k8s"], None),
            ("mentee", ["Public-Speaking"], None),
        ],
        term_weeks=6,
    )
    first = await _intake(container, workspace, clock)
    async with container.uow(workspace.id, read_only=True) as uow:
        active = await uow.mentorships.for_program(program.id, states=("active",))
    assert len(first.round.groups) == 2 and len(active) == 2
    matched = {m.mentee.user_id for m in active}
    assert all(m.mentor.user_id == mentor for m in active)
    assert len(matched) == 2  # every goal is one of the mentor's skills, however written
    (waiting,) = {a, b, c} - matched
    for m in active:
        assert m.decided_by == "engine" and m.started_at == NOW
        assert m.ends_at == NOW + timedelta(weeks=6)
        assert m.next_checkin_at == NOW + timedelta(weeks=2)
        assert m.group_id in {g.id for g in first.round.groups}
    written = {a: ["Presenting"], b: ["k8s"], c: ["Public-Speaking"]}
    for m in active:  # the goals in the mentee's own words
        assert [g.goal for g in m.goals] == written[m.mentee.user_id]
        assert [g.progress for g in m.goals] == ["not_started"]

    second = await _intake(container, workspace, clock)
    assert second.round.groups == ()  # the mentor is full; a and b have their mentor
    assert {lo.person.user_id for lo in second.round.left_out} >= {waiting}

    ended = active[0]
    async with container.uow(workspace.id) as uow:
        assert await uow.mentorships.transition(
            ended.id, from_states=("active",), now=clock(), state="ended", ended_at=clock()
        )
        await uow.commit()
    third = await _intake(container, workspace, clock)
    pairs = {tuple(m.person.user_id for m in g.members) for g in third.round.groups}
    assert pairs == {(mentor, waiting)}  # the freed place: to whoever waits, not back
    async with container.uow(workspace.id, read_only=True) as uow:
        states = sorted(
            (m.id == ended.id, m.state) for m in await uow.mentorships.for_program(program.id)
        )
    assert states == [(False, "active"), (False, "active"), (True, "ended")]


async def test_a_mentor_who_left_mid_term_ends_the_mentorship_and_the_mentee_is_told(
    container: Core,  # noqa: F811
    workspace: WorkspaceRecord,  # noqa: F811
    slack: SlackApiSimulator,  # noqa: F811
    clock: FakeClock,  # noqa: F811
) -> None:
    from bot.services.scheduled import run_mentorship_checkins

    program, (mentor, mentee, other_mentor, other) = await _enroll(
        container,
        workspace,
        slack,
        [
            ("mentor", ["python"], 1),
            ("mentee", ["python"], None),
            ("mentor", ["Kubernetes"], 1),
            ("mentee", ["k8s"], None),
        ],
    )
    await _intake(container, workspace, clock)
    async with container.uow(workspace.id) as uow:
        gone = await uow.people.by_user_id(mentor)
        left = await uow.people.by_user_id(other)
        assert gone is not None and left is not None
        await uow.people.mark_gone(gone.id, now=clock())  # left the company
        enrollment = await uow.enrollments.get(program.id, left.id)
        assert enrollment is not None
        await uow.enrollments.leave(enrollment.id, now=clock())  # /mentor leave
        await uow.commit()
    scope = await container.scope_for(workspace, paced=True)
    first = await run_mentorship_checkins(scope)
    again = await run_mentorship_checkins(scope)
    assert (first.checkins, again.checkins) == (0, 0)
    async with container.uow(workspace.id, read_only=True) as uow:
        found = {m.mentee.user_id: m for m in await uow.mentorships.for_program(program.id)}
    assert (found[mentee].state, found[mentee].ended_by, found[mentee].end_reason) == (
        "ended",
        mentor,
        "left",
    )
    assert (found[other].state, found[other].ended_by) == ("ended", other)
    told = slack.workspace.messages_in(slack.workspace.conversation_of({mentee}) or "")
    assert [m.text for m in told if "close" in m.text] == ["Your mentorship has come to a close"]
    told = slack.workspace.messages_in(slack.workspace.conversation_of({other_mentor}) or "")
    assert len([m for m in told if "close" in m.text]) == 1  # once, however often it runs
