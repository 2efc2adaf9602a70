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

from pairing.mentorship import plan_mentorship_round
from pairing.models import Member, PastGroup, Plan, Role
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
