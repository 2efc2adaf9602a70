"""Which Web API calls a dropped connection may repeat, for the interactive client.

A connection reset, a keep-alive connection the server had just closed, a server that
hung up: the call may or may not have reached Slack. Repeating it is right when doing it
twice is the same as doing it once — reads, ``conversations.open``, ``chat.update``,
``views.update``, ``views.publish`` — and wrong for a post (the person would get it
twice) or ``views.open`` (a trigger id works once). Those fail instead, as a
``TransientError`` the caller turns into "try again"; the delivery outbox has its own
retries and checks whether a post landed before posting it again.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler

NOT_REPEATABLE = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.meMessage",
        "chat.scheduleMessage",
        "views.open",
        "views.push",
    }
)
RETRIES = 2


class RepeatableCallRetry(AsyncConnectionErrorRetryHandler):
    """``AsyncConnectionErrorRetryHandler``, for calls that are safe to repeat only."""

    def __init__(self, max_retry_count: int = RETRIES) -> None:
        super().__init__(max_retry_count=max_retry_count)

    async def _can_retry_async(self, *, request: Any, **kwargs: Any) -> bool:
        method = str(getattr(request, "url", "")).rstrip("/").rsplit("/", 1)[-1]
        if method in NOT_REPEATABLE:
            return False
        return bool(await super()._can_retry_async(request=request, **kwargs))
