"""A year of weekly rounds under fire, then the invariants (not part of CI):

    python -m bench.soak [--people 1000] [--weeks 52] [--kill-ratio 0.3] [--seed 1]

On a PostgreSQL database of its own (MENTORBOT_BENCH_POSTGRES_URL, default the local
server), with the simulated Slack answering 5% of calls with 429, and 2% of posts and
conversation opens with 5xx, every week: a round is formed and delivered, its
check-ins go out, and people answer them (65% "we met", 10% "couldn't make it", 10%
"not yet", 15% nothing). Each round and each check-in run is a process of its own
(``bench.soak_worker``), SIGKILLed at a random moment ``--kill-ratio`` of the time and
run again until it finishes, as an operator would. Slack's limits are shortened 600
times and the clock runs 30 times faster, so a year takes minutes.

At the end it checks and prints: every message delivered exactly once (no duplicate,
none missing, nothing left in the outbox), no pair of people matched twice (1,000
people have 999 repeat-free rounds), every check-in answer in the history. Exit 1 if
one does not hold.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.soak_worker import WarpClock, settings
from bot.bootstrap import build
from bot.builders import checkin as buttons
from bot.services.checkins import answer_checkin
from bot.services.reports import program_history
from bot.slack.simulator.slack_api import SlackApiSimulator
from bot.slack.simulator.workspace import SimulatedUser
from storage import orm
from storage.migrate import upgrade
from storage.repositories import Profile, ProgramSpec
from storage.repositories.enrollments import EnrollmentForm

WEEK = 7 * 24 * 3600.0
POSTGRES = os.environ.get(
    "MENTORBOT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ANSWERS = ((buttons.MET, 0.65), (buttons.COULD_NOT, 0.10), (buttons.NOT_YET, 0.10), (None, 0.15))
REPO = Path(__file__).resolve().parents[1]


async def soak(people: int, weeks: int, kill_ratio: float, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    simulator = SlackApiSimulator(seed=seed)
    for i in range(people):
        simulator.workspace.add_user(SimulatedUser(f"U{i:05d}", f"p{i}", f"Person {i}"))
    simulator.workspace.add_channel("C0COFFEE")
    simulator.fail("*", status=429, ratio=0.05, retry_after=0.1)
    simulator.fail("chat.postMessage", status=503, ratio=0.02)
    simulator.fail("conversations.open", status=500, ratio=0.02)
    base = make_url(POSTGRES)
    name = f"mentorbot_soak_{os.getpid()}"
    url = base.set(database=name).render_as_string(hide_password=False)
    await _admin(
        base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    started, kills, runs = time.time(), Counter[str](), Counter[str]()
    answered: dict[int, dict[str, str]] = {}
    try:
        with simulator:
            clock = WarpClock(started, 0)
            container = build(settings(url, simulator.api_url), clock=clock)
            try:
                await upgrade(container.engine)
                workspace = await _enroll(container, simulator)
                for week in range(weeks):
                    offset = week * WEEK
                    for step in ("round", "checkin"):
                        await _run(
                            step,
                            url,
                            simulator,
                            started,
                            offset,
                            seed + week,
                            rng,
                            kill_ratio,
                            kills,
                            runs,
                        )
                    clock.offset = offset + 3 * 24 * 3600  # three days after the round
                    await _answer(container, workspace.id, rng, answered)
                    print(
                        f"week {week + 1}/{weeks}: {dict(runs)} runs, {dict(kills)} killed",
                        file=sys.stderr,
                        flush=True,
                    )
                result = await _invariants(container, workspace.id, simulator, answered, weeks)
            finally:
                await container.aclose()
    finally:
        await _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return {
        "bench": "soak",
        "people": people,
        "weeks": weeks,
        "kills": dict(kills),
        "runs": dict(runs),
        "wall_s": round(time.time() - started, 1),
        **result,
    }


async def _admin(base, *statements: str) -> None:
    connection = await asyncpg.connect(
        host=base.host, port=base.port or 5432, user=base.username, database=base.database
    )
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _enroll(container, simulator):
    workspace = await container.workspace()
    now = container.clock()
    async with container.uow(workspace.id) as uow:
        program = await uow.programs.save(
            ProgramSpec(name="coffee", channel_id="C0COFFEE"), now=now, source="soak"
        )
        for user in simulator.workspace.teams["T0001"].users.values():
            person = await uow.people.upsert(Profile(user.id, user.name, user.real_name), now=now)
            await uow.enrollments.save(program.id, person.id, EnrollmentForm(), now=now)
        await uow.commit()
    return workspace


async def _run(step, url, simulator, started, offset, seed, rng, kill_ratio, kills, runs) -> None:
    """Run the step in a process; kill it at random (sometimes); run it again until done."""
    for attempt in range(1, 8):
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.soak_worker",
            step,
            url,
            simulator.api_url,
            str(started),
            str(offset),
            str(seed),
            cwd=REPO,
            env={**os.environ, "LOG_LEVEL": "ERROR"},
        )
        runs[step] += 1
        if attempt == 1 and rng.random() < kill_ratio:
            try:
                await asyncio.wait_for(process.wait(), rng.uniform(1.5, 5.0))
            except TimeoutError:
                process.send_signal(signal.SIGKILL)
                kills[step] += 1
        if await process.wait() == 0:
            return
    raise RuntimeError(f"{step} never finished")


async def _answer(container, workspace_id, rng, answered) -> None:
    async with container.uow(workspace_id) as uow:
        program = await uow.programs.by_name("coffee")
        latest = await uow.rounds.latest(program.id)
    workspace = await container.workspace("T0001")
    scope = container.scope(workspace, await container.platforms.chat(workspace, retry=False))
    choices, weights = zip(*ANSWERS, strict=True)
    for group in latest.groups:
        action = rng.choices(choices, weights)[0]
        if action is None:
            continue
        user = rng.choice(group.user_ids)
        await answer_checkin(
            scope, group_id=group.id, user_id=user, answer=buttons.ANSWERS[action], message=None
        )
        answered.setdefault(group.id, {})[user] = buttons.ANSWERS[action]


async def _invariants(container, workspace_id, simulator, answered, weeks) -> dict[str, object]:
    async with container.uow(workspace_id) as uow:
        rows = (
            await uow.session.execute(
                select(orm.OutboxMessage.idempotency_key, orm.OutboxMessage.state)
            )
        ).all()
        states = Counter(state for _, state in rows)
        rounds = list(await uow.session.scalars(select(orm.Round.state)))
    posted = Counter(
        (m.metadata or {}).get("event_payload", {}).get("key")
        for m in simulator.workspace.all_messages()
        if (m.metadata or {}).get("event_payload", {}).get("key")
    )
    keys = {key for key, _ in rows}
    duplicates = sum(1 for key, n in posted.items() if n > 1)
    missing = sum(1 for key in keys if posted[key] == 0)
    scope = await container.scope_for(await container.workspace("T0001"))
    history = (await program_history(scope, "coffee")).to_json()
    pairs = Counter(
        frozenset(p)
        for r in history["rounds"]
        for g in r["groups"]
        for p in combinations(g["members"], 2)
    )
    outcomes = {}
    async with container.uow(workspace_id) as uow:
        for group_id, outcome in (
            await uow.session.execute(select(orm.Group.id, orm.Group.outcome))
        ).all():
            outcomes[group_id] = outcome
    wrong = sum(
        1 for group_id, given in answered.items() if outcomes.get(group_id) != _outcome(given)
    )
    checks = {
        "every message exactly once": duplicates == 0 and missing == 0 and set(states) <= {"sent"},
        "every round delivered": rounds == ["delivered"] * weeks,
        "no pair matched twice": all(n == 1 for n in pairs.values()),
        "every answer in the history": wrong == 0,
    }
    for what, held in checks.items():
        print(f"{'ok  ' if held else 'FAIL'} {what}", file=sys.stderr)
    return {
        "messages": len(keys),
        "duplicates": duplicates,
        "missing": missing,
        "outbox": dict(states),
        "rounds": len(rounds),
        "pairs": len(pairs),
        "repeated_pairs": sum(1 for n in pairs.values() if n > 1),
        "answers": sum(len(a) for a in answered.values()),
        "answers_wrong": wrong,
        "ok": all(checks.values()),
    }


def _outcome(given: dict[str, str]) -> str | None:
    if "met" in given.values():
        return "met"
    return "not_met" if "could_not" in given.values() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--kill-ratio", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    result = asyncio.run(soak(args.people, args.weeks, args.kill_ratio, args.seed))
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
