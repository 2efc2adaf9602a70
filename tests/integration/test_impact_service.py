"""The impact report over stored rounds and feedback, on SQLite and PostgreSQL,
against numbers counted by hand."""

from __future__ import annotations

import pytest

from bot.impact import OutcomeCounts
from bot.services.impact import program_impact
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW
from tests.integration.test_dashboard_service import _program, _round, _scope

# TEAMS: UA Data, UB Sales, UC Design, UD Data, UE none
ROUNDS = [
    [(["UA", "UD"], "met"), (["UB", "UC"], None)],
    [(["UA", "UB"], "met"), (["UC", "UD"], "not_met")],
    [(["UC", "UE"], "met")],
]
ANSWERS = [(1, "UA", "learned", 5), (1, "UD", "friend", 4), (2, "UA", "career", None)]
MORE = [(2, "UB", "idea", 3), (3, "UC", "collaborate", 2)]


async def _answer(uow_factory, workspace, program, answers) -> None:  # type: ignore[no-untyped-def]
    async with uow_factory(workspace.id) as uow:
        rounds = {r.number: r for r in await uow.rounds.recent(program.id)}
        for number, user, came_of, rating in answers:
            group = next(g for g in rounds[number].groups if user in g.user_ids)
            person = next(m.person for m in group.members if m.person.user_id == user)
            await uow.feedback.record(group.id, person.id, came_of=came_of, rating=rating, now=NOW)
        await uow.commit()


async def test_the_report_counts_ties_baseline_reach_newcomers_and_hides_small_feedback(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    program = await _program(uow_factory, workspace)
    for groups in ROUNDS:
        await _round(uow_factory, workspace, program, groups)
    await _answer(uow_factory, workspace, program, ANSWERS)
    scope = _scope(uow_factory, workspace)

    report = await program_impact(scope, "coffee")
    data = report.to_json()
    # ties: UA–UD inside Data; UB–UC and UA–UB across; UC–UE has no team on one side
    assert data["team_ties"] == [["Data", "Data", 1], ["Data", "Sales", 1], ["Design", "Sales", 1]]
    assert data["ei_index"] == pytest.approx(1 / 3, abs=1e-4)
    assert data["ei_index_random"] == pytest.approx(2 / 3, abs=1e-4)  # 6 pairs, 1 inside
    assert data["teams"] == ["Data", "Design", "Sales"]
    assert data["isolated"] == ["UD"]
    assert data["reach"] == {"median": 1, "p10": pytest.approx(0.3), "p90": pytest.approx(1.7)}
    assert data["newcomer_days_to_first_meeting"] == 14  # 7, 7, 14, 21, 21
    assert data["answers"] == 3 and data["outcomes"] is None and data["worth_it"] is None
    assert [p["round"] for p in data["trend"]] == [1, 2, 3]

    await _answer(uow_factory, workspace, program, MORE)
    data = (await program_impact(scope, "coffee")).to_json()
    assert data["answers"] == 5
    assert data["outcomes"] == {"career": 1, "skills": 1, "relationships": 1, "organisation": 2}
    assert data["worth_it"] is None and data["ratings"] == 4  # ratings: 5, 4, 3, 2
    with_mentoring = await program_impact(
        scope, "coffee", extra=[OutcomeCounts({"career": 2, "skills": 1}, answers=3)]
    )
    assert with_mentoring.to_json()["outcomes"]["career"] == 3
    assert with_mentoring.to_json()["answers"] == 8
