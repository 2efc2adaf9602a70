"""Microsoft Graph, for what the Bot Connector cannot do: profiles with job titles and
time zones, directory paging, admin roles, real group chats, and reading a chat back
(the exactly-once look-up). Used only with ``TEAMS_GRAPH_PERMISSIONS`` on.

Each call carries an app token for the tenant whose data it reads. A next-page link is
followed only when it points into the configured Graph address: the token must never
be sent anywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import httpx

from bot.platform import TransientError
from bot.teams.errors import classify
from bot.teams.tokens import Tokens, graph_scope

USER_FIELDS = (
    "id,displayName,givenName,surname,jobTitle,department,accountEnabled,userPrincipalName,mail"
)
# Directory roles that make someone a Teams admin: Global, Teams, Teams Communications.
ADMIN_ROLES = frozenset(
    {
        "62e90394-69f5-4237-9190-012177145e10",
        "69091246-20e8-4a56-aa4d-066075b2a7a8",
        "baf37b3a-610e-45da-9e62-d9d1e5e8914b",
    }
)
PAGE = 999


class Graph:
    def __init__(self, base_url: str, app_id: str, tokens: Tokens, http: httpx.AsyncClient):
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.app_id = app_id
        self.tokens = tokens
        self.scope = graph_scope(self.base)
        self.http = http
        self._catalog: dict[str, str] = {}

    # -- people -------------------------------------------------------------------------
    async def user(self, tenant: str, user_id: str) -> dict[str, Any] | None:
        path = f"users/{_id(user_id)}?$select={USER_FIELDS}&$expand=manager($select=id)"
        return await self._get(tenant, path, missing=(404,))

    async def mailbox_time_zone(self, tenant: str, user_id: str) -> str | None:
        found = await self._get(tenant, f"users/{_id(user_id)}/mailboxSettings", missing=(403, 404))
        zone = (found or {}).get("timeZone")
        return zone if isinstance(zone, str) and zone else None

    async def is_admin(self, tenant: str, user_id: str) -> bool:
        path = (
            f"users/{_id(user_id)}/transitiveMemberOf/microsoft.graph.directoryRole"
            "?$select=roleTemplateId"
        )
        found = await self._get(tenant, path, missing=(403, 404))
        roles = (found or {}).get("value") or []
        return any(isinstance(r, dict) and r.get("roleTemplateId") in ADMIN_ROLES for r in roles)

    async def users_page(
        self, tenant: str, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        if cursor is not None and not cursor.startswith(self.base):
            raise TransientError("a directory page link outside Graph was not followed")
        path = cursor or f"users?$select={USER_FIELDS}&$expand=manager($select=id)&$top={PAGE}"
        found = await self._get(tenant, path) or {}
        people = [u for u in found.get("value") or [] if isinstance(u, dict)]
        following = found.get("@odata.nextLink")
        return people, following if isinstance(following, str) else None

    # -- group chats --------------------------------------------------------------------
    async def catalog_app_id(self, tenant: str) -> str:
        """The app's id in the tenant's app catalog (installs need it)."""
        if tenant not in self._catalog:
            found = await self._get(
                tenant, f"appCatalogs/teamsApps?$filter=externalId eq '{self.app_id}'"
            )
            apps = (found or {}).get("value") or []
            if not apps or not isinstance(apps[0], dict) or not apps[0].get("id"):
                raise TransientError("mentorbot is not in the tenant's app catalog", code="catalog")
            self._catalog[tenant] = str(apps[0]["id"])
        return self._catalog[tenant]

    async def install_for_user(self, tenant: str, user_id: str) -> None:
        body = {"teamsApp@odata.bind": await self._app_bind(tenant)}
        await self._send(
            tenant, "POST", f"users/{_id(user_id)}/teamwork/installedApps", body, ok=(409,)
        )

    async def create_group_chat(self, tenant: str, user_ids: Sequence[str], topic: str) -> str:
        members = [
            {
                "@odata.type": "#microsoft.graph.aadUserConversationMember",
                "roles": ["owner"],
                "user@odata.bind": f"{self.base}users('{_id(user)}')",
            }
            for user in user_ids
        ]
        body = {"chatType": "group", "topic": topic[:250], "members": members}
        created = await self._send(tenant, "POST", "chats", body)
        chat_id = (created or {}).get("id")
        if not isinstance(chat_id, str) or not chat_id:
            raise TransientError("Graph created a chat without an id", code="graph")
        return chat_id

    async def install_in_chat(self, tenant: str, chat_id: str) -> None:
        body = {"teamsApp@odata.bind": await self._app_bind(tenant)}
        await self._send(tenant, "POST", f"chats/{_id(chat_id)}/installedApps", body, ok=(409,))

    async def personal_chat_id(self, tenant: str, user_id: str) -> str | None:
        """The Graph id of the bot's 1:1 chat with ``user_id`` (None if not installed)."""
        path = (
            f"users/{_id(user_id)}/teamwork/installedApps?$expand=teamsApp"
            f"&$filter=teamsApp/externalId eq '{self.app_id}'"
        )
        found = await self._get(tenant, path, missing=(404,))
        installs = (found or {}).get("value") or []
        if not installs or not isinstance(installs[0], dict):
            return None
        installation = _id(str(installs[0].get("id") or ""))
        chat = await self._get(
            tenant,
            f"users/{_id(user_id)}/teamwork/installedApps/{installation}/chat",
            missing=(404,),
        )
        chat_id = (chat or {}).get("id")
        return chat_id if isinstance(chat_id, str) else None

    async def chat_messages(self, tenant: str, chat_id: str) -> list[dict[str, Any]]:
        found = await self._get(tenant, f"chats/{_id(chat_id)}/messages?$top=50")
        return [m for m in (found or {}).get("value") or [] if isinstance(m, dict)]

    # -- plumbing -----------------------------------------------------------------------
    async def _app_bind(self, tenant: str) -> str:
        return f"{self.base}appCatalogs/teamsApps/{await self.catalog_app_id(tenant)}"

    async def _get(
        self, tenant: str, path: str, *, missing: tuple[int, ...] = ()
    ) -> dict[str, Any] | None:
        return await self._send(tenant, "GET", path, None, missing=missing)

    async def _send(
        self,
        tenant: str,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        *,
        ok: tuple[int, ...] = (),
        missing: tuple[int, ...] = (),
    ) -> dict[str, Any] | None:
        url = path if path.startswith(self.base) else self.base + path
        token = await self.tokens.token(self.scope, tenant)
        headers = {"Authorization": f"Bearer {token}"}
        what = f"Graph {method} {path.split('?')[0][:80]}"
        try:
            response = await self.http.request(method, url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise TransientError(f"{what}: {type(exc).__name__}: {exc}", code="connection") from exc
        if response.status_code in missing:
            return None
        if response.status_code in ok:
            return {}
        if response.status_code >= 300:
            raise classify(what, response.status_code, response.headers, response.text)
        if not response.content:
            return {}
        try:
            data = response.json()
        except ValueError as exc:
            raise TransientError(f"{what}: the answer is not JSON", code="graph") from exc
        return data if isinstance(data, dict) else {}


def _id(value: str) -> str:
    return quote(value, safe=":@.-_")
