"""The workspace overview: every program with its schedule, members and headline numbers."""

from __future__ import annotations

from bot.builders.text import count, percent, when
from bot.dashboard.html import Safe, join, tag
from bot.dashboard.layout import Viewer, page
from bot.kinds import KINDS
from bot.services.dashboard import Overview, ProgramCard


def overview_page(view: Overview, viewer: Viewer) -> str:
    title = f"Programs in {view.workspace.name}"
    if not view.programs:
        body = tag(
            "p",
            "No programs yet. Create one in Slack with ",
            tag("code", "/mentor program"),
            ".",
        )
    else:
        body = _table(view.programs)
    intro = tag(
        "p",
        "Every program of this workspace. Participation counts who has been matched at "
        "least once; meeting rates come from the “did you meet?” check-ins.",
        class_="sub",
    )
    return page(title, join([tag("h1", title), intro, body]), viewer=viewer)


def _table(cards: tuple[ProgramCard, ...]) -> Safe:
    head = tag(
        "tr",
        [
            tag("th", "Program"),
            tag("th", "Kind"),
            tag("th", "Schedule"),
            tag("th", "Next round"),
            tag("th", "Enrolled", class_="n"),
            tag("th", "Active", class_="n"),
            tag("th", "Paused", class_="n"),
            tag("th", "Participation", class_="n"),
            tag("th", "Last round"),
        ],
    )
    return tag("table", tag("thead", head), tag("tbody", [_row(card) for card in cards]))


def _row(card: ProgramCard) -> Safe:
    program, report, counts = card.program, card.report, card.counts
    link = tag("a", program.name, href=f"/dashboard/programs/{program.id}")
    name = [link, " ", tag("span", "on hold", class_="tag")] if not program.active else link
    return tag(
        "tr",
        [
            tag("td", name),
            tag("td", KINDS.label(program.kind)),
            tag("td", program.schedule, tag("div", program.timezone, class_="muted")),
            tag("td", next_round(card)),
            tag("td", counts.enrolled, class_="n"),
            tag("td", counts.active, class_="n"),
            tag("td", counts.paused, class_="n"),
            tag("td", percent(report.participation), class_="n"),
            tag("td", last_round(card)),
        ],
    )


def next_round(card: ProgramCard) -> str:
    """In the program's own time zone (its schedule is read there)."""
    program, upcoming = card.program, card.report.next_round_at
    if not program.active:
        return "on hold"
    if upcoming is None:
        return "not scheduled"
    return f"{when(upcoming, program.timezone)} ({program.timezone})"


def last_round(card: ProgramCard) -> str:
    report = card.report
    last = report.last_round
    if last is None:
        return "No rounds yet"
    rate = percent(last.meeting_rate)
    return (
        f"Round {report.last_round_number}: {rate} met · "
        f"{count(last.groups, 'group')}, {last.outcomes_reported} answered"
    )
