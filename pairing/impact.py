"""Impact of a program on the company's network: who is now connected to whom, compared
with what random pairing would have done, who is still isolated, how fast newcomers get
in (and mentees to a mentor), and what people say came of meeting. Pure functions (no
I/O, no clock).

Vocabulary (the README's impact section says the same to leads):

- A *tie* is a distinct pair of people who were in a group together whose meeting was
  not reported as failed (as :func:`pairing.metrics.cross_team_ties` counts). A pair
  grouped twice is one tie, dated by the first round that formed it.
- A tie is *internal* when both people are in the same team and *external* when their
  teams differ; ties with someone whose team is unknown are neither and left out.
- The *E-I index* (Krackhardt & Stern 1988) is (external − internal) / (external +
  internal): −1 for a company whose ties all stay inside teams, +1 when every tie
  crosses teams. Per team it counts the ties with at least one member of the team.
- The *random baseline* is the E-I index that uniformly random pairing of the same
  people would produce in expectation: every pair of the membership is then equally
  likely to be grouped, so the expected index is that of the complete graph on the
  membership (exact and deterministic: no seed, no sampling).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import combinations

from pairing.models import Outcome, PastGroup

Pair = frozenset[str]
TeamPair = tuple[str, str]  # sorted; (team, team) for internal ties

# -- ties ------------------------------------------------------------------------------


def ties(groups: Iterable[PastGroup]) -> dict[Pair, int]:
    """Each distinct tie with the first round that formed it."""
    found: dict[Pair, int] = {}
    for group in groups:
        if group.outcome is Outcome.NOT_MET:
            continue
        for a, b in combinations(sorted(group.members), 2):
            pair = frozenset((a, b))
            if pair not in found or group.round < found[pair]:
                found[pair] = group.round
    return found


def _teams_of(pair: Pair, teams: Mapping[str, str | None]) -> TeamPair | None:
    a, b = sorted(pair)
    team_a, team_b = teams.get(a), teams.get(b)
    if not team_a or not team_b:
        return None
    first, second = sorted((team_a, team_b))
    return first, second


def team_ties(pairs: Iterable[Pair], teams: Mapping[str, str | None]) -> dict[TeamPair, int]:
    """The team × team matrix as sorted team pairs → number of ties (the diagonal,
    ``(t, t)``, holds the internal ties of team ``t``)."""
    matrix: Counter[TeamPair] = Counter()
    for pair in pairs:
        found = _teams_of(pair, teams)
        if found is not None:
            matrix[found] += 1
    return dict(sorted(matrix.items()))


def _ei(external: float, internal: float) -> float | None:
    total = external + internal
    return (external - internal) / total if total else None


def ei_index(pairs: Iterable[Pair], teams: Mapping[str, str | None]) -> float | None:
    """Company-wide E-I index of ``pairs`` (None without any tie between known teams)."""
    external = internal = 0
    for (a, b), count in team_ties(pairs, teams).items():
        if a == b:
            internal += count
        else:
            external += count
    return _ei(external, internal)


def ei_by_team(pairs: Iterable[Pair], teams: Mapping[str, str | None]) -> dict[str, float | None]:
    """Each team's E-I index over the ties with at least one of its members."""
    external: Counter[str] = Counter()
    internal: Counter[str] = Counter()
    for (a, b), count in team_ties(pairs, teams).items():
        if a == b:
            internal[a] += count
        else:
            external[a] += count
            external[b] += count
    return {team: _ei(external[team], internal[team]) for team in sorted(external | internal)}


def _team_sizes(people: Iterable[str], teams: Mapping[str, str | None]) -> Counter[str]:
    sizes: Counter[str] = Counter()
    for person in set(people):
        team = teams.get(person)
        if team:
            sizes[team] += 1
    return sizes


def random_ei(people: Iterable[str], teams: Mapping[str, str | None]) -> float | None:
    """The E-I index uniformly random pairing of ``people`` would produce in expectation:
    that of every possible pair among those whose team is known."""
    sizes = _team_sizes(people, teams)
    everyone = sum(sizes.values())
    internal = sum(math.comb(n, 2) for n in sizes.values())
    external = math.comb(everyone, 2) - internal
    return _ei(external, internal)


def random_ei_by_team(
    people: Iterable[str], teams: Mapping[str, str | None]
) -> dict[str, float | None]:
    """Each team's expected E-I index under uniformly random pairing of ``people``."""
    sizes = _team_sizes(people, teams)
    everyone = sum(sizes.values())
    return {team: _ei(n * (everyone - n), math.comb(n, 2)) for team, n in sorted(sizes.items())}


