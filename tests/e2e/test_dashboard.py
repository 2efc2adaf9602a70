"""The lead dashboard end to end: a real round, a link from ``/mentor dashboard`` signed as
Slack signs, a browser on loopback following it — and nobody else getting in: not a
member, not another workspace's lead, not a tampered or expired link."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.builders import actions
from bot.config import Settings
from bot.core import Core
from bot.dashboard.links import DashboardLinks
from bot.services.reports import program_history
from bot.services.rounds import form_round
from bot.slack.simulator.driver import SlackDriver
from storage.records import ProgramRecord
from tests.e2e.slack_helpers import add_program, button, said, sign_up
from tests.fakes.clock import FakeClock

PUBLIC_URL = "https://mentorbot.example.com"
TEAMS = {"U0ALAN": "Research", "U0GRACE": "Platform", "U0KATH": "Data"}


@pytest.fixture
def public_url() -> str | None:
    """Where Slack reaches mentorbot (a test may parametrize it away)."""
    return PUBLIC_URL


@pytest.fixture
def settings(settings: Settings, public_url: str | None) -> Settings:
    return settings.model_copy(update={"public_url": public_url})


@pytest.fixture
async def browser(app_url: str) -> AsyncIterator[aiohttp.ClientSession]:
    """A browser that keeps cookies (also Secure ones: the public address is https)."""
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[app_url])
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        yield session


@pytest.fixture
async def coffee(driver: SlackDriver, container: Core) -> ProgramRecord:
    """Round 1 formed by the round service and delivered; one group met; then Ada joins
    (never matched) and Alan leaves (erased: "Former member")."""
    program = await add_program(container, "coffee", channel_id="C0COFFEE")
    for user_id, team in TEAMS.items():
        reply = await sign_up(driver, user_id, {"program": str(program.id), "team": team})
        assert not reply.body, reply.body
    workspace = await container.workspace()
    service = container.deliveries
    formed = await form_round(await container.scope_for(workspace, paced=True), "coffee", seed=1)
    assert (await service.deliver_round(workspace, formed.round.id)).delivered
    (group,) = formed.round.groups  # three people: one group of three
    async with container.uow(workspace.id) as uow:
        await uow.rounds.record_checkin(
            group.id, group.members[0].person.id, "met", now=container.clock()
        )
        await uow.commit()
    assert not (await sign_up(driver, "U0ADA", {"program": str(program.id)})).body
    asked = (await driver.command("U0ALAN", "leave")).responses[0]
    confirm = button(asked["blocks"], actions.LEAVE_CONFIRM)
    await driver.click("U0ALAN", confirm["action_id"], confirm["value"], channel_id="C0GENERAL")
    return program


def link_in(reply: Any) -> str:
    """The URL of the "Open dashboard" button in a reply to /mentor dashboard."""
    for message in said(reply):
        for block in message.get("blocks") or []:
            accessory = block.get("accessory") or {}
            if accessory.get("action_id") == actions.OPEN_DASHBOARD:
                return str(accessory["url"])
    raise AssertionError(f"no dashboard link in {reply.text}")


async def sign_in(
    driver: SlackDriver, browser: aiohttp.ClientSession, app_url: str, user_id: str = "U0ADA"
) -> aiohttp.ClientResponse:
    """``/mentor dashboard`` in Slack, then follow its link (the proxy in front of the app
    serves PUBLIC_URL; here the app listens on loopback)."""
    link = link_in(await driver.command(user_id, "dashboard"))
    assert link.startswith(f"{PUBLIC_URL}/dashboard/login?token=")
    async with browser.get(app_url + link.removeprefix(PUBLIC_URL), allow_redirects=False) as r:
        return r


async def get(browser: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with browser.get(url, allow_redirects=False) as response:
        return response.status, await response.text()


def text_of(page: str) -> str:
    """What a reader sees: the page without its tags and style."""
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


async def test_a_lead_signs_in_from_slack_and_sees_every_program(
    driver: SlackDriver, browser: aiohttp.ClientSession, app_url: str, coffee: ProgramRecord
) -> None:
    signed_in = await sign_in(driver, browser, app_url)
    assert signed_in.status == 303 and signed_in.headers["Location"] == "/dashboard"
    cookie = signed_in.headers["Set-Cookie"]
    for attribute in ("HttpOnly", "SameSite=lax", "Path=/dashboard", "Secure", "Max-Age=43200"):
        assert attribute.lower() in cookie.lower(), cookie
    async with browser.get(f"{app_url}/dashboard") as response:
        status, page, headers = response.status, await response.text(), response.headers
    assert status == 200
    assert headers["Cache-Control"] == "no-store" and headers["X-Frame-Options"] == "DENY"
    style = re.search(r"<style>(.*?)</style>", page, flags=re.S)
    assert style is not None  # the one inline style is allowed by its hash, nothing else
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    seen = text_of(page)
    assert "Programs in" in seen and "coffee" in seen
    assert "Mon 30 Nov, 09:00 (Europe/Berlin)" in seen  # the schedule's next slot, its zone
    # Ada, Grace and Kath enrolled and active (Alan left), 2 of 3 matched; round 1 met.
    assert re.search(r"coffee .* 3 3 0 67% Round 1: 100% met", seen), seen
    assert f'href="/dashboard/programs/{coffee.id}"' in page


async def test_the_program_page_shows_impact_groups_outcomes_and_who_is_left_out(
    driver: SlackDriver, browser: aiohttp.ClientSession, app_url: str, coffee: ProgramRecord
) -> None:
    await sign_in(driver, browser, app_url)
    status, page = await get(browser, f"{app_url}/dashboard/programs/{coffee.id}")
    assert status == 200
    seen = text_of(page)
    assert re.search(r"1 meetings held \(of 1 answered\)", seen), seen
    assert "100% meeting rate" in seen
    # Alan's team went with his profile: the tie left is Grace (Platform) – Kath (Data).
    assert "1 cross-team ties" in seen and "1 team links" in seen
    assert "Data ↔ Platform" in seen
    assert "Never matched ada" in seen  # joined after the round
    assert re.search(r"Round 1 · .* · 1 group · delivered · run by hand", seen), seen
    (group,) = re.findall(r"<td>([^<]*)</td><td><span class=\"tag met\">met</span>", page)
    assert sorted(group.split(", ")) == ["Former member", "grace", "kath"]
    assert "<svg" in page and "Meeting rate per round" in seen


async def test_exports_hold_the_whole_history_json_exactly_in_the_design_shape(
    driver: SlackDriver,
    browser: aiohttp.ClientSession,
    app_url: str,
    container: Core,
    coffee: ProgramRecord,
) -> None:
    await sign_in(driver, browser, app_url)
    base = f"{app_url}/dashboard/programs/{coffee.id}/history"
    async with browser.get(base + ".json") as response:
        assert response.status == 200
        assert "attachment" in response.headers["Content-Disposition"]
        exported = await response.json()
    expected = await program_history(
        await container.scope_for(await container.workspace()), "coffee"
    )
    assert exported == expected.to_json()
    assert set(exported) == {"program", "rounds"} and exported["program"] == "coffee"
    (round_,) = exported["rounds"]
    assert set(round_) == {"number", "created_at", "groups"} and round_["number"] == 1
    (group,) = round_["groups"]
    assert set(group) == {"members", "outcome"} and group["outcome"] == "met"
    assert {"U0GRACE", "U0KATH"} < set(group["members"])  # Alan's id was erased

    async with browser.get(base + ".csv") as response:
        assert response.status == 200 and response.content_type == "text/csv"
        rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert [(r["round"], r["group"], r["outcome"]) for r in rows] == [("1", "1", "met")]
    assert "Former member" in rows[0]["names"]


async def test_a_member_who_is_not_a_lead_gets_no_link(
    driver: SlackDriver, coffee: ProgramRecord
) -> None:
    reply = await driver.command("U0GRACE", "dashboard")
    assert "Only program leads can do that" in reply.text
    assert "token=" not in reply.text


async def test_the_home_tab_gives_a_lead_a_working_dashboard_button(
    driver: SlackDriver, browser: aiohttp.ClientSession, app_url: str, coffee: ProgramRecord
) -> None:
    await driver.open_home("U0ADA", wait=3.0)
    home = driver.simulator.workspace.homes["U0ADA"]
    found = button(home["blocks"], actions.OPEN_DASHBOARD)
    assert found["url"].startswith(f"{PUBLIC_URL}/dashboard/login?token=")
    clicked = await driver.click("U0ADA", actions.OPEN_DASHBOARD, view=home, wait=0)
    assert clicked.status == 200  # Slack reports link clicks too; they are acknowledged
    status, _ = await get(browser, app_url + found["url"].removeprefix(PUBLIC_URL))
    assert status == 303
    assert (await get(browser, f"{app_url}/dashboard"))[0] == 200

    await driver.open_home("U0GRACE", wait=3.0)
    member_home = driver.simulator.workspace.homes["U0GRACE"]
    with pytest.raises(LookupError):
        button(member_home["blocks"], actions.OPEN_DASHBOARD)


async def test_a_link_for_one_workspace_never_shows_another(
    driver: SlackDriver,
    browser: aiohttp.ClientSession,
    app_url: str,
    container: Core,
    coffee: ProgramRecord,
) -> None:
    other = await add_program(container, "secret society", team_id="T0002")
    await sign_in(driver, browser, app_url)
    _, page = await get(browser, f"{app_url}/dashboard")
    assert "coffee" in page and "secret society" not in page
    for path in (f"/programs/{other.id}", f"/programs/{other.id}/history.json"):
        status, page = await get(browser, f"{app_url}/dashboard{path}")
        assert status == 404 and "secret society" not in page

    # A lead of the other workspace sees theirs, and not ours.
    links = DashboardLinks.from_settings(container.settings, container.clock)
    assert links is not None
    theirs = links.for_lead("slack", "T0002", "U0ADA")
    async with aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[app_url])
    ) as their_browser:
        assert (await get(their_browser, app_url + theirs.path))[0] == 303
        status, page = await get(their_browser, f"{app_url}/dashboard")
        assert status == 200 and "secret society" in page
        assert f'/dashboard/programs/{coffee.id}"' not in page  # (their program is a coffee too)
        assert "Enrolled" in page and "grace" not in page
        status, page = await get(their_browser, f"{app_url}/dashboard/programs/{coffee.id}")
        assert status == 404 and "Former member" not in page


async def test_links_and_sessions_expire_and_then_show_nothing(
    driver: SlackDriver,
    browser: aiohttp.ClientSession,
    app_url: str,
    clock: FakeClock,
    coffee: ProgramRecord,
) -> None:
    link = link_in(await driver.command("U0ADA", "dashboard"))
    local = app_url + link.removeprefix(PUBLIC_URL)
    assert (await get(browser, local))[0] == 303
    clock.advance(hours=11, minutes=59)
    assert (await get(browser, f"{app_url}/dashboard"))[0] == 200
    clock.advance(minutes=1)
    for url in (f"{app_url}/dashboard", f"{app_url}/dashboard/programs/{coffee.id}", local):
        status, page = await get(browser, url)
        assert status == 403 and "expired" in page
        assert "coffee" not in page and "grace" not in page


async def test_a_tampered_or_missing_link_is_refused_with_no_data(
    driver: SlackDriver, browser: aiohttp.ClientSession, app_url: str, coffee: ProgramRecord
) -> None:
    link = link_in(await driver.command("U0ADA", "dashboard"))
    token = link.split("token=")[1]
    body, signature = token.split(".")
    forged = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + signature
    for bad in (forged, token[:-1], "", "x" * 5000, "not.a.token"):
        async with browser.get(
            f"{app_url}/dashboard/login", params={"token": bad}, allow_redirects=False
        ) as response:
            page = await response.text()
            assert response.status in (400, 403), response.status
            assert "Set-Cookie" not in response.headers
            assert "coffee" not in page
    status, page = await get(browser, f"{app_url}/dashboard")
    assert status == 403 and "not signed in" in page and "coffee" not in page


async def test_bad_addresses_get_friendly_pages_never_a_traceback(
    driver: SlackDriver, browser: aiohttp.ClientSession, app_url: str, coffee: ProgramRecord
) -> None:
    await sign_in(driver, browser, app_url)
    program = f"{app_url}/dashboard/programs/{coffee.id}"
    cases = {
        f"{app_url}/dashboard/programs/abc": 404,
        f"{app_url}/dashboard/programs/99999999999999999999": 404,
        f"{app_url}/dashboard/programs/%C2%B2": 404,  # "²" passes str.isdigit
        f"{app_url}/dashboard/programs/0": 404,
        f"{app_url}/dashboard/programs/{coffee.id}/history.xml": 404,
        f"{program}?page=abc": 400,
        f"{program}?page=-1": 400,
        f"{program}?page=2": 404,
        f"{program}?page=1&x=" + "y" * 10_000: 400,
        f"{app_url}/dashboard/nothing/here": 404,
    }
    for url, expected in cases.items():
        status, page = await get(browser, url)
        assert status == expected, (url, status, page[:300])
        assert "Traceback" not in page and "<h1>" in page
    assert (await get(browser, f"{program}?page=1"))[0] == 200
    # Far past what a browser sends, uvicorn itself refuses the request line: still a 400.
    status, page = await get(browser, f"{program}?x=" + "y" * 300_000)
    assert status == 400 and "Traceback" not in page


async def test_markup_that_people_typed_is_shown_as_text(
    driver: SlackDriver,
    browser: aiohttp.ClientSession,
    app_url: str,
    container: Core,
    coffee: ProgramRecord,
) -> None:
    evil = await add_program(container, "<script>alert('x')</script>")
    reply = await sign_up(
        driver, "U0GRACE", {"program": str(evil.id), "team": "<img src=x onerror=alert(1)>"}
    )
    assert not reply.body
    await sign_in(driver, browser, app_url)
    for url in (f"{app_url}/dashboard", f"{app_url}/dashboard/programs/{evil.id}"):
        status, page = await get(browser, url)
        assert status == 200
        assert "<script>" not in page and "<img" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


@pytest.mark.parametrize("public_url", [None])
async def test_without_a_public_url_the_lead_is_told_how_and_gets_a_path(
    driver: SlackDriver, browser: aiohttp.ClientSession, app_url: str, coffee: ProgramRecord
) -> None:
    reply = await driver.command("U0ADA", "dashboard")
    assert "PUBLIC_URL" in reply.text and "Open dashboard" not in reply.text
    path = re.search(r"`(/dashboard/login\?token=[\w.%-]+)`", reply.text)
    assert path is not None, reply.text
    assert (await get(browser, app_url + path.group(1)))[0] == 303
    assert (await get(browser, f"{app_url}/dashboard"))[0] == 200
