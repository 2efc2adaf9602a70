"""Redrawing a message a person clicked on, without ever losing the click."""

from __future__ import annotations

import asyncio
import logging

from bot.messages import Message
from bot.platform import ChatPlatform, PlatformError, RateLimited, SentMessage

log = logging.getLogger(__name__)
REDRAW_ATTEMPTS = 4
MAX_REDRAW_WAIT = 5.0


async def redraw(platform: ChatPlatform, sent: SentMessage, message: Message) -> None:
    """Update the message in place; the answer is stored already, so a failure only
    leaves the old drawing (logged), never the person's click unrecorded."""
    for attempt in range(1, REDRAW_ATTEMPTS + 1):
        try:
            await platform.update(sent, message)
            return
        except RateLimited as exc:
            if attempt == REDRAW_ATTEMPTS:
                log.warning("could not redraw %s: %s", sent, exc)
                return
            await asyncio.sleep(min(exc.retry_after, MAX_REDRAW_WAIT))
        except PlatformError as exc:
            log.warning("could not redraw %s: %s", sent, exc)
            return
