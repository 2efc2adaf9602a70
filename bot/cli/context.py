"""What the round, check-in, history, clock and worker commands share: the container
(with the embedded SQLite database migrated, as ``serve`` does) and the exit codes."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.bootstrap import Container, build
from bot.config import Settings
from bot.platform import PlatformError
from bot.services.delivery import DeliveryReport
from storage.db import is_sqlite
from storage.migrate import upgrade
from storage.records import WorkspaceRecord

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_UNREACHABLE = 3  # everything was tried; some people could not be reached (recorded)
WORKSPACE_ATTEMPTS = 5


@asynccontextmanager
async def container_for(settings: Settings) -> AsyncIterator[Container]:
    container = build(settings)
    try:
        if is_sqlite(settings.database_url):
            await upgrade(container.engine)
        yield container
    finally:
        await container.aclose()


async def workspace_for(container: Container, external_id: str | None) -> WorkspaceRecord:
    """The workspace to act on, asking Slack (auth.test) a few times if it is busy."""
    for attempt in range(1, WORKSPACE_ATTEMPTS + 1):
        try:
            return await container.default_workspace(external_id)
        except PlatformError:
            if attempt == WORKSPACE_ATTEMPTS:
                raise
            await asyncio.sleep(attempt)
    raise AssertionError("unreachable")


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
