"""Where each tenant's messages go, and what this process remembers about Teams.

Teams tells a bot its Bot Connector address (``serviceUrl``) on every activity, signed
into the token; it may differ by tenant and, rarely, change. mentorbot keeps the latest
one of each tenant in the database (a workspace route, ``service_url``), read back by
the clock, the worker and the CLI, which never see an activity themselves. Where each
person's home card is is kept there too (``home``), so a restart updates the same card
instead of posting a new one. Conversations keep the address they were last seen with.

What only makes things faster or nicer is kept in memory: people's personal chat ids
(creating one again returns the same id), their per-bot ``29:`` ids (for the home card's
automatic refresh), the members behind a group introduction sent as one card each, and
which of those cards a send already delivered.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.platform import SentMessage, TransientError
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

SERVICE_URL = "service_url"  # workspace route: {"url": …}
HOME = "home"  # workspace route per user id: {"conversation": …, "message_id": …}
MAX_SERVICE_URL = 200


@dataclass
class Routes:
    uow: UnitOfWorkFactory
    clock: Clock
    tenant_urls: dict[int, str] = field(default_factory=dict)  # workspace id → serviceUrl
    conversation_urls: dict[str, str] = field(default_factory=dict)
    personal: dict[tuple[str, str], str] = field(default_factory=dict)  # (tenant, user)
    bot_ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (tenant, user) → 29:…
    zones: dict[tuple[str, str], str] = field(default_factory=dict)  # as the client reports
    upns: dict[tuple[str, str], str] = field(default_factory=dict)  # for group chat links
    chats: dict[tuple[str, frozenset[str]], str] = field(default_factory=dict)  # made, not yet used
    installed: set[tuple[str, str]] = field(default_factory=set)  # (tenant, user) has the app
    channels: dict[str, dict[str, str]] = field(default_factory=dict)  # tenant → id → name
    homes: dict[tuple[str, str], SentMessage] = field(default_factory=dict)
    fanouts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    delivered: dict[tuple[str, str], SentMessage] = field(default_factory=dict)  # (key, user)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def learn(self, workspace: WorkspaceRecord, service_url: str, conversation: str) -> None:
        """Remember the address a signed activity came with (stored when it changed)."""
        url = service_url if service_url.endswith("/") else service_url + "/"
        if len(url) > MAX_SERVICE_URL or not url.startswith(("https://", "http://")):
            log.warning("ignored a serviceUrl mentorbot cannot use: %.80s", url)
            return
        self.conversation_urls[conversation] = url
        if self.tenant_urls.get(workspace.id) == url:
            return
        async with self._lock:
            async with self.uow(workspace.id) as unit:
                stored = await unit.routes.get(SERVICE_URL)
                if (stored or {}).get("url") != url:
                    await unit.routes.put(SERVICE_URL, "", {"url": url}, now=self.clock())
                    await unit.commit()
                    log.info("tenant %s is served at %s", workspace.external_id, url)
            self.tenant_urls[workspace.id] = url

    async def service_url(self, workspace: WorkspaceRecord, conversation: str | None = None) -> str:
        """The Bot Connector address for ``conversation`` (else for the tenant)."""
        if conversation is not None and conversation in self.conversation_urls:
            return self.conversation_urls[conversation]
        known = self.tenant_urls.get(workspace.id)
        if known is not None:
            return known
        async with self.uow(workspace.id, read_only=True) as unit:
            route = await unit.routes.get(SERVICE_URL)
        stored = route.get("url") if route else None
        if not isinstance(stored, str):
            raise TransientError(
                f"Teams has not told mentorbot where tenant {workspace.external_id} is served "
                "yet (it does with the first message or installation there)",
                code="no_service_url",
            )
        self.tenant_urls[workspace.id] = stored
        return stored

    async def home(self, workspace: WorkspaceRecord, user_id: str) -> SentMessage | None:
        """Where the person's home card is (from memory, else from the database)."""
        key = (workspace.external_id, user_id)
        known = self.homes.get(key)
        if known is not None:
            return known
        async with self.uow(workspace.id, read_only=True) as unit:
            route = await unit.routes.get(HOME, user_id)
        if route and isinstance(route.get("conversation"), str) and route.get("message_id"):
            self.homes[key] = SentMessage(route["conversation"], str(route["message_id"]))
        return self.homes.get(key)

    async def remember_home(
        self, workspace: WorkspaceRecord, user_id: str, where: SentMessage
    ) -> None:
        self.homes[(workspace.external_id, user_id)] = where
        async with self.uow(workspace.id) as unit:
            value = {"conversation": where.conversation, "message_id": where.message_id}
            await unit.routes.put(HOME, user_id, value, now=self.clock())
            await unit.commit()
