"""What a use case needs to act for one workspace: its storage, its chat, the clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.platform import ChatPlatform
from storage.uow import UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from bot.dashboard.links import LinkMinter


@dataclass(frozen=True, slots=True)
class Scope:
    """Everything here belongs to ``workspace_id``; no query may reach past it.

    ``admins`` are the leads named in settings (platform user ids). ``dashboard`` makes a
    lead's signed link to this workspace's web dashboard (None: links cannot be signed).
    """

    workspace_id: int
    uow: UnitOfWorkFactory
    platform: ChatPlatform
    clock: Clock
    admins: frozenset[str] = frozenset()
    dashboard: LinkMinter | None = None

    def unit(self, *, read_only: bool = False) -> UnitOfWork:
        """A unit of work over this workspace's repositories (``read_only``: never writes)."""
        return self.uow(self.workspace_id, read_only=read_only)
