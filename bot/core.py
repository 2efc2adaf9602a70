"""What the composition root builds, as one value handed to the runners.

Platform adapters, the clock, the delivery worker and the dashboard receive a ``Core``
(they never build anything themselves, and never import the root); use cases receive a
``Scope`` made from it for one workspace.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock
from bot.config import Settings
from bot.dashboard.links import DashboardLinks
from bot.errors import MentorbotError
from bot.platform import ChatPlatform
from bot.platforms import PlatformNotServed, Platforms, Unreachable
from bot.services.delivery import Deliveries
from bot.services.scope import Scope
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWorkFactory

NO_PLATFORM = (
    "no chat platform is configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
    "(or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET for multi-workspace installs), "
    "or TEAMS_APP_ID and TEAMS_APP_PASSWORD for Microsoft Teams"
)


class WorkspaceNotFound(MentorbotError):
    def __init__(self, external_id: str) -> None:
        super().__init__(f"mentorbot is not installed in workspace {external_id}")


@dataclass(frozen=True)
class Core:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    uow: UnitOfWorkFactory
    platforms: Platforms
    deliveries: Deliveries
    links: DashboardLinks | None = None

    def scope(self, workspace: WorkspaceRecord, platform: ChatPlatform) -> Scope:
        """A use case's view of ``workspace``, talking to it through ``platform``."""
        return Scope(
            workspace=workspace,
            uow=self.uow,
            platform=platform,
            clock=self.clock,
            admins=frozenset(self.settings.admins),
            dashboard=(
                self.links.minter(workspace.platform, workspace.external_id)
                if self.links is not None
                else None
            ),
            deliveries=self.deliveries,
        )

    async def scope_for(self, workspace: WorkspaceRecord, *, paced: bool = False) -> Scope:
        """A scope for work that no request started (the clock, the CLI, the dashboard).

        ``paced``: the platform goes through the workspace's pacer (rounds, check-ins).
        A workspace this process cannot talk to still gets a scope for reading its data;
        its platform then refuses every call with the reason.
        """
        if workspace.platform not in self.platforms:
            return self.scope(workspace, Unreachable(str(PlatformNotServed(workspace.platform))))
        if paced:
            return self.scope(workspace, await self.deliveries.platform(workspace))
        try:
            platform = await self.platforms.chat(workspace)
        except MentorbotError as exc:
            return self.scope(workspace, Unreachable(str(exc)))
        return self.scope(workspace, platform)

    async def workspace(self, external_id: str | None = None) -> WorkspaceRecord:
        """The workspace a command acts on: ``external_id`` (a Slack team id, a Teams
        tenant id …), or the only one this server can tell it should be."""
        async with self.uow.workspaces() as unit:
            if external_id:
                found = [w for w in await unit.workspaces.all() if w.external_id == external_id]
                if len(found) == 1:
                    return found[0]
                raise WorkspaceNotFound(external_id)
        for adapter in self.platforms:
            own = await adapter.default_workspace()
            if own is not None:
                return own
        async with self.uow.workspaces() as unit:
            known = await unit.workspaces.all()
        if len(known) == 1:
            return known[0]
        if not known and not len(self.platforms):
            raise MentorbotError(NO_PLATFORM)
        if not known:
            raise MentorbotError("mentorbot is not installed in any workspace yet")
        raise MentorbotError("several workspaces are installed; name one with --workspace")

    async def aclose(self) -> None:
        """Stop background deliveries and the platform adapters, then the engine."""
        await self.deliveries.aclose()
        for adapter in self.platforms:
            await adapter.stop()
        await self.engine.dispose()
