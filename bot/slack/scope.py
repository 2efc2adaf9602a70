"""From a Slack request to a ``Scope``: the requesting workspace, and only that one.

The team id Slack puts on every request picks the workspace row (created on first
sight); the Web API client Bolt authorised for that team becomes its ``ChatPlatform``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_bolt.context.async_context import AsyncBoltContext

from bot.errors import MentorbotError
from bot.services.scope import Scope
from bot.slack.platform import SlackPlatform
from bot.slack.plugin import NAME
from storage.records import WorkspaceRecord

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)


class UnknownWorkspace(MentorbotError):
    def __init__(self) -> None:
        super().__init__("I can't tell which workspace this came from, so I did nothing.")


class Scopes:
    def __init__(self, core: Core) -> None:
        self.core = core
        self._workspaces: dict[str, WorkspaceRecord] = {}

    async def resolve(self, context: AsyncBoltContext) -> Scope:
        team_id = context.team_id or context.enterprise_id
        if not team_id or context.client is None:
            raise UnknownWorkspace()
        workspace = await self.workspace(str(team_id))
        return self.core.scope(workspace, SlackPlatform(context.client))

    async def workspace(self, team_id: str) -> WorkspaceRecord:
        known = self._workspaces.get(team_id)
        if known is not None:
            return known
        workspace = await self.core.uow.ensure_workspace(
            NAME, team_id, name="", now=self.core.clock()
        )
        self._workspaces[team_id] = workspace
        log.debug("Slack team %s is workspace %s", team_id, workspace.id)
        return workspace
