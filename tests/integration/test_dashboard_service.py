"""What the dashboard service reads, on SQLite and PostgreSQL: counts, impact round by
round, who is left out, rounds a page at a time — and nothing of another workspace."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import dashboard
from bot.services.reports import program_history
from bot.services.scope import Scope
from pairing.models import Role
from storage.records import ProgramRecord, WorkspaceRecord
from storage.repositories import Profile, ProgramSpec
from storage.repositories.enrollments import EnrollmentForm
from storage.repositories.rounds import NewGroup
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW
from tests.fakes.chat_platform import FakeChat

TEAMS = {"UA": "Data", "UB": "Sales", "UC": "Design", "UD": "Data", "UE": None}


def _scope(uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord) -> Scope:
    return Scope(workspace, uow_factory, FakeChat(), lambda: NOW)


async def _program(uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord) -> ProgramRecord:
    async with uow_factory(workspace.id) as uow:
        program = await uow.programs.save(
            ProgramSpec(name="coffee", timezone="Europe/Berlin"), now=NOW, source="test"
        )
        for user_id, team in TEAMS.items():
            person = await uow.people.upsert(Profile(user_id, user_id.lower()), now=NOW)
            await uow.people.set_team(person.id, team, now=NOW)
            await uow.enrollments.save(program.id, person.id, EnrollmentForm(), now=NOW)
        await uow.commit()
    return program


async def _round(
    uow_factory: UnitOfWorkFactory,
    workspace: WorkspaceRecord,
    program: ProgramRecord,
    groups: list[tuple[list[str], str | None]],
    left_out: tuple[str, ...] = (),
) -> None:
    async with uow_factory(workspace.id) as uow:
        ids = {u: (await uow.people.by_user_id(u)).id for u in TEAMS}  # type: ignore[union-attr]
        number = await uow.rounds.next_number(program.id)
        stored = await uow.rounds.create(
            program_id=program.id,
            seed=number,
            slot=NOW + timedelta(weeks=number),
            trigger="schedule",
            groups=[NewGroup([(ids[u], Role.PEER) for u in members]) for members, _ in groups],
            left_out=[(ids[u], "alone") for u in left_out],
            notes=(),
            now=NOW + timedelta(weeks=number),
        )
        await uow.rounds.mark_delivered(stored.id, now=NOW)
        for group, (_, outcome) in zip(stored.groups, groups, strict=True):
            if outcome:
                answer = "met" if outcome == "met" else "could_not"
                await uow.rounds.record_checkin(
                    group.id, group.members[0].person.id, answer, now=NOW
                )
        await uow.commit()


async def test_new_cross_team_ties_count_each_pair_of_people_once_and_only_if_they_met(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    program = await _program(uow_factory, workspace)
    await _round(uow_factory, workspace, program, [(["UA", "UB"], "met"), (["UC", "UD"], None)])
    await _round(uow_factory, workspace, program, [(["UA", "UB"], "met"), (["UC", "UE"], None)])
    await _round(uow_factory, workspace, program, [(["UA", "UC"], "not_met"), (["UB", "UD"], None)])
    view = await dashboard.program_page(_scope(uow_factory, workspace), program.id, page=1)
    assert [(p.number, p.new_ties) for p in view.timeline] == [(1, 2), (2, 0), (3, 1)]
    assert [(p.reported, p.met, p.meeting_rate) for p in view.timeline] == [
        (1, 1, 1.0),
        (1, 1, 1.0),
        (1, 0, 0.0),
    ]
    # UE has no team: no tie. A–C never met: no tie. A–B, C–D, B–D: Data, Sales, Design.
    assert view.team_links == (("Data", "Design"), ("Data", "Sales"))
    assert view.card.report.stats.cross_team_ties == 3


async def test_counts_left_out_and_check_in_silence(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    program = await _program(uow_factory, workspace)
    await _round(uow_factory, workspace, program, [(["UA", "UB"], "met")], left_out=("UC",))
    async with uow_factory(workspace.id) as uow:
        enrolled = {e.person.user_id: e for e in await uow.enrollments.for_program(program.id)}
        await uow.enrollments.pause(enrolled["UA"].id, until=None, now=NOW)
        await uow.enrollments.pause(enrolled["UB"].id, until=NOW - timedelta(days=1), now=NOW)
        await uow.people.mark_gone(enrolled["UE"].person.id, now=NOW)
        await uow.enrollments.set_missed_checkins(enrolled["UB"].id, 1, now=NOW)
        await uow.enrollments.set_missed_checkins(enrolled["UD"].id, 3, now=NOW)
        await uow.commit()
    view = await dashboard.program_page(_scope(uow_factory, workspace), program.id, page=1)
    # UA paused; UB's pause is over; UE is no longer in the workspace (neither).
    assert view.card.counts == dashboard.Counts(enrolled=5, active=3, paused=1)
    assert view.never_matched == ("uc", "ud", "ue")
    assert view.left_out_now == (("uc", "alone"),)
    assert view.ignoring == (("ud", 3), ("ub", 1))
    overview = await dashboard.overview(_scope(uow_factory, workspace))
    assert [card.counts for card in overview.programs] == [view.card.counts]


async def test_rounds_come_ten_a_page_newest_first(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    program = await _program(uow_factory, workspace)
    for _ in range(12):
        await _round(uow_factory, workspace, program, [(["UA", "UB"], None)])
    first = await dashboard.program_page(_scope(uow_factory, workspace), program.id, page=1)
    second = await dashboard.program_page(_scope(uow_factory, workspace), program.id, page=2)
    assert [r.number for r in first.rounds] == list(range(12, 2, -1)) and first.pages == 2
    assert [r.number for r in second.rounds] == [2, 1]
    assert len(first.timeline) == 12  # the impact over time covers every round
    with pytest.raises(dashboard.NotFound):
        await dashboard.program_page(_scope(uow_factory, workspace), program.id, page=3)


async def test_another_workspaces_program_is_not_found_and_exports_match_the_history(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    program = await _program(uow_factory, workspace)
    await _round(uow_factory, workspace, program, [(["UA", "UB"], "met")])
    other = await uow_factory.ensure_workspace("slack", "T0OTHER", name="Other", now=NOW)
    for reader in (
        dashboard.program_page(_scope(uow_factory, other), program.id, page=1),
        dashboard.program_export(_scope(uow_factory, other), program.id),
    ):
        with pytest.raises(dashboard.NotFound):
            await reader
    assert (await dashboard.overview(_scope(uow_factory, other))).programs == ()
    exported = await dashboard.program_export(_scope(uow_factory, workspace), program.id)
    assert exported == await program_history(_scope(uow_factory, workspace), "coffee")


async def test_a_mentorship_programs_page_shows_its_mentorships_and_skills_gap(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    from bot.dashboard.layout import Viewer
    from bot.dashboard.program import program_page
    from storage.repositories import NewMentorship

    async with uow_factory(workspace.id) as uow:
        program = await uow.programs.save(
            ProgramSpec(name="mentoring", kind="mentorship", settings={"topics": ["k8s"]}),
            now=NOW,
            source="test",
        )
        people = {}
        for user_id, role, terms in (
            ("UM", Role.MENTOR, ["Kubernetes"]),
            ("UA", Role.MENTEE, ["public speaking"]),
            ("UB", Role.MENTEE, ["Presenting", "negotiation"]),
            ("UC", Role.MENTEE, ["kubernetes"]),
        ):
            people[user_id] = person = await uow.people.upsert(Profile(user_id, user_id), now=NOW)
            form = EnrollmentForm(
                role=role,
                skills=terms if role is Role.MENTOR else [],
                goals=terms if role is Role.MENTEE else [],
            )
            await uow.enrollments.save(program.id, person.id, form, now=NOW - timedelta(days=10))
        await uow.mentorships.create(
            NewMentorship(
                program.id,
                people["UM"].id,
                people["UC"].id,
                "active",
                "engine",
                started_at=NOW - timedelta(days=6),
            ),
            now=NOW,
        )
        earlier = await uow.mentorships.create(  # UA's first mentor, ended two days ago
            NewMentorship(
                program.id,
                people["UM"].id,
                people["UA"].id,
                "active",
                "engine",
                started_at=NOW - timedelta(days=9),
            ),
            now=NOW,
        )
        ended = NOW - timedelta(days=2)
        await uow.mentorships.update(earlier.id, now=ended, state="ended", ended_at=ended)
        await uow.commit()
    view = await dashboard.program_page(_scope(uow_factory, workspace), program.id, page=1)
    facts = view.card.report.mentorships
    assert facts is not None and (facts.active, facts.waiting) == (1, 2)
    assert [(g.topic, g.wanting, g.offering) for g in facts.gap.lines] == [
        ("public speaking", 2, 0),
        ("negotiation", 1, 0),
        ("k8s", 0, 1),  # the lead's word for Kubernetes
    ]
    html = program_page(view, Viewer("Ada", "Acme", NOW + timedelta(hours=1)))
    assert "Skills gap" in html and "active mentorships" in html
    # UC waited 4 days, UA 1; UB has waited 10 days, UA 2 since their mentorship ended
    assert (facts.waits.to_mentor.median, facts.waits.waiting_longest) == (2.5, 10)
    assert facts.waits.waiting_median == 6
    assert "<b>2.5</b><span>median days to a mentor</span>" in html
    assert "<b>10</b><span>longest wait so far (days)</span>" in html
    assert "People asked for: public speaking ×2, negotiation ×1" in html
