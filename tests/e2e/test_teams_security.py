"""``POST /api/messages`` lets in only what Bot Framework signed for this bot, for this
activity's ``serviceUrl`` — everything else gets 401 (or 400/403/413, never 500) and
changes nothing: no workspace, no audit entry, no message posted anywhere."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from bot.core import Core
from bot.teams.simulator.driver import TeamsDriver
from bot.teams.simulator.keys import SigningKey, bot_framework_claims
from bot.teams.simulator.microsoft import MicrosoftSimulator
from tests.e2e.teams_helpers import APP_ID, OTHER_TENANT, TENANT, aad, microsoft, running, tenant

__all__ = ["microsoft"]


async def _nothing_changed(core: Core, sim: MicrosoftSimulator) -> None:
    async with core.uow.workspaces() as unit:
        assert await unit.workspaces.all() == []
    assert sim.calls_to("connector.post", ok_only=False) == []


def _tokens(sim: MicrosoftSimulator, service_url: str) -> dict[str, str | None]:
    claims = bot_framework_claims(APP_ID, service_url)
    own = sim.key
    forger = SigningKey(kid=own.kid)  # claims to be Bot Framework's key, is not
    public_pem = own.jwk()  # what anyone can download
    return {
        "no token": None,
        "not a bearer token": "Basic dXNlcjpwYXNz",
        "not a JWT": "Bearer not.a.jwt",
        "forged signature": forger.sign(claims),
        "expired an hour ago": own.sign({**claims, "exp": int(time.time()) - 3600}),
        "another bot's token": own.sign({**claims, "aud": "some-other-app"}),
        "another issuer": own.sign({**claims, "iss": "https://login.example.com"}),
        "another serviceurl": own.sign({**claims, "serviceurl": "https://evil.example/teams/"}),
        "no serviceurl": own.sign({k: v for k, v in claims.items() if k != "serviceurl"}),
        "unknown key": SigningKey().sign(claims),
        "HS256 with the public key": jwt.encode(
            claims, str(public_pem["n"]), algorithm="HS256", headers={"kid": own.kid}
        ),
        "alg none": jwt.encode(claims, None, algorithm="none", headers={"kid": own.kid}),
    }


async def test_forged_expired_misdirected_and_missing_tokens_get_401_and_change_nothing(
    microsoft: MicrosoftSimulator, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The SDK's switch to turn authentication off must not turn it off here.
    monkeypatch.setenv("DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", "true")
    async with running(microsoft, database_url, [tenant(2)]) as (core, driver):
        activity = driver.activity(aad(1), "message", text="pause 2")
        for case, token in _tokens(microsoft, microsoft.service_url).items():
            reply = await _post_raw(driver, activity, token)
            assert reply.status == 401, case
        assert (await driver.post(b"{not json", token=None)).status == 401
        await _nothing_changed(core, microsoft)
        keys_fetched = len(microsoft.calls_to("keys"))
        assert 1 <= keys_fetched <= 2  # forged key ids did not make us fetch again and again

        good = (await driver.say(aad(1), "help")).status
        assert good == 200 and len(driver.inbox(aad(1))) == 1


async def test_bodies_that_are_not_activities_get_400_or_413_never_500(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    async with running(microsoft, database_url, [tenant(2)]) as (core, driver):
        for body in (b"{not json", b"[1, 2]", b'"a string"', b"\xff\xfe", b"{}"):
            assert (await driver.post(body)).status == 400, body
        no_conversation = driver.activity(aad(1), "message", text="help")
        del no_conversation["conversation"]
        assert (await driver.post(no_conversation)).status == 400
        huge = driver.activity(aad(1), "message", text="x" * 300_000)
        assert (await driver.post(huge)).status == 413
        webchat = {**driver.activity(aad(1), "message", text="help"), "channelId": "webchat"}
        assert (await driver.post(webchat)).status == 401  # the key endorses msteams only
        await _nothing_changed(core, microsoft)


async def test_a_single_tenant_bot_refuses_other_tenants_and_handles_a_retry_once(
    microsoft: MicrosoftSimulator, database_url: str
) -> None:
    async with running(
        microsoft,
        database_url,
        [tenant(2), tenant(2, tenant_id=OTHER_TENANT)],
        teams_tenant_id=TENANT,
    ) as (core, driver):
        stranger = driver.activity(aad(1), "message", text="help")
        stranger["conversation"]["tenantId"] = OTHER_TENANT
        stranger["channelData"]["tenant"]["id"] = OTHER_TENANT
        assert (await driver.post(stranger)).status == 403
        async with core.uow.workspaces() as unit:
            assert [w.external_id for w in await unit.workspaces.all()] == [TENANT]

        again = driver.activity(aad(1), "message", text="pause 2")
        assert (await driver.post(again)).status == 200
        assert (await driver.post(again)).status == 200  # Teams retried: handled once
        replies = [m for m in driver.inbox(aad(1)) if not (m.card or {}).get("refresh")]
        assert len(replies) == 1


async def _post_raw(driver: TeamsDriver, activity: dict[str, Any], header: str | None) -> Any:
    if header is not None and not header.startswith(("Basic", "Bearer")):
        header = f"Bearer {header}"
    return await driver.post(
        activity, token=None, headers={"Authorization": header} if header else None
    )
