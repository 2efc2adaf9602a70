"""What a use case needs to act for one workspace: its storage, its chat, the clock.

Every service takes a ``Scope`` as its first argument — the one shape of dependencies
in ``bot/services``. Platform adapters make one per request (from the workspace the
request came from); the clock, the worker and the CLI make one per workspace they act
on. Nothing in a scope reaches past its workspace.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.platform import ChatPlatform
from storage.records import WorkspaceRecord
from storage.uow import UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from bot.dashboard.links import LinkMinter
    from bot.services.delivery import Deliveries


@dataclass(frozen=True, slots=True)
class Scope:
    """Everything here belongs to ``workspace``; no query may reach past it.

    ``admins`` are the leads named in settings (platform user ids). ``dashboard`` makes a
    lead's signed link to this workspace's web dashboard (None: links cannot be signed).
    ``deliveries`` is the process's delivery service (None where nothing is sent).
    """

    workspace: WorkspaceRecord
    uow: UnitOfWorkFactory
    platform: ChatPlatform
    clock: Clock
    admins: frozenset[str] = frozenset()
    dashboard: LinkMinter | None = None
    deliveries: Deliveries | None = None

    @property
    def workspace_id(self) -> int:
        return self.workspace.id

    def unit(self, *, read_only: bool = False) -> UnitOfWork:
        """A unit of work over this workspace's repositories (``read_only``: never writes)."""
        return self.uow(self.workspace.id, read_only=read_only)

    def using(self, platform: ChatPlatform) -> Scope:
        """The same scope talking to the workspace through ``platform`` (e.g. paced)."""
        return dataclasses.replace(self, platform=platform)
