"""The clock: APScheduler 3.x ``AsyncIOScheduler`` with jobs built from the programs.

Each active program gets a round job whose trigger is its schedule in its own time zone;
each delivered round whose check-ins are due gets a one-off check-in job. The jobs are
reconciled with the programs table every minute, so a schedule a lead edits in Slack
takes effect without a restart. Missed runs coalesce into one, within a grace window,
and after downtime a slot that was missed (and not run since) runs once at start.

Only one clock fires: the others idle behind ``bot.leader.Leadership`` and try again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.kinds import lasts_a_term
from bot.kinds.common import DIGEST_OFF, IMPACT_DIGEST
from bot.leader import Leadership
from bot.schedule import ScheduleError, parse_schedule
from bot.services.scheduled import (
    checkin_due,
    latest_slot,
    run_checkins,
    run_digest,
    run_mentorship_checkins,
    run_scheduled_round,
)
from storage.records import ProgramRecord, WorkspaceRecord

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

GRACE = timedelta(hours=6)
MENTORSHIP_MINUTES = 15  # how often mentorships' due check-ins and closing cards are queued
RECONCILE_SECONDS = 60.0
LEADER_RETRY_SECONDS = 30.0


class Clock:
    """A ``Background`` for ``serve``, and the whole of ``mentorbot clock``."""

    def __init__(
        self,
        core: Core,
        *,
        scheduler: AsyncIOScheduler | None = None,
        leadership: Leadership | None = None,
        grace: timedelta = GRACE,
        reconcile_seconds: float = RECONCILE_SECONDS,
        leader_retry_seconds: float = LEADER_RETRY_SECONDS,
    ) -> None:
        self.core = core
        self.scheduler = scheduler or AsyncIOScheduler(timezone="UTC")
        self.leadership = leadership or Leadership(core.engine)
        self.grace = grace
        self.reconcile_seconds = reconcile_seconds
        self.leader_retry_seconds = leader_retry_seconds
        self.signatures: dict[str, tuple[Any, ...]] = {}
        self._watch: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.scheduler.start(paused=True)
        self._watch = asyncio.create_task(self._lead())

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        await self.leadership.release()

    async def _lead(self) -> None:
        """Fire while holding the lock; idle (and keep asking) while another clock does."""
        leading = False
        while True:
            held = await self.leadership.acquire()
            if held and not leading:
                log.info("clock: leading; jobs come from the programs table")
                await self.reconcile()
                self.scheduler.resume()
            elif not held and leading:
                log.warning("clock: lost the lock; idling")
                self.scheduler.pause()
            elif not held:
                log.info("clock: another clock is running; idling")
            leading = held
            if leading:
                await asyncio.sleep(self.reconcile_seconds)
                try:
                    await self.reconcile()
                except Exception:
                    log.exception("clock: could not read the programs; keeping the old jobs")
            else:
                await asyncio.sleep(self.leader_retry_seconds)

    async def reconcile(self) -> None:
        """Make the jobs match the programs (and the rounds waiting for check-ins)."""
        now = self.core.clock()
        wanted: set[str] = set()
        async with self.core.uow.workspaces() as unit:
            known = await unit.workspaces.all()
        for workspace in known:
            if workspace.platform not in self.core.platforms:
                continue  # a platform this process does not serve
            async with self.core.uow(workspace.id) as uow:
                programs = await uow.programs.all(active_only=True)
                latest = {p.id: await uow.rounds.latest_head(p.id) for p in programs}
            for program in programs:
                wanted |= self._round_job(workspace, program, now, latest[program.id])
                wanted |= self._checkin_job(workspace, program, now, latest[program.id])
                wanted |= self._digest_job(workspace, program)
            if any(lasts_a_term(p) for p in programs):
                wanted |= self._mentorship_job(workspace)
        for job in self.scheduler.get_jobs():
            if job.id not in wanted:
                job.remove()
        for job_id in set(self.signatures) - wanted:
            del self.signatures[job_id]

    def _round_job(
        self, workspace: WorkspaceRecord, program: ProgramRecord, now: datetime, latest: Any
    ) -> set[str]:
        job_id = f"round:{workspace.id}:{program.id}"
        signature = (program.name, program.schedule, program.timezone)
        if self.signatures.get(job_id) == signature:
            return {job_id}
        try:
            trigger = parse_schedule(program.schedule).trigger(ZoneInfo(program.timezone))
        except (ScheduleError, ValueError, KeyError) as exc:
            log.error("program %s: cannot schedule %r: %s", program.name, program.schedule, exc)
            return set()
        # After downtime: a slot missed within the grace window runs once, now — for a
        # program that was running before (a brand-new program waits for its next slot).
        missed = latest_slot(trigger, now, within=self.grace)
        behind = missed is not None and latest is not None and latest.created_at < missed
        extra: dict[str, Any] = {}
        if behind and job_id not in self.signatures:
            log.info("program %s: missed its %s round; running it now", program.name, missed)
            extra["next_run_time"] = now
        self.scheduler.add_job(
            self.fire_round,
            trigger,
            args=(workspace, program.name, trigger),
            id=job_id,
            name=f"round of {program.name}",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(self.grace.total_seconds()),
            **extra,
        )
        self.signatures[job_id] = signature
        return {job_id}

    def _digest_job(self, workspace: WorkspaceRecord, program: ProgramRecord) -> set[str]:
        """The monthly impact digest to the program's leads, on the program's
        ``impact_digest`` schedule (none when it is "off"). Firing more than once a
        month sends nothing new: the outbox key is per program and month."""
        job_id = f"digest:{workspace.id}:{program.id}"
        schedule = IMPACT_DIGEST.of(program)
        if schedule.strip().lower() == DIGEST_OFF:
            return set()
        signature = (program.name, schedule, program.timezone)
        if self.signatures.get(job_id) == signature:
            return {job_id}
        try:
            trigger = parse_schedule(schedule).trigger(ZoneInfo(program.timezone))
        except (ScheduleError, ValueError, KeyError) as exc:
            log.error("program %s: cannot schedule its digest %r: %s", program.name, schedule, exc)
            return set()
        self.scheduler.add_job(
            self.fire_digest,
            trigger,
            args=(workspace, program.name),
            id=job_id,
            name=f"impact digest of {program.name}",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(self.grace.total_seconds()),
        )
        self.signatures[job_id] = signature
        return {job_id}

    def _checkin_job(
        self, workspace: WorkspaceRecord, program: ProgramRecord, now: datetime, latest: Any
    ) -> set[str]:
        due = checkin_due(program, latest) if latest is not None and latest.delivered else None
        if due is None:
            return set()
        job_id = f"checkin:{workspace.id}:{program.id}:{latest.id}"
        if self.scheduler.get_job(job_id) is None:  # new, or it ran and must try again
            self.scheduler.add_job(
                self.fire_checkins,
                DateTrigger(run_date=max(due, now)),
                args=(workspace, program.name),
                id=job_id,
                name=f"check-ins of {program.name} round {latest.number}",
                replace_existing=True,
                misfire_grace_time=None,  # late is better than never
            )
        return {job_id}

    def _mentorship_job(self, workspace: WorkspaceRecord) -> set[str]:
        """Every few minutes: the mentorships' check-ins and closing cards that are due."""
        job_id = f"mentorships:{workspace.id}"
        if self.scheduler.get_job(job_id) is None:
            self.scheduler.add_job(
                self.fire_mentorships,
                IntervalTrigger(minutes=MENTORSHIP_MINUTES),
                args=(workspace,),
                id=job_id,
                name=f"mentorship check-ins of {workspace.name}",
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                next_run_time=self.core.clock(),
            )
        return {job_id}

    async def fire_mentorships(self, workspace: WorkspaceRecord) -> None:
        try:
            await run_mentorship_checkins(await self.core.scope_for(workspace, paced=True))
        except Exception:
            log.exception("mentorship check-ins of %s failed; tried again soon", workspace.name)

    async def fire_round(
        self, workspace: WorkspaceRecord, program: str, trigger: BaseTrigger
    ) -> None:
        now = self.core.clock()
        slot = latest_slot(trigger, now, within=self.grace) or now
        try:
            scope = await self.core.scope_for(workspace, paced=True)
            await run_scheduled_round(scope, program, slot)
        except Exception:
            log.exception("scheduled round of %s failed; the next run finishes it", program)
        await self.reconcile()  # the new round's check-in job

    async def fire_checkins(self, workspace: WorkspaceRecord, program: str) -> None:
        try:
            await run_checkins(await self.core.scope_for(workspace, paced=True), program)
        except Exception:
            log.exception("check-ins of %s failed; they are tried again", program)

    async def fire_digest(self, workspace: WorkspaceRecord, program: str) -> None:
        try:
            await run_digest(await self.core.scope_for(workspace, paced=True), program)
        except Exception:
            log.exception(
                "impact digest of %s failed; rows already queued are still delivered", program
            )
