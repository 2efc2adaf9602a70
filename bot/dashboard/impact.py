"""A program's impact report: which teams now meet (a heat-map with a table for screen
readers), the network over time against random pairing, the people to look after, and
what came of meeting (totals only). One page, printable for leadership (print CSS).
Every figure says how it is counted."""

from __future__ import annotations

from collections.abc import Sequence

from bot.builders.text import percent, when
from bot.dashboard.charts import Bar, Line, bar_chart, heat_map, line_chart
from bot.dashboard.html import Safe, join, tag
from bot.dashboard.layout import Viewer, page
from bot.impact import MIN_ANSWERS, ImpactReport
from bot.services.impact import ImpactPage
from bot.services.progress import DeliveryProgress
from pairing.impact import Dimension

TEAMS_SHOWN = 30  # the heat-map's largest teams; the table and the JSON have them all
NAMES_SHOWN = 60
NEWCOMER_DAYS = 90
DIMENSIONS = {
    Dimension.CAREER: "Career (advice or an opening)",
    Dimension.SKILLS: "Skills (learned something new)",
    Dimension.RELATIONSHIPS: "Relationships (a new friend)",
    Dimension.ORGANISATION: "Organisation (an idea for work, working together)",
}


def impact_page(view: ImpactPage, viewer: Viewer) -> str:
    program, report = view.program, view.report
    body = join(
        [
            tag("h1", f"Impact of {program.name}"),
            tag(
                "p",
                f"{report.rounds} rounds · as of {when(report.generated_at, program.timezone)} "
                f"({program.timezone}) · ",
                tag("a", "Back to the program", href=f"/dashboard/programs/{program.id}"),
                tag("span", " · print this page for a one-page report", class_="noprint"),
                class_="sub",
            ),
            delivery(view.delivery),
            _headline(report),
            tag("h2", "Which teams meet", id="teams"),
            _teams(report),
            tag("h2", "Over time", id="trend"),
            _trend(report),
            tag("h2", "People to look after", id="people"),
            _people(report),
            tag("h2", "What came of it", id="outcomes"),
            _outcomes(report),
        ]
    )
    return page(f"Impact of {program.name}", body, viewer=viewer)


def delivery(progress: DeliveryProgress | None) -> Safe | None:
    """A round still going out: its outbox rows sent of all (for the program pages)."""
    if progress is None:
        return None
    failed = f", {progress.failed} could not be delivered" if progress.failed else ""
    label = (
        f"Round {progress.round_number} is still going out: {progress.sent} of "
        f"{progress.total} messages sent{failed}."
    )
    return tag(
        "p",
        tag("label", label, for_="delivery"),
        tag("br"),
        tag(
            "progress",
            f"{percent(progress.share)}",
            id="delivery",
            value=progress.sent + progress.failed,
            max=max(progress.total, 1),
        ),
        class_="note",
    )


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}".replace("-", "−")


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _card(value: object, label: str, note: str) -> Safe:
    return tag(
        "div", tag("b", value), tag("span", label), tag("p", note, class_="note"), class_="card"
    )


def _headline(report: ImpactReport) -> Safe:
    net, spread = report.network, report.network.reach_spread
    answers = report.outcomes.answers
    return tag(
        "div",
        [
            _card(
                _signed(net.ei_index),
                f"E-I index (random pairing: {_signed(net.ei_index_random)})",
                "(ties across teams − ties inside) ÷ all ties: −1 all inside teams, +1 all "
                "across. Random: what pairing the same people at random would give.",
            ),
            _card(
                f"{_signed(net.ei_company_start)} → {_signed(net.ei_company)}",
                "company network E-I index, start → now",
                "Assuming everyone knows their own team-mates at the start, plus every "
                "cross-team tie the program made: how far the company has moved from silos.",
            ),
            _card(
                net.ties,
                "ties",
                "Distinct pairs of people grouped together whose meeting was not reported "
                "as failed.",
            ),
            _card(
                _num(spread.median),
                f"other teams met (p10 {_num(spread.p10)}, p90 {_num(spread.p90)})",
                "Per current member with a team: distinct other teams they have a tie with.",
            ),
            _card(
                len(net.isolated),
                "with no cross-team tie yet",
                "Current members with a team who have no tie with another team.",
            ),
            _card(
                _num(report.newcomer_days_to_first_meeting),
                "days from joining to a first meeting (median)",
                "From joining the program to the introduction of the first group that "
                "answered “we met”; over those who have met.",
            ),
            _card(
                answers,
                "said what came of it",
                f"Optional answers after “we met”; totals shown from {MIN_ANSWERS}.",
            ),
        ],
        class_="cards",
    )


