"""The simulated Bot Connector (``{serviceUrl}/v3/…``), as Teams answers a bot.

Creating a personal conversation returns the same ``a:…`` id every time; posting into a
chat the bot is not in, or to someone who blocked it, is refused as Teams refuses it
(403, ``MessageWritesBlocked`` in the body for a blocked bot); an activity larger than
Teams accepts is a 413.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.teams.simulator.http import BOT_SCOPE, error, json_body
from bot.teams.simulator.tenant import Conversation, Posted, SimulatedTenant, SimulatedUser

if TYPE_CHECKING:
    from bot.teams.simulator.microsoft import MicrosoftSimulator

MAX_ACTIVITY_BYTES = 40_000
BLOCKED = {
    "errorCode": 209,
    "message": json.dumps(
        {
            "subCode": "MessageWritesBlocked",
            "details": "Thread is blocked from message writes.",
            "errorCode": None,
            "errorSubCode": None,
        }
    ),
}
CARD = "application/vnd.microsoft.card.adaptive"


def register(app: web.Application, sim: MicrosoftSimulator) -> None:
    api = ConnectorApi(sim)
    conversation = "/teams/v3/conversations/{conversation}"
    route = sim.route
    app.router.add_post("/teams/v3/conversations", route("connector.create", api.create))
    app.router.add_post(f"{conversation}/activities", route("connector.post", api.post))
    app.router.add_put(
        f"{conversation}/activities/{{activity}}", route("connector.update", api.update)
    )
    app.router.add_get(f"{conversation}/members/{{member}}", route("connector.member", api.member))
    app.router.add_get(f"{conversation}/pagedMembers", route("connector.members", api.members))
    app.router.add_get(
        "/teams/v3/teams/{team}/conversations", route("connector.channels", api.channels)
    )


class ConnectorApi:
    def __init__(self, sim: MicrosoftSimulator) -> None:
        self.sim = sim

    def _authorized(self, request: web.Request) -> bool:
        return self.sim.authorized(request, BOT_SCOPE) is not None

    def _find(self, conversation_id: str) -> tuple[SimulatedTenant, Conversation] | None:
        for tenant in self.sim.tenants.values():
            found = tenant.conversation(conversation_id)
            if found is not None:
                return tenant, found
        return None

    async def create(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return error(401, "Unauthorized", "Authorization has been denied")
        body = await json_body(request)
        if body is None:
            return error(400, "BadArgument", "not JSON")
        tenant = self.sim.tenants.get(str(body.get("tenantId") or ""))
        members = body.get("members") or []
        if tenant is None or body.get("isGroup") or len(members) != 1:
            return error(400, "BadArgument", "a personal conversation with one member")
        user = _user(tenant, str((members[0] or {}).get("id") or ""))
        if user is None or not user.enabled:
            return error(404, "NotFound", "user not found")
        in_a_team = any(user.aad_id in team.members for team in tenant.teams.values())
        if user.aad_id not in tenant.installed_for and not in_a_team:
            return error(403, "ForbiddenOperationException", "Bot is not installed for the user")
        with self.sim.lock:
            conversation = tenant.personal(user.aad_id)
        return web.json_response({"id": conversation.id}, status=201)

    async def post(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return error(401, "Unauthorized", "Authorization has been denied")
        raw = await request.read()
        body = await json_body(request)
        if body is None or body.get("type") != "message":
            return error(400, "BadArgument", "an activity of type message")
        if len(raw) > MAX_ACTIVITY_BYTES:
            return error(413, "MessageSizeTooBig", "Activity body too large")
        problem = _card_problem(body)
        if problem:
            return error(400, "BadArgument", problem)
        found = self._find(request.match_info["conversation"])
        if found is None:
            return error(404, "ConversationNotFound", "Conversation not found")
        tenant, conversation = found
        refused = _refused(tenant, conversation)
        if refused is not None:
            return refused
        with self.sim.lock:
            posted = Posted(tenant.next_id(), body)
            conversation.messages.append(posted)
        return web.json_response({"id": posted.id}, status=201)

    async def update(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return error(401, "Unauthorized", "Authorization has been denied")
        body = await json_body(request)
        if body is None or _card_problem(body):
            return error(400, "BadArgument", _card_problem(body or {}) or "not JSON")
        found = self._find(request.match_info["conversation"])
        activity_id = request.match_info["activity"]
        target = (
            next((m for m in found[1].messages if m.id == activity_id), None) if found else None
        )
        if found is None or target is None or target.from_user is not None:
            return error(404, "NotFound", "Activity not found")
        refused = _refused(*found)
        if refused is not None:
            return refused
        with self.sim.lock:
            target.activity = body
            target.updates += 1
        return web.json_response({"id": activity_id})

    async def member(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return error(401, "Unauthorized", "Authorization has been denied")
        found = self._find(request.match_info["conversation"])
        user = _user(found[0], request.match_info["member"]) if found else None
        if found is None or user is None or not user.enabled:
            return error(404, "MemberNotFoundInConversation", "Member not found")
        return web.json_response(member_json(user, found[0].tenant_id))

    async def members(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return error(401, "Unauthorized", "Authorization has been denied")
        found = self._find(request.match_info["conversation"])
        if found is None:
            return error(404, "ConversationNotFound", "Conversation not found")
        tenant, conversation = found
        team = tenant.teams.get(conversation.team_id or "")
        ids = sorted(team.members if team else conversation.members)
        people = [member_json(tenant.users[i], tenant.tenant_id) for i in ids if i in tenant.users]
        return web.json_response({"members": people})

    async def channels(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return error(401, "Unauthorized", "Authorization has been denied")
        for tenant in self.sim.tenants.values():
            team = tenant.teams.get(request.match_info["team"])
            if team is not None:
                listed = [{"id": cid, "name": name} for cid, name in team.channels.items()]
                return web.json_response({"conversations": listed})
        return error(404, "NotFound", "Team not found")


def member_json(user: SimulatedUser, tenant_id: str) -> dict[str, Any]:
    return {
        "id": user.bot_id,
        "name": user.name,
        "aadObjectId": user.aad_id,
        "givenName": user.given_name,
        "surname": user.surname,
        "email": user.upn,
        "userPrincipalName": user.upn,
        "tenantId": tenant_id,
        "userRole": "user",
    }


def _user(tenant: SimulatedTenant, member_id: str) -> SimulatedUser | None:
    found = tenant.users.get(member_id)
    if found is not None:
        return found
    return next((u for u in tenant.users.values() if u.bot_id == member_id), None)


def _refused(tenant: SimulatedTenant, conversation: Conversation) -> web.Response | None:
    if conversation.kind == "personal":
        user = tenant.users.get(next(iter(conversation.members)))
        if user is not None and user.blocked_bot:
            return web.json_response(BLOCKED, status=403)
        if user is not None and not user.enabled:
            return error(403, "ForbiddenOperationException", "User is disabled")
    elif not conversation.app_installed:
        return error(403, "BotNotInConversationRoster", "The bot is not part of the roster")
    return None


def _card_problem(activity: dict[str, Any]) -> str | None:
    """Why Teams would refuse this activity's card (None: it would show it)."""
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") != CARD:
            continue
        card = attachment.get("content")
        if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
            return "an Adaptive Card attachment needs a card"
        if not isinstance(card.get("body"), list) or not card.get("version"):
            return "an Adaptive Card needs a body and a version"
    return None
