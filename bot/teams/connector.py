"""The Bot Connector, through the Teams SDK's API client (``microsoft_teams.api``).

The base address is the ``serviceUrl`` Teams gave for the tenant (or conversation); the
SDK's ``ApiClient`` makes the REST calls with a bot token from ``Tokens`` (the SDK's
custom-token seam). The SDK raises raw ``httpx`` errors and never retries; they become
the port's error classes here (``bot.teams.errors``), and retrying is the pacer's job.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from microsoft_teams.api import Account, ApiClient
from microsoft_teams.api.activities.message import MessageActivityInput
from microsoft_teams.api.clients.conversation import CreateConversationParams
from microsoft_teams.common import ClientOptions

from bot.platform import TransientError
from bot.teams.errors import classify


class Connector:
    def __init__(self, bot_token: Callable[[], Awaitable[str]], *, timeout: float):
        self._token = bot_token
        self._timeout = timeout
        self._clients: dict[str, ApiClient] = {}

    def _client(self, service_url: str) -> ApiClient:
        base = service_url.rstrip("/")
        client = self._clients.get(base)
        if client is None:
            options = ClientOptions(token=self._token, timeout=self._timeout)
            client = self._clients[base] = ApiClient(base, options)
        return client

    async def create_personal(self, service_url: str, tenant_id: str, user_id: str) -> str:
        """The bot's 1:1 chat with ``user_id`` (an Entra object id): the same id each time."""
        params = CreateConversationParams(
            members=[Account(id=user_id)],
            tenant_id=tenant_id,
            channel_data={"tenant": {"id": tenant_id}},
        )
        conversations = self._client(service_url).conversations
        created = await self._call("create conversation", conversations.create(params))
        return str(created.id)

    async def post(self, service_url: str, conversation_id: str, activity: dict[str, Any]) -> str:
        conversations = self._client(service_url).conversations
        sent = await self._call(
            "send", conversations.create_activity(conversation_id, self._input(activity))
        )
        return str(sent.id)

    async def update(
        self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]
    ) -> None:
        conversations = self._client(service_url).conversations
        await self._call(
            "update",
            conversations.update_activity(conversation_id, activity_id, self._input(activity)),
        )

    async def member(self, service_url: str, conversation_id: str, user_id: str) -> dict[str, Any]:
        conversations = self._client(service_url).conversations
        found = await self._call(
            "get member", conversations.get_member_by_id(conversation_id, user_id)
        )
        return dict(found.model_dump(by_alias=True, exclude_none=True))

    async def team_channels(self, service_url: str, team_id: str) -> list[tuple[str, str]]:
        """The team's channels: (id, name); the General channel has no name here."""
        teams = self._client(service_url).teams
        found = await self._call("list channels", teams.get_conversations(team_id))
        return [(str(c.id), str(c.name or "General")) for c in found if c.id]

    def _input(self, activity: dict[str, Any]) -> MessageActivityInput:
        return MessageActivityInput.model_validate(activity)

    async def _call(self, what: str, call: Awaitable[Any]) -> Any:
        try:
            return await call
        except httpx.HTTPStatusError as exc:
            response = exc.response
            raise classify(what, response.status_code, response.headers, response.text) from exc
        except httpx.HTTPError as exc:  # timeouts, refused and dropped connections
            raise TransientError(f"{what}: {type(exc).__name__}: {exc}", code="connection") from exc
