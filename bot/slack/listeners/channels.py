"""Programs joined through their channel: joining enrolls (and welcomes), leaving pauses."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.delivery import keys
from bot.errors import UnknownUser
from bot.services.channels import joined_channel, left_channel
from bot.slack.scope import Scopes

log = logging.getLogger(__name__)


def register(app: AsyncApp, scopes: Scopes) -> None:
    @app.event("member_joined_channel")
    async def joined(event: dict[str, Any], context: AsyncBoltContext) -> None:
        user_id, channel = str(event.get("user") or ""), str(event.get("channel") or "")
        if not user_id or user_id == context.bot_user_id:
            return
        welcome = keys.welcome(channel, user_id, str(event.get("event_ts") or ""))
        try:
            scope = await scopes.resolve(context)
            joined = await joined_channel(scope, user_id, channel, welcome_key=welcome)
            if joined and scope.deliveries is not None:  # the welcome, without a poll's wait
                scope.deliveries.kick(scope.workspace)
        except UnknownUser:
            log.info("%s joined %s but Slack does not know them; ignored", user_id, channel)
        except Exception:
            log.exception("could not enroll %s who joined %s", user_id, channel)

    @app.event("member_left_channel")
    async def left(event: dict[str, Any], context: AsyncBoltContext) -> None:
        user_id, channel = str(event.get("user") or ""), str(event.get("channel") or "")
        try:
            paused = await left_channel(await scopes.resolve(context), user_id, channel)
            if paused:
                log.info("%s left %s: paused in %d program(s)", user_id, channel, len(paused))
        except Exception:
            log.exception("could not pause %s who left %s", user_id, channel)
