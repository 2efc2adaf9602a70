"""What every part of the simulated Microsoft answers with."""

from __future__ import annotations

from aiohttp import web

BOT_SCOPE = "https://api.botframework.com/.default"


def error(status: int, code: str, message: str = "") -> web.Response:
    return web.json_response({"error": {"code": code, "message": message or code}}, status=status)
