"""What the round, check-in, history, clock and worker commands share: the core (with
the embedded SQLite database migrated, as ``serve`` does), the workspace to act on, and
the exit codes."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.bootstrap import build
from bot.config import Settings
from bot.core import Core
from bot.platform import PlatformError
from bot.services.delivery import DeliveryReport
from bot.services.scope import Scope
from storage.db import is_sqlite
from storage.migrate import upgrade

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_UNREACHABLE = 3  # everything was tried; some people could not be reached (recorded)
WORKSPACE_ATTEMPTS = 5


@asynccontextmanager
async def core_for(settings: Settings) -> AsyncIterator[Core]:
    core = build(settings)
    try:
        if is_sqlite(settings.database_url):
            await upgrade(core.engine)
        yield core
    finally:
        await core.aclose()


async def scope_for(core: Core, external_id: str | None, *, paced: bool = True) -> Scope:
    """The workspace to act on (asking its platform a few times if it is busy, e.g.
    Slack's auth.test), as a scope whose platform goes through the pacer."""
    for attempt in range(1, WORKSPACE_ATTEMPTS + 1):
        try:
            workspace = await core.workspace(external_id)
            break
        except PlatformError:
            if attempt == WORKSPACE_ATTEMPTS:
                raise
            await asyncio.sleep(attempt)
    return await core.scope_for(workspace, paced=paced)


def outcome(report: DeliveryReport, *, again: str) -> int:
    """Print what was delivered; the exit code says whether everything went out."""
    total = report.sent + len(report.failed) + len(report.pending)
    print(f"Delivered {report.sent} of {total} messages.")
    for item in report.failed:
        print(
            f"mentorbot: could not deliver {item.key} to {', '.join(item.to)}: {item.error}",
            file=sys.stderr,
        )
    if report.pending:
        last = next((p.error for p in report.pending if p.error), None)
        why = f" (last error: {last})" if last else ""
        print(
            f"mentorbot: {len(report.pending)} messages are not delivered yet{why}; "
            f"run `{again}` again to finish",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    return EXIT_UNREACHABLE if report.failed else EXIT_OK
