"""Messages of a mentorship's term: the check-in ("did you meet since last time?" and the
mentee's progress on each goal), the nudge when it stalls, the kind note when it ends
early, and the closing card at the end of the term."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.builders.reasons import describe_all, name
from bot.builders.text import listing, quote
from bot.messages import Actions, Block, Button, Context, Message, Section
from pairing.models import Reason
from storage.records import PROGRESS, MentorshipRecord, PersonRecord, ProgramRecord

SUGGESTIONS_SHOWN = 3

# Button ids. Values: the mentorship id, then what was chosen, joined by ":".
MET = "mentorship_met"
NOT_MET = "mentorship_not_met"
GOAL = "mentorship_goal"  # id:goal index:progress
END = "mentorship_end"
RATE = "mentorship_rate"  # id:1..5
OUTCOME = "mentorship_outcome"  # id:outcome
CONTINUE = "mentorship_continue"  # id:yes|no
PROGRESS_SHOWN = {
    "not_started": "not started",
    "under_way": "under way 🌱",
    "achieved": "achieved 🎉",
}
PROGRESS_BUTTON = {"not_started": "Not started", "under_way": "Under way", "achieved": "Achieved"}
OUTCOMES = {
    "skill": "A new skill",
    "career": "Career advice or an opening",
    "network": "A wider network",
    "confidence": "Confidence",
    "other": "Something else",
}
RATINGS = ("1", "2", "3", "4", "5")


def _names(m: MentorshipRecord) -> tuple[str, str]:
    mentor = m.mentor.real_name or m.mentor.display_name
    mentee = m.mentee.real_name or m.mentee.display_name
    return quote(mentor, 80), quote(mentee, 80)


def _date(moment: datetime | None) -> str:
    return moment.strftime("%-d %B %Y") if moment else "—"


def goal_lines(m: MentorshipRecord) -> tuple[str, ...]:
    return tuple(
        f"• {quote(g.goal, 120)}: {PROGRESS_SHOWN.get(g.progress, g.progress)}" for g in m.goals
    )


def checkin(m: MentorshipRecord, *, program: str, notice: str | None = None) -> Message:
    """The check-in for both; the mentee's goal buttons are theirs to click."""
    mentor, mentee = _names(m)
    value = str(m.id)
    blocks: list[Block] = [
        Section(
            f"👋 *{mentor}* and *{mentee}*, did you meet since last time? "
            f"(*{quote(program, 80)}*, check-in {m.checkins}, term ends {_date(m.ends_at)})"
        ),
        Actions(
            (
                Button("We met", MET, value, style="primary"),
                Button("Not yet", NOT_MET, value),
            ),
            block_id="mentorship_checkin",
        ),
    ]
    if m.met_since_checkin:
        blocks.append(Context(("You met since the last check-in ✅",)))
    for index, goal in enumerate(m.goals[:10]):
        blocks.append(
            Section(
                f"{mentee}'s goal *{quote(goal.goal, 120)}*: "
                f"{PROGRESS_SHOWN.get(goal.progress, goal.progress)}"
            )
        )
        blocks.append(
            Actions(
                tuple(
                    Button(
                        PROGRESS_BUTTON[p],
                        GOAL,
                        f"{m.id}:{index}:{p}",
                        style="primary" if p == goal.progress else None,
                    )
                    for p in PROGRESS
                ),
                block_id=f"mentorship_goal_{index}",
            )
        )
    blocks.append(
        Actions(
            (
                Button(
                    "End this mentorship",
                    END,
                    value,
                    style="danger",
                    confirm="End the mentorship now? The other person gets a kind note.",
                ),
            ),
            block_id="mentorship_end",
        )
    )
    if notice:
        blocks.append(Context((notice,)))
    return Message(
        text=f"Did you meet since last time? ({quote(program, 80)})", blocks=tuple(blocks)
    )


