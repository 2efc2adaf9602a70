"""Buttons: ``adaptiveCard/action`` invokes (Universal Actions), answered in the HTTP
response with the card that replaces the one clicked — for everyone who sees it, since
what a click changes is also written to the message itself.

- The home card's buttons (and its automatic refresh) answer with the home card as it
  is now, with what happened on top.
- "We met" and the other in-place buttons record the answer; the service redraws the
  message, and that drawing is the answer.
- Pause, resume and leave (after confirming) answer with their reply, which replaces
  the card they were on; the home card is brought up to date too.

A button mentorbot does not know, or a click it must refuse, is answered with a short
message Teams shows to the person; the card stays as it was and nothing changes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi import Response
from fastapi.responses import JSONResponse

from bot.builders.home import home_blocks
from bot.handlers import HOME_TITLE, IN_PLACE_BUTTONS, MEMBERSHIP_BUTTONS, click, failure_message
from bot.messages import Message
from bot.platform import SentMessage
from bot.services.home import home
from bot.services.scope import Scope
from bot.teams import cards
from bot.teams.activity import Activity
from bot.teams.chat import HOME_VERB, TeamsChat
from bot.teams.markdown import plain

if TYPE_CHECKING:
    from bot.teams.dispatch import Dispatcher

log = logging.getLogger(__name__)

CARD_ACTION = "adaptiveCard/action"
CARD_RESPONSE = "application/vnd.microsoft.card.adaptive"
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"


def card_response(card: dict[str, Any]) -> Response:
    return JSONResponse({"statusCode": 200, "type": CARD_RESPONSE, "value": card})


def message_response(text: str) -> Response:
    return JSONResponse({"statusCode": 200, "type": MESSAGE_RESPONSE, "value": text[:1000]})


async def handle(dispatcher: Dispatcher, scope: Scope, activity: Activity) -> Response:
    if activity.name != CARD_ACTION:
        return JSONResponse({"statusCode": 200}, status_code=200)
    user = activity.user_id
    chat = scope.platform
    if user is None or not isinstance(chat, TeamsChat) or chat.requester is None:
        return message_response("I can't tell who clicked, so I did nothing.")
    action = (activity.value or {}).get("action") if isinstance(activity.value, dict) else None
    data = action.get("data") if isinstance(action, dict) else None
    if not isinstance(action, dict) or not isinstance(data, dict):
        return message_response("That button doesn't belong to anything I know.")
    action_id = str(data.get("action_id") or action.get("verb") or "")[:100]
    value = str(data.get("value") or "")[:200]
    if activity.reply_to:
        chat.requester.clicked = SentMessage(activity.conversation_id, activity.reply_to)
    if action_id == HOME_VERB:  # the home card, shown again: redraw it as it is now
        clicked = chat.requester.clicked
        if clicked is not None:
            chat.teams.routes.homes.setdefault((chat.tenant, user), clicked)
        return card_response(await _home_card(scope, chat, user, None, keep=False))
    if data.get("home") is True:
        return await _on_home(dispatcher, scope, chat, user, action_id, value)
    try:
        reply = await click(scope, user, action_id, value, chat.requester.clicked)
    except Exception as exc:
        return message_response(plain(failure_message(exc, user).text))
    if action_id in IN_PLACE_BUTTONS:
        redrawn = chat.requester.redrawn
        return card_response(cards.card(redrawn)) if redrawn else message_response("Noted.")
    if reply is None:
        return message_response("Done.")
    if chat.requester.clicked is not None:
        try:
            await chat.update(chat.requester.clicked, reply)
        except Exception as exc:
            log.info("could not replace the card %s clicked: %s", user, exc)
    if action_id in MEMBERSHIP_BUTTONS:
        await dispatcher.refresh_home(scope, user)
    return card_response(cards.card(reply))


async def _on_home(
    dispatcher: Dispatcher, scope: Scope, chat: TeamsChat, user: str, action_id: str, value: str
) -> Response:
    try:
        reply = await click(scope, user, action_id, value, None)
        notice = reply.text if reply is not None else None
    except Exception as exc:
        notice = failure_message(exc, user).text
    return card_response(await _home_card(scope, chat, user, notice))


async def _home_card(
    scope: Scope, chat: TeamsChat, user: str, notice: str | None, *, keep: bool = True
) -> dict[str, Any]:
    """The home as it is now, to show in place of the clicked card; ``keep``: also
    written to the home card itself (a refresh only redraws what one person sees)."""
    data = await home(scope, user)
    message = Message(text=HOME_TITLE, blocks=tuple(home_blocks(data, notice)))
    if keep:
        await chat.show_home(user, message)
    return cards.card(message, refresh=chat.home_refresh(user), home=True)
