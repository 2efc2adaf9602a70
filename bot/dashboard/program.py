"""One program in depth: headline impact, impact over time, who is left out, the rounds."""

from __future__ import annotations

from collections.abc import Sequence

from bot.builders.text import percent, when
from bot.dashboard import rounds
from bot.dashboard.charts import Bar, bar_chart
from bot.dashboard.html import Safe, join, tag
from bot.dashboard.impact import delivery
from bot.dashboard.layout import Viewer, page
from bot.dashboard.overview import next_round
from bot.kinds import KINDS
from bot.services.dashboard import ProgramPage, RoundPoint


def program_page(view: ProgramPage, viewer: Viewer) -> str:
    program = view.card.program
    body = join(
        [
            tag("h1", program.name),
            _about(view),
            delivery(view.delivery),
            tag("h2", "Impact so far"),
            _headline(view),
            _mentorships(view),
            tag("h2", "Over time"),
            _over_time(view.timeline, program.timezone),
            tag("h2", "Who is left out"),
            rounds.left_out(view),
            tag("h2", "Teams now connected"),
            rounds.team_links(view.team_links),
            tag("h2", "Rounds", id="rounds"),
            rounds.rounds(view),
        ]
    )
    return page(program.name, body, viewer=viewer)


def _about(view: ProgramPage) -> Safe:
    program = view.card.program
    base = f"/dashboard/programs/{program.id}"
    policy = KINDS.get(program.kind)
    facts = [
        KINDS.label(program.kind),
        f"{program.schedule} ({program.timezone})",
        f"next round: {next_round(view.card)}",
        *(policy.facts(program) if policy else ()),
    ]
    exports = [
        tag("a", "Impact report", href=f"{base}/impact"),
        " · ",
        tag("a", "Download CSV", href=f"{base}/history.csv"),
        " · ",
        tag("a", "Download JSON", href=f"{base}/history.json"),
    ]
    return tag("p", " · ".join(facts), tag("br"), exports, class_="sub")


def _mentorships(view: ProgramPage) -> Safe:
    facts = view.card.report.mentorships
    if facts is None:
        return join([])
    cards = tag(
        "div",
        [
            _card(facts.active, "active mentorships"),
            _card(facts.stalled, "stalled (two check-ins without a meeting)"),
            _card(facts.completed, "completed"),
            _card(facts.ended, "ended early"),
            _card(facts.waiting, "mentees waiting"),
            _card(_days(facts.waits.to_mentor.median), "median days to a mentor"),
            _card(_days(facts.waits.waiting_longest), "longest wait so far (days)"),
            _card(
                f"{facts.average_rating:.1f}/5" if facts.average_rating is not None else "—",
                f"average value ({facts.ratings} closing answers)",
            ),
        ],
        class_="cards",
    )
    rows = [
        tag("tr", tag("td", line.topic), tag("td", line.wanting), tag("td", line.offering))
        for line in facts.gap.lines
    ]
    gap = tag(
        "table",
        tag("tr", tag("th", "topic"), tag("th", "mentees waiting"), tag("th", "mentors offering")),
        rows,
    )
    asked = ", ".join(f"{t} ×{n}" for t, n in facts.gap.unmatched)
    extra = [tag("p", f"People asked for: {asked} — add them as topics?")] if asked else []
    came = ", ".join(f"{label} ×{n}" for label, n in facts.outcomes)
    outcomes = [tag("p", f"What came of it: {came}")] if came else []
    return join([tag("h2", "Mentorships"), cards, *outcomes, tag("h2", "Skills gap"), gap, *extra])


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _card(value: object, label: str) -> Safe:
    return tag("div", tag("b", value), tag("span", label), class_="card")


def _headline(view: ProgramPage) -> Safe:
    stats, counts = view.card.report.stats, view.card.counts
    matched = stats.enrolled - len(stats.never_matched)
    return tag(
        "div",
        [
            _card(stats.rounds, "rounds"),
            _card(stats.groups, "groups formed"),
            _card(stats.meetings_held, f"meetings held (of {stats.outcomes_reported} answered)"),
            _card(percent(stats.meeting_rate), "meeting rate"),
            _card(
                percent(view.card.report.participation),
                f"participation ({matched} of {stats.enrolled} matched)",
            ),
            _card(stats.cross_team_ties, "cross-team ties (pairs of people)"),
            _card(stats.team_links, "team links (pairs of teams)"),
            _card(counts.enrolled, f"enrolled ({counts.active} active, {counts.paused} paused)"),
        ],
        class_="cards",
    )


def _over_time(points: Sequence[RoundPoint], time_zone: str) -> Safe:
    if not points:
        return tag("p", "No rounds yet.", class_="muted")
    return join([_charts(points), _table(points, time_zone)])


def _charts(points: Sequence[RoundPoint]) -> Safe:
    rates = bar_chart(
        [
            Bar(
                str(p.number),
                p.meeting_rate * 100 if p.meeting_rate is not None else None,
                f"Round {p.number}: {percent(p.meeting_rate)} met ({p.met} of {p.reported})",
            )
            for p in points
        ],
        top=100,
        unit="%",
        caption="Meeting rate per round (groups that met, of those that answered)",
    )
    ties = bar_chart(
        [Bar(str(p.number), p.new_ties, f"Round {p.number}: {p.new_ties} new") for p in points],
        top=max(p.new_ties for p in points),
        caption="New cross-team ties per round",
    )
    figures = [
        tag("figure", rates, tag("figcaption", "Meeting rate per round (dashed: no answers)")),
        tag("figure", ties, tag("figcaption", "New cross-team ties per round")),
    ]
    return tag("div", figures, class_="cols")


TABLE_COLUMNS = ("Groups", "Answered", "Met", "Rate", "New ties", "Left out")


def _table(points: Sequence[RoundPoint], time_zone: str) -> Safe:
    head = [tag("th", "Round"), tag("th", f"Formed ({time_zone})")]
    head += [tag("th", column, class_="n") for column in TABLE_COLUMNS]
    rows = []
    for p in reversed(points):
        numbers = (p.groups, p.reported, p.met, percent(p.meeting_rate), p.new_ties, p.left_out)
        cells = [tag("td", p.number), tag("td", when(p.created_at, time_zone))]
        cells += [tag("td", value, class_="n") for value in numbers]
        rows.append(tag("tr", cells))
    return tag("table", tag("thead", tag("tr", head)), tag("tbody", rows))
