"""A group's message as one card each, in each member's personal chat (no Graph
permission for a real group chat — Icebreaker's way): the same content, plus a link
that opens a group chat with the others, already named and with a first message.

One outbox row still stands for the whole group. Within a process, members who already
have this card are never sent it again (a retry after a rate limit or an error only
reaches the rest); a 429 after some cards went out is waited for here rather than
reported, so the outbox never takes the whole group for unsent. Someone who blocked
the bot is skipped (logged) and the others still get theirs; only when nobody could be
reached does the send fail for good. What a crash between two cards can do is in the
README (*What exactly once means on Teams*).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from bot.messages import Message
from bot.platform import PermanentError, RateLimited, SentMessage
from bot.teams import cards
from bot.teams.context import personal_id
from bot.teams.markdown import plain

if TYPE_CHECKING:
    from bot.teams.chat import TeamsChat

log = logging.getLogger(__name__)

MAX_WAITS = 4
MAX_WAIT = 30.0
CHAT_LINK = "https://teams.microsoft.com/l/chat/0/0"
NOTE = (
    "This card went to each of you; replies here reach only mentorbot. "
    "Use the button to start your group chat."
)


async def send(
    chat: TeamsChat, conversation: str, message: Message, key: str | None
) -> SentMessage:
    members = await _members(chat, conversation)
    if not members:
        raise PermanentError(f"nobody is known in {conversation}", code="not_found")
    extra = [cards.note(NOTE)]
    link = await _chat_link(chat, members, message)
    if link is not None:
        extra.append(
            {
                "type": "ActionSet",
                "actions": [{"type": "Action.OpenUrl", "title": "Open a group chat", "url": link}],
            }
        )
    activity = cards.activity(message, key=key, extra=extra)
    delivered = chat.teams.routes.delivered
    first: SentMessage | None = None
    refused: list[PermanentError] = []
    sent_now = 0
    for member in members:
        done = delivered.get((key, member)) if key is not None else None
        if done is None:
            try:
                done = await _post(chat, member, activity, waited=sent_now > 0)
            except PermanentError as exc:
                log.warning("%s: not delivered to %s: %s", key or "a card", member, exc)
                refused.append(exc)
                continue
            sent_now += 1
            if key is not None:
                delivered[(key, member)] = done
        first = first or done
    if first is None:
        raise refused[0]
    return SentMessage(conversation, first.message_id)


async def _post(
    chat: TeamsChat, member: str, activity: dict[str, object], *, waited: bool
) -> SentMessage:
    """Post to one member; once a card of this send went out, rate limits are waited for."""
    for attempt in range(MAX_WAITS + 1):
        try:
            return await chat.post(personal_id(member), dict(activity))
        except RateLimited as exc:
            if not waited or attempt == MAX_WAITS:
                raise
            await asyncio.sleep(min(exc.retry_after, MAX_WAIT))
    raise AssertionError("unreachable")


async def _members(chat: TeamsChat, conversation: str) -> tuple[str, ...]:
    known = chat.teams.routes.fanouts.get(conversation)
    if known:
        return known
    async with chat.teams.uow(chat.workspace.id, read_only=True) as unit:
        members = await unit.rounds.conversation_members(conversation)
    if members:
        chat.teams.routes.fanouts[conversation] = members
    return members


async def _chat_link(chat: TeamsChat, members: tuple[str, ...], message: Message) -> str | None:
    """Teams' deep link to a new group chat with ``members`` (by sign-in name)."""
    names: list[str] = []
    for member in members:
        upn = chat.teams.routes.upns.get((chat.tenant, member))
        if upn is None:
            try:
                await chat.user_profile(member)  # learns the sign-in name
            except Exception as exc:
                log.info("no sign-in name for %s (%s): no group chat link", member, exc)
                return None
            upn = chat.teams.routes.upns.get((chat.tenant, member))
        if upn is None:
            return None
        names.append(upn)
    query = {
        "users": ",".join(names),
        "topicName": plain(message.text)[:60] or "mentorbot match",
        "message": "Hi! mentorbot matched us, so here we are. When would suit you?",
    }
    return f"{CHAT_LINK}?{urlencode(query)}"
