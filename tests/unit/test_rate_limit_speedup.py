"""The composition root's rate-limit speed-up: each platform's own limits by default,
shorter windows only when asked (the demo's simulated workspace)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bootstrap import build
from bot.config import Settings
from bot.platform import Op
from bot.slack.limits import SLACK_LIMITS
from storage.records import WorkspaceRecord

SLACK_WORKSPACE = WorkspaceRecord(1, "slack", "T1", "Acme")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'speed.db'}",
        slack_bot_token="xoxb-1",  # type: ignore[arg-type]
        slack_signing_secret="s",  # type: ignore[arg-type]
    )


async def test_by_default_a_slack_workspace_is_paced_at_slacks_own_limits(
    settings: Settings,
) -> None:
    core = build(settings)
    pacer = core.deliveries.pacer(SLACK_WORKSPACE)
    await core.aclose()

    assert dict(pacer.limits) == dict(SLACK_LIMITS.per_workspace)
    assert dict(pacer.per_conversation) == dict(SLACK_LIMITS.per_conversation)


async def test_a_speedup_keeps_the_numbers_of_calls_in_shorter_windows(settings: Settings) -> None:
    core = build(settings, rate_limit_speedup=60)
    pacer = core.deliveries.pacer(SLACK_WORKSPACE)
    await core.aclose()

    for op, limit in SLACK_LIMITS.per_workspace.items():
        assert pacer.limits[op].calls == limit.calls
        assert pacer.limits[op].per == pytest.approx(limit.per / 60)
    assert pacer.per_conversation[Op.SEND].per == pytest.approx(1 / 60)


def test_a_speedup_must_be_positive(settings: Settings) -> None:
    with pytest.raises(ValueError, match="positive"):
        build(settings, rate_limit_speedup=0)
