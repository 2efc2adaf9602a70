"""Many people using mentorbot at once: the real ``mentorbot serve`` against the
simulated Slack (which expires trigger ids after 3 s, as Slack does).

    python -m bench.load_bench                      # both scenarios, SQLite and PostgreSQL
    python -m bench.load_bench --db sqlite --scenario burst --requests 400
    python -m bench.load_bench --db postgresql --scenario spread --requests 1000 --seconds 10

``burst``: every request at the same instant; ``spread``: evenly over ``--seconds``. The
mix is slash commands (help, profile, match, pause, resume, signup, lead stats and
history), check-in clicks, and the signup form submitted once it is open. One JSON line
per run: acknowledgement latency p50/p95/p99/max, modal-open latency (command to
views.open) p99/max, the form ready p99, reply p99, failures (by kind), wall time, the
CPU seconds of the app process and of this one (the simulated Slack and the people),
and the load average. Targets (issue 13): 0 failures, ack p99 ≤ 1 s, every modal open
within 3 s. PostgreSQL is the local server (MENTORBOT_BENCH_POSTGRES_URL).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load_traffic import SLACK_SECONDS, Outcome, Traffic
from bench.load_world import World, process_cpu_seconds, world
from bot.slack.simulator.driver import SlackDriver
from storage.db import create_engine

SCENARIOS = {"burst": (400, 0.0), "spread": (1000, 10.0)}


async def run(
    backend: str, scenario: str, requests: int, seconds: float, people: int, seed: int
) -> dict[str, Any]:
    async with world(backend, people) as here:
        rng = random.Random(seed)
        connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=2.0)
        async with (
            aiohttp.ClientSession(connector=connector) as session,
            SlackDriver(here.app_url, here.secret, here.simulator, session=session) as driver,
        ):
            await _warm_up(driver, here)
            traffic = Traffic(here, driver, rng)
            kinds = traffic.plan(requests)
            if not seconds:  # Slack's fleet keeps connections open: so do the people
                await _connections(driver, requests)
            app_cpu = process_cpu_seconds(here.process.pid)
            own_cpu = time.process_time()
            started = time.monotonic()
            await asyncio.gather(
                *(
                    _at(started + i * seconds / requests, traffic.one(k))
                    for i, k in enumerate(kinds)
                )
            )
            wall = time.monotonic() - started
            app_cpu = process_cpu_seconds(here.process.pid) - app_cpu
            own_cpu = time.process_time() - own_cpu
        await asyncio.sleep(1.0)  # the last clicks' answers
        traffic.told_clickers()
        missing = await _unrecorded_clicks(here, traffic.outcomes)
        line = _summary(
            backend, scenario, requests, seconds, traffic.outcomes, missing, wall, app_cpu, own_cpu
        )
        errors, warnings = here.log_lines("ERROR"), here.log_lines("WARNING")
        line["app_log_errors"], line["app_log_warnings"] = len(errors), len(warnings)
        for text in sorted(set(errors + warnings))[:5]:
            print(f"  app log: {text[:200]}", file=sys.stderr)
        return line


async def _warm_up(driver: SlackDriver, here: World) -> None:
    """One request of each path first, as a server that has been up for a while has had:
    the measured load is the steady state, not the first request's set-up."""
    await driver.command(here.people[1], "help")
    await driver.command(here.people[1], "profile", wait=10)
    await driver.command(here.people[1], "signup", wait=10)


async def _connections(driver: SlackDriver, count: int) -> None:
    """Open ``count`` keep-alive connections to the app (URL verifications, which Bolt
    answers at once), so the burst measures the app rather than TCP handshakes."""
    check = {"type": "url_verification", "token": "t", "challenge": "warm"}
    await asyncio.gather(*(driver.post_json(check) for _ in range(count)))


async def _at(moment: float, request: Any) -> Outcome:
    await asyncio.sleep(max(0.0, moment - time.monotonic()))
    outcome: Outcome = await request
    return outcome


