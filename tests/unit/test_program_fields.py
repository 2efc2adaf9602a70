"""Settings that hold several values (a list of topics, a map of synonyms) work the same
way as the others: one declaration, read from the config file, stored, shown in the
form and read back — as the mentorship settings do. (This kind's keys are its own: the
mentorship kind declares ``topics``, ``synonyms`` and ``matching`` with its own limits.)"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot import forms
from bot.config import ConfigError, load_settings
from bot.kinds import KINDS, Kind, Wording
from bot.kinds import program_form as program_fields
from bot.kinds.config import read_config
from bot.kinds.fields import Choice
from bot.kinds.lists import Meanings, Words
from pairing.models import Member, PastGroup, Plan
from storage.records import ProgramRecord

TOPICS = Words(name="subjects", label="Topics", default=(), what="topics", most=5)
SYNONYMS = Meanings(name="aliases", label="Synonyms", default={}, most=3)
MATCHING = Choice(
    name="match_style",
    label="Matching",
    default="automatic",
    options=(
        forms.Option("automatic", "Automatic"),
        forms.Option("mentee_chooses", "The mentee chooses"),
        forms.Option("lead_decides", "The lead decides"),
    ),
    refused="Choose how people are matched.",
)


class Listed(Kind):
    name = "listed"
    label = "Listed"
    description = "A kind with list, map and choice settings"
    noun = "listed"
    wording = Wording(intro_title="Hello", group="group", groups="groups")
    settings = (TOPICS, SYNONYMS, MATCHING)

    def plan(
        self,
        program: ProgramRecord,
        members: Sequence[Member],
        history: Sequence[PastGroup],
        *,
        seed: int,
        priority: frozenset[str],
    ) -> Plan:
        return Plan(groups=(), seed=seed)


@pytest.fixture(autouse=True)
def listed() -> Iterator[Kind]:
    with KINDS.registered(Listed()) as kind:
        yield kind


TABLE = {
    "name": "m",
    "kind": "listed",
    "subjects": ["public speaking", "Kubernetes"],
    "aliases": {"k8s": "Kubernetes"},
    "match_style": "mentee_chooses",
}


def _record(settings: dict[str, Any]) -> ProgramRecord:
    return ProgramRecord(1, "m", "listed", "every monday at 09:00", settings=settings)


def test_lists_and_maps_go_from_the_config_file_to_storage_and_back(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[programs]]\nname = "m"\nkind = "listed"\nsubjects = ["public speaking", "Kubernetes"]\n'
        'aliases = { k8s = "Kubernetes" }\nmatch_style = "mentee_chooses"\n',
        encoding="utf-8",
    )
    [config] = load_settings(path).programs
    spec = program_fields.spec(config.values)
    assert spec.settings["subjects"] == ["public speaking", "Kubernetes"]  # JSON: a list
    assert spec.settings["aliases"] == {"k8s": "Kubernetes"}
    stored = _record(dict(spec.settings))
    assert TOPICS.of(stored) == ("public speaking", "Kubernetes")
    assert SYNONYMS.of(stored) == {"k8s": "Kubernetes"}
    assert MATCHING.of(stored) == "mentee_chooses"


def test_lists_and_maps_are_shown_in_the_form_and_read_back_unchanged() -> None:
    stored = _record(program_fields.spec(read_config(TABLE)).settings | {})
    form = program_fields.program_form(stored, default_timezone="UTC")
    subjects, aliases = form.field("subjects"), form.field("aliases")
    assert (
        isinstance(subjects, forms.TextField) and subjects.initial == "public speaking, Kubernetes"
    )
    assert isinstance(aliases, forms.TextField) and aliases.initial == "k8s = Kubernetes"
    assert subjects.label == "Topics (listed)"
    answers = {"subjects": subjects.initial, "aliases": "k8s = Kubernetes\nJS → JavaScript"}
    assert TOPICS.read(answers) == ("public speaking", "Kubernetes")
    assert SYNONYMS.read(answers) == {"k8s": "Kubernetes", "JS": "JavaScript"}
    assert MATCHING.read({"match_style": "lead_decides"}) == "lead_decides"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("subjects", "Kubernetes", "Input should be a valid list"),
        ("subjects", ["a", "b", "c", "d", "e", "f"], "List should have at most 5 items"),
        ("subjects", [""], "String should have at least 1 character"),
        ("aliases", ["k8s"], "Input should be a valid dictionary"),
        ("aliases", {"k8s": 8}, "Input should be a valid string"),
        (
            "match_style",
            "random",
            "Input should be 'automatic', 'mentee_chooses' or 'lead_decides'",
        ),
    ],
)
def test_bad_lists_and_maps_in_the_config_file_name_the_key(
    key: str, value: object, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        read_config({**TABLE, key: value})
    error = caught.value.errors()[0]
    assert error["loc"][0] == key and message in error["msg"]


def test_a_bad_list_in_the_config_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[[programs]]\nname = "m"\nsubjects = "Kubernetes"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value).endswith("programs[0] ('m').subjects: Input should be a valid list")


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"subjects": "a, b, c, d, e, f"}, "subjects", "Please name at most 5 topics."),
        ({"aliases": "k8s Kubernetes"}, "aliases", "Write each as “word = meaning”"),
        ({"aliases": "a=1, b=2, c=3, d=4"}, "aliases", "Please give at most 3."),
        ({"match_style": "random"}, "match_style", "Choose how people are matched."),
    ],
)
def test_bad_lists_and_maps_in_the_form_come_back_on_their_field(
    answers: dict[str, str], field: str, message: str
) -> None:
    base = {"name": "m", "kind": "listed", "schedule": "every monday at 09:00"}
    _, errors = program_fields.read({**base, "match_style": "automatic", **answers})
    assert list(errors) == [field] and errors[field].startswith(message)


def test_stored_lists_and_maps_that_cannot_be_read_are_the_defaults() -> None:
    stored = _record({"subjects": "Kubernetes", "aliases": ["k8s"], "match_style": 3})
    assert TOPICS.of(stored) == () and SYNONYMS.of(stored) == {}
    assert MATCHING.of(stored) == "automatic"
