"""Buttons a member clicks: pause, resume, leave (after confirming) — in a message
(answered in place) or on the home tab (answered by publishing it again)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext

from bot import readers
from bot.builders import actions, replies
from bot.errors import MentorbotError
from bot.messages import Message
from bot.services import membership
from bot.services.scope import Scope
from bot.slack.listeners.home import refresh_home
from bot.slack.replies import answer, failure_message, via_respond
from bot.slack.scope import Scopes

log = logging.getLogger(__name__)

UseCase = Callable[[Scope, str, int | None], Awaitable[Message]]


class NotAProgramButton(MentorbotError):
    def __init__(self) -> None:
        super().__init__("That button doesn't belong to a program I know. Try `/mentor help`.")


def _program_id(body: dict[str, Any]) -> int | None:
    """The program a button is for; ``actions.ALL`` means every program (``/mentor leave``
    without a name), and anything else that is not a program id is refused."""
    value = str(((body.get("actions") or [{}])[0]).get("value") or "")
    if value == actions.ALL:
        return None
    found = readers.record_id(value)
    if found is None:
        raise NotAProgramButton()
    return found


async def _pause(scope: Scope, user_id: str, program_id: int | None) -> Message:
    done = await membership.pause(scope, user_id, None, program_id=program_id)
    return replies.paused(done.programs, done.until, done.time_zone)


async def _resume(scope: Scope, user_id: str, program_id: int | None) -> Message:
    return replies.resumed(await membership.resume(scope, user_id, program_id=program_id))


async def _leave(scope: Scope, user_id: str, program_id: int | None) -> Message:
    done = await membership.leave(scope, user_id, program_id=program_id)
    return replies.left(done.programs, done.erased)


async def _stay(scope: Scope, user_id: str, program_id: int | None) -> Message:
    return replies.stayed()


ACTIONS: dict[str, UseCase] = {
    actions.PAUSE: _pause,
    actions.RESUME: _resume,
    actions.LEAVE_CONFIRM: _leave,
    actions.LEAVE_CANCEL: _stay,
}


def register(app: AsyncApp, scopes: Scopes) -> None:
    for action_id, use_case in ACTIONS.items():
        _register(app, scopes, action_id, use_case)


def _register(app: AsyncApp, scopes: Scopes, action_id: str, use_case: UseCase) -> None:
    @app.action(action_id)
    async def clicked(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        await ack()
        user_id = str((body.get("user") or {}).get("id") or "")
        if (body.get("container") or {}).get("type") == "view":
            await _on_home(scopes, context, user_id, use_case, body)
            return

        async def work() -> Message:
            return await use_case(await scopes.resolve(context), user_id, _program_id(body))

        await answer(via_respond(respond, replace=True), work, user_id=user_id)


async def _on_home(
    scopes: Scopes,
    context: AsyncBoltContext,
    user_id: str,
    use_case: UseCase,
    body: dict[str, Any],
) -> None:
    try:
        scope = await scopes.resolve(context)
    except Exception:
        log.exception("home action from %s: no workspace", user_id)
        return
    try:
        notice = (await use_case(scope, user_id, _program_id(body))).text
    except Exception as exc:
        notice = failure_message(exc, user_id).text
    try:
        await refresh_home(scope, user_id, notice=notice)
    except Exception:
        log.exception("could not refresh the home tab of %s", user_id)
