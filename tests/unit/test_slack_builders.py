"""Message builders: what a person reads, and that Slack accepts it whatever the data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.builders import actions, replies
from bot.builders.help import help_message
from bot.builders.home import home_blocks
from bot.builders.match import match_message
from bot.builders.reasons import describe
from bot.messages import Actions, Message
from bot.slack import render
from bot.slack.simulator.workspace import _check_blocks, _check_message
from bot.viewmodels import CurrentMatch, HomeData, Membership, ProgramReport
from pairing.metrics import program_stats
from pairing.models import Reason, ReasonKind, Role
from storage.records import (
    EnrollmentRecord,
    GroupMemberRecord,
    GroupRecord,
    PersonRecord,
    ProgramRecord,
)
from storage.repositories import Profile

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WEIRD = '<!channel> *bold* _it_ ~s~ `code` & "quotes" ☕️ 日本語 ' * 100


def slack_accepts(message: Message) -> bool:
    return _check_message(render.message_kwargs(message)) is None


def person(
    pid: int, name: str, tz: str = "Europe/London", title: str | None = None
) -> PersonRecord:
    return PersonRecord(pid, f"U{pid}", name, real_name=name, title=title, time_zone=tz)


def test_help_lists_every_command_and_starts_with_signup() -> None:
    message = help_message()
    text = render.message_kwargs(message)["blocks"][0]["text"]["text"]
    for command in ("signup", "profile", "match", "pause [WEEKS]", "resume", "leave", "help"):
        assert f"`/mentor {command}" in text
    assert "signup" in message.text
    assert slack_accepts(message)


def test_help_quotes_an_unknown_word_harmlessly() -> None:
    message = help_message("<!channel>")
    assert "&lt;!channel&gt;" in message.text and "<!channel>" not in message.text


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (Reason(ReasonKind.SHARED_INTERESTS, items=("chess", "tea")), "interest in chess and tea"),
        (
            Reason(ReasonKind.CROSS_TEAM, items=("Data", "Sales")),
            "different teams (Data and Sales)",
        ),
        (
            Reason(ReasonKind.OVERLAPPING_HOURS, minutes=90, window=(13 * 60, 14 * 60 + 30)),
            "1 h 30 min a day: 14:00–15:30 for Ada, 08:00–09:30 for Grace.",
        ),
        (Reason(ReasonKind.SKILLS_FOR_GOALS, items=("Go",)), "skills match the goals: Go"),
        (Reason(ReasonKind.NO_OVERLAP), "don't overlap"),
        (Reason(ReasonKind.REPEAT), "matched before"),
    ],
)
def test_reasons_read_as_sentences_in_each_members_own_time(reason: Reason, expected: str) -> None:
    group = [person(1, "Ada", "Europe/Berlin"), person(2, "Grace", "America/New_York")]
    assert expected in (describe(reason, group, NOW) or "")


def test_the_introduction_and_mentor_match_explain_a_match_in_the_same_words() -> None:
    from bot.builders.intro import introduction

    ada, grace = person(1, "Ada", "Europe/Berlin"), person(2, "Grace", "America/New_York")
    reasons = (
        Reason(ReasonKind.SHARED_INTERESTS, items=("chess",)),
        Reason(ReasonKind.OVERLAPPING_HOURS, minutes=90, window=(13 * 60, 14 * 60 + 30)),
    )
    group = GroupRecord(1, 1, 0, (GroupMemberRecord(ada), GroupMemberRecord(grace)), reasons)
    coffee = ProgramRecord(1, "coffee", "coffee", "every monday at 09:00")
    members = [EnrollmentRecord(1, 1, ada), EnrollmentRecord(2, 1, grace)]
    intro = introduction(
        program=coffee,
        round_number=1,
        members=members,
        reasons=reasons,
        seed=1,
        position=0,
        day=NOW,
    )
    match = match_message([CurrentMatch(coffee, ada, 1, group)], now=NOW)

    def why(message: Message) -> str:
        return next(
            str(b.text)
            for b in message.blocks
            if "Why you were matched" in str(getattr(b, "text", ""))
        )

    assert why(intro) == why(match)
    assert "You share an interest in chess." in why(match)


def test_a_mentee_is_told_who_their_mentor_is_and_why() -> None:
    me, mentor = person(1, "Kath"), person(2, "Grace", title="Director")
    group = GroupRecord(
        1,
        1,
        0,
        (GroupMemberRecord(me, Role.MENTEE), GroupMemberRecord(mentor, Role.MENTOR)),
        reasons=(Reason(ReasonKind.SKILLS_FOR_GOALS, items=("COBOL",)),),
        outcome="met",
    )
    coffee = ProgramRecord(1, "mentoring", "mentorship", "every monday at 09:00")
    message = match_message([CurrentMatch(coffee, me, 3, group)], now=NOW)
    text = str(render.message_kwargs(message))
    assert "Your mentor: *Grace* (Director)" in text and "COBOL" in text and "You met" in text
    assert slack_accepts(message)


def test_someone_without_a_group_in_the_latest_round_is_not_told_they_have_no_match_yet() -> None:
    me = person(1, "Grace")
    coffee = ProgramRecord(1, "coffee", "coffee", "every monday at 09:00")
    tea = ProgramRecord(2, "tea", "coffee", "every monday at 09:00")
    message = match_message(
        [
            CurrentMatch(coffee, me, 4),
            CurrentMatch(tea, me, 2, left_out="alone"),
            CurrentMatch(tea, me),
        ],
        now=NOW,
    )
    text = str(render.message_kwargs(message))
    assert (
        message.text == "coffee: no match this round; tea: no match this round; tea: no round yet"
    )
    assert "You weren't in round 4." in text
    assert "You weren't matched in round 2 (you were the only one available)" in text
    assert "No round yet." in text and "no match yet" not in text


def test_matches_with_any_names_are_accepted_by_slack() -> None:
    me = person(1, WEIRD)
    others = tuple(GroupMemberRecord(person(i, WEIRD, title=WEIRD)) for i in range(2, 9))
    group = GroupRecord(
        1,
        1,
        0,
        (GroupMemberRecord(me), *others),
        reasons=(Reason(ReasonKind.SHARED_INTERESTS, items=(WEIRD,) * 50),),
    )
    programs = [ProgramRecord(i, WEIRD, "coffee", "every day at 09:00") for i in range(40)]
    message = match_message([CurrentMatch(p, me, 1, group) for p in programs], now=NOW)
    assert slack_accepts(message)
    assert "<!channel>" not in str(render.message_kwargs(message))


def test_every_reply_is_accepted_and_leave_asks_with_two_buttons() -> None:
    programs = [ProgramRecord(1, WEIRD, "coffee", "every day at 09:00")]
    question = replies.leave_question(programs, "1")
    [buttons] = [b for b in question.blocks if isinstance(b, Actions)]
    assert [b.action_id for b in buttons.buttons] == [actions.LEAVE_CONFIRM, actions.LEAVE_CANCEL]
    messages = [
        question,
        replies.paused(programs, NOW + timedelta(weeks=2), "Asia/Tokyo"),
        replies.paused(programs, None, "UTC"),
        replies.resumed(programs),
        replies.left(programs, erased=True),
        replies.signed_up(programs[0], True, "Mon 30 Nov, 09:00"),
        replies.welcome(programs),
        replies.problem(WEIRD),
        replies.apology(),
    ]
    assert all(slack_accepts(m) for m in messages)
    assert "Monday 7 December" in replies.paused(programs, NOW + timedelta(weeks=2), "UTC").text


def _home(memberships: int, lead_programs: int) -> HomeData:
    me = person(1, WEIRD)
    programs = [ProgramRecord(i, WEIRD + str(i), "coffee", WEIRD) for i in range(60)]
    stats = program_stats([], teams={}, enrolled=["U1", "U2"])
    return HomeData(
        profile=Profile("U1", WEIRD, time_zone="Mars/Base"),
        now=NOW,
        memberships=tuple(
            Membership(
                p, EnrollmentRecord(p.id, p.id, me, paused=bool(p.id % 2)), CurrentMatch(p, me)
            )
            for p in programs[:memberships]
        ),
        open_programs=tuple(programs[memberships:]),
        lead=tuple(ProgramReport(p, stats, None, None, NOW) for p in programs[:lead_programs]),
    )


@pytest.mark.parametrize(("memberships", "lead_programs"), [(0, 0), (1, 1), (60, 60)])
def test_the_home_tab_fits_slacks_limits_with_any_amount_of_data(
    memberships: int, lead_programs: int
) -> None:
    blocks = home_blocks(_home(memberships, lead_programs), notice=WEIRD, room=100)
    assert len(blocks) <= 100  # nothing is cut off by rendering, the dashboard included
    view = render.home_view(blocks)
    assert _check_blocks(view["blocks"], limit=100) is None


def test_the_home_holds_everything_unless_the_platform_gives_it_less_room() -> None:
    data = _home(60, 60)
    everything = home_blocks(data)
    assert len(everything) > 240  # each program, none summarised
    fitted = home_blocks(data, room=100)
    assert "… and 37 more programs: see `/mentor profile`." in str(fitted)
    assert "… and 37 more programs: `/mentor stats PROGRAM`." in str(fitted)
    assert any(isinstance(b, Actions) and b.buttons[-1].label == "Create a program" for b in fitted)


def test_a_lead_home_opens_the_dashboard_in_the_browser_through_a_link_button() -> None:
    from dataclasses import replace

    from bot.dashboard.links import DashboardLink

    url = "https://mentorbot.example.com/dashboard/login?token=t.s"
    link = DashboardLink("/dashboard/login?token=t.s", url, NOW + timedelta(hours=12))
    view = render.home_view(home_blocks(replace(_home(0, 1), dashboard=link)))
    buttons = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    opened = next(b for b in buttons if b["action_id"] == actions.OPEN_DASHBOARD)
    assert opened["url"] == url and _check_blocks(view["blocks"], limit=100) is None
    without_url = home_blocks(replace(_home(0, 1), dashboard=replace(link, url=None)))
    assert "PUBLIC_URL" in str(without_url) and url not in str(without_url)
    no_link = home_blocks(_home(1, 0))  # e.g. no signing secret to sign one with
    assert actions.OPEN_DASHBOARD not in str(no_link)


def test_a_member_home_offers_resume_when_paused_and_pause_when_not() -> None:
    blocks = home_blocks(_home(2, 0))
    labels = [b.label for block in blocks if isinstance(block, Actions) for b in block.buttons]
    assert "Pause" in labels and "Resume" in labels and "Leave" in labels
