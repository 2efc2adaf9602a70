"""Acts as the Teams client and Bot Framework together: activities shaped as Teams sends
them, each with a token signed by the simulated Bot Framework, posted to the app's
``/api/messages`` — messages typed to the bot (with an @mention in a channel), button
clicks (``adaptiveCard/action`` invokes built from the card the app really posted), the
app being installed, people joining and leaving a team."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp

from bot.teams.simulator.microsoft import MicrosoftSimulator
from bot.teams.simulator.tenant import Conversation, Posted, SimulatedTenant, SimulatedUser

_IDS = itertools.count(1)
UNSET: Any = object()
CARD = "application/vnd.microsoft.card.adaptive"


@dataclass
class Reply:
    status: int
    body: Any

    @property
    def card(self) -> dict[str, Any] | None:
        """The card an invoke answered with (it replaces the one clicked)."""
        if isinstance(self.body, dict) and self.body.get("type", "").endswith("card.adaptive"):
            value = self.body.get("value")
            return value if isinstance(value, dict) else None
        return None

    @property
    def message(self) -> str | None:
        """The short message an invoke answered with (shown to the person)."""
        if isinstance(self.body, dict) and self.body.get("type", "").endswith("activity.message"):
            return str(self.body.get("value"))
        return None

    @property
    def dialog(self) -> dict[str, Any] | None:
        """The form a ``task/fetch`` or a refused ``task/submit`` answered with."""
        task = self.body.get("task") if isinstance(self.body, dict) else None
        if isinstance(task, dict) and task.get("type") == "continue":
            card = ((task.get("value") or {}).get("card") or {}).get("content")
            return card if isinstance(card, dict) else None
        return None

    @property
    def closed_with(self) -> str | None:
        """The line a dialog closed with (``task`` of type ``message``)."""
        task = self.body.get("task") if isinstance(self.body, dict) else None
        if isinstance(task, dict) and task.get("type") == "message":
            return str(task.get("value"))
        return None

    def texts(self) -> list[str]:
        if self.card is None:
            return []
        attachment = {"contentType": CARD, "content": self.card}
        return Posted("", {"attachments": [attachment]}).texts()


class TeamsDriver:
    def __init__(
        self, app_url: str, simulator: MicrosoftSimulator, *, tenant_id: str | None = None
    ) -> None:
        self.url = app_url.rstrip("/") + "/api/messages"
        self.sim = simulator
        self.tenant: SimulatedTenant = simulator.tenant(tenant_id)
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> TeamsDriver:
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._session is not None:
            await self._session.close()

    # -- what people do -------------------------------------------------------------------
    async def say(self, user: str, text: str) -> Reply:
        """``user`` types ``text`` to the bot in their personal chat."""
        return await self.post(self.activity(user, "message", text=text))

    async def say_in_channel(self, user: str, channel: str, text: str) -> Reply:
        """``@mentorbot text`` in a team's channel."""
        mention = "<at>mentorbot</at>"
        activity = self.activity(
            user,
            "message",
            text=f"{mention} {text}",
            conversation=self.tenant.conversations[channel],
        )
        activity["entities"].append(
            {
                "type": "mention",
                "text": mention,
                "mentioned": {"id": f"28:{self.sim.app_id}", "name": "mentorbot"},
            }
        )
        return await self.post(activity)

    async def click(
        self,
        user: str,
        posted: Posted,
        verb: str,
        value: str | None = None,
        *,
        seen: dict[str, Any] | None = None,
    ) -> Reply:
        """``user`` clicks the button ``verb`` (whose value is ``value``, if several are).
        ``seen``: the card as the person sees it now, if an answer redrew it for them."""
        action = find_action(seen or posted.card or {}, verb, value)
        if action is None:
            raise LookupError(f"no button {verb!r} on that card")
        return await self.invoke(user, posted, action)

    async def invoke(self, user: str, posted: Posted, action: dict[str, Any]) -> Reply:
        conversation = self.conversation_of(posted)
        activity = self.activity(
            user,
            "invoke",
            name="adaptiveCard/action",
            value={"action": action, "trigger": "manual"},
            conversation=conversation,
            reply_to=posted.id,
        )
        return await self.post(activity)

    async def open_form(self, user: str, posted: Posted, action_id: str) -> Reply:
        """Click a button that opens a dialog (``task/fetch``)."""
        button = _find(
            posted.card or {},
            lambda a: (
                a.get("type") == "Action.Submit"
                and (a.get("data") or {}).get("action_id") == action_id
            ),
        )
        if button is None:
            raise LookupError(f"no form button {action_id!r} on that card")
        return await self._task(user, posted, "task/fetch", dict(button["data"]))

    async def submit_form(
        self, user: str, posted: Posted, form: dict[str, Any], values: dict[str, Any]
    ) -> Reply:
        """Fill in the dialog's ``form`` (field id → text, or a list for checkboxes),
        keeping what is already there, and submit it (``task/submit``)."""
        data: dict[str, Any] = {}
        for field in _inputs(form):
            given = values.get(field["id"], field.get("value"))
            if isinstance(given, list | tuple | set | frozenset):
                given = ",".join(given)
            if given is not None:
                data[field["id"]] = given if isinstance(given, str) else str(given)
        submit = next(a for a in form.get("actions") or [] if a.get("type") == "Action.Submit")
        return await self._task(user, posted, "task/submit", {**submit.get("data", {}), **data})

    async def _task(self, user: str, posted: Posted, name: str, data: dict[str, Any]) -> Reply:
        activity = self.activity(
            user,
            "invoke",
            name=name,
            value={"data": data, "context": {"theme": "default"}},
            conversation=self.conversation_of(posted),
            reply_to=posted.id,
        )
        return await self.post(activity)

    async def install(self, user: str) -> Reply:
        """``user`` adds the app in their personal scope."""
        self.tenant.installed_for.add(user)
        activity = self.activity(user, "conversationUpdate")
        activity["membersAdded"] = [{"id": f"28:{self.sim.app_id}"}]
        return await self.post(activity)

    async def join_team(self, user: str, team_id: str, *, by: str | None = None) -> Reply:
        team = self.tenant.teams[team_id]
        team.members.add(user)
        joined = self.tenant.users[user]
        activity = self._team_event(by or user, team_id, "teamMemberAdded")
        activity["membersAdded"] = [{"id": joined.bot_id, "aadObjectId": user}]
        return await self.post(activity)

    async def leave_team(self, user: str, team_id: str) -> Reply:
        self.tenant.teams[team_id].members.discard(user)
        gone = self.tenant.users[user]
        activity = self._team_event(user, team_id, "teamMemberRemoved")
        activity["membersRemoved"] = [{"id": gone.bot_id, "aadObjectId": user}]
        return await self.post(activity)

    # -- what people read ------------------------------------------------------------------
    def inbox(self, user: str) -> list[Posted]:
        """What the bot posted in ``user``'s personal chat, oldest first."""
        with self.sim.lock:
            return list(self.tenant.messages_to(user))

    def last(self, user: str) -> Posted:
        messages = self.inbox(user)
        if not messages:
            raise LookupError(f"the bot has posted nothing to {user}")
        return messages[-1]

    def conversation_of(self, posted: Posted) -> Conversation:
        for conversation in self.tenant.conversations.values():
            if any(m is posted for m in conversation.messages):
                return conversation
        raise LookupError("that message is in no conversation")

    # -- the wire -----------------------------------------------------------------------
    def activity(
        self,
        user: str,
        kind: str,
        *,
        text: str | None = None,
        name: str | None = None,
        value: Any = None,
        conversation: Conversation | None = None,
        reply_to: str | None = None,
    ) -> dict[str, Any]:
        person: SimulatedUser = self.tenant.users[user]
        where = conversation or self.tenant.personal(user)
        body: dict[str, Any] = {
            "type": kind,
            "id": f"f:{next(_IDS)}",
            "timestamp": datetime.now(UTC).isoformat(),
            "serviceUrl": self.sim.service_url,
            "channelId": "msteams",
            "from": {"id": person.bot_id, "name": person.name, "aadObjectId": user},
            "conversation": {
                "id": where.id,
                "conversationType": where.kind,
                "tenantId": self.tenant.tenant_id,
            },
            "recipient": {"id": f"28:{self.sim.app_id}", "name": "mentorbot"},
            "channelData": {"tenant": {"id": self.tenant.tenant_id}},
            "entities": [
                {"type": "clientInfo", "locale": "en-GB", "timezone": person.client_time_zone}
            ],
            "locale": "en-GB",
        }
        if where.team_id:
            body["channelData"]["team"] = {"id": where.team_id}
            body["channelData"]["channel"] = {"id": where.id}
        for key, item in (
            ("text", text),
            ("name", name),
            ("value", value),
            ("replyToId", reply_to),
        ):
            if item is not None:
                body[key] = item
        return body

    def _team_event(self, user: str, team_id: str, event: str) -> dict[str, Any]:
        activity = self.activity(
            user, "conversationUpdate", conversation=self.tenant.conversations[team_id]
        )
        activity["channelData"]["eventType"] = event
        return activity

    async def post(
        self,
        activity: dict[str, Any] | bytes,
        *,
        token: str | None = UNSET,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """POST one activity, with a valid token unless ``token`` says otherwise."""
        assert self._session is not None, "use the driver as an async context manager"
        if token is UNSET:
            service_url = activity.get("serviceUrl") if isinstance(activity, dict) else None
            token = self.sim.activity_token(service_url)
        sent = {"Content-Type": "application/json", **(headers or {})}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        data = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
        async with self._session.post(self.url, data=data, headers=sent) as response:
            raw = await response.text()
            try:
                body: Any = json.loads(raw) if raw else None
            except ValueError:
                body = raw
            return Reply(response.status, body)


def _find(node: Any, wanted: Any) -> dict[str, Any] | None:
    if isinstance(node, dict):
        if wanted(node):
            return node
        children = list(node.values())
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _find(child, wanted)
        if found is not None:
            return found
    return None


def _inputs(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Input.") and node.get("id"):
            found.append(node)
        for child in node.values():
            found.extend(_inputs(child))
    elif isinstance(node, list):
        for child in node:
            found.extend(_inputs(child))
    return found


def find_action(node: Any, verb: str, value: str | None = None) -> dict[str, Any] | None:
    """The ``Action.Execute`` with this verb on a card (inside confirmations too)."""
    if isinstance(node, dict):
        if node.get("type") == "Action.Execute" and node.get("verb") == verb:
            data = node.get("data") or {}
            if value is None or data.get("value") == value:
                return node
        for child in node.values():
            found = find_action(child, verb, value)
            if found is not None:
                return found
    elif isinstance(node, list):
        for item in node:
            found = find_action(item, verb, value)
            if found is not None:
                return found
    return None