def _teams(report: ImpactReport) -> Safe:
    net = report.network
    if not net.team_ties:
        return tag(
            "p", "No ties between people with a team yet (teams come from signup).", class_="muted"
        )
    sizes = dict.fromkeys(net.teams, 0)
    for (a, b), n in net.team_ties.items():
        sizes[a] = sizes.get(a, 0) + n
        sizes[b] = sizes.get(b, 0) + n
    shown = sorted(sorted(sizes, key=lambda t: -sizes[t])[:TEAMS_SHOWN])
    caption = "Ties between teams: the darker the cell, the more people of the two teams met"
    figure = tag(
        "figure",
        heat_map(shown, dict(net.team_ties), caption=caption),
        tag(
            "figcaption",
            "Each cell counts ties between a person of the row's team and one of the "
            "column's; the diagonal, ties inside a team. "
            + (f"The {TEAMS_SHOWN} teams with most ties; " if len(sizes) > TEAMS_SHOWN else "")
            + "screen readers get the same numbers as a table; scripts, from "
            "`mentorbot impact --format json`.",
        ),
    )
    rows = [
        tag("tr", tag("td", a), tag("td", "(inside)" if a == b else b), tag("td", n, class_="n"))
        for (a, b), n in net.team_ties.items()
    ]
    table = tag(
        "table",
        tag("caption", "Ties between teams"),
        tag("thead", tag("tr", tag("th", "Team"), tag("th", "With team"), tag("th", "Ties"))),
        tag("tbody", rows),
    )
    table = tag("div", table, class_="sr")  # read aloud, not shown: the map shows it
    by_team = [
        tag(
            "tr",
            tag("td", team),
            tag("td", _signed(value), class_="n"),
            tag("td", _signed(net.ei_by_team_random.get(team)), class_="n"),
        )
        for team, value in net.ei_by_team.items()
    ]
    per_team = tag(
        "table",
        tag(
            "thead",
            tag(
                "tr",
                tag("th", "Team"),
                tag("th", "E-I index", class_="n"),
                tag("th", "Random pairing", class_="n"),
            ),
        ),
        tag("tbody", by_team),
    )
    bridges = (
        ", ".join(f"{a} ↔ {b}" for a, b in net.bridges)
        if net.bridges
        else "none: every linked pair of teams is also connected another way"
    )
    return join(
        [
            tag("div", figure, tag("div", per_team, class_="box"), class_="cols"),
            table,
            tag(
                "p",
                tag("b", "Bridges: "),
                bridges,
                ". A bridge is a link between two teams without which the program's ties "
                "would leave them (and the teams beyond) with no path between them at all.",
                class_="note",
            ),
        ]
    )


def _trend(report: ImpactReport) -> Safe:
    points = report.network.trend
    if not points:
        return tag("p", "No rounds yet.", class_="muted")
    labels = [str(p.round) for p in points]
    net = report.network
    ei = line_chart(
        ["start", *labels],
        [
            Line(
                "Company network",
                (net.ei_company_start, *(p.ei_company for p in points)),
            ),
            Line("Random pairing", (None, *(p.ei_cumulative_random for p in points)), dashed=True),
            Line("The program's ties", (None, *(p.ei_cumulative for p in points))),
        ],
        low=-1,
        high=1,
        caption="E-I index round by round: the company network, the program's ties, and "
        "random pairing",
    )
    ties = line_chart(
        labels,
        [
            Line("All ties", tuple(float(p.ties) for p in points)),
            Line("Cross-team ties", tuple(float(p.cross_team_ties) for p in points)),
        ],
        low=0,
        high=max(p.ties for p in points),
        caption="Ties so far (all, and across teams), round by round",
    )
    rate = line_chart(
        labels,
        [
            Line(
                "Meeting rate",
                tuple(p.meeting_rate * 100 if p.meeting_rate is not None else None for p in points),
            )
        ],
        low=0,
        high=100,
        unit="%",
        caption="Meeting rate per round",
    )
    reach = line_chart(
        labels,
        [Line("Median reach", tuple(p.reach_median for p in points))],
        low=0,
        high=max([p.reach_median or 0 for p in points] + [1]),
        caption="Median number of other teams met, round by round",
    )
    figures = [
        _figure(
            ei,
            "E-I index, −1 (all ties inside teams) to +1. Dark: the company network, starting "
            "from everyone knowing only their own team-mates, plus the program's ties so far. "
            "Green: the program's own ties; dashed: what random pairing of the same people "
            "would give (above it, the program mixes teams more than chance).",
        ),
        _figure(ties, "Distinct ties so far: all (dark) and across teams (grey)."),
        _figure(
            rate,
            "Groups that met, of those that answered the check-in (gaps: nobody answered).",
        ),
        _figure(reach, "Median of distinct other teams each person had met by that round."),
    ]
    return tag("div", figures, class_="cols trend")


