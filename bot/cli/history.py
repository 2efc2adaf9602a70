"""``mentorbot history PROGRAM [--format table|csv|json]`` — every round, every group,
and whether they met (from the check-ins)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    from bot.services.reports import ProgramHistory


def add_to(commands: Any) -> None:
    history = commands.add_parser("history", help="pairing history of a program")
    history.add_argument("program", help="the program's name")
    history.add_argument("--format", choices=("table", "csv", "json"), default="table")
    history.add_argument(
        "--workspace",
        metavar="T…",
        help="workspace id: a Slack team id or a Teams tenant id (several workspaces)",
    )
    history.set_defaults(handler=run_history)


async def run_history(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.context import core_for, scope_for
    from bot.services.exports import json_text, write_csv
    from bot.services.reports import program_history

    async with core_for(settings) as core:
        found = await program_history(
            await scope_for(core, args.workspace, paced=False), args.program
        )
    if args.format == "json":
        print(json_text(found))
    elif args.format == "csv":
        write_csv(found, sys.stdout)
    else:
        print(table(found))
    return 0


def table(found: ProgramHistory) -> str:
    if not found.rounds:
        return f"{found.program}: no rounds yet."
    count = len(found.rounds)
    lines = [f"{found.program}: {count} round{'s' if count != 1 else ''}"]
    for round_ in found.rounds:
        met = sum(1 for g in round_.groups if g.outcome == "met")
        answered = sum(1 for g in round_.groups if g.outcome)
        lines.append(
            f"\nRound {round_.number} · {round_.created_at:%Y-%m-%d %H:%M} UTC · "
            f"{len(round_.groups)} groups · met {met}/{answered} answered"
        )
        for group in round_.groups:
            names = ", ".join(f"{n} ({u})" for n, u in zip(group.names, group.members, strict=True))
            lines.append(f"  {(group.outcome or '–'):8} {names}")
        if round_.left_out:
            lines.append(f"  left out: {', '.join(round_.left_out)}")
    return "\n".join(lines)
