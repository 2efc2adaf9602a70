"""The lead's program modal: create a program, or edit one (Slack only)."""

from __future__ import annotations

from typing import Any

from bot.services.program_admin import ProgramInput
from bot.slack import blockkit as bk
from bot.slack import state
from storage.records import ProgramRecord

CALLBACK_ID = "mentor_program"
NAME, KIND, CHANNEL, SCHEDULE, TIMEZONE = "name", "kind", "channel", "schedule", "timezone"
GROUP_SIZE, CAPACITY, CHECKIN_DAYS, OPTIONS = "group_size", "capacity", "checkin_days", "options"
JOIN_VIA_CHANNEL, REOFFER, INACTIVE = "join_via_channel", "reoffer_missed", "inactive"
SCHEDULE_HINT = (
    "For example: every monday at 09:00 · every other week on tuesday at 10:00 · "
    "first monday of the month at 10:00 · or a cron line like 0 9 * * 1"
)


def program_view(
    program: ProgramRecord | None, *, default_timezone: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    p = program
    options = [
        bk.option(
            "People join by joining the channel", JOIN_VIA_CHANNEL, "and leaving it pauses them"
        ),
        bk.option(
            "Give missed meetings another chance",
            REOFFER,
            "A pair who couldn't meet may be matched again",
        ),
        bk.option("On hold", INACTIVE, "No rounds, and hidden from signup"),
    ]
    checked = {INACTIVE} if p is not None and not p.active else set()
    if p is not None and p.join_via_channel:
        checked.add(JOIN_VIA_CHANNEL)
    if p is not None and p.reoffer_missed:
        checked.add(REOFFER)
    channel: dict[str, Any] = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if p is not None and p.channel_id:
        channel["initial_conversation"] = p.channel_id
    blocks = [
        bk.input_block(NAME, "Name", bk.text_input(p.name if p else None, max_length=80)),
        bk.input_block(
            KIND,
            "Kind",
            bk.single_choice(
                "radio_buttons",
                [
                    bk.option("Coffee", "coffee", "Random groups that meet for a chat"),
                    bk.option("Mentorship", "mentorship", "Mentors matched to mentees"),
                ],
                p.kind.value if p else "coffee",
            ),
        ),
        bk.input_block(
            CHANNEL,
            "Channel",
            channel,
            optional=True,
            hint="Where rounds are announced.",
        ),
        bk.input_block(
            SCHEDULE,
            "Schedule",
            bk.text_input(p.schedule if p else "every monday at 09:00", max_length=200),
            hint=SCHEDULE_HINT,
        ),
        bk.input_block(
            TIMEZONE,
            "Time zone",
            bk.text_input(p.timezone if p else default_timezone, max_length=64),
            hint="An IANA name such as Europe/Berlin or America/New_York.",
        ),
        bk.input_block(
            GROUP_SIZE,
            "Group size (coffee)",
            bk.number_input(p.group_size if p else 2, low=2, high=8),
            optional=True,
        ),
        bk.input_block(
            CAPACITY,
            "Mentees per mentor (mentorship)",
            bk.number_input(p.mentor_capacity if p else 2, low=1, high=50),  # as in the config
            optional=True,
        ),
        bk.input_block(
            CHECKIN_DAYS,
            "Ask “did you meet?” after (days)",
            bk.number_input(p.checkin_after_days if p else 3, low=0, high=60),
            optional=True,
        ),
        bk.input_block(OPTIONS, "Options", bk.checkboxes(options, checked), optional=True),
    ]
    if p is not None and p.source == "config":
        blocks.insert(
            0,
            bk.context(
                "This program is declared in mentorbot's config file: the file's values "
                "come back when mentorbot restarts."
            ),
        )
    title = "Edit program" if p else "New program"
    return bk.modal(
        CALLBACK_ID, title, blocks, submit="Save", metadata=state.encode_metadata(metadata)
    )


def program_input(view: Any) -> ProgramInput:
    meta = state.metadata(view)
    options = state.chosen(view, OPTIONS)
    raw_id = meta.get("program_id")
    return ProgramInput(
        program_id=str(raw_id) if isinstance(raw_id, int) else None,
        name=state.text(view, NAME),
        kind=state.text(view, KIND),
        channel=state.text(view, CHANNEL),
        schedule=state.text(view, SCHEDULE),
        timezone=state.text(view, TIMEZONE),
        group_size=state.text(view, GROUP_SIZE),
        capacity=state.text(view, CAPACITY),
        checkin_days=state.text(view, CHECKIN_DAYS),
        join_via_channel=JOIN_VIA_CHANNEL in options,
        reoffer_missed=REOFFER in options,
        active=INACTIVE not in options,
    )
