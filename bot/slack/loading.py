"""Modals that open within Slack's 3 seconds, whatever the load: "Loading…" first.

A trigger id is good for 3 seconds after the command or click, and the form's contents
need the database and the person's profile — which under load, or with a slow
database, can take longer. So the modal is opened at once with a "Loading…" view (no
database, no look-ups in between), and the form then replaces it (``views.update``).

``loading_modal(client, trigger_id)`` opens it and, for the work inside the block,
makes ``open_modal`` (``bot.slack.modals``) fill that modal instead of opening another.
If the work ends without filling it, ``show`` puts the answer (a refusal, an apology)
in its place, so the person is never left looking at "Loading…". If "Loading…" itself
cannot be opened (Slack refused the trigger), nothing changes: the work opens the form
as before, or answers the way it always did.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import Message
from bot.slack import render

log = logging.getLogger(__name__)

LOADING_CALLBACK_ID = "mentorbot_loading"
NOTICE_CALLBACK_ID = "mentorbot_notice"
TITLE = "mentorbot"

_current: contextvars.ContextVar[LoadingModal | None] = contextvars.ContextVar(
    "mentorbot_loading_modal", default=None
)


class LoadingModal:
    """One "Loading…" modal, until it is filled."""

    def __init__(self, client: AsyncWebClient, trigger_id: str) -> None:
        self.client = client
        self.trigger_id = trigger_id
        self.view_id: str | None = None
        self.filled = False

    async def open(self) -> bool:
        from bot.slack.modals import call_views

        try:
            response = await call_views(
                "views.open",
                self.client.views_open,
                trigger_id=self.trigger_id,
                view=loading_view(),
            )
        except Exception as exc:
            log.warning("could not open the loading modal: %s", exc)
            return False
        self.view_id = str((response.get("view") or {}).get("id") or "") or None
        return self.view_id is not None

    async def fill(self, view: dict[str, Any]) -> str:
        """Replace "Loading…" with ``view``; its id."""
        from bot.slack.modals import call_views

        assert self.view_id is not None
        await call_views("views.update", self.client.views_update, view_id=self.view_id, view=view)
        self.filled = True
        return self.view_id

    async def show(self, message: Message) -> None:
        """Put ``message`` where the form would have been (once, if it was not filled)."""
        if self.filled or self.view_id is None:
            return
        try:
            await self.fill(notice_view(message))
        except Exception:
            log.exception("could not show an answer in the loading modal")


Send = Callable[[Message], Awaitable[None]]


def answer_in(modal: LoadingModal, otherwise: Send) -> Send:
    """Where a request's answer goes: into its loading modal while that shows "Loading…"
    (a refusal, an apology), otherwise the way ``otherwise`` sends it."""

    async def send(message: Message) -> None:
        if modal.view_id is not None and not modal.filled:
            await modal.show(message)
        else:
            await otherwise(message)

    return send


def current() -> LoadingModal | None:
    """The loading modal the running work may fill, if any."""
    return _current.get()


@asynccontextmanager
async def loading_modal(client: AsyncWebClient, trigger_id: str) -> AsyncIterator[LoadingModal]:
    """The request's "Loading…" modal: the one opened for it already (``handed_over``),
    or one opened now."""
    ready = _current.get()
    if ready is not None and ready.trigger_id == trigger_id:
        yield ready
        return
    modal = LoadingModal(client, trigger_id)
    opened = await modal.open()
    token = _current.set(modal if opened else None)
    try:
        yield modal
    finally:
        _current.reset(token)


@contextmanager
def handed_over(modal: LoadingModal | None) -> Iterator[None]:
    """Work started inside this block finds ``modal`` (opened before the work was)."""
    token = _current.set(modal)
    try:
        yield
    finally:
        _current.reset(token)


def loading_view() -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": LOADING_CALLBACK_ID,
        "title": {"type": "plain_text", "text": TITLE},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Loading…"}}],
    }


def notice_view(message: Message) -> dict[str, Any]:
    text = render.clip(message.text, render.MAX_SECTION_TEXT) or "Done."
    return {
        "type": "modal",
        "callback_id": NOTICE_CALLBACK_ID,
        "title": {"type": "plain_text", "text": TITLE},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }
