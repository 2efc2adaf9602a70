"""The composition root's rate-limit speed-up: Slack's limits by default, shorter
windows only when asked (the demo's simulated workspace)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bootstrap import build
from bot.config import Settings
from bot.delivery.pacer import PER_CHANNEL, SLACK_LIMITS
from bot.services.delivery import deliveries


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'speed.db'}")


async def test_by_default_every_workspace_is_paced_at_slacks_own_limits(
    settings: Settings,
) -> None:
    container = build(settings)
    pacer = deliveries(container).pacers.for_workspace(1)
    await container.aclose()

    assert dict(pacer.limits) == dict(SLACK_LIMITS)
    assert dict(pacer.per_channel) == dict(PER_CHANNEL)


async def test_a_speedup_keeps_the_numbers_of_calls_in_shorter_windows(settings: Settings) -> None:
    container = build(settings, rate_limit_speedup=60)
    pacer = deliveries(container).pacers.for_workspace(1)
    await container.aclose()

    for method, limit in SLACK_LIMITS.items():
        assert pacer.limits[method].calls == limit.calls
        assert pacer.limits[method].per == pytest.approx(limit.per / 60)
    assert pacer.per_channel["chat.postMessage"].per == pytest.approx(1 / 60)


def test_a_speedup_must_be_positive(settings: Settings) -> None:
    with pytest.raises(ValueError, match="positive"):
        build(settings, rate_limit_speedup=0)
