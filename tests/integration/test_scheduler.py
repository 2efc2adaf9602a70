"""The clock: jobs built from the programs in their time zones, reconciled without a
restart, a missed round run once after downtime, one clock at a time. No real waiting:
triggers are computed and jobs are fired by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.bootstrap import build
from bot.config import Settings
from bot.core import Core
from bot.leader import Leadership
from bot.schedule import parse_schedule
from bot.scheduler import Clock
from bot.services.scheduled import latest_slot
from bot.slack.simulator.slack_api import SlackApiSimulator
from storage.db import create_engine
from storage.repositories import ProgramSpec
from tests.conftest import NOW
from tests.fakes import community
from tests.fakes.clock import FakeClock
from tests.fakes.virtual_time import VirtualTime

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_9_BERLIN = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Berlin (CET)


@pytest.fixture
def slack() -> Iterator[SlackApiSimulator]:
    simulator = SlackApiSimulator()
    simulator.workspace.add_channel("C0COFFEE")
    with simulator:
        yield simulator


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def container(database_url, slack, clock) -> AsyncIterator[Core]:
    settings = Settings(
        database_url=database_url,
        slack_bot_token="xoxb-sim",
        slack_signing_secret="secret",
        slack_api_url=slack.api_url,
        embedded_clock=False,
    )
    time = VirtualTime(clock)
    built = build(settings, clock=clock, sleep=time.sleep, monotonic=time.monotonic)
    yield built
    await built.aclose()


@pytest.fixture
async def clock_service(container) -> AsyncIterator[Clock]:
    service = Clock(container, scheduler=AsyncIOScheduler(timezone="UTC"))
    service.scheduler.start(paused=True)  # jobs are inspected and fired by hand
    yield service
    service.scheduler.shutdown(wait=False)


async def _program(container, slack, clock, **spec):
    workspace = await container.workspace()
    users = community.people(6)
    community.add_to_slack(slack.workspace, users)
    spec.setdefault("schedule", "every monday at 09:00")
    spec.setdefault("timezone", "Europe/Berlin")
    program = await community.enroll(
        container.uow, workspace.id, users, now=clock(), channel_id="C0COFFEE", **spec
    )
    return workspace, program


def test_the_latest_slot_is_the_last_fire_time_inside_the_grace_window() -> None:
    trigger = parse_schedule("every monday at 09:00").trigger(BERLIN)
    later = MONDAY_9_BERLIN + timedelta(hours=2)
    assert latest_slot(trigger, later, within=timedelta(hours=6)) == MONDAY_9_BERLIN
    assert latest_slot(trigger, MONDAY_9_BERLIN, within=timedelta(hours=6)) == MONDAY_9_BERLIN
    assert latest_slot(trigger, later + timedelta(hours=5), within=timedelta(hours=6)) is None


def _rounds(service):  # type: ignore[no-untyped-def]
    """The round jobs (each program also has its monthly impact digest job)."""
    return [job for job in service.scheduler.get_jobs() if job.id.startswith("round:")]


async def test_each_program_gets_a_round_job_in_its_own_time_zone(
    container, slack, clock, clock_service
) -> None:
    workspace, program = await _program(container, slack, clock)
    await clock_service.reconcile()
    (job,) = _rounds(clock_service)
    assert job.id == f"round:{workspace.id}:{program.id}"
    first = job.trigger.get_next_fire_time(None, NOW + timedelta(hours=1))
    assert first.astimezone(BERLIN).strftime("%a %H:%M") == "Mon 09:00"
    assert job.coalesce and job.misfire_grace_time == 6 * 3600


async def test_a_schedule_edited_in_slack_takes_effect_at_the_next_reconcile(
    container, slack, clock, clock_service
) -> None:
    workspace, program = await _program(container, slack, clock)
    await clock_service.reconcile()
    async with container.uow(workspace.id) as uow:
        spec = ProgramSpec(
            name="coffee",
            channel_id="C0COFFEE",
            schedule="every other week on tuesday at 10:00",
            timezone="America/New_York",
        )
        await uow.programs.save(spec, now=clock(), source="slack", program_id=program.id)
        await uow.commit()
    await clock_service.reconcile()
    (job,) = _rounds(clock_service)
    fire = job.trigger.get_next_fire_time(None, NOW).astimezone(ZoneInfo("America/New_York"))
    assert fire.strftime("%a %H:%M") == "Tue 10:00"
    async with container.uow(workspace.id) as uow:
        spec = ProgramSpec(name="coffee", channel_id="C0COFFEE", active=False)
        await uow.programs.save(spec, now=clock(), source="slack", program_id=program.id)
        await uow.commit()
    await clock_service.reconcile()
    assert clock_service.scheduler.get_jobs() == []


async def test_a_fired_job_forms_the_slots_round_once_even_if_two_clocks_fire_it(
    container, slack, clock, clock_service
) -> None:
    workspace, program = await _program(container, slack, clock)
    await clock_service.reconcile()
    (job,) = _rounds(clock_service)
    clock.now = MONDAY_9_BERLIN + timedelta(seconds=3)
    await clock_service.fire_round(*job.args)
    clock.advance(seconds=20)
    await clock_service.fire_round(*job.args)  # a second clock, or a coalesced retry
    async with container.uow(workspace.id) as uow:
        rounds = await uow.rounds.recent(program.id)
    assert [(r.number, r.slot, r.trigger, r.delivered) for r in rounds] == [
        (1, MONDAY_9_BERLIN, "schedule", True)
    ]


async def test_after_downtime_a_missed_round_runs_once_and_then_its_checkins_follow(
    container, slack, clock, clock_service
) -> None:
    workspace, program = await _program(container, slack, clock, checkin_after_days=3)
    clock.now = MONDAY_9_BERLIN - timedelta(days=7)
    from bot.services.scheduled import run_scheduled_round

    scope = await container.scope_for(workspace, paced=True)
    await run_scheduled_round(scope, "coffee", clock.now)  # last week's
    clock.now = MONDAY_9_BERLIN + timedelta(hours=2)  # the clock was down at 09:00
    await clock_service.reconcile()
    jobs = {job.id.split(":")[0]: job for job in clock_service.scheduler.get_jobs()}
    assert jobs["round"].next_run_time == clock.now  # catch up now, once
    await clock_service.fire_round(*jobs["round"].args)
    clock_service.signatures.clear()
    await clock_service.reconcile()  # a restart now must not run it a second time
    jobs = {job.id.split(":")[0]: job for job in clock_service.scheduler.get_jobs()}
    assert jobs["round"].next_run_time != clock.now
    checkin = jobs["checkin"]
    assert checkin.trigger.run_date == MONDAY_9_BERLIN + timedelta(hours=2, days=3)
    clock.now = checkin.trigger.run_date
    await clock_service.fire_checkins(*checkin.args)
    async with container.uow(workspace.id) as uow:
        rounds = await uow.rounds.recent(program.id)
    assert [r.number for r in rounds] == [2, 1]
    assert rounds[0].checkin_at == clock.now
    checkins = [m for m in slack.workspace.all_messages() if "Did you get to meet" in m.text]
    assert len(checkins) == len(rounds[0].groups)


async def test_a_new_program_waits_for_its_first_slot(container, slack, clock, clock_service):
    await _program(container, slack, clock)
    clock.now = MONDAY_9_BERLIN + timedelta(hours=1)
    await clock_service.reconcile()
    (job,) = _rounds(clock_service)
    assert job.next_run_time is None or job.next_run_time > clock.now


@pytest.mark.postgres
async def test_a_second_clock_idles_behind_the_advisory_lock(postgres_url: str) -> None:
    engine_a, engine_b = create_engine(postgres_url), create_engine(postgres_url)
    first, second = Leadership(engine_a), Leadership(engine_b)
    try:
        assert await first.acquire()
        assert not await second.acquire()
        assert await first.acquire(), "asking again keeps the lock"
        await first.release()
        assert await second.acquire()
    finally:
        await first.release()
        await second.release()
        await engine_a.dispose()
        await engine_b.dispose()


async def test_on_sqlite_the_only_clock_always_leads(tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/x.db")
    try:
        assert await Leadership(engine).acquire()
    finally:
        await engine.dispose()


class _LockTaken:
    """Another clock holds the lock."""

    needed = True

    async def acquire(self) -> bool:
        return False

    async def release(self) -> None:
        return None


async def test_a_clock_that_cannot_take_the_lock_schedules_nothing(container, slack, clock):
    import asyncio

    from apscheduler.schedulers.base import STATE_PAUSED

    await _program(container, slack, clock)
    service = Clock(container, leadership=_LockTaken(), leader_retry_seconds=0.01)  # type: ignore[arg-type]
    await service.start()
    try:
        await asyncio.sleep(0.1)
        assert service.scheduler.state == STATE_PAUSED
        assert service.scheduler.get_jobs() == []
    finally:
        await service.stop()


async def test_serve_runs_the_clock_and_the_worker_on_the_embedded_default(
    container, slack, clock
) -> None:
    import asyncio

    from bot import runtime
    from bot.delivery.worker import DeliveryWorker
    from bot.services.rounds import start_round

    workspace, _program_record = await _program(container, slack, clock)
    services = runtime.background_services(container, embedded=True)
    assert [type(s) for s in services] == [DeliveryWorker, Clock]
    assert runtime.background_services(container, embedded=False) == []
    for service in services:
        await service.start()
    try:
        formed = await start_round(await container.scope_for(workspace), "coffee")
        for _ in range(400):  # the worker was woken by the kick
            async with container.uow(workspace.id) as uow:
                latest = await uow.rounds.get(formed.round.id)
            if latest is not None and latest.delivered:
                break
            await asyncio.sleep(0.05)
        assert latest is not None and latest.delivered
        assert container.deliveries._tasks == {}, "delivered by the worker, not a side task"
    finally:
        for service in reversed(services):
            await service.stop()