def _figure(chart: Safe, caption: str) -> Safe:
    return tag("figure", chart, tag("figcaption", caption))


def _people(report: ImpactReport) -> Safe:
    isolated = [report.name(u) for u in report.network.isolated]
    cutoff = report.generated_at.timestamp() - NEWCOMER_DAYS * 86400
    newcomers = []
    waiting_first = sorted(
        report.integration, key=lambda i: (i.days_to_first_meeting is not None, i.joined)
    )
    for item in waiting_first:
        if item.joined.timestamp() < cutoff:
            continue
        name = report.name(item.person)
        if item.days_to_first_meeting is None:
            waiting = int((report.generated_at - item.joined).days)
            newcomers.append(f"{name} — joined {waiting} days ago, no meeting yet")
        else:
            cross = (
                f", first cross-team tie after {item.days_to_first_cross_team_tie} days"
                if item.days_to_first_cross_team_tie is not None
                else ", no cross-team tie yet"
            )
            newcomers.append(
                f"{name} — first meeting after {item.days_to_first_meeting} days{cross}"
            )
    return tag(
        "div",
        _list(
            "No cross-team tie yet",
            isolated,
            "Everyone with a team has met someone of another team.",
            "Current members with a team and no tie with another team. Teams come from signup.",
        ),
        _list(
            f"Newcomers (joined in the last {NEWCOMER_DAYS} days)",
            newcomers,
            "Nobody joined recently.",
            "Days from joining to the introduction of the first group that met, and to the "
            "first group with someone of another team.",
        ),
        class_="cols",
    )


def _list(title: str, items: Sequence[str], empty: str, note: str) -> Safe:
    shown = list(items)[:NAMES_SHOWN]
    more = len(items) - len(shown)
    body = (
        tag(
            "ul",
            [tag("li", item) for item in shown],
            tag("li", f"… and {more} more") if more else None,
        )
        if shown
        else tag("p", empty, class_="muted")
    )
    return tag("div", tag("h3", title), body, tag("p", note, class_="note"), class_="box")


def _outcomes(report: ImpactReport) -> Safe:
    outcomes = report.outcomes
    privacy = (
        f"Answers are optional and anonymous: never shown by name, and no figure is shown "
        f"until at least {MIN_ANSWERS} people have answered."
    )
    if not outcomes.shown:
        return join(
            [
                tag(
                    "p",
                    f"{outcomes.answers} answers so far — totals appear from {MIN_ANSWERS}.",
                    class_="muted",
                ),
                tag("p", privacy, class_="note"),
            ]
        )
    counts = outcomes.by_dimension
    chart = bar_chart(
        [
            Bar(d.value, counts[d], f"{DIMENSIONS[d]}: {counts[d]} of {outcomes.answers}")
            for d in Dimension
        ],
        top=max(counts.values()),
        caption="What came of meeting, by dimension",
    )
    rows = [
        tag("tr", tag("td", DIMENSIONS[d]), tag("td", counts[d], class_="n")) for d in Dimension
    ]
    rows.append(tag("tr", tag("td", "Nothing much"), tag("td", outcomes.nothing, class_="n")))
    rating = (
        f"Worth it? {outcomes.mean_rating:.1f} of 5 on average ({outcomes.ratings} ratings)."
        if outcomes.rating_shown and outcomes.mean_rating is not None
        else f"Worth it? {outcomes.ratings} ratings so far — shown from {MIN_ANSWERS}."
    )
    table = tag(
        "table",
        tag("thead", tag("tr", tag("th", "Dimension"), tag("th", "Answers", class_="n"))),
        tag("tbody", rows),
    )
    return join(
        [
            tag(
                "div",
                _figure(
                    chart,
                    f"{outcomes.answers} answers to “what came of it?”, each counted under "
                    "one dimension: learned something new → skills; career advice or an "
                    "opening → career; an idea for my work or we'll work together → "
                    "organisation; a new friend → relationships.",
                ),
                tag("div", table, tag("p", rating), class_="box"),
                class_="cols",
            ),
            tag("p", privacy, class_="note"),
        ]
    )
