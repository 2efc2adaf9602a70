"""The web process: FastAPI under uvicorn.

Routes: ``GET /healthz``; Slack at ``POST /slack/events`` (commands, interactivity and
events on one URL) and, with OAuth configured, ``/slack/install`` + ``/slack/oauth_redirect``;
the program-lead dashboard under ``/dashboard`` (``bot.dashboard.routes``).
On the embedded default the same process also runs the clock and the delivery worker.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import text

from bot import __version__
from bot.bootstrap import Container
from bot.dashboard import routes as dashboard
from storage.db import is_sqlite
from storage.migrate import upgrade

log = logging.getLogger(__name__)


class Background(Protocol):
    """Something the web process runs beside requests (the clock, the delivery worker)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


StartupHook = Callable[[Container], Awaitable[None]]


def create_app(
    container: Container,
    *,
    background: Sequence[Background] = (),
    on_startup: Sequence[StartupHook] = (),
    migrate: bool | None = None,
) -> FastAPI:
    """The ASGI app. ``migrate`` defaults to True on SQLite (the embedded default)."""
    should_migrate = is_sqlite(container.settings.database_url) if migrate is None else migrate

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if should_migrate:
            await upgrade(container.engine)
        for hook in on_startup:
            await hook(container)
        for service in background:
            await service.start()
        try:
            yield
        finally:
            for service in reversed(background):
                await service.stop()
            await container.aclose()

    app = FastAPI(
        title="mentorbot", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )

    @app.get("/healthz")
    async def healthz() -> Response:
        reachable = await _database_reachable(container)
        return JSONResponse(
            {
                "status": "ok" if reachable else "degraded",
                "version": __version__,
                "database": {
                    "reachable": reachable,
                    "backend": container.engine.dialect.name,
                },
                "slack": container.settings.slack_configured,
            },
            status_code=200 if reachable else 503,
        )

    if container.settings.slack_configured:
        _mount_slack(app, container)
    dashboard.register(app, container)
    return app


def _mount_slack(app: FastAPI, container: Container) -> None:
    from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler

    from bot.slack.app import build_bolt_app

    handler = AsyncSlackRequestHandler(build_bolt_app(container))
    assert container.settings.slack_signing_secret is not None
    verifier = SignatureVerifier(container.settings.slack_signing_secret.get_secret_value())

    @app.post("/slack/events")
    async def slack_events(request: Request) -> Response:
        # Bolt parses the body before it checks the signature, so a body it cannot parse
        # would be a 500 for anyone: check the signature first (Slack's v0 HMAC, at most
        # five minutes old), and answer a signed body Bolt cannot read with a 400.
        if not _signed_by_slack(verifier, await request.body(), request):
            return JSONResponse({"error": "invalid request"}, status_code=401)
        try:
            return await handler.handle(request)
        except Exception:
            log.warning("a signed Slack request could not be read", exc_info=True)
            return JSONResponse({"error": "malformed request"}, status_code=400)

    if container.settings.oauth_configured:

        @app.get("/slack/install")
        async def slack_install(request: Request) -> Response:
            return await handler.handle(request)

        @app.get("/slack/oauth_redirect")
        async def slack_oauth_redirect(request: Request) -> Response:
            return await handler.handle(request)


def _signed_by_slack(verifier: SignatureVerifier, body: bytes, request: Request) -> bool:
    try:
        return verifier.is_valid(
            body,
            request.headers.get("X-Slack-Request-Timestamp"),
            request.headers.get("X-Slack-Signature"),
        )
    except ValueError:  # a timestamp that is not a number, a body that is not UTF-8
        return False


async def _database_reachable(container: Container) -> bool:
    try:
        async with container.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        log.warning("health check: database unreachable", exc_info=True)
        return False
    return True
