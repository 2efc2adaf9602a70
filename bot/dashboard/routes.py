"""The dashboard's routes under ``/dashboard``: thin — check the session, call the
service, render. Whatever arrives (a tampered link, an id of another workspace, a
query string of garbage), the answer is a short page with a status, never a traceback.

    GET /dashboard/login?token=…                    trade a link for a session, then →
    GET /dashboard                                  every program of the workspace
    GET /dashboard/programs/{id}[?page=N]           one program in depth
    GET /dashboard/programs/{id}/impact             the impact report (printable)
    GET /dashboard/programs/{id}/history.csv|json   the pairing history (JSON: DESIGN.md)
    GET /dashboard/logout
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from bot.core import Core
from bot.dashboard.access import HOW_TO_GET_IN, Denied, Gate, Session, redact_access_log
from bot.dashboard.html import tag
from bot.dashboard.impact import impact_page
from bot.dashboard.layout import STYLE, error_page, page
from bot.dashboard.overview import overview_page
from bot.dashboard.program import program_page
from bot.deadlines import ANSWER_SECONDS, TookTooLong, within
from bot.errors import UnknownProgram
from bot.services import dashboard
from bot.services.exports import csv_text, json_text
from bot.services.impact import impact_page as impact_view
from bot.unavailable import as_unavailable

log = logging.getLogger(__name__)

PAGE_SECONDS = ANSWER_SECONDS  # a stuck database gets a 503 page, not a hung browser
EXPORT_SECONDS = 60.0  # a large program's whole history may take a while
MAX_QUERY = 2048  # characters of query string read at all (a link's is ~250)
MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database
MAX_PAGE = 100_000
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII digits only (str.isdigit also takes "²" and "٣")
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


class BadRequest(Exception):
    """The address is malformed; the message says how."""


Render = Callable[[Session], Awaitable[Response]]


def register(app: FastAPI, core: Core) -> None:
    gate = Gate(core)
    redact_access_log()

    async def serve(request: Request, render: Render, seconds: float = PAGE_SECONDS) -> Response:
        async def work() -> Response:
            _short(request)
            return await render(await gate.session(request))

        try:
            return await within(seconds, work)
        except Exception as exc:
            return failure(exc)

    @app.get("/dashboard/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        try:
            _short(request)
            token = request.query_params.get("token")
            session, cookie = await within(PAGE_SECONDS, lambda: gate.exchange(token))
        except Exception as exc:
            return failure(exc)
        response = RedirectResponse("/dashboard", status_code=303, headers=HEADERS)
        gate.set_cookie(response, request, session, cookie)
        log.info(
            "dashboard: %s of workspace %s signed in", session.grant.user_id, session.workspace.id
        )
        return response

    @app.get("/dashboard/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        body = tag("div", tag("h1", "Signed out"), tag("p", HOW_TO_GET_IN), class_="error")
        response = html(200, page("Signed out", body))
        gate.clear_cookie(response, request)
        return response

    @app.get("/dashboard", include_in_schema=False)
    async def overview(request: Request) -> Response:
        async def render(session: Session) -> Response:
            view = await dashboard.overview(await core.scope_for(session.workspace))
            return html(200, overview_page(view, session.viewer))

        return await serve(request, render)

    @app.get("/dashboard/programs/{program_id}", include_in_schema=False)
    async def program(request: Request, program_id: str) -> Response:
        async def render(session: Session) -> Response:
            view = await dashboard.program_page(
                await core.scope_for(session.workspace),
                _id(program_id),
                page=_page(request.query_params.get("page")),
            )
            return html(200, program_page(view, session.viewer))

        return await serve(request, render)

    @app.get("/dashboard/programs/{program_id}/impact", include_in_schema=False)
    async def impact(request: Request, program_id: str) -> Response:
        async def render(session: Session) -> Response:
            view = await impact_view(await core.scope_for(session.workspace), _id(program_id))
            return html(200, impact_page(view, session.viewer))

        return await serve(request, render)

    @app.get("/dashboard/programs/{program_id}/history.{kind}", include_in_schema=False)
    async def export(request: Request, program_id: str, kind: str) -> Response:
        async def render(session: Session) -> Response:
            if kind not in ("csv", "json"):
                raise dashboard.NotFound("There is no such export.")
            found = await dashboard.program_export(
                await core.scope_for(session.workspace), _id(program_id)
            )
            body, media = (
                (csv_text(found), "text/csv; charset=utf-8")
                if kind == "csv"
                else (json_text(found), "application/json")
            )
            name = f"{_filename(found.program, program_id)}-history.{kind}"
            headers = {**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
            return Response(body, media_type=media, headers=headers)

        return await serve(request, render, EXPORT_SECONDS)

    @app.get("/dashboard/{rest:path}", include_in_schema=False)
    async def elsewhere(rest: str) -> Response:
        if not rest.strip("/"):
            return RedirectResponse("/dashboard", status_code=308)
        return failure(dashboard.NotFound("There is no such page."))


def failure(exc: Exception) -> Response:
    """The page for what went wrong: 403 with no data, 404, 400, or 500 (logged)."""
    if isinstance(exc, Denied):
        return html(403, error_page(exc.title, exc.message, hint=HOW_TO_GET_IN))
    if isinstance(exc, dashboard.NotFound | UnknownProgram):  # (renamed meanwhile)
        return html(404, error_page("Not found", str(exc), hint=_BACK))
    if isinstance(exc, BadRequest):
        return html(400, error_page("That address is not right", str(exc), hint=_BACK))
    if isinstance(exc, TookTooLong) or as_unavailable(exc) is not None:
        log.warning("dashboard page unavailable: %s: %s", type(exc).__name__, exc)
        response = html(503, error_page("Not available right now", UNAVAILABLE, hint=_BACK))
        response.headers["Retry-After"] = "60"
        return response
    log.exception("dashboard page failed", exc_info=exc)
    return html(500, error_page("Something went wrong", "Sorry — please try again in a moment."))


_BACK = "Go back to the list of programs: /dashboard"
UNAVAILABLE = "The database is not answering just now. Please try again in a minute."


def html(status: int, body: str) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _short(request: Request) -> None:
    if len(request.url.query) > MAX_QUERY:
        raise BadRequest("That address is too long.")


def _id(text: str) -> int:
    if not _DIGITS.fullmatch(text) or not 0 < int(text) <= MAX_ID:
        raise dashboard.NotFound("There is no such program in this workspace.")
    return int(text)


def _page(text: str | None) -> int:
    if text is None or text == "":
        return 1
    if not _DIGITS.fullmatch(text) or not 0 < int(text) <= MAX_PAGE:
        raise BadRequest("The page must be a number, like ?page=2.")
    return int(text)


def _filename(name: str, fallback: str) -> str:
    clean = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.")[:60]
    return clean or f"program-{fallback}"
