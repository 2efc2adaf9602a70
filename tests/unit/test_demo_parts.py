"""The demo's pure parts: the company, the repeat-free count, reasons in words, and
messages drawn as boxes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.demo.people import make_people
from bot.demo.report import coffee_repeat_lines, repeat_free, why
from bot.demo.terminal import display_width, message_lines
from bot.viewmodels import GroupHistory, ProgramHistory, RoundHistory
from pairing.models import Reason, ReasonKind

WHEN = datetime(2026, 11, 30, 9, tzinfo=UTC)


def _history(*rounds: list[tuple[str, str, str | None]]) -> ProgramHistory:
    return ProgramHistory(
        program="coffee",
        rounds=tuple(
            RoundHistory(
                number=n,
                created_at=WHEN,
                groups=tuple(GroupHistory((a, b), (a, b), outcome) for a, b, outcome in groups),
            )
            for n, groups in enumerate(rounds, start=1)
        ),
    )


def test_the_same_seed_makes_the_same_company_and_another_seed_another() -> None:
    assert make_people(40, seed=7) == make_people(40, seed=7)
    assert make_people(40, seed=7) != make_people(40, seed=8)


def test_the_company_has_a_lead_first_distinct_names_and_both_mentorship_roles() -> None:
    for count in (4, 12, 40, 500):
        people = make_people(count, seed=1)
        assert people[0].is_admin and not any(p.is_admin for p in people[1:])
        assert len({p.real_name for p in people}) == count
        assert len({p.user_id for p in people}) == count
        roles = [p.mentorship_role for p in people]
        assert roles.count("mentor") >= 1 and roles.count("mentee") >= 2


@pytest.mark.parametrize(
    ("rounds", "expected"),
    [
        (
            [[("a", "b", "met"), ("c", "d", None)], [("a", "c", None), ("b", "d", "met")]],
            (2, 2, 0, 0),
        ),
        ([[("a", "b", "met")], [("a", "c", None)], [("a", "b", None)]], (3, 2, 1, 0)),
        ([[("a", "b", None)], [("a", "b", "met")]], (2, 1, 1, 0)),
        ([[("a", "b", "not_met")], [("a", "b", "met")]], (2, 2, 0, 1)),
    ],
    ids=["no repeats", "a repeat in round 3", "unanswered counts", "re-offer after a miss"],
)
def test_rounds_are_repeat_free_until_a_pair_that_met_is_grouped_again(
    rounds: list[list[tuple[str, str, str | None]]], expected: tuple[int, int, int, int]
) -> None:
    found = repeat_free(_history(*rounds))

    assert (found.rounds, found.repeat_free, found.repeated_pairs, found.reoffered) == expected


def test_the_demo_explains_a_group_in_the_words_of_its_introduction() -> None:
    from bot.builders.reasons import describe_all
    from storage.records import PersonRecord

    people = [
        PersonRecord(1, "U1", "ada", "Ada", team="Sales", time_zone="Europe/London"),
        PersonRecord(2, "U2", "bob", "Bob", team="Platform", time_zone="Europe/London"),
    ]
    reasons = (
        Reason(ReasonKind.SHARED_INTERESTS, items=("chess", "jazz")),
        Reason(ReasonKind.CROSS_TEAM, items=("Platform", "Sales")),
        Reason(ReasonKind.OVERLAPPING_HOURS, minutes=150, window=(540, 690)),
    )

    assert why(reasons, people, WHEN) == " ".join(describe_all(reasons, people, WHEN))
    assert why(reasons, people, WHEN).startswith("You share an interest in chess and jazz. ")
    assert why((), people, WHEN) == "the best fit left."


@pytest.mark.parametrize(
    ("members", "limit_text"),
    [(40, "N−1 = 39 rounds"), (5, "⌊N(N−1)/(N+3)⌋ = 2 rounds"), (41, "⌊N(N−1)/(N+3)⌋ = 37")],
)
def test_the_repeat_free_limit_allows_for_a_trio_when_the_number_is_odd(
    members: int, limit_text: str
) -> None:
    found = repeat_free(_history([("a", "b", "met")]))
    lines = coffee_repeat_lines("coffee", found, members=members)
    assert limit_text in lines[1]
    assert ("odd" in lines[1]) == (members % 2 == 1)


def test_a_message_is_boxed_with_emoji_counted_as_two_columns() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "☕ Meet your coffee match"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "Hi <@U1>! *Bold* and _it_ 🎉"}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "*coffee*"},
            "fields": [{"type": "mrkdwn", "text": f"*Field {i}*\n{i}"} for i in range(3)],
        },
        {
            "type": "actions",
            "elements": [{"type": "button", "text": {"type": "plain_text", "text": "We met"}}],
        },
    ]

    lines = message_lines(blocks, names={"U1": "Ada"})

    assert len({display_width(line) for line in lines}) == 1
    text = "\n".join(lines)
    assert "☕ MEET YOUR COFFEE MATCH" in text
    assert "Hi @Ada! Bold and it 🎉" in text
    assert any("Field 0" in line and "Field 1" in line for line in lines)  # two columns
    assert "[ We met ]" in text
