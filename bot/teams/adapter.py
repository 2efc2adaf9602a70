"""Teams as a platform adapter: each tenant is a workspace (``workspaces.external_id`` is
the tenant id), served through the Bot Connector at the address Teams gave it, with
Graph for what the Connector cannot do when the tenant granted the permissions.

Single-tenant (``TEAMS_TENANT_ID``): only that tenant is served, it is the workspace a
command acts on when none is named, and it receives the programs of the config file
(unless Slack serves a single workspace too: the file's programs are Slack's then).
Multi-tenant: every tenant that installs the app is served, each kept apart.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import httpx

from bot.platform import ChatPlatform
from bot.platforms import Background
from bot.services.programs import sync_config_programs
from bot.teams.auth import BotFrameworkAuth, SigningKeys
from bot.teams.chat import TeamsChat
from bot.teams.connector import Connector
from bot.teams.context import TeamsContext
from bot.teams.graph import Graph
from bot.teams.limits import TEAMS_LIMITS
from bot.teams.plugin import NAME
from bot.teams.routes import Routes
from bot.teams.tokens import BOT_SCOPE, ClientCredentials, SdkTokens, Tokens, bot_authority
from storage.records import WorkspaceRecord

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.core import Core
    from bot.teams.dispatch import Dispatcher

log = logging.getLogger(__name__)


class TeamsAdapter:
    name = NAME
    limits = TEAMS_LIMITS

    def __init__(self, core: Core) -> None:
        settings = core.settings
        assert settings.teams_app_id is not None and settings.teams_app_password is not None
        self.core = core
        self.app_id = settings.teams_app_id
        timeout = settings.platform_timeout_seconds  # the outbox's look-up window assumes it
        self.http = httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        secret = settings.teams_app_password.get_secret_value()
        self.tokens: Tokens = (
            ClientCredentials(settings.teams_token_url, self.app_id, secret, self.http)
            if settings.teams_token_url
            else SdkTokens(self.app_id, secret, settings.teams_tenant_id)
        )
        keys = SigningKeys(settings.teams_openid_metadata_url, self.http)
        self.auth = BotFrameworkAuth(self.app_id, keys)
        authority = bot_authority(settings.teams_tenant_id)

        async def bot_token() -> str:
            return await self.tokens.token(BOT_SCOPE, authority)

        graph = (
            Graph(settings.teams_graph_url, self.app_id, self.tokens, self.http)
            if settings.teams_graph_permissions
            else None
        )
        self.context = TeamsContext(
            app_id=self.app_id,
            connector=Connector(bot_token, timeout=timeout),
            graph=graph,
            routes=Routes(core.uow, core.clock),
            uow=core.uow,
        )
        self._dispatcher: Dispatcher | None = None

    @property
    def dispatcher(self) -> Dispatcher:
        if self._dispatcher is None:
            from bot.teams.dispatch import Dispatcher

            self._dispatcher = Dispatcher(self)
        return self._dispatcher

    async def chat(self, workspace: WorkspaceRecord, *, retry: bool = True) -> ChatPlatform:
        """The tenant's Teams. Nothing here retries on its own: the pacer does."""
        return TeamsChat(workspace, self.context)

    def mount(self, app: FastAPI) -> None:
        from bot.teams.endpoint import mount

        self.dispatcher  # loads the handlers now, not on the first request  # noqa: B018
        mount(app, self)

    def background(self) -> list[Background]:
        return []

    async def start(self) -> None:
        """Single-tenant: the tenant's workspace exists, with the config file's programs."""
        tenant = self.core.settings.teams_tenant_id
        if tenant is None:
            log.info("serving Microsoft Teams for every tenant that installs the app")
            return
        workspace = await self.default_workspace()
        log.info(
            "serving Microsoft Teams tenant %s", workspace.external_id if workspace else tenant
        )

    async def default_workspace(self) -> WorkspaceRecord | None:
        settings = self.core.settings
        if settings.teams_tenant_id is None:
            return None
        workspace = await self.core.uow.ensure_workspace(
            NAME, settings.teams_tenant_id, name=settings.teams_tenant_id, now=self.core.clock()
        )
        if settings.slack_bot_token is None:
            await sync_config_programs(
                self.core.uow, workspace.id, settings.programs, clock=self.core.clock
            )
        return workspace

    async def stop(self) -> None:
        await self.http.aclose()
