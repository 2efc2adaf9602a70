"""Authenticating what arrives at ``POST /api/messages``: Bot Framework's JWT.

A request is Bot Framework's only if its ``Authorization: Bearer`` token

- is RS256, signed by a key published behind the OpenID document
  (``TEAMS_OPENID_METADATA_URL`` → its ``jwks_uri`` → the key with the token's ``kid``);
- was issued by Bot Framework (``iss`` ``https://api.botframework.com``, or the OpenID
  document's own issuer), for this bot (``aud`` the app id), and is within its lifetime
  (Bot Framework allows five minutes of clock skew, and so do we);
- names, in its ``serviceurl`` claim, the ``serviceUrl`` the activity carries — so a
  token cannot be replayed to make the bot talk to (and send its credentials to) an
  address of someone else's choosing;
- and, when the key lists the channels that endorse it, comes from one of them.

Anything else is ``Unauthenticated``: 401, nothing read, nothing changed. Tokens from
other issuers (Entra "Agent ID" tokens, which the SDK's validator also accepts) are not
Bot Framework's and are refused. Keys are fetched asynchronously — never blocking the
event loop — and cached for a day; a token with a key id we have not seen refreshes
them at most once every five minutes (so forged key ids cannot make us hammer Microsoft).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

log = logging.getLogger(__name__)

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
CLOCK_SKEW = 300  # seconds, as Bot Framework specifies
KEYS_LIFETIME = 24 * 3600
REFRESH_AT_MOST_EVERY = 300
MAX_TOKEN = 8192


class Unauthenticated(Exception):
    """The request is not (provably) from Bot Framework for this bot."""


class KeysUnavailable(Exception):
    """The signing keys cannot be fetched right now (answered 503: Teams retries)."""


@dataclass(frozen=True, slots=True)
class Verified:
    claims: dict[str, Any]
    endorsements: tuple[str, ...] | None  # the key's endorsing channels, if it lists any

    def check(self, *, service_url: str, channel_id: str) -> None:
        """The token is for this activity: its ``serviceUrl`` and channel."""
        claimed = self.claims.get("serviceurl")
        if not isinstance(claimed, str) or claimed.rstrip("/") != service_url.rstrip("/"):
            raise Unauthenticated("the token's serviceurl is not the activity's serviceUrl")
        if self.endorsements is not None and channel_id not in self.endorsements:
            raise Unauthenticated(f"the signing key does not endorse channel {channel_id!r}")


class SigningKeys:
    """Bot Framework's published keys, fetched from behind the OpenID document."""

    def __init__(
        self, openid_url: str, http: httpx.AsyncClient, *, now: Callable[[], float] = time.time
    ) -> None:
        self.openid_url = openid_url
        self.http = http
        self.now = now
        self.issuer: str | None = None
        self._keys: dict[str, tuple[jwt.PyJWK, tuple[str, ...] | None]] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> tuple[jwt.PyJWK, tuple[str, ...] | None]:
        if self._stale(KEYS_LIFETIME) or (
            kid not in self._keys and self._stale(REFRESH_AT_MOST_EVERY)
        ):
            await self.refresh()
        found = self._keys.get(kid)
        if found is None:
            raise Unauthenticated("the token is signed with an unknown key")
        return found

    def _stale(self, age: float) -> bool:
        return self._fetched_at is None or self.now() - self._fetched_at >= age

    async def refresh(self) -> None:
        async with self._lock:
            if self._fetched_at is not None and self.now() - self._fetched_at < 1:
                return  # someone else just did
            try:
                document = await self._json(self.openid_url)
                jwks_uri = document.get("jwks_uri")
                if not isinstance(jwks_uri, str) or not jwks_uri.startswith(
                    ("https://", "http://")
                ):
                    raise KeysUnavailable("the OpenID document has no jwks_uri")
                keys = _keys((await self._json(jwks_uri)).get("keys"))
            except (httpx.HTTPError, ValueError) as exc:
                if self._keys:  # keep what we have; try again later
                    log.warning("could not refresh Bot Framework's keys: %s", exc)
                    self._fetched_at = self.now() - KEYS_LIFETIME + REFRESH_AT_MOST_EVERY
                    return
                raise KeysUnavailable(f"cannot fetch Bot Framework's keys: {exc}") from exc
            issuer = document.get("issuer")
            self.issuer = issuer if isinstance(issuer, str) else None
            self._keys, self._fetched_at = keys, self.now()
            log.info("Bot Framework signing keys: %d from %s", len(keys), jwks_uri)

    async def _json(self, url: str) -> dict[str, Any]:
        response = await self.http.get(url)
        response.raise_for_status()
        data = response.json()
        if not isinstance(data, dict):
            raise ValueError(f"{url} did not answer with a JSON object")
        return data


class BotFrameworkAuth:
    def __init__(self, app_id: str, keys: SigningKeys, *, now: Callable[[], float] = time.time):
        self.app_id = app_id
        self.keys = keys
        self.now = now

    async def verify(self, authorization: str | None) -> Verified:
        """The token's claims, if it is Bot Framework's for this bot (else Unauthenticated)."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip() or len(token) > MAX_TOKEN:
            raise Unauthenticated("no bearer token")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"not a JWT: {exc}") from None
        kid = header.get("kid")
        if header.get("alg") != "RS256" or not isinstance(kid, str) or not kid:
            raise Unauthenticated("not an RS256 token with a key id")
        key, endorsements = await self.keys.key(kid)
        issuers = [BOT_FRAMEWORK_ISSUER] + ([self.keys.issuer] if self.keys.issuer else [])
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=[self.app_id, f"api://{self.app_id}", f"api://botid-{self.app_id}"],
                issuer=issuers,
                leeway=CLOCK_SKEW,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated(str(exc)) from None
        return Verified(claims, endorsements)


def _keys(raw: Any) -> dict[str, tuple[jwt.PyJWK, tuple[str, ...] | None]]:
    keys: dict[str, tuple[jwt.PyJWK, tuple[str, ...] | None]] = {}
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or item.get("kty") != "RSA" or not item.get("kid"):
            continue
        try:
            key = jwt.PyJWK(item, algorithm="RS256")
        except jwt.PyJWTError:
            continue
        endorsements = item.get("endorsements")
        listed = tuple(str(e) for e in endorsements) if isinstance(endorsements, list) else None
        keys[str(item["kid"])] = (key, listed)
    if not keys:
        raise ValueError("the key set holds no RSA signing key")
    return keys
