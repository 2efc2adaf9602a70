"""The mentorship messages: who sees what, and buttons whose values the handlers read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.builders import mentorship as build
from bot.builders.lead_reports import wait_line
from bot.messages import Actions, Context, Section
from pairing.impact import mentor_waits
from storage.records import GoalProgress, MentorshipRecord, PersonRecord

WHEN = datetime(2026, 12, 7, 9, tzinfo=UTC)
MENTOR = PersonRecord(1, "UM", "m", "Ada Lovelace")
MENTEE = PersonRecord(2, "UE", "e", "Alan Turing")


def _m(**values: object) -> MentorshipRecord:
    base: dict[str, object] = {
        "id": 7,
        "program_id": 1,
        "mentor": MENTOR,
        "mentee": MENTEE,
        "state": "active",
        "decided_by": "engine",
        "goals": (GoalProgress("Presenting", "under_way"), GoalProgress("k8s")),
        "checkins": 2,
        "started_at": WHEN,
        "ends_at": datetime(2027, 3, 1, tzinfo=UTC),
        "next_checkin_at": datetime(2026, 12, 21, tzinfo=UTC),
    }
    base.update(values)
    return MentorshipRecord(**base)  # type: ignore[arg-type]


def _buttons(message):  # type: ignore[no-untyped-def]
    return [b for block in message.blocks if isinstance(block, Actions) for b in block.buttons]


def test_the_checkin_carries_each_goals_progress_buttons_and_an_end_button() -> None:
    message = build.checkin(_m(), program="mentoring")
    values = {(b.action_id, b.value) for b in _buttons(message)}
    assert (build.MET, "7") in values and (build.END, "7") in values
    assert (build.GOAL, "7:0:achieved") in values and (build.GOAL, "7:1:under_way") in values
    text = " ".join(b.text for b in message.blocks if isinstance(b, Section))
    assert "Presenting*: under way" in text and "check-in 2" in text


def test_the_closing_card_shows_only_my_answers_of_the_term() -> None:
    m = _m(closing={"1": {"UE": {"value": 5, "outcomes": ["confidence"], "continue": True},
                          "UM": {"value": 2, "continue": False}}})  # fmt: skip
    mine = build.closing(m, program="mentoring", user_id="UE")
    notes = " ".join(e for b in mine.blocks if isinstance(b, Context) for e in b.elements)
    assert "value 5/5 · Confidence · another term: yes" in notes and "2/5" not in notes


def test_where_it_shows_the_mentee_reads_their_mentor_goals_and_dates() -> None:
    text = build.relationship_text(_m(), "UE")
    assert "Your mentor: *Ada Lovelace*" in text and "Term 1 until 1 March 2027" in text
    assert "Next check-in: 21 December 2026" in text and "k8s: not started" in text
    assert "Your mentee: *Alan Turing*" in build.relationship_text(_m(), "UM")
    assert "stalled" not in text.lower()
    assert "haven't met for a while" in build.relationship_text(_m(missed_checkins=2), "UM")


def test_the_note_to_the_other_side_never_carries_the_reason() -> None:
    m = _m(state="ended", end_reason="we never found the time", ended_by="UE")
    note = build.ended_note(m, program="mentoring", ended_by="UE")
    assert "never found" not in str(note.to_dict()) and "Alan Turing" in str(note.to_dict())


def test_closing_cards_count_in_the_impact_outcomes_by_dimension() -> None:
    from bot.services.impact import mentorship_outcomes

    first = _m(
        closing={
            "1": {
                "UE": {"value": 5, "outcomes": ["skill", "confidence"]},  # skills, once
                "UM": {"value": 4, "outcomes": ["network", "other"]},
            },
            "2": {"UE": {"value": 3}},  # no outcome ticked: not an answer to "what came of it"
        }
    )
    second = _m(
        id=8, closing={"1": {"UE": {"outcomes": ["career"]}, "UM": {"outcomes": ["other"]}}}
    )
    counts = mentorship_outcomes([first, second, _m(id=9)])
    assert counts.by_dimension == {"skills": 1, "relationships": 1, "career": 1}
    assert counts.answers == 4


def test_a_lead_reads_how_long_mentees_wait_for_a_mentor() -> None:
    joined = {"a": WHEN, "b": WHEN, "c": WHEN, "d": WHEN}
    started = {"a": WHEN, "b": WHEN + timedelta(days=3)}
    waiting = {"c": WHEN, "d": WHEN}
    line = wait_line(mentor_waits(joined, started, waiting, now=WHEN + timedelta(days=1)))
    assert line == (
        "Time to a mentor: median 1.5 days (90th percentile 2.7 days, 2 matched); "
        "still waiting: longest 1 day, median 1 day"
    )
    alone = mentor_waits({"a": WHEN}, {}, {"a": WHEN}, now=WHEN + timedelta(days=9))
    assert wait_line(alone) == ("Still waiting: longest 9 days, median 9 days")
    assert wait_line(mentor_waits({}, {}, {}, now=WHEN)) == ""