def nudge(m: MentorshipRecord, *, program: str) -> Message:
    mentor, mentee = _names(m)
    text = (
        f"🌱 *{mentor}* and *{mentee}*: it's been a while since you met in "
        f"*{quote(program, 80)}*. Life gets busy — could you find 30 minutes in the next "
        "two weeks? If the mentorship isn't working out, either of you can end it kindly "
        "with `/mentor end`."
    )
    return Message(text="It's been a while — time to meet?", blocks=(Section(text),))


def ended_note(m: MentorshipRecord, *, program: str, ended_by: str) -> Message:
    """To the other side: no blame, no reason given, what happens next."""
    mentor, mentee = _names(m)
    who = mentor if ended_by == m.mentor.user_id else mentee
    text = (
        f"{who} has brought your mentorship in *{quote(program, 80)}* to a close. "
        "Plans and priorities change, and that's okay — thank you for the time you gave "
        "it. You're back in the pool and I'll look for a new match at the next intake."
    )
    return Message(text="Your mentorship has come to a close", blocks=(Section(text),))


def left_note(m: MentorshipRecord, *, program: str, gone: str) -> Message:
    """To the one who stays, when the other left the program or the company."""
    other = m.mentor if gone == m.mentor.user_id else m.mentee
    text = (
        f"{name(other)} is no longer part of *{quote(program, 80)}*, so your mentorship has "
        "come to a close. Thank you for the time you gave it — you're back in the pool, "
        "and I'll look for a new match at the next intake."
    )
    return Message(text="Your mentorship has come to a close", blocks=(Section(text),))


def ended_reply(m: MentorshipRecord, *, program: str, user_id: str) -> Message:
    other = m.other(user_id)
    name = quote(other.real_name or other.display_name, 80)
    text = (
        f"Done: your mentorship with {name} in *{quote(program, 80)}* has ended. I've let "
        f"them know kindly, without your reason. You're back in the pool, and you won't "
        "be matched with each other again."
    )
    return Message(text="Mentorship ended", blocks=(Section(text),))


def already_ended(m: MentorshipRecord, *, program: str) -> Message:
    text = (
        f"That mentorship in *{quote(program, 80)}* has already {m.state}"
        f"{' early' if m.state == 'ended' else ''} — nothing changed."
    )
    return Message(text=text, blocks=(Section(text),))


def nothing_to_end() -> Message:
    text = "You have no mentorship going on right now, so there's nothing to end."
    return Message(text=text, blocks=(Section(text),))


def which_to_end(
    mentorships: list[MentorshipRecord], user_id: str, programs: Mapping[int, str]
) -> Message:
    buttons = tuple(
        Button(
            f"End with {(m.other(user_id).real_name or m.other(user_id).display_name)[:40]}",
            END,
            str(m.id),
            confirm="End this mentorship now? The other person gets a kind note.",
        )
        for m in mentorships[:5]
    )
    lines = "\n".join(
        f"• {quote(m.other(user_id).real_name or m.other(user_id).display_name, 80)} "
        f"({quote(programs.get(m.program_id, ''), 80)})"
        for m in mentorships
    )
    return Message(
        text="Which mentorship would you like to end?",
        blocks=(Section(f"Which mentorship would you like to end?\n{lines}"), Actions(buttons)),
    )


