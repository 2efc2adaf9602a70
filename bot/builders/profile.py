"""``/mentor profile``: what mentorbot knows about you, with a button to edit it."""

from __future__ import annotations

from datetime import datetime

from bot.builders import actions
from bot.builders.text import day, listing, minutes_of_day, quote
from bot.kinds import KINDS
from bot.messages import Actions, Block, Button, Context, Message, Section
from bot.viewmodels import ProfileView
from storage.records import EnrollmentRecord, ProgramRecord


def profile_message(view: ProfileView, *, now: datetime) -> Message:
    you = view.profile
    name = quote(you.real_name or you.display_name, 80)
    facts = [f"*{name}*"]
    if you.title:
        facts.append(quote(you.title, 80))
    facts.append(quote(you.time_zone, 64))
    blocks: list[Block] = [Section(" · ".join(facts))]
    person = view.person
    if person is None or not view.enrollments:
        text = "You're not in any program yet. `/mentor signup` to join one."
        blocks.append(Section(text))
        return Message(text=text, blocks=tuple(blocks))
    team = quote(person.team, 80) if person.team else "not set"
    hours = f"{minutes_of_day(person.work_start)}–{minutes_of_day(person.work_end)}"
    blocks.append(Section(f"Team: {team} · Working hours: {hours}"))
    blocks.extend(
        Section(enrollment_text(program, enrollment, person.time_zone, now))
        for program, enrollment in view.enrollments
    )
    blocks.append(Context(("Name, title and time zone come from your profile in your chat app.",)))
    blocks.append(Actions((Button("Edit my answers", actions.OPEN_SIGNUP, ""),)))
    return Message(text=f"Your mentorbot profile ({name})", blocks=tuple(blocks))


def enrollment_text(
    program: ProgramRecord, enrollment: EnrollmentRecord, time_zone: str, now: datetime
) -> str:
    lines = [f"*{quote(program.name, 80)}* — {status(enrollment, time_zone, now)}"]
    policy = KINDS.get(program.kind)
    part = policy.profile_line(program, enrollment) if policy else None
    if part:
        lines.append(part)
    for label, items in (
        ("Interests", enrollment.interests),
        ("Can help with", enrollment.skills),
        ("Wants to learn", enrollment.goals),
    ):
        if items:
            lines.append(f"{label}: {listing(items, limit=25)}")
    if enrollment.preferences.get("prefer_cross_team"):
        lines.append("Prefers someone outside their team")
    return "\n".join(lines)


def status(enrollment: EnrollmentRecord, time_zone: str, now: datetime) -> str:
    if enrollment.is_active(now):
        return "taking part"
    if enrollment.paused_until is not None:
        return f"paused until {day(enrollment.paused_until, time_zone)}"
    return "paused until you resume"
