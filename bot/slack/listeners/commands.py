"""``/mentor``: parse, call a service, reply (ephemeral) — always inside Slack's 3 seconds.

Help and argument mistakes need no I/O, so they are the acknowledgement itself.
Everything else is acknowledged at once and answered through the command's
``response_url`` when the work is done. Commands that open a modal open it at once,
showing "Loading…", and fill it when the form is ready (``bot.slack.loading``): the
trigger id is only good for 3 seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.builders import replies
from bot.builders.help import help_message
from bot.commands import CommandError, Verb, parse
from bot.handlers import OPENS_A_FORM, answer
from bot.messages import Message
from bot.services.scope import Scope
from bot.slack.invocation import Invocation
from bot.slack.listeners import programs, signup
from bot.slack.loading import answer_in, loading_modal
from bot.slack.replies import answer as reply
from bot.slack.replies import ephemeral, via_respond
from bot.slack.scope import Scopes

log = logging.getLogger(__name__)


FormOpener = Callable[[Scope, Invocation], Awaitable[None]]


async def _signup(scope: Scope, call: Invocation) -> None:
    await signup.open_signup(
        scope,
        call.client,
        user_id=call.user_id,
        trigger_id=call.trigger_id,
        program_name=call.command.program,
        origin=call.origin,
    )


async def _program(scope: Scope, call: Invocation) -> None:
    await programs.open_program(
        scope,
        call.client,
        user_id=call.user_id,
        trigger_id=call.trigger_id,
        name=call.command.program,
        origin=call.origin,
    )


FORMS: dict[Verb, FormOpener] = {Verb.SIGNUP: _signup, Verb.PROGRAM: _program}


def register(app: AsyncApp, scopes: Scopes) -> None:
    @app.command("/mentor")
    async def mentor(
        ack: AsyncAck,
        command: dict[str, Any],
        respond: AsyncRespond,
        context: AsyncBoltContext,
        client: AsyncWebClient,
    ) -> None:
        try:
            parsed = parse(str(command.get("text") or ""))
        except CommandError as exc:
            await ack(**ephemeral(replies.problem(str(exc))))
            return
        if parsed.verb is Verb.HELP:
            await ack(**ephemeral(help_message(parsed.unknown)))
            return
        call = Invocation(
            command=parsed,
            user_id=str(command.get("user_id") or ""),
            channel_id=str(command.get("channel_id") or ""),
            trigger_id=str(command.get("trigger_id") or ""),
            response_url=str(command.get("response_url") or ""),
            client=client,
        )

        async def work() -> Message | None:
            scope = await scopes.resolve(context)
            if parsed.verb in OPENS_A_FORM:
                await FORMS[parsed.verb](scope, call)
                return None
            return await answer(scope, call.user_id, parsed)

        await ack()
        if parsed.verb in OPENS_A_FORM:
            async with loading_modal(client, call.trigger_id) as modal:
                await reply(answer_in(modal, via_respond(respond)), work, user_id=call.user_id)
        else:
            await reply(via_respond(respond), work, user_id=call.user_id)
        log.debug("/mentor %s by %s handled", parsed.verb, call.user_id)
