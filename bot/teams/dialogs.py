"""The signup and program forms as Teams dialogs (``task/fetch`` opens one, ``task/submit``
sends it back).

Typing ``signup [program]`` (or ``program [name]``, for leads) answers with a card whose
button opens the dialog; so do the home card's and the welcome's buttons. A submission
goes to the same use cases the Slack modal's does (``submit_signup``, ``save_program``)
with the same ``Answers``; a mistake keeps the dialog open with the service's message
under the field at fault and what was typed kept; anything else closes it with one line.
After a save the home card is brought up to date.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Response
from fastapi.responses import JSONResponse

from bot import forms
from bot.builders import actions, replies
from bot.builders.text import when
from bot.commands import Command, Verb
from bot.errors import InvalidForm
from bot.handlers import failure_message
from bot.messages import Actions, Button, Message, Section
from bot.readers import record_id
from bot.services.program_admin import program_form, program_to_edit, save_program
from bot.services.reports import next_round_at
from bot.services.scope import Scope
from bot.services.signup import signup_draft, submit_signup
from bot.services.signup_form import PROGRAM, signup_form
from bot.teams import cards
from bot.teams.activity import Activity
from bot.teams.chat import TeamsChat
from bot.teams.forms import CONTEXT, FORM, answers_from, form_card
from bot.teams.markdown import plain

if TYPE_CHECKING:
    from bot.teams.dispatch import Dispatcher

log = logging.getLogger(__name__)

FETCH, SUBMIT = "task/fetch", "task/submit"
SIGNUP, PROGRAM_FORM = "signup", "program"
PLATFORM = "Microsoft Teams"


async def offer(scope: Scope, user: str, command: Command) -> Message:
    """A card with a button that opens the form (the form is checked to open first)."""
    if command.verb is Verb.SIGNUP:
        await scope.platform.user_profile(user)
        draft = await signup_draft(scope, user, command.program)
        label = "Edit my answers" if draft.editing else "Sign up"
        text = f"The signup form for *{draft.selected.name}* opens with the button."
        button = Button(label, actions.OPEN_SIGNUP, str(draft.selected.id), style="primary")
    else:
        _lead, program = await program_to_edit(scope, user, name=command.program)
        if program is None:
            text = "The program form opens with the button."
            button = Button("Create a program", actions.NEW_PROGRAM, "", style="primary")
        else:
            text = f"The form for *{program.name}* opens with the button."
            button = Button("Edit program", actions.EDIT_PROGRAM, str(program.id), style="primary")
    return Message(text=plain(text), blocks=(Section(text), Actions((button,))))


async def handle(dispatcher: Dispatcher, scope: Scope, activity: Activity) -> Response:
    user, chat = activity.user_id, scope.platform
    value = activity.value if isinstance(activity.value, dict) else {}
    data = _dict(value.get("data"))
    if user is None or not isinstance(chat, TeamsChat):
        return _close("I can't tell who this is from, so I did nothing.")
    try:
        if activity.name == FETCH:
            return await _open(scope, chat, user, data)
        return await _submitted(dispatcher, scope, chat, user, data)
    except Exception as exc:
        return _close(plain(failure_message(exc, user).text))


async def _open(scope: Scope, chat: TeamsChat, user: str, data: dict[str, Any]) -> Response:
    action_id, value = str(data.get("action_id") or ""), str(data.get("value") or "")
    if action_id == actions.OPEN_SIGNUP:
        await scope.platform.user_profile(user)
        draft = await signup_draft(scope, user, None, program_id=record_id(value))
        return _dialog(draft.form(platform=PLATFORM), SIGNUP, chat)
    if action_id in (actions.NEW_PROGRAM, actions.EDIT_PROGRAM):
        wanted = record_id(value) if action_id == actions.EDIT_PROGRAM else None
        lead, program = await program_to_edit(scope, user, program_id=wanted)
        form = program_form(program, default_timezone=lead.time_zone)
        context = {"program_id": program.id if program else None}
        return _dialog(form, PROGRAM_FORM, chat, context=context)
    return _close("That button doesn't open anything I know.")


@dataclass(frozen=True, slots=True)
class Submitted:
    """What a submission came to: saved (``done``), refused with the form to show again
    (``form``, its ``title``), or not a form of ours (``refused``)."""

    done: Message | None = None
    form: dict[str, Any] | None = None
    title: str = ""
    refused: str | None = None


async def submit(
    dispatcher: Dispatcher, scope: Scope, chat: TeamsChat, user: str, data: dict[str, Any]
) -> Submitted:
    """A form's answers to the use case (from a dialog, or a form card in the chat)."""
    which = data.get(FORM)
    answers = answers_from(data)
    context = _dict(data.get(CONTEXT))
    try:
        if which == SIGNUP:
            result = await submit_signup(scope, user, answers)
            program, created = result.program, result.created
            done = replies.signed_up(program, created, _next(scope, program, chat))
        elif which == PROGRAM_FORM:
            program_id = record_id(context.get("program_id"))
            program, created = await save_program(scope, user, answers, program_id=program_id)
            done = replies.program_saved(program, created, _next(scope, program, chat))
        else:
            return Submitted(refused="That form is not one of mine, so I did nothing.")
    except InvalidForm as exc:
        form = await _again(scope, user, which, answers, context)
        card = _card(form, str(which), chat, context=context, values=answers, errors=exc.errors)
        return Submitted(form=card, title=form.title)
    await dispatcher.refresh_home(scope, user, notice=done.text)
    return Submitted(done=done)


async def _submitted(
    dispatcher: Dispatcher, scope: Scope, chat: TeamsChat, user: str, data: dict[str, Any]
) -> Response:
    found = await submit(dispatcher, scope, chat, user, data)
    if found.form is not None:
        return _continue(found.title, found.form)
    return _close(plain(found.done.text) if found.done else found.refused or "Done.")


async def _again(
    scope: Scope, user: str, which: object, answers: forms.Answers, context: dict[str, Any]
) -> forms.Form:
    """The same form again, to show the mistakes on."""
    if which == SIGNUP:
        draft = await signup_draft(
            scope, user, None, program_id=record_id(forms.text(answers, PROGRAM))
        )
        return signup_form(draft.programs, answers, editing=draft.editing, platform=PLATFORM)
    lead, program = await program_to_edit(
        scope, user, program_id=record_id(context.get("program_id"))
    )
    return program_form(program, default_timezone=lead.time_zone)


def _next(scope: Scope, program: Any, chat: TeamsChat) -> str | None:
    upcoming = next_round_at(program, scope.clock())
    zone = chat.requester.time_zone if chat.requester else None
    return when(upcoming, zone or program.timezone) if upcoming else None


def _dialog(
    form: forms.Form,
    which: str,
    chat: TeamsChat,
    *,
    context: dict[str, Any] | None = None,
) -> Response:
    return _continue(form.title, _card(form, which, chat, context=context))


def _card(
    form: forms.Form,
    which: str,
    chat: TeamsChat,
    *,
    context: dict[str, Any] | None = None,
    values: forms.Answers | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    channels = sorted(chat.teams.routes.channels.get(chat.tenant, {}).items())
    return form_card(form, which, context=context, values=values, errors=errors, channels=channels)


def _continue(title: str, card: dict[str, Any]) -> Response:
    value = {
        "title": title,
        "height": "large",
        "width": "medium",
        "card": {"contentType": cards.CARD, "content": card},
    }
    return JSONResponse({"task": {"type": "continue", "value": value}})


def _close(text: str) -> Response:
    return JSONResponse({"task": {"type": "message", "value": text[:1000]}})


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
