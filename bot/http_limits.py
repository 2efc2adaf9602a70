"""Bounded request bodies, as ASGI middleware in front of the whole app.

Slack's payloads are small (a modal submission is a few kilobytes), so a body over
``MAX_BODY_BYTES`` is refused with 413: at once when ``Content-Length`` says so, before a
byte of it is read; otherwise (chunked) as soon as the bytes read pass the limit. The
body is read here, at most that much, and handed on to the app, so nothing behind this
(the Slack signature check included) ever holds more. A body that trickles in slower
than ``BODY_SECONDS`` in all gets 408.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
BODY_SECONDS = 10.0

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Read at most ``max_bytes`` of each request body, then pass the request on."""

    def __init__(
        self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, seconds: float = BODY_SECONDS
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            log.warning(
                "refused a %d-byte body for %s (limit %d)",
                declared,
                scope.get("path"),
                self.max_bytes,
            )
            await _refuse(send, 413, "request body too large")
            return
        try:
            async with asyncio.timeout(self.seconds):
                messages = await self._read(receive)
        except BodyTooLarge:
            log.warning("cut off a body over %d bytes for %s", self.max_bytes, scope.get("path"))
            await _refuse(send, 413, "request body too large")
            return
        except TimeoutError:
            await _refuse(send, 408, "request body too slow")
            return
        await self.app(scope, _replay(messages, receive), send)

    async def _read(self, receive: Receive) -> list[Message]:
        """The body's messages, up to the end of the body or a disconnect."""
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                raise BodyTooLarge()
            if not message.get("more_body", False):
                return messages


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """``receive`` that first hands out what was already read, then defers to the server."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


async def _refuse(send: Send, status: int, reason: str) -> None:
    body = f'{{"error": "{reason}"}}'.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),  # the rest of the body is never read
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
