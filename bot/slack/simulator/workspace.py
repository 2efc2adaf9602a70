"""The state behind the simulated Slack Web API: teams, people, conversations, messages.

Answers follow Slack's documented shapes for the methods mentorbot uses; Block Kit
payloads are checked against Slack's main limits so a bug that Slack would reject
(a header over 150 characters, 51 blocks …) fails here too, with ``invalid_blocks``.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.slack.simulator.view_rules import view_problem

TRIGGER_SECONDS = 3.0  # Slack: "trigger_id … expires in 3 seconds", and works once
BOT_USER_ID = "U0MENTORBOT"
BOT_ID = "B0MENTORBOT"
APP_ID = "A0MENTORBOT"


@dataclass
class SimulatedUser:
    id: str
    name: str
    real_name: str
    title: str = ""
    tz: str = "UTC"
    tz_offset: int = 0
    is_admin: bool = False
    is_owner: bool = False
    deleted: bool = False

    def to_slack(self, team_id: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": self.deleted,
            "tz": self.tz,
            "tz_label": self.tz,
            "tz_offset": self.tz_offset,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_bot": False,
            "profile": {
                "title": self.title,
                "real_name": self.real_name,
                "display_name": self.name,
                "real_name_normalized": self.real_name,
                "display_name_normalized": self.name,
            },
        }


@dataclass
class SimulatedTeam:
    id: str
    name: str
    token: str
    users: dict[str, SimulatedUser] = field(default_factory=dict)
    channels: dict[str, set[str]] = field(default_factory=dict)  # channel id → members


@dataclass
class PostedMessage:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    metadata: dict[str, Any] | None = None
    user: str | None = None  # set for ephemeral messages
    updates: int = 0


class SimulatedWorkspace:
    """One or more Slack teams, as the Web API would show them to mentorbot."""

    def __init__(
        self,
        team_id: str = "T0001",
        name: str = "Acme",
        token: str = "xoxb-sim",  # noqa: S107 - a simulated token
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.teams: dict[str, SimulatedTeam] = {}
        self.messages: dict[str, list[PostedMessage]] = {}
        self.ephemeral: list[PostedMessage] = []
        self.conversations: dict[frozenset[str], str] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.view_triggers: dict[str, str] = {}  # trigger_id → id of the view it opened
        self.triggers: dict[str, float] = {}  # trigger_id → when it was given (monotonic)
        self.trigger_waits: dict[str, float] = {}  # trigger_id → seconds until views.open
        self.refused_triggers: dict[str, str] = {}  # trigger_id → why views.open failed
        self.monotonic = monotonic
        self.homes: dict[str, dict[str, Any]] = {}
        self.responses: dict[str, list[dict[str, Any]]] = {}
        self.installs: dict[str, tuple[str, str, str]] = {}  # oauth code → team, name, installer
        self.app_tokens: dict[str, str] = {}  # Socket Mode app token (xapp-…) → team id
        self.socket_url: str | None = None  # where apps.connections.open sends the app
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self.add_team(team_id, name, token)

    # -- set-up ----------------------------------------------------------------------
    def add_team(self, team_id: str, name: str, token: str) -> SimulatedTeam:
        self.teams[team_id] = team = SimulatedTeam(team_id, name, token)
        return team

    def add_user(self, user: SimulatedUser, team_id: str = "T0001") -> SimulatedUser:
        self.teams[team_id].users[user.id] = user
        return user

    def add_channel(
        self, channel_id: str, members: set[str] | None = None, team_id: str = "T0001"
    ) -> None:
        self.teams[team_id].channels[channel_id] = set(members or ())

    def prepare_install(self, code: str, team_id: str, name: str, installer: str) -> None:
        """``oauth.v2.access`` with ``code`` will install the app into this new team."""
        self.installs[code] = (team_id, name, installer)

    def issue_trigger(self, trigger_id: str) -> str:
        """A command or click happened: its trigger id is good for ``TRIGGER_SECONDS``."""
        self.triggers[trigger_id] = self.monotonic()
        return trigger_id

    def team_for_token(self, token: str) -> str | None:
        if token in self.app_tokens:
            return self.app_tokens[token]
        return next((t.id for t in self.teams.values() if t.token == token and token), None)

    # -- reading back ------------------------------------------------------------------
    def messages_in(self, channel: str) -> list[PostedMessage]:
        return list(self.messages.get(channel, []))

    def all_messages(self) -> list[PostedMessage]:
        return [m for channel in self.messages.values() for m in channel]

    def conversation_of(self, user_ids: set[str] | frozenset[str]) -> str | None:
        return self.conversations.get(frozenset(user_ids))

    def record_response(self, key: str, body: dict[str, Any]) -> None:
        self.responses.setdefault(key, []).append(body)

    # -- the Web API -------------------------------------------------------------------
    def handle(self, method: str, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        try:
            result: dict[str, Any] = handler(params, team_id)
        except KeyError as exc:
            return {"ok": False, "error": "invalid_arguments", "detail": f"missing {exc}"}
        return result

    def _api_test(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        return {"ok": True, "args": params}

    def _auth_test(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        team = self.teams[team_id]
        return {
            "ok": True,
            "url": f"https://{team.id.lower()}.slack.com/",
            "team": team.name,
            "user": "mentorbot",
            "team_id": team.id,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _team_info(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        team = self.teams[team_id]
        return {"ok": True, "team": {"id": team.id, "name": team.name, "domain": team.id.lower()}}

    def _users_info(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        user = self.teams[team_id].users.get(str(params["user"]))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user.to_slack(team_id)}

    def _users_list(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        users = [u.to_slack(team_id) for u in self.teams[team_id].users.values()]
        start = int(str(params.get("cursor") or "0").removeprefix("page:") or 0)
        limit = max(1, min(int(params.get("limit") or 1000), 1000))
        page, rest = users[start : start + limit], users[start + limit :]
        cursor = f"page:{start + limit}" if rest else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": cursor}}

    def _conversations_open(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        team = self.teams[team_id]
        if params.get("channel"):
            return {"ok": True, "channel": {"id": params["channel"]}}
        users = [u for u in str(params["users"]).split(",") if u]
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        if len(users) > 8:
            return {"ok": False, "error": "too_many_users"}
        for user_id in users:
            user = team.users.get(user_id)
            if user is None:
                return {"ok": False, "error": "user_not_found"}
            if user.deleted:
                return {"ok": False, "error": "user_disabled"}
        key = frozenset(users)
        if key not in self.conversations:
            prefix = "D" if len(users) == 1 else "G"
            digest = hashlib.sha256(",".join(sorted(users)).encode()).hexdigest()[:9].upper()
            self.conversations[key] = channel = f"{prefix}{digest}"
            team.channels[channel] = set(users) | {BOT_USER_ID}
        return {"ok": True, "channel": {"id": self.conversations[key]}}

    def _conversations_members(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        members = self.teams[team_id].channels.get(str(params["channel"]))
        if members is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "members": sorted(members), "response_metadata": {"next_cursor": ""}}

    def _chat_postMessage(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        channel = self._channel(params, team_id)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        problem = _check_message(params)
        if problem:
            return {"ok": False, "error": problem}
        message = PostedMessage(
            channel,
            self._next_ts(),
            str(params.get("text", "")),
            list(params.get("blocks") or []),
            metadata=params.get("metadata") or None,
        )
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": message.ts, "message": _as_slack(message)}

    def _chat_update(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        for message in self.messages.get(str(params["channel"]), []):
            if message.ts == str(params["ts"]):
                problem = _check_message(params)
                if problem:
                    return {"ok": False, "error": problem}
                message.text = str(params.get("text", message.text))
                message.blocks = list(params.get("blocks") or [])
                message.updates += 1
                return {"ok": True, "channel": message.channel, "ts": message.ts}
        return {"ok": False, "error": "message_not_found"}

    def _chat_postEphemeral(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        channel = self._channel(params, team_id)
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if str(params["user"]) not in self.teams[team_id].users:
            return {"ok": False, "error": "user_not_found"}
        problem = _check_message(params)
        if problem:
            return {"ok": False, "error": problem}
        message = PostedMessage(
            channel,
            self._next_ts(),
            str(params.get("text", "")),
            list(params.get("blocks") or []),
            user=str(params["user"]),
        )
        self.ephemeral.append(message)
        return {"ok": True, "message_ts": message.ts}

    def _conversations_history(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        channel = str(params["channel"])
        if channel not in self.teams[team_id].channels:
            return {"ok": False, "error": "channel_not_found"}
        limit = int(params.get("limit", 100))
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        newest_first = list(reversed(self.messages.get(channel, [])))[:limit]
        return {
            "ok": True,
            "messages": [_as_slack(m, with_metadata=with_metadata) for m in newest_first],
            "has_more": False,
        }

    def _views_open(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        trigger = str(params.get("trigger_id") or "")
        problem = self._trigger_problem(trigger)
        if problem is not None:
            self.refused_triggers[trigger] = problem
            return {"ok": False, "error": problem}
        result = self._store_view(dict(params["view"]), team_id)
        if result["ok"]:
            self.view_triggers[trigger] = result["view"]["id"]
            self.trigger_waits[trigger] = self.monotonic() - self.triggers[trigger]
        return result

    def _trigger_problem(self, trigger: str) -> str | None:
        """Slack's answers to a trigger id it never gave, gave too long ago, or saw used."""
        issued = self.triggers.get(trigger)
        if issued is None:
            return "invalid_trigger_id"
        if trigger in self.view_triggers:
            return "exchanged_trigger_id"
        if self.monotonic() - issued > TRIGGER_SECONDS:
            return "expired_trigger_id"
        return None

    def _views_push(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        return self._views_open(params, team_id)

    def _views_update(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        view_id = str(params.get("view_id", ""))
        if view_id not in self.views:
            return {"ok": False, "error": "not_found"}
        return self._store_view(dict(params["view"]), team_id, view_id=view_id)

    def _views_publish(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        view = dict(params["view"])
        problem = _check_blocks(view.get("blocks") or [], limit=100)
        if problem:
            return {"ok": False, "error": problem}
        view_id = f"VH{params['user_id']}"
        self.homes[str(params["user_id"])] = view
        return {"ok": True, "view": {**view, "id": view_id, "team_id": team_id}}

    def _apps_connections_open(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        if self.socket_url is None:
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": f"{self.socket_url}?ticket={next(self._ids)}"}

    def _oauth_v2_access(self, params: dict[str, Any], team_id: str) -> dict[str, Any]:
        install = self.installs.pop(str(params.get("code", "")), None)
        if install is None:
            return {"ok": False, "error": "invalid_code"}
        new_team, name, installer = install
        token = f"xoxb-{new_team.lower()}-{next(self._ids)}"
        if new_team not in self.teams:
            self.add_team(new_team, name, token)
        self.teams[new_team].token = token
        return {
            "ok": True,
            "app_id": APP_ID,
            "access_token": token,
            "token_type": "bot",
            "scope": "commands,chat:write",
            "bot_user_id": BOT_USER_ID,
            "team": {"id": new_team, "name": name},
            "enterprise": None,
            "authed_user": {"id": installer},
            "is_enterprise_install": False,
        }

    # -- helpers -------------------------------------------------------------------------
    def _store_view(
        self, view: dict[str, Any], team_id: str, view_id: str | None = None
    ) -> dict[str, Any]:
        problem = _check_view(view)
        if problem:
            return {"ok": False, "error": problem}
        view_id = view_id or f"V{next(self._ids):08d}"
        stored = {
            **view,
            "id": view_id,
            "team_id": team_id,
            "state": {"values": {}},
            "hash": view_id,
        }
        self.views[view_id] = stored
        return {"ok": True, "view": stored}

    def _channel(self, params: dict[str, Any], team_id: str) -> str | None:
        channel = str(params.get("channel", ""))
        team = self.teams[team_id]
        if channel in team.channels:
            return channel
        if channel in team.users:  # posting to a user id opens their DM
            response = self._conversations_open({"users": channel}, team_id)
            return str(response["channel"]["id"]) if response["ok"] else None
        return None

    def _next_ts(self) -> str:
        return f"1760000000.{next(self._ts):06d}"


def _as_slack(message: PostedMessage, *, with_metadata: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "message",
        "ts": message.ts,
        "text": message.text,
        "blocks": message.blocks,
        "bot_id": BOT_ID,
        "user": BOT_USER_ID,
    }
    if with_metadata and message.metadata:
        data["metadata"] = message.metadata
    return data


def _check_message(params: dict[str, Any]) -> str | None:
    if not params.get("text") and not params.get("blocks"):
        return "no_text"
    if len(str(params.get("text", ""))) > 40_000:
        return "msg_too_long"
    return _check_blocks(params.get("blocks") or [], limit=50)


def _check_view(view: dict[str, Any]) -> str | None:
    title = (view.get("title") or {}).get("text", "")
    if view.get("type") == "modal" and not 0 < len(title) <= 24:
        return "invalid_arguments"
    if view_problem(view) is not None:
        return "invalid_arguments"
    if len(str(view.get("private_metadata", ""))) > 3000:
        return "invalid_arguments"
    return _check_blocks(view.get("blocks") or [], limit=100)


def _check_blocks(blocks: list[dict[str, Any]], *, limit: int) -> str | None:
    if len(blocks) > limit:
        return "invalid_blocks"
    for block in blocks:
        if not _block_ok(block):
            return "invalid_blocks"
    return None


def _text_len(obj: dict[str, Any] | None) -> int:
    return len(str((obj or {}).get("text", "")))


def _block_ok(block: dict[str, Any]) -> bool:
    kind = block.get("type")
    if kind == "header":
        return 0 < _text_len(block.get("text")) <= 150
    if kind == "section":
        fields = block.get("fields") or []
        text_ok = block.get("text") is None or 0 < _text_len(block.get("text")) <= 3000
        return text_ok and len(fields) <= 10 and all(_text_len(f) <= 2000 for f in fields)
    if kind == "actions":
        elements = block.get("elements") or []
        return 0 < len(elements) <= 25 and all(_text_len(e.get("text")) <= 75 for e in elements)
    if kind == "context":
        return 0 < len(block.get("elements") or []) <= 10
    if kind == "input":
        return 0 < _text_len(block.get("label")) <= 2000 and "element" in block
    return kind in ("divider", "image", "rich_text")
