"""The monthly impact digest a program's leads get in chat: the headline numbers, what
changed since a month ago, the people to look after, and a dashboard link. Feedback is
only totals, and none below five answers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.builders import actions
from bot.builders.lead_reports import signed
from bot.builders.text import listing, percent, quote
from bot.impact import MIN_ANSWERS, ImpactReport
from bot.messages import Block, Button, Context, Header, Message, Section

if TYPE_CHECKING:
    from bot.dashboard.links import DashboardLink

NAMES_SHOWN = 10
MONTH = timedelta(days=30)


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def digest(
    report: ImpactReport, *, month: str, now: datetime, link: DashboardLink | None
) -> Message:
    name = quote(report.program, 80)
    net = report.network
    spread = net.reach_spread
    last = net.trend[-1] if net.trend else None
    blocks: list[Block] = [
        Header(f"{report.program}: impact digest for {month}"),
        Section(
            f"*{name}* after {report.rounds} rounds",
            (
                f"*E-I index*\n{signed(net.ei_index)} (random pairing: "
                f"{signed(net.ei_index_random)})",
                f"*Company network*\nE-I index {signed(net.ei_company_start)} at the start → "
                f"{signed(net.ei_company)} now",
                f"*Ties*\n{net.ties} pairs of people",
                f"*Reach*\nmedian {_number(spread.median)} other teams met",
                f"*No cross-team tie yet*\n{len(net.isolated)}",
                f"*Last round met*\n{percent(last.meeting_rate if last else None)}",
                "*Days to a first meeting*\n"
                f"{_number(report.newcomer_days_to_first_meeting)} (median)",
            ),
        ),
        Section(_since(report, now)),
    ]
    isolated = [quote(report.name(u), 60) for u in net.isolated]
    waiting = [quote(report.name(i.person), 60) for i in report.not_met_yet]
    look_after = []
    if isolated:
        look_after.append(f"• No cross-team tie yet: {listing(isolated, limit=NAMES_SHOWN)}")
    if waiting:
        look_after.append(f"• Not met anyone yet: {listing(waiting, limit=NAMES_SHOWN)}")
    if look_after:
        blocks.append(Section("*People to look after*\n" + "\n".join(look_after)))
    blocks.append(Section(_outcomes(report)))
    blocks.append(
        Context(
            (
                "E-I index: (ties across teams − ties inside) ÷ all ties, −1 … +1; random "
                "pairing: what pairing the same people at random would give. "
                f"Answers are anonymous and shown only from {MIN_ANSWERS}. "
                "Change or turn off this digest in the program's settings (impact_digest).",
            )
        )
    )
    if link is not None and link.url:
        blocks.append(
            Section(
                "The full impact report is on the dashboard (this link is yours, for 12 hours; "
                "`/mentor dashboard` gives a new one).",
                accessory=Button("Open dashboard", actions.OPEN_DASHBOARD, "", url=link.url),
            )
        )
    else:
        blocks.append(Context(("`/mentor dashboard` opens the full impact report.",)))
    ei = signed(net.ei_index)
    return Message(
        text=f"Impact digest of {name} for {month}: E-I index {ei}, {net.ties} ties",
        blocks=tuple(blocks),
    )


def _since(report: ImpactReport, now: datetime) -> str:
    net = report.network
    last = net.trend[-1] if net.trend else None
    if last is None:
        return "*Since last month*\nNo rounds yet."
    before = report.before(now - MONTH)
    if before is None:
        return (
            f"*Since last month*\n{last.ties} ties so far, "
            f"{last.cross_team_ties} of them across teams (the program's first month)."
        )
    rounds = last.round - before.round
    return (
        f"*Since last month* ({rounds} round{'s' if rounds != 1 else ''})\n"
        f"+{last.ties - before.ties} ties, +{last.cross_team_ties - before.cross_team_ties} "
        f"across teams; E-I index {signed(before.ei_cumulative)} → "
        f"{signed(last.ei_cumulative)}"
    )


def _outcomes(report: ImpactReport) -> str:
    outcomes = report.outcomes
    counts = report.outcome_counts()
    if counts is None:
        return (
            f"*What came of it*\n{outcomes.answers} answers so far; totals are shown from "
            f"{MIN_ANSWERS} so nobody's answer can be told."
        )
    shown = " · ".join(f"{dimension} {n}" for dimension, n in counts.items())
    return f"*What came of it* ({outcomes.answers} answers)\n{shown}"
