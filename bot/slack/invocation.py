"""One ``/mentor`` request as the handlers see it."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import Command


@dataclass(frozen=True, slots=True)
class Invocation:
    """Who asked, where, and what is needed to open a modal or reply later."""

    command: Command
    user_id: str
    channel_id: str
    trigger_id: str
    response_url: str
    client: AsyncWebClient

    @property
    def origin(self) -> dict[str, str]:
        """What a modal opened for this command remembers, to answer on submit."""
        return {"channel": self.channel_id, "response_url": self.response_url}
