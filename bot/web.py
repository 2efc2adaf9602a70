"""The web process: FastAPI under uvicorn.

Routes: ``GET /healthz``; each configured platform's inbound endpoints (Slack at
``POST /slack/events`` …, mounted by its adapter); the program-lead dashboard under
``/dashboard`` (``bot.dashboard.routes``). On the embedded default the same process
also runs the clock and the delivery worker.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse

from bot import __version__
from bot.core import Core
from bot.dashboard import routes as dashboard
from bot.health import database_probe
from bot.http_limits import BodyLimit
from bot.platforms import Background
from storage.db import is_sqlite
from storage.migrate import upgrade

log = logging.getLogger(__name__)


def create_app(
    core: Core,
    *,
    background: Sequence[Background] = (),
    migrate: bool | None = None,
) -> FastAPI:
    """The ASGI app. ``migrate`` defaults to True on SQLite (the embedded default).

    At start-up every platform adapter starts (e.g. Slack learns its workspace), then
    ``background`` (see ``bot.runtime``); at shutdown they stop and the core closes.
    """
    should_migrate = is_sqlite(core.settings.database_url) if migrate is None else migrate
    probe = database_probe(core.engine.url, core.settings.database_limits)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if should_migrate:
            await upgrade(core.engine)
        for adapter in core.platforms:
            await adapter.start()
        for service in background:
            await service.start()
        try:
            yield
        finally:
            for service in reversed(background):
                await service.stop()
            await probe.aclose()
            await core.aclose()

    app = FastAPI(
        title="mentorbot", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.add_middleware(BodyLimit)  # 413 before reading a body over the limit

    @app.get("/healthz")
    async def healthz() -> Response:
        problem = await probe.problem()  # within HEALTH_SECONDS, always
        reachable = problem is None
        return JSONResponse(
            {
                "status": "ok" if reachable else "degraded",
                "version": __version__,
                "database": {
                    "reachable": reachable,
                    "backend": core.engine.dialect.name,
                    **({"error": problem} if problem else {}),
                },
                "platforms": list(core.platforms.names()),
                "slack": "slack" in core.platforms,
            },
            status_code=200 if reachable else 503,
        )

    for adapter in core.platforms:
        adapter.mount(app)
    dashboard.register(app, core)
    return app