async def _unrecorded_clicks(here: World, outcomes: list[Outcome]) -> int:
    """Check-in clicks acknowledged but with no answer stored for that person and group."""
    from sqlalchemy import select

    from storage import orm

    clicked = {o.clicked for o in outcomes if o.clicked and o.problem is None}
    engine = create_engine(here.database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(orm.CheckinResponse.group_id, orm.Person.platform_user_id).join(
                    orm.Person, orm.Person.id == orm.CheckinResponse.person_id
                )
            )
            stored = {(group, user) for group, user in rows}
    finally:
        await engine.dispose()
    return len(clicked - stored)


def _summary(
    backend, scenario, requests, seconds, outcomes, missing, wall, app_cpu, own_cpu
) -> dict[str, Any]:
    acks = [o.ack for o in outcomes if o.ack is not None]
    opens = [o.modal_open for o in outcomes if o.modal_open is not None]
    problems = Counter(_problem_kind(o) for o in outcomes if _failed(o))
    if missing:
        problems["click not recorded"] += missing
    return {
        "bench": "load",
        "db": backend,
        "scenario": scenario,
        "requests": requests,
        "over_seconds": seconds,
        "modals": sum(1 for o in outcomes if o.kind == "signup"),
        "ack_p50": _pct(acks, 50),
        "ack_p95": _pct(acks, 95),
        "ack_p99": _pct(acks, 99),
        "ack_max": round(max(acks), 3) if acks else None,
        "ack_p99_by_kind": _by_kind(outcomes),
        "modal_open_p99": _pct(opens, 99),
        "modal_open_max": round(max(opens), 3) if opens else None,
        "form_ready_p99": _pct([o.form_ready for o in outcomes if o.form_ready is not None], 99),
        "reply_p99": _pct([o.reply for o in outcomes if o.reply is not None], 99),
        "submit_ack_p99": _pct([o.submit_ack for o in outcomes if o.submit_ack is not None], 99),
        "failures": sum(problems.values()),
        "failure_kinds": dict(problems.most_common(8)),
        "wall_s": round(wall, 2),
        "app_cpu_s": round(app_cpu, 2),
        "bench_cpu_s": round(own_cpu, 2),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
        "bench_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def _by_kind(outcomes: list[Outcome]) -> dict[str, float | None]:
    """Ack p99 of each kind of request: which path the tail belongs to."""
    kinds = sorted({o.kind for o in outcomes})
    return {
        kind: _pct([o.ack for o in outcomes if o.kind == kind and o.ack is not None], 99)
        for kind in kinds
    }


def _failed(outcome: Outcome) -> bool:
    slow = any(
        value is not None and value > SLACK_SECONDS
        for value in (outcome.ack, outcome.modal_open, outcome.submit_ack)
    )
    return outcome.problem is not None or slow


def _problem_kind(outcome: Outcome) -> str:
    if outcome.problem is not None:
        return f"{outcome.kind}: {outcome.problem[:60]}"
    if outcome.ack is not None and outcome.ack > SLACK_SECONDS:
        return f"{outcome.kind}: ack over 3 s"
    if outcome.modal_open is not None and outcome.modal_open > SLACK_SECONDS:
        return "modal opened after 3 s"
    return "submission answered after 3 s"


def _pct(values: list[float], pct: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[pct - 1], 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--scenario", choices=[*SCENARIOS, "both"], default="both")
    parser.add_argument("--requests", type=int, help="default: 400 (burst), 1000 (spread)")
    parser.add_argument("--seconds", type=float, help="spread over this long (default 10)")
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    scenarios = list(SCENARIOS) if args.scenario == "both" else [args.scenario]
    for backend in backends:
        for scenario in scenarios:
            requests = args.requests or SCENARIOS[scenario][0]
            seconds = SCENARIOS[scenario][1] if args.seconds is None else args.seconds
            if scenario == "burst":
                seconds = 0.0
            line = asyncio.run(run(backend, scenario, requests, seconds, args.people, args.seed))
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
