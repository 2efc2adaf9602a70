"""The home tab: published when a person opens it, and again after they act on it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.builders import actions
from bot.errors import UnknownUser
from bot.handlers import refresh_home
from bot.slack.scope import Scopes

__all__ = ["refresh_home", "register"]
log = logging.getLogger(__name__)


def register(app: AsyncApp, scopes: Scopes) -> None:
    @app.event("app_home_opened")
    async def opened(event: dict[str, Any], context: AsyncBoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = str(event.get("user") or "")
        try:
            await refresh_home(await scopes.resolve(context), user_id)
        except UnknownUser:
            log.info("home tab opened by %s, whom Slack does not know; nothing shown", user_id)
        except Exception:
            log.exception("could not publish the home tab of %s", user_id)

    @app.action(actions.OPEN_DASHBOARD)
    async def dashboard_opened(ack: AsyncAck) -> None:
        """The browser opens the link; Slack still reports the click and wants an ack."""
        await ack()
