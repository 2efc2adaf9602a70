"""The simulated Bot Framework's signing key, and tokens minted with it.

Bot Framework signs the token on every activity it sends a bot (RS256, ``iss``
``https://api.botframework.com``, ``aud`` the bot's app id, a ``serviceurl`` claim equal
to the activity's ``serviceUrl``); its keys are published behind the OpenID document,
each with the channels that endorse it. A key made here is published the same way, so
mentorbot checks tokens from the simulator exactly as it checks Microsoft's.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
LIFETIME = 3600


@dataclass
class SigningKey:
    """An RSA key pair with a key id; ``endorsements``: the channels it signs for."""

    kid: str = field(default_factory=lambda: secrets.token_hex(8))
    endorsements: tuple[str, ...] = ("msteams",)
    private: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    def jwk(self) -> dict[str, Any]:
        """The public half as a JSON Web Key, as Bot Framework publishes it."""
        public: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        return {
            **public,
            "kid": self.kid,
            "use": "sig",
            "alg": "RS256",
            "endorsements": list(self.endorsements),
        }

    def sign(self, claims: dict[str, Any], *, kid: str | None = None) -> str:
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": kid or self.kid})


def bot_framework_claims(
    app_id: str,
    service_url: str,
    *,
    now: float | None = None,
    lifetime: float = LIFETIME,
    issuer: str = BOT_FRAMEWORK_ISSUER,
) -> dict[str, Any]:
    """The claims of a token Bot Framework puts on an activity for ``app_id``."""
    issued = int(time.time() if now is None else now)
    return {
        "iss": issuer,
        "aud": app_id,
        "serviceurl": service_url,
        "nbf": issued - 5,
        "iat": issued - 5,
        "exp": issued + int(lifetime),
    }
