"""``/mentor history`` and ``/mentor stats`` as a lead reads them in chat."""

from __future__ import annotations

from bot.builders.text import count, percent, quote, when
from bot.messages import Block, Context, Header, Message, Section
from bot.services.reports import ProgramHistory, ProgramReport

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


def stats_message(report: ProgramReport, *, time_zone: str) -> Message:
    stats, name = report.stats, quote(report.program.name, 80)
    upcoming = when(report.next_round_at, time_zone) if report.next_round_at else "not scheduled"
    last = report.last_round
    fields = (
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
    text = (
        f"{name}: {stats.enrolled} enrolled, participation {percent(report.participation)}, "
        f"meeting rate {percent(stats.meeting_rate)}"
    )
    return Message(
        text=text,
        blocks=(Header(f"{report.program.name} in numbers"), Section(f"*{name}*", fields)),
    )
