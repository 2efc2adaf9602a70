"""Rounds against the simulated Slack Web API, on SQLite and PostgreSQL: formed once,
every group introduced exactly once, faults and kills survived."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from itertools import combinations

import pytest

from bot.bootstrap import build
from bot.config import Settings
from bot.core import Core
from bot.delivery import keys
from bot.delivery.sender import POSTING
from bot.messages import Message
from bot.services.rounds import FormedRound, form_round
from bot.slack.simulator.slack_api import SlackApiSimulator
from storage.records import WorkspaceRecord
from tests.conftest import NOW
from tests.fakes import community
from tests.fakes.clock import FakeClock
from tests.fakes.virtual_time import VirtualTime

CHANNEL = "C0COFFEE"


@pytest.fixture
def slack() -> Iterator[SlackApiSimulator]:
    simulator = SlackApiSimulator(seed=3)
    simulator.workspace.add_channel(CHANNEL)
    with simulator:
        yield simulator


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def container(
    database_url: str, slack: SlackApiSimulator, clock: FakeClock
) -> AsyncIterator[Core]:
    built = _core(database_url, slack, clock)
    yield built
    await built.aclose()


def _core(database_url: str, slack: SlackApiSimulator, clock: FakeClock, **settings) -> Core:
    """The app's core against the simulated Slack, on virtual time."""
    time = VirtualTime(clock)
    config = Settings(
        database_url=database_url,
        slack_bot_token="xoxb-sim",
        slack_signing_secret="secret",
        slack_api_url=slack.api_url,
        embedded_clock=False,
        **settings,
    )
    return build(config, clock=clock, sleep=time.sleep, monotonic=time.monotonic)


@pytest.fixture
async def workspace(container: Core) -> WorkspaceRecord:
    return await container.workspace()


async def _populate(container, workspace, slack, count, **spec):
    users = community.people(count)
    community.add_to_slack(slack.workspace, users)
    spec.setdefault("channel_id", CHANNEL)
    await community.enroll(container.uow, workspace.id, users, now=NOW, **spec)
    return users


async def _form(container, workspace, program="coffee") -> FormedRound:
    return await form_round(await container.scope_for(workspace, paced=True), program)


async def _run(container, workspace, program="coffee") -> tuple[FormedRound, object]:
    formed = await _form(container, workspace, program)
    return formed, await container.deliveries.deliver_round(workspace, formed.round.id)


async def _claim_mid_post(container, workspace, formed, *, until, posting):
    """Claim the first group's introduction and open its conversation, as a sender
    does just before posting; returns (row, channel)."""
    key = keys.intro(formed.round.id, formed.round.groups[0].id)
    async with container.uow(workspace.id) as uow:
        claimed = await uow.outbox.claim(now=NOW, lease=timedelta(minutes=2), limit=10)
        (row,) = [r for r in claimed if r.key == key]
        await uow.commit()
    platform = await container.deliveries.platform(workspace)
    channel = await platform.open_conversation(list(formed.round.groups[0].user_ids))
    async with container.uow(workspace.id) as uow:
        await uow.outbox.renew(
            row.id, attempt=row.attempts, until=until, result={"channel": channel, POSTING: posting}
        )
        await uow.commit()
    return row, channel


def _intros(slack: SlackApiSimulator) -> Counter[str]:
    """How many introductions each conversation got (by the key in their metadata)."""
    found: Counter[str] = Counter()
    for message in slack.workspace.all_messages():
        key = (message.metadata or {}).get("event_payload", {}).get("key", "")
        if key.endswith(":intro"):
            found[message.channel] += 1
    return found


