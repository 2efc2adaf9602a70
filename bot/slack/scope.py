"""From a Slack request to a ``Scope``: the requesting workspace, and only that one.

The team id Slack puts on every request picks the workspace row (created on first
sight); the Web API client Bolt authorised for that team becomes its ``ChatPlatform``.
"""

from __future__ import annotations

import logging

from slack_bolt.context.async_context import AsyncBoltContext

from bot.bootstrap import Container
from bot.dashboard.links import DashboardLinks
from bot.errors import MentorbotError
from bot.services.scope import Scope
from bot.slack.platform import SlackPlatform

log = logging.getLogger(__name__)


class UnknownWorkspace(MentorbotError):
    def __init__(self) -> None:
        super().__init__("I can't tell which workspace this came from, so I did nothing.")


class Scopes:
    def __init__(self, container: Container) -> None:
        self.container = container
        self._workspace_ids: dict[str, int] = {}
        self._links = DashboardLinks.from_settings(container.settings, container.clock)

    async def resolve(self, context: AsyncBoltContext) -> Scope:
        team_id = context.team_id or context.enterprise_id
        if not team_id or context.client is None:
            raise UnknownWorkspace()
        return Scope(
            workspace_id=await self.workspace_id(str(team_id)),
            uow=self.container.uow,
            platform=SlackPlatform(context.client),
            clock=self.container.clock,
            admins=frozenset(self.container.settings.admins),
            dashboard=self._links.minter("slack", str(team_id)) if self._links else None,
        )

    async def workspace_id(self, team_id: str) -> int:
        known = self._workspace_ids.get(team_id)
        if known is not None:
            return known
        async with self.container.uow.workspaces() as workspaces:
            workspace = await workspaces.ensure(
                "slack", team_id, name="", now=self.container.clock()
            )
        self._workspace_ids[team_id] = workspace.id
        log.debug("Slack team %s is workspace %s", team_id, workspace.id)
        return workspace.id
