"""``mentorbot impact PROGRAM [--format table|json]`` — what the program did for the
company's network (E-I index against random pairing, reach, isolation, newcomers) and
what people said came of meeting (totals only, none below five answers)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    from bot.impact import ImpactReport


def add_to(commands: Any) -> None:
    impact = commands.add_parser("impact", help="network and outcome measures of a program")
    impact.add_argument("program", help="the program's name")
    impact.add_argument("--format", choices=("table", "json"), default="table")
    impact.add_argument(
        "--workspace",
        metavar="T…",
        help="workspace id: a Slack team id or a Teams tenant id (several workspaces)",
    )
    impact.set_defaults(handler=run_impact)


async def run_impact(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.context import core_for, scope_for
    from bot.services.impact import program_impact

    async with core_for(settings) as core:
        found = await program_impact(
            await scope_for(core, args.workspace, paced=False), args.program
        )
    if args.format == "json":
        print(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
    else:
        print(table(found))
    return 0


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}".rstrip("0").rstrip(".")


def table(report: ImpactReport) -> str:
    data = report.to_json()
    reach = data["reach"]
    lines = [
        f"{report.program}: {report.rounds} rounds, {data['people']} people, {data['ties']} ties",
        f"E-I index (−1 all inside teams … +1 all across): {_num(data['ei_index'])} "
        f"(random pairing of the same people: {_num(data['ei_index_random'])})",
        "Company network E-I index (team-mates + the program's ties): "
        f"{_num(data['ei_index_company_start'])} at the start → {_num(data['ei_index_company'])}",
        f"Reach (other teams met per person): median {_num(reach['median'])}, "
        f"p10 {_num(reach['p10'])}, p90 {_num(reach['p90'])}",
        f"Isolated (no cross-team tie yet): {len(data['isolated'])}",
        "Days from joining to first meeting (median): "
        f"{_num(data['newcomer_days_to_first_meeting'], 1)}",
    ]
    outcomes = data["outcomes"]
    if outcomes is None:
        lines.append(
            f"What came of it: {data['answers']} answers (shown from {data['min_answers_shown']})"
        )
    else:
        shown = ", ".join(f"{k} {v}" for k, v in outcomes.items())
        lines.append(f"What came of it ({data['answers']} answers): {shown}")
    if data["team_ties"]:
        lines.append("\nTies between teams:")
        for a, b, n in data["team_ties"]:
            lines.append(f"  {a} – {b}: {n}" if a != b else f"  {a} (inside): {n}")
    if data["isolated"]:
        lines.append("\nNo cross-team tie yet:")
        lines.extend(f"  {report.name(u)} ({u})" for u in data["isolated"])
    return "\n".join(lines)
