"""Program kinds are policies in one registry; a program's fields are declared once.

The proof that adding a kind is "a policy and one registration line": a toy kind,
registered here with one line, appears in the program form, in the config file's keys
and in planning, with nothing else touched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from bot import forms
from bot.config import ConfigError, load_settings
from bot.kinds import KINDS, Kind, UnknownKind, Wording, left_out
from bot.kinds import program_form as program_fields
from bot.kinds.coffee import GROUP_SIZE
from bot.kinds.config import read_config
from bot.kinds.fields import Number
from bot.kinds.mentorship import MENTOR_CAPACITY
from bot.services.signup_form import check
from pairing.models import Group, Member, PastGroup, Plan, Role
from storage.records import EnrollmentRecord, PersonRecord, ProgramRecord

TABLE_SIZE = Number(name="table_size", label="People per table", default=4, low=3, high=10)


class Toy(Kind):
    """Everyone at one table, up to ``table_size`` people."""

    name = "toy"
    label = "Toy"
    description = "Everyone at one table"
    noun = "toy"
    wording = Wording(intro_title="🧸 Meet your table", group="table", groups="tables")
    settings = (TABLE_SIZE, GROUP_SIZE)  # a setting of its own, and one it shares with coffee

    def plan(
        self,
        program: ProgramRecord,
        members: Sequence[Member],
        history: Sequence[PastGroup],
        *,
        seed: int,
        priority: frozenset[str],
    ) -> Plan:
        table = frozenset(m.id for m in members[: TABLE_SIZE.of(program)])
        return Plan(groups=(Group(table),), seed=seed)


@pytest.fixture
def toy() -> Iterator[Kind]:
    with KINDS.registered(Toy()) as kind:  # the one registration line
        yield kind


def _program(kind: str = "coffee", **settings: Any) -> ProgramRecord:
    return ProgramRecord(1, "p", kind, "every monday at 09:00", settings=settings)


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_registry_knows_coffee_and_mentorship_and_names_an_unknown_kind_politely() -> None:
    assert KINDS.names() == ("coffee", "mentorship")
    assert KINDS.of(_program("mentorship")).noun == "mentorship"
    assert KINDS.get("tea") is None and KINDS.label("tea") == "unknown kind “tea”"
    with pytest.raises(UnknownKind) as caught:
        KINDS.of(_program("tea"))
    assert "doesn't know" in str(caught.value) and "Traceback" not in str(caught.value)
    with pytest.raises(ValueError, match="registered already"):
        KINDS.add(KINDS.of(_program("coffee")))


def test_a_kind_registered_with_one_line_is_in_the_program_form(toy: Kind) -> None:
    form = program_fields.program_form(None, default_timezone="UTC")
    kind = form.field("kind")
    assert kind is not None and [o.value for o in kind.options] == [  # type: ignore[union-attr]
        "coffee",
        "mentorship",
        "toy",
    ]
    table, size = form.field("table_size"), form.field("group_size")
    assert table is not None and table.label == "People per table (toy)"
    assert size is not None and size.label == "Group size (coffee, toy)"
    answers = {"name": "t", "kind": "toy", "schedule": "every day at 09:00"}
    _, errors = program_fields.read({**answers, "table_size": "11"})
    assert errors == {"table_size": "Please enter a whole number from 3 to 10."}
    values, errors = program_fields.read({**answers, "table_size": "6"})
    assert not errors and program_fields.spec(values).settings["table_size"] == 6


def test_a_kind_registered_with_one_line_is_a_config_key_and_plans_rounds(
    toy: Kind, tmp_path: Path
) -> None:
    toml = '[[programs]]\nname = "t"\nkind = "toy"\ntable_size = 3\n'
    settings = load_settings(_toml(tmp_path, toml))
    [config] = settings.programs
    assert config.kind == "toy" and config.values["table_size"] == 3
    with pytest.raises(ConfigError) as caught:
        load_settings(_toml(tmp_path, '[[programs]]\nname = "t"\ntable_size = 2\n'))
    assert str(caught.value).endswith(
        "programs[0] ('t').table_size: Input should be greater than or equal to 3"
    )
    program = _program("toy", table_size=3)
    members = [Member(id=f"U{i}") for i in range(5)]
    plan = KINDS.of(program).plan(program, members, [], seed=1, priority=frozenset())
    assert [len(g.members) for g in plan.groups] == [3]


def test_without_the_toy_the_config_refuses_its_kind_and_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_toml(tmp_path, '[[programs]]\nname = "t"\nkind = "toy"\n'))
    assert "programs[0] ('t').kind: Input should be 'coffee' or 'mentorship'" in str(caught.value)


def test_each_field_goes_from_config_to_storage_to_the_form_and_back_unchanged() -> None:
    table = {
        "name": "mentoring",
        "kind": "mentorship",
        "channel": "C0MENTOR",
        "join_via_channel": True,
        "schedule": "first monday of the month at 10:00",
        "timezone": "Europe/Berlin",
        "group_size": 3,
        "reoffer_missed": True,
        "mentor_capacity": 4,
        "checkin_after_days": 14,
    }
    spec = program_fields.spec(read_config(table))
    stored = ProgramRecord(
        7, spec.name, spec.kind, spec.schedule, spec.timezone, spec.channel_id,
        spec.checkin_after_days, spec.join_via_channel, spec.active, "config", spec.settings,
    )  # fmt: skip
    assert MENTOR_CAPACITY.of(stored) == 4 and GROUP_SIZE.of(stored) == 3

    form = program_fields.program_form(stored, default_timezone="UTC")
    answers = _submitted_as_shown(form)
    values, errors = program_fields.read(answers)

    assert not errors
    assert program_fields.spec(values) == spec
    assert form.items[0] == forms.Note(program_fields.CONFIG_NOTE)


def _submitted_as_shown(form: Any) -> dict[str, Any]:
    """The answers a client sends for a form nobody changed."""
    answers: dict[str, Any] = {}
    for field in form.fields:
        if isinstance(field, forms.CheckboxesField):
            answers[field.name] = field.initial
        elif field.initial is not None:
            answers[field.name] = str(field.initial)
    return answers


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"group_size": "99"}, "group_size", "Please enter a whole number from 2 to 8."),
        ({"capacity": "0"}, "capacity", "Please enter a whole number from 1 to 50."),
        ({"checkin_days": "x"}, "checkin_days", "Please enter a whole number from 0 to 60."),
        ({"kind": "tea"}, "kind", "Choose coffee or mentorship."),
        ({"channel": "#random"}, "channel", "Please pick a channel from the list."),
        ({"schedule": ""}, "schedule", "When should rounds happen? For example: every "
         "monday at 09:00."),
        ({"timezone": "Mars/Base"}, "timezone", "Unknown time zone; use a name like "
         "Europe/Berlin, not 'Mars/Base'."),
        ({"name": " "}, "name", "Please give the program a name."),
        ({"options": frozenset({"join_via_channel"})}, "channel", "People can only join "
         "through a channel if you pick one."),
    ],
)  # fmt: skip
def test_bad_program_form_answers_get_the_messages_leads_have_always_read(
    answers: dict[str, Any], field: str, message: str
) -> None:
    base = {"name": "coffee", "kind": "coffee", "schedule": "every monday at 09:00"}
    _, errors = program_fields.read({**base, **answers})
    assert errors == {field: message}


def test_stored_settings_that_cannot_be_read_fall_back_to_the_default() -> None:
    program = _program(group_size="eight", mentor_capacity=True, reoffer_missed=1)
    assert GROUP_SIZE.of(program) == 2 and MENTOR_CAPACITY.of(program) == 2
    assert KINDS.of(program).facts(program) == ("groups of 2",)
    mentoring = _program("mentorship", mentor_capacity=7)
    assert KINDS.of(mentoring).facts(mentoring) == (
        "7 mentees per mentor",
        "12-week terms, check-in every 2 weeks",
    )


def test_a_mentorship_asks_for_a_role_and_a_coffee_program_takes_everyone_as_a_peer() -> None:
    mentoring = _program("mentorship", mentor_capacity=3)
    checked = check(mentoring, {"program": "1", "role": "mentor", "skills": "Go"})
    assert not checked.errors
    assert (checked.form.role, checked.form.capacity) == (Role.MENTOR, 3)
    coffee = check(_program("coffee"), {"program": "1", "role": "mentor"})
    assert not coffee.errors and coffee.form.role is Role.PEER and coffee.form.capacity is None
    unknown = check(_program("tea"), {"program": "1"})
    assert "doesn't know" in unknown.errors["program"]


def test_left_out_reasons_are_worded_once_for_the_person_and_once_for_a_lead() -> None:
    mentoring, tea = _program("mentorship"), _program("tea")
    assert left_out(mentoring, "no_capacity").to_them.startswith("every mentor")
    assert not left_out(mentoring, "no_mentees").waiting
    assert left_out(tea, "alone").about_them == "the only one available"
    assert left_out(tea, "something new").to_them == "the numbers didn't work out"


def test_a_kind_says_how_an_introduction_and_a_profile_present_a_member() -> None:
    mentoring = _program("mentorship", mentor_capacity=3)
    person = PersonRecord(1, "U1", "ada")
    mentor = EnrollmentRecord(1, 1, person, role=Role.MENTOR, skills=("Go",))
    tag, phrases = KINDS.of(mentoring).introduce(mentor)
    assert tag == "mentor" and phrases[0].text == "can help with" and phrases[0].items == ("Go",)
    assert KINDS.of(mentoring).profile_line(mentoring, mentor) == "Mentor, up to 3 mentees"
    assert KINDS.of(_program()).introduce(mentor) == (None, ())
