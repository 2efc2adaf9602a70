"""``conversationUpdate``: the app arriving, and people joining or leaving a team.

- The bot added to someone's personal scope: a welcome (the help text) and their home
  card.
- People added to a team the bot is in (``teamMemberAdded``): for each program that
  people join by joining its channel, and whose channel is in that team, they are
  enrolled and welcomed in their personal chat; removed (``teamMemberRemoved``): paused.
  Teams reports membership per team, not per channel, so every channel of the team
  counts (the team's channels are asked of the Bot Connector; the General channel's id
  is the team's).
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

from fastapi import Response

from bot.builders.help import help_message
from bot.delivery import keys
from bot.errors import UnknownUser
from bot.services.channels import joined_channel, left_channel
from bot.services.scope import Scope
from bot.teams.activity import Activity, Member
from bot.teams.chat import TeamsChat
from bot.teams.context import personal_id

if TYPE_CHECKING:
    from bot.teams.dispatch import Dispatcher

log = logging.getLogger(__name__)

ADDED, REMOVED = "teamMemberAdded", "teamMemberRemoved"


async def handle(dispatcher: Dispatcher, scope: Scope, activity: Activity) -> Response:
    chat = scope.platform
    assert isinstance(chat, TeamsChat)
    bot = activity.recipient_id
    if any(m.id == bot for m in activity.members_added):
        if activity.personal and activity.user_id:
            await _welcome(dispatcher, scope, chat, activity.user_id)
        return Response(status_code=200)
    people_in = [m for m in activity.members_added if _person(m, bot)]
    people_out = [m for m in activity.members_removed if _person(m, bot)]
    if activity.team_id and (people_in or people_out):
        channels = await _team_channels(chat, activity.team_id)
        for member in people_in:
            # An activity without an id (never seen from Teams) is welcomed as its own.
            await _joined(scope, member, channels, occasion=activity.id or secrets.token_hex(8))
        for member in people_out:
            await _left(scope, member, channels)
    return Response(status_code=200)


async def _welcome(dispatcher: Dispatcher, scope: Scope, chat: TeamsChat, user: str) -> None:
    try:
        await chat.send(personal_id(user), help_message())
    except Exception:
        log.exception("could not welcome %s", user)
    await dispatcher.refresh_home(scope, user)


async def _team_channels(chat: TeamsChat, team_id: str) -> list[str]:
    channels = [team_id]
    try:
        url = await chat.teams.routes.service_url(chat.workspace, team_id)
        listed = await chat.teams.connector.team_channels(url, team_id)
    except Exception as exc:
        log.warning(
            "could not list the channels of team %s (%s): the General one only", team_id, exc
        )
        return channels
    known = chat.teams.routes.channels.setdefault(chat.tenant, {})
    known.update(listed)  # for the program form's list of channels
    return channels + [c for c, _ in listed if c != team_id]


async def _joined(scope: Scope, member: Member, channels: list[str], *, occasion: str) -> None:
    user = member.aad_id
    assert user is not None
    for channel in channels:
        # The welcome goes through the outbox, keyed by the event: Teams resending the
        # same activity (our answer was lost) welcomes once.
        welcome = keys.welcome(channel, user, occasion)
        try:
            joined = await joined_channel(scope, user, channel, welcome_key=welcome)
            if joined and scope.deliveries is not None:  # sent now, not at the next poll
                scope.deliveries.kick(scope.workspace)
        except UnknownUser:
            log.info("%s joined a team but Teams does not know them; ignored", user)
            return
        except Exception:
            log.exception("could not enroll %s who joined %s", user, channel)


async def _left(scope: Scope, member: Member, channels: list[str]) -> None:
    user = member.aad_id
    assert user is not None
    for channel in channels:
        try:
            paused = await left_channel(scope, user, channel)
            if paused:
                log.info("%s left %s: paused in %d program(s)", user, channel, len(paused))
        except Exception:
            log.exception("could not pause %s who left %s", user, channel)


def _person(member: Member, bot: str | None) -> bool:
    return member.aad_id is not None and member.id != bot
