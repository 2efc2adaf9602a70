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
# The optional follow-up after "we met": what came of it (pairing.impact.CameOf) and
# "worth it?" 1–5. Button ids carry the answer; values the group id.
CAME_OF = {
    "came_of_learned": ("learned", "Learned something new"),
    "came_of_career": ("career", "Career advice or an opening"),
    "came_of_idea": ("idea", "An idea for my work"),
    "came_of_collaborate": ("collaborate", "We'll work together"),
    "came_of_friend": ("friend", "A new friend"),
    "came_of_nothing": ("nothing", "Nothing much"),
}
WORTH_IT = {f"worth_it_{n}": n for n in range(1, 6)}
PRIVACY_NOTE = (
    "Optional and anonymous: nobody sees who answered what. Leads see totals only, "
    "and nothing until at least 5 people have answered."
)
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
    feedback: int = 0,
) -> Message:
    """``names`` maps each member's user id to their name; ``answers`` user id → answer.
    Once the group met, the optional follow-up asks what came of it; ``feedback`` is how
    many have answered it (only the number is ever shown)."""
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
    if outcome == "met":
        blocks.extend(follow_up(group_id, feedback))
    return Message(
        text=f"Did you get to meet? Round {round_number} of {quote(program, 80)}",
        blocks=tuple(blocks),
    )


def follow_up(group_id: int, answered: int) -> tuple[Section | Actions | Context, ...]:
    """What came of it, and was it worth it: one tap each, never required."""
    value = str(group_id)
    blocks: list[Section | Actions | Context] = [
        Section("*What came of it?* (one tap, if you like)"),
        Actions(
            tuple(Button(label, action_id, value) for action_id, (_, label) in CAME_OF.items()),
            block_id="came_of",
        ),
        Section("*Worth it?* 1 = not really … 5 = very much"),
        Actions(
            tuple(Button(str(n), action_id, value) for action_id, n in WORTH_IT.items()),
            block_id="worth_it",
        ),
        Context((PRIVACY_NOTE,)),
    ]
    if answered:
        people = "person has" if answered == 1 else "people have"
        blocks.append(Context((f"{answered} {people} answered — thank you!",)))
    return tuple(blocks)


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
