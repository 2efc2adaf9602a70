"""``mentorbot impact`` as an operator runs it, in a subprocess, on SQLite and PostgreSQL:
the JSON keys scripts rely on, with numbers that agree with the pairing history."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime

import pytest

from bot.slack.simulator.slack_api import SlackApiSimulator
from pairing.impact import ei_index, random_ei, ties
from pairing.models import PastGroup
from storage.db import create_engine, session_factory
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW
from tests.e2e.test_round_cli import _mentorbot, _populate, slack

__all__ = ["slack"]
pytestmark = pytest.mark.slow
KEYS = {
    "program",
    "ei_index",
    "ei_index_random",
    "teams",
    "team_ties",
    "reach",
    "isolated",
    "newcomer_days_to_first_meeting",
    "outcomes",
    "answers",
}


async def _meet_and_answer(database_url: str) -> dict[str, str | None]:
    """Every group of round 1 met; everyone says they learned something. Returns teams."""
    engine = create_engine(database_url)
    uow_factory = UnitOfWorkFactory(session_factory(engine))
    try:
        workspace = await uow_factory.ensure_workspace("slack", "T0001", name="Acme", now=NOW)
        async with uow_factory(workspace.id) as uow:
            program = await uow.programs.by_name("coffee")
            assert program is not None
            (round_,) = await uow.rounds.recent(program.id)
            for group in round_.groups:
                for member in group.members:
                    await uow.rounds.record_checkin(group.id, member.person.id, "met", now=NOW)
                    await uow.feedback.record(
                        group.id, member.person.id, came_of="learned", now=NOW
                    )
            await uow.commit()
            return {m.person.user_id: m.person.team for g in round_.groups for m in g.members}
    finally:
        await engine.dispose()


def test_impact_prints_the_documented_json_and_a_table(
    database_url: str, slack: SlackApiSimulator
) -> None:
    users = _populate(database_url, slack, 6)
    assert _mentorbot(database_url, slack, "round", "run", "coffee")[0] == 0
    teams = asyncio.run(_meet_and_answer(database_url))
    code, out, err = _mentorbot(database_url, slack, "history", "coffee", "--format", "json")
    assert code == 0, err
    (round_,) = json.loads(out)["rounds"]
    groups = [PastGroup(1, frozenset(g["members"])) for g in round_["groups"]]
    introduced = datetime.fromisoformat(round_["created_at"])

    code, out, err = _mentorbot(database_url, slack, "impact", "coffee", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= KEYS and data["program"] == "coffee"
    assert data["ei_index"] == pytest.approx(ei_index(ties(groups), teams), abs=1e-4)
    assert data["ei_index_random"] == pytest.approx(random_ei(users, teams), abs=1e-4)
    assert sum(n for _, _, n in data["team_ties"]) == 3  # three pairs, all with a team
    assert set(data["reach"]) == {"median", "p10", "p90"}
    assert data["answers"] == 6 and data["outcomes"]["skills"] == 6
    # everyone joined at NOW and met in the round introduced on `introduced`
    assert data["newcomer_days_to_first_meeting"] == (introduced - NOW).days

    code, out, err = _mentorbot(database_url, slack, "impact", "coffee")
    assert code == 0, err
    assert "E-I index" in out and "random pairing of the same people" in out
    assert "What came of it (6 answers): career 0, skills 6" in out
    code, _, err = _mentorbot(database_url, slack, "impact", "tea")
    assert code == 1 and err.count("\n") == 1 and "tea" in err


def test_round_run_into_a_pipe_prints_plain_progress_lines(
    database_url: str, slack: SlackApiSimulator
) -> None:
    import re
    import subprocess
    import sys

    from tests.e2e.test_round_cli import _env

    _populate(database_url, slack, 30)
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "round", "run", "coffee"],
        env={**_env(database_url, slack), "MENTORBOT_PROGRESS_SECONDS": "0.2"},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    lines = re.findall(r"^Round 1: (\d+) of (\d+) messages sent", done.stdout, flags=re.M)
    assert lines, done.stdout
    sent = [int(a) for a, _ in lines]
    assert sent == sorted(sent) and len(set(sent)) == len(sent)  # a line when it moved
    assert lines[-1][0] == lines[-1][1]  # ends with everything sent
    assert "\x1b[" not in done.stdout  # no terminal codes in a pipe
