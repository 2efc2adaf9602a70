"""The signup modal: opened by ``/mentor signup`` or a button, submitted back here.

A submission is checked and stored before it is acknowledged, so a person who closes
the modal is signed up; a mistake keeps the modal open with the message on the field.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot import readers
from bot.builders import actions, replies
from bot.builders.text import when
from bot.messages import Message
from bot.services.reports import next_round_at
from bot.services.scope import Scope
from bot.services.signup import SignupResult, signup_draft, submit_signup
from bot.slack import state
from bot.slack.listeners.home import refresh_home
from bot.slack.loading import answer_in, loading_modal
from bot.slack.modals import open_modal
from bot.slack.replies import answer, failure_message, refuse_in_modal, to_response_url
from bot.slack.scope import Scopes
from bot.slack.submissions import answer_submission
from bot.slack.views_signup import CALLBACK_ID, PROGRAM, signup_input, signup_view

log = logging.getLogger(__name__)


async def open_signup(
    scope: Scope,
    client: AsyncWebClient,
    *,
    user_id: str,
    trigger_id: str,
    origin: dict[str, Any],
    program_name: str | None = None,
    program_id: int | None = None,
) -> None:
    """Open the form, filled in with the person's answers so far."""
    await scope.platform.user_profile(user_id)  # someone Slack forgot gets a clear answer
    draft = await signup_draft(scope, user_id, program_name, program_id=program_id)
    await open_modal(client, trigger_id, signup_view(draft, origin))


def register(app: AsyncApp, scopes: Scopes) -> None:
    @app.view(CALLBACK_ID)
    async def submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        user_id = str((body.get("user") or {}).get("id") or "")
        try:
            scope = await scopes.resolve(context)
        except Exception as exc:  # the modal stays open and says what went wrong
            message = failure_message(exc, user_id).text
            await refuse_in_modal(ack, view, {PROGRAM: message}, PROGRAM)
            return
        origin = state.metadata(view)

        async def confirm(result: SignupResult) -> None:
            await _confirm(scope, user_id, result, origin)

        async def tell(message: Message) -> None:
            await _tell(scope, user_id, message, origin)

        await answer_submission(  # in time for Slack's 3 s, however long saving takes
            ack,
            view,
            lambda: submit_signup(scope, user_id, signup_input(view)),
            field=PROGRAM,
            done=confirm,
            tell=tell,
            user_id=user_id,
            received_at=context.get("received_at"),
        )

    @app.action(actions.OPEN_SIGNUP)
    async def open_from_button(
        ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        await ack()
        user_id = str((body.get("user") or {}).get("id") or "")
        value = str(((body.get("actions") or [{}])[0]).get("value") or "")
        in_home = (body.get("container") or {}).get("type") == "view"
        origin = {"origin": "home"} if in_home else {"response_url": body.get("response_url")}

        async def work() -> None:
            scope = await scopes.resolve(context)
            await open_signup(
                scope,
                client,
                user_id=user_id,
                trigger_id=str(body.get("trigger_id") or ""),
                origin=origin,
                program_id=readers.record_id(value),
            )

        async def tell(message: Any) -> None:
            url = origin.get("response_url")
            if isinstance(url, str) and url:
                await to_response_url(url, message)

        async with loading_modal(client, str(body.get("trigger_id") or "")) as modal:
            await answer(answer_in(modal, tell), work, user_id=user_id)


async def _tell(scope: Scope, user_id: str, message: Message, origin: dict[str, Any]) -> None:
    """Where the person started (a command, a message), or on their home tab."""
    url = origin.get("response_url")
    if isinstance(url, str) and url:
        await to_response_url(url, message)
    else:
        await refresh_home(scope, user_id, notice=message.text)


async def _confirm(
    scope: Scope, user_id: str, result: SignupResult, origin: dict[str, Any]
) -> None:
    """Tell the person it worked: where they started (a command, a message) or at home."""
    try:
        upcoming = next_round_at(result.program, scope.clock())
        tz = result.enrollment.person.time_zone
        message = replies.signed_up(
            result.program, result.created, when(upcoming, tz) if upcoming else None
        )
        url = origin.get("response_url")
        if isinstance(url, str) and url:
            await to_response_url(url, message)
        else:
            await refresh_home(scope, user_id, notice=message.text)
    except Exception:
        log.exception("signed up %s but could not confirm it", user_id)
