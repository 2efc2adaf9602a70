"""A mentorship intake: who is waiting for a mentor, and which mentors have room.

Mentorships last a term, so an intake is not a reshuffle: mentees who have a mentor
(an active or proposed mentorship) stay out of it, mentors bring only their free places
(capacity minus mentees they have now), and no mentee is offered a mentor they had
before. Skills and goals are normalised to what they mean (:mod:`pairing.topics`)
before the exact matcher (:func:`pairing.mentorship.plan_mentorship_round`) runs; among
equally good plans, those waiting longest are matched first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from pairing.mentor_costs import cost_scale
from pairing.mentorship import cost_matrix, match_group, plan_mentorship_round
from pairing.models import Group, Member, PastGroup, Plan, Role, Unmatched, distinct_members
from pairing.models import UnmatchedReason as Why
from pairing.options import MentorshipOptions
from pairing.topics import Vocabulary


@dataclass(frozen=True)
class Relationships:
    """What the program's mentorships say about an intake (user ids throughout)."""

    open: tuple[tuple[str, str], ...] = ()  # (mentor, mentee): active or proposed
    former: tuple[tuple[str, str], ...] = ()  # (mentor, mentee): every earlier one
    waiting: Mapping[str, int] = field(default_factory=dict)  # mentee → days waited


def normalised(member: Member, vocabulary: Vocabulary) -> Member:
    """``member`` with skills and goals as the topics they mean."""
    return replace(
        member,
        skills=frozenset(vocabulary.canonical(s) for s in member.skills),
        goals=frozenset(vocabulary.canonical(g) for g in member.goals),
    )


def vocabulary_for(
    members: Iterable[Member], topics: Sequence[str], synonyms: Mapping[str, str]
) -> Vocabulary:
    """The program's topics and synonyms, plus every skill a mentor offered (so two
    free texts meet too)."""
    offered = sorted({s for m in members if m.role is Role.MENTOR for s in m.skills})
    return Vocabulary.of(topics, synonyms, offered)


def pool(
    members: Sequence[Member], relationships: Relationships, vocabulary: Vocabulary
) -> list[Member]:
    """Who takes part in the intake: mentees without a mentor, mentors with room (their
    capacity reduced to the free places), skills and goals normalised."""
    busy = {mentee for _, mentee in relationships.open}
    taken = Counter(mentor for mentor, _ in relationships.open)
    found = []
    for member in members:
        if member.role is Role.MENTEE and member.id in busy:
            continue
        if member.role is Role.MENTOR:
            free = member.capacity - taken[member.id]
            if free <= 0:
                continue
            member = replace(member, capacity=free)
        found.append(normalised(member, vocabulary))
    return found


def plan_intake(
    members: Sequence[Member],
    history: Iterable[PastGroup],
    relationships: Relationships,
    *,
    seed: int,
    topics: Sequence[str] = (),
    synonyms: Mapping[str, str] | None = None,
    options: MentorshipOptions = MentorshipOptions(),  # noqa: B008 - frozen, safe default
) -> Plan:
    vocabulary = vocabulary_for(members, topics, synonyms or {})
    people = pool(members, relationships, vocabulary)
    earlier = [
        PastGroup(round=0, members=frozenset(pair))
        for pair in (*relationships.former, *relationships.open)
    ]
    return plan_mentorship_round(
        people,
        [*history, *earlier],
        seed=seed,
        options=options,
        waiting=relationships.waiting,
    )


SUGGESTIONS = 3


def suggest(
    members: Sequence[Member],
    history: Iterable[PastGroup],
    relationships: Relationships,
    *,
    topics: Sequence[str] = (),
    synonyms: Mapping[str, str] | None = None,
    options: MentorshipOptions = MentorshipOptions(),  # noqa: B008 - frozen, safe default
    per_mentee: int = SUGGESTIONS,
    only: frozenset[str] | None = None,
) -> tuple[Group, ...]:
    """For each waiting mentee (or those in ``only``): their ``per_mentee`` best mentors
    with free places, by :func:`pairing.scoring.mentorship_score` (ties: mentor id),
    never a former mentor, each a (mentor, mentee) group with its reasons."""
    vocabulary = vocabulary_for(members, topics, synonyms or {})
    people = distinct_members(pool(members, relationships, vocabulary))
    mentors = np.array([k for k, m in enumerate(people) if m.role is Role.MENTOR], np.int64)
    mentees = np.array(
        [
            k
            for k, m in enumerate(people)
            if m.role is Role.MENTEE and (only is None or m.id in only)
        ],
        np.int64,
    )
    earlier = [
        PastGroup(round=0, members=frozenset(pair))
        for pair in (*relationships.former, *relationships.open)
    ]
    scale = cost_scale(options.weights)
    costs = cost_matrix(people, [*history, *earlier], options, mentors, mentees, scale)
    found: list[Group] = []
    for row, mentee in enumerate(mentees.tolist()):
        allowed = [c for c in range(len(mentors)) if costs[row, c] > 0]
        allowed.sort(key=lambda c: (-int(costs[row, c]), people[int(mentors[c])].id))
        for c in allowed[:per_mentee]:
            found.append(match_group(people[int(mentors[c])], people[mentee], options))
    return tuple(found)


