"""What ``mentorbot demo --keep-serving`` prints: where everything runs, and how to poke it."""

from __future__ import annotations

from urllib.parse import urlencode

from bot.dashboard.links import DashboardLinks
from bot.demo.company import COFFEE_CHANNEL, GENERAL, TEAM_ID
from bot.demo.stage import Stage
from storage.db import redacted_or_raw


def serving_lines(stage: Stage) -> list[str]:
    """Addresses, secrets of this run, and a curl that sends a command signed as Slack does."""
    body = urlencode(
        {
            "command": "/mentor",
            "text": "help",
            "team_id": TEAM_ID,
            "user_id": stage.people[min(1, len(stage.people) - 1)].user_id,
            "channel_id": GENERAL,
            "trigger_id": "poke.trigger",
            "response_url": f"{stage.simulator.base_url}/response/poke",
        }
    )
    dashboard: list[str] = []
    links = DashboardLinks.from_settings(stage.core.settings, stage.clock)
    if links is not None:  # the lead's own signed link, as /mentor dashboard gives it
        path = links.for_lead("slack", TEAM_ID, stage.lead.user_id).path
        dashboard.append(f"lead dashboard   {stage.app_url}{path}   (12 hours)")
    return [
        f"web app          {stage.app_url}   (Slack requests: POST /slack/events)",
        *dashboard,
        f"simulated Slack  {stage.simulator.api_url}",
        f"database         {redacted_or_raw(stage.database_url)}",
        f"signing secret   {stage.signing_secret}",
        f"bot token        {stage.bot_token}",
        "",
        "Is it up?",
        f"  curl -s {stage.app_url}/healthz",
        "A slash command signed as Slack signs it (/mentor help):",
        f"  body='{body}'",
        "  ts=$(date +%s)",
        f'  sig=v0=$(printf \'v0:%s:%s\' "$ts" "$body" | openssl dgst -sha256 '
        f"-hmac '{stage.signing_secret}' | sed 's/^.* //')",
        f'  curl -s {stage.app_url}/slack/events -H "X-Slack-Request-Timestamp: $ts" '
        '-H "X-Slack-Signature: $sig" --data "$body"',
        "What the bot has posted (the simulated Web API answers like Slack):",
        f"  curl -s '{stage.simulator.api_url}conversations.history?channel={COFFEE_CHANNEL}' "
        f"-H 'Authorization: Bearer {stage.bot_token}'",
    ]
