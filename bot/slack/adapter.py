"""Slack as a platform adapter: its workspaces' Web API clients, its inbound endpoint,
Socket Mode, and the single-workspace token's own workspace.

Single workspace: ``SLACK_BOT_TOKEN``. Multi-workspace: ``SLACK_CLIENT_ID`` and
``SLACK_CLIENT_SECRET`` turn on Bolt's OAuth flow, with installations kept in
mentorbot's own database (``storage.slack_installations``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.errors import MentorbotError
from bot.platform import ChatPlatform, PlatformError
from bot.platforms import Background
from bot.services.programs import sync_config_programs
from bot.slack.client import web_client
from bot.slack.limits import SLACK_LIMITS
from bot.slack.logs import quiet_bolt
from bot.slack.platform import SlackPlatform
from bot.slack.plugin import NAME
from storage.records import WorkspaceRecord
from storage.slack_installations import installation_store

if TYPE_CHECKING:
    from fastapi import FastAPI
    from slack_bolt.async_app import AsyncApp

    from bot.core import Core
    from bot.slack.early_ack import EarlyAcks

log = logging.getLogger(__name__)


class WorkspaceNotInstalled(MentorbotError):
    def __init__(self, external_id: str) -> None:
        super().__init__(f"mentorbot is not installed in Slack workspace {external_id}")


class SlackAdapter:
    name = NAME
    limits = SLACK_LIMITS

    def __init__(self, core: Core) -> None:
        self.core = core
        quiet_bolt()
        settings = core.settings
        self.installations = (
            installation_store(settings.slack_client_id or "", core.engine)
            if settings.oauth_configured
            else None
        )
        self._bolt: AsyncApp | None = None
        self._acks: EarlyAcks | None = None

    @property
    def bolt(self) -> AsyncApp:
        """The Bolt app (made once; the web endpoint and Socket Mode share it)."""
        if self._bolt is None:
            from bot.slack.app import build_bolt_app

            self._bolt = build_bolt_app(self.core, self.installations)
        return self._bolt

    async def token_for(self, external_id: str) -> str:
        if self.installations is not None:
            bot = await self.installations.async_find_bot(enterprise_id=None, team_id=external_id)
            if bot is not None and bot.bot_token:
                return str(bot.bot_token)
        if self.core.settings.slack_bot_token is not None:
            return self.core.settings.slack_bot_token.get_secret_value()
        raise WorkspaceNotInstalled(external_id)

    async def chat(self, workspace: WorkspaceRecord, *, retry: bool = True) -> ChatPlatform:
        token = await self.token_for(workspace.external_id)
        settings = self.core.settings
        client = web_client(
            token, settings.slack_api_url, timeout=settings.platform_timeout_seconds, retry=retry
        )
        return SlackPlatform(client)

    def mount(self, app: FastAPI) -> None:
        from bot.slack.early_ack import EarlyAcks
        from bot.slack.endpoint import mount

        self._acks = EarlyAcks(self.bolt)
        mount(app, self.bolt, self._acks, self.core.settings)

    async def stop(self) -> None:
        """Finish (or cancel) the requests acknowledged early and still being handled."""
        if self._acks is not None:
            await self._acks.aclose()

    def background(self) -> list[Background]:
        if self.core.settings.slack_app_token is None:
            return []
        from bot.slack.socket_mode import SocketMode

        return [SocketMode(self.bolt, self.core.settings.slack_app_token.get_secret_value())]

    async def start(self) -> None:
        """Single-workspace mode: learn the workspace (auth.test) and load configured
        programs into it."""
        if self.core.settings.slack_bot_token is None:
            return
        try:
            workspace = await self.bot_workspace()
        except PlatformError as exc:
            log.warning("could not reach Slack at start-up (%s); will retry on first use", exc)
            return
        log.info("serving Slack workspace %s (%s)", workspace.name, workspace.external_id)

    async def default_workspace(self) -> WorkspaceRecord | None:
        if self.core.settings.slack_bot_token is None:
            return None
        return await self.bot_workspace()

    async def bot_workspace(self) -> WorkspaceRecord:
        """The single-workspace token's workspace (auth.test), created on first use."""
        settings = self.core.settings
        assert settings.slack_bot_token is not None
        client = web_client(
            settings.slack_bot_token.get_secret_value(),
            settings.slack_api_url,
            timeout=settings.platform_timeout_seconds,
        )
        try:
            auth: Any = await client.auth_test()
        except Exception as exc:
            raise PlatformError(f"cannot reach Slack at {settings.slack_api_url}: {exc}") from exc
        workspace = await self.core.uow.ensure_workspace(
            NAME, str(auth["team_id"]), name=str(auth.get("team") or ""), now=self.core.clock()
        )
        await sync_config_programs(
            self.core.uow, workspace.id, settings.programs, clock=self.core.clock
        )
        return workspace
