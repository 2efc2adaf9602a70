"""What a program kind decides: the policy every kind implements.

A kind says how a round is planned (it calls the pure engine), which roles and signup
fields its members have and how their answers are checked, its wording (the
introduction's title and role lines, the announcement's nouns, the reasons someone was
left out), which settings its programs have, and what the dashboard shows about them.
Everything else (storage, delivery, the platforms) is the same for every kind, and no
module outside ``bot.kinds`` asks which kind a program is.

Wording here is plain text; the builders quote people's own words and add markup.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from bot import forms
from bot.kinds.fields import ProgramField
from pairing.intake import Relationships
from pairing.models import Group, Member, PastGroup, Plan, Role
from storage.records import EnrollmentRecord, ProgramRecord


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Why the engine could not place someone, said to them and to a lead."""

    to_them: str  # "you were the only one available"
    about_them: str  # "the only one available"
    waiting: bool = True  # first in line next time, and told so


@dataclass(frozen=True, slots=True)
class Phrase:
    """A line about a member: ``text`` then their own words (quoted by the builder)."""

    text: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Wording:
    intro_title: str  # "☕ Meet your coffee match"
    group: str  # "coffee group", as in "12 coffee groups with 25 people"
    groups: str
    left_out: Mapping[str, LeftOut] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SignupField:
    """A question a kind adds to the signup form, placed after the field ``after``.

    ``field`` builds it from the answers so far; ``read`` checks the answer (raising
    ``ValueError`` with a message for the person; None when not answered); ``prefill``
    is the answer an existing enrollment gave (to edit it).
    """

    name: str
    after: str
    field: Callable[[forms.Answers], forms.Input]
    read: Callable[[forms.Answers], Any]
    prefill: Callable[[EnrollmentRecord], str | None]


@dataclass(frozen=True, slots=True)
class Enrolled:
    """What a kind makes of someone's signup: their role, and how many they take on."""

    role: Role = Role.PEER
    capacity: int | None = None


# Reasons any kind may give (the engine's ``UnmatchedReason`` values).
COMMON_LEFT_OUT: Mapping[str, LeftOut] = {
    "alone": LeftOut("you were the only one available", "the only one available"),
    "no_allowed_partner": LeftOut(
        "the numbers didn't work out", "nobody they could be matched with"
    ),
}


@dataclass(frozen=True, slots=True)
class Term:
    """A relationship's term: its length, how often both are asked "did you meet?", and
    how a match is decided (``automatic``: the engine; ``mentee_chooses``: the mentee
    picks from suggestions, the mentor accepts); ``on_join``: someone who joins (or a
    place that frees up) is matched within minutes, not at the next scheduled round."""

    weeks: int
    checkin_every_weeks: int
    match_mode: str = "automatic"
    on_join: bool = False


class Kind(abc.ABC):
    """One kind of program. Subclasses set the class attributes and ``plan``."""

    name: ClassVar[str]  # stored in programs.kind
    label: ClassVar[str]  # "Coffee", in the program form
    description: ClassVar[str]  # "Random groups that meet for a chat"
    noun: ClassVar[str]  # "coffee": after a program's name in lists
    wording: ClassVar[Wording]
    settings: ClassVar[tuple[ProgramField[Any], ...]] = ()
    signup_fields: ClassVar[tuple[SignupField, ...]] = ()

    @abc.abstractmethod
    def plan(
        self,
        program: ProgramRecord,
        members: Sequence[Member],
        history: Sequence[PastGroup],
        *,
        seed: int,
        priority: frozenset[str],
        relationships: Relationships | None = None,
    ) -> Plan:
        """The round's plan from the pure engine (runs in a worker thread).
        ``relationships``: the program's mentorships, for kinds with a ``term``."""

    def suggest(
        self,
        program: ProgramRecord,
        members: Sequence[Member],
        history: Sequence[PastGroup],
        relationships: Relationships,
        mentee: str,
    ) -> tuple[Group, ...]:
        """``mentee``'s best partners to choose from now, best first (none: the kind
        has no choosing)."""
        return ()

    def topics(self, program: ProgramRecord) -> tuple[tuple[str, ...], Mapping[str, str]]:
        """The program's topic list and synonyms (free text is matched to these)."""
        return (), {}

    def term(self, program: ProgramRecord) -> Term | None:
        """How long a relationship formed by a round lasts (None: a round's groups are
        one-off meetings, nothing that lasts)."""
        return None

    def default_capacity(self, program: ProgramRecord) -> int:
        """How many others a member takes on when they said nothing (0: not a notion)."""
        return 0

    def role_in_group(self, user_id: str, mentor: str | None) -> Role:
        return Role.PEER

    def joining_role(self) -> Role:
        """The role of someone enrolled by joining the program's channel."""
        return Role.PEER

    def enrolled(
        self, program: ProgramRecord, answers: Mapping[str, Any], errors: dict[str, str]
    ) -> Enrolled:
        """The role and capacity from checked signup ``answers``; problems go to ``errors``
        under the field at fault."""
        return Enrolled()

    def introduce(self, member: EnrollmentRecord) -> tuple[str | None, tuple[Phrase, ...]]:
        """How an introduction presents ``member``: a role tag, and what they bring."""
        return None, ()

    def profile_line(self, program: ProgramRecord, member: EnrollmentRecord) -> str | None:
        """A line on ``/mentor profile`` about the member's part in the program."""
        return None

    def facts(self, program: ProgramRecord) -> tuple[str, ...]:
        """The program's settings in a few words, for the dashboard."""
        return ()

    def left_out(self, reason: str) -> LeftOut:
        found = self.wording.left_out.get(reason) or COMMON_LEFT_OUT.get(reason)
        return found or COMMON_LEFT_OUT["no_allowed_partner"]
