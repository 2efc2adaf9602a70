"""The dashboard in a real headless Chromium (Debian's ``chromium`` package), driven by
Playwright — never a browser Playwright downloads. Locally the tests skip when Chromium
or Playwright is missing; with MENTORBOT_TEST_BROWSER=required (``.ci/run``) they fail
instead. A failing test leaves a screenshot of each open page in
$MENTORBOT_BROWSER_ARTIFACTS (default ``.artifacts/browser``).

The app, the simulated Slack and the database are the end-to-end tests' own.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import app_url, clock, container, driver, settings, slack

__all__ = ["app_url", "clock", "container", "driver", "settings", "slack"]

REQUIRED = os.environ.get("MENTORBOT_TEST_BROWSER", "").lower() == "required"
ARTIFACTS = Path(os.environ.get("MENTORBOT_BROWSER_ARTIFACTS", ".artifacts/browser"))
CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium")


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"MENTORBOT_TEST_BROWSER=required but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    found = os.environ.get("MENTORBOT_CHROMIUM") or next(
        (p for p in (shutil.which(c) for c in CANDIDATES) if p), None
    )
    if not found:
        _unavailable("Chromium is not installed (apt-get install -y chromium)")
    return str(found)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


def _artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
async def browser_context(chromium_path: str, request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """A fresh browser profile (its own cookies) for one test; screenshots on failure."""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[dev]')")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path)
        context = await browser.new_context()
        try:
            yield context
        finally:
            if request.node.stash.get(FAILED, False):
                folder = _artifacts()
                name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
                for index, page in enumerate(context.pages):
                    path = folder / f"{name}-{index}.png"
                    await page.screenshot(path=str(path), full_page=True)
            await context.close()
            await browser.close()
