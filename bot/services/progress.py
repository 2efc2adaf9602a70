"""How far a round's delivery has got: its outbox rows sent (or failed for good) of all,
for the dashboard while a round is still going out."""

from __future__ import annotations

from dataclasses import dataclass

from storage.uow import UnitOfWork

SENT_STATES = frozenset({"sent"})
FAILED_STATES = frozenset({"failed"})


@dataclass(frozen=True, slots=True)
class DeliveryProgress:
    """A round whose messages are still going out: outbox rows sent (and failed for
    good) of all its rows."""

    round_number: int
    sent: int
    failed: int
    total: int

    @property
    def share(self) -> float:
        return (self.sent + self.failed) / self.total if self.total else 1.0


async def delivery_progress(uow: UnitOfWork, program_id: int) -> DeliveryProgress | None:
    """The latest round's delivery while it is still going out (None once delivered)."""
    latest = await uow.rounds.latest(program_id)
    if latest is None or latest.delivered:
        return None
    counts = await uow.outbox.counts(latest.id)
    return DeliveryProgress(
        round_number=latest.number,
        sent=sum(n for state, n in counts.items() if state in SENT_STATES),
        failed=sum(n for state, n in counts.items() if state in FAILED_STATES),
        total=sum(counts.values()),
    )
