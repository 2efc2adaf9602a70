"""The people side of a program page: who is left out, which teams are now connected,
and every round with its groups and outcomes (ten rounds a page, newest first)."""

from __future__ import annotations

from collections.abc import Sequence

from bot import kinds
from bot.builders.text import count, when
from bot.dashboard.html import Safe, join, tag
from bot.services.dashboard import GroupRow, ProgramPage, RoundRow
from bot.services.pause_questions import ASK_TO_PAUSE_EVERY
from storage.records import ProgramRecord

NAMES_SHOWN = 100
LINKS_SHOWN = 60
OUTCOME = {"met": "met", "not_met": "didn't meet", None: "no answer yet"}
TRIGGER = {"schedule": "on schedule", "manual": "run by hand", "join": "as people joined"}


def left_out(view: ProgramPage) -> Safe:
    latest = view.timeline[-1].number if view.timeline else None
    program = view.card.program
    this_round = [
        f"{name} — {kinds.left_out(program, why).about_them}" for name, why in view.left_out_now
    ]
    ignoring = [
        f"{name} — {count(missed, 'check-in')} unanswered in a row"
        for name, missed in view.ignoring
    ]
    pause = f"After {ASK_TO_PAUSE_EVERY} in a row, mentorbot asks whether to pause."
    return tag(
        "div",
        _box("Never matched", view.never_matched, "Everyone enrolled has been matched."),
        _box(f"Left out of round {latest}" if latest else "Left out", this_round, "Nobody."),
        _box("Not answering check-ins", ignoring, "Nobody.", note=pause),
        class_="cols",
    )


def team_links(links: Sequence[tuple[str, str]]) -> Safe:
    if not links:
        return tag("p", "No teams connected yet (teams come from the signup form).", class_="muted")
    return _box(None, [f"{a} ↔ {b}" for a, b in links], "", limit=LINKS_SHOWN)


def rounds(view: ProgramPage) -> Safe:
    if not view.rounds:
        return tag("p", "No rounds yet.", class_="muted")
    program = view.card.program
    return join([*(_round(row, program) for row in view.rounds), _pager(view)])


def _round(row: RoundRow, program: ProgramRecord) -> Safe:
    time_zone = program.timezone
    state = "delivered" if row.delivered else "being delivered"
    heading = (
        f"Round {row.number} · {when(row.created_at, time_zone)} ({time_zone}) · "
        f"{count(len(row.groups) + row.hidden_groups, 'group')} · {state} · "
        f"{TRIGGER.get(row.trigger, row.trigger)}"
    )
    head = tag("tr", tag("th", "#", class_="n"), tag("th", "Group"), tag("th", "Outcome"))
    body = [
        tag(
            "tr",
            tag("td", index, class_="n idx"),
            tag("td", _members(group)),
            tag("td", _outcome(group.outcome)),
        )
        for index, group in enumerate(row.groups, start=1)
    ]
    notes = []
    if row.hidden_groups:
        more = count(row.hidden_groups, "more group")
        notes.append(tag("p", f"… and {more}: the CSV export has them all.", class_="muted"))
    if row.left_out:
        names = "; ".join(
            f"{name} ({kinds.left_out(program, why).about_them})" for name, why in row.left_out
        )
        notes.append(tag("p", f"Not matched: {names}", class_="muted"))
    table = tag("table", tag("thead", head), tag("tbody", body))
    return tag("section", tag("h3", heading), table, notes, class_="round")


def _members(group: GroupRow) -> str:
    """``Ada (mentor), Grace``: mentorship roles shown, coffee peers plain."""
    roles = group.roles or ("peer",) * len(group.names)
    return ", ".join(
        f"{name} ({role})" if role == "mentor" else name
        for name, role in zip(group.names, roles, strict=False)
    )


def _outcome(outcome: str | None) -> Safe:
    css = f"tag {outcome}" if outcome in ("met", "not_met") else "tag"
    return tag("span", OUTCOME.get(outcome, outcome or ""), class_=css)


def _pager(view: ProgramPage) -> Safe | None:
    if view.pages == 1:
        return None
    base = f"/dashboard/programs/{view.card.program.id}"
    newer = older = None
    if view.page > 1:
        newer = tag("a", "← Newer rounds", href=f"{base}?page={view.page - 1}#rounds")
    if view.page < view.pages:
        older = tag("a", "Older rounds →", href=f"{base}?page={view.page + 1}#rounds")
    where = tag("span", f"Page {view.page} of {view.pages}", class_="muted")
    return tag("nav", newer, where, older, class_="pager")


def _box(
    title: str | None,
    items: Sequence[str],
    empty: str,
    *,
    note: str | None = None,
    limit: int = NAMES_SHOWN,
) -> Safe:
    more = len(items) - limit
    return tag(
        "div",
        tag("h3", title) if title else None,
        tag("ul", [tag("li", item) for item in items[:limit]]) if items else None,
        tag("p", empty, class_="muted") if not items and empty else None,
        tag("p", f"… and {more} more", class_="muted") if more > 0 else None,
        tag("p", note, class_="muted") if note else None,
        class_="box",
    )
