"""The simulated Microsoft Graph (``{graph}/…``): people, mailbox time zones, directory
roles, the app catalog, app installations, group chats and their messages."""

from __future__ import annotations

import json
import re
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.teams.simulator.http import json_body
from bot.teams.simulator.tenant import Conversation, SimulatedTenant, SimulatedUser

if TYPE_CHECKING:
    from bot.teams.simulator.microsoft import MicrosoftSimulator

TEAMS_ADMIN_ROLE = "69091246-20e8-4a56-aa4d-066075b2a7a8"  # Teams Administrator
USER_BIND = re.compile(r"/users\('([^']+)'\)$")
PAGE = 100


def register(app: web.Application, sim: MicrosoftSimulator) -> None:
    api = GraphApi(sim)
    route, g = sim.route, "/graph/v1.0"
    app.router.add_get(f"{g}/users", route("graph.users", api.users))
    app.router.add_get(f"{g}/users/{{user}}", route("graph.user", api.user))
    app.router.add_get(f"{g}/users/{{user}}/mailboxSettings", route("graph.mailbox", api.mailbox))
    roles = f"{g}/users/{{user}}/transitiveMemberOf/microsoft.graph.directoryRole"
    app.router.add_get(roles, route("graph.roles", api.roles))
    app.router.add_get(f"{g}/appCatalogs/teamsApps", route("graph.catalog", api.catalog))
    installed = f"{g}/users/{{user}}/teamwork/installedApps"
    app.router.add_post(installed, route("graph.user.install", api.install_for_user))
    app.router.add_get(installed, route("graph.user.installed", api.installed_for_user))
    app.router.add_get(f"{installed}/{{installation}}/chat", route("graph.user.chat", api.chat_of))
    app.router.add_post(f"{g}/chats", route("graph.chats.create", api.create_chat))
    app.router.add_post(
        f"{g}/chats/{{chat}}/installedApps", route("graph.chat.install", api.install_in_chat)
    )
    app.router.add_get(f"{g}/chats/{{chat}}/messages", route("graph.messages", api.messages))


