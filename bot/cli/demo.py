"""``mentorbot demo`` — the whole product on a simulated Slack workspace (or, with
``--platform teams``, a simulated Microsoft Teams tenant), in one command.

The real web app and its background services (as ``mentorbot serve`` runs them) answer
a simulated Slack on loopback: a lead creates the programs, people sign up through the
signup form, rounds are formed and delivered, check-ins clicked. No Slack account, no
network beyond 127.0.0.1, nothing written outside a temporary directory unless
``--database-url`` says where. DATABASE_URL, SLACK_* and the config file are ignored.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from bot.config import Settings
from bot.errors import MentorbotError

PEOPLE = (4, 500, 40)  # lowest, highest, default
ROUNDS = (1, 12, 4)
EXIT_OK = 0


def add_to(commands: Any) -> None:
    demo = commands.add_parser(
        "demo", help="the whole product on a simulated Slack workspace (no Slack needed)"
    )
    demo.add_argument(
        "--people",
        default=str(PEOPLE[2]),
        metavar="N",
        help=f"people in the company, {PEOPLE[0]}–{PEOPLE[1]} (default {PEOPLE[2]})",
    )
    demo.add_argument(
        "--rounds",
        default=str(ROUNDS[2]),
        metavar="R",
        help=f"weekly rounds to run, {ROUNDS[0]}–{ROUNDS[1]} (default {ROUNDS[2]})",
    )
    demo.add_argument(
        "--seed",
        default="1",
        metavar="S",
        help="makes the company, the matches and the answers (default 1)",
    )
    demo.add_argument(
        "--platform",
        choices=("slack", "teams"),
        default="slack",
        help="the simulated chat platform: slack (default) or teams",
    )
    demo.add_argument(
        "--keep-serving",
        action="store_true",
        help="leave the web app and the simulated Slack up afterwards (Ctrl-C stops)",
    )
    demo.add_argument(
        "--database-url",
        metavar="URL",
        help="an empty database to keep (default: SQLite in a temporary directory)",
    )
    demo.set_defaults(handler=run_demo, uses_settings=False)


async def run_demo(args: argparse.Namespace, settings: Settings | None) -> int:
    """Runs on a simulated workspace of its own: the operator's settings are not read."""
    people = _whole(args.people, "--people", *PEOPLE[:2])
    rounds = _whole(args.rounds, "--rounds", *ROUNDS[:2])
    seed = _whole(args.seed, "--seed", 0, 2**62)
    root = logging.getLogger()
    level = root.level
    if args.log_level is None:  # the demo's own output is the point; keep logs to warnings
        root.setLevel(logging.WARNING)
    if args.platform == "teams":
        if args.keep_serving:
            raise MentorbotError("--keep-serving is for the Slack demo only, for now")
        from bot.demo.teams_play import run
    else:
        from bot.demo.run import run  # the demo's world loads only when it runs

    try:
        await run(args, people=people, rounds=rounds, seed=seed)
    finally:
        root.setLevel(level)
    return EXIT_OK


def _whole(text: str, option: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise MentorbotError(f"{option} must be a whole number from {low} to {high}, not {text!r}")
    return value
