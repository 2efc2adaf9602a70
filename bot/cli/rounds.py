"""``mentorbot round run PROGRAM`` — form a round now and deliver its introductions.

If the program's latest round still has undelivered messages, those are finished instead
and no new round is formed. Exit code 0: everything delivered; 3: the round is complete
but some people could not be reached (listed, and recorded on the outbox rows); 1: some
messages are still undelivered (run the command again) or the round could not be formed.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from bot.config import Settings

log = logging.getLogger(__name__)


def add_to(commands: Any) -> None:
    rounds = commands.add_parser("round", help="form and deliver a round of a program")
    actions = rounds.add_subparsers(title="actions", metavar="ACTION", required=True)
    run = actions.add_parser(
        "run", help="form a round now (or finish the latest one) and deliver it"
    )
    run.add_argument("program", help="the program's name")
    run.add_argument(
        "--workspace",
        metavar="T…",
        help="workspace id: a Slack team id or a Teams tenant id (several workspaces)",
    )
    run.add_argument("--seed", type=int, help="replay the matcher with this seed")
    run.set_defaults(handler=run_round)


async def run_round(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.context import core_for, outcome, scope_for
    from bot.cli.progress import Progress
    from bot.services.rounds import form_round

    async with core_for(settings) as core:
        scope = await scope_for(core, args.workspace)
        formed = await form_round(scope, args.program, seed=args.seed)
        print(formed.summary())
        print(f"Seed {formed.seed} (replay with --seed {formed.seed}).")
        round_id = formed.round.id

        async def counts() -> dict[str, int]:
            async with core.uow(scope.workspace.id, read_only=True) as uow:
                return await uow.outbox.counts(round_id)

        async with Progress(counts, f"Round {formed.round.number}"):
            report = await core.deliveries.deliver_round(scope.workspace, round_id)
        return outcome(report, again=f"mentorbot round run {args.program}")
