"""Acts as the Slack client: signed requests into ``/slack/events``, shaped exactly as
Slack sends them — form-encoded slash commands, ``payload=`` interactivity, JSON events.

Modal submissions are built from the view the app really opened (read back from the
simulated Web API), with Slack's ``state.values`` layout: every input block present,
initial values kept unless the person changed them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bot.slack.loading import LOADING_CALLBACK_ID
from bot.slack.simulator.slack_api import SlackApiSimulator

_IDS = itertools.count(1)
KEEPALIVE_SECONDS = 2.0
SEND_ATTEMPTS = 3
DROPPED = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError, ConnectionError)


def signature_headers(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 request signature for ``body``."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{stamp}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Reply:
    status: int
    body: str
    responses: list[dict[str, Any]]  # what the app posted to the response_url
    trigger_id: str = ""
    modal: dict[str, Any] | None = None  # the modal the app opened with the trigger

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def text(self) -> str:
        """Everything the person would read: the ack body, response_url posts, and the
        modal the request opened."""
        parts = [self.body] + [json.dumps(r) for r in self.responses]
        if self.modal is not None:
            parts.append(json.dumps(self.modal.get("blocks") or []))
        return "\n".join(parts)


class SlackDriver:
    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        simulator: SlackApiSimulator,
        *,
        team_id: str = "T0001",
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.url = app_url.rstrip("/") + "/slack/events"
        self.secret = signing_secret
        self.simulator = simulator
        self.team_id = team_id
        self._session = session
        self._ids = _IDS  # shared: two drivers on one simulator must not reuse trigger ids

    async def __aenter__(self) -> SlackDriver:
        self._session = self._session or aiohttp.ClientSession(
            # Let idle connections go before the server does (uvicorn: after 5 s), so a
            # request never goes out on a connection the app is just closing.
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS)
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._session is not None:
            await self._session.close()

    # -- what a person does --------------------------------------------------------------
    async def command(
        self, user_id: str, text: str = "", *, channel_id: str = "C0GENERAL", wait: float = 2.0
    ) -> Reply:
        key = f"cmd{next(self._ids)}"
        form = {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "team_domain": self.team_id.lower(),
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": "/mentor",
            "text": text,
            "api_app_id": "A0MENTORBOT",
            "is_enterprise_install": "false",
            "response_url": f"{self.simulator.base_url}/response/{key}",
            "trigger_id": self._trigger(f"{key}.trigger"),
        }
        status, body = await self.post_form(form)
        # An ack that carries the reply needs no waiting; an empty ack means "see below".
        responses = await self._responses(
            key, wait if status == 200 and not body else 0, trigger_id=form["trigger_id"]
        )
        return Reply(status, body, responses, form["trigger_id"], self._modal(form["trigger_id"]))

    def opened_view(self, reply: Reply | None = None) -> dict[str, Any]:
        """The modal the app opened in answer to ``reply`` (default: the latest one), as
        it is now — the form, once "Loading…" was replaced."""
        workspace = self.simulator.workspace
        with self.simulator._lock:
            if reply is not None and reply.trigger_id in workspace.view_triggers:
                return dict(workspace.views[workspace.view_triggers[reply.trigger_id]])
            views = list(workspace.views.values())
        if reply is not None or not views:
            raise LookupError("the app opened no modal")
        return dict(views[-1])

    def _trigger(self, trigger_id: str) -> str:
        """Slack hands out a trigger id with each command and click, good for 3 s."""
        with self.simulator._lock:
            return self.simulator.workspace.issue_trigger(trigger_id)

    def _modal(self, trigger_id: str) -> dict[str, Any] | None:
        workspace = self.simulator.workspace
        with self.simulator._lock:
            view_id = workspace.view_triggers.get(trigger_id)
            return dict(workspace.views[view_id]) if view_id is not None else None

    def _settled(self, trigger_id: str) -> bool:
        """A modal opened with the trigger shows more than "Loading…" (call with the lock)."""
        workspace = self.simulator.workspace
        view_id = workspace.view_triggers.get(trigger_id)
        if view_id is None:
            return False
        return workspace.views[view_id].get("callback_id") != LOADING_CALLBACK_ID

    async def submit(
        self, user_id: str, view: dict[str, Any], values: dict[str, Any] | None = None
    ) -> Reply:
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": self.team_id.lower()},
            "user": {
                "id": user_id,
                "username": user_id.lower(),
                "name": user_id.lower(),
                "team_id": self.team_id,
            },
            "api_app_id": "A0MENTORBOT",
            "token": "legacy-verification-token",
            "trigger_id": self._trigger(f"sub{next(self._ids)}.trigger"),
            "view": {**view, "state": {"values": state_values(view, values or {})}},
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        status, body = await self.post_form({"payload": json.dumps(payload)})
        _check_view_answer(view, body)
        return Reply(status, body, [])

    async def click(
        self,
        user_id: str,
        action_id: str,
        value: str = "",
        *,
        channel_id: str | None = None,
        message_ts: str | None = None,
        view: dict[str, Any] | None = None,
        wait: float = 3.0,
    ) -> Reply:
        key = f"act{next(self._ids)}"
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": {
                "id": user_id,
                "username": user_id.lower(),
                "name": user_id.lower(),
                "team_id": self.team_id,
            },
            "api_app_id": "A0MENTORBOT",
            "token": "legacy-verification-token",
            "trigger_id": self._trigger(f"{key}.trigger"),
            "team": {"id": self.team_id, "domain": self.team_id.lower()},
            "enterprise": None,
            "is_enterprise_install": False,
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": f"b{next(self._ids)}",
                    "value": value,
                    "type": "button",
                    "action_ts": f"{time.time():.6f}",
                    "text": {"type": "plain_text", "text": action_id},
                }
            ],
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "VHOME")}
            payload["view"] = view
        else:
            payload["container"] = {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel_id,
                "is_ephemeral": False,
            }
            payload["channel"] = {"id": channel_id, "name": "mpdm"}
            payload["message"] = self._message(channel_id, message_ts)
            payload["response_url"] = f"{self.simulator.base_url}/response/{key}"
        redraws = self._redraws(channel_id, message_ts)
        status, body = await self.post_form({"payload": json.dumps(payload)})
        responses = await self._responses(
            key,
            wait if status == 200 else 0,
            trigger_id=payload["trigger_id"],
            redrawn=lambda: self._redraws(channel_id, message_ts) > redraws,
        )
        trigger = payload["trigger_id"]
        return Reply(status, body, responses, trigger, self._modal(trigger))

    async def event(self, event: dict[str, Any]) -> Reply:
        envelope = {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "api_app_id": "A0MENTORBOT",
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": f"Ev{next(self._ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": self.team_id, "user_id": "U0MENTORBOT", "is_bot": True}],
            "is_ext_shared_channel": False,
        }
        status, body = await self.post_json(envelope)
        return Reply(status, body, [])

    async def open_home(self, user_id: str, *, wait: float = 0.0) -> Reply:
        """Open the home tab; with ``wait``, until the app published it (or time ran out)."""
        with self.simulator._lock:
            before = self.simulator.workspace.homes.get(user_id)
        reply = await self.event(
            {"type": "app_home_opened", "user": user_id, "channel": f"D{user_id}", "tab": "home"}
        )
        await self.home_published(user_id, since=before, wait=wait)
        return reply

    async def home_published(
        self, user_id: str, *, since: dict[str, Any] | None, wait: float = 3.0
    ) -> dict[str, Any] | None:
        """The person's home view once it differs from ``since`` (None if it did not)."""
        deadline = time.monotonic() + wait
        while True:
            with self.simulator._lock:
                current = self.simulator.workspace.homes.get(user_id)
            if current is not None and current is not since:
                return current
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(0.02)

    # -- raw signed requests ----------------------------------------------------------------
    async def post_form(self, form: dict[str, str], **signing: Any) -> tuple[int, str]:
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **signing)

    async def post_json(self, data: dict[str, Any], **signing: Any) -> tuple[int, str]:
        return await self.post(json.dumps(data), "application/json", **signing)

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        secret: str | None = None,
        timestamp: int | None = None,
        signed: bool = True,
    ) -> tuple[int, str]:
        headers = {"Content-Type": content_type}
        if signed:
            headers.update(signature_headers(body, secret or self.secret, timestamp))
        assert self._session is not None, "use `async with SlackDriver(...)`"
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                async with self._session.post(
                    self.url, data=body.encode(), headers=headers
                ) as response:
                    return response.status, await response.text()
            except DROPPED:
                # The connection went away before an answer (a keep-alive connection the
                # app had just closed, a reset): Slack tries again, so does the driver.
                if attempt == SEND_ATTEMPTS:
                    raise
                await asyncio.sleep(0.1 * attempt)
        raise AssertionError("unreachable")

    async def _responses(
        self,
        key: str,
        wait: float,
        *,
        trigger_id: str | None = None,
        redrawn: Callable[[], bool] | None = None,
    ) -> list[dict[str, Any]]:
        """What the app posted to the response_url; waiting stops early once the app
        answered another way — in a modal opened with the request's trigger id (once it
        shows more than "Loading…"), or by redrawing the clicked message in place."""
        deadline = time.monotonic() + wait
        while True:
            with self.simulator._lock:
                found = list(self.simulator.workspace.responses.get(key, []))
                opened = trigger_id is not None and self._settled(trigger_id)
            answered = found or opened or (redrawn is not None and redrawn())
            if answered or time.monotonic() >= deadline:
                return found
            await asyncio.sleep(0.02)

    def _redraws(self, channel_id: str | None, ts: str | None) -> int:
        """How many times the message ``ts`` was updated (call without the lock)."""
        with self.simulator._lock:
            for message in self.simulator.workspace.messages_in(channel_id or ""):
                if message.ts == ts:
                    return message.updates
        return 0

    def _message(self, channel_id: str | None, ts: str | None) -> dict[str, Any]:
        for message in self.simulator.workspace.messages_in(channel_id or ""):
            if message.ts == ts:
                return {"type": "message", "ts": ts, "text": message.text, "blocks": message.blocks}
        return {"type": "message", "ts": ts, "text": "", "blocks": []}


