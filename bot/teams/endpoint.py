"""``POST /api/messages``: where Teams (Bot Framework) sends every activity.

Mentorbot's own route rather than the SDK's HTTP server, which parses the body before
it authenticates (a body that is not JSON is a 500 there), fetches signing keys with a
blocking call inside the event loop, accepts tokens from issuers that are not Bot
Framework's, and reads ``DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS`` from the
environment. Here, in this order:

1. a body over 256 KB: 413, unread;
2. no valid Bot Framework token for this bot: 401 (``bot.teams.auth``);
3. a body that is not an activity: 400;
4. a token for another ``serviceUrl`` than the activity's: 401;
5. not from Teams, or (single-tenant) from another tenant: 403;
6. a repeat of an activity already handled (Teams retries): 200, nothing done again.

Only then is the activity acted on (``bot.teams.dispatch``). Nothing is written before
step 6; a refused request changes nothing.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from bot.teams.activity import BadActivity, read
from bot.teams.auth import KeysUnavailable, Unauthenticated

if TYPE_CHECKING:
    from bot.teams.adapter import TeamsAdapter

log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024
REMEMBERED = 2000  # recent activity ids kept to recognise Teams' retries
TEAMS_CHANNEL = "msteams"


def mount(app: FastAPI, adapter: TeamsAdapter) -> None:
    seen: OrderedDict[tuple[str, str], None] = OrderedDict()

    @app.post("/api/messages")
    async def messages(request: Request) -> Response:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            return _refuse(413, "too large")
        body = await _body(request)
        if body is None:
            return _refuse(413, "too large")
        try:
            verified = await adapter.auth.verify(request.headers.get("authorization"))
        except Unauthenticated as exc:
            log.info("refused an unauthenticated request to /api/messages: %s", exc)
            return _refuse(401, "unauthorized")
        except KeysUnavailable as exc:
            log.error("cannot check Teams' requests: %s", exc)
            return _refuse(503, "cannot verify requests right now")
        try:
            activity = read(body)
            verified.check(service_url=activity.service_url, channel_id=activity.channel_id)
        except BadActivity as exc:
            return _refuse(400, str(exc))
        except Unauthenticated as exc:
            log.info("refused an activity: %s", exc)
            return _refuse(401, "unauthorized")
        if activity.channel_id != TEAMS_CHANNEL:
            return _refuse(403, "only Microsoft Teams is served here")
        tenant = adapter.core.settings.teams_tenant_id
        if activity.tenant_id is None or (tenant and activity.tenant_id != tenant):
            log.warning("refused an activity from tenant %s", activity.tenant_id)
            return _refuse(403, "this tenant is not served here")
        if activity.id is not None:
            marker = (activity.conversation_id, activity.id)
            if marker in seen:
                log.info("activity %s arrived again; already handled", activity.id)
                return Response(status_code=200)
            seen[marker] = None
            while len(seen) > REMEMBERED:
                seen.popitem(last=False)
        return await adapter.dispatcher.handle(activity)


async def _body(request: Request) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _refuse(status: int, reason: str) -> Response:
    return JSONResponse({"error": reason}, status_code=status)
