"""Coffee: random groups across the company, a new group every round.

Whoever was left out last time goes first; a pair whose meeting did not happen may be
offered again when the program says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.kinds.base import Kind, Wording
from bot.kinds.fields import Flag, Number
from pairing.coffee import plan_coffee_round
from pairing.intake import Relationships
from pairing.models import Member, PastGroup, Plan
from pairing.options import MAX_GROUP_SIZE, MIN_GROUP_SIZE, CoffeeOptions
from storage.records import ProgramRecord

GROUP_SIZE = Number(
    name="group_size",
    label="Group size",
    hint=None,
    default=2,
    low=MIN_GROUP_SIZE,
    high=MAX_GROUP_SIZE,
)
REOFFER_MISSED = Flag(
    name="reoffer_missed",
    option="reoffer_missed",
    label="Give missed meetings another chance",
    description="A pair who couldn't meet may be matched again",
    default=False,
)


class Coffee(Kind):
    name = "coffee"
    label = "Coffee"
    description = "Random groups that meet for a chat"
    noun = "coffee"
    wording = Wording(
        intro_title="☕ Meet your coffee match", group="coffee group", groups="coffee groups"
    )
    settings = (GROUP_SIZE, REOFFER_MISSED)

    def plan(
        self,
        program: ProgramRecord,
        members: Sequence[Member],
        history: Sequence[PastGroup],
        *,
        seed: int,
        priority: frozenset[str],
        relationships: Relationships | None = None,
    ) -> Plan:
        options = CoffeeOptions(
            group_size=GROUP_SIZE.of(program), reoffer_missed=REOFFER_MISSED.of(program)
        )
        return plan_coffee_round(members, history, seed=seed, options=options, priority=priority)

    def facts(self, program: ProgramRecord) -> tuple[str, ...]:
        return (f"groups of {GROUP_SIZE.of(program)}",)


COFFEE = Coffee()
