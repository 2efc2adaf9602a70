"""``mentorbot serve`` — the web process (and, by default, the clock and delivery too)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import Settings


def add_to(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the web app (Slack endpoints, /healthz)")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.set_defaults(handler=run)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from bot import runtime
    from bot.bootstrap import build
    from bot.web import create_app

    core = build(settings)
    app = create_app(
        core, background=runtime.background_services(core, embedded=settings.embedded_clock)
    )
    config = uvicorn.Config(
        app, host=args.host, port=args.port, log_level=settings.log_level.lower()
    )
    await uvicorn.Server(config).serve()
    return 0
