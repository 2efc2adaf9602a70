"""``mentorbot checkin run PROGRAM`` — ask each group of the latest round "did you meet?".

Safe to run again: a round's check-ins are queued once, and each goes out exactly once.
For a mentorship program it sends the mentorships' check-ins that are due (as the clock
does).
Exit codes as for ``round run``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    from bot.services.scope import Scope


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
        if await _lasts_a_term(scope, args.program):
            return await _mentorship_checkins(scope, args.program)
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


async def _lasts_a_term(scope: Scope, program: str) -> bool:
    from bot.kinds import lasts_a_term

    async with scope.unit(read_only=True) as uow:
        record = await uow.programs.by_name(program)
    return record is not None and lasts_a_term(record)


async def _mentorship_checkins(scope: Scope, program: str) -> int:
    """A program whose matches last a term checks in on each mentorship when it is due
    (what the clock does every few minutes): the due ones go out now."""
    from bot.services.scheduled import run_mentorship_checkins

    queued = await run_mentorship_checkins(scope)
    print(
        f"{program}: each mentorship is checked in on when due; now "
        f"{queued.checkins} check-ins, {queued.nudges} nudges, {queued.closings} closing "
        f"cards{f', {queued.ended} ended because someone left' if queued.ended else ''}."
    )
    return 0
