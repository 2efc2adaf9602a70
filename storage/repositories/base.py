"""What every workspace-scoped repository shares."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class ScopedRepository:
    """Holds the session and the workspace every query is limited to."""

    def __init__(self, session: AsyncSession, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id
