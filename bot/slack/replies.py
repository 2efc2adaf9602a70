"""Turning the outcome of a person's request into what they see on Slack: an ephemeral
reply, an answer through a ``response_url``, errors kept on a modal's fields.

What a failure says is neutral (``bot.handlers.failure_message``): domain errors become
a friendly reply; anything unexpected is logged and the person gets a short apology.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.deadlines import SUBMIT_SECONDS, waited_on, watch_stored
from bot.handlers import Work, failure_message, outcome
from bot.messages import Message
from bot.slack import render, state

__all__ = [
    "Send",
    "Work",
    "answer",
    "ephemeral",
    "failure_message",
    "outcome",
    "refuse_in_modal",
    "to_response_url",
    "via_respond",
]
log = logging.getLogger(__name__)

T = TypeVar("T")
Send = Callable[[Message], Awaitable[None]]
# A connection that went away before the answer: reset, closed keep-alive, refused.
DROPPED = (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError, ConnectionError)


def ephemeral(message: Message) -> dict[str, Any]:
    """Arguments for ``ack()``/``respond()``: only the person who asked sees it."""
    return {"response_type": "ephemeral", **render.message_kwargs(message)}


def via_respond(respond: AsyncRespond, *, replace: bool = False) -> Send:
    async def send(message: Message) -> None:
        await again_if_dropped(lambda: respond(replace_original=replace, **ephemeral(message)))

    return send


async def answer(send: Send, work: Work, *, user_id: str) -> None:
    """Run ``work`` and send its message, or the friendly form of its failure."""
    message = await outcome(work, user_id=user_id)
    if message is None:
        return
    try:
        await send(message)
    except DROPPED as exc:
        log.warning("could not deliver a reply to %s: %s: %s", user_id, type(exc).__name__, exc)
    except Exception:
        log.exception("could not deliver a reply to %s", user_id)


async def answer_then_ack(
    ack: AsyncAck, send: Send, work: Work, *, user_id: str, received_at: float | None = None
) -> None:
    """Do ``work`` before acknowledging when it fits in Slack's 3 seconds, then answer.

    The acknowledgement waits for the answer to be stored (``answer_stored``), not for
    what follows it (redrawing the message, which may wait on Slack's limits).

    For a click whose effect must not be lost (a check-in answer): if the process dies
    before the acknowledgement, Slack tells the person it failed and they click again;
    once acknowledged, the answer is stored. Past ``SUBMIT_SECONDS`` (from the request's
    arrival) the click is acknowledged anyway and the work goes on.
    """
    with waited_on():  # until acknowledged, other work lets this click go first
        running, stored = watch_stored(
            lambda: asyncio.ensure_future(outcome(work, user_id=user_id, urgent=True))
        )
        waited = time.monotonic() - received_at if received_at is not None else 0.0
        committed: asyncio.Future[Any] = asyncio.ensure_future(stored.wait())
        try:  # acknowledged once the answer is stored (or the work ended, or time is up)
            await asyncio.wait(
                {running, committed},
                timeout=max(0.1, SUBMIT_SECONDS - waited),
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            committed.cancel()
    await ack()
    message = await running
    if message is None:
        return
    try:
        await send(message)
    except DROPPED as exc:
        log.warning("could not deliver a reply to %s: %s: %s", user_id, type(exc).__name__, exc)
    except Exception:
        log.exception("could not deliver a reply to %s", user_id)


async def again_if_dropped(call: Callable[[], Awaitable[T]], *, attempts: int = 3) -> T:
    """``call()``, made again (twice at most) when its connection was dropped before an
    answer came: a reply posted twice is better than a reply lost."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except DROPPED:
            if attempt == attempts:
                raise
            await asyncio.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


async def to_response_url(url: str, message: Message, *, replace: bool = False) -> None:
    """Answer through a ``response_url`` Slack gave us earlier (valid for 30 minutes)."""
    body = {"replace_original": replace, **ephemeral(message)}
    response = await again_if_dropped(lambda: AsyncWebhookClient(url).send_dict(body))
    if response.status_code != 200:
        log.warning("response_url answered %s: %s", response.status_code, response.body[:200])


async def refuse_in_modal(
    ack: AsyncAck, view: dict[str, Any], errors: dict[str, str], fallback: str
) -> None:
    """Keep the modal open with each message on its field (``response_action: errors``)."""
    shown = state.errors_for(view, errors, fallback)
    if shown:
        await ack(response_action="errors", errors=shown)
    else:  # a view with no input to show it on: nothing was stored, close it
        log.warning("refused a submission of a view without inputs: %s", errors)
        await ack()