def closing(m: MentorshipRecord, *, program: str, user_id: str, term: int | None = None) -> Message:
    """The end-of-term card for one of the two (their answers of ``term``, by default
    the current one, only)."""
    other = m.other(user_id)
    name = quote(other.real_name or other.display_name, 80)
    answers: Mapping[str, Any] = m.closing.get(str(term or m.term)) or {}
    mine: Mapping[str, Any] = answers.get(user_id) or {}
    value = str(m.id)
    blocks: list[Block] = [
        Section(
            f"🎓 Your term with {name} in *{quote(program, 80)}* "
            "has come to its end. How valuable was it? (1 = not much, 5 = a lot)"
        ),
        Actions(
            tuple(
                Button(
                    r,
                    RATE,
                    f"{value}:{r}",
                    style="primary" if str(mine.get("value")) == r else None,
                )
                for r in RATINGS
            ),
            block_id="mentorship_rate",
        ),
        Section("What came of it? (pick any)"),
        Actions(
            tuple(
                Button(
                    label,
                    OUTCOME,
                    f"{value}:{key}",
                    style="primary" if key in (mine.get("outcomes") or ()) else None,
                )
                for key, label in OUTCOMES.items()
            ),
            block_id="mentorship_outcomes",
        ),
        Section(f"Would you like to continue with {name} for another term?"),
        Actions(
            (
                Button(
                    "Yes, another term",
                    CONTINUE,
                    f"{value}:yes",
                    style="primary" if mine.get("continue") is True else None,
                ),
                Button(
                    "No, let it complete",
                    CONTINUE,
                    f"{value}:no",
                    style="primary" if mine.get("continue") is False else None,
                ),
            ),
            block_id="mentorship_continue",
        ),
    ]
    given = []
    if mine.get("value"):
        given.append(f"value {mine['value']}/5")
    given += [OUTCOMES[o] for o in mine.get("outcomes") or () if o in OUTCOMES]
    if mine.get("continue") is not None:
        given.append("another term: " + ("yes" if mine["continue"] else "no"))
    if given:
        blocks.append(Context(("Your answers: " + " · ".join(given),)))
    if m.state == "completed":
        blocks.append(Context(("This mentorship is complete. Thank you both! 🎉",)))
    elif m.state == "active" and m.closing_sent_at is None:
        blocks.append(
            Context((f"You both chose to continue: a new term until {_date(m.ends_at)} 🌱",))
        )
    return Message(
        text=f"Your mentorship term in {quote(program, 80)} has ended", blocks=tuple(blocks)
    )


# -- the mentee chooses ------------------------------------------------------------------
CHOOSE = "mentorship_choose"  # program id:mentor user id
ACCEPT = "mentorship_accept"  # mentorship id
DECLINE = "mentorship_decline"  # mentorship id
LEAD_CONFIRM = "mentorship_lead_confirm"  # mentorship id
LEAD_OTHER = "mentorship_lead_other"  # mentorship id


@dataclass(frozen=True, slots=True)
class Suggestion:
    mentor: PersonRecord
    mentee: PersonRecord
    reasons: tuple[Reason, ...]
    offers: tuple[str, ...] = ()  # the mentor's skills, as they wrote them


def suggestions(
    found: Sequence[Suggestion], *, program: ProgramRecord, day: datetime, intro: str | None = None
) -> Message:
    """A mentee's best mentors with the reasons, one button each."""
    if not found:
        text = (
            f"{intro + ' ' if intro else ''}No mentor with a free place fits your goals in "
            f"*{quote(program.name, 80)}* right now. I'll look again at the next intake."
        )
        return Message(text="No mentor free right now", blocks=(Section(text),))
    blocks: list[Block] = [
        Section(
            f"{intro + ' ' if intro else ''}🌱 Choose your mentor in *{quote(program.name, 80)}*: "
            f"your best {len(found)} suggestion{'s' if len(found) != 1 else ''}, best first."
        )
    ]
    for s in found[:SUGGESTIONS_SHOWN]:
        why = describe_all(s.reasons, [s.mentor, s.mentee], day)
        offers = f"\nOffers: {listing(s.offers)}" if s.offers else ""
        blocks.append(
            Section(
                f"*{name(s.mentor)}*{offers}\n" + " ".join(why),
                accessory=Button(
                    f"Choose {(s.mentor.real_name or s.mentor.display_name)[:30]}",
                    CHOOSE,
                    f"{program.id}:{s.mentor.user_id}",
                    style="primary",
                ),
            )
        )
    return Message(text=f"Choose your mentor in {quote(program.name, 80)}", blocks=tuple(blocks))


