"""The "did you meet?" check-in in a group's conversation, and the "pause?" question for
someone who has not answered three check-ins in a row."""

from __future__ import annotations

from collections.abc import Mapping

from bot.builders.text import listing, quote
from bot.messages import Actions, Button, Context, Message, Section

# Button ids (values: the group id, or for the pause question the enrollment id).
MET = "checkin_met"
NOT_YET = "checkin_not_yet"
COULD_NOT = "checkin_could_not"
ANSWERS = {MET: "met", NOT_YET: "not_yet", COULD_NOT: "could_not"}
PAUSE = "checkin_pause"
STAY = "checkin_stay"
SHOWN = {"met": "met ✅", "not_yet": "not yet ⏳", "could_not": "couldn't make it"}
OUTCOME = {"met": "You met — wonderful! 🎉", "not_met": "This one didn't happen. No worries."}


def checkin(
    *,
    program: str,
    round_number: int,
    group_id: int,
    names: Mapping[str, str],
    answers: Mapping[str, str] | None = None,
    outcome: str | None = None,
) -> Message:
    """``names`` maps each member's user id to their name; ``answers`` user id → answer."""
    answers = answers or {}
    question = (
        f"👋 Did you get to meet? (round {round_number} of *{quote(program, 80)}*: "
        f"{listing(names.values())})"
    )
    value = str(group_id)
    blocks: list[Section | Actions | Context] = [
        Section(question),
        Actions(
            (
                Button("We met", MET, value, style="primary"),
                Button("Not yet", NOT_YET, value),
                Button("Couldn't make it", COULD_NOT, value),
            ),
            block_id="checkin",
        ),
    ]
    if answers:
        given = [f"{quote(names.get(u, u), 80)}: {SHOWN.get(a, a)}" for u, a in answers.items()]
        blocks.append(Context(tuple(given[:10])))
    if outcome in OUTCOME:
        blocks.append(Section(OUTCOME[outcome]))
    return Message(
        text=f"Did you get to meet? Round {round_number} of {quote(program, 80)}",
        blocks=tuple(blocks),
    )


def pause_question(*, program: str, enrollment_id: int, missed: int) -> Message:
    value = str(enrollment_id)
    return Message(
        text=f"Still up for {program}?",
        blocks=(
            Section(
                f"You haven't answered the last {missed} check-ins of *{quote(program, 80)}*. "
                "Would you like to pause for a while? You can come back any time with "
                "`/mentor resume`."
            ),
            Actions(
                (
                    Button("Pause me", PAUSE, value, style="primary"),
                    Button("Keep me in", STAY, value),
                ),
                block_id="pause_question",
            ),
        ),
    )


def pause_answered(*, program: str, paused: bool) -> Message:
    text = (
        f"Paused: no new matches in *{quote(program, 80)}* until you `/mentor resume`."
        if paused
        else f"Great, you stay in *{quote(program, 80)}*. See you next round!"
    )
    return Message(text=text, blocks=(Section(text),))
