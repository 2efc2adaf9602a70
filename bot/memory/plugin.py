"""The in-memory platform's registration: on when ``MEMORY_CHAT_SECRET`` is set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.platforms import PlatformAdapter, PlatformPlugin

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core import Core

NAME = "memory"


def _configured(settings: Settings) -> bool:
    return settings.memory_chat_secret is not None


def _create(core: Core) -> PlatformAdapter:
    from bot.memory.adapter import MemoryAdapter

    return MemoryAdapter(core)


MEMORY = PlatformPlugin(NAME, _configured, _create)
