"""Slack Web API clients: base URL from settings, Slack's retry handlers attached."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.retries import RepeatableCallRetry


def web_client(
    token: str | None, base_url: str, *, timeout: float, retry: bool = True
) -> AsyncWebClient:
    """A client for interactive calls, retrying 429s, and dropped connections of calls
    that are safe to repeat (``bot.slack.retries``), itself.

    The delivery outbox asks for ``retry=False``: it retries through its own pacer and
    checks whether a message already went out before posting it again, which a blind
    client-side retry of chat.postMessage could not do.
    """
    handlers = (
        [AsyncRateLimitErrorRetryHandler(max_retry_count=4), RepeatableCallRetry()] if retry else []
    )
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=max(1, round(timeout)),  # the SDK takes whole seconds
        retry_handlers=handlers,
    )
