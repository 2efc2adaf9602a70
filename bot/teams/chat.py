"""``ChatPlatform`` on Teams, for one tenant (a mentorbot workspace).

- A conversation with one person is the bot's personal chat with them (``u:<id>``).
- A conversation with several is a real group chat made through Graph (install the
  app for each member, create the chat, install the app in it) when the tenant granted
  the permissions; otherwise each member gets the card in their personal chat, with a
  link that opens a group chat with the others (``bot.teams.each``).
- ``find_sent`` reads the chat back through Graph (when permitted) looking for the card
  marked with the outbox key; channels and chats without Graph cannot be read, and it
  answers None ("cannot tell").
- The home is one card in the personal chat, updated in place, which refreshes itself
  whenever it is shown.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from bot.messages import Message
from bot.platform import PermanentError, SentMessage, UserPage
from bot.teams import cards, each
from bot.teams.context import (
    EACH,
    Requester,
    TeamsContext,
    each_id,
    is_group_chat,
    personal_id,
    personal_user,
)
from bot.teams.directory import Directory
from storage.records import WorkspaceRecord
from storage.repositories import Profile

log = logging.getLogger(__name__)

HOME_VERB = "mentorbot.home"
HOME_ROOM = 60  # blocks: a home card this long stays well inside Teams' 28 KB
NOT_INSTALLED = "ForbiddenOperationException"
CHAT_TOPIC = "mentorbot match"


class TeamsChat:
    def __init__(
        self, workspace: WorkspaceRecord, teams: TeamsContext, requester: Requester | None = None
    ) -> None:
        self.workspace = workspace
        self.teams = teams
        self.requester = requester
        self.directory = Directory(workspace, teams, requester)
        self._profiles: dict[str, Profile] = {}  # within one request, a profile is read once

    @property
    def tenant(self) -> str:
        return self.workspace.external_id

    @property
    def home_room(self) -> int | None:
        return HOME_ROOM

    # -- people ---------------------------------------------------------------------------
    async def user_profile(self, user_id: str) -> Profile:
        if self.requester is not None and user_id in self._profiles:
            return self._profiles[user_id]
        personal = "" if self.teams.graph is not None else await self.teams_id(personal_id(user_id))
        found = await self.directory.profile(user_id, personal)
        self._profiles[user_id] = found
        return found

    async def list_users(self, cursor: str | None = None) -> UserPage:
        return await self.directory.page(cursor)

    # -- conversations --------------------------------------------------------------------
    async def open_conversation(self, user_ids: Sequence[str]) -> str:
        people = list(dict.fromkeys(user_ids))
        if len(people) == 1:
            await self.teams_id(personal_id(people[0]))  # they can be reached at all
            return personal_id(people[0])
        if self.teams.graph is not None:
            try:
                return await self._group_chat(people)
            except PermanentError as exc:
                log.warning("no group chat for %s (%s): one card each instead", people, exc)
        conversation = each_id(people)
        self.teams.routes.fanouts[conversation] = tuple(people)
        return conversation

    async def _group_chat(self, people: list[str]) -> str:
        graph = self.teams.graph
        assert graph is not None
        key = (self.tenant, frozenset(people))
        chat = self.teams.routes.chats.get(key)
        if chat is None:
            installed = self.teams.routes.installed
            for person in people:
                if (self.tenant, person) not in installed:
                    await graph.install_for_user(self.tenant, person)
                    installed.add((self.tenant, person))
            # Creating a chat cannot be repeated safely: remember it before the next step.
            chat = self.teams.routes.chats[key] = await graph.create_group_chat(
                self.tenant, people, CHAT_TOPIC
            )
        await graph.install_in_chat(self.tenant, chat)
        self.teams.routes.chats.pop(key, None)
        return chat

    async def teams_id(self, conversation: str) -> str:
        """Teams' own id for one of our conversation ids (personal chats are created)."""
        user = personal_user(conversation)
        if user is None:
            return conversation
        key = (self.tenant, user)
        known = self.teams.routes.personal.get(key)
        if known is None:
            url = await self.teams.routes.service_url(self.workspace)
            try:
                known = await self.teams.connector.create_personal(url, self.tenant, user)
            except PermanentError as exc:
                if exc.code != NOT_INSTALLED or self.teams.graph is None:
                    raise
                # Not installed for them (and in no team with the bot): install it, as
                # the tenant allowed through Graph, and try once more.
                await self.teams.graph.install_for_user(self.tenant, user)
                self.teams.routes.installed.add(key)
                known = await self.teams.connector.create_personal(url, self.tenant, user)
            self.teams.routes.personal[key] = known
        return known

    # -- messages -------------------------------------------------------------------------
    async def send(
        self, conversation: str, message: Message, *, key: str | None = None
    ) -> SentMessage:
        if conversation.startswith(EACH):
            return await each.send(self, conversation, message, key)
        return await self.post(conversation, cards.activity(message, key=key))

    async def post(self, conversation: str, activity: dict[str, Any]) -> SentMessage:
        target = await self.teams_id(conversation)
        url = await self.teams.routes.service_url(self.workspace, target)
        return SentMessage(conversation, await self.teams.connector.post(url, target, activity))

    async def find_sent(self, conversation: str, key: str) -> SentMessage | None:
        graph = self.teams.graph
        if graph is None:
            return None  # Teams cannot read a chat back without Graph: cannot tell
        user = personal_user(conversation)
        if user is not None:
            chat = await graph.personal_chat_id(self.tenant, user)
        else:
            chat = conversation if is_group_chat(conversation) else None
        if chat is None:
            return None
        marker = json.dumps(cards.KEY_PREFIX + key)[1:-1]
        for item in await graph.chat_messages(self.tenant, chat):
            sender = ((item.get("from") or {}).get("application") or {}).get("id")
            contents = " ".join(str(a.get("content") or "") for a in item.get("attachments") or [])
            if sender == self.teams.app_id and marker in contents:
                return SentMessage(conversation, str(item["id"]))
        return None

    async def update(self, sent: SentMessage, message: Message) -> None:
        await self._replace(sent, cards.activity(message))
        if self.requester is not None and self.requester.is_clicked(sent):
            self.requester.redrawn = message

    async def _replace(self, sent: SentMessage, activity: dict[str, Any]) -> None:
        if sent.conversation.startswith(EACH):
            raise PermanentError("a card sent to each member is redrawn where it was clicked")
        target = await self.teams_id(sent.conversation)
        url = await self.teams.routes.service_url(self.workspace, target)
        await self.teams.connector.update(url, target, sent.message_id, activity)

    async def send_ephemeral(self, conversation: str, user_id: str, message: Message) -> None:
        """Only they see it: in their personal chat."""
        await self.send(personal_id(user_id), message)

    async def show_home(self, user_id: str, home: Message) -> None:
        activity = cards.activity(home, refresh=self.home_refresh(user_id), home=True)
        routes = self.teams.routes
        requester = self.requester
        clicked = requester.clicked if requester and requester.user_id == user_id else None
        known = await routes.home(self.workspace, user_id)
        if known is None and clicked is not None:
            known = clicked  # a click on a home card shows where it is
            await routes.remember_home(self.workspace, user_id, clicked)
        if known is not None:
            try:
                await self._replace(known, activity)
            except PermanentError as exc:
                log.info(
                    "home card of %s could not be updated (%s): posting it again", user_id, exc
                )
            else:
                if requester is not None and requester.is_clicked(known):
                    requester.redrawn = home
                return
        posted = await self.post(personal_id(user_id), activity)
        await routes.remember_home(self.workspace, user_id, posted)

    def home_refresh(self, user_id: str) -> dict[str, Any]:
        """Makes Teams ask for the card again whenever it shows it (to this person)."""
        data = {"action_id": HOME_VERB, "value": "", "home": True}
        refresh: dict[str, Any] = {
            "action": {
                "type": "Action.Execute",
                "title": "Refresh",
                "verb": HOME_VERB,
                "data": data,
            }
        }
        bot_id = self.teams.routes.bot_ids.get((self.tenant, user_id))
        if bot_id is not None:
            refresh["userIds"] = [bot_id]
        return refresh
