"""The simulated Microsoft, on loopback, in a thread of its own.

One aiohttp server answers what mentorbot calls at Microsoft:

- Bot Framework's OpenID document and signing keys (``openid_url``);
- an OAuth2 client-credentials token endpoint (``token_url``, ``{tenant}`` in the path);
- the Bot Connector (``service_url``: what activities carry as ``serviceUrl``);
- Microsoft Graph (``graph_url``).

Tokens from the token endpoint are the only ones the Connector and Graph accept (and
each only for its own scope; Graph only for the tenant it was issued for). Faults can be
scripted per route — ``fail("connector.post", status=429, retry_after=2)``,
``fail("graph.chats.create", status=403)``, ``act=True`` to act on a call and still
answer with the fault (a post that landed behind a 502), or ``delay=60`` to act on a
call and answer it a minute late (so a test can kill a process mid-call). With
``enforce_limits`` the documented limits are enforced the way Teams does: a 429 with
``Retry-After``.

It runs its own event loop in its own thread, so mentorbot's synchronous key fetches
and anything else that blocks cannot stall it (and it cannot stall them).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.teams.simulator import connector_api, graph_api
from bot.teams.simulator.http import BOT_SCOPE, PARSED
from bot.teams.simulator.keys import BOT_FRAMEWORK_ISSUER, SigningKey, bot_framework_claims
from bot.teams.simulator.tenant import SimulatedTenant

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Teams' documented limits (per conversation; Graph's POST /chats per app and tenant).
LIMITS: dict[str, tuple[int, float]] = {
    "connector.post": (7, 1.0),
    "connector.update": (7, 1.0),
    "graph.chats.create": (20, 10.0),
}


@dataclass
class Fault:
    route: str = "*"
    status: int = 429
    retry_after: float | None = 1.0
    body: dict[str, Any] | None = None
    times: int | None = 1  # fail this many matching calls (None: until cleared)
    delay: float | None = None  # instead of failing: act, then answer this much later
    act: bool = False  # act on the call, then answer with the fault (a post that landed)
    when: Callable[[web.Request], bool] | None = None


@dataclass
class Call:
    route: str
    method: str
    path: str
    status: int
    body: Any = None
    at: float = field(default_factory=time.monotonic)


class MicrosoftSimulator:
    def __init__(
        self,
        tenants: Iterable[SimulatedTenant],
        *,
        app_id: str,
        app_password: str,
        enforce_limits: bool = False,
        speedup: float = 1.0,
    ) -> None:
        self.tenants = {t.tenant_id: t for t in tenants}
        self.app_id, self.app_password = app_id, app_password
        self.key = SigningKey()
        self.enforce_limits, self.speedup = enforce_limits, speedup
        self.faults: list[Fault] = []
        self.calls: list[Call] = []
        self.issued: dict[str, tuple[str, str]] = {}  # token → (scope, tenant)
        self.lock = threading.RLock()
        self.port = 0
        self._recent: dict[tuple[str, str], deque[float]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._released: asyncio.Event | None = None

    # -- addresses ----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def service_url(self) -> str:
        return f"{self.base_url}/teams/"

    @property
    def graph_url(self) -> str:
        return f"{self.base_url}/graph/v1.0/"

    @property
    def graph_scope(self) -> str:
        return f"{self.base_url}/.default"

    @property
    def openid_url(self) -> str:
        return f"{self.base_url}/v1/.well-known/openidconfiguration"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/{{tenant}}/oauth2/v2.0/token"

    def reset(self, tenants: Iterable[SimulatedTenant]) -> None:
        """Start over with these tenants (the same server, for the next test)."""
        self.clear_faults()
        with self.lock:
            self.tenants = {t.tenant_id: t for t in tenants}
            self.calls.clear()
            self.issued.clear()  # the next app asks for tokens of its own
            self._recent.clear()

    def tenant(self, tenant_id: str | None = None) -> SimulatedTenant:
        return self.tenants[tenant_id] if tenant_id else next(iter(self.tenants.values()))

    # -- lifecycle ----------------------------------------------------------------------
    def start(self) -> MicrosoftSimulator:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(20):
            raise RuntimeError("the simulated Microsoft did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._runner is not None:
            self.clear_faults()
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> MicrosoftSimulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self, ready: threading.Event) -> None:
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._released = asyncio.Event()
        app = web.Application(client_max_size=4 * 1024 * 1024)
        self._routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self.port = int(self._runner.addresses[0][1])
        ready.set()
        loop.run_forever()
        loop.close()

    def _routes(self, app: web.Application) -> None:
        add = self.route
        app.router.add_get("/v1/.well-known/openidconfiguration", add("openid", self._openid))
        app.router.add_get("/v1/.well-known/keys", add("keys", self._keys))
        app.router.add_post("/{tenant}/oauth2/v2.0/token", add("token", self._token))
        connector_api.register(app, self)
        graph_api.register(app, self)

    # -- scripting and inspection -------------------------------------------------------
    def fail(self, route: str = "*", **kwargs: Any) -> Fault:
        fault = Fault(route=route, **kwargs)
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()
        if self._loop is not None and self._released is not None:
            self._loop.call_soon_threadsafe(self._released.set)

    def calls_to(self, route: str, *, ok_only: bool = True) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.route == route and (c.status < 400 or not ok_only)]

    def activity_token(self, service_url: str | None = None, **claims: Any) -> str:
        """A token as Bot Framework puts it on an activity for this app."""
        base = bot_framework_claims(self.app_id, service_url or self.service_url)
        return self.key.sign({**base, **claims})

    # -- the pipeline every route goes through -----------------------------------------
    def route(self, name: str, handler: Handler) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            fault = self._fault(name, request)
            if fault is not None and fault.delay is None:
                if fault.act:
                    await handler(request)
                return self._record(name, request, _fault_response(fault))
            limited = self._over_limit(name, request)
            if limited is not None:
                return self._record(name, request, limited)
            response = await handler(request)
            if fault is not None and fault.delay is not None:
                assert self._released is not None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._released.wait(), fault.delay)
            return self._record(name, request, response)

        return handle

    def _fault(self, name: str, request: web.Request) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.route not in ("*", name) or (fault.when and not fault.when(request)):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                if fault.delay is not None and self._released is not None:
                    self._released.clear()
                return fault
        return None

    def _over_limit(self, name: str, request: web.Request) -> web.Response | None:
        if not self.enforce_limits or name not in LIMITS:
            return None
        calls, per = LIMITS[name]
        per /= self.speedup
        key = (name, request.match_info.get("conversation", ""))
        now = time.monotonic()
        with self.lock:
            recent = self._recent.setdefault(key, deque())
            while recent and recent[0] <= now - per:
                recent.popleft()
            if len(recent) >= calls:
                wait = max(recent[0] + per - now, 0.001)
                return web.json_response(
                    {"error": {"code": "TooManyRequests", "message": "throttled"}},
                    status=429,
                    headers={"Retry-After": f"{wait:.3f}"},
                )
            recent.append(now)
        return None

    def _record(
        self, name: str, request: web.Request, response: web.StreamResponse
    ) -> web.StreamResponse:
        body = request.get(PARSED)
        with self.lock:
            self.calls.append(Call(name, request.method, request.path, response.status, body))
        return response

    # -- identity ----------------------------------------------------------------------
    def authorized(self, request: web.Request, scope: str) -> str | None:
        """The tenant the bearer token was issued for, if it is valid for ``scope``."""
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        with self.lock:
            issued = self.issued.get(token) if header.startswith("Bearer ") else None
        if issued is None or issued[0] != scope:
            return None
        return issued[1]

    async def _openid(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": BOT_FRAMEWORK_ISSUER,
                "authorization_endpoint": f"{self.base_url}/v1/.well-known/authorize",
                "jwks_uri": f"{self.base_url}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        return web.json_response({"keys": [self.key.jwk()]})

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        grant, client = form.get("grant_type"), form.get("client_id")
        if grant != "client_credentials":
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        if client != self.app_id or form.get("client_secret") != self.app_password:
            return web.json_response({"error": "invalid_client"}, status=401)
        scope = str(form.get("scope") or "")
        if scope not in (BOT_SCOPE, self.graph_scope):
            return web.json_response({"error": "invalid_scope"}, status=400)
        token = "sim-" + secrets.token_urlsafe(24)
        with self.lock:
            self.issued[token] = (scope, request.match_info["tenant"])
        body = {"token_type": "Bearer", "expires_in": 3599, "access_token": token}
        return web.json_response(body)


def _fault_response(fault: Fault) -> web.Response:
    headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
    body = fault.body or {"error": {"code": f"Http{fault.status}", "message": "scripted fault"}}
    return web.json_response(body, status=fault.status, headers=headers)
