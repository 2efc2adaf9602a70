"""Opening modals (Slack only): ``views.open`` with the request's trigger id."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.platform import PlatformError
from bot.slack.platform import classify


async def open_modal(client: AsyncWebClient, trigger_id: str, view: dict[str, Any]) -> str:
    """Open ``view``; its id. A trigger id is valid for 3 seconds after the click/command."""
    try:
        response = await client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        raise classify("views.open", exc.response) from exc
    except (TimeoutError, ConnectionError) as exc:
        raise PlatformError(f"views.open: {exc}", code="connection") from exc
    return str((response.get("view") or {}).get("id", ""))
