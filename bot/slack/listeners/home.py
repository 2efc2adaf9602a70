"""The home tab: published when a person opens it, and again after they act on it."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.builders import actions
from bot.builders.home import home_blocks
from bot.errors import UnknownUser
from bot.services.home import home
from bot.services.scope import Scope
from bot.slack import render
from bot.slack.scope import Scopes

log = logging.getLogger(__name__)


async def refresh_home(scope: Scope, user_id: str, *, notice: str | None = None) -> None:
    """Publish the person's home tab as it is now, with ``notice`` on top if given."""
    data = await home(scope, user_id)
    blocks = home_blocks(data, notice, room=render.MAX_HOME_BLOCKS)
    await scope.platform.publish_home(user_id, blocks)


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
