"""Opening modals (Slack only): ``views.open`` with the request's trigger id — or, when a
"Loading…" modal is already open for this request (``bot.slack.loading``), filling it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.platform import TransientError
from bot.slack import loading
from bot.slack.platform import classify


async def open_modal(client: AsyncWebClient, trigger_id: str, view: dict[str, Any]) -> str:
    """Open ``view``; its id. A trigger id is valid for 3 seconds after the click/command."""
    modal = loading.current()
    if modal is not None and modal.trigger_id == trigger_id and not modal.filled:
        return await modal.fill(view)
    response = await call_views("views.open", client.views_open, trigger_id=trigger_id, view=view)
    return str((response.get("view") or {}).get("id", ""))


async def call_views(
    method: str, call: Callable[..., Awaitable[AsyncSlackResponse]], **kwargs: Any
) -> AsyncSlackResponse:
    """A ``views.*`` call, its failures as the platform port's errors (a dropped
    connection or a timeout is transient, never an "unexpected error")."""
    try:
        return await call(**kwargs)
    except SlackApiError as exc:
        raise classify(method, exc.response) from exc
    except (TimeoutError, aiohttp.ClientError, ConnectionError) as exc:
        raise TransientError(f"{method}: {type(exc).__name__}: {exc}", code="connection") from exc