def company_ei(
    people: Iterable[str], teams: Mapping[str, str | None], pairs: Iterable[Pair] = ()
) -> float | None:
    """The E-I index of the company's network as the program changes it: the *starting
    point* assumes everyone knows their own team-mates (every pair inside a team is a
    tie, so it is −1 whenever a team has two people) and nobody outside; each of the
    program's ties across teams among ``people`` is added to it. Only the cross-team
    ties move it: ties inside a team are there from the start."""
    members = set(people)
    sizes = _team_sizes(members, teams)
    internal = sum(math.comb(n, 2) for n in sizes.values())
    external = 0
    for pair in pairs:
        if not pair <= members:
            continue
        found = _teams_of(pair, teams)
        if found is not None and found[0] != found[1]:
            external += 1
    return _ei(external, internal)


# -- reach and isolation ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Spread:
    """Median and 10th/90th percentiles (linear interpolation between ranks)."""

    median: float | None
    p10: float | None
    p90: float | None


def percentile(values: Sequence[float], share: float) -> float | None:
    """The ``share`` (0..1) percentile of ``values``, interpolating linearly between the
    two nearest ranks (numpy's default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def spread(values: Sequence[float]) -> Spread:
    return Spread(percentile(values, 0.5), percentile(values, 0.1), percentile(values, 0.9))


def reach(
    pairs: Iterable[Pair], teams: Mapping[str, str | None], people: Collection[str]
) -> dict[str, int]:
    """For each of ``people`` whose team is known: how many distinct other teams they
    have a tie with (0 for someone never matched)."""
    met: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        a, b = sorted(pair)
        team_a, team_b = teams.get(a), teams.get(b)
        if team_a and team_b and team_a != team_b:
            met[a].add(team_b)
            met[b].add(team_a)
    return {person: len(met[person]) for person in sorted(people) if teams.get(person)}


def isolated(
    pairs: Iterable[Pair], teams: Mapping[str, str | None], people: Collection[str]
) -> tuple[str, ...]:
    """``people`` (with a known team) who have no cross-team tie yet."""
    return tuple(p for p, n in reach(pairs, teams, people).items() if n == 0)


# -- bridges ---------------------------------------------------------------------------


def bridges(matrix: Mapping[TeamPair, int]) -> tuple[TeamPair, ...]:
    """Team links that are the program's only connection between two parts of the
    company: in the graph of teams linked by at least one cross-team tie, the links
    whose removal would leave the two teams (and everyone on their sides) with no path
    between them at all."""
    graph: dict[str, set[str]] = defaultdict(set)
    for (a, b), count in matrix.items():
        if a != b and count > 0:
            graph[a].add(b)
            graph[b].add(a)
    found: list[TeamPair] = []
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    for root in sorted(graph):
        if root in order:
            continue
        # Tarjan's bridge-finding, iteratively (a team graph can be deep).
        order[root] = low[root] = len(order)
        stack: list[tuple[str, str | None, list[str]]] = [(root, None, sorted(graph[root]))]
        while stack:
            node, parent, todo = stack[-1]
            if todo:
                nxt = todo.pop()
                if nxt == parent:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, node, sorted(graph[nxt])))
                continue
            stack.pop()
            if parent is not None:
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    first, second = sorted((parent, node))
                    found.append((first, second))
    return tuple(sorted(found))


# -- newcomers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Integration:
    """How fast one person got in: whole days from joining the program to the
    introduction of their first group that reported "we met", and to their first
    cross-team tie (None: not yet)."""

    person: str
    joined: datetime
    days_to_first_meeting: int | None
    days_to_first_cross_team_tie: int | None


def integration(
    groups: Iterable[PastGroup],
    teams: Mapping[str, str | None],
    joined: Mapping[str, datetime],
    round_dates: Mapping[int, datetime],
) -> tuple[Integration, ...]:
    """For each person in ``joined``: days to their first meeting and first cross-team
    tie, counted from when they joined to when that round's introductions were made."""
    first_met: dict[str, datetime] = {}
    first_cross: dict[str, datetime] = {}
    for group in groups:
        when = round_dates.get(group.round)
        if when is None:
            continue
        if group.outcome is Outcome.MET:
            for person in group.members:
                if person not in first_met or when < first_met[person]:
                    first_met[person] = when
        if group.outcome is Outcome.NOT_MET:
            continue
        for person in group.members:
            mine = teams.get(person)
            crosses = mine is not None and any(
                teams.get(other) not in (None, mine) for other in group.members
            )
            if crosses and (person not in first_cross or when < first_cross[person]):
                first_cross[person] = when

    def days(person: str, found: Mapping[str, datetime]) -> int | None:
        if person not in found:
            return None
        return max(0, (found[person] - joined[person]).days)

    return tuple(
        Integration(person, joined[person], days(person, first_met), days(person, first_cross))
        for person in sorted(joined)
    )


