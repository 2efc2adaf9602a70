"""Dashboard grants: signed with a key derived from the signing secret, refused when
expired, tampered with, spliced from another workspace's, or meant for another use."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config import Settings
from bot.dashboard.links import DashboardLinks
from bot.dashboard.tokens import (
    LINK,
    SESSION,
    Grant,
    Signer,
    TokenExpired,
    TokenInvalid,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SECRET = "s3cr3t-signing-secret"
GRANT = Grant("slack", "T0001", "U0ADA", NOW + timedelta(hours=12))


def _sign(grant: Grant = GRANT, purpose: str = LINK, secret: str = SECRET) -> str:
    return Signer(secret).sign(grant, purpose=purpose)


def _payload(token: str) -> dict[str, object]:
    body = token.split(".")[0]
    return dict(json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))


def test_a_signed_grant_reads_back_whole() -> None:
    assert Signer(SECRET).verify(_sign(), purpose=LINK, now=NOW) == GRANT


def test_it_holds_until_the_second_it_expires() -> None:
    signer = Signer(SECRET)
    token = _sign()
    assert signer.verify(token, purpose=LINK, now=GRANT.expires_at - timedelta(seconds=1))
    with pytest.raises(TokenExpired):
        signer.verify(token, purpose=LINK, now=GRANT.expires_at)


def test_the_signature_is_not_made_with_the_signing_secret_itself() -> None:
    token = _sign()
    body, signature = token.split(".")
    with_secret = hmac.new(SECRET.encode(), body.encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64encode(with_secret).rstrip(b"=").decode() != signature
    assert SECRET not in token


def test_another_installation_with_another_secret_cannot_read_it() -> None:
    with pytest.raises(TokenInvalid):
        Signer("another-secret").verify(_sign(), purpose=LINK, now=NOW)


def test_a_link_is_not_a_session_and_a_session_is_not_a_link() -> None:
    signer = Signer(SECRET)
    with pytest.raises(TokenInvalid):
        signer.verify(_sign(purpose=LINK), purpose=SESSION, now=NOW)
    with pytest.raises(TokenInvalid):
        signer.verify(_sign(purpose=SESSION), purpose=LINK, now=NOW)


def test_rewriting_the_workspace_in_the_payload_breaks_the_signature() -> None:
    token = _sign()
    signature = token.split(".")[1]
    payload = {**_payload(token), "w": "T0OTHER"}
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    forged = base64.urlsafe_b64encode(raw).rstrip(b"=").decode() + "." + signature
    with pytest.raises(TokenInvalid):
        Signer(SECRET).verify(forged, purpose=LINK, now=NOW)


def test_another_workspaces_payload_with_this_signature_is_refused() -> None:
    ours = _sign()
    theirs = _sign(Grant("slack", "T0002", "U0ADA", GRANT.expires_at))
    spliced = theirs.split(".")[0] + "." + ours.split(".")[1]
    with pytest.raises(TokenInvalid):
        Signer(SECRET).verify(spliced, purpose=LINK, now=NOW)


def test_stretching_the_expiry_breaks_the_signature() -> None:
    token = _sign()
    payload = {**_payload(token), "exp": int((NOW + timedelta(days=365)).timestamp())}
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    forged = base64.urlsafe_b64encode(raw).rstrip(b"=").decode() + "." + token.split(".")[1]
    with pytest.raises(TokenInvalid):
        Signer(SECRET).verify(forged, purpose=LINK, now=NOW)


def test_changing_any_single_character_invalidates_the_token() -> None:
    signer = Signer(SECRET)
    token = _sign()
    for index, char in enumerate(token):
        for other in {"A", "B", "-", "_", ".", "x"} - {char}:
            changed = token[:index] + other + token[index + 1 :]
            with pytest.raises(TokenInvalid):
                signer.verify(changed, purpose=LINK, now=NOW)


def test_a_second_spelling_of_the_same_signature_is_refused() -> None:
    """32 bytes take 43 base64 characters; the last one's two low bits are padding, so a
    lax decoder reads ``…A`` and ``…B`` as the same signature."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    token = _sign()
    last = alphabet[alphabet.index(token[-1]) ^ 1]
    assert base64.urlsafe_b64decode(token.split(".")[1] + "=") == base64.urlsafe_b64decode(
        token.split(".")[1][:-1] + last + "="
    )
    with pytest.raises(TokenInvalid):
        Signer(SECRET).verify(token[:-1] + last, purpose=LINK, now=NOW)


@pytest.mark.parametrize(
    "junk",
    [None, "", ".", "a.b", "a.b.c", "x" * 5000, "é.é", "=.=", "eyJ2IjoxfQ.AAAA", " " + "a.b"],
)
def test_junk_is_invalid_not_an_error(junk: str | None) -> None:
    with pytest.raises(TokenInvalid):
        Signer(SECRET).verify(junk, purpose=LINK, now=NOW)


@given(st.text(max_size=400))
def test_no_text_at_all_makes_verification_fail_other_than_invalid(text: str) -> None:
    with pytest.raises(TokenInvalid):
        Signer(SECRET).verify(text, purpose=LINK, now=NOW)


def test_an_empty_secret_signs_nothing() -> None:
    with pytest.raises(ValueError, match="signing secret"):
        Signer("")


def _settings(**extra: object) -> Settings:
    return Settings(slack_bot_token="xoxb-1", slack_signing_secret=SECRET, **extra)  # type: ignore[arg-type]


def test_a_link_is_the_public_address_and_a_twelve_hour_token() -> None:
    links = DashboardLinks.from_settings(
        _settings(public_url="https://mentorbot.example.com/"), lambda: NOW
    )
    assert links is not None
    link = links.for_lead("slack", "T0001", "U0ADA")
    assert link.url == "https://mentorbot.example.com" + link.path
    assert link.path.startswith("/dashboard/login?token=")
    assert link.expires_at == NOW + timedelta(hours=12)
    token = link.path.split("token=")[1]
    assert Signer(SECRET).verify(token, purpose=LINK, now=NOW).workspace == "T0001"


def test_without_a_public_address_a_link_is_only_its_path() -> None:
    links = DashboardLinks.from_settings(_settings(), lambda: NOW)
    assert links is not None
    link = links.for_lead("slack", "T0001", "U0ADA")
    assert link.url is None and link.path.startswith("/dashboard/login?token=")


def test_without_a_signing_secret_there_are_no_links() -> None:
    assert DashboardLinks.from_settings(Settings(), lambda: NOW) is None


@pytest.mark.parametrize(
    ("given_url", "kept"),
    [
        ("https://mentorbot.example.com", "https://mentorbot.example.com"),
        ("https://mentorbot.example.com/", "https://mentorbot.example.com"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("", None),
    ],
)
def test_public_url_is_kept_as_an_origin(given_url: str, kept: str | None) -> None:
    assert Settings(public_url=given_url).public_url == kept


@pytest.mark.parametrize(
    "bad",
    ["mentorbot.example.com", "ftp://x.example", "https://x.example/mentorbot", "https://x?a=1"],
)
def test_a_public_url_that_is_not_an_origin_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="public_url"):
        Settings(public_url=bad)
