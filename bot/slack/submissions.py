"""Answering a modal's submission within Slack's 3 seconds, even when saving takes longer.

Slack waits 3 seconds for the answer to a submission: "close", or errors to show on
the form's fields. The work (checking the answers, saving them) usually takes a few
milliseconds; under load, or with a slow database, it can take longer. So it gets
``SUBMIT_SECONDS``: done by then, the answer is the usual one (errors stay on their
fields). Not done, the modal is closed and the work goes on (up to ``ANSWER_SECONDS``);
the person is then told how it went where they started — the confirmation as usual, or
what was wrong and that nothing was saved.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.builders import replies
from bot.deadlines import ANSWER_SECONDS, SUBMIT_SECONDS, within
from bot.errors import InvalidForm
from bot.messages import Message
from bot.slack.replies import failure_message, refuse_in_modal

log = logging.getLogger(__name__)
T = TypeVar("T")
NOT_SAVED = "I couldn't save your answers: {problems} Please open the form again."


async def answer_submission(
    ack: AsyncAck,
    view: dict[str, Any],
    work: Callable[[], Awaitable[T]],
    *,
    field: str,
    done: Callable[[T], Awaitable[None]],
    tell: Callable[[Message], Awaitable[None]],
    user_id: str,
    received_at: float | None = None,
) -> None:
    """Run ``work`` for the submission of ``view`` and answer Slack in time.

    ``field``: the block that shows a failure that belongs to no field; ``done``: after
    the answer, with ``work``'s result (the confirmation); ``tell``: how to reach the
    person once the modal is closed; ``received_at``: when the request arrived
    (``time.monotonic()``), so the time it waited for its turn counts too.
    """
    task: asyncio.Future[T] = asyncio.ensure_future(within(ANSWER_SECONDS, work))
    waited = time.monotonic() - received_at if received_at is not None else 0.0
    finished, _ = await asyncio.wait({task}, timeout=max(0.1, SUBMIT_SECONDS - waited))
    if finished:
        try:
            result = task.result()
        except InvalidForm as exc:
            await refuse_in_modal(ack, view, exc.errors, field)
            return
        except Exception as exc:  # the modal stays open and says what went wrong
            await refuse_in_modal(ack, view, {field: failure_message(exc, user_id).text}, field)
            return
        await ack()
        await done(result)
        return
    await ack()  # closes the modal; how it went follows
    log.info("a submission from %s took over %gs; answering it afterwards", user_id, SUBMIT_SECONDS)
    try:
        result = await task
    except InvalidForm as exc:
        problems = " ".join(exc.errors.values())
        await _tell(tell, replies.problem(NOT_SAVED.format(problems=problems)), user_id)
        return
    except Exception as exc:
        await _tell(tell, failure_message(exc, user_id), user_id)
        return
    await done(result)


async def _tell(tell: Callable[[Message], Awaitable[None]], message: Message, user_id: str) -> None:
    try:
        await tell(message)
    except Exception:
        log.exception("could not tell %s how their submission went", user_id)
