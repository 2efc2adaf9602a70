"""Lead-only ``/mentor round|history|stats PROGRAM`` and ``/mentor dashboard``; anyone
else is refused politely."""

from __future__ import annotations

import logging

from bot.bootstrap import Container
from bot.builders import replies
from bot.builders.lead_reports import dashboard_message, history_message, stats_message
from bot.builders.text import quote
from bot.errors import MentorbotError
from bot.messages import Message
from bot.services.leads import require_lead
from bot.services.reports import program_history, program_stats
from bot.services.scope import Scope
from bot.slack.invocation import Invocation

log = logging.getLogger(__name__)


async def history(scope: Scope, call: Invocation) -> Message:
    lead = await require_lead(scope, call.user_id)
    found = await program_history(scope.uow, scope.workspace_id, call.command.program or "")
    return history_message(found, time_zone=lead.time_zone)


async def stats(scope: Scope, call: Invocation) -> Message:
    lead = await require_lead(scope, call.user_id)
    report = await program_stats(
        scope.uow, scope.workspace_id, call.command.program or "", now=scope.clock()
    )
    return stats_message(report, time_zone=lead.time_zone)


async def dashboard(scope: Scope, call: Invocation) -> Message:
    """A signed link to this workspace's web dashboard, for this lead only."""
    lead = await require_lead(scope, call.user_id)
    if scope.dashboard is None:
        raise MentorbotError(
            "The dashboard needs SLACK_SIGNING_SECRET to sign links, and it is not set."
        )
    link = scope.dashboard(call.user_id)
    log.info("dashboard link for lead %s (until %s)", call.user_id, link.expires_at)
    return dashboard_message(link, time_zone=lead.time_zone)


class RoundCommand:
    """``/mentor round PROGRAM``: form the round now (or finish the unfinished one) and
    let delivery send the introductions in the background, at Slack's pace."""

    def __init__(self, container: Container) -> None:
        self.container = container

    async def __call__(self, scope: Scope, call: Invocation) -> Message:
        await require_lead(scope, call.user_id)
        from bot.services.rounds import start_round

        async with self.container.uow.workspaces() as workspaces:
            workspace = await workspaces.get(scope.workspace_id)
        if workspace is None:
            raise MentorbotError("This workspace is not set up yet.")
        formed = await start_round(
            self.container, workspace, call.command.program or "", actor=call.user_id
        )
        log.info("lead %s ran a round: %s", call.user_id, formed.summary())
        return replies.say(
            quote(formed.summary(), 1000) + " Introductions are on their way."
            if formed.created
            else quote(formed.summary(), 1000) + " I'm finishing its introductions first."
        )