def plan_choices(
    members: Sequence[Member],
    history: Iterable[PastGroup],
    relationships: Relationships,
    *,
    seed: int,
    topics: Sequence[str] = (),
    synonyms: Mapping[str, str] | None = None,
    options: MentorshipOptions = MentorshipOptions(),  # noqa: B008 - frozen, safe default
) -> Plan:
    """An intake where each mentee chooses: no groups, every waiting mentee's best
    suggestions instead."""
    found = suggest(
        members, history, relationships, topics=topics, synonyms=synonyms, options=options
    )
    mentees = {g.members[1] for g in found}
    vocabulary = vocabulary_for(members, topics, synonyms or {})
    waiting = [m.id for m in pool(members, relationships, vocabulary) if m.role is Role.MENTEE]
    return Plan(
        groups=(),
        unmatched=tuple(
            Unmatched(m, Why.NO_COMPATIBLE_MENTOR) for m in waiting if m not in mentees
        ),
        seed=seed,
        notes=(
            f"{len(mentees)} mentee{'s' if len(mentees) != 1 else ''} got suggestions to "
            "choose from",
        ),
        suggestions=found,
    )


def plan_for_lead(
    members: Sequence[Member],
    history: Iterable[PastGroup],
    relationships: Relationships,
    *,
    seed: int,
    topics: Sequence[str] = (),
    synonyms: Mapping[str, str] | None = None,
    options: MentorshipOptions = MentorshipOptions(),  # noqa: B008 - frozen, safe default
) -> Plan:
    """An intake a lead decides: the exact optimum as proposals (``suggestions``, one
    per mentee) for a lead to confirm, and no group decided yet."""
    plan = plan_intake(
        members, history, relationships, seed=seed, topics=topics, synonyms=synonyms,
        options=options,
    )  # fmt: skip
    return Plan(
        groups=(),
        unmatched=plan.unmatched,
        seed=seed,
        score=plan.score,
        notes=(*plan.notes, f"{len(plan.groups)} matches proposed for a lead to confirm"),
        suggestions=plan.groups,
    )


@dataclass(frozen=True)
class GapLine:
    topic: str
    wanting: int  # mentees waiting for a mentor who want it
    offering: int  # mentors who offer it


@dataclass(frozen=True)
class SkillsGap:
    """Per topic, mentees waiting vs mentors offering (whom to recruit), and the terms
    people asked for that are no topic of the program (what to add)."""

    lines: tuple[GapLine, ...]
    unmatched: tuple[tuple[str, int], ...]  # term, how many asked for it


def skills_gap(
    waiting_goals: Sequence[Sequence[str]],
    offered_skills: Sequence[Sequence[str]],
    *,
    topics: Sequence[str] = (),
    synonyms: Mapping[str, str] | None = None,
) -> SkillsGap:
    """``waiting_goals``: each waiting mentee's goals; ``offered_skills``: each mentor's
    skills (free text, normalised as the matcher does). Biggest gap first."""
    offered = sorted({s for skills in offered_skills for s in skills})
    vocabulary = Vocabulary.of(topics, synonyms or {}, offered)
    wanting: Counter[str] = Counter()
    offering: Counter[str] = Counter()
    for goals in waiting_goals:
        wanting.update({vocabulary.canonical(g) for g in goals if g.strip()})
    for skills in offered_skills:
        offering.update({vocabulary.canonical(s) for s in skills if s.strip()})
    names = set(wanting) | {vocabulary.canonical(t) for t in topics}
    lines = sorted(
        (GapLine(t, wanting[t], offering[t]) for t in names if wanting[t] or offering[t]),
        key=lambda g: (-(g.wanting - g.offering), -g.wanting, g.topic),
    )
    asked = [g for goals in waiting_goals for g in goals]
    unmatched = tuple(vocabulary.unmatched(asked).items()) if topics else ()
    return SkillsGap(tuple(lines), unmatched)
