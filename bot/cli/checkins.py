"""``mentorbot checkin run PROGRAM`` — ask each group of the latest round "did you meet?".

Safe to run again: a round's check-ins are queued once, and each goes out exactly once.
Exit codes as for ``round run``.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.config import Settings


def add_to(commands: Any) -> None:
    checkin = commands.add_parser("checkin", help="check-ins: did people meet?")
    actions = checkin.add_subparsers(title="actions", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="send the check-in for the program's latest round")
    run.add_argument("program", help="the program's name")
    run.add_argument(
        "--workspace",
        metavar="T…",
        help="workspace id: a Slack team id or a Teams tenant id (several workspaces)",
    )
    run.set_defaults(handler=run_checkins)


async def run_checkins(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.context import core_for, outcome, scope_for
    from bot.services.checkins import CHECKIN_KINDS, queue_checkins

    async with core_for(settings) as core:
        scope = await scope_for(core, args.workspace)
        queued = await queue_checkins(scope, args.program)
        number = queued.round.number
        if queued.created:
            print(
                f"Round {number} of {queued.program.name}: {queued.checkins} check-ins queued"
                + (
                    f", {queued.pause_questions} asked whether to pause"
                    if queued.pause_questions
                    else ""
                )
                + "."
            )
        else:
            print(f"Round {number} of {queued.program.name}: check-ins were queued before.")
        report = await core.deliveries.deliver_round(
            scope.workspace, queued.round.id, kinds=CHECKIN_KINDS
        )
        return outcome(report, again=f"mentorbot checkin run {args.program}")
