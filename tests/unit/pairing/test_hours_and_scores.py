"""Working-hours overlap and the public score functions."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pairing.hours import overlap_minutes, shared_window
from pairing.models import Member, ReasonKind
from pairing.options import Weights
from pairing.reasons import hours_reason
from pairing.scoring import coffee_group_score, coffee_pair_score, mentorship_score
from pairing.table import MemberTable, coffee_score_block, coffee_scores, mentorship_scores

H = 60


@pytest.mark.parametrize(
    ("a", "b", "minutes", "window"),
    [
        # same zone, same hours: the whole day, 09:00-17:00 UTC
        (Member("a"), Member("b"), 8 * H, (9 * H, 17 * H)),
        # Berlin summer (+2h) and New York (-4h): 13:00-15:00 UTC
        (Member("a", utc_offset=120), Member("b", utc_offset=-240), 2 * H, (13 * H, 15 * H)),
        # Tokyo (+9h) and San Francisco (-7h): 00:00-00:00, i.e. no overlap at all
        (Member("a", utc_offset=540), Member("b", utc_offset=-420), 0, None),
        # Sydney (+10h) 08-18 and London (0) 07-09: 07:00-08:00 UTC
        (
            Member("a", utc_offset=600, work_start=8 * H, work_end=18 * H),
            Member("b", work_start=7 * H, work_end=9 * H),
            1 * H,
            (7 * H, 8 * H),
        ),
        # a night shift 22:00-06:00 UTC and an early shift 04:00-12:00: 04:00-06:00
        (
            Member("a", work_start=22 * H, work_end=6 * H),
            Member("b", work_start=4 * H, work_end=12 * H),
            2 * H,
            (4 * H, 6 * H),
        ),
        # New York (-5h) 18:00-23:00 is 23:00-04:00 UTC; with a 22:00-02:00 UTC shift the
        # shared window wraps past midnight: 23:00 to 02:00 next day
        (
            Member("a", utc_offset=-300, work_start=18 * H, work_end=23 * H),
            Member("b", work_start=22 * H, work_end=2 * H),
            3 * H,
            (23 * H, 26 * H),
        ),
    ],
)
def test_overlap_is_measured_on_the_utc_clock(a, b, minutes, window):
    assert overlap_minutes(a, b) == minutes
    assert shared_window([a, b]) == (minutes, window)


def test_no_overlap_reason_when_hours_never_meet():
    reason = hours_reason([Member("a", utc_offset=540), Member("b", utc_offset=-420)])
    assert reason.kind == ReasonKind.NO_OVERLAP


def test_overlap_reason_carries_minutes_and_window():
    reason = hours_reason([Member("a", utc_offset=120), Member("b", utc_offset=-240)])
    assert (reason.kind, reason.minutes, reason.window) == (
        ReasonKind.OVERLAPPING_HOURS,
        120,
        (13 * H, 15 * H),
    )


def test_pairs_with_no_overlap_score_below_any_pair_that_overlaps():
    w = Weights()
    far = coffee_pair_score(Member("a", utc_offset=540), Member("b", utc_offset=-420), w)
    near = coffee_pair_score(Member("a", utc_offset=540), Member("b", utc_offset=480), w)
    assert far < 0 < near


def test_cross_team_preference_adds_to_the_score():
    w = Weights()
    keen = Member("a", team="x", prefers_cross_team=True)
    same = coffee_pair_score(keen, Member("b", team="x"), w)
    other = coffee_pair_score(keen, Member("b", team="y"), w)
    assert other == pytest.approx(same + w.cross_team + w.prefers_cross_team)


def test_group_score_is_the_sum_over_its_pairs():
    w = Weights()
    a, b, c = Member("a", interests=frozenset({"go"})), Member("b"), Member("c", utc_offset=60)
    total = coffee_pair_score(a, b, w) + coffee_pair_score(a, c, w) + coffee_pair_score(b, c, w)
    assert coffee_group_score([a, b, c], w) == pytest.approx(total)


def test_mentor_who_covers_no_goal_scores_zero():
    mentor = Member("m", skills=frozenset({"go"}))
    assert mentorship_score(mentor, Member("e", goals=frozenset({"rust"})), Weights()) == 0.0


offsets = st.sampled_from([-600, -420, -300, 0, 60, 120, 330, 345, 540, 600, 780])
minutes = st.integers(0, 24 * 60)
words = st.frozensets(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=4)
members = st.builds(
    Member,
    id=st.just("x"),
    utc_offset=offsets,
    work_start=minutes,
    work_end=minutes,
    team=st.sampled_from([None, "t1", "t2"]),
    interests=words,
    prefers_cross_team=st.booleans(),
    skills=words,
    goals=words,
    seniority=st.integers(0, 6),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(members, min_size=2, max_size=12))
def test_vectorised_scores_equal_the_public_functions(people):
    people = [
        Member(**{**{s: getattr(p, s) for s in p.__slots__}, "id": f"m{k}"})
        for k, p in enumerate(people)
    ]
    table = MemberTable.of(people)
    n = len(people)
    i, j = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), indexing="ij"))
    w = Weights()
    coffee = coffee_scores(table, i, j, w)
    mentor = mentorship_scores(table, i, j, w)
    for k in range(len(i)):
        a, b = people[i[k]], people[j[k]]
        assert coffee[k] == coffee_pair_score(a, b, w)
        assert mentor[k] == mentorship_score(a, b, w)
        assert shared_window([a, b])[0] == overlap_minutes(a, b)
    everyone = np.arange(n)
    assert (coffee_score_block(table, everyone, everyone, w) == coffee.reshape(n, n)).all()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(members, min_size=2, max_size=30),
    st.integers(1, 70),
    st.sampled_from([10, 1 << 16]),
)
def test_dense_score_blocks_equal_the_general_function(people, many, table_limit):
    """Both ways of filling a block (one table of every score, or a matrix per term),
    with interests spread over several 64-bit words."""
    people = [
        Member(
            **{
                **{s: getattr(p, s) for s in p.__slots__},
                "id": f"m{k}",
                "interests": p.interests | {f"w{(k * many + x) % 150}" for x in range(k % 5)},
            }
        )
        for k, p in enumerate(people)
    ]
    table = MemberTable.of(people)
    n = len(people)
    rows, cols = np.arange(n), np.arange(n)[::-1][: max(1, n - 3)]
    w = Weights(max_shared_interests=1 + many % 5, shared_interest=0.7)
    expected = coffee_scores(table, rows[:, None], cols[None, :], w)
    with patch("pairing.table.MAX_SCORE_TABLE", table_limit):
        assert (coffee_score_block(table, rows, cols, w) == expected).all()
