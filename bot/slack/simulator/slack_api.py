"""A simulated Slack Web API on loopback, for the demo and the tests.

It answers the methods mentorbot calls the way Slack does (``{"ok": true, …}``, errors as
``{"ok": false, "error": …}``, 429 with ``Retry-After``), keeps what was posted so a
test or the demo can read it back, and can be told to fail: ``fail("chat.postMessage",
status=429, times=3)`` or ``fail("*", status=429, ratio=0.33)``; ``fail(method, delay=60)``
acts on calls but answers a minute late (or when the faults are cleared), so a test can
kill a process mid-call; ``fail(method, drop="before")`` resets the connection without
acting (a dropped keep-alive connection), ``drop="after"`` acts and then resets it (the
post landed, its answer was lost). A fault with neither ``times`` nor ``ratio`` hits
every matching call. Point mentorbot at it with
``SLACK_API_URL=<simulator.api_url>``. It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from bot.slack.simulator.workspace import SimulatedWorkspace, _check_message

Handler = Callable[[dict[str, Any], str], dict[str, Any]]


@dataclass
class Fault:
    """A scripted failure: HTTP ``status`` (429/5xx) or, with status 200, a Slack ``error``."""

    method: str = "*"
    status: int = 429
    error: str | None = None
    retry_after: float = 1.0
    times: int | None = None  # fail this many matching calls, then stop
    ratio: float | None = None  # or fail this share of matching calls
    when: Callable[[dict[str, Any]], bool] | None = None
    delay: float | None = None  # don't fail: act on the call, then answer this much later
    drop: str | None = None  # "before" acting or "after": reset the connection, no answer

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method not in ("*", method):
            return False
        return self.when is None or self.when(params)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    team_id: str | None
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)


class SlackApiSimulator:
    """Runs in its own thread with its own event loop; safe to use from any thread."""

    def __init__(self, workspace: SimulatedWorkspace | None = None, *, seed: int = 0) -> None:
        self.workspace = workspace or SimulatedWorkspace()
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.port = 0
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    # -- lifecycle -------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def start(self) -> SlackApiSimulator:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("simulated Slack API did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> SlackApiSimulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- scripting and inspection ------------------------------------------------------
    def fail(self, method: str = "*", **kwargs: Any) -> Fault:
        fault = Fault(method=method, **kwargs)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def calls_to(self, method: str, *, ok_only: bool = True) -> list[Call]:
        with self._lock:
            return [
                c
                for c in self.calls
                if c.method == method and (not ok_only or c.response.get("ok"))
            ]

    # -- the server ------------------------------------------------------------------
    def _serve(self, ready: threading.Event) -> None:
        self._loop = loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        self._runner = web.AppRunner(app, access_log=None)
        loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self.port = int(self._runner.addresses[0][1])
        ready.set()
        loop.run_forever()
        loop.close()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        token = token or str(params.get("token", ""))
        with self._lock:
            team_id = self.workspace.team_for_token(token)
            call = Call(method, params, team_id)
            self.calls.append(call)
            fault = self._fault_for(method, params)
            slow = fault if fault is not None and fault.delay is not None else None
            dropped = fault.drop if fault is not None else None
            if slow is not None or dropped == "after":
                fault = None  # a slow or lost answer, not a failure
            if dropped == "before":
                call.status, call.response = 0, {"ok": False, "error": "connection_reset"}
                return _reset(request)
            if fault is not None and fault.status != 200:
                call.status = fault.status
                call.response = {
                    "ok": False,
                    "error": "ratelimited" if fault.status == 429 else "fatal_error",
                }
                headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.status == 429 else {}
                return web.json_response(call.response, status=fault.status, headers=headers)
            if fault is not None:
                call.response = {"ok": False, "error": fault.error or "fatal_error"}
            elif team_id is None and method not in ("oauth.v2.access", "api.test"):
                call.response = {"ok": False, "error": "invalid_auth"}
            else:
                call.response = self.workspace.handle(method, params, team_id or "")
        if slow is not None:  # done, but the caller hears nothing for a while
            await self._hold(slow)
        if dropped == "after":  # done, but the answer never reaches the caller
            return _reset(request)
        return web.json_response(call.response)

    async def _hold(self, fault: Fault) -> None:
        """Wait out ``fault.delay`` — or less, once the fault is cleared."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (fault.delay or 0.0)
        while loop.time() < deadline:
            with self._lock:
                if fault not in self.faults:
                    return
            await asyncio.sleep(min(0.05, deadline - loop.time()))

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self._lock:
            fault = self._fault_for("response_url", body)
        if fault is not None and fault.drop == "before":
            return _reset(request)
        # Slack answers a message it cannot show with HTTP 400 and the error as text.
        problem = None if body.get("delete_original") else _check_message(body)
        with self._lock:
            if problem is not None:
                self.calls.append(
                    Call("response_url", body, None, 400, {"ok": False, "error": problem})
                )
                return web.Response(status=400, text=problem)
            self.workspace.record_response(request.match_info["key"], body)
            self.calls.append(Call("response_url", body, None, response={"ok": True}))
        return web.json_response({"ok": True})

    def _fault_for(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.faults:
            if not fault.matches(method, params):
                continue
            if fault.times is not None:
                if fault.times <= 0:
                    continue
                fault.times -= 1
                return fault
            if fault.ratio is None or self._rng.random() < fault.ratio:
                return fault  # no count and no share: every matching call
        return None


def _reset(request: web.Request) -> web.Response:
    """Drop the connection with a reset, as a peer that went away does."""
    transport = request.transport
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    return web.Response(status=500)  # never reaches anyone


async def _params(request: web.Request) -> dict[str, Any]:
    if request.method == "GET":
        return dict(request.query)
    raw = await request.text()
    if request.content_type == "application/json":
        data = json.loads(raw or "{}")
        return data if isinstance(data, dict) else {}
    params: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
    params.update(request.query)
    for key in ("blocks", "view", "metadata", "attachments"):
        if isinstance(params.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(params[key])
    return params
