"""Buttons on the check-in ("we met" / "not yet" / "couldn't make it") and on the
question to pause after ignored check-ins. Ack first, then the service does the work
and redraws the message in place."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext

from bot.handlers import IN_PLACE_BUTTONS, click
from bot.messages import Message
from bot.platform import SentMessage
from bot.slack import replies
from bot.slack.scope import Scopes

BUTTONS = re.compile("^(" + "|".join(re.escape(a) for a in IN_PLACE_BUTTONS) + ")$")


def register(app: AsyncApp, scopes: Scopes) -> None:
    @app.action(BUTTONS)
    async def on_click(
        ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, respond: AsyncRespond
    ) -> None:
        action = body["actions"][0]
        user_id = str(body["user"]["id"])

        async def work() -> Message | None:
            scope = await scopes.resolve(context)
            value = str(action.get("value") or "")
            return await click(scope, user_id, action["action_id"], value, _message(body))

        # Stored before Slack hears back: an acknowledged answer is never lost.
        await replies.answer_then_ack(
            ack, replies.via_respond(respond), work, user_id=user_id, received_at=_arrived(context)
        )


def _arrived(context: AsyncBoltContext) -> float | None:
    arrived = context.get("received_at")
    return float(arrived) if isinstance(arrived, int | float) else None


def _message(body: dict[str, Any]) -> SentMessage | None:
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return SentMessage(str(channel), str(ts)) if channel and ts else None
