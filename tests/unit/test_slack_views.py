"""The signup and program modals: Slack's rules hold for any data, and a submission reads
back into the form the services check."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot import forms
from bot.kinds import program_form
from bot.services.signup import SignupDraft
from bot.services.signup_form import check
from bot.slack import state
from bot.slack.simulator.driver import state_values
from bot.slack.simulator.view_rules import view_problem
from bot.slack.views_program import editing, program_input, program_view
from bot.slack.views_signup import signup_input, signup_view
from storage.records import ProgramRecord

LONG = "Ünïcødé ☕ " * 40


def program(pid: int, name: str = "coffee", kind: str = "coffee", **extra: Any) -> ProgramRecord:
    return ProgramRecord(pid, name, kind, "every monday at 09:00", **extra)


def draft(*programs: ProgramRecord, answers: forms.Answers | None = None) -> SignupDraft:
    return SignupDraft(programs, programs[0], answers or {"program": str(programs[0].id)})


def read(view: dict) -> dict[str, Any]:
    """The program form's submitted values, as the service reads them."""
    values, errors = program_form.read(program_input(view))
    assert not errors
    return values


def submitted(view: dict, values: dict) -> dict:
    return {**view, "state": {"values": state_values(view, values)}}


def block_ids(view: dict) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if "block_id" in b]


def test_a_coffee_only_form_asks_no_role() -> None:
    view = signup_view(draft(program(1)), {})
    assert "role" not in block_ids(view) and "capacity" not in block_ids(view)
    assert view_problem(view) is None


def test_a_form_with_a_mentorship_program_offers_role_and_capacity() -> None:
    view = signup_view(draft(program(1), program(2, "mentoring", "mentorship")), {})
    assert {"role", "capacity"} <= set(block_ids(view))


@pytest.mark.parametrize("count", [1, 99, 100, 101, 250])
def test_any_number_of_programs_with_any_names_makes_a_valid_form(count: int) -> None:
    programs = [
        program(i + 1, f"{LONG}{i}", "mentorship" if i % 2 else "coffee") for i in range(count)
    ]
    answers = {
        "program": "1",
        "interests": ", ".join([LONG[:59]] * 40),
        "team": LONG,
        "capacity": "7",
        "role": "mentor",
        "work_start": "07:30",
        "work_end": "16:00",
    }
    view = signup_view(
        draft(*programs, answers=answers), {"response_url": "https://x/" + "y" * 5000}
    )
    assert view_problem(view) is None
    assert len(view["private_metadata"]) <= 3000


def test_what_the_client_submits_reads_back_into_the_form() -> None:
    answers = {"program": "1", "work_start": "09:00", "work_end": "17:00"}
    both = draft(program(1), program(2, "mentoring", "mentorship"), answers=answers)
    view = signup_view(both, {"channel": "C1"})
    values = {
        "program": "2",
        "role": "mentor",
        "skills": "Python, SQL",
        "capacity": "3",
        "preferences": ["prefer_cross_team"],
        "work_start": "08:00",
    }
    form = signup_input(submitted(view, values))
    assert form["program"] == "2" and form["role"] == "mentor" and form["capacity"] == "3"
    assert form["skills"] == "Python, SQL" and form["preferences"] == {"prefer_cross_team"}
    assert form["work_start"] == "08:00" and form["work_end"] == "17:00"  # kept as shown
    assert state.metadata(submitted(view, values)) == {"channel": "C1"}


@pytest.mark.parametrize(
    "view",
    [
        {},
        {"state": None},
        {"state": {"values": []}},
        {"state": {"values": {"program": "x", "role": {"role": None}}}},
        {"state": {"values": {"preferences": {"p": {"selected_options": [1, None]}}}}},
        {"private_metadata": "{not json"},
        {"private_metadata": json.dumps([1, 2])},
    ],
)
def test_a_malformed_submission_reads_as_an_empty_form(view: dict) -> None:
    assert signup_input(view) == {}
    assert state.metadata(view) == {}


CHECKS = [
    ("coffee, nothing else", program(1), {"program": "1"}, set()),
    ("no program", None, {}, {"program"}),
    ("mentorship, no role", program(2, kind="mentorship"), {"goals": "x"}, {"role"}),
    (
        "mentor without skills",
        program(2, kind="mentorship"),
        {"role": "mentor"},
        {"skills"},
    ),
    ("mentee without goals", program(2, kind="mentorship"), {"role": "mentee"}, {"goals"}),
    ("forged role", program(2, kind="mentorship"), {"role": "boss", "goals": "x"}, {"role"}),
    ("capacity 0", program(1), {"capacity": "0"}, {"capacity"}),
    ("capacity 2.5", program(1), {"capacity": "2.5"}, {"capacity"}),
    (
        "too many tags",
        program(1),
        {"interests": ",".join(map(str, range(30)))},
        {"interests"},
    ),
    ("a tag too long", program(1), {"skills": "x" * 61}, {"skills"}),
    ("team too long", program(1), {"team": "t" * 81}, {"team"}),
    ("bad time", program(1), {"work_start": "25:00"}, {"work_start"}),
    ("no hours", program(1), {"work_start": "09:00", "work_end": "09:00"}, {"work_end"}),
]


@pytest.mark.parametrize(("case", "chosen", "form", "fields"), CHECKS, ids=[c[0] for c in CHECKS])
def test_signup_checks_name_each_field_at_fault(
    case: str, chosen: ProgramRecord | None, form: forms.Answers, fields: set[str]
) -> None:
    assert set(check(chosen, form).errors) == fields


def test_a_night_shift_runs_past_midnight() -> None:
    checked = check(program(1), {"work_start": "22:00", "work_end": "06:00"})
    assert not checked.errors
    assert checked.hours == (22 * 60, 6 * 60)


def test_a_mentor_without_capacity_gets_the_programs_default() -> None:
    checked = check(
        program(2, kind="mentorship", settings={"mentor_capacity": 4}),
        {"role": "mentor", "skills": "Go"},
    )
    assert checked.form.capacity == 4


def test_the_program_form_is_valid_new_and_filled_in() -> None:
    for existing in (None, program(3, LONG, "mentorship", channel_id="C1", source="config")):
        view = program_view(existing, default_timezone="Europe/Berlin", metadata={"program_id": 3})
        assert view_problem(view) is None
    submission = submitted(view, {"options": ["inactive"]})
    answers = program_input(submission)
    assert editing(submission) == 3 and answers["channel"] == "C1"
    form, _ = program_form.read(answers)
    assert form["active"] is False
    assert form["kind"] == "mentorship" and form["schedule"] == "every monday at 09:00"


def test_errors_go_on_fields_the_view_has() -> None:
    view = signup_view(draft(program(1)), {})
    shown = state.errors_for(view, {"role": "pick one", "interests": "too long"}, "program")
    assert shown == {"program": "pick one", "interests": "too long"}
    assert state.errors_for({"blocks": []}, {"x": "y"}, "program") == {}


def test_missed_meetings_get_another_chance_only_when_the_lead_ticks_it() -> None:
    view = program_view(None, default_timezone="UTC", metadata={})
    named = {"name": "coffee"}
    assert read(submitted(view, named))["reoffer_missed"] is False
    assert read(submitted(view, {**named, "options": ["reoffer_missed"]}))["reoffer_missed"]
    ticked = program_view(
        program(4, settings={"reoffer_missed": True}), default_timezone="UTC", metadata={}
    )
    assert read(submitted(ticked, {}))["reoffer_missed"] is True
