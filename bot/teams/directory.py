"""Looking people up in one tenant: one profile (``user_profile``) or a page of the
directory (``list_users``, Graph only). See ``bot.teams.profiles`` for what comes from
where; what Teams cannot tell (a title or time zone without Graph) is kept as stored."""

from __future__ import annotations

import asyncio
import logging

from bot.errors import UnknownUser
from bot.platform import PermanentError, UserPage
from bot.teams import profiles
from bot.teams.context import Requester, TeamsContext
from storage.records import PersonRecord, WorkspaceRecord
from storage.repositories import Profile

log = logging.getLogger(__name__)

NOT_FOUND = frozenset({"NotFound", "MemberNotFoundInConversation", "Request_ResourceNotFound"})


class Directory:
    def __init__(
        self, workspace: WorkspaceRecord, teams: TeamsContext, requester: Requester | None
    ) -> None:
        self.workspace = workspace
        self.teams = teams
        self.requester = requester

    @property
    def tenant(self) -> str:
        return self.workspace.external_id

    async def profile(self, user_id: str, personal: str) -> Profile:
        """``personal``: Teams' id of the bot's chat with the person (for the member API)."""
        stored = await self._stored(user_id)
        zone = self._zone(user_id, stored)
        graph = self.teams.graph
        if graph is not None:
            user, mailbox, admin = await asyncio.gather(
                graph.user(self.tenant, user_id),
                graph.mailbox_time_zone(self.tenant, user_id),
                graph.is_admin(self.tenant, user_id),
            )
            if user is None or not profiles.enabled(user):
                raise UnknownUser(user_id)
            self._remember_upn(user_id, user.get("userPrincipalName"))
            zone = profiles.iana(mailbox) or zone
            return profiles.from_graph(user, time_zone=zone, is_admin=admin)
        title = stored.title if stored is not None else None
        requester = self.requester
        if requester is not None and requester.user_id == user_id and requester.name:
            real = stored.real_name if stored is not None else None
            return Profile(user_id, requester.name, real or requester.name, title, zone)
        url = await self.teams.routes.service_url(self.workspace, personal)
        try:
            member = await self.teams.connector.member(url, personal, user_id)
        except PermanentError as exc:
            if exc.code in NOT_FOUND or exc.code == "http_404":
                raise UnknownUser(user_id) from exc
            raise
        self._remember_upn(user_id, member.get("userPrincipalName") or member.get("email"))
        return profiles.from_member(member, user_id, time_zone=zone, title=title)

    async def page(self, cursor: str | None) -> UserPage:
        graph = self.teams.graph
        if graph is None:
            raise PermanentError(
                "paging the directory needs the Graph permissions", code="no_graph"
            )
        people, following = await graph.users_page(self.tenant, cursor)
        found: list[Profile] = []
        gone: list[str] = []
        async with self.teams.uow(self.workspace.id, read_only=True) as unit:
            for user in people:
                user_id = str(user.get("id") or "")
                if not user_id:
                    continue
                if not profiles.enabled(user):
                    gone.append(user_id)
                    continue
                stored = await unit.people.by_user_id(user_id)
                zone = self._zone(user_id, stored)
                admin = stored.is_workspace_admin if stored is not None else False
                found.append(profiles.from_graph(user, time_zone=zone, is_admin=admin))
        return UserPage(tuple(found), tuple(gone), following)

    def _remember_upn(self, user_id: str, upn: object) -> None:
        if isinstance(upn, str) and "@" in upn and len(upn) <= 200:
            self.teams.routes.upns[(self.tenant, user_id)] = upn

    async def _stored(self, user_id: str) -> PersonRecord | None:
        async with self.teams.uow(self.workspace.id, read_only=True) as unit:
            return await unit.people.by_user_id(user_id)

    def _zone(self, user_id: str, stored: PersonRecord | None) -> str:
        """The best time zone short of Graph's: the client's, then the stored one."""
        requester = self.requester
        if requester is not None and requester.user_id == user_id:
            reported = profiles.iana(requester.time_zone)
            if reported:
                return reported
        seen = profiles.iana(self.teams.routes.zones.get((self.tenant, user_id)))
        if seen:
            return seen
        return stored.time_zone if stored is not None else "UTC"