def request(m: MentorshipRecord, *, program: str, reasons: Sequence[str]) -> Message:
    """To the mentor: a mentee chose them; accept or decline in one click."""
    _, mentee = _names(m)
    goals = ", ".join(quote(g.goal, 80) for g in m.goals) or "—"
    text = (
        f"🙋 *{mentee}* would like you as their mentor in *{quote(program, 80)}*.\n"
        f"Their goals: {goals}\n{' '.join(reasons)}"
    )
    value = str(m.id)
    return Message(
        text=f"{mentee} would like you as their mentor",
        blocks=(
            Section(text),
            Actions(
                (
                    Button("Accept", ACCEPT, value, style="primary"),
                    Button("Decline", DECLINE, value),
                ),
                block_id="mentorship_request",
            ),
        ),
    )


def request_answered(m: MentorshipRecord, *, program: str) -> Message:
    _, mentee = _names(m)
    if m.state == "active":
        text = f"You accepted: you're now {mentee}'s mentor in *{quote(program, 80)}* 🌱"
    else:
        text = f"You declined {mentee}'s request. Thanks for answering — I'll offer them others."
    return Message(text=text, blocks=(Section(text),))


def chosen(mentor: PersonRecord, *, program: str) -> Message:
    text = (
        f"Great choice! I've asked *{name(mentor)}* to be your mentor in "
        f"*{quote(program, 80)}*; you'll hear as soon as they answer."
    )
    return Message(text=text, blocks=(Section(text),))


def started(m: MentorshipRecord, *, program: str, decided: str) -> Message:
    """The introduction of a mentorship the mentee chose and the mentor accepted."""
    mentor, mentee = _names(m)
    goals = "\n".join(f"• {quote(g.goal, 120)}" for g in m.goals) or "• (none given)"
    text = (
        f"🌱 *{mentor}* and *{mentee}*: your mentorship in *{quote(program, 80)}* starts "
        f"today ({decided}) and runs until {_date(m.ends_at)}.\n*Goals*\n{goals}\n"
        "Suggested first step: a 30-minute call this week to get to know each other."
    )
    return Message(text="Your mentorship starts today", blocks=(Section(text),))


# -- where it shows: /mentor match and the home tab ---------------------------------------


def relationship_text(m: MentorshipRecord, user_id: str) -> str:
    """Who, the term, the next check-in and the goals, as one of the two sees it."""
    other = m.other(user_id)
    role = "mentor" if m.side(user_id) == "mentee" else "mentee"
    lines = [f"Your {role}: *{name(other)}*"]
    if m.state == "proposed":
        lines[0] += " — waiting for the mentor's answer"
    else:
        lines.append(f"Term {m.term} until {_date(m.ends_at)}")
        if m.next_checkin_at is not None:
            lines.append(f"Next check-in: {_date(m.next_checkin_at)}")
        if m.stalled:
            lines.append("You haven't met for a while — a short call helps.")
    if m.goals:
        lines.append("*Goals*")
        lines.extend(goal_lines(m))
    return "\n".join(lines)


def relationship_summary(mentorships: Sequence[MentorshipRecord], user_id: str) -> str:
    parts = []
    for m in mentorships:
        role = "mentor" if m.side(user_id) == "mentee" else "mentee"
        until = " (requested)" if m.state == "proposed" else f" until {_date(m.ends_at)}"
        parts.append(f"{role} {name(m.other(user_id))}{until}")
    return "; ".join(parts)


def lead_decided(
    m: MentorshipRecord, *, program: str, replaced_by: MentorshipRecord | None
) -> Message:
    mentor, mentee = _names(m)
    if m.state == "active":
        text = (
            f"Confirmed: {mentor} mentors {mentee} in *{quote(program, 80)}* until "
            f"{_date(m.ends_at)}. Both are introduced now."
        )
    elif replaced_by is not None:
        other = quote(replaced_by.mentor.real_name or replaced_by.mentor.display_name, 80)
        text = (
            f"Passed over {mentor} for {mentee}. Proposed instead: {other} — confirm it in "
            f"`/mentor stats {quote(program, 80)}`."
        )
    else:
        text = f"Passed over {mentor} for {mentee}; no other mentor with a free place fits now."
    return Message(text=text, blocks=(Section(text),))
