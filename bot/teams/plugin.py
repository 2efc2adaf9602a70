"""Teams' registration: configured by ``TEAMS_APP_ID`` and ``TEAMS_APP_PASSWORD``.

Cheap to import: the adapter (and the Teams SDK with it) loads only when Teams is
configured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.platforms import PlatformAdapter, PlatformPlugin

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core import Core

NAME = "teams"


def _configured(settings: Settings) -> bool:
    return settings.teams_configured


def _create(core: Core) -> PlatformAdapter:
    from bot.teams.adapter import TeamsAdapter

    return TeamsAdapter(core)


TEAMS = PlatformPlugin(NAME, _configured, _create)
