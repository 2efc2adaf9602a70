"""``POST /slack/events`` (commands, interactivity and events on one URL) and, with
OAuth configured, ``/slack/install`` + ``/slack/oauth_redirect``.

Every request's signature is checked before Bolt sees it (Slack's v0 HMAC, at most five
minutes old); commands, clicks and events are then answered 200 at once and handled
right after (``bot.slack.early_ack``), so a burst never keeps anyone past Slack's 3 s.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.adapter.starlette.async_handler import (
    to_async_bolt_request,
    to_starlette_response,
)
from slack_sdk.signature import SignatureVerifier

from bot.slack.early_ack import EarlyAcks, early

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp

    from bot.config import Settings

log = logging.getLogger(__name__)


def mount(app: FastAPI, bolt: AsyncApp, acks: EarlyAcks, settings: Settings) -> None:
    handler = AsyncSlackRequestHandler(bolt)
    assert settings.slack_signing_secret is not None
    verifier = SignatureVerifier(settings.slack_signing_secret.get_secret_value())

    @app.post("/slack/events")
    async def slack_events(request: Request) -> Response:
        # Bolt parses the body before it checks the signature, so a body it cannot parse
        # would be a 500 for anyone: check the signature first, and answer a signed body
        # Bolt cannot read with a 400.
        received_at = time.monotonic()  # Slack's 3 s count from here
        body = await request.body()
        if not _signed_by_slack(verifier, body, request):
            return JSONResponse({"error": "invalid request"}, status_code=401)
        try:
            parsed = to_async_bolt_request(request, body, {"received_at": received_at})
            what = early(parsed.body)
            if what is not None:  # commands, clicks, events: answered now, handled after
                acks.take(parsed, what)
                return Response(status_code=200)
            return to_starlette_response(await bolt.async_dispatch(parsed))
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
