"""Acknowledge Slack at once, then do the work: commands, button clicks and events.

Slack waits 3 seconds for the HTTP answer to a command, a click or an event, and shows
the person an error (or retries the event) after that. Going through Bolt first —
its middleware, the listener, the ack — costs a few milliseconds of CPU per request,
so a burst of hundreds of requests made every answer wait for all the others'. Here a
signed request of those kinds is answered 200 at once, and Bolt handles it right after,
in the background, as if it had just arrived; anything the listener put in its ack (the
help text, a mistake in the command) is posted to the request's response_url instead.

A request that opens a form (``/mentor signup``, ``/mentor program`` and their buttons)
also gets its "Loading…" modal here, before Bolt and before any other work: the
trigger id is good for 3 seconds only (``bot.slack.loading``).

Modal submissions and URL verification still go through Bolt in the request itself:
their answer has content Slack needs (errors on fields, the challenge).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltRequest

from bot.builders import actions, checkin
from bot.commands import CommandError, parse
from bot.slack.loading import LoadingModal, handed_over
from bot.slack.replies import again_if_dropped

log = logging.getLogger(__name__)

DISPATCHING = 8  # requests going through Bolt at once (until their listener acknowledges)
MODAL_VERBS = frozenset({"signup", "program"})
MODAL_ACTIONS = frozenset({actions.OPEN_SIGNUP, actions.NEW_PROGRAM, actions.EDIT_PROGRAM})
# Answers that are stored before Slack hears back (``replies.answer_then_ack``): a
# process that dies first leaves the person an error to click again, never a lost answer.
STORED_FIRST = frozenset({*checkin.ANSWERS, checkin.PAUSE, checkin.STAY})


@dataclass(frozen=True, slots=True)
class Early:
    """What the request is, as far as answering it early needs to know."""

    response_url: str | None = None
    trigger_id: str | None = None  # set when the request opens a form


def early(body: Mapping[str, Any]) -> Early | None:
    """The request (as Bolt parsed it) can be answered before it is handled: a command,
    a click on a button, an event."""
    if body.get("type") == "event_callback":
        return Early()
    if "command" in body:
        if not body.get("response_url"):  # a hand-made request (the demo's curl): the
            return None  # answer can only go in the response, so Bolt gives it there
        opens = _opens_form(body)
        return Early(body.get("response_url"), body.get("trigger_id") if opens else None)
    if body.get("type") != "block_actions":
        return None
    clicked = {str(a.get("action_id")) for a in body.get("actions") or [] if isinstance(a, dict)}
    if clicked & STORED_FIRST:
        return None
    opens = bool(clicked & MODAL_ACTIONS)
    return Early(body.get("response_url"), body.get("trigger_id") if opens else None)


def _opens_form(form: Mapping[str, Any]) -> bool:
    try:
        return parse(str(form.get("text") or "")).verb.value in MODAL_VERBS
    except CommandError:
        return False


class EarlyAcks:
    """The requests answered early and still being handled (closed with the app)."""

    def __init__(self, app: AsyncApp, *, at_once: int = DISPATCHING) -> None:
        self.app = app
        self.running: set[asyncio.Task[None]] = set()
        self.gate = asyncio.Semaphore(at_once)

    def take(self, request: AsyncBoltRequest, what: Early) -> None:
        task = asyncio.ensure_future(self._handle(request, what))
        self.running.add(task)
        task.add_done_callback(self.running.discard)

    async def aclose(self) -> None:
        for task in list(self.running):
            task.cancel()
        await asyncio.gather(*self.running, return_exceptions=True)

    async def _handle(self, request: AsyncBoltRequest, what: Early) -> None:
        modal = await self._loading(what.trigger_id)
        try:
            async with self.gate:  # a few at a time: new requests keep being answered
                with handed_over(modal):
                    response = await self.app.async_dispatch(request)
        except Exception:
            log.exception("a Slack request answered early could not be handled")
            return
        if response.status != 200:
            log.warning("Bolt answered an early-acknowledged request with %s", response.status)
        elif response.body and what.response_url:
            await _post(what.response_url, response.body)

    async def _loading(self, trigger_id: str | None) -> LoadingModal | None:
        client = self.app.client
        if trigger_id is None or not client.token:  # OAuth: the token needs the database
            return None
        modal = LoadingModal(client, trigger_id)
        return modal if await modal.open() else None


async def _post(url: str, body: str) -> None:
    """What the listener put in its ack, to the response_url (as Slack would show it)."""
    from slack_sdk.webhook.async_client import AsyncWebhookClient

    try:
        message: Any = json.loads(body)
    except ValueError:
        message = {"text": body}
    if not isinstance(message, dict):
        return
    try:
        await again_if_dropped(lambda: AsyncWebhookClient(url).send_dict(message))
    except Exception:
        log.exception("could not post an early-acknowledged answer")
