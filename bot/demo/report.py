"""What the demo says about the rounds: who was matched and why, how far the program is
from its repeat-free limit, and the headline numbers a program lead reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from bot.builders.reasons import describe_all
from bot.builders.text import percent
from bot.kinds import left_out
from bot.viewmodels import ProgramHistory, ProgramReport
from pairing.models import Reason, Role
from storage.records import GroupRecord, PersonRecord, ProgramRecord, RoundRecord


def why(reasons: Sequence[Reason], people: Sequence[PersonRecord], day: datetime) -> str:
    """The engine's reasons for a group, in the words its introduction uses."""
    return " ".join(describe_all(reasons, people, day)) or "the best fit left."


def group_line(group: GroupRecord, day: datetime) -> str:
    names = [m.person.real_name or m.person.display_name for m in group.members]
    mentor = next((m for m in group.members if m.role is Role.MENTOR), None)
    if mentor is not None:
        mentees = [n for m, n in zip(group.members, names, strict=True) if m is not mentor]
        who = f"{names[group.members.index(mentor)]} (mentor) → {', '.join(mentees)}"
    else:
        who = " & ".join(names)
    return f"• {who}: {why(group.reasons, [m.person for m in group.members], day)}"


def round_lines(program: ProgramRecord, record: RoundRecord) -> list[str]:
    ordered = sorted(record.groups, key=lambda g: g.position)
    lines = [group_line(g, record.slot) for g in ordered]
    by_reason: dict[str, list[str]] = {}
    for left in record.left_out:
        name = left.person.real_name or left.person.display_name
        by_reason.setdefault(left.reason, []).append(name)
    for reason, names in by_reason.items():
        why = left_out(program, reason)
        because = why.about_them
        waiting = " (first in line next time)" if why.waiting else ""
        lines.append(f"• not matched, {because}: {', '.join(names)}{waiting}")
    return lines


@dataclass(frozen=True, slots=True)
class RepeatFree:
    rounds: int  # rounds so far
    repeat_free: int  # rounds from the first on in which no pair met again
    repeated_pairs: int  # pairs grouped again although they had met (or not answered)
    reoffered: int  # pairs grouped again after their meeting did not happen (on purpose)


def repeat_free(history: ProgramHistory) -> RepeatFree:
    """How many rounds, from the first, never grouped a pair that had been grouped before."""
    last_outcome: dict[frozenset[str], str | None] = {}
    clean_so_far, streak, repeated, reoffered = True, 0, 0, 0
    for past in history.rounds:
        repeats_now = 0
        for group in past.groups:
            for pair in map(frozenset, combinations(group.members, 2)):
                if pair not in last_outcome:
                    continue
                if last_outcome[pair] == "not_met":
                    reoffered += 1
                else:
                    repeats_now += 1
        clean_so_far = clean_so_far and repeats_now == 0
        streak += clean_so_far
        repeated += repeats_now
        for group in past.groups:
            for pair in map(frozenset, combinations(group.members, 2)):
                last_outcome[pair] = group.outcome
    return RepeatFree(len(history.rounds), streak, repeated, reoffered)


def coffee_repeat_lines(program: str, found: RepeatFree, *, members: int) -> list[str]:
    """Repeat-free rounds against the limit for pairs: N−1 rounds for N members (N even).

    With N odd one group each round is a trio, which uses three pairs: no more than
    ⌊N(N−1)/(N+3)⌋ rounds can be repeat-free, a bound that is not always reached.
    """
    if members % 2 == 0:
        limit = members - 1
        bound = (
            f"  the limit for {members} members in pairs is N−1 = {limit} rounds (everyone "
            f"has {limit} possible partners): {found.repeat_free} of {limit} reached so far"
        )
    else:
        limit = members * (members - 1) // (members + 3)
        bound = (
            f"  {members} members is an odd number, so each round has a trio and at most "
            f"⌊N(N−1)/(N+3)⌋ = {limit} rounds can be repeat-free: {found.repeat_free} "
            "reached so far"
        )
    return [_repeat_summary(program, found), bound, *_reoffered(found)]


def mentorship_repeat_lines(program: str, found: RepeatFree, *, pairs: int) -> list[str]:
    """Repeat-free rounds, and how many mentor–mentee pairs there are to draw from."""
    return [
        _repeat_summary(program, found),
        f"  {pairs} mentor–mentee pairs are possible in this program",
        *_reoffered(found),
    ]


def _repeat_summary(program: str, found: RepeatFree) -> str:
    head = f"{program}: {found.repeat_free} of {found.rounds} rounds repeat-free"
    if not found.repeated_pairs:
        return head + " — nobody was matched with the same person twice."
    return head + f"; {found.repeated_pairs} pairs met again."


def _reoffered(found: RepeatFree) -> list[str]:
    if not found.reoffered:
        return []
    return [f"  {found.reoffered} pair(s) offered again on purpose: they couldn't meet last time"]


def headline_lines(report: ProgramReport, names: Mapping[str, str], teams: int) -> list[str]:
    stats = report.stats
    links = teams * (teams - 1) // 2
    never = ", ".join(names.get(u, u) for u in stats.never_matched) or "nobody"
    return [
        f"{report.program.name}: {stats.enrolled} enrolled · participation "
        f"{percent(report.participation)} (matched at least once) · "
        f"{stats.groups} matches in {stats.rounds} rounds",
        f"  meeting rate {percent(stats.meeting_rate)} "
        f"({stats.meetings_held} met of {stats.outcomes_reported} check-ins answered)",
        f"  {stats.cross_team_ties} new cross-team ties, linking {stats.team_links} of the "
        f"{links} pairs of teams",
        f"  never matched: {never}",
    ]
