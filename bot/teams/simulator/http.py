"""What every part of the simulated Microsoft answers with."""

from __future__ import annotations

from typing import Any

from aiohttp import web

BOT_SCOPE = "https://api.botframework.com/.default"


def error(status: int, code: str, message: str = "") -> web.Response:
    return web.json_response({"error": {"code": code, "message": message or code}}, status=status)


PARSED: web.RequestKey[Any] = web.RequestKey("parsed_json", object)  # recorded with the call


async def json_body(request: web.Request) -> dict[str, Any] | None:
    """The request's JSON object (None when it is not one), kept for the call record."""
    try:
        body = await request.json()
    except ValueError:
        return None
    request[PARSED] = body
    return body if isinstance(body, dict) else None
