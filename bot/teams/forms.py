"""Neutral forms (``bot.forms``) as Adaptive Cards for a Teams dialog, and what a dialog
submits read back into the same ``Answers`` the services take.

Each field is an input whose id is the field's name: text, number, a drop-down or radio
buttons, checkboxes (a multi-select choice set: Teams submits ``"a,b"``), a time. A
channel is picked from the channels of teams mentorbot has seen, or typed as an id when
it knows none. Required fields are checked by the Teams client as well; every answer is
checked again by the service, and its messages come back under the field at fault
(``errors``), with what the person typed kept (``values``).

The submit button carries which form this is and which fields are checkboxes, so the
answers can be read back without trusting anything else in the payload.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot import forms
from bot.teams.markdown import card_text

VERSION = "1.5"
FORM = "mentorbot_form"
LISTS = "mentorbot_lists"
CONTEXT = "mentorbot_context"
MAX_ANSWERS = 40
MAX_ANSWER = 4000
NO_CHANNEL = ""


def form_card(
    form: forms.Form,
    which: str,
    *,
    context: Mapping[str, Any] | None = None,
    values: forms.Answers | None = None,
    errors: Mapping[str, str] | None = None,
    channels: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The dialog's card. ``values`` override the fields' initial values (after a refused
    submission); ``errors`` are shown under their fields (others at the top)."""
    errors = dict(errors or {})
    names = {f.name for f in form.fields}
    body: list[dict[str, Any]] = [
        _problem(text) for name, text in errors.items() if name not in names
    ]
    for item in form.items:
        if isinstance(item, forms.Note):
            body.append(_small(item.text))
            continue
        body.append(_input(item, values, channels))
        if item.hint:
            body.append(_small(item.hint))
        if item.name in errors:
            body.append(_problem(errors[item.name]))
    lists = [f.name for f in form.fields if isinstance(f, forms.CheckboxesField)]
    submit = {
        "type": "Action.Submit",
        "title": form.submit,
        "style": "positive",
        "data": {FORM: which, LISTS: lists, CONTEXT: dict(context or {})},
    }
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": VERSION,
        "body": body,
        "actions": [submit],
    }


def answers_from(data: object) -> forms.Answers:
    """The answers in a dialog's submission (never an exception: anything that is not
    text is dropped, and the service says what is missing)."""
    if not isinstance(data, dict):
        return {}
    lists = data.get(LISTS)
    ticked = {n for n in lists if isinstance(n, str)} if isinstance(lists, list) else set()
    found: dict[str, forms.Answer] = {}
    for name, value in list(data.items())[:MAX_ANSWERS]:
        if not isinstance(name, str) or name in (FORM, LISTS, CONTEXT, "msteams"):
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            continue
        if name in ticked:
            chosen = frozenset(v.strip()[:MAX_ANSWER] for v in value.split(",") if v.strip())
            if chosen:
                found[name] = chosen
        elif value.strip():
            found[name] = value[:MAX_ANSWER]
    return found


def _input(
    field: forms.Input, values: forms.Answers | None, channels: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    given = (values or {}).get(field.name) if values is not None else None
    common: dict[str, Any] = {
        "id": field.name,
        "label": field.label,
        "isRequired": not field.optional,
        "errorMessage": f"{field.label} is needed.",
    }
    if isinstance(field, forms.TextField):
        text = given if isinstance(given, str) else field.initial
        data = {"type": "Input.Text", "maxLength": field.max_length, "isMultiline": field.multiline}
        if field.placeholder:
            data["placeholder"] = field.placeholder
        return {**common, **data, **({"value": text} if text else {})}
    if isinstance(field, forms.NumberField):
        number = given if isinstance(given, str) else field.initial
        data = {"type": "Input.Number", "min": field.low, "max": field.high}
        return {**common, **data, **({"value": _number(number)} if number is not None else {})}
    if isinstance(field, forms.TimeField):
        time = given if isinstance(given, str) else field.initial
        return {**common, "type": "Input.Time", **({"value": time} if time else {})}
    if isinstance(field, forms.ChoiceField):
        picked = given if isinstance(given, str) else field.initial
        style = "expanded" if field.style == "radio" else "compact"
        return {**common, **_choices(field.options, style, False), **_value(picked)}
    if isinstance(field, forms.CheckboxesField):
        ticked = given if isinstance(given, frozenset) else field.initial
        return {
            **common,
            **_choices(field.options, "expanded", True),
            **_value(",".join(sorted(ticked))),
        }
    return _channel(field, common, given, channels)


def _channel(
    field: forms.ChannelField,
    common: dict[str, Any],
    given: forms.Answer | None,
    channels: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    picked = given if isinstance(given, str) else field.initial
    known = list(channels)
    if picked and picked not in {c for c, _ in known}:
        known.append((picked, picked))
    if not known:
        hint = "the channel's id, 19:…@thread.tacv2 (mentorbot has not seen a team yet)"
        return {**common, "type": "Input.Text", "placeholder": hint, **_value(picked)}
    options = [forms.Option(channel, name) for channel, name in known]
    return {**common, **_choices(tuple(options), "compact", False), **_value(picked)}


def _choices(options: Sequence[forms.Option], style: str, multi: bool) -> dict[str, Any]:
    return {
        "type": "Input.ChoiceSet",
        "style": style,
        "isMultiSelect": multi,
        "choices": [{"title": (o.label + o.qualifier)[:200], "value": o.value} for o in options],
    }


def _value(value: str | None) -> dict[str, Any]:
    return {"value": value} if value else {}


def _number(value: str | int) -> int | str:
    try:
        return int(value)
    except ValueError:
        return str(value)


def _small(text: str) -> dict[str, Any]:
    return {
        "type": "TextBlock",
        "text": card_text(text),
        "wrap": True,
        "size": "Small",
        "isSubtle": True,
    }


def _problem(text: str) -> dict[str, Any]:
    return {
        "type": "TextBlock",
        "text": card_text(text),
        "wrap": True,
        "size": "Small",
        "color": "Attention",
        "spacing": "None",
    }
