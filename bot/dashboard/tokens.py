"""Signed, expiring grants to the dashboard: which lead, which workspace, until when.

A token is ``<payload>.<signature>``, both base64url without padding. The payload is
JSON ``{"v": 1, "k": purpose, "p": platform, "w": workspace, "u": user, "exp": unix}``;
the signature is HMAC-SHA256 over the payload's text with a key *derived* from
mentorbot's ``SECRET_KEY`` (or, for installs that predate it, the Slack signing secret):
HMAC-SHA256(secret, ``KEY_LABEL``), never the secret itself — so a token can neither
reveal the secret nor pass for anything a platform signs.

``purpose`` keeps a link (``LINK``, carried in a URL from Slack) and a browser session
(``SESSION``, in a cookie) apart: neither is accepted where the other is expected.
Pure: no I/O, the time is a parameter.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

KEY_LABEL = b"mentorbot dashboard grant v1"
VERSION = 1
LINK = "link"
SESSION = "session"
MAX_TOKEN = 1024  # a real token is ~200 characters; anything longer is not read at all
MAX_FIELD = 64  # platform, workspace and user ids are short
_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")


class BadToken(Exception):
    """The token grants nothing; ``str(error)`` is safe to show the person."""


class TokenInvalid(BadToken):
    def __init__(self) -> None:
        super().__init__("This dashboard link is not valid.")


class TokenExpired(BadToken):
    def __init__(self) -> None:
        super().__init__("This dashboard link has expired.")


@dataclass(frozen=True, slots=True)
class Grant:
    """A lead (``user_id``) may read ``workspace``'s dashboard until ``expires_at``."""

    platform: str  # the workspace's platform ("slack", "teams" …)
    workspace: str  # the platform's id of the workspace (a Slack team id, a tenant id …)
    user_id: str
    expires_at: datetime  # UTC, whole seconds


class Signer:
    def __init__(self, signing_secret: str) -> None:
        if not signing_secret:
            raise ValueError("a signing secret is needed to sign dashboard links")
        self._key = hmac.new(signing_secret.encode(), KEY_LABEL, hashlib.sha256).digest()

    def sign(self, grant: Grant, *, purpose: str) -> str:
        payload = {
            "v": VERSION,
            "k": purpose,
            "p": grant.platform,
            "w": grant.workspace,
            "u": grant.user_id,
            "exp": int(grant.expires_at.timestamp()),
        }
        body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
        return f"{body}.{_b64(self._mac(body))}"

    def verify(self, token: str | None, *, purpose: str, now: datetime) -> Grant:
        """The grant ``token`` carries, or ``TokenInvalid`` / ``TokenExpired``.

        The signature is checked (in constant time) before anything in the payload is
        read; only a genuine token can be reported as expired.
        """
        if not token or len(token) > MAX_TOKEN or token.count(".") != 1:
            raise TokenInvalid()
        body, signature = token.split(".")
        given = _unb64(signature)
        if given is None or not hmac.compare_digest(given, self._mac(body)):
            raise TokenInvalid()
        grant = _grant(_unb64(body), purpose)
        if now >= grant.expires_at:
            raise TokenExpired()
        return grant

    def _mac(self, body: str) -> bytes:
        return hmac.new(self._key, body.encode("ascii", "replace"), hashlib.sha256).digest()


def _grant(raw: bytes | None, purpose: str) -> Grant:
    try:
        data = json.loads(raw or b"")
    except ValueError:
        raise TokenInvalid() from None
    if not isinstance(data, dict) or data.get("v") != VERSION or data.get("k") != purpose:
        raise TokenInvalid()
    fields = [data.get(key) for key in ("p", "w", "u")]
    expires = data.get("exp")
    if not all(isinstance(f, str) and 0 < len(f) <= MAX_FIELD for f in fields):
        raise TokenInvalid()
    if not isinstance(expires, int) or isinstance(expires, bool) or not 0 < expires < 2**40:
        raise TokenInvalid()
    platform, workspace, user_id = (str(f) for f in fields)
    return Grant(platform, workspace, user_id, datetime.fromtimestamp(expires, UTC))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes | None:
    """Strict: only the base64url alphabet, and only the one canonical spelling (so no
    two different strings are the same token)."""
    if not _ALPHABET.fullmatch(text):
        return None
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return data if _b64(data) == text else None
