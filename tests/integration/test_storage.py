"""Storage against real databases: each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from pairing.models import Outcome, Reason, ReasonKind, Role
from storage import orm
from storage.records import WorkspaceRecord
from storage.repositories import Profile, ProgramSpec
from storage.repositories.enrollments import EnrollmentForm
from storage.repositories.rounds import NewGroup, RoundExists
from storage.uow import UnitOfWorkFactory
from tests.conftest import NOW


async def _person(uow_factory, workspace, user_id, **profile):
    async with uow_factory(workspace.id) as uow:
        person = await uow.people.upsert(
            Profile(user_id=user_id, display_name=user_id.lower(), **profile), now=NOW
        )
        await uow.commit()
    return person


async def _program(uow_factory, workspace, name="coffee", **spec):
    async with uow_factory(workspace.id) as uow:
        program = await uow.programs.save(ProgramSpec(name=name, **spec), now=NOW, source="test")
        await uow.commit()
    return program


async def test_a_person_is_enrolled_once_per_program_and_signup_again_edits_it(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    person = await _person(uow_factory, workspace, "U1", time_zone="Europe/Berlin")
    program = await _program(uow_factory, workspace)
    async with uow_factory(workspace.id) as uow:
        first, created = await uow.enrollments.save(
            program.id, person.id, EnrollmentForm(interests=["chess"]), now=NOW
        )
        again, created_again = await uow.enrollments.save(
            program.id, person.id, EnrollmentForm(interests=["go", "tea"]), now=NOW
        )
        await uow.commit()
    assert created and not created_again
    assert first.id == again.id
    assert again.interests == ("go", "tea")
    async with uow_factory(workspace.id) as uow:
        assert len(await uow.enrollments.for_program(program.id)) == 1


async def test_the_database_refuses_a_second_enrollment_row(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    person = await _person(uow_factory, workspace, "U1")
    program = await _program(uow_factory, workspace)
    async with uow_factory(workspace.id) as uow:
        await uow.enrollments.save(program.id, person.id, EnrollmentForm(), now=NOW)
        await uow.commit()
    async with uow_factory(workspace.id) as uow:
        uow.session.add(
            orm.Enrollment(
                workspace_id=workspace.id,
                program_id=program.id,
                person_id=person.id,
                joined_at=NOW,
                updated_at=NOW,
            )
        )
        with pytest.raises(IntegrityError):
            await uow.session.flush()


async def test_uncommitted_work_is_rolled_back(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    async with uow_factory(workspace.id) as uow:
        await uow.programs.save(ProgramSpec(name="ghost"), now=NOW, source="test")
    async with uow_factory(workspace.id) as uow:
        assert await uow.programs.by_name("ghost") is None


async def test_pause_with_an_end_date_ends_by_itself_and_leave_erases_the_profile(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    person = await _person(uow_factory, workspace, "U1")
    program = await _program(uow_factory, workspace)
    async with uow_factory(workspace.id) as uow:
        record, _ = await uow.enrollments.save(
            program.id, person.id, EnrollmentForm(interests=["chess"]), now=NOW
        )
        await uow.enrollments.pause(record.id, until=NOW + timedelta(weeks=2), now=NOW)
        await uow.commit()
    async with uow_factory(workspace.id) as uow:
        assert await uow.enrollments.available(program.id, now=NOW + timedelta(days=1)) == []
        later = await uow.enrollments.available(program.id, now=NOW + timedelta(weeks=3))
        assert [r.person.user_id for r in later] == ["U1"]
        await uow.enrollments.leave(record.id, now=NOW)
        await uow.commit()
    async with uow_factory(workspace.id) as uow:
        gone = await uow.enrollments.get(program.id, person.id)
        assert gone is not None and gone.left_at is not None and gone.interests == ()
        assert await uow.enrollments.available(program.id, now=NOW) == []


async def test_one_round_per_program_and_slot(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    program = await _program(uow_factory, workspace)
    async with uow_factory(workspace.id) as uow:
        await uow.rounds.create(
            program_id=program.id,
            seed=1,
            slot=NOW,
            trigger="schedule",
            groups=[],
            left_out=[],
            notes=[],
            now=NOW,
        )
        await uow.commit()
    async with uow_factory(workspace.id) as uow:
        with pytest.raises(RoundExists):
            await uow.rounds.create(
                program_id=program.id,
                seed=2,
                slot=NOW,
                trigger="schedule",
                groups=[],
                left_out=[],
                notes=[],
                now=NOW,
            )


async def test_a_round_keeps_its_groups_reasons_and_history_for_the_engine(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    program = await _program(uow_factory, workspace)
    a, b, c = [await _person(uow_factory, workspace, u) for u in ("UA", "UB", "UC")]
    reason = Reason(ReasonKind.OVERLAPPING_HOURS, minutes=120, window=(600, 720))
    async with uow_factory(workspace.id) as uow:
        stored = await uow.rounds.create(
            program_id=program.id,
            seed=42,
            slot=NOW,
            trigger="manual",
            groups=[NewGroup([(a.id, Role.PEER), (b.id, Role.PEER)], [reason], 2.5)],
            left_out=[(c.id, "alone")],
            notes=["note"],
            now=NOW,
        )
        outcome = await uow.rounds.record_checkin(stored.groups[0].id, a.id, "met", now=NOW)
        await uow.commit()
    assert outcome == "met"
    async with uow_factory(workspace.id) as uow:
        latest = await uow.rounds.latest(program.id)
        history = await uow.rounds.history(program.id)
    assert latest is not None and latest.number == 1 and latest.seed == 42
    assert latest.groups[0].user_ids == ("UA", "UB")
    assert latest.groups[0].reasons == (reason,)
    assert [lo.person.user_id for lo in latest.left_out] == ["UC"]
    assert [(h.round, h.members, h.outcome) for h in history] == [
        (1, frozenset({"UA", "UB"}), Outcome.MET)
    ]


async def test_outbox_keys_are_unique_and_a_claim_is_taken_once(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    async with uow_factory(workspace.id) as uow:
        assert await uow.outbox.add(key="k1", kind="intro", payload={"x": 1}, now=NOW)
        assert not await uow.outbox.add(key="k1", kind="intro", payload={"x": 2}, now=NOW)
        await uow.commit()
    lease = timedelta(minutes=5)
    async with uow_factory(workspace.id) as uow:
        claimed = await uow.outbox.claim(now=NOW, lease=lease)
        await uow.commit()
    async with uow_factory(workspace.id) as uow:
        assert await uow.outbox.claim(now=NOW, lease=lease) == []
        again = await uow.outbox.claim(now=NOW + timedelta(minutes=6), lease=lease)
        await uow.commit()
    assert [(r.key, r.attempts, r.payload) for r in claimed] == [("k1", 1, {"x": 1})]
    assert [(r.key, r.attempts) for r in again] == [("k1", 2)]
    async with uow_factory(workspace.id) as uow:
        await uow.outbox.mark_sent(again[0].id, result={"ts": "1.2"}, now=NOW)
        await uow.commit()
    async with uow_factory(workspace.id) as uow:
        assert await uow.outbox.claim(now=NOW + timedelta(days=1), lease=lease) == []
        assert await uow.outbox.counts() == {"sent": 1}


async def test_a_workspace_never_sees_another_workspaces_rows(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    await _program(uow_factory, workspace, name="secret")
    await _person(uow_factory, workspace, "U1")
    other = await uow_factory.ensure_workspace("slack", "T0002", name="Other", now=NOW)
    async with uow_factory(other.id) as uow:
        assert await uow.programs.all() == []
        assert await uow.programs.by_name("secret") is None
        assert await uow.people.by_user_id("U1") is None


async def test_anonymising_a_person_keeps_their_past_groups_without_their_identity(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    program = await _program(uow_factory, workspace)
    a = await _person(uow_factory, workspace, "UA", title="CTO")
    b = await _person(uow_factory, workspace, "UB")
    async with uow_factory(workspace.id) as uow:
        await uow.rounds.create(
            program_id=program.id,
            seed=1,
            slot=NOW,
            trigger="manual",
            groups=[NewGroup([(a.id, Role.PEER), (b.id, Role.PEER)])],
            left_out=[],
            notes=[],
            now=NOW,
        )
        await uow.people.anonymise(a.id, now=NOW)
        await uow.commit()
    async with uow_factory(workspace.id) as uow:
        assert await uow.people.by_user_id("UA") is None
        (group,) = (await uow.rounds.latest(program.id)).groups  # type: ignore[union-attr]
    former = group.members[0].person
    assert former.deleted and former.title is None and former.user_id != "UA"


async def test_a_sent_message_keeps_its_recipients_but_not_its_text(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    payload = {"users": ["UA", "UB"], "message": {"text": "Meet Ada Lovelace, CTO"}}
    async with uow_factory(workspace.id) as uow:
        await uow.outbox.add(key="intro", kind="intro", payload=payload, now=NOW)
        (row,) = await uow.outbox.claim(now=NOW, lease=timedelta(minutes=1))
        await uow.outbox.mark_sent(row.id, result={"channel": "G1", "ts": "1.1"}, now=NOW)
        await uow.commit()
    async with uow_factory(workspace.id) as uow:
        sent = await uow.outbox.by_key("intro")
    assert sent is not None and sent.state == "sent"
    assert sent.payload == {"users": ["UA", "UB"]}
    assert sent.result == {"channel": "G1", "ts": "1.1"}


async def test_forgetting_a_person_removes_their_id_from_every_recipient_list(
    uow_factory: UnitOfWorkFactory, workspace: WorkspaceRecord
) -> None:
    async with uow_factory(workspace.id) as uow:
        await uow.outbox.add(key="a", kind="intro", payload={"users": ["UA", "UB"]}, now=NOW)
        await uow.outbox.add(key="b", kind="intro", payload={"users": ["UAB", "UC"]}, now=NOW)
        assert await uow.outbox.forget_user("UA", replacement="former-1") == 1
        await uow.commit()
    async with uow_factory(workspace.id) as uow:
        a, b = await uow.outbox.by_key("a"), await uow.outbox.by_key("b")
    assert a is not None and a.payload["users"] == ["former-1", "UB"]
    assert b is not None and b.payload["users"] == ["UAB", "UC"]


async def test_the_migrations_build_exactly_the_tables_the_models_declare(engine) -> None:
    """The in-memory unit of work builds its tables from the models; production builds
    them from the migrations. They must be the same schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import storage.slack_installations  # noqa: F401  (its tables are part of the schema)
    from storage.orm import Base

    def differences(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as connection:
        found = await connection.run_sync(differences)
    assert found == []


async def test_a_route_is_remembered_replaced_and_kept_per_workspace(
    uow_factory, workspace
) -> None:
    """What an adapter must remember across restarts (Teams' address, a home card)."""
    async with uow_factory(workspace.id) as uow:
        await uow.routes.put("home", "U1", {"conversation": "a:1", "message_id": "1"}, now=NOW)
        await uow.commit()
    async with uow_factory(workspace.id) as uow:
        await uow.routes.put("home", "U1", {"conversation": "a:1", "message_id": "2"}, now=NOW)
        await uow.routes.put("service_url", "", {"url": "https://smba.example/"}, now=NOW)
        await uow.commit()
    other = await uow_factory.ensure_workspace("teams", "tenant-2", name="Other", now=NOW)
    async with uow_factory(workspace.id, read_only=True) as uow:
        assert await uow.routes.get("home", "U1") == {"conversation": "a:1", "message_id": "2"}
        assert await uow.routes.get("service_url") == {"url": "https://smba.example/"}
        assert await uow.routes.get("home", "U2") is None
    async with uow_factory(other.id, read_only=True) as uow:
        assert await uow.routes.get("home", "U1") is None
