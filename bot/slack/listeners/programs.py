"""The lead's program modal: ``/mentor program [NAME]`` or the home tab's buttons."""

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
from bot.services.program_admin import program_to_edit, save_program
from bot.services.reports import next_round_at
from bot.services.scope import Scope
from bot.slack import state
from bot.slack.listeners.home import refresh_home
from bot.slack.loading import answer_in, loading_modal
from bot.slack.modals import open_modal
from bot.slack.replies import answer, failure_message, refuse_in_modal, to_response_url
from bot.slack.scope import Scopes
from bot.slack.submissions import answer_submission
from bot.slack.views_program import CALLBACK_ID, NAME, editing, program_input, program_view
from storage.records import ProgramRecord

log = logging.getLogger(__name__)


async def open_program(
    scope: Scope,
    client: AsyncWebClient,
    *,
    user_id: str,
    trigger_id: str,
    origin: dict[str, Any],
    name: str | None = None,
    program_id: int | None = None,
) -> None:
    """Lead only: the program form, empty for a new program or filled in for ``name``."""
    lead, program = await program_to_edit(scope, user_id, name=name, program_id=program_id)
    metadata = {**origin, "program_id": program.id if program else None}
    view = program_view(program, default_timezone=lead.time_zone, metadata=metadata)
    await open_modal(client, trigger_id, view)


def register(app: AsyncApp, scopes: Scopes) -> None:
    @app.view(CALLBACK_ID)
    async def submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        user_id = str((body.get("user") or {}).get("id") or "")
        try:
            scope = await scopes.resolve(context)
        except Exception as exc:
            message = failure_message(exc, user_id).text
            await refuse_in_modal(ack, view, {NAME: message}, NAME)
            return
        origin = state.metadata(view)

        async def confirm(saved: tuple[ProgramRecord, bool]) -> None:
            await _confirm(scope, user_id, saved[0], saved[1], origin)

        async def tell(message: Message) -> None:
            url = origin.get("response_url")
            if isinstance(url, str) and url:
                await to_response_url(url, message)
            else:
                await refresh_home(scope, user_id, notice=message.text)

        await answer_submission(  # in time for Slack's 3 s, however long saving takes
            ack,
            view,
            lambda: save_program(scope, user_id, program_input(view), program_id=editing(view)),
            field=NAME,
            done=confirm,
            tell=tell,
            user_id=user_id,
            received_at=context.get("received_at"),
        )

    for action_id in (actions.NEW_PROGRAM, actions.EDIT_PROGRAM):
        _register_button(app, scopes, action_id)


def _register_button(app: AsyncApp, scopes: Scopes, action_id: str) -> None:
    @app.action(action_id)
    async def clicked(
        ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        await ack()
        user_id = str((body.get("user") or {}).get("id") or "")
        value = str(((body.get("actions") or [{}])[0]).get("value") or "")

        async def work() -> None:
            scope = await scopes.resolve(context)
            await open_program(
                scope,
                client,
                user_id=user_id,
                trigger_id=str(body.get("trigger_id") or ""),
                origin={"origin": "home"},
                program_id=readers.record_id(value),
            )

        async def tell(message: Any) -> None:
            scope = await scopes.resolve(context)
            await refresh_home(scope, user_id, notice=message.text)

        async with loading_modal(client, str(body.get("trigger_id") or "")) as modal:
            await answer(answer_in(modal, tell), work, user_id=user_id)


async def _confirm(
    scope: Scope, user_id: str, program: ProgramRecord, created: bool, origin: dict[str, Any]
) -> None:
    try:
        upcoming = next_round_at(program, scope.clock())
        lead = await scope.platform.user_profile(user_id)
        next_round = when(upcoming, lead.time_zone) if upcoming else None
        message = replies.program_saved(program, created, next_round)
        url = origin.get("response_url")
        if isinstance(url, str) and url:
            await to_response_url(url, message)
        else:
            await refresh_home(scope, user_id, notice=message.text)
    except Exception:
        log.exception("saved program %s but could not confirm it", program.name)
