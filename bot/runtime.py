"""What runs beside the web app, and what happens when a process starts."""

from __future__ import annotations

import logging

from bot.bootstrap import Container
from bot.delivery.worker import DeliveryWorker
from bot.platform import PlatformError
from bot.scheduler import Clock
from bot.web import Background, StartupHook

log = logging.getLogger(__name__)


def background_services(container: Container, *, embedded: bool) -> list[Background]:
    """The services ``serve`` runs in-process on the embedded default: the clock
    (scheduled rounds and check-ins) and the delivery worker; and, whenever
    SLACK_APP_TOKEN is set, the Socket Mode connection."""
    receiving = _socket_mode(container)
    if not embedded:
        return receiving
    if not container.settings.slack_configured:
        log.info("Slack is not configured: no scheduled rounds or deliveries in this process")
        return receiving
    return [*receiving, DeliveryWorker(container), Clock(container)]


def _socket_mode(container: Container) -> list[Background]:
    if container.settings.slack_app_token is None or not container.settings.slack_configured:
        return []
    from bot.slack.socket_mode import SocketMode

    return [SocketMode(container)]


def startup_hooks(container: Container) -> list[StartupHook]:
    return [_sync_bot_workspace]


async def _sync_bot_workspace(container: Container) -> None:
    """Single-workspace mode: learn the workspace (auth.test) and load configured programs."""
    if container.settings.slack_bot_token is None:
        return
    try:
        workspace = await container.bot_workspace()
    except PlatformError as exc:
        log.warning("could not reach Slack at start-up (%s); will retry on first use", exc)
        return
    log.info("serving Slack workspace %s (%s)", workspace.name, workspace.external_id)
