"""Buttons on the check-in ("we met" / "not yet" / "couldn't make it") and on the
question to pause after ignored check-ins. Ack first, then the service does the work."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext

from bot import readers
from bot.builders import checkin as build
from bot.errors import MentorbotError
from bot.platform import SentMessage
from bot.services.checkins import answer_checkin, answer_pause_question
from bot.slack import replies
from bot.slack.scope import Scopes

CHECKIN_BUTTONS = re.compile(
    "^(" + "|".join(re.escape(a) for a in (build.MET, build.NOT_YET, build.COULD_NOT)) + ")$"
)
PAUSE_BUTTONS = re.compile(f"^({re.escape(build.PAUSE)}|{re.escape(build.STAY)})$")


def register(app: AsyncApp, scopes: Scopes) -> None:
    @app.action(CHECKIN_BUTTONS)
    async def on_checkin(
        ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, respond: AsyncRespond
    ) -> None:
        await ack()
        action = body["actions"][0]
        user_id = str(body["user"]["id"])

        async def work() -> None:
            scope = await scopes.resolve(context)
            await answer_checkin(
                scope.uow,
                scope.platform,
                workspace_id=scope.workspace_id,
                group_id=_number(action.get("value")),
                user_id=user_id,
                answer=build.ANSWERS[action["action_id"]],
                message=_message(body),
                clock=scope.clock,
            )

        await replies.answer(replies.via_respond(respond), work, user_id=user_id)

    @app.action(PAUSE_BUTTONS)
    async def on_pause_question(
        ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, respond: AsyncRespond
    ) -> None:
        await ack()
        action = body["actions"][0]
        user_id = str(body["user"]["id"])

        async def work() -> None:
            scope = await scopes.resolve(context)
            await answer_pause_question(
                scope.uow,
                scope.platform,
                workspace_id=scope.workspace_id,
                enrollment_id=_number(action.get("value")),
                user_id=user_id,
                pause=action["action_id"] == build.PAUSE,
                message=_message(body),
                clock=scope.clock,
            )

        await replies.answer(replies.via_respond(respond), work, user_id=user_id)


class NotAButton(MentorbotError):
    def __init__(self) -> None:
        super().__init__("That button doesn't belong to a check-in I know.")


def _number(value: object) -> int:
    found = readers.record_id(value)
    if found is None:
        raise NotAButton()
    return found


def _message(body: dict[str, Any]) -> SentMessage | None:
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return SentMessage(str(channel), str(ts)) if channel and ts else None
