"""Unit of work: one transaction over the repositories of one workspace.

``async with uow:`` opens a session; leaving the block rolls back whatever was not
committed with ``await uow.commit()`` (as in cosmicpython's unit of work).
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from datetime import datetime
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import priority, writers
from storage.db import READ_ONLY
from storage.priority import PriorityLine
from storage.records import WorkspaceRecord
from storage.repositories import (
    AuditRepository,
    EnrollmentRepository,
    FeedbackRepository,
    MentorshipRepository,
    OutboxRepository,
    PeopleRepository,
    ProgramRepository,
    RoundRepository,
    RoutesRepository,
    WorkspaceRepository,
)

_inside: ContextVar[bool] = ContextVar("inside_a_unit_of_work", default=False)


class UnitOfWork:
    """Repositories scoped to ``workspace_id``, sharing one transaction."""

    people: PeopleRepository
    programs: ProgramRepository
    enrollments: EnrollmentRepository
    rounds: RoundRepository
    mentorships: MentorshipRepository
    outbox: OutboxRepository
    audit: AuditRepository
    feedback: FeedbackRepository
    routes: RoutesRepository
    workspaces: WorkspaceRepository

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        workspace_id: int,
        *,
        read_only: bool = False,
    ) -> None:
        self._sessions = sessions
        self.workspace_id = workspace_id
        self.read_only = read_only
        self._session: AsyncSession | None = None
        self._writing: PriorityLine | None = None
        self._inside: Token[bool] | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        if not priority.is_urgent() and not _inside.get():  # (never while holding one)
            await priority.urgency().let_urgent_go_first()  # Slack waits on a click
        if not self.read_only:  # SQLite: writers of this process take turns here
            queue = writers.queue_for(self._sessions.kw["bind"].sync_engine)
            self._writing = await queue.acquire() if queue is not None else None
        self._session = session = self._sessions()
        if self.read_only:  # SQLite: a plain BEGIN that does not wait for writers
            await session.connection(execution_options={READ_ONLY: True})
        self.people = PeopleRepository(session, self.workspace_id)
        self.programs = ProgramRepository(session, self.workspace_id)
        self.enrollments = EnrollmentRepository(session, self.workspace_id)
        self.rounds = RoundRepository(session, self.workspace_id)
        self.mentorships = MentorshipRepository(session, self.workspace_id)
        self.outbox = OutboxRepository(session, self.workspace_id)
        self.audit = AuditRepository(session, self.workspace_id)
        self.feedback = FeedbackRepository(session, self.workspace_id)
        self.routes = RoutesRepository(session, self.workspace_id)
        self.workspaces = WorkspaceRepository(session)
        self._inside = _inside.set(True)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        if self._inside is not None:
            _inside.reset(self._inside)
            self._inside = None
        try:
            await session.rollback()
        finally:
            try:
                await session.close()
            finally:
                writing, self._writing = self._writing, None
                if writing is not None:
                    writing.give_back()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()


class UnitOfWorkFactory:
    """Makes a unit of work for a workspace; the composition root holds one of these."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    def __call__(self, workspace_id: int, *, read_only: bool = False) -> UnitOfWork:
        """``read_only``: the work never writes (on SQLite it then never waits for a writer)."""
        return UnitOfWork(self.sessions, workspace_id, read_only=read_only)

    def workspaces(self) -> WorkspacesUnit:
        """A transaction over the workspace table alone (before a workspace is known)."""
        return WorkspacesUnit(self.sessions)

    async def ensure_workspace(
        self, platform: str, external_id: str, *, name: str, now: datetime
    ) -> WorkspaceRecord:
        """The workspace, created (and committed) on first sight."""
        async with self.workspaces() as unit:
            workspace = await unit.workspaces.ensure(platform, external_id, name=name, now=now)
            await unit.commit()
        return workspace


class WorkspacesUnit:
    """Like ``UnitOfWork`` — leaving the block rolls back what was not committed — over
    the one table that belongs to no workspace."""

    workspaces: WorkspaceRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> WorkspacesUnit:
        self._session = self._sessions()
        self.workspaces = WorkspaceRepository(self._session)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        session, self._session = self._session, None
        assert session is not None
        try:
            await session.rollback()
        finally:
            await session.close()

    async def commit(self) -> None:
        assert self._session is not None, "use the unit inside `async with`"
        await self._session.commit()
