"""A neutral form as a Slack modal, and what the client submits back as answers."""

from __future__ import annotations

from bot import forms
from bot.slack import forms as slack_forms
from bot.slack.simulator.driver import state_values
from bot.slack.simulator.view_rules import view_problem

LONG = "Ünïcødé ☕ " * 20

EVERY_FIELD = forms.Form(
    title="Every kind of field",
    items=(
        forms.Note("A line of explanation."),
        forms.TextField(name="short", label="Short", max_length=80, initial="hello"),
        forms.TextField(
            name="long", label="Long", max_length=2000, multiline=True, placeholder="Write"
        ),
        forms.NumberField(name="number", label="Number", low=1, high=9, initial=3, optional=True),
        forms.ChoiceField(
            name="select",
            label="Select",
            options=(forms.Option("a", "A"), forms.Option("b", LONG, qualifier=" (coffee)")),
            initial="b",
        ),
        forms.ChoiceField(
            name="radio",
            label="Radio",
            options=(forms.Option("x", "X", "the first"), forms.Option("y", "Y")),
            style="radio",
        ),
        forms.CheckboxesField(
            name="boxes",
            label="Boxes",
            options=(forms.Option("p", "P"), forms.Option("q", "Q")),
            initial=frozenset({"q"}),
            optional=True,
        ),
        forms.TimeField(name="time", label="Time", initial="09:30", optional=True),
        forms.ChannelField(name="channel", label="Channel", initial="C0CHAN", optional=True),
    ),
)


def _submit(view: dict, values: dict) -> dict:
    return {**view, "state": {"values": state_values(view, values)}}


def test_every_field_renders_as_an_input_block_named_after_the_field() -> None:
    view = slack_forms.modal(EVERY_FIELD, callback_id="cb", metadata={"origin": "home"})
    assert view_problem(view) is None
    assert view["callback_id"] == "cb" and view["private_metadata"] == '{"origin":"home"}'
    blocks = view["blocks"]
    assert blocks[0]["type"] == "context"
    assert [b["block_id"] for b in blocks[1:]] == [f.name for f in EVERY_FIELD.fields]
    types = [b["element"]["type"] for b in blocks[1:]]
    assert types == [
        "plain_text_input",
        "plain_text_input",
        "number_input",
        "static_select",
        "radio_buttons",
        "checkboxes",
        "timepicker",
        "conversations_select",
    ]
    select = blocks[4]["element"]
    assert select["initial_option"]["value"] == "b"
    label = select["options"][1]["text"]["text"]
    assert len(label) <= 75 and label.endswith(" (coffee)")  # the qualifier is never cut


def test_a_submission_reads_back_as_answers_by_field_name() -> None:
    view = slack_forms.modal(EVERY_FIELD, callback_id="cb", metadata={})
    typed = {"long": "more", "radio": "y", "boxes": ["p", "q"], "time": "10:00"}
    answers = slack_forms.answers(_submit(view, typed))
    assert answers == {
        "short": "hello",
        "long": "more",
        "number": "3",
        "select": "b",
        "radio": "y",
        "boxes": frozenset({"p", "q"}),
        "time": "10:00",
        "channel": "C0CHAN",
    }
    assert forms.text(answers, "boxes") is None and forms.chosen(answers, "short") == frozenset()


def test_nothing_ticked_or_typed_is_no_answer() -> None:
    view = slack_forms.modal(EVERY_FIELD, callback_id="cb", metadata={})
    nothing = {f.name: None for f in EVERY_FIELD.fields} | {"boxes": []}
    assert slack_forms.answers(_submit(view, nothing)) == {}
