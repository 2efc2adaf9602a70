"""Who may see the dashboard: a lead holding a signed grant for their own workspace.

``/mentor dashboard`` (or the Home tab's button) gives the lead a link with a grant in
it; the first visit trades it for a session cookie carrying the same grant (HttpOnly,
SameSite=Lax, only sent to ``/dashboard``, ending when the grant does), so the token
does not linger in the address bar. Every page then reads only the workspace the grant
names. No password is stored anywhere.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from fastapi import Request, Response

from bot.dashboard.layout import Viewer
from bot.dashboard.links import LIFETIME, signer_for
from bot.dashboard.tokens import LINK, SESSION, BadToken, Grant, TokenExpired
from storage.records import WorkspaceRecord

if TYPE_CHECKING:
    from bot.core import Core

COOKIE = "mentorbot_dashboard"
COOKIE_PATH = "/dashboard"
HOW_TO_GET_IN = (
    "Ask mentorbot for a fresh link (/mentor dashboard in Slack, “dashboard” in Teams), "
    "or click “Open dashboard” on mentorbot's home, "
    f"for a fresh link. Links are for program leads and last {LIFETIME // timedelta(hours=1)} "
    "hours."
)


class Denied(Exception):
    """No access; the page says ``title`` and ``message`` (and shows no data)."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(message)
        self.title = title
        self.message = message


@dataclass(frozen=True, slots=True)
class Session:
    grant: Grant
    workspace: WorkspaceRecord
    viewer: Viewer


class Gate:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.signer = signer_for(core.settings)

    async def session(self, request: Request) -> Session:
        """The lead's session from the cookie, or ``Denied``."""
        token = request.cookies.get(COOKIE)
        if not token:
            raise Denied("Open the dashboard from your chat", "You are not signed in.")
        return await self._resolve(self._verify(token, SESSION))

    async def exchange(self, token: str | None) -> tuple[Session, str]:
        """A link's token → the session and the cookie value that carries it."""
        session = await self._resolve(self._verify(token, LINK))
        assert self.signer is not None
        return session, self.signer.sign(session.grant, purpose=SESSION)

    def set_cookie(
        self, response: Response, request: Request, session: Session, value: str
    ) -> None:
        lifetime = int((session.grant.expires_at - self.core.clock()).total_seconds())
        response.set_cookie(
            COOKIE,
            value,
            max_age=max(lifetime, 1),
            path=COOKIE_PATH,
            httponly=True,
            samesite="lax",
            secure=self._secure(request),
        )

    def clear_cookie(self, response: Response, request: Request) -> None:
        response.delete_cookie(
            COOKIE, path=COOKIE_PATH, httponly=True, samesite="lax", secure=self._secure(request)
        )

    def _verify(self, token: str | None, purpose: str) -> Grant:
        if self.signer is None:
            raise Denied(
                "The dashboard is not set up",
                "Dashboard links are signed with mentorbot's SECRET_KEY (or the Slack "
                "signing secret), and this server has neither.",
            )
        try:
            return self.signer.verify(token, purpose=purpose, now=self.core.clock())
        except TokenExpired:
            raise Denied(
                "This link has expired", "Your dashboard link or session has ended."
            ) from None
        except BadToken as exc:
            raise Denied("This link is not valid", str(exc)) from None

    async def _resolve(self, grant: Grant) -> Session:
        async with self.core.uow.workspaces() as unit:
            workspace = await unit.workspaces.find(grant.platform, grant.workspace)
        if workspace is None:
            raise Denied("This link is not valid", "Its workspace is not known here.")
        async with self.core.uow(workspace.id, read_only=True) as uow:
            person = await uow.people.by_user_id(grant.user_id)
        name = person.display_name if person is not None else grant.user_id
        viewer = Viewer(name, workspace.name or workspace.external_id, grant.expires_at)
        return Session(grant, workspace, viewer)

    def _secure(self, request: Request) -> bool:
        public = self.core.settings.public_url or ""
        return public.startswith("https://") or request.url.scheme == "https"


class RedactTokens(logging.Filter):
    """Keep dashboard tokens out of the access log (the link's token is in its URL)."""

    PATTERN = re.compile(r"(token=)[^&\s\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                self.PATTERN.sub(r"\1[redacted]", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        elif isinstance(record.msg, str):
            record.msg = self.PATTERN.sub(r"\1[redacted]", record.msg)
        return True


def redact_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTokens) for f in access.filters):
        access.addFilter(RedactTokens())
