"""An authenticated activity, acted on: the tenant's ``Scope``, then by kind —

- ``message``: the words typed to the bot (``signup``, ``pause 2`` …, after an
  @mention in a channel): ``bot.handlers`` answers; the answer goes to the person's
  personal chat (in a channel, the thread hears where to look);
- ``invoke`` ``adaptiveCard/action``: a button (``bot.teams.invokes``), answered in the
  HTTP response with the card that replaces the clicked one;
- ``conversationUpdate``: the app installed (a welcome and the home card), people
  joining or leaving a team (``bot.teams.events``).

A request is answered within Teams' time (it retries after 15 s): work that takes
longer goes on in the background and its reply is posted when it is ready.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from fastapi import Response
from fastapi.responses import JSONResponse

from bot.builders import replies
from bot.builders.help import help_message
from bot.commands import CommandError, Verb, parse
from bot.errors import UnknownUser
from bot.handlers import OPENS_A_FORM, answer, failure_message, refresh_home
from bot.messages import Message
from bot.services.scope import Scope
from bot.teams import cards, dialogs, events, invokes
from bot.teams.activity import Activity
from bot.teams.chat import TeamsChat
from bot.teams.context import Requester, personal_id
from bot.teams.forms import FORM
from bot.teams.plugin import NAME
from storage.records import WorkspaceRecord

if TYPE_CHECKING:
    from bot.teams.adapter import TeamsAdapter

log = logging.getLogger(__name__)

ANSWER_BUDGET = 10.0  # seconds of Teams' 15 before the request is answered anyway
REFRESH_AFTER = frozenset({Verb.PAUSE, Verb.RESUME})
UNKNOWN_SELF = (
    "Teams doesn't know your account in this organisation any more, so I can't do that. "
    "Nothing was changed."
)
ELSEWHERE = "I've answered you in our personal chat."


class Dispatcher:
    def __init__(self, adapter: TeamsAdapter) -> None:
        self.adapter = adapter
        self._workspaces: dict[str, WorkspaceRecord] = {}
        self._background: set[asyncio.Task[object]] = set()

    async def handle(self, activity: Activity) -> Response:
        try:
            scope = await self.scope(activity)
        except Exception:
            log.exception("could not make a scope for tenant %s", activity.tenant_id)
            return JSONResponse({"error": "temporarily unavailable"}, status_code=503)
        if activity.type == "invoke" and activity.name in (dialogs.FETCH, dialogs.SUBMIT):
            return await self._within_budget(dialogs.handle(self, scope, activity), invoke=True)
        if activity.type == "invoke":
            return await self._within_budget(invokes.handle(self, scope, activity), invoke=True)
        if activity.type == "message" and activity.user_id:
            return await self._within_budget(self.command(scope, activity), invoke=False)
        if activity.type == "conversationUpdate":
            return await self._within_budget(events.handle(self, scope, activity), invoke=False)
        return Response(status_code=200)

    async def scope(self, activity: Activity) -> Scope:
        assert activity.tenant_id is not None
        workspace = self._workspaces.get(activity.tenant_id)
        core = self.adapter.core
        if workspace is None:
            workspace = await core.uow.ensure_workspace(
                NAME, activity.tenant_id, name=activity.tenant_id, now=core.clock()
            )
            self._workspaces[activity.tenant_id] = workspace
        routes = self.adapter.context.routes
        await routes.learn(workspace, activity.service_url, activity.conversation_id)
        user = activity.user_id
        requester = None
        if user is not None and activity.sender is not None:
            routes.bot_ids[(activity.tenant_id, user)] = activity.sender.id
            if activity.time_zone:
                routes.zones[(activity.tenant_id, user)] = activity.time_zone
            if activity.team_id and not activity.personal:
                known = routes.channels.setdefault(activity.tenant_id, {})
                known.setdefault(activity.conversation_id, activity.channel_name or "a channel")
            if activity.personal:
                routes.personal[(activity.tenant_id, user)] = activity.conversation_id
                routes.installed.add((activity.tenant_id, user))
            requester = Requester(user, activity.sender_name, activity.time_zone)
        chat = TeamsChat(workspace, self.adapter.context, requester)
        return core.scope(workspace, chat)

    async def command(self, scope: Scope, activity: Activity) -> Response:
        user = activity.user_id
        assert user is not None
        value = activity.value if isinstance(activity.value, dict) else None
        if value is not None and value.get(FORM) is not None:
            await self.form_in_chat(scope, activity, user, value)  # a form card's "Save"
            return Response(status_code=200)
        message = await self.answer_text(scope, user, activity.text)
        await self.reply(scope, activity, message)
        return Response(status_code=200)

    async def form_in_chat(
        self, scope: Scope, activity: Activity, user: str, data: dict[str, Any]
    ) -> None:
        """A form submitted from a card in the chat (Action.Submit) rather than a dialog:
        the same use cases; a mistake comes back as the form again, under its field."""
        chat = scope.platform
        assert isinstance(chat, TeamsChat)
        try:
            found = await dialogs.submit(self, scope, chat, user, data)
        except Exception as exc:
            await self.reply(scope, activity, failure_message(exc, user))
            return
        if found.form is not None:
            await chat.post(activity.conversation_id, cards.form_activity(found.form))
            return
        await self.reply(scope, activity, found.done or replies.say(found.refused or "Done."))

    async def answer_text(self, scope: Scope, user: str, text: str) -> Message:
        try:
            command = parse(text)
        except CommandError as exc:
            return replies.problem(str(exc))
        if command.verb is Verb.HELP:
            return help_message(command.unknown)
        if command.verb in OPENS_A_FORM:
            return await outcome(dialogs.offer(scope, user, command), user)
        reply = await outcome(answer(scope, user, command), user)
        if command.verb in REFRESH_AFTER:
            await self.refresh_home(scope, user)
        return reply

    async def reply(self, scope: Scope, activity: Activity, message: Message) -> None:
        """The answer goes to the person's personal chat (a thread hears where it went)."""
        chat = scope.platform
        assert isinstance(chat, TeamsChat) and activity.user_id is not None
        try:
            if activity.personal:
                await chat.post(activity.conversation_id, cards.activity(message))
                return
            await chat.send(personal_id(activity.user_id), message)
            await chat.post(activity.conversation_id, cards.activity(replies.say(ELSEWHERE)))
        except Exception:
            log.exception("could not deliver a reply to %s", activity.user_id)

    async def refresh_home(self, scope: Scope, user: str, notice: str | None = None) -> None:
        try:
            await refresh_home(scope, user, notice=notice)
        except Exception:
            log.exception("could not refresh the home card of %s", user)

    async def _within_budget(self, work: Awaitable[Response], *, invoke: bool) -> Response:
        task: asyncio.Task[Response] = asyncio.ensure_future(work)
        # (asyncio.wait, not wait_for: on 3.11 wait_for can swallow a cancel that comes
        # together with the result; the work goes on either way)
        done, _ = await asyncio.wait({task}, timeout=ANSWER_BUDGET)
        if done:
            return task.result()
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        if invoke:
            return invokes.message_response("Still working on it — I'll post when it's done.")
        return Response(status_code=202)


async def outcome(work: Awaitable[Message], user: str) -> Message:
    """``work``'s message, or the friendly form of its failure (never an exception)."""
    try:
        return await work
    except UnknownUser as exc:
        if exc.user_id == user:
            return replies.say(UNKNOWN_SELF)
        return failure_message(exc, user)
    except Exception as exc:
        return failure_message(exc, user)
