"""The home: your programs, matches and pauses; for leads, the program dashboard.

The content is the same on every platform. A platform whose home holds only so many
blocks says how many (``room``); the two lists then end early with "… and N more", so
the lead's dashboard below them always shows.
"""

from __future__ import annotations

from bot.builders import actions
from bot.builders.match import summary_line
from bot.builders.mentorship import relationship_text
from bot.builders.profile import status
from bot.builders.text import listing, percent, quote, when
from bot.kinds import KINDS
from bot.messages import Actions, Block, Button, Context, Divider, Header, Section
from bot.viewmodels import HomeData, Membership, ProgramReport

PER_PROGRAM = 2  # blocks each program takes in either list


def home_blocks(
    data: HomeData, notice: str | None = None, *, room: int | None = None
) -> tuple[Block, ...]:
    """Everything, or at most ``room`` blocks (None: no limit)."""
    members, reports = len(data.memberships), len(data.lead or ())
    if room is not None:
        fixed = len(_blocks(data, notice, 0, 0))  # everything but the two lists
        pairs = max(room - fixed, 0) // PER_PROGRAM
        members = min(members, pairs // 2)
        reports = min(reports, pairs - members)
        members = min(len(data.memberships), pairs - reports)
    return _blocks(data, notice, members, reports)


def _blocks(data: HomeData, notice: str | None, members: int, reports: int) -> tuple[Block, ...]:
    blocks: list[Block] = [Header("mentorbot")]
    if notice:
        blocks.append(Section(notice))
    blocks.extend(_member(data, members))
    if data.lead is not None:
        blocks.extend(_dashboard(data, reports))
    return tuple(blocks)


def _member(data: HomeData, shown: int) -> list[Block]:
    blocks: list[Block] = []
    if not data.memberships:
        blocks.append(
            Section("You're not in any program yet. Join one to meet people across the company.")
        )
    for membership in data.memberships[:shown]:
        blocks.extend(_membership(membership, data))
    hidden = len(data.memberships) - shown
    if hidden > 0:
        blocks.append(Context((f"… and {hidden} more programs: see `/mentor profile`.",)))
    if data.open_programs:
        names = listing(p.name for p in data.open_programs)
        blocks.append(Section(f"Programs you can join: {names}"))
        blocks.append(Actions((Button("Sign up", actions.OPEN_SIGNUP, "", style="primary"),)))
    return blocks


def _membership(membership: Membership, data: HomeData) -> list[Block]:
    program, enrollment = membership.program, membership.enrollment
    tz = data.profile.time_zone
    state = status(enrollment, tz, data.now)
    match = summary_line(membership.match).split(": ", 1)[-1]
    text = f"*{quote(program.name, 80)}* — {state}\nCurrent match: {match}"
    for m in membership.match.mentorships:
        text += "\n" + relationship_text(m, data.profile.user_id)
    value = str(program.id)
    toggle = (
        Button("Pause", actions.PAUSE, value)
        if enrollment.is_active(data.now)
        else Button("Resume", actions.RESUME, value, style="primary")
    )
    leave = Button(
        "Leave",
        actions.LEAVE_CONFIRM,
        value,
        style="danger",
        confirm=f"Leave {quote(program.name, 80)} and delete the answers you gave?",
    )
    edit = Button("Edit my answers", actions.OPEN_SIGNUP, value)
    return [Section(text), Actions((edit, toggle, leave))]


def _dashboard(data: HomeData, shown: int) -> list[Block]:
    assert data.lead is not None
    blocks: list[Block] = [Divider(), Header("Program dashboard")]
    if not data.lead:
        blocks.append(Section("No programs yet."))
    for report in data.lead[:shown]:
        blocks.append(Section(_report(report, data.profile.time_zone)))
        blocks.append(
            Actions((Button("Edit program", actions.EDIT_PROGRAM, str(report.program.id)),))
        )
    hidden = len(data.lead) - shown
    if hidden > 0:
        blocks.append(Context((f"… and {hidden} more programs: `/mentor stats PROGRAM`.",)))
    buttons = [Button("Create a program", actions.NEW_PROGRAM, "")]
    notes = ["`/mentor stats PROGRAM` and `/mentor history PROGRAM` for more."]
    if data.dashboard is not None and data.dashboard.url:
        buttons.insert(0, _open_dashboard(data.dashboard.url))
        until = when(data.dashboard.expires_at, data.profile.time_zone)
        notes.append(
            f"The dashboard button works until {until}; open this tab again for a new one."
        )
    elif data.dashboard is not None:
        notes.append("The web dashboard needs `PUBLIC_URL` set: see `/mentor dashboard`.")
    blocks.append(Actions(tuple(buttons)))
    blocks.append(Context(tuple(notes)))
    return blocks


def _open_dashboard(url: str) -> Button:
    return Button("Open dashboard", actions.OPEN_DASHBOARD, "", style="primary", url=url)


def _report(report: ProgramReport, time_zone: str) -> str:
    program = report.program
    upcoming = when(report.next_round_at, time_zone) if report.next_round_at else "not scheduled"
    if report.last_round is None:
        return (
            f"*{quote(program.name, 80)}* ({quote(KINDS.label(program.kind), 60)}) · "
            f"{quote(program.schedule, 100)}, {quote(program.timezone, 64)}\n"
            f"Next round: {upcoming} · Enrolled: {report.stats.enrolled} · No rounds yet"
        )
    return (
        f"*{quote(program.name, 80)}* ({quote(KINDS.label(program.kind), 60)}) · "
        f"{quote(program.schedule, 100)}, {quote(program.timezone, 64)}\n"
        f"Next round: {upcoming} · Enrolled: {report.stats.enrolled} · "
        f"Participation: {percent(report.participation)} · Last round "
        f"{report.last_round_number}: meeting rate {percent(report.last_round.meeting_rate)}"
    )
