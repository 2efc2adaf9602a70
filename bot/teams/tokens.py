"""Tokens mentorbot presents to the Bot Connector and to Graph (OAuth2 client credentials).

- With ``TEAMS_TOKEN_URL`` set: that endpoint, called with a plain HTTP POST
  (``grant_type=client_credentials``, ``client_id``, ``client_secret``, ``scope``); a
  ``{tenant}`` in the address is replaced by the tenant the token is for. This is how the
  tests and the demo point mentorbot at a simulated Microsoft (msal refuses any authority
  that is not Microsoft's) — and how a proxy can be put in front.
- Otherwise: the Teams SDK's token manager (msal, against ``login.microsoftonline.com``).

Bot Connector tokens come from the bot's own tenant (a single-tenant app) or from
``botframework.com`` (multi-tenant); Graph tokens from the tenant whose data is read.
Tokens are cached until five minutes before they expire. A token that cannot be had is
a ``TransientError``: it is the operator's configuration, not the person's fault, so
nothing is marked undeliverable for it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

import httpx

from bot.platform import TransientError

log = logging.getLogger(__name__)

BOT_SCOPE = "https://api.botframework.com/.default"
MULTI_TENANT_BOT_AUTHORITY = "botframework.com"
EARLY = 300.0  # renew this long before expiry


class Tokens(Protocol):
    async def token(self, scope: str, tenant: str) -> str: ...


class ClientCredentials:
    """A client-credentials token endpoint of our choosing (``TEAMS_TOKEN_URL``)."""

    def __init__(
        self,
        url: str,
        client_id: str,
        client_secret: str,
        http: httpx.AsyncClient,
        *,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url, self.client_id, self.client_secret = url, client_id, client_secret
        self.http, self.now = http, now
        self._cache: dict[tuple[str, str], tuple[str, float]] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def token(self, scope: str, tenant: str) -> str:
        key = (scope, tenant)
        cached = self._cache.get(key)
        if cached is not None and cached[1] > self.now():
            return cached[0]
        async with self._locks.setdefault(key, asyncio.Lock()):
            cached = self._cache.get(key)
            if cached is not None and cached[1] > self.now():
                return cached[0]
            token, lifetime = await self._fetch(scope, tenant)
            self._cache[key] = (token, self.now() + max(lifetime - EARLY, lifetime / 2))
            return token

    async def _fetch(self, scope: str, tenant: str) -> tuple[str, float]:
        url = self.url.replace("{tenant}", tenant)
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "scope": scope,
        }
        try:
            response = await self.http.post(url, data=form)
            body: Any = response.json() if response.content else {}
        except (httpx.HTTPError, ValueError) as exc:
            raise TransientError(f"token endpoint: {exc}", code="token") from exc
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code != 200 or not isinstance(token, str) or not token:
            problem = body.get("error") if isinstance(body, dict) else None
            log.error(
                "no token for %s in %s: HTTP %s %s", scope, tenant, response.status_code, problem
            )
            raise TransientError(
                f"token endpoint answered {response.status_code} ({problem or 'no token'})",
                code="token",
            )
        lifetime = body.get("expires_in")
        return token, float(lifetime) if isinstance(lifetime, int | float | str) else 3600.0


class SdkTokens:
    """Production: the Teams SDK's token manager (msal client credentials)."""

    def __init__(self, client_id: str, client_secret: str, tenant: str | None) -> None:
        from bot.teams import sdk

        api: Any = sdk.load("microsoft_teams.api")
        manager: Any = sdk.load("microsoft_teams.apps.token_manager")
        credentials = api.ClientCredentials(
            client_id=client_id, client_secret=client_secret, tenant_id=tenant
        )
        self._manager = manager.TokenManager(credentials=credentials)

    async def token(self, scope: str, tenant: str) -> str:
        try:
            found = await self._manager.get_app_token(scope, tenant)
        except Exception as exc:  # msal and its HTTP client raise many kinds
            raise TransientError(f"no token from Microsoft: {exc}", code="token") from exc
        if found is None:
            raise TransientError("no token from Microsoft", code="token")
        return str(found)


def bot_authority(tenant: str | None) -> str:
    """Where Bot Connector tokens come from: the app's tenant, or Bot Framework's."""
    return tenant or MULTI_TENANT_BOT_AUTHORITY


def graph_scope(graph_url: str) -> str:
    """``https://graph.microsoft.com/v1.0/`` → ``https://graph.microsoft.com/.default``."""
    parts = httpx.URL(graph_url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.host}{port}/.default"
