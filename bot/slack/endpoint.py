"""``POST /slack/events`` (commands, interactivity and events on one URL) and, with
OAuth configured, ``/slack/install`` + ``/slack/oauth_redirect``."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_sdk.signature import SignatureVerifier

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from bot.config import Settings

log = logging.getLogger(__name__)


def mount(app: FastAPI, bolt: AsyncApp, settings: Settings) -> None:
    handler = AsyncSlackRequestHandler(bolt)
    assert settings.slack_signing_secret is not None
    verifier = SignatureVerifier(settings.slack_signing_secret.get_secret_value())

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

    if settings.oauth_configured:

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
