"""The demo company as Slack knows it: a simulated workspace with everyone's profile
(name, title, time zone; the lead is a workspace admin) and the channels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.demo.people import DemoPerson
from bot.slack.simulator.workspace import SimulatedUser, SimulatedWorkspace

TEAM_ID = "T0DEMO"
COMPANY = "Acme Robotics"
GENERAL, COFFEE_CHANNEL, MENTORING_CHANNEL = "C0GENERAL", "C0COFFEE", "C0MENTORING"


def simulated_workspace(people: Sequence[DemoPerson], token: str) -> SimulatedWorkspace:
    workspace = SimulatedWorkspace(team_id=TEAM_ID, name=COMPANY, token=token)
    now = datetime.now(UTC)
    for person in people:
        offset = now.astimezone(ZoneInfo(person.time_zone)).utcoffset() or timedelta(0)
        workspace.add_user(
            SimulatedUser(
                person.user_id,
                person.real_name,  # the display name people chose: their full name
                person.real_name,
                title=person.title,
                tz=person.time_zone,
                tz_offset=int(offset.total_seconds()),
                is_admin=person.is_admin,
            ),
            team_id=TEAM_ID,
        )
    everyone = {p.user_id for p in people}
    workspace.add_channel(GENERAL, everyone, team_id=TEAM_ID)
    workspace.add_channel(COFFEE_CHANNEL, team_id=TEAM_ID)
    workspace.add_channel(MENTORING_CHANNEL, team_id=TEAM_ID)
    return workspace
