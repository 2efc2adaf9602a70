"""Neutral forms (``bot.forms``) as Slack modals, and a submission back into ``Answers``.

Each field becomes an input block whose block id (and action id) is the field's name,
so a service's error for a field comes back on that block (``response_action:
errors``). Everything is clipped to Slack's limits by ``bot.slack.blockkit``.
"""

from __future__ import annotations

from typing import Any

from bot import forms
from bot.slack import blockkit as bk
from bot.slack import state


def modal(form: forms.Form, *, callback_id: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """The modal for ``form``; ``metadata`` comes back with the submission."""
    blocks = [block(item) for item in form.items]
    return bk.modal(
        callback_id,
        form.title,
        blocks,
        submit=form.submit,
        metadata=state.encode_metadata(metadata),
    )


def block(item: forms.Item) -> dict[str, Any]:
    if isinstance(item, forms.Note):
        return bk.context(item.text)
    return bk.input_block(
        item.name, item.label, element(item), optional=item.optional, hint=item.hint
    )


def element(field: forms.Input) -> dict[str, Any]:
    """The Block Kit element of one field (without its action id)."""
    if isinstance(field, forms.TextField):
        return bk.text_input(
            field.initial,
            max_length=field.max_length,
            multiline=field.multiline,
            placeholder=field.placeholder or "",
        )
    if isinstance(field, forms.NumberField):
        return bk.number_input(field.initial, low=field.low, high=field.high)
    if isinstance(field, forms.ChoiceField):
        kind = "radio_buttons" if field.style == "radio" else "static_select"
        return bk.single_choice(kind, _options(field.options), field.initial)
    if isinstance(field, forms.CheckboxesField):
        return bk.checkboxes(_options(field.options), set(field.initial))
    if isinstance(field, forms.TimeField):
        return bk.timepicker(field.initial)
    return _channel(field)


def answers(view: Any) -> dict[str, forms.Answer]:
    """What was submitted, by field name: text for inputs and choices, the set of ticked
    values for checkboxes. A malformed or forged payload gives fewer answers, never an
    exception; empty answers are left out."""
    found: dict[str, forms.Answer] = {}
    for name, block_state in state.values(view).items():
        if not isinstance(block_state, dict):
            continue
        if "selected_options" in state.element(view, name):
            ticked = frozenset(state.chosen(view, name))
            if ticked:
                found[str(name)] = ticked
            continue
        value = state.text(view, name)
        if value is not None:
            found[str(name)] = value
    return found


def _options(options: tuple[forms.Option, ...]) -> list[dict[str, Any]]:
    return [bk.option(_label(o), o.value, o.description) for o in options]


def _label(option: forms.Option) -> str:
    if not option.qualifier:
        return option.label
    return option.label[: bk.MAX_OPTION_TEXT - len(option.qualifier)] + option.qualifier


def _channel(field: forms.ChannelField) -> dict[str, Any]:
    channel: dict[str, Any] = {
        "type": "conversations_select",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if field.initial:
        channel["initial_conversation"] = field.initial
    return channel
