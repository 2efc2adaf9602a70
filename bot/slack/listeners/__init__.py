"""One ``register(app, …)`` per listener kind, as in Bolt's starter template."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from bot.slack.listeners import (
    channels,
    checkins,
    commands,
    home,
    membership,
    programs,
    signup,
)
from bot.slack.scope import Scopes

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)


def register(app: AsyncApp, core: Core) -> None:
    scopes = Scopes(core)
    commands.register(app, scopes)
    signup.register(app, scopes)
    programs.register(app, scopes)
    membership.register(app, scopes)
    home.register(app, scopes)
    channels.register(app, scopes)
    checkins.register(app, scopes)

    @app.error
    async def on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> None:
        logger.exception("unhandled error in a Slack listener: %s", error)
