"""What the Teams adapter must not forget when its process restarts: each tenant's Bot
Connector address and where each person's home card is (a restarted process updates the
same card instead of posting another)."""

from __future__ import annotations

from bot.platform import SentMessage
from bot.teams.routes import Routes
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW


async def test_the_address_and_the_home_card_survive_a_restart(
    memory_uow: UnitOfWorkFactory,
) -> None:
    tenant = await memory_uow.ensure_workspace("teams", "tenant-1", name="Contoso", now=NOW)
    before = Routes(memory_uow, lambda: NOW)
    await before.learn(tenant, "https://smba.example/emea", "a:personal")
    await before.remember_home(tenant, "user-1", SentMessage("a:personal", "1700"))

    after = Routes(memory_uow, lambda: NOW)  # a new process: nothing in memory
    assert await after.service_url(tenant) == "https://smba.example/emea/"
    assert await after.home(tenant, "user-1") == SentMessage("a:personal", "1700")
    assert await after.home(tenant, "user-2") is None
