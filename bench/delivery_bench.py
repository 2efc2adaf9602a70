"""How long a round of N people takes at Slack's rate limits, and how close to them it runs.

    python bench/delivery_bench.py --people 1000 [--speedup 20] [--group-size 2]

Runs the real path — ``form_round`` (the directory or users.info to check everyone,
the engine, one transaction) and ``deliver_round`` (the outbox, the pacer, the Slack
adapter) — against the simulated Slack Web API on loopback with a SQLite database. The
pacer keeps its real limits with every window shortened ``speedup`` times, so the wall
time times ``speedup`` is the time the round takes against Slack (as long as the pacer,
not the database or the simulator, is the bottleneck: the "computed" line shows the
floor the limits alone impose). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import build
from bot.config import Settings
from bot.delivery.pacer import Limit, Pacer, Pacers
from bot.platform import Op
from bot.services.rounds import form_round
from bot.slack.limits import METHODS, SLACK_LIMITS
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.workspace import SimulatedUser
from storage.migrate import upgrade
from storage.repositories import Profile, ProgramSpec
from storage.repositories.enrollments import EnrollmentForm

ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
)
WATCHED = (Op.LIST_USERS, Op.PROFILE, Op.OPEN, Op.SEND)


class RecordingPacer(Pacer):
    """The real pacer, noting when each call was let through."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.starts: dict[Op, list[float]] = defaultdict(list)

    async def acquire(self, method: Op, conversation: str | None = None) -> None:
        await super().acquire(method, conversation)
        self.starts[method].append(self.monotonic())


def floor_seconds(calls: int, limit: Limit) -> float:
    """The least time ``calls`` take under "at most calls per window" (first burst free)."""
    return max(0, math.ceil(calls / limit.calls) - 1) * limit.per


def busiest_window(starts: list[float], per: float) -> int:
    starts = sorted(starts)
    best, low = 0, 0
    for high, moment in enumerate(starts):
        while starts[low] <= moment - per:
            low += 1
        best = max(best, high - low + 1)
    return best


async def run(people: int, speedup: float, group_size: int) -> None:
    simulator = SlackApiSimulator().start()
    rng = random.Random(1)
    for i in range(people):
        zone = rng.choice(ZONES)
        simulator.workspace.add_user(SimulatedUser(f"U{i:05d}", f"p{i}", f"Person {i}", tz=zone))
    simulator.workspace.add_channel("C0COFFEE")
    folder = Path(tempfile.mkdtemp(prefix="mentorbot-bench-"))
    settings = Settings(
        database_url=f"sqlite:///{folder}/bench.db",
        slack_bot_token="xoxb-sim",  # noqa: S106 - the simulator's token
        slack_signing_secret="bench",  # noqa: S106
        slack_api_url=simulator.api_url,
        embedded_clock=False,
    )
    core = build(settings)
    await upgrade(core.engine)
    workspace = await core.workspace()
    now = core.clock()
    async with core.uow(workspace.id) as uow:
        spec = ProgramSpec(
            name="coffee", channel_id="C0COFFEE", settings={"group_size": group_size}
        )
        program = await uow.programs.save(spec, now=now, source="bench")
        for user in simulator.workspace.teams["T0001"].users.values():
            person = await uow.people.upsert(
                Profile(user.id, user.name, user.real_name, time_zone=user.tz), now=now
            )
            await uow.people.set_team(person.id, f"team-{rng.randrange(40)}", now=now)
            form = EnrollmentForm(interests=rng.sample(["chess", "tea", "jazz", "go", "ski"], 2))
            await uow.enrollments.save(program.id, person.id, form, now=now)
        await uow.commit()

    pacer = RecordingPacer(SLACK_LIMITS.shortened(speedup))
    service = core.deliveries
    service.pacers = Pacers(lambda _limits: pacer)

    started = time.monotonic()
    formed = await form_round(await core.scope_for(workspace, paced=True), "coffee")
    formed_at = time.monotonic()
    report = await service.deliver_round(workspace, formed.round.id)
    done = time.monotonic()
    await core.aclose()
    simulator.stop()

    form_s, deliver_s = (formed_at - started) * speedup, (done - formed_at) * speedup
    print(
        f"round of {people} people: {len(formed.round.groups)} groups, "
        f"{len(formed.round.left_out)} left out; delivered={report.delivered} "
        f"({report.sent} messages)"
    )
    print(
        f"wall time {done - started:.1f}s at speedup {speedup:g} → against Slack: "
        f"forming {form_s / 60:.1f} min + delivering {deliver_s / 60:.1f} min "
        f"= {(form_s + deliver_s) / 60:.1f} min"
    )
    limits = SLACK_LIMITS.per_workspace
    floors = {m: floor_seconds(len(pacer.starts[m]), limits[m]) for m in WATCHED}
    checking = floors[Op.LIST_USERS] + floors[Op.PROFILE]
    print(
        f"computed floor from the limits alone: checking people {checking / 60:.1f} min"
        f" + conversations.open {floors[Op.OPEN] / 60:.1f} min "
        f"(chat.postMessage {floors[Op.SEND] / 60:.1f} min runs alongside)"
    )
    print(f"{'method':24}{'calls':>7}{'busiest minute':>16}{'limit/min':>11}{'average/min':>13}")
    for method in WATCHED:
        starts = pacer.starts[method]
        if not starts:
            continue
        limit = limits[method]
        busiest = busiest_window(starts, 60 / speedup)
        span = max(starts) - min(starts)
        average = (len(starts) - 1) / span * 60 / speedup if span > 0 else float("nan")
        name = METHODS[method]
        print(f"{name:24}{len(starts):>7}{busiest:>16}{limit.per_minute:>11.0f}{average:>13.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--speedup", type=float, default=20.0)
    parser.add_argument("--group-size", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(run(args.people, args.speedup, args.group_size))


if __name__ == "__main__":
    main()
