"""Buttons a member clicks: pause, resume, leave (after confirming) — in a message
(answered in place) or on the home tab (answered by publishing it again)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext

from bot.handlers import MEMBERSHIP_BUTTONS, click, refresh_home
from bot.messages import Message
from bot.slack.replies import answer, failure_message, via_respond
from bot.slack.scope import Scopes

log = logging.getLogger(__name__)


def register(app: AsyncApp, scopes: Scopes) -> None:
    for action_id in MEMBERSHIP_BUTTONS:
        _register(app, scopes, action_id)


def _register(app: AsyncApp, scopes: Scopes, action_id: str) -> None:
    @app.action(action_id)
    async def clicked(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        await ack()
        user_id = str((body.get("user") or {}).get("id") or "")
        value = _value(body)
        if (body.get("container") or {}).get("type") == "view":
            await _on_home(scopes, context, user_id, action_id, value)
            return

        async def work() -> Message | None:
            return await click(await scopes.resolve(context), user_id, action_id, value, None)

        await answer(via_respond(respond, replace=True), work, user_id=user_id)


def _value(body: dict[str, Any]) -> str:
    return str(((body.get("actions") or [{}])[0]).get("value") or "")


async def _on_home(
    scopes: Scopes, context: AsyncBoltContext, user_id: str, action_id: str, value: str
) -> None:
    try:
        scope = await scopes.resolve(context)
    except Exception:
        log.exception("home action from %s: no workspace", user_id)
        return
    try:
        reply = await click(scope, user_id, action_id, value, None)
        notice = reply.text if reply is not None else None
    except Exception as exc:
        notice = failure_message(exc, user_id).text
    try:
        await refresh_home(scope, user_id, notice=notice)
    except Exception:
        log.exception("could not refresh the home tab of %s", user_id)