async def test_every_group_is_introduced_once_in_its_own_conversation_then_announced(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    users = await _populate(container, workspace, slack, 11)
    formed, report = await _run(container, workspace)
    assert formed.created and report.delivered
    groups = formed.round.groups
    assert sorted(u for g in groups for u in g.user_ids) == sorted(u.id for u in users)
    intros = _intros(slack)
    for group in groups:
        conversation = slack.workspace.conversation_of(set(group.user_ids))
        assert conversation is not None and intros[conversation] == 1
    assert sum(intros.values()) == len(groups)
    (news,) = slack.workspace.messages_in(CHANNEL)
    assert f"{len(groups)} coffee groups" in news.text
    last_intro = max(m.ts for m in slack.workspace.all_messages() if m.channel != CHANNEL)
    assert news.ts > last_intro, "the channel hears about the round after the groups do"


async def test_the_introduction_says_who_is_who_why_and_when_in_local_time(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    await _populate(container, workspace, slack, 2)
    formed, _ = await _run(container, workspace)
    (group,) = formed.round.groups
    conversation = slack.workspace.conversation_of(set(group.user_ids))
    (intro,) = slack.workspace.messages_in(conversation or "")
    body = str(intro.blocks)
    for member in group.members:
        assert member.person.real_name in body and (member.person.title or "") in body
    assert "Why you were matched" in body and "Icebreaker" in body
    assert "Suggested times" in body


async def test_429_on_a_third_of_calls_and_server_errors_still_deliver_everything_once(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    await _populate(container, workspace, slack, 24)
    slack.fail("*", status=429, ratio=0.33, retry_after=2)
    slack.fail("chat.postMessage", status=503, times=3)
    slack.fail("conversations.open", status=500, times=2)
    formed, report = await _run(container, workspace)
    assert report.delivered, report
    intros = _intros(slack)
    assert len(intros) == len(formed.round.groups) and set(intros.values()) == {1}
    assert len(slack.calls_to("chat.postMessage", ok_only=False)) > len(
        slack.calls_to("chat.postMessage")
    )


async def test_a_person_slack_no_longer_knows_is_dropped_and_recorded(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    users = await _populate(container, workspace, slack, 6)
    del slack.workspace.teams["T0001"].users[users[0].id]
    formed, report = await _run(container, workspace)
    assert report.delivered
    assert formed.dropped == (users[0].id,)
    assert users[0].id not in {u for g in formed.round.groups for u in g.user_ids}
    async with container.uow(workspace.id) as uow:
        audit = await uow.audit.recent()
    assert ("dropped_unknown_user", users[0].id) in {(a, t) for _, _, a, t in audit}
    _, again = await _run_next(container, workspace, slack)
    assert again.delivered


async def _run_next(container, workspace, slack):
    container.clock.advance(days=7)  # type: ignore[attr-defined]
    return await _run(container, workspace)


async def test_a_permanent_error_for_one_group_is_recorded_and_the_round_goes_on(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    users = await _populate(container, workspace, slack, 8)
    victim = users[3].id
    slack.fail(
        "conversations.open",
        status=200,
        error="account_inactive",
        when=lambda params: victim in str(params.get("users", "")),
        times=1000,
    )
    formed, report = await _run(container, workspace)
    assert report.complete and not report.delivered
    (failed,) = report.failed
    assert victim in failed.to and "account_inactive" in (failed.error or "")
    assert len(_intros(slack)) == len(formed.round.groups) - 1
    async with container.uow(workspace.id) as uow:
        assert (await uow.rounds.latest(formed.program.id)).delivered  # type: ignore[union-attr]


async def test_rounds_never_repeat_a_pair_while_a_new_partner_exists(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    await _populate(container, workspace, slack, 8)
    seen: set[frozenset[str]] = set()
    for _ in range(5):  # 8 people have 7 repeat-free rounds of pairs
        formed, report = await _run(container, workspace)
        assert formed.created and report.delivered
        for group in formed.round.groups:
            for pair in combinations(group.user_ids, 2):
                assert frozenset(pair) not in seen
                seen.add(frozenset(pair))
        container.clock.advance(days=7)  # type: ignore[attr-defined]


async def test_a_second_run_finishes_the_undelivered_round_instead_of_forming_one(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    await _populate(container, workspace, slack, 6)
    slack.fail("chat.postMessage", status=500, ratio=1.0)
    service = container.deliveries
    first = await _form(container, workspace)
    stuck = await service.deliver_round(workspace, first.round.id, stall_seconds=60)
    assert stuck.stalled and stuck.pending
    slack.clear_faults()
    again, report = await _run(container, workspace)
    assert not again.created and again.round.id == first.round.id
    assert report.delivered
    assert set(_intros(slack).values()) == {1}


async def test_a_message_posted_before_a_crash_is_found_and_not_posted_again(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    await _populate(container, workspace, slack, 4)
    service = container.deliveries
    formed = await _form(container, workspace)
    # A sender that dies right after Slack accepted the post, before marking the row.
    row, channel = await _claim_mid_post(
        container, workspace, formed, until=NOW + timedelta(minutes=2), posting=True
    )
    platform = await service.platform(workspace)
    await platform.send(channel, Message.from_dict(row.payload["message"]), key=row.key)
    container.clock.advance(minutes=5)  # the dead claimer's lease runs out
    report = await service.deliver_round(workspace, formed.round.id)
    assert report.delivered
    assert _intros(slack)[channel] == 1
    assert len(slack.calls_to("conversations.history")) >= 1


async def test_a_post_still_on_its_way_from_a_dead_claimer_is_awaited_not_repeated(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    # A claimer is killed while its post is in flight; the next claimer takes the row
    # over at once (its process is gone) and reads the conversation before Slack has
    # acted on that post. It must look again later instead of posting a second time.
    await _populate(container, workspace, slack, 4)
    service = container.deliveries
    formed = await _form(container, workspace)
    row, channel = await _claim_mid_post(
        container,
        workspace,
        formed,
        until=NOW + timedelta(seconds=1),  # ended at once: the claimer is dead
        posting=NOW.isoformat(),
    )
    platform = await service.platform(workspace)
    container.clock.advance(seconds=2)
    await service.drain(workspace, round_id=formed.round.id)
    assert _intros(slack)[channel] == 0, "posted again while the first post was on its way"
    await platform.send(channel, Message.from_dict(row.payload["message"]), key=row.key)
    report = await service.deliver_round(workspace, formed.round.id)
    assert report.delivered
    assert _intros(slack)[channel] == 1
    assert set(_intros(slack).values()) == {1}


async def test_how_long_a_lost_post_is_awaited_follows_the_platform_timeout(
    database_url: str, slack: SlackApiSimulator, clock: FakeClock
) -> None:
    # PLATFORM_TIMEOUT_SECONDS=5: a post from a dead claimer may land for 5 + 5 s, so
    # the successor waits that long (not the default 35 s), then posts it once.
    core = _core(database_url, slack, clock, platform_timeout_seconds=5)
    try:
        workspace = await core.workspace()
        await _populate(core, workspace, slack, 4)
        formed = await _form(core, workspace)
        _, channel = await _claim_mid_post(
            core, workspace, formed, until=NOW + timedelta(seconds=1), posting=NOW.isoformat()
        )
        clock.advance(seconds=9)
        await core.deliveries.drain(workspace, round_id=formed.round.id)
        assert _intros(slack)[channel] == 0, "posted while the first post might still land"
        clock.advance(seconds=2)  # one pass, no waiting: the default would wait 24 s more
        await core.deliveries.drain(workspace, round_id=formed.round.id)
        assert _intros(slack)[channel] == 1
    finally:
        await core.aclose()


async def test_rate_limits_alone_never_make_the_outbox_read_conversations_back(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    await _populate(container, workspace, slack, 8)
    slack.fail("chat.postMessage", status=429, retry_after=0.01, ratio=0.5)
    slack.fail("conversations.history", status=200, error="unknown_method")
    _, report = await _run(container, workspace)
    assert report.delivered
    assert set(_intros(slack).values()) == {1}
    assert slack.calls_to("conversations.history", ok_only=False) == []


async def test_a_post_that_may_have_landed_is_posted_again_when_history_cannot_be_read(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    await _populate(container, workspace, slack, 2)
    service = container.deliveries
    formed = await _form(container, workspace)
    async with container.uow(workspace.id) as uow:  # a claimer died mid-post
        (row,) = [
            r
            for r in await uow.outbox.claim(now=NOW, lease=timedelta(minutes=2), limit=10)
            if r.kind == "intro"
        ]
        await uow.outbox.renew(
            row.id, attempt=row.attempts, until=NOW + timedelta(minutes=2), result={POSTING: True}
        )
        await uow.commit()
    slack.fail("conversations.history", status=200, error="missing_scope")
    container.clock.advance(minutes=5)
    report = await service.deliver_round(workspace, formed.round.id)
    assert report.delivered
    assert sum(_intros(slack).values()) == 1
    assert len(slack.calls_to("conversations.history", ok_only=False)) == 1


async def test_a_mentorship_round_pairs_mentors_with_mentees_and_tells_the_unmatched(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    users = community.people(5)
    community.add_to_slack(slack.workspace, users)
    roles = {users[0].id: "mentor", **{u.id: "mentee" for u in users[1:]}}
    await community.enroll(
        container.uow,
        workspace.id,
        users,
        now=NOW,
        program="mentoring",
        kind="mentorship",
        settings={"mentor_capacity": 2},
        channel_id=CHANNEL,
        roles=roles,
    )
    formed, report = await _run(container, workspace, program="mentoring")
    assert report.delivered
    assert len(formed.round.groups) == 2
    for group in formed.round.groups:
        assert group.members[0].person.user_id == users[0].id
        assert [m.role.value for m in group.members] == ["mentor", "mentee"]
    left = {lo.person.user_id for lo in formed.round.left_out}
    assert len(left) == 2
    for user_id in left:
        (note,) = slack.workspace.messages_in(slack.workspace.conversation_of({user_id}) or "")
        assert "first in line" in note.text
    (news,) = slack.workspace.messages_in(CHANNEL)
    assert "2 mentorship matches" in news.text


async def test_whoever_was_left_out_is_first_in_line_next_round(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator, monkeypatch
) -> None:
    await _populate(container, workspace, slack, 4)
    seen: list[frozenset[str]] = []
    import bot.kinds.coffee

    real = bot.kinds.coffee.plan_coffee_round

    def spy(members, history, **kwargs):
        seen.append(kwargs["priority"])
        plan = real(members, history, **kwargs)
        if len(seen) == 1:  # pretend the first round could not place its first member
            from pairing.models import Plan, Unmatched, UnmatchedReason

            first = plan.groups[0].members[0]
            kept = tuple(g for g in plan.groups if first not in g.members)
            return Plan(kept, (Unmatched(first, UnmatchedReason.ALONE),), seed=plan.seed)
        return plan

    monkeypatch.setattr(bot.kinds.coffee, "plan_coffee_round", spy)
    first, _ = await _run(container, workspace)
    (left,) = first.round.left_out
    container.clock.advance(days=7)  # type: ignore[attr-defined]
    await _run(container, workspace)
    assert seen == [frozenset(), frozenset({left.person.user_id})]


async def test_a_lead_starts_a_round_and_delivery_follows_in_the_background(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    import asyncio

    from bot.services.rounds import start_round

    await _populate(container, workspace, slack, 10)
    formed = await start_round(await container.scope_for(workspace), "coffee", actor="U0LEAD")
    assert formed.created
    for _ in range(400):
        async with container.uow(workspace.id) as uow:
            latest = await uow.rounds.latest(formed.program.id)
        if latest is not None and latest.delivered:
            break
        await asyncio.sleep(0.05)
    assert latest is not None and latest.delivered
    assert len(_intros(slack)) == 5
    async with container.uow(workspace.id) as uow:
        assert ("U0LEAD", "round_run") in {(a, b) for _, a, b, _ in await uow.audit.recent()}


async def test_the_worker_delivers_whatever_is_queued_in_any_workspace(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    from bot.delivery.worker import DeliveryWorker

    await _populate(container, workspace, slack, 6)
    formed = await form_round(await container.scope_for(workspace, paced=True), "coffee")
    worker = DeliveryWorker(container)
    handled = await worker.drain_once()
    assert handled == 4  # three introductions, then the announcement they release
    async with container.uow(workspace.id) as uow:
        assert (await uow.rounds.get(formed.round.id)).delivered  # type: ignore[union-attr]
    assert len(_intros(slack)) == 3 and len(slack.workspace.messages_in(CHANNEL)) == 1


async def test_a_mentor_nobody_needed_gets_no_note(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    users = community.people(3)
    community.add_to_slack(slack.workspace, users)
    mentors = {u.id for u in users[:2]}
    roles = {u.id: "mentor" if u.id in mentors else "mentee" for u in users}
    await community.enroll(
        container.uow,
        workspace.id,
        users,
        now=NOW,
        program="mentoring",
        kind="mentorship",
        settings={"mentor_capacity": 3},
        channel_id=CHANNEL,
        roles=roles,
    )
    formed, report = await _run(container, workspace, program="mentoring")
    assert report.delivered
    (group,) = formed.round.groups
    idle = mentors - {group.members[0].person.user_id}
    assert [lo.reason for lo in formed.round.left_out] == ["no_mentees"]
    assert not slack.workspace.messages_in(slack.workspace.conversation_of(idle) or "-")
    (news,) = slack.workspace.messages_in(CHANNEL)
    assert "1 mentorship match, 2 people" in news.text
    assert "first in line" not in news.text


async def test_the_announcement_counts_a_mentor_with_two_mentees_once(
    container: Core, workspace: WorkspaceRecord, slack: SlackApiSimulator
) -> None:
    users = community.people(3)
    community.add_to_slack(slack.workspace, users)
    roles = {users[0].id: "mentor", users[1].id: "mentee", users[2].id: "mentee"}
    await community.enroll(
        container.uow,
        workspace.id,
        users,
        now=NOW,
        program="mentoring",
        kind="mentorship",
        settings={"mentor_capacity": 2},
        channel_id=CHANNEL,
        roles=roles,
    )
    formed, _ = await _run(container, workspace, program="mentoring")
    assert len(formed.round.groups) == 2
    (news,) = slack.workspace.messages_in(CHANNEL)
    assert "2 mentorship matches, 3 people" in news.text
