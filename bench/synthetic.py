"""Realistic synthetic members for benchmarks, tests and the demo (pure, seeded).

A company of departments made of teams of varied (odd and even) sizes, spread over
eight time zones with ordinary office hours and a few early/late shifts, interests drawn
from a vocabulary with popular and rare topics, and some people who prefer to meet
outside their team. Mentorship adds mentors with skills and mentees with goals.
"""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np

from pairing.models import Member, Role

# (minutes east of UTC, share of people)
TIME_ZONES = (
    (-480, 0.10),
    (-300, 0.18),
    (-180, 0.05),
    (0, 0.17),
    (60, 0.20),
    (120, 0.10),
    (330, 0.12),
    (540, 0.08),
)
INTERESTS = tuple(f"interest-{k:02d}" for k in range(40))
SKILLS = tuple(f"skill-{k:02d}" for k in range(30))
SHIFTS = (
    (9 * 60, 17 * 60, 0.75),
    (8 * 60, 16 * 60, 0.12),
    (10 * 60, 18 * 60, 0.10),
    (22 * 60, 6 * 60, 0.03),
)


def _zipf_choice(rng: np.random.Generator, items: tuple[str, ...], count: int) -> frozenset[str]:
    p = 1.0 / np.arange(1, len(items) + 1)
    p /= p.sum()
    picked = rng.choice(len(items), size=min(count, len(items)), replace=False, p=p)
    return frozenset(items[k] for k in picked.tolist())


def _team_sizes(rng: np.random.Generator, n: int) -> list[int]:
    sizes: list[int] = []
    while sum(sizes) < n:
        sizes.append(int(rng.integers(3, 16)))
    sizes[-1] -= sum(sizes) - n
    if sizes[-1] <= 0:
        sizes.pop()
    return sizes


def synthetic_members(
    n: int,
    *,
    seed: int,
    prefix: str = "U",
    managers: bool = False,
    cross_team_share: float = 0.3,
) -> list[Member]:
    """``n`` peers for coffee rounds. ``managers`` fills reporting lines (team leads)."""
    rng = np.random.default_rng(seed)
    sizes = _team_sizes(rng, n)
    departments = max(1, round(len(sizes) / 12))
    zones = np.array([z for z, _ in TIME_ZONES])
    zone_p = np.array([p for _, p in TIME_ZONES])
    shift_p = np.array([p for *_, p in SHIFTS])
    members: list[Member] = []
    person = 0
    for t, size in enumerate(sizes):
        dept = int(rng.integers(departments))
        # teams mostly sit in one zone, with some remote members
        home = int(rng.choice(len(zones), p=zone_p))
        lead = f"{prefix}{person:06d}"
        for k in range(size):
            zone = home if rng.random() < 0.8 else int(rng.choice(len(zones), p=zone_p))
            start, end, _ = SHIFTS[int(rng.choice(len(SHIFTS), p=shift_p))]
            member_id = f"{prefix}{person:06d}"
            members.append(
                Member(
                    id=member_id,
                    utc_offset=int(zones[zone]),
                    work_start=start,
                    work_end=end,
                    team=f"team-{t:05d}",
                    department=f"dept-{dept:03d}",
                    managers=(lead,) if managers and k > 0 else (),
                    interests=_zipf_choice(rng, INTERESTS, int(rng.integers(1, 5))),
                    prefers_cross_team=bool(rng.random() < cross_team_share),
                )
            )
            person += 1
    return members


def synthetic_mentorship(mentees: int, mentors: int, *, capacity: int, seed: int) -> list[Member]:
    """Mentors (skills, seniority, ``capacity``) and mentees (goals) of one program."""
    rng = np.random.default_rng(seed)
    zones = np.array([z for z, _ in TIME_ZONES])
    zone_p = np.array([p for _, p in TIME_ZONES])
    people = synthetic_members(mentees + mentors, seed=seed + 1, prefix="M")
    result: list[Member] = []
    for k, base in enumerate(people):
        zone = int(zones[int(rng.choice(len(zones), p=zone_p))])
        if k < mentors:
            result.append(
                Member(
                    id=base.id,
                    utc_offset=zone,
                    team=base.team,
                    department=base.department,
                    role=Role.MENTOR,
                    skills=_zipf_choice(rng, SKILLS, int(rng.integers(2, 7))),
                    seniority=int(rng.integers(3, 8)),
                    capacity=capacity,
                )
            )
        else:
            result.append(
                Member(
                    id=base.id,
                    utc_offset=zone,
                    team=base.team,
                    department=base.department,
                    role=Role.MENTEE,
                    goals=_zipf_choice(rng, SKILLS, int(rng.integers(1, 4))),
                    seniority=int(rng.integers(0, 5)),
                )
            )
    return result


def churn_members(n: int, rounds: int, rate: float, seed: int) -> list[list[Member]]:
    """Membership per round: ``rate`` leave for good and as many join; a few pause."""
    rng = random.Random(seed)
    pool = synthetic_members(n + int(rounds * rate * n) + 10, seed=seed)
    active, waiting = list(pool[:n]), list(pool[n:])
    result = []
    for _ in range(rounds):
        paused = set(rng.sample(range(len(active)), int(0.02 * n)))
        result.append([m for i, m in enumerate(active) if i not in paused])
        leaving = set(rng.sample(range(len(active)), int(rate * n)))
        active = [m for i, m in enumerate(active) if i not in leaving]
        active += [waiting.pop() for _ in range(int(rate * n))]
    return result


def rival_departments(sizes: tuple[int, ...] = (334, 333, 333)) -> list[Member]:
    """The adversarial case for repeat-free pairs: a few large departments, two of them
    odd, where everyone prefers to meet other departments (one team per department).

    With a strong cross-team weight a greedy matcher uses up the pairs between the odd
    departments first and strands them long before N - 1 rounds.
    """
    members: list[Member] = []
    for d, size in enumerate(sizes):
        for _ in range(size):
            k = len(members)
            members.append(
                Member(
                    id=f"D{k:06d}",
                    team=f"dept-{d}",
                    department=f"dept-{d}",
                    interests=frozenset({INTERESTS[k % 7]}),
                    prefers_cross_team=True,
                )
            )
    return members


def odd_minutes(members: list[Member], *, seed: int) -> list[Member]:
    """The same people with working hours at odd minutes (08:50-17:05 and the like), as
    the signup form allows: every pair's shared minutes fall off the half-hour lattice."""
    rng = np.random.default_rng(seed)
    result = []
    for m in members:
        start = int(rng.integers(7 * 60, 10 * 60))
        end = start + int(rng.integers(6 * 60, 9 * 60 + 30))
        result.append(replace(m, work_start=start, work_end=end % (24 * 60)))
    return result
