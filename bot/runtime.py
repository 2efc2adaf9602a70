"""What runs beside the web app: each platform's own background services (e.g. Slack's
Socket Mode) and, on the embedded default, the clock and the delivery worker."""

from __future__ import annotations

import logging

from bot.core import Core
from bot.delivery.worker import DeliveryWorker
from bot.platforms import Background
from bot.scheduler import Clock

log = logging.getLogger(__name__)


def background_services(core: Core, *, embedded: bool) -> list[Background]:
    """The platforms' background services; with ``embedded`` also the clock (scheduled
    rounds and check-ins) and the delivery worker."""
    receiving = [service for adapter in core.platforms for service in adapter.background()]
    if not embedded:
        return receiving
    if not len(core.platforms):
        log.info("no chat platform is configured: no scheduled rounds or deliveries here")
        return receiving
    return [*receiving, DeliveryWorker(core), Clock(core)]
