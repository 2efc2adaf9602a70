"""Slack's Socket Mode on loopback: the app connects (``apps.connections.open`` hands it
this server's URL) and receives envelopes — slash commands, interactivity, events — to
acknowledge over the same WebSocket, as with Slack.

``SocketModeDriver`` is a ``SlackDriver`` whose requests travel as envelopes instead of
signed HTTP posts, so the same scenarios run in both modes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from typing import Any

from aiohttp import WSMsgType, web

from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.workspace import APP_ID, SimulatedWorkspace

ACK_TIMEOUT = 10.0


class SocketModeSimulator:
    """Runs in its own thread and event loop, like the simulated Web API."""

    def __init__(
        self,
        workspace: SimulatedWorkspace,
        *,
        app_token: str = "xapp-1-sim",  # noqa: S107 - a simulated token
        team_id: str = "T0001",
    ) -> None:
        self.workspace = workspace
        self.app_token = app_token
        self.team_id = team_id
        self.port = 0
        self._socket: web.WebSocketResponse | None = None
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._connected = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    def __enter__(self) -> SocketModeSimulator:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("simulated Socket Mode did not start")
        self.workspace.app_tokens[self.app_token] = self.team_id
        self.workspace.socket_url = f"ws://127.0.0.1:{self.port}/link/"
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._loop is not None and self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    async def wait_connected(self, wait: float = 10.0) -> bool:
        return await asyncio.to_thread(self._connected.wait, wait)

    async def send(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Deliver one envelope to the connected app; its acknowledgement."""
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(self._send(kind, payload), self._loop)
        return await asyncio.wrap_future(future)

    async def _send(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        if self._socket is None or self._socket.closed:
            raise ConnectionError("the app is not connected")
        envelope_id = f"env-{next(self._ids)}"
        answered = self._acks[envelope_id] = asyncio.get_running_loop().create_future()
        await self._socket.send_str(
            json.dumps(
                {
                    "envelope_id": envelope_id,
                    "type": kind,
                    "payload": payload,
                    "accepts_response_payload": kind != "events_api",
                    "retry_attempt": 0,
                    "retry_reason": "",
                }
            )
        )
        try:
            return await asyncio.wait_for(answered, ACK_TIMEOUT)
        finally:
            self._acks.pop(envelope_id, None)

    def _serve(self, ready: threading.Event) -> None:
        self._loop = loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        app = web.Application()
        app.router.add_get("/link/", self._link)
        self._runner = web.AppRunner(app, access_log=None)
        loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self.port = int(self._runner.addresses[0][1])
        ready.set()
        loop.run_forever()
        loop.close()

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._socket = socket
        hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": APP_ID}}
        await socket.send_str(json.dumps(hello))
        self._connected.set()
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            ack = json.loads(message.data)
            waiting = self._acks.get(str(ack.get("envelope_id")))
            if waiting is not None and not waiting.done():
                waiting.set_result(ack)
        self._connected.clear()
        return socket


class SocketModeDriver(SlackDriver):
    """The Slack client's actions, carried as Socket Mode envelopes (no signatures)."""

    def __init__(self, socket: SocketModeSimulator, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.socket = socket

    async def post_form(self, form: dict[str, str], **signing: Any) -> tuple[int, str]:
        if "payload" in form:
            return await self._envelope("interactive", json.loads(form["payload"]))
        return await self._envelope("slash_commands", dict(form))

    async def post_json(self, data: dict[str, Any], **signing: Any) -> tuple[int, str]:
        return await self._envelope("events_api", data)

    async def _envelope(self, kind: str, payload: dict[str, Any]) -> tuple[int, str]:
        ack = await self.socket.send(kind, payload)
        body = ack.get("payload")
        return 200, json.dumps(body) if body else ""