def _check_view_answer(view: dict[str, Any], body: str) -> None:
    """Slack refuses ``response_action: errors`` naming a block that is not an input of
    the view (the person sees a generic failure); so does the simulator, loudly."""
    try:
        answer = json.loads(body) if body else None
    except ValueError:
        return
    if not isinstance(answer, dict) or answer.get("response_action") != "errors":
        return
    inputs = {b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"}
    unknown = set(answer.get("errors") or {}) - inputs
    if unknown:
        raise AssertionError(f"Slack would reject errors for blocks {sorted(unknown)}")


def state_values(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Slack's ``view.state.values`` for ``view``, with ``values`` keyed by block_id."""
    state: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        block_id = block["block_id"]
        given = values.get(block_id, _UNSET)
        state[block_id] = {element["action_id"]: _element_state(element, given)}
    return state


_UNSET = object()


def _element_state(element: dict[str, Any], given: Any) -> dict[str, Any]:
    kind = element["type"]
    options = {o["value"]: o for o in _options(element)}
    if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        value = element.get("initial_value") if given is _UNSET else given
        return {"type": kind, "value": None if value in (None, "") else str(value)}
    if kind in ("static_select", "radio_buttons", "external_select"):
        if given is _UNSET:
            chosen = element.get("initial_option")
        else:
            chosen = options.get(str(given)) if given is not None else None
            if given is not None and chosen is None:  # a value the form never offered
                chosen = {"text": {"type": "plain_text", "text": str(given)}, "value": str(given)}
        return {"type": kind, "selected_option": chosen}
    if kind in ("checkboxes", "multi_static_select"):
        if given is _UNSET:
            chosen_list = element.get("initial_options") or []
        else:
            chosen_list = [
                options.get(str(v))
                or {"text": {"type": "plain_text", "text": str(v)}, "value": str(v)}
                for v in given
            ]
        return {"type": kind, "selected_options": chosen_list}
    if kind == "timepicker":
        return {
            "type": kind,
            "selected_time": element.get("initial_time") if given is _UNSET else given,
        }
    if kind in ("conversations_select", "channels_select"):
        key = "selected_conversation" if kind == "conversations_select" else "selected_channel"
        initial = element.get("initial_conversation") or element.get("initial_channel")
        return {"type": kind, key: initial if given is _UNSET else given}
    if kind == "users_select":
        return {
            "type": kind,
            "selected_user": element.get("initial_user") if given is _UNSET else given,
        }
    raise ValueError(f"the driver cannot fill a {kind} element")


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        found.extend(group.get("options") or [])
    return found
