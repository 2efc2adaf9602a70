"""The demo company as Microsoft Teams knows it — one tenant with everyone's Entra
profile (name, title, department, the mailbox time zone as Windows names it; the lead a
Teams admin) and a team for each program — and what the Teams demo shows of a card in
the terminal."""

from __future__ import annotations

import textwrap
import uuid
from collections.abc import Sequence
from typing import Any

from tzlocal.windows_tz import tz_win

from bot.demo.people import DemoPerson
from bot.demo.terminal import WIDTH, display_width
from bot.teams.simulator.tenant import SimulatedTenant, SimulatedUser

TENANT_ID = "8d7c6b5a-4e3f-4a2b-9c1d-0e0f1a2b3c4d"
APP_ID = "3f2e1d0c-9b8a-4f7e-8d6c-5b4a39281706"
COFFEE_TEAM = "19:acme-coffee-general@thread.tacv2"
MENTORING_TEAM = "19:acme-mentoring-general@thread.tacv2"
_NAMESPACE = uuid.UUID("6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e")


def aad_id(person: DemoPerson) -> str:
    """The person's Entra object id (stable for the seed)."""
    return str(uuid.uuid5(_NAMESPACE, person.user_id))


def simulated_tenant(people: Sequence[DemoPerson]) -> SimulatedTenant:
    tenant = SimulatedTenant(TENANT_ID, APP_ID)
    for person in people:
        first, _, last = person.real_name.partition(" ")
        login = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        tenant.add_user(
            SimulatedUser(
                aad_id(person),
                person.real_name,
                given_name=first,
                surname=last,
                upn=f"{login}@acme.example",
                job_title=person.title,
                department=person.department,
                mailbox_time_zone=tz_win.get(person.time_zone, "UTC"),
                client_time_zone=person.time_zone,
                admin=person.is_admin,
            ),
            installed=False,
        )
    tenant.add_team(COFFEE_TEAM, "Coffee at Acme", set())
    tenant.add_team(MENTORING_TEAM, "Mentoring at Acme", set())
    return tenant


def card_lines(card: dict[str, Any] | None) -> list[str]:
    """A boxed rendering of an Adaptive Card, roughly as Teams lays it out."""
    lines: list[str] = []
    for element in (card or {}).get("body") or []:
        lines.extend(_element(element))
    while lines and not lines[-1]:
        lines.pop()
    width = max([display_width(line) for line in lines] + [20])
    padded = (line + " " * (width - display_width(line)) for line in lines)
    return [
        "┌" + "─" * (width + 2) + "┐",
        *(f"│ {line} │" for line in padded),
        "└" + "─" * (width + 2) + "┘",
    ]


def _element(element: dict[str, Any]) -> list[str]:
    if element.get("isVisible") is False:
        return []
    out = ["─" * 40] if element.get("separator") else []
    kind = element.get("type")
    if kind == "TextBlock":
        text = str(element.get("text", "")).replace("**", "")
        text = text.upper() if element.get("size") == "Large" else text
        out.extend(textwrap.wrap(text, WIDTH) or [""])
    elif kind == "Container":
        for item in element.get("items") or []:
            out.extend(_element(item))
    elif kind == "ColumnSet":
        for column in element.get("columns") or []:
            for item in column.get("items") or []:
                out.extend(_element(item))
    elif kind == "ActionSet":
        out.append("  ".join(f"[ {a.get('title', '')} ]" for a in element.get("actions") or []))
    return out
