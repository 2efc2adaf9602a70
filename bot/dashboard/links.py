"""Dashboard links for leads: ``/mentor dashboard`` and the Home tab's button hand them out.

A link is ``{PUBLIC_URL}/dashboard/login?token=…``; the token grants one lead access to
their own workspace's dashboard for ``LIFETIME``. Without ``PUBLIC_URL`` only the path is
known (``url`` is None): the lead is told to put it after their server's address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from bot.clock import Clock
from bot.config import Settings
from bot.dashboard.tokens import LINK, Grant, Signer

LIFETIME = timedelta(hours=12)
LOGIN_PATH = "/dashboard/login"


@dataclass(frozen=True, slots=True)
class DashboardLink:
    path: str  # "/dashboard/login?token=…"
    url: str | None  # PUBLIC_URL + path, or None when PUBLIC_URL is not set
    expires_at: datetime


# Bound to one workspace: the lead's user id in, their link out.
LinkMinter = Callable[[str], DashboardLink]


def signer_for(settings: Settings) -> Signer | None:
    """The dashboard's signer, keyed from ``settings.signing_key`` (None without one)."""
    key = settings.signing_key
    return Signer(key) if key is not None else None


class DashboardLinks:
    def __init__(
        self,
        signer: Signer,
        public_url: str | None,
        clock: Clock,
        lifetime: timedelta = LIFETIME,
    ) -> None:
        self.signer = signer
        self.public_url = public_url.rstrip("/") if public_url else None
        self.clock = clock
        self.lifetime = lifetime

    @classmethod
    def from_settings(cls, settings: Settings, clock: Clock) -> DashboardLinks | None:
        signer = signer_for(settings)
        return cls(signer, settings.public_url, clock) if signer is not None else None

    def for_lead(self, platform: str, workspace: str, user_id: str) -> DashboardLink:
        """A fresh link; the caller has checked that ``user_id`` leads ``workspace``."""
        expires = (self.clock() + self.lifetime).replace(microsecond=0)
        token = self.signer.sign(Grant(platform, workspace, user_id, expires), purpose=LINK)
        path = f"{LOGIN_PATH}?{urlencode({'token': token})}"
        url = f"{self.public_url}{path}" if self.public_url else None
        return DashboardLink(path=path, url=url, expires_at=expires)

    def minter(self, platform: str, workspace: str) -> LinkMinter:
        def mint(user_id: str) -> DashboardLink:
            return self.for_lead(platform, workspace, user_id)

        return mint