@dataclass(frozen=True, slots=True)
class MentorWaits:
    """How long mentees wait for a mentor, in whole days: from joining the program to
    their first mentorship starting (over those who have one), and how long those
    without a mentor now have waited so far."""

    to_mentor: Spread
    matched: int
    waiting_longest: int | None
    waiting_median: float | None


def mentor_waits(
    joined: Mapping[str, datetime],
    started: Mapping[str, datetime],
    waiting_since: Mapping[str, datetime],
    now: datetime,
) -> MentorWaits:
    """``joined``: each mentee's joining; ``started``: when each mentee's first mentorship
    since joining started (absent: none yet); ``waiting_since``: each mentee without a
    mentor now, since when (their joining, or the end of their last mentorship)."""
    to_mentor = [
        max(0, (started[person] - joined[person]).days) for person in joined if person in started
    ]
    waiting = [max(0, (now - at).days) for at in waiting_since.values()]
    return MentorWaits(
        to_mentor=spread(to_mentor),
        matched=len(to_mentor),
        waiting_longest=max(waiting, default=None),
        waiting_median=percentile(waiting, 0.5),
    )


# -- outcomes --------------------------------------------------------------------------


class Dimension(StrEnum):
    CAREER = "career"
    SKILLS = "skills"
    RELATIONSHIPS = "relationships"
    ORGANISATION = "organisation"


class CameOf(StrEnum):
    """What people say came of a meeting (the follow-up question's options)."""

    LEARNED = "learned"  # learned something new
    CAREER = "career"  # career advice or an opening
    IDEA = "idea"  # an idea for my work
    COLLABORATE = "collaborate"  # we'll work together
    FRIEND = "friend"  # a new friend
    NOTHING = "nothing"  # nothing much


DIMENSION_OF: dict[CameOf, Dimension | None] = {
    CameOf.LEARNED: Dimension.SKILLS,
    CameOf.CAREER: Dimension.CAREER,
    CameOf.IDEA: Dimension.ORGANISATION,
    CameOf.COLLABORATE: Dimension.ORGANISATION,
    CameOf.FRIEND: Dimension.RELATIONSHIPS,
    CameOf.NOTHING: None,
}

# No breakdown of answers is shown over fewer answers than this: with a handful,
# anyone who knows who met could tell what a person answered.
MIN_ANSWERS = 5


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Counts per dimension over ``answers`` answers (``nothing``: "nothing much").

    ``shown`` is False when there are fewer than ``MIN_ANSWERS`` answers: callers then
    show only how many answered, never the counts or the average rating.
    """

    answers: int
    by_dimension: dict[Dimension, int]
    nothing: int
    ratings: int
    mean_rating: float | None

    @property
    def shown(self) -> bool:
        return self.answers >= MIN_ANSWERS

    @property
    def rating_shown(self) -> bool:
        return self.ratings >= MIN_ANSWERS


def outcomes(
    came_of: Iterable[str | None],
    ratings: Iterable[int | None] = (),
    *,
    extra: Mapping[Dimension | str, int] | None = None,
    extra_answers: int = 0,
) -> Outcomes:
    """Count answers by dimension. ``came_of`` holds each answer's option (``CameOf``
    value; None and unknown values are not answers). ``extra`` adds counts from other
    sources by dimension — e.g. mentorship feedback, counted by its own module — with
    ``extra_answers`` the number of answers they came from."""
    counts: Counter[Dimension] = Counter()
    answers = nothing = 0
    for value in came_of:
        try:
            option = CameOf(value) if value is not None else None
        except ValueError:
            option = None
        if option is None:
            continue
        answers += 1
        dimension = DIMENSION_OF[option]
        if dimension is None:
            nothing += 1
        else:
            counts[dimension] += 1
    for name, count in (extra or {}).items():
        counts[Dimension(name)] += count
    given = [r for r in ratings if r is not None and 1 <= r <= 5]
    return Outcomes(
        answers=answers + extra_answers,
        by_dimension={d: counts[d] for d in Dimension},
        nothing=nothing,
        ratings=len(given),
        mean_rating=sum(given) / len(given) if given else None,
    )


# -- over time and all together -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One round: its own E-I index and the cumulative one up to it, each beside the
    random baseline on the same membership; distinct ties so far (all and cross-team);
    the round's meeting rate (met / reported); median reach so far; and the company
    network's E-I index (``company_ei``: team-mates plus the program's ties so far)."""

    round: int
    ei_round: float | None
    ei_round_random: float | None
    ei_cumulative: float | None
    ei_cumulative_random: float | None
    ties: int
    cross_team_ties: int
    meeting_rate: float | None
    reach_median: float | None
    ei_company: float | None = None


