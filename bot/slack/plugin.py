"""Slack's registration: configured by a signing secret plus a bot token or OAuth.

Cheap to import: the adapter (and slack_bolt/slack_sdk with it) loads only when Slack
is configured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.platforms import PlatformAdapter, PlatformPlugin

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core import Core

NAME = "slack"


def _configured(settings: Settings) -> bool:
    return settings.slack_configured


def _create(core: Core) -> PlatformAdapter:
    from bot.slack.adapter import SlackAdapter

    return SlackAdapter(core)


SLACK = PlatformPlugin(NAME, _configured, _create)
