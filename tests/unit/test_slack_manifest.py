"""The Slack app manifest and the code agree: the OAuth install asks for the scopes the
manifest declares, and the manifest subscribes to every event mentorbot listens to."""

from __future__ import annotations

import re
from pathlib import Path

from bot.slack.app import BOT_SCOPES

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def _listed_under(key: str, text: str) -> set[str]:
    block = text.split(f"{key}:", 1)[1]
    found: set[str] = set()
    for line in block.splitlines()[1:]:
        item = re.match(r"\s+- ([\w:.]+)", line)
        if item is None:
            break
        found.add(item.group(1))
    return found


def test_oauth_asks_for_exactly_the_manifests_bot_scopes() -> None:
    assert _listed_under("bot", MANIFEST.read_text()) == set(BOT_SCOPES)


def test_the_manifest_subscribes_to_the_events_mentorbot_handles() -> None:
    events = _listed_under("bot_events", MANIFEST.read_text())
    assert {"app_home_opened", "member_joined_channel", "member_left_channel"} <= events
