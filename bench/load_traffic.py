"""The load: people using ``/mentor`` at once — commands, modal forms, check-in clicks —
signed as Slack signs them, each request on its own connection as Slack sends them.

Every request is followed to its end: the acknowledgement (Slack gives up after 3 s),
the reply through the response_url, the modal (opened within the trigger's 3 s? then
filled with the form?) and its submission (answered within 3 s?). A request fails when
any of that does not happen, or the person is told "sorry".
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.load_world import LEAD, World
from bot.builders import checkin as buttons
from bot.slack.loading import LOADING_CALLBACK_ID, NOTICE_CALLBACK_ID
from bot.slack.simulator.driver import SlackDriver

SLACK_SECONDS = 3.0  # Slack's patience: acks, submissions, trigger ids
FOLLOW_SECONDS = 60.0  # how long a reply or a form may take before it counts as lost
MIX: tuple[tuple[str, int], ...] = (
    ("help", 8),
    ("profile", 14),
    ("match", 10),
    ("pause", 5),
    ("resume", 5),
    ("signup", 25),
    ("stats", 4),
    ("history", 4),
    ("click", 25),
)
SORRY = ("Sorry", "try again")


@dataclass
class Outcome:
    kind: str
    ack: float | None = None  # seconds until the HTTP answer to the command or click
    modal_open: float | None = None  # seconds from the command to views.open
    form_ready: float | None = None  # seconds from the command until the form was there
    reply: float | None = None  # seconds until the response_url reply
    submit_ack: float | None = None  # seconds to answer the form's submission
    problem: str | None = None
    clicked: tuple[int, str] | None = None  # (group id, user id) of a check-in click
    key: str | None = None  # a click's response_url key


@dataclass
class Traffic:
    world: World
    driver: SlackDriver
    rng: random.Random
    outcomes: list[Outcome] = field(default_factory=list)

    def plan(self, count: int) -> list[str]:
        kinds, weights = zip(*MIX, strict=True)
        return self.rng.choices(kinds, weights, k=count)

    async def one(self, kind: str) -> Outcome:
        outcome = Outcome(kind)
        self.outcomes.append(outcome)
        try:
            await ACTIONS[kind](self, outcome)
        except Exception as exc:  # the bench's own view: a request that did not finish
            outcome.problem = outcome.problem or f"{type(exc).__name__}: {exc}"[:200]
        return outcome

    # -- the kinds of request ----------------------------------------------------------
    async def command(self, outcome: Outcome, text: str, *, user: str | None = None) -> None:
        user = user or self.rng.choice(self.world.people[1:])
        started = time.monotonic()
        reply = await self.driver.command(user, text, wait=0)
        outcome.ack = time.monotonic() - started
        if reply.status != 200:
            outcome.problem = f"HTTP {reply.status}"
            return
        if text == "help" and "signup" in reply.body:  # answered in the acknowledgement
            return
        key = reply.trigger_id.split(".")[0]
        found = await self._until(lambda: self._responses(key), started)
        if found is None:
            outcome.problem = "no reply"
            return
        outcome.reply = found[0]
        text_said = str(found[1])
        if any(word in text_said for word in SORRY):
            outcome.problem = "told sorry: " + text_said[:120]

    async def signup(self, outcome: Outcome) -> None:
        user = self.rng.choice(self.world.people[1:])
        started = time.monotonic()
        reply = await self.driver.command(user, "signup", wait=0)
        outcome.ack = time.monotonic() - started
        if reply.status != 200:
            outcome.problem = f"HTTP {reply.status}"
            return
        trigger = reply.trigger_id
        seen = await self._until(lambda: self._form(trigger), started)
        workspace = self.world.simulator.workspace
        outcome.modal_open = workspace.trigger_waits.get(trigger)
        if trigger in workspace.refused_triggers:
            outcome.problem = f"views.open: {workspace.refused_triggers[trigger]}"
            return
        if seen is None:
            outcome.problem = "no form"
            return
        outcome.form_ready, view = seen
        if view.get("callback_id") == NOTICE_CALLBACK_ID:
            outcome.problem = "form replaced by: " + str(view.get("blocks"))[:120]
            return
        values = {"program": str(self.world.program_id), "interests": "tea, load testing"}
        submitted_at = time.monotonic()
        answer = await self.driver.submit(user, view, values)
        outcome.submit_ack = time.monotonic() - submitted_at
        if answer.status != 200 or answer.body:
            outcome.problem = f"submission answered {answer.status} {answer.body[:120]}"

    async def click(self, outcome: Outcome) -> None:
        checkin = self.rng.choice(self.world.checkins)
        user = self.rng.choice(checkin.members)
        action = self.rng.choice([buttons.MET, buttons.NOT_YET, buttons.COULD_NOT])
        started = time.monotonic()
        reply = await self.driver.click(
            user,
            action,
            str(checkin.group_id),
            channel_id=checkin.channel,
            message_ts=checkin.ts,
            wait=0,
        )
        outcome.ack = time.monotonic() - started
        outcome.clicked = (checkin.group_id, user)
        if reply.status != 200:
            outcome.problem = f"HTTP {reply.status}"
            return
        outcome.key = reply.trigger_id.split(".")[0]  # a click is answered only on trouble

    def told_clickers(self) -> None:
        """A click that was answered at all was answered with trouble."""
        for outcome in self.outcomes:
            said = self._responses(outcome.key) if outcome.key else None
            if said and outcome.problem is None:
                outcome.problem = "told: " + str(said)[:120]

    # -- following a request -----------------------------------------------------------
    def _responses(self, key: str) -> list[dict[str, Any]] | None:
        with self.world.simulator._lock:
            return list(self.world.simulator.workspace.responses.get(key, [])) or None

    def _form(self, trigger: str) -> dict[str, Any] | None:
        workspace = self.world.simulator.workspace
        with self.world.simulator._lock:
            if trigger in workspace.refused_triggers:
                return {"callback_id": "refused"}
            view_id = workspace.view_triggers.get(trigger)
            view = workspace.views.get(view_id) if view_id else None
            if view is None or view.get("callback_id") == LOADING_CALLBACK_ID:
                return None
            return dict(view)

    async def _until(self, check: Callable[[], Any], started: float) -> tuple[float, Any] | None:
        while time.monotonic() - started < FOLLOW_SECONDS:
            found = check()
            if found:
                return time.monotonic() - started, found
            await asyncio.sleep(0.1 + self.rng.random() * 0.1)
        return None


def _command(text: str, *, lead: bool = False) -> Callable[[Traffic, Outcome], Awaitable[None]]:
    async def act(traffic: Traffic, outcome: Outcome) -> None:
        await traffic.command(outcome, text, user=LEAD if lead else None)

    return act


ACTIONS: dict[str, Callable[[Traffic, Outcome], Awaitable[None]]] = {
    "help": _command("help"),
    "profile": _command("profile"),
    "match": _command("match"),
    "pause": _command("pause 2"),
    "resume": _command("resume"),
    "stats": _command("stats coffee", lead=True),
    "history": _command("history coffee", lead=True),
    "signup": Traffic.signup,
    "click": Traffic.click,
}