class GraphApi:
    def __init__(self, sim: MicrosoftSimulator) -> None:
        self.sim = sim

    def _tenant(self, request: web.Request) -> SimulatedTenant | None:
        tenant_id = self.sim.authorized(request, self.sim.graph_scope)
        return self.sim.tenants.get(tenant_id) if tenant_id else None

    def _user(self, request: web.Request) -> tuple[SimulatedTenant | None, SimulatedUser | None]:
        tenant = self._tenant(request)
        user = tenant.users.get(request.match_info.get("user", "")) if tenant else None
        return tenant, user

    async def users(self, request: web.Request) -> web.Response:
        tenant = self._tenant(request)
        if tenant is None:
            return _unauthorized()
        top = min(int(request.query.get("$top", PAGE)), 999)
        start = int(request.query.get("$skiptoken", 0))
        everyone = sorted(tenant.users.values(), key=lambda u: u.aad_id)
        page = everyone[start : start + top]
        body: dict[str, Any] = {"value": [user_json(u) for u in page]}
        if start + top < len(everyone):
            body["@odata.nextLink"] = (
                f"{self.sim.graph_url}users?$top={top}&$skiptoken={start + top}"
            )
        return web.json_response(body)

    async def user(self, request: web.Request) -> web.Response:
        tenant, user = self._user(request)
        if tenant is None:
            return _unauthorized()
        if user is None:
            return _not_found("Request_ResourceNotFound")
        return web.json_response(user_json(user))

    async def mailbox(self, request: web.Request) -> web.Response:
        tenant, user = self._user(request)
        if tenant is None:
            return _unauthorized()
        if user is None:
            return _not_found("Request_ResourceNotFound")
        if user.mailbox_time_zone is None:
            return _not_found("MailboxNotEnabledForRESTAPI")
        return web.json_response({"timeZone": user.mailbox_time_zone, "language": {}})

    async def roles(self, request: web.Request) -> web.Response:
        tenant, user = self._user(request)
        if tenant is None:
            return _unauthorized()
        if user is None:
            return _not_found("Request_ResourceNotFound")
        roles = [{"id": "r1", "roleTemplateId": TEAMS_ADMIN_ROLE}] if user.admin else []
        return web.json_response({"value": roles})

    async def catalog(self, request: web.Request) -> web.Response:
        tenant = self._tenant(request)
        if tenant is None:
            return _unauthorized()
        wanted = f"externalId eq '{tenant.app_id}'"
        found = request.query.get("$filter", "") == wanted
        app = {"id": tenant.catalog_app_id, "externalId": tenant.app_id, "displayName": "mentorbot"}
        return web.json_response({"value": [app] if found else []})

    async def install_for_user(self, request: web.Request) -> web.Response:
        tenant, user = self._user(request)
        if tenant is None:
            return _unauthorized()
        if user is None:
            return _not_found("Request_ResourceNotFound")
        body = await json_body(request)
        if not _binds_app(body, tenant):
            return _bad("teamsApp@odata.bind must name the app in the catalog")
        if user.aad_id in tenant.installed_for:
            return web.json_response(
                {"error": {"code": "Conflict", "message": "already installed"}}, status=409
            )
        with self.sim.lock:
            tenant.installed_for.add(user.aad_id)
        return web.Response(status=201)

    async def installed_for_user(self, request: web.Request) -> web.Response:
        tenant, user = self._user(request)
        if tenant is None:
            return _unauthorized()
        if user is None:
            return _not_found("Request_ResourceNotFound")
        value = []
        if user.aad_id in tenant.installed_for:
            value.append({"id": f"inst-{user.aad_id}", "teamsApp": {"externalId": tenant.app_id}})
        return web.json_response({"value": value})

    async def chat_of(self, request: web.Request) -> web.Response:
        tenant, user = self._user(request)
        if tenant is None:
            return _unauthorized()
        if user is None or request.match_info["installation"] != f"inst-{user.aad_id}":
            return _not_found("NotFound")
        return web.json_response({"id": tenant.personal(user.aad_id).graph_id})

    async def create_chat(self, request: web.Request) -> web.Response:
        tenant = self._tenant(request)
        if tenant is None:
            return _unauthorized()
        body = await json_body(request)
        members = [_bound_user(m) for m in (body or {}).get("members") or []]
        if not body or body.get("chatType") != "group" or len(members) < 2:
            return _bad("a group chat needs chatType group and two or more members")
        if any(m not in tenant.users or not tenant.users[m].enabled for m in members):
            return _not_found("Request_ResourceNotFound")
        chat_id = f"19:{secrets.token_hex(16)}@thread.v2"
        with self.sim.lock:
            tenant.conversations[chat_id] = Conversation(
                chat_id,
                "groupChat",
                frozenset(members),
                graph_id=chat_id,
                topic=str(body.get("topic") or ""),
                app_installed=False,
            )
        return web.json_response({"id": chat_id, "chatType": "group"}, status=201)

    async def install_in_chat(self, request: web.Request) -> web.Response:
        tenant = self._tenant(request)
        if tenant is None:
            return _unauthorized()
        chat = tenant.conversations.get(request.match_info["chat"])
        if chat is None or chat.kind != "groupChat":
            return _not_found("NotFound")
        if not _binds_app(await json_body(request), tenant):
            return _bad("teamsApp@odata.bind must name the app in the catalog")
        if chat.app_installed:
            return web.json_response({"error": {"code": "Conflict"}}, status=409)
        with self.sim.lock:
            chat.app_installed = True
        return web.Response(status=201)

    async def messages(self, request: web.Request) -> web.Response:
        tenant = self._tenant(request)
        if tenant is None:
            return _unauthorized()
        chat = tenant.conversation(request.match_info["chat"])
        if chat is None or chat.kind == "channel":
            return _not_found("NotFound")
        top = min(int(request.query.get("$top", 50)), 50)
        newest = list(reversed(chat.messages))[:top]
        value = [_chat_message(m.id, m.activity, tenant.app_id) for m in newest]
        return web.json_response({"value": value})


def user_json(user: SimulatedUser) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": user.aad_id,
        "displayName": user.name,
        "givenName": user.given_name,
        "surname": user.surname,
        "jobTitle": user.job_title,
        "department": user.department,
        "userPrincipalName": user.upn,
        "mail": user.upn,
        "accountEnabled": user.enabled,
    }
    if user.manager:
        data["manager"] = {"id": user.manager}
    return data


def _chat_message(message_id: str, activity: dict[str, Any], app_id: str) -> dict[str, Any]:
    attachments = [
        {
            "id": str(i),
            "contentType": a.get("contentType"),
            "content": json.dumps(a.get("content")),
        }
        for i, a in enumerate(activity.get("attachments") or [])
    ]
    return {
        "id": message_id,
        "messageType": "message",
        "from": {"application": {"id": app_id, "applicationIdentityType": "bot"}},
        "body": {"contentType": "html", "content": activity.get("text") or ""},
        "attachments": attachments,
    }


def _bound_user(member: Any) -> str:
    bind = str((member or {}).get("user@odata.bind") or "")
    found = USER_BIND.search(bind)
    return found.group(1) if found else ""


def _binds_app(body: dict[str, Any] | None, tenant: SimulatedTenant) -> bool:
    bind = str((body or {}).get("teamsApp@odata.bind") or "")
    return bind.endswith(f"/appCatalogs/teamsApps/{tenant.catalog_app_id}")


def _unauthorized() -> web.Response:
    return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)


def _not_found(code: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": code}}, status=404)


def _bad(message: str) -> web.Response:
    return web.json_response({"error": {"code": "BadRequest", "message": message}}, status=400)
