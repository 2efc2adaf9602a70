"""The lead dashboard in a real Chromium: a lead signs in with the link from Slack, goes
from the overview to a program and its impact report; the heat-map and the charts render;
no console error and no Content-Security-Policy violation on any page; the keyboard
reaches every link; phone and desktop widths lay out without sideways scrolling; and a
tampered link gets a 403 with no data."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.core import Core
from bot.services.rounds import form_round
from bot.slack.simulator.driver import SlackDriver
from storage.records import ProgramRecord
from tests.e2e.test_dashboard import PUBLIC_URL, coffee, link_in, public_url
from tests.fakes.clock import FakeClock

__all__ = ["coffee", "public_url"]
pytestmark = pytest.mark.slow

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
WATCH = """
window.__problems = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__problems.push('CSP: ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    return settings.model_copy(update={"public_url": PUBLIC_URL})


async def _second_round(container: Core, clock: FakeClock) -> None:
    """A second round a week later, so the trends have lines, not dots."""
    clock.advance(days=7)
    workspace = await container.workspace()
    scope = await container.scope_for(workspace, paced=True)
    formed = await form_round(scope, "coffee", seed=2)
    assert (await container.deliveries.deliver_round(workspace, formed.round.id)).delivered


async def _page(browser_context: Any, viewport: dict[str, int]) -> tuple[Any, list[str]]:
    page = await browser_context.new_page()
    await page.set_viewport_size(viewport)
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    await page.add_init_script(WATCH)
    return page, problems


async def _clean(page: Any, problems: list[str]) -> None:
    found = problems + await page.evaluate("window.__problems || []")
    assert found == [], found


async def _sign_in(page: Any, driver: SlackDriver, app_url: str) -> None:
    link = link_in(await driver.command("U0ADA", "dashboard"))
    response = await page.goto(app_url + link.removeprefix(PUBLIC_URL))
    assert response is not None and response.status == 200
    assert page.url == f"{app_url}/dashboard"  # the link was swapped for a session
    assert "token=" not in page.url


async def _keyboard_reaches_every_link(page: Any) -> None:
    """Tab from the top of the page until focus comes round again: every link (by its
    address and text) must have had the focus."""
    links = await page.evaluate(
        "[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href') + ' '"
        " + a.textContent.trim())"
    )
    reached: list[str] = []
    await page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(len(links) + 5):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(
            "document.activeElement && document.activeElement.matches('a[href]') ? "
            "document.activeElement.getAttribute('href') + ' ' + "
            "document.activeElement.textContent.trim() : null"
        )
        if focused is None:
            continue
        if reached and focused == reached[0]:
            break
        reached.append(focused)
    assert sorted(set(reached)) == sorted(set(links))


async def _fits(page: Any) -> None:
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_a_lead_goes_from_the_link_to_the_impact_report(
    browser_context: Any,
    driver: SlackDriver,
    app_url: str,
    container: Core,
    clock: FakeClock,
    coffee: ProgramRecord,
    viewport: dict[str, int],
) -> None:
    await _second_round(container, clock)
    page, problems = await _page(browser_context, viewport)
    await _sign_in(page, driver, app_url)

    assert "Programs in" in await page.inner_text("main")
    await _fits(page)
    await _keyboard_reaches_every_link(page)
    await _clean(page, problems)

    await page.click(f'a[href="/dashboard/programs/{coffee.id}"]')
    await page.wait_for_url(f"{app_url}/dashboard/programs/{coffee.id}")
    assert "Impact so far" in await page.inner_text("main")
    charts = page.locator("svg[role=img]")
    assert await charts.count() >= 2
    for index in range(await charts.count()):
        box = await charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 40
    await _fits(page)
    await _keyboard_reaches_every_link(page)
    await _clean(page, problems)

    await page.click("text=Impact report")
    await page.wait_for_url(f"{app_url}/dashboard/programs/{coffee.id}/impact")
    heat = page.locator("svg.heat")
    box = await heat.bounding_box()
    assert box is not None and box["width"] > 150 and box["height"] > 150
    teams = await page.locator("svg.heat text").count() // 2
    assert await page.locator("svg.heat rect.cell").count() == teams * teams > 0
    assert await page.locator("polyline.dashed").count() >= 1  # the random baseline
    assert await page.locator("polyline").count() >= 4
    # the heat-map's numbers are a table for screen readers, hidden only visually
    table = page.locator(".sr table")
    assert "Ties between teams" in await table.inner_text()
    hidden = await page.locator("div.sr").bounding_box()
    assert hidden is not None and hidden["width"] <= 1 and hidden["height"] <= 1
    await _fits(page)
    await _keyboard_reaches_every_link(page)
    await _clean(page, problems)


async def test_the_impact_report_prints_on_one_page(
    browser_context: Any,
    driver: SlackDriver,
    app_url: str,
    container: Core,
    clock: FakeClock,
    coffee: ProgramRecord,
) -> None:
    await _second_round(container, clock)
    page, problems = await _page(browser_context, DESKTOP)
    await _sign_in(page, driver, app_url)
    await page.goto(f"{app_url}/dashboard/programs/{coffee.id}/impact")
    await page.emulate_media(media="print")
    assert not await page.locator("header").is_visible()  # no navigation on paper
    pdf = await page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the printed report takes {pages} pages"
    await _clean(page, problems)


async def test_a_tampered_link_gets_403_and_no_data(
    browser_context: Any, driver: SlackDriver, app_url: str, coffee: ProgramRecord
) -> None:
    page, problems = await _page(browser_context, DESKTOP)
    link = link_in(await driver.command("U0ADA", "dashboard"))
    token = link.split("token=", 1)[1]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = await page.goto(f"{app_url}/dashboard/login?token={tampered}")
    assert response is not None and response.status == 403
    shown = await page.inner_text("body")
    assert "coffee" not in shown and "grace" not in shown.lower()
    response = await page.goto(f"{app_url}/dashboard/programs/{coffee.id}/impact")
    assert response is not None and response.status == 403  # no session was made
    await _clean(page, [p for p in problems if "403" not in p])
