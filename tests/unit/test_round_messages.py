"""What people read: introductions, suggested times, the announcement, the left-out note."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.builders.announcement import announcement, left_out_note
from bot.builders.icebreakers import icebreaker
from bot.builders.intro import introduction
from bot.builders.meeting_times import suggested_times
from bot.slack import render
from pairing.models import Reason, ReasonKind, Role
from storage.records import EnrollmentRecord, PersonRecord, ProgramRecord

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ADA = PersonRecord(
    1, "U0ADA", "ada", "Ada Lovelace", "Staff Engineer", team="Platform", time_zone="Europe/London"
)
GRACE = PersonRecord(
    2, "U0GRACE", "grace", "Grace Hopper", "Director", team="Data", time_zone="America/New_York"
)
COFFEE = ProgramRecord(1, "coffee", "coffee", "every monday at 09:00")
MENTORING = ProgramRecord(2, "mentoring", "mentorship", "every monday at 09:00")
# London 09–17 is 09–17 UTC in winter; New York 09–17 is 14–22 UTC: they share 14–17 UTC.
OVERLAP = Reason(ReasonKind.OVERLAPPING_HOURS, minutes=180, window=(14 * 60, 17 * 60))


def _text(message) -> str:
    return message.text + " " + str(render.message_kwargs(message)["blocks"])


def test_suggested_times_fall_inside_everyones_working_hours_on_weekdays() -> None:
    times = suggested_times([ADA, GRACE], OVERLAP.window, after=MONDAY, rng=random.Random(3))
    assert len(times) == 3
    for moment in times:
        for person in (ADA, GRACE):
            local = moment.astimezone(ZoneInfo(person.time_zone))
            assert local.weekday() < 5
            assert 9 * 60 <= local.hour * 60 + local.minute <= 17 * 60 - 30
        assert moment > MONDAY


def test_no_shared_hours_means_no_made_up_times() -> None:
    assert suggested_times([ADA, GRACE], None, after=MONDAY, rng=random.Random(1)) == []
    assert suggested_times([ADA], (600, 610), after=MONDAY, rng=random.Random(1)) == []


def test_the_introduction_shows_who_is_who_and_the_overlap_in_each_persons_local_time() -> None:
    members = [
        EnrollmentRecord(1, 1, ADA, interests=("chess", "tea")),
        EnrollmentRecord(2, 1, GRACE, interests=("chess",)),
    ]
    reasons = [Reason(ReasonKind.SHARED_INTERESTS, items=("chess",)), OVERLAP]
    message = introduction(
        program=COFFEE,
        round_number=4,
        members=members,
        reasons=reasons,
        seed=9,
        position=0,
        day=MONDAY,
    )
    text = _text(message)
    for expected in (
        "Ada Lovelace",
        "Staff Engineer",
        "Platform",
        "Grace Hopper",
        "Director",
        "chess",
        "round 4",
        "14:00–17:00 for Ada Lovelace",
        "09:00–12:00 for Grace Hopper",
        icebreaker(9, 0),
    ):
        assert expected in text, expected


def test_a_mentorship_introduction_names_the_mentor_and_what_the_mentee_wants() -> None:
    members = [
        EnrollmentRecord(1, 2, ADA, role=Role.MENTOR, skills=("python", "public speaking")),
        EnrollmentRecord(2, 2, GRACE, role=Role.MENTEE, goals=("public speaking",)),
    ]
    reasons = [Reason(ReasonKind.SKILLS_FOR_GOALS, items=("public speaking",))]
    text = _text(
        introduction(
            program=MENTORING,
            round_number=1,
            members=members,
            reasons=reasons,
            seed=1,
            position=0,
            day=MONDAY,
        )
    )
    assert "_mentor_" in text and "_mentee_" in text
    assert "can help with python and public speaking" in text
    assert "wants to grow in public speaking" in text


def test_peoples_own_text_cannot_mention_the_channel_or_break_the_markup() -> None:
    sneaky = EnrollmentRecord(1, 1, ADA, interests=("<!channel> *bold*",))
    text = _text(
        introduction(
            program=COFFEE,
            round_number=1,
            members=[sneaky, sneaky],
            reasons=[],
            seed=1,
            position=0,
            day=MONDAY,
        )
    )
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text


def test_the_same_round_and_group_always_get_the_same_icebreaker() -> None:
    assert icebreaker(42, 3) == icebreaker(42, 3)
    assert len({icebreaker(42, n) for n in range(20)}) > 3


def test_the_announcement_counts_groups_and_says_how_to_join() -> None:
    text = _text(announcement(program=COFFEE, round_number=2, groups=12, people=25, left_out=1))
    assert "12" in text and "25" in text and "/mentor signup" in text
    assert "1 person is first in line" in text


def test_the_left_out_note_is_kind_and_promises_priority() -> None:
    text = _text(left_out_note(program=COFFEE, round_number=3, reason="alone"))
    assert "first in line" in text and "only one available" in text
