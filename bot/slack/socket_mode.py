"""Socket Mode: with ``SLACK_APP_TOKEN`` (xapp-…) the app also receives commands, clicks
and events over a WebSocket it opens to Slack, so it needs no public URL.

It runs beside the web app as a background service. Connecting happens in the
background too: if Slack is unreachable at start-up, ``serve`` still starts and the
client keeps retrying.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

log = logging.getLogger(__name__)


class SocketMode:
    def __init__(self, bolt: AsyncApp, app_token: str) -> None:
        self.bolt = bolt
        self.app_token = app_token
        self._handler: Any = None  # AsyncSocketModeHandler (its methods are untyped)
        self._connecting: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._handler = AsyncSocketModeHandler(self.bolt, self.app_token)
        self._connecting = asyncio.create_task(self._handler.connect_async())
        log.info("Socket Mode: connecting to Slack")

    async def stop(self) -> None:
        if self._connecting is not None and not self._connecting.done():
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connecting
        if self._handler is not None:
            await self._handler.close_async()
        log.info("Socket Mode: disconnected")

    async def connected(self) -> bool:
        return self._handler is not None and bool(await self._handler.client.is_connected())
