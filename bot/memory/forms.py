"""Neutral forms as plain JSON for the in-memory platform, and answers read back.

A client gets ``{"form": {"id", "title", "submit", "fields": [...]}}`` and sends back
``{"type": "submit", "form": id, "answers": {name: text or [ticked values]}}``; the
answers reach the same services the Slack modal's do, and an ``InvalidForm`` comes back
as ``{"errors": {field: message}}`` — on the field at fault, as on Slack.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from bot import forms

MAX_ANSWERS = 40
MAX_ANSWER = 4000


def form_json(form: forms.Form, form_id: str, **context: object) -> dict[str, Any]:
    return {
        "id": form_id,
        "title": form.title,
        "submit": form.submit,
        "fields": [_item(item) for item in form.items],
        **context,
    }


def _item(item: forms.Item) -> dict[str, Any]:
    data = dataclasses.asdict(item)
    data["type"] = type(item).__name__
    if isinstance(data.get("initial"), frozenset):
        data["initial"] = sorted(data["initial"])
    return data


def answers_from(raw: object) -> forms.Answers:
    """Answers from a client's JSON; anything that is not text or a list of texts is
    dropped (the service then says what is missing), never an exception."""
    if not isinstance(raw, dict):
        return {}
    found: dict[str, forms.Answer] = {}
    for name, value in list(raw.items())[:MAX_ANSWERS]:
        if not isinstance(name, str):
            continue
        if isinstance(value, str):
            found[name] = value[:MAX_ANSWER]
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            found[name] = frozenset(v[:MAX_ANSWER] for v in value[:MAX_ANSWERS])
    return found
