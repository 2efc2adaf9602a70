"""The composition root: the one place that builds engines, clients and services."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.errors import MentorbotError
from bot.platform import ChatPlatform, PlatformError
from bot.services.programs import sync_config_programs
from bot.slack.client import web_client
from bot.slack.platform import SlackPlatform
from storage.db import create_engine, session_factory
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)


class SlackNotConfigured(MentorbotError):
    def __init__(self) -> None:
        super().__init__(
            "Slack is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
            "(or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET for multi-workspace installs)"
        )


class WorkspaceNotInstalled(MentorbotError):
    def __init__(self, external_id: str) -> None:
        super().__init__(f"mentorbot is not installed in workspace {external_id}")


class Platforms:
    """Which ``ChatPlatform`` serves a workspace: the one bot token, or its installation."""

    def __init__(self, settings: Settings, installations: AsyncInstallationStore | None) -> None:
        self.settings = settings
        self.installations = installations

    async def token_for(self, external_id: str) -> str:
        if self.installations is not None:
            bot = await self.installations.async_find_bot(enterprise_id=None, team_id=external_id)
            if bot is not None and bot.bot_token:
                return str(bot.bot_token)
        if self.settings.slack_bot_token is not None:
            return self.settings.slack_bot_token.get_secret_value()
        if self.installations is not None:
            raise WorkspaceNotInstalled(external_id)
        raise SlackNotConfigured()

    async def for_workspace(
        self, workspace: WorkspaceRecord, *, retry: bool = True
    ) -> ChatPlatform:
        """``retry=False`` for the delivery outbox, which retries through its own pacer."""
        token = await self.token_for(workspace.external_id)
        return SlackPlatform(web_client(token, self.settings.slack_api_url, retry=retry))


@dataclass
class Container:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    uow: UnitOfWorkFactory
    platforms: Platforms
    installations: AsyncSQLAlchemyInstallationStore | None = None
    extras: dict[str, object] = field(default_factory=dict)
    # Every Slack rate-limit window is shortened this many times. Only for a simulated
    # workspace (``mentorbot demo``); against Slack it must stay 1.
    rate_limit_speedup: float = 1.0

    async def aclose(self) -> None:
        """Stop what was started on the side (e.g. background deliveries), then the engine."""
        for extra in list(self.extras.values()):
            close = getattr(extra, "aclose", None)
            if close is not None:
                await close()
        await self.engine.dispose()

    async def default_workspace(self, external_id: str | None = None) -> WorkspaceRecord:
        """The workspace a CLI command acts on: ``external_id``, or the bot token's own."""
        async with self.uow.workspaces() as workspaces:
            if external_id:
                found = await workspaces.find("slack", external_id)
                if found is None:
                    raise WorkspaceNotInstalled(external_id)
                return found
            known = await workspaces.all()
        if self.settings.slack_bot_token is None:
            if len(known) == 1:
                return known[0]
            raise (
                SlackNotConfigured()
                if not known
                else MentorbotError(
                    "several workspaces are installed; name one with --workspace T…"
                )
            )
        return await self.bot_workspace()

    async def bot_workspace(self) -> WorkspaceRecord:
        """The single-workspace token's workspace (auth.test), created on first use."""
        if self.settings.slack_bot_token is None:
            raise SlackNotConfigured()
        client = web_client(
            self.settings.slack_bot_token.get_secret_value(), self.settings.slack_api_url
        )
        try:
            auth = await client.auth_test()
        except Exception as exc:
            raise PlatformError(
                f"cannot reach Slack at {self.settings.slack_api_url}: {exc}"
            ) from exc
        async with self.uow.workspaces() as workspaces:
            workspace = await workspaces.ensure(
                "slack", str(auth["team_id"]), name=str(auth.get("team") or ""), now=self.clock()
            )
        await sync_config_programs(self.uow, workspace.id, self.settings.programs, clock=self.clock)
        return workspace


def build(
    settings: Settings, *, clock: Clock = utc_now, rate_limit_speedup: float = 1.0
) -> Container:
    """Create the engine, the unit-of-work factory and the platform directory.

    ``rate_limit_speedup`` > 1 shortens the pacer's windows, for a simulated workspace only.
    """
    if rate_limit_speedup <= 0:
        raise ValueError(f"rate_limit_speedup must be positive, not {rate_limit_speedup}")
    engine = create_engine(settings.database_url)
    installations = (
        AsyncSQLAlchemyInstallationStore(client_id=settings.slack_client_id or "", engine=engine)
        if settings.oauth_configured
        else None
    )
    return Container(
        settings=settings,
        clock=clock,
        engine=engine,
        uow=UnitOfWorkFactory(session_factory(engine)),
        platforms=Platforms(settings, installations),
        installations=installations,
        rate_limit_speedup=rate_limit_speedup,
    )
