"""``/mentor history``, ``/mentor stats`` and ``/mentor dashboard`` as a lead reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.builders import actions
from bot.builders.mentorship import LEAD_CONFIRM, LEAD_OTHER
from bot.builders.text import count, percent, quote, when
from bot.messages import Actions, Block, Button, Context, Header, Message, Section
from bot.viewmodels import MentorshipFacts, ProgramHistory, ProgramReport

if TYPE_CHECKING:
    from bot.dashboard.links import DashboardLink
    from bot.impact import ImpactReport
    from pairing.impact import MentorWaits

ROUNDS_SHOWN = 8
GROUPS_SHOWN = 30
OUTCOME = {"met": "met", "not_met": "didn't meet", None: "no answer yet"}


def history_message(history: ProgramHistory, *, time_zone: str) -> Message:
    name = quote(history.program, 80)
    if not history.rounds:
        return Message(
            text=f"{name} has no rounds yet.", blocks=(Section(f"*{name}* has no rounds yet."),)
        )
    shown = history.rounds[-ROUNDS_SHOWN:]
    blocks: list[Block] = [Header(f"History of {history.program}")]
    for past in reversed(shown):
        met = sum(1 for g in past.groups if g.outcome == "met")
        reported = sum(1 for g in past.groups if g.outcome is not None)
        lines = [
            f"*Round {past.number}* · {when(past.created_at, time_zone)} · "
            f"{count(len(past.groups), 'group')} · met {met} of {reported} reported"
        ]
        lines += [
            f"• {', '.join(quote(n, 60) for n in group.names)} — {OUTCOME.get(group.outcome)}"
            for group in past.groups[:GROUPS_SHOWN]
        ]
        if len(past.groups) > GROUPS_SHOWN:
            lines.append(f"… and {count(len(past.groups) - GROUPS_SHOWN, 'more group')}")
        if past.left_out:
            lines.append(f"Not matched: {len(past.left_out)}")
        blocks.append(Section("\n".join(lines)))
    if len(history.rounds) > ROUNDS_SHOWN:
        blocks.append(
            Context(
                (
                    f"Showing the latest {ROUNDS_SHOWN} of {len(history.rounds)} rounds; "
                    "`mentorbot history PROGRAM --format csv` exports them all.",
                )
            )
        )
    return Message(
        text=f"History of {name}: {count(len(history.rounds), 'round')}", blocks=tuple(blocks)
    )


def signed(value: float | None) -> str:
    """An E-I index as people read it: −0.42, +0.10, or "–" without ties."""
    return "–" if value is None else f"{value:+.2f}".replace("-", "−")


def network_headline(impact: ImpactReport) -> str:
    net = impact.network
    people = "person" if len(net.isolated) == 1 else "people"
    return (
        f"E-I index {signed(net.ei_index)} (random pairing: {signed(net.ei_index_random)}; "
        f"−1 all ties inside teams, +1 all across) · "
        f"{len(net.isolated)} {people} with no cross-team tie yet"
    )


def stats_message(
    report: ProgramReport, *, time_zone: str, impact: ImpactReport | None = None
) -> Message:
    stats, name = report.stats, quote(report.program.name, 80)
    upcoming = when(report.next_round_at, time_zone) if report.next_round_at else "not scheduled"
    last = report.last_round
    fields: tuple[str, ...] = (
        f"*Enrolled*\n{stats.enrolled}",
        f"*Participation*\n{percent(report.participation)} matched at least once",
        f"*Rounds*\n{stats.rounds} ({count(stats.groups, 'group')})",
        f"*Meeting rate*\n{percent(stats.meeting_rate)} of {stats.outcomes_reported} reported",
        "*Last round*\n"
        + (
            f"#{report.last_round_number}: {percent(last.meeting_rate)} met"
            if last is not None
            else "none yet"
        ),
        f"*Next round*\n{upcoming}",
        f"*Cross-team ties*\n{stats.cross_team_ties} people pairs, {stats.team_links} team pairs",
        f"*Never matched*\n{len(stats.never_matched)}",
    )
    if impact is not None:
        fields += (f"*Network*\n{network_headline(impact)}",)
    text = (
        f"{name}: {stats.enrolled} enrolled, participation {percent(report.participation)}, "
        f"meeting rate {percent(stats.meeting_rate)}"
    )
    if impact is not None:
        text += f", E-I index {signed(impact.network.ei_index)}"
    blocks: list[Block] = [
        Header(f"{report.program.name} in numbers"),
        Section(f"*{name}*", fields),
    ]
    if report.mentorships is not None:
        blocks.append(Section("\n".join(mentorship_lines(report.mentorships))))
        blocks.extend(proposal_blocks(report.mentorships))
    return Message(text=text, blocks=tuple(blocks))


GAP_LINES = 8


def mentorship_lines(facts: MentorshipFacts) -> list[str]:
    """Mentorships by state, closing cards in aggregate, the skills gap and the terms
    people asked for that are no topic yet (for ``stats`` and the dashboard)."""
    lines = [
        "*Mentorships*",
        f"{facts.active} active ({facts.stalled} stalled) · {facts.proposed} waiting for a "
        f"mentor's answer · {facts.completed} completed · {facts.ended} ended early · "
        f"{facts.waiting} mentee{'s' if facts.waiting != 1 else ''} waiting",
    ]
    waits = wait_line(facts.waits)
    if waits:
        lines.append(waits)
    if facts.ratings:
        assert facts.average_rating is not None
        came = ", ".join(f"{label} ×{n}" for label, n in facts.outcomes) or "—"
        lines.append(
            f"Closing cards: {facts.ratings} answers, average value {facts.average_rating:.1f}/5; "
            f"what came of it: {came}; {facts.continued} continued for another term"
        )
    if facts.gap.lines:
        lines.append("*Skills gap* (mentees waiting vs mentors offering)")
        for line in facts.gap.lines[:GAP_LINES]:
            offer = "1 mentor offers" if line.offering == 1 else f"{line.offering} mentors offer"
            lines.append(f"• {quote(line.topic, 80)}: {line.wanting} want it, {offer} it")
    if facts.gap.unmatched:
        asked = ", ".join(f"{quote(t, 60)} ×{n}" for t, n in facts.gap.unmatched[:GAP_LINES])
        lines.append(f"People asked for: {asked} — add as topics?")
    return lines


def days(n: float) -> str:
    """``1 day``, ``3 days``, ``2.5 days`` (a median between two)."""
    return count(int(n), "day") if n == int(n) else f"{n:.1f} days"


def wait_line(waits: MentorWaits) -> str:
    """How long mentees wait for a mentor ("" before anyone joined)."""
    parts = []
    if waits.to_mentor.median is not None:
        assert waits.to_mentor.p90 is not None
        parts.append(
            f"Time to a mentor: median {days(waits.to_mentor.median)} "
            f"(90th percentile {days(waits.to_mentor.p90)}, {waits.matched} matched)"
        )
    if waits.waiting_longest is not None:
        assert waits.waiting_median is not None
        parts.append(
            f"still waiting: longest {days(waits.waiting_longest)}, "
            f"median {days(waits.waiting_median)}"
        )
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


DASHBOARD_SHOWS = (
    "every program at a glance, meetings held and new cross-team ties round by round, "
    "who is left out, every round's groups and outcomes, and CSV/JSON exports"
)


def dashboard_message(link: DashboardLink, *, time_zone: str) -> Message:
    """The lead's own link (the reply is ephemeral): a button, or the path to paste."""
    until = when(link.expires_at, time_zone)
    if link.url:
        text = (
            f"*Your program dashboard*: {DASHBOARD_SHOWS}.\n"
            f"The button works until {until} and is yours alone — please don't forward it."
        )
        button = Button("Open dashboard", actions.OPEN_DASHBOARD, "", style="primary", url=link.url)
        return Message(
            text=f"Your program dashboard link (until {until})",
            blocks=(Section(text, accessory=button),),
        )
    text = (
        "The web dashboard needs mentorbot's public address: ask whoever runs mentorbot to "
        "set `PUBLIC_URL` (the address your chat app sends requests to, e.g. "
        "`https://mentorbot.example.com`). Until then, open your server's address followed "
        f"by this path (yours alone, until {until}):\n`{link.path}`"
    )
    return Message(text="The dashboard needs PUBLIC_URL", blocks=(Section(text),))


PROPOSALS_SHOWN = 10


def proposal_blocks(facts: MentorshipFacts) -> list[Block]:
    """A lead decides: each match the engine proposed, to confirm or pass over."""
    if not facts.awaiting_lead:
        return []
    blocks: list[Block] = [Section(f"*Waiting for your decision* ({len(facts.awaiting_lead)})")]
    for m in facts.awaiting_lead[:PROPOSALS_SHOWN]:
        mentor = quote(m.mentor.real_name or m.mentor.display_name, 80)
        mentee = quote(m.mentee.real_name or m.mentee.display_name, 80)
        goals = ", ".join(quote(g.goal, 60) for g in m.goals) or "—"
        blocks.append(Section(f"{mentor} → {mentee} (goals: {goals})"))
        blocks.append(
            Actions(
                (
                    Button("Confirm", LEAD_CONFIRM, str(m.id), style="primary"),
                    Button("Another mentor", LEAD_OTHER, str(m.id)),
                )
            )
        )
    return blocks
