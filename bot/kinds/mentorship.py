"""Mentorship: mentors matched to mentees whose goals their skills meet, for a term.

Members sign up as a mentor (with skills, and how many mentees at once) or a mentee
(with goals). A round is an intake: mentees without a mentor are assigned to mentors'
free places, exactly optimally, never to a former mentor; skills and goals are compared
as the topics they mean (the program's ``topics`` and ``synonyms``). Each match is a
mentorship that lasts ``term_weeks``, with a check-in every ``checkin_every_weeks``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot import forms, readers
from bot.kinds.base import Enrolled, Kind, LeftOut, Phrase, SignupField, Term, Wording
from bot.kinds.fields import Choice, Number
from bot.kinds.lists import Meanings, Words
from pairing.intake import Relationships, plan_choices, plan_for_lead, plan_intake, suggest
from pairing.models import Group, Member, PastGroup, Plan, Role
from storage.records import EnrollmentRecord, ProgramRecord

MAX_CAPACITY = 20  # mentees one mentor may ask for in the signup form
ROLES = (Role.MENTOR.value, Role.MENTEE.value)

MENTOR_CAPACITY = Number(
    name="mentor_capacity",
    form_key="capacity",
    label="Mentees per mentor",
    default=2,
    low=1,
    high=50,
)
TERM_WEEKS = Number(
    name="term_weeks",
    label="Term (weeks)",
    hint="How long a mentorship lasts; both may continue for another term.",
    default=12,
    low=1,
    high=104,
)
CHECKIN_EVERY_WEEKS = Number(
    name="checkin_every_weeks",
    label="Check in every (weeks)",
    hint="“Did you meet since last time?”, and the mentee's progress on each goal.",
    default=2,
    low=1,
    high=26,
)


@dataclass(frozen=True, kw_only=True)
class Matching(Choice):
    """How a match is decided; a form without the field (another kind's program, an
    older form) keeps the default rather than failing."""

    def read(self, answers: forms.Answers) -> str:
        if not forms.text(answers, self.field_name):
            return self.default
        return super().read(answers)


MATCHING = Matching(
    name="matching",
    label="Matching",
    hint="Who decides a match.",
    default="automatic",
    options=(
        forms.Option("automatic", "Automatic", "the engine matches, both are introduced"),
        forms.Option(
            "mentee_chooses",
            "The mentee chooses",
            "from their best 3 suggestions; the mentor accepts or declines",
        ),
        forms.Option(
            "lead_decides",
            "A lead decides",
            "the engine suggests, a lead confirms each match or asks for another",
        ),
    ),
    refused="Choose how mentors and mentees are matched.",
)
NEW_MENTEES = Matching(
    name="new_mentees",
    label="New mentees",
    hint="When someone who joins between intakes gets a mentor.",
    default="at_intake",
    options=(
        forms.Option("at_intake", "At the next intake", "on the program's schedule"),
        forms.Option(
            "on_join",
            "As soon as they join",
            "within minutes, while a suitable mentor has a free place",
        ),
    ),
    refused="Choose when new mentees are matched.",
)
TOPICS = Words(
    name="topics",
    what="topics",
    most=100,
    label="Topics",
    hint="What mentors offer and mentees ask for, comma-separated (e.g. public speaking, "
    "Kubernetes). Free text is matched to these.",
    default=(),
)
SYNONYMS = Meanings(
    name="synonyms",
    most=200,
    label="Synonyms",
    hint="Words people use for a topic, e.g. k8s = Kubernetes, presenting = public speaking "
    "(many are known already).",
    default={},
)


def _role_field(answers: forms.Answers) -> forms.Input:
    return forms.ChoiceField(
        name="role",
        label="Your role",
        hint="Mentorship programs only; coffee programs need no role.",
        optional=True,
        options=(
            forms.Option("mentor", "Mentor", "I'd like to help someone grow"),
            forms.Option("mentee", "Mentee", "I'd like a mentor"),
        ),
        initial=forms.text(answers, "role"),
        style="radio",
    )


def _read_role(answers: forms.Answers) -> Role | None:
    value = forms.text(answers, "role")
    return Role(value) if value in ROLES else None  # anything else is refused on enrolling


def _capacity_field(answers: forms.Answers) -> forms.Input:
    shown = forms.text(answers, "capacity") or ""
    return forms.NumberField(
        name="capacity",
        label="How many mentees at once",
        hint="Mentors only. Leave empty for the program's default.",
        optional=True,
        low=1,
        high=MAX_CAPACITY,
        initial=int(shown) if shown.isdigit() else None,
    )


def _read_capacity(answers: forms.Answers) -> int | None:
    return readers.whole_number(forms.text(answers, "capacity"), low=1, high=MAX_CAPACITY)


class Mentorship(Kind):
    name = "mentorship"
    label = "Mentorship"
    description = "Mentors matched to mentees"
    noun = "mentorship"
    wording = Wording(
        intro_title="🌱 Meet your mentorship match",
        group="mentorship match",
        groups="mentorship matches",
        left_out={
            "no_capacity": LeftOut(
                "every mentor whose skills fit your goals was full",
                "every suitable mentor was full",
            ),
            "no_compatible_mentor": LeftOut(
                "no mentor's skills match your goals yet", "no mentor's skills fit their goals"
            ),
            # a mentor nobody needed is not waiting for a match: nobody tells them
            "no_mentees": LeftOut(
                "no mentee needed your skills this time",
                "no mentee needed their skills this time",
                waiting=False,
            ),
        },
    )
    settings = (
        MENTOR_CAPACITY,
        TERM_WEEKS,
        CHECKIN_EVERY_WEEKS,
        MATCHING,
        NEW_MENTEES,
        TOPICS,
        SYNONYMS,
    )
    signup_fields = (
        SignupField(
            "role",
            after="program",
            field=_role_field,
            read=_read_role,
            prefill=lambda e: e.role.value if e.role is not Role.PEER else None,
        ),
        SignupField(
            "capacity",
            after="goals",
            field=_capacity_field,
            read=_read_capacity,
            prefill=lambda e: str(e.capacity) if e.capacity is not None else None,
        ),
    )

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
        mode = MATCHING.of(program)
        planner = plan_choices if mode == "mentee_chooses" else plan_intake
        if mode == "lead_decides":
            planner = plan_for_lead
        return planner(
            members,
            history,
            relationships or Relationships(),
            seed=seed,
            topics=TOPICS.of(program),
            synonyms=SYNONYMS.of(program),
        )

    def suggest(
        self,
        program: ProgramRecord,
        members: Sequence[Member],
        history: Sequence[PastGroup],
        relationships: Relationships,
        mentee: str,
    ) -> tuple[Group, ...]:
        return suggest(
            members,
            history,
            relationships,
            topics=TOPICS.of(program),
            synonyms=SYNONYMS.of(program),
            only=frozenset({mentee}),
        )

    def topics(self, program: ProgramRecord) -> tuple[tuple[str, ...], Mapping[str, str]]:
        return TOPICS.of(program), SYNONYMS.of(program)

    def term(self, program: ProgramRecord) -> Term:
        return Term(
            TERM_WEEKS.of(program),
            CHECKIN_EVERY_WEEKS.of(program),
            MATCHING.of(program),
            on_join=NEW_MENTEES.of(program) == "on_join",
        )

    def default_capacity(self, program: ProgramRecord) -> int:
        return MENTOR_CAPACITY.of(program)

    def role_in_group(self, user_id: str, mentor: str | None) -> Role:
        return Role.MENTOR if user_id == mentor else Role.MENTEE

    def joining_role(self) -> Role:
        return Role.MENTEE

    def enrolled(
        self, program: ProgramRecord, answers: Mapping[str, Any], errors: dict[str, str]
    ) -> Enrolled:
        role = answers.get("role")
        if not isinstance(role, Role):
            errors["role"] = (
                "This is a mentorship program: choose whether you'll mentor or be mentored."
            )
            role = Role.MENTEE
        if role is Role.MENTOR and not answers.get("skills") and "skills" not in errors:
            errors["skills"] = "Tell mentees what you can help with (for example: Python, career)."
        if role is Role.MENTEE and not answers.get("goals") and "goals" not in errors:
            errors["goals"] = "Tell us what you'd like to learn, so we can find the right mentor."
        if role is not Role.MENTOR:
            return Enrolled(role)
        return Enrolled(role, answers.get("capacity") or MENTOR_CAPACITY.of(program))

    def introduce(self, member: EnrollmentRecord) -> tuple[str | None, tuple[Phrase, ...]]:
        if member.role is Role.MENTOR:
            return "mentor", (Phrase("can help with", member.skills),)
        if member.role is Role.MENTEE:
            return "mentee", (Phrase("wants to grow in", member.goals),)
        return None, ()

    def profile_line(self, program: ProgramRecord, member: EnrollmentRecord) -> str | None:
        if member.role is Role.MENTOR:
            return f"Mentor, up to {member.capacity or MENTOR_CAPACITY.of(program)} mentees"
        return "Mentee" if member.role is Role.MENTEE else None

    def facts(self, program: ProgramRecord) -> tuple[str, ...]:
        facts = [
            f"{MENTOR_CAPACITY.of(program)} mentees per mentor",
            f"{TERM_WEEKS.of(program)}-week terms, check-in every "
            f"{CHECKIN_EVERY_WEEKS.of(program)} weeks",
        ]
        if NEW_MENTEES.of(program) == "on_join":
            facts.append("new mentees matched as soon as they join")
        if TOPICS.of(program):
            facts.append(f"topics: {', '.join(TOPICS.of(program))}")
        return tuple(facts)


MENTORSHIP = Mentorship()
