"""``ChatPlatform`` on Slack's Web API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.errors import UnknownUser
from bot.messages import Message
from bot.platform import (
    Op,
    PermanentError,
    PlatformError,
    RateLimited,
    SentMessage,
    TransientError,
    UserPage,
)
from bot.slack import render
from bot.slack.limits import METHODS
from storage.repositories import Profile

METADATA_EVENT = "mentorbot_message"
# Errors that will not go away by retrying the same call.
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "user_disabled",
        "account_inactive",
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "cannot_dm_bot",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "missing_scope",
        "restricted_action",
        "too_many_users",
        "message_not_found",
        "cant_update_message",
        "user_not_in_channel",
    }
)
UNKNOWN_USER_ERRORS = frozenset(
    {"user_not_found", "users_not_found", "user_disabled", "account_inactive"}
)
HISTORY_LOOKBACK = 50
USERS_PAGE = 200  # Slack recommends at most 200 per users.list page


class SlackPlatform:
    """One workspace's Slack, through one Web API client."""

    home_room: int | None = render.MAX_HOME_BLOCKS

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def user_profile(self, user_id: str) -> Profile:
        try:
            response = await self._call(Op.PROFILE, self.client.users_info, user=user_id)
        except PermanentError as exc:
            if exc.code in UNKNOWN_USER_ERRORS:
                raise UnknownUser(user_id) from exc
            raise
        user: dict[str, Any] = response["user"]
        if user.get("deleted"):
            raise UnknownUser(user_id)
        return _profile(user)

    async def list_users(self, cursor: str | None = None) -> UserPage:
        response = await self._call(
            Op.LIST_USERS, self.client.users_list, limit=USERS_PAGE, cursor=cursor or None
        )
        people = [u for u in response.get("members") or [] if not _is_bot(u)]
        next_cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        return UserPage(
            profiles=tuple(_profile(u) for u in people if not u.get("deleted")),
            gone=tuple(str(u["id"]) for u in people if u.get("deleted")),
            next_cursor=next_cursor,
        )

    async def open_conversation(self, user_ids: Sequence[str]) -> str:
        response = await self._call(
            Op.OPEN, self.client.conversations_open, users=",".join(user_ids)
        )
        return str(response["channel"]["id"])

    async def send(
        self, conversation: str, message: Message, *, key: str | None = None
    ) -> SentMessage:
        extra: dict[str, Any] = {}
        if key is not None:
            extra["metadata"] = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        response = await self._call(
            Op.SEND,
            self.client.chat_postMessage,
            channel=conversation,
            unfurl_links=False,
            **render.message_kwargs(message),
            **extra,
        )
        return SentMessage(str(response["channel"]), str(response["ts"]))

    async def find_sent(self, conversation: str, key: str) -> SentMessage | None:
        response = await self._call(
            Op.FIND_SENT,
            self.client.conversations_history,
            channel=conversation,
            limit=HISTORY_LOOKBACK,
            include_all_metadata=True,
        )
        for item in response.get("messages") or []:
            metadata = item.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == METADATA_EVENT and payload.get("key") == key:
                return SentMessage(conversation, str(item["ts"]))
        return None

    async def update(self, sent: SentMessage, message: Message) -> None:
        await self._call(
            Op.UPDATE,
            self.client.chat_update,
            channel=sent.conversation,
            ts=sent.message_id,
            **render.message_kwargs(message),
        )

    async def send_ephemeral(self, conversation: str, user_id: str, message: Message) -> None:
        await self._call(
            Op.EPHEMERAL,
            self.client.chat_postEphemeral,
            channel=conversation,
            user=user_id,
            **render.message_kwargs(message),
        )

    async def show_home(self, user_id: str, home: Message) -> None:
        """Slack's App Home tab."""
        await self._call(
            Op.HOME,
            self.client.views_publish,
            user_id=user_id,
            view=render.home_view(home.blocks),
        )

    async def _call(
        self, op: Op, call: Callable[..., Awaitable[AsyncSlackResponse]], **kwargs: Any
    ) -> AsyncSlackResponse:
        """Make the call and translate failures into the port's error classes."""
        method = METHODS[op]
        try:
            return await call(**kwargs)
        except SlackApiError as exc:
            raise classify(method, exc.response) from exc
        except (TimeoutError, aiohttp.ClientError, ConnectionError) as exc:
            raise TransientError(
                f"{method}: {type(exc).__name__}: {exc}", code="connection"
            ) from exc


def _profile(user: dict[str, Any]) -> Profile:
    """A users.info / users.list member as our Profile."""
    profile = user.get("profile") or {}
    user_id = str(user["id"])
    return Profile(
        user_id=user_id,
        display_name=profile.get("display_name")
        or user.get("real_name")
        or user.get("name")
        or user_id,
        real_name=profile.get("real_name") or user.get("real_name"),
        title=profile.get("title") or None,
        time_zone=user.get("tz") or "UTC",
        is_workspace_admin=bool(user.get("is_admin") or user.get("is_owner")),
    )


def _is_bot(user: dict[str, Any]) -> bool:
    return bool(user.get("is_bot") or user.get("is_app_user") or user.get("id") == "USLACKBOT")


def classify(method: str, response: AsyncSlackResponse) -> PlatformError:
    status = int(response.status_code)
    error = str(response.get("error", "")) if isinstance(response.data, dict) else ""
    if status == 429 or error == "ratelimited":
        retry_after = float(
            response.headers.get("Retry-After", response.headers.get("retry-after", 1))
        )
        return RateLimited(method, retry_after)
    if status >= 500:
        return TransientError(f"{method}: HTTP {status}", code=f"http_{status}")
    if error in PERMANENT_ERRORS:
        return PermanentError(f"{method}: {error}", code=error)
    return TransientError(f"{method}: {error or f'HTTP {status}'}", code=error or f"http_{status}")
