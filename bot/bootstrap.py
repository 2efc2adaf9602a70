"""The composition root: the one place that builds engines, clients and services.

Only entry points import it (the CLI, the demo); everything below receives what it
needs — the runners a ``Core``, use cases a ``Scope``.

Adding a chat platform is one line in ``PLATFORMS``: its ``PlatformPlugin``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta

from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.core import Core
from bot.dashboard.links import DashboardLinks
from bot.delivery.pacer import Sleep
from bot.memory.plugin import MEMORY
from bot.platforms import PlatformPlugin, Platforms
from bot.services.delivery import Deliveries
from bot.slack.plugin import SLACK
from bot.teams.plugin import TEAMS
from storage.db import create_engine, session_factory
from storage.uow import UnitOfWorkFactory

PLATFORMS: tuple[PlatformPlugin, ...] = (
    SLACK,
    TEAMS,
    MEMORY,
)


def build(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    rate_limit_speedup: float = 1.0,
    sleep: Sleep = asyncio.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    plugins: tuple[PlatformPlugin, ...] = PLATFORMS,
) -> Core:
    """Create the engine, the unit-of-work factory, delivery and every configured
    platform's adapter.

    ``rate_limit_speedup`` > 1 shortens the pacer's windows, for a simulated workspace
    only; ``sleep``/``monotonic`` let tests run delivery on a virtual clock.
    """
    engine = create_engine(settings.database_url, limits=settings.database_limits)
    uow = UnitOfWorkFactory(session_factory(engine))
    platforms = Platforms()
    deliveries = Deliveries(
        uow,
        clock,
        platforms,
        lease=timedelta(seconds=settings.delivery_lease_seconds),
        call_timeout=timedelta(seconds=settings.platform_timeout_seconds),
        rate_limit_speedup=rate_limit_speedup,
        sleep=sleep,
        monotonic=monotonic,
    )
    core = Core(
        settings=settings,
        clock=clock,
        engine=engine,
        uow=uow,
        platforms=platforms,
        deliveries=deliveries,
        links=DashboardLinks.from_settings(settings, clock),
    )
    for plugin in plugins:
        if plugin.configured(settings):
            platforms.add(plugin.create(core))
    return core