def trend(
    groups: Iterable[PastGroup],
    teams: Mapping[str, str | None],
    people: Collection[str] = (),
) -> tuple[TrendPoint, ...]:
    """The measures round by round (rounds in increasing order). The company network's
    index is over ``people`` and everyone grouped (the same membership every round)."""
    history = list(groups)
    membership = set(people) | {m for g in history for m in g.members}
    groups = history
    by_round: dict[int, list[PastGroup]] = defaultdict(list)
    for group in groups:
        by_round[group.round].append(group)
    points: list[TrendPoint] = []
    so_far: list[PastGroup] = []
    for number in sorted(by_round):
        now = by_round[number]
        so_far.extend(now)
        round_ties = ties(now)
        all_ties = ties(so_far)
        members = {m for g in now for m in g.members}
        everyone = {m for g in so_far for m in g.members}
        reported = [g for g in now if g.outcome is not None]
        met = sum(1 for g in reported if g.outcome is Outcome.MET)
        cross = sum(n for (a, b), n in team_ties(all_ties, teams).items() if a != b)
        points.append(
            TrendPoint(
                round=number,
                ei_round=ei_index(round_ties, teams),
                ei_round_random=random_ei(members, teams),
                ei_cumulative=ei_index(all_ties, teams),
                ei_cumulative_random=random_ei(everyone, teams),
                ties=len(all_ties),
                cross_team_ties=cross,
                meeting_rate=met / len(reported) if reported else None,
                reach_median=spread(list(reach(all_ties, teams, everyone).values())).median,
                ei_company=company_ei(membership, teams, all_ties),
            )
        )
    return tuple(points)


@dataclass(frozen=True, slots=True)
class NetworkImpact:
    """Everything the impact views show about the network, over all rounds so far.

    ``people`` is the whole membership (current members and anyone grouped); the random
    baseline is computed over those with a known team. ``reach`` and ``isolated`` are
    about the current members."""

    people: tuple[str, ...]
    teams: tuple[str, ...]
    ties: int
    team_ties: dict[TeamPair, int]
    ei_index: float | None
    ei_index_random: float | None
    ei_by_team: dict[str, float | None]
    ei_by_team_random: dict[str, float | None]
    reach: dict[str, int]
    reach_spread: Spread
    isolated: tuple[str, ...]
    bridges: tuple[TeamPair, ...]
    trend: tuple[TrendPoint, ...]
    ei_company_start: float | None = None  # team-mates only: before the first round
    ei_company: float | None = None  # team-mates plus the program's ties now


def network_impact(
    groups: Iterable[PastGroup],
    *,
    teams: Mapping[str, str | None],
    people: Collection[str] = (),
) -> NetworkImpact:
    """All network measures over ``groups``. Reach and isolation are measured for
    ``people`` (the current members; default: everyone who was grouped); the random
    baseline is over the whole membership (``people`` and everyone grouped)."""
    history = list(groups)
    found = ties(history)
    grouped = {m for g in history for m in g.members}
    everyone = set(people) | grouped
    matrix = team_ties(found, teams)
    reached = reach(found, teams, people or grouped)
    return NetworkImpact(
        people=tuple(sorted(everyone)),
        teams=tuple(sorted(_team_sizes(everyone, teams))),
        ties=len(found),
        team_ties=matrix,
        ei_index=ei_index(found, teams),
        ei_index_random=random_ei(everyone, teams),
        ei_by_team=ei_by_team(found, teams),
        ei_by_team_random=random_ei_by_team(everyone, teams),
        reach=reached,
        reach_spread=spread(list(reached.values())),
        isolated=tuple(p for p, n in reached.items() if n == 0),
        bridges=bridges(matrix),
        trend=trend(history, teams, everyone),
        ei_company_start=company_ei(everyone, teams),
        ei_company=company_ei(everyone, teams, found),
    )
