"""One step of the soak run in a process of its own, so the soak can SIGKILL it:

    python -m bench.soak_worker round DATABASE_URL API_URL CLOCK_START CLOCK_OFFSET SEED
    python -m bench.soak_worker checkin DATABASE_URL API_URL CLOCK_START CLOCK_OFFSET

``round`` is ``mentorbot round run coffee --seed SEED`` (form the round, or finish the one
still being delivered; deliver it), ``checkin`` is ``mentorbot checkin run coffee`` —
with Slack's rate-limit windows shortened ``SPEEDUP`` times and a clock that runs
``WARP`` times faster than the wall clock (so leases and the 35 s a post in flight is
given run out quickly), started at ``CLOCK_START`` plus ``CLOCK_OFFSET`` seconds (the
weeks gone by). Exit 0 when everything was delivered.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import build
from bot.config import Settings
from bot.services.checkins import CHECKIN_KINDS, queue_checkins
from bot.services.rounds import form_round

SPEEDUP = 600.0
WARP = 30.0


class WarpClock:
    """Wall time from ``start``, running ``warp`` times faster, plus ``offset``."""

    def __init__(self, start: float, offset: float, warp: float = WARP) -> None:
        self.start, self.offset, self.warp = start, offset, warp

    def __call__(self) -> datetime:
        seconds = self.start + (time.time() - self.start) * self.warp + self.offset
        return datetime.fromtimestamp(seconds, UTC)


def settings(database_url: str, api_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        slack_bot_token="xoxb-sim",  # noqa: S106 - the simulated workspace's token
        slack_signing_secret="soak",  # noqa: S106
        slack_api_url=api_url,
        embedded_clock=False,
    )


async def main(step: str, url: str, api: str, start: float, offset: float, seed: int) -> int:
    container = build(
        settings(url, api), clock=WarpClock(start, offset), rate_limit_speedup=SPEEDUP
    )
    try:
        workspace = await container.workspace("T0001")
        service = container.deliveries
        scope = await container.scope_for(workspace, paced=True)
        if step == "round":
            formed = await form_round(scope, "coffee", seed=seed)
            report = await service.deliver_round(workspace, formed.round.id)
        else:
            queued = await queue_checkins(scope, "coffee")
            report = await service.deliver_round(workspace, queued.round.id, kinds=CHECKIN_KINDS)
        return 0 if report.delivered else 1
    finally:
        await container.aclose()


if __name__ == "__main__":
    step, url, api, start, offset, *rest = sys.argv[1:]
    seed = int(rest[0]) if rest else 0
    sys.exit(asyncio.run(main(step, url, api, float(start), float(offset), seed)))
