"""A mentorship term end to end, on SQLite and PostgreSQL: the real web app, the
simulated Slack, every command and click signed as Slack signs them.

Sign-up through the modal (free text: "Presenting", "k8s"), an automatic intake that
meets what people mean, check-ins with goal progress, a stalled mentorship nudged, an
early end (twice: the second changes nothing), the mentee rematched — never with the
mentor they had — and the closing card where both choose another term.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from bot.builders import mentorship as build
from bot.core import Core
from bot.services.reports import program_history
from bot.services.scheduled import run_mentorship_checkins
from bot.slack.simulator.driver import SlackDriver
from bot.slack.simulator.slack_api import SlackApiSimulator
from storage.records import MentorshipRecord, ProgramRecord, WorkspaceRecord
from tests.conftest import NOW
from tests.e2e.slack_helpers import (
    add_program,
    button,
    later_responses,
    readable,
    sign_up,
    wait_until,
)
from tests.fakes.clock import FakeClock
from tests.fakes.virtual_time import VirtualTime

ADA, GRACE, ALAN, KATH = "U0ADA", "U0GRACE", "U0ALAN", "U0KATH"


async def _mentorships(container: Core, workspace: WorkspaceRecord) -> list[MentorshipRecord]:
    async with container.uow(workspace.id, read_only=True) as uow:
        program = await uow.programs.by_name("mentoring")
        assert program is not None
        return await uow.mentorships.for_program(program.id)


def _pair(found: list[MentorshipRecord], mentor: str, mentee: str) -> MentorshipRecord:
    (m,) = [x for x in found if (x.mentor.user_id, x.mentee.user_id) == (mentor, mentee)]
    return m


def _message(slack: SlackApiSimulator, users: set[str], key_part: str) -> Any:
    conversation = slack.workspace.conversation_of(users)
    assert conversation is not None, f"nothing was posted to {users}"
    found = [
        m
        for m in slack.workspace.messages_in(conversation)
        if key_part in (m.metadata or {}).get("event_payload", {}).get("key", "")
    ]
    assert len(found) == 1, f"{key_part}: {len(found)} messages"
    return conversation, found[0]


async def _tick(container: Core, workspace: WorkspaceRecord, clock: FakeClock, **delta: float):
    """Time passes; the clock's mentorship job runs (and delivers what it queued)."""
    clock.advance(**delta)
    return await run_mentorship_checkins(await container.scope_for(workspace, paced=True))


async def _intake(driver: SlackDriver, container: Core, workspace: WorkspaceRecord, count: int):
    reply = await driver.command(ADA, "round mentoring", wait=10.0)
    assert "Introductions are on their way" in readable(reply), readable(reply)
    return await wait_until(lambda: _opened(container, workspace, count), wait=20.0)


async def _opened(container: Core, workspace: WorkspaceRecord, count: int):
    found = await _mentorships(container, workspace)
    return found if len([m for m in found if m.state == "active"]) >= count else None


async def _mentoring(
    container: Core, clock: FakeClock, settings: dict[str, Any]
) -> tuple[WorkspaceRecord, ProgramRecord]:
    """The workspace, on virtual time, with a mentorship program called "mentoring"."""
    workspace = await container.workspace()
    time = VirtualTime(clock)
    container.deliveries.sleep, container.deliveries.monotonic = time.sleep, time.monotonic
    program = await add_program(
        container, "mentoring", kind="mentorship", channel_id="C0COFFEE", settings=settings
    )
    return workspace, program


async def test_a_mentorship_term_from_signup_to_another_term(
    container: Core, clock: FakeClock, driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    workspace, program = await _mentoring(
        container,
        clock,
        {"term_weeks": 12, "checkin_every_weeks": 2, "topics": ["public speaking"]},
    )
    signups = {
        ADA: {"role": "mentor", "skills": "Public-Speaking, Kubernetes", "capacity": "1"},
        GRACE: {"role": "mentor", "skills": "Kubernetes", "capacity": "1"},
        ALAN: {"role": "mentee", "goals": "Presenting, giving feedback"},
        KATH: {"role": "mentee", "goals": "k8s"},
    }
    for user_id, values in signups.items():
        reply = await sign_up(driver, user_id, {"program": str(program.id), **values})
        assert not reply.body, reply.body

    # -- the intake: free text meets what it means ---------------------------------------
    found = await _intake(driver, container, workspace, 2)
    ada_alan, grace_kath = _pair(found, ADA, ALAN), _pair(found, GRACE, KATH)
    for m in (ada_alan, grace_kath):
        assert (m.state, m.decided_by, m.started_at) == ("active", "engine", NOW)
        assert m.ends_at == NOW + timedelta(weeks=12)
    assert [g.goal for g in ada_alan.goals] == ["Presenting", "giving feedback"]

    # -- check-in 1: Alan and Ada met; Alan marks progress; Ada cannot mark his goals ---
    queued = await _tick(container, workspace, clock, weeks=2)
    assert (queued.checkins, queued.nudges) == (2, 0)
    where, checkin = _message(slack, {ADA, ALAN}, f"m{ada_alan.id}:checkin:1")
    assert "did you meet since last time?" in checkin.text.lower() or "meet" in str(checkin.blocks)
    met = await driver.click(
        ALAN, build.MET, str(ada_alan.id), channel_id=where, message_ts=checkin.ts
    )
    assert met.status == 200
    progress = f"{ada_alan.id}:0:under_way"
    refused = await driver.click(ADA, build.GOAL, progress, channel_id=where, message_ts=checkin.ts)
    assert "Only the mentee" in refused.text
    await driver.click(ALAN, build.GOAL, progress, channel_id=where, message_ts=checkin.ts)
    _, redrawn = _message(slack, {ADA, ALAN}, f"m{ada_alan.id}:checkin:1")
    assert "under way" in str(redrawn.blocks) and "You met since" in str(redrawn.blocks)
    stranger = await driver.click(
        KATH, build.MET, str(ada_alan.id), channel_id=where, message_ts=checkin.ts
    )
    assert "for the two people in this mentorship" in stranger.text

    # -- Grace and Kath never answer: after two missed in a row, a gentle nudge ----------
    for number in (2, 3):
        queued = await _tick(container, workspace, clock, weeks=2)
        assert queued.checkins == 2
        where, checkin = _message(slack, {ADA, ALAN}, f"m{ada_alan.id}:checkin:{number}")
        await driver.click(
            ALAN, build.MET, str(ada_alan.id), channel_id=where, message_ts=checkin.ts
        )
    assert queued.nudges == 1
    _, nudge = _message(slack, {GRACE, KATH}, f"m{grace_kath.id}:nudge:3")
    assert "it's been a while" in str(nudge.blocks)
    found = await _mentorships(container, workspace)
    assert _pair(found, GRACE, KATH).stalled and not _pair(found, ADA, ALAN).stalled
    assert [g.progress for g in _pair(found, ADA, ALAN).goals] == ["under_way", "not_started"]

    # -- where it shows: /mentor match, the home tab, the lead's stats ----------------
    match = readable(await driver.command(ALAN, "match"))
    assert "Your mentor: *Ada Lovelace*" in match and "Term 1 until" in match
    assert "Next check-in" in match and "Presenting" in match and "under way" in match
    await driver.open_home(ALAN, wait=5.0)
    home = str(slack.workspace.homes.get(ALAN))
    assert "Your mentor: *Ada Lovelace*" in home and "Next check-in" in home
    stats = readable(await driver.command(ADA, "stats mentoring"))
    assert "2 active (1 stalled)" in stats and "Skills gap" in stats
    assert "Time to a mentor: median 0 days (90th percentile 0 days, 2 matched)" in stats
    assert "giving feedback" not in stats  # only waiting mentees make the gap

    # -- Kath ends it early and privately; Grace gets a kind note; twice changes nothing -
    ended = readable(await driver.command(KATH, "end not enough time this quarter"))
    assert "has ended" in ended and "Grace" in ended
    note = await wait_until(
        lambda: [
            m
            for m in slack.workspace.messages_in(slack.workspace.conversation_of({GRACE}) or "")
            if "close" in m.text
        ],
        wait=10.0,
    )
    assert note and "not enough time" not in str(note[0].blocks)  # the reason stays private
    assert "Katherine" in str(note[0].blocks)
    again = readable(await driver.command(KATH, "end"))
    assert "no mentorship going on" in again
    where, checkin = _message(slack, {GRACE, KATH}, f"m{grace_kath.id}:checkin:3")
    button = await driver.click(
        GRACE, build.END, str(grace_kath.id), channel_id=where, message_ts=checkin.ts
    )
    assert "already ended" in readable(button) and "nothing changed" in readable(button)
    found = await _mentorships(container, workspace)
    gone = _pair(found, GRACE, KATH)
    assert (gone.state, gone.ended_by, gone.end_reason) == (
        "ended",
        KATH,
        "not enough time this quarter",
    )

    # -- the next intake: Kath gets a new mentor (Ada has made room), never Grace -------
    more = await sign_up(
        driver,
        ADA,
        {"program": str(program.id), **signups[ADA], "capacity": "2"},
    )
    assert not more.body, more.body
    clock.advance(days=1)
    found = await _intake(driver, container, workspace, 2)
    assert _pair(found, ADA, KATH).state == "active"
    assert [m.state for m in found if m.mentee.user_id == KATH] == ["ended", "active"]

    # -- the end of the term: a closing card to each; both continue ---------------------
    queued = await _tick(container, workspace, clock, weeks=6)
    assert queued.closings == 2  # Ada and Alan's term is over (Kath's started later)
    cards = {}
    for user_id in (ADA, ALAN):
        cards[user_id] = _message(slack, {user_id}, f"m{ada_alan.id}:t1:closing")
    for user_id, rating in ((ADA, "4"), (ALAN, "5")):
        where, card = cards[user_id]
        value = f"{ada_alan.id}:{rating}"
        await driver.click(user_id, build.RATE, value, channel_id=where, message_ts=card.ts)
        await driver.click(
            user_id,
            build.OUTCOME,
            f"{ada_alan.id}:confidence",
            channel_id=where,
            message_ts=card.ts,
        )
        await driver.click(
            user_id, build.CONTINUE, f"{ada_alan.id}:yes", channel_id=where, message_ts=card.ts
        )
    found = await _mentorships(container, workspace)
    continued = _pair(found, ADA, ALAN)
    assert (continued.state, continued.term) == ("active", 2)
    assert continued.ends_at == NOW + timedelta(weeks=24)
    assert continued.closing["1"][ALAN] == {
        "value": 5,
        "outcomes": ["confidence"],
        "continue": True,
    }
    _, card = _message(slack, {ALAN}, f"m{ada_alan.id}:t1:closing")
    assert "a new term until" in str(card.blocks)
    late = await driver.click(
        ALAN, build.CONTINUE, f"{ada_alan.id}:no", channel_id=cards[ALAN][0], message_ts=card.ts
    )
    assert "You both chose another term" in readable(late)

    # -- the history keeps its keys and gains the mentorships; leads see aggregates ---
    scope = await container.scope_for(workspace)
    history = (await program_history(scope, "mentoring")).to_json()
    assert list(history) == ["program", "rounds", "mentorships"]
    assert [len(r["groups"]) for r in history["rounds"]] == [2, 1]
    rows = {(r["mentor"], r["mentee"]): r for r in history["mentorships"]}
    assert set(rows) == {(ADA, ALAN), (GRACE, KATH), (ADA, KATH)}
    assert rows[ADA, ALAN]["goals"] == [
        {"goal": "Presenting", "progress": "under_way"},
        {"goal": "giving feedback", "progress": "not_started"},
    ]
    assert (rows[GRACE, KATH]["state"], rows[ADA, KATH]["state"]) == ("ended", "active")
    assert {r["decided_by"] for r in rows.values()} == {"engine"}
    assert rows[ADA, ALAN]["started_at"] == NOW.isoformat()
    stats = readable(await driver.command(ADA, "stats mentoring"))
    assert "average value 4.5/5" in stats and "Confidence ×2" in stats
    assert "1 continued for another term" in stats and "1 ended early" in stats
    assert "Alan" not in stats  # aggregates only, never one person's answers
    assert _pair(await _mentorships(container, workspace), ADA, ALAN).state == "active"


async def test_the_mentee_chooses_and_the_mentor_accepts_or_declines_in_one_click(
    container: Core, clock: FakeClock, driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    workspace = await container.workspace()
    time = VirtualTime(clock)
    container.deliveries.sleep, container.deliveries.monotonic = time.sleep, time.monotonic
    program = await add_program(
        container,
        "mentoring",
        kind="mentorship",
        channel_id="C0COFFEE",
        settings={"matching": "mentee_chooses"},
    )
    signups = {
        ADA: {"role": "mentor", "skills": "public speaking", "capacity": "1"},
        GRACE: {"role": "mentor", "skills": "presentations, Kubernetes", "capacity": "2"},
        ALAN: {"role": "mentee", "goals": "Presenting"},
        KATH: {"role": "mentee", "goals": "Public-Speaking"},
    }
    for user_id, values in signups.items():
        reply = await sign_up(driver, user_id, {"program": str(program.id), **values})
        assert not reply.body, reply.body
    reply = await driver.command(ADA, "round mentoring", wait=10.0)
    assert "Introductions are on their way" in readable(reply)

    def offered(user_id: str) -> list[Any]:
        conversation = slack.workspace.conversation_of({user_id}) or ""
        return [m for m in slack.workspace.messages_in(conversation) if "Choose your" in m.text]

    for mentee in (ALAN, KATH):
        (card,) = await wait_until(lambda mentee=mentee: offered(mentee), wait=10.0)
        shown = str(card.blocks)
        assert "Ada Lovelace" in shown and "Grace Hopper" in shown  # the best 3 (of 2)
        assert "skills match the goals" in shown
    assert await _mentorships(container, workspace) == []  # nobody decided for them

    # -- both click Ada (one place) at once: one request, the other gets the next ------
    clicks = [
        driver.click(
            mentee,
            build.CHOOSE,
            f"{program.id}:{ADA}",
            channel_id=slack.workspace.conversation_of({mentee}),
            message_ts=offered(mentee)[0].ts,
            wait=5.0,  # (a loaded machine: the reply comes through the response_url)
        )
        for mentee in (ALAN, KATH)
    ]
    answers = {
        m: readable(r) for m, r in zip((ALAN, KATH), await asyncio.gather(*clicks), strict=True)
    }
    (winner,) = [m for m, text in answers.items() if "Great choice" in text]
    (loser,) = [m for m, text in answers.items() if "places have just been taken" in text]
    assert "Grace Hopper" in answers[loser] and "nothing was booked" in answers[loser]
    (proposed,) = await _mentorships(container, workspace)
    assert (proposed.state, proposed.decided_by) == ("proposed", "mentee")
    assert proposed.mentor.user_id == ADA and proposed.mentee.user_id == winner
    twice = await driver.click(
        winner,
        build.CHOOSE,
        f"{program.id}:{GRACE}",
        channel_id=slack.workspace.conversation_of({winner}),
        message_ts=offered(winner)[0].ts,
    )
    assert "already asked Ada" in readable(twice)

    # -- the loser picks Grace, who accepts in one click (a second click changes nothing)
    await driver.click(
        loser,
        build.CHOOSE,
        f"{program.id}:{GRACE}",
        channel_id=slack.workspace.conversation_of({loser}),
        message_ts=offered(loser)[0].ts,
    )

    def requests(mentor: str) -> list[Any]:
        conversation = slack.workspace.conversation_of({mentor}) or ""
        return [m for m in slack.workspace.messages_in(conversation) if "would like you" in m.text]

    (request,) = await wait_until(lambda: requests(GRACE), wait=10.0)
    grace_dm = slack.workspace.conversation_of({GRACE})
    value = str(button(request.blocks, build.ACCEPT)["value"])
    await driver.click(GRACE, build.ACCEPT, value, channel_id=grace_dm, message_ts=request.ts)
    again = await driver.click(
        GRACE, build.ACCEPT, value, channel_id=grace_dm, message_ts=request.ts
    )
    assert "already accepted" in readable(again) and "nothing changed" in readable(again)
    intro = await wait_until(
        lambda: [
            m
            for m in slack.workspace.messages_in(
                slack.workspace.conversation_of({GRACE, loser}) or ""
            )
            if "starts" in str(m.blocks)
        ],
        wait=10.0,
    )
    assert intro
    accepted = _pair(await _mentorships(container, workspace), GRACE, loser)
    assert (accepted.state, accepted.decided_by) == ("active", "mentee")
    assert accepted.started_at is not None and accepted.ends_at is not None
    assert accepted.ends_at - accepted.started_at == timedelta(weeks=12)

    # -- Ada declines: the winner is offered the next suggestion (Grace has room) ------
    (ada_request,) = await wait_until(lambda: requests(ADA), wait=10.0)
    ada_dm = slack.workspace.conversation_of({ADA})
    declined = str(button(ada_request.blocks, build.DECLINE)["value"])
    await driver.click(ADA, build.DECLINE, declined, channel_id=ada_dm, message_ts=ada_request.ts)
    late = await driver.click(
        ADA, build.ACCEPT, declined, channel_id=ada_dm, message_ts=ada_request.ts
    )
    assert "already answered" in readable(late)
    nexts = await wait_until(
        lambda: [m for m in offered(winner) if "can't take on a mentee" in str(m.blocks)],
        wait=10.0,
    )
    assert nexts and "Grace Hopper" in str(nexts[0].blocks)
    assert "Ada Lovelace" not in str(nexts[0].blocks[1:])  # never offered again
    found = await _mentorships(container, workspace)
    assert (
        _pair(found, ADA, winner).state == "ended" and _pair(found, ADA, winner).started_at is None
    )


REPLY = 5.0  # seconds a lead's click may take to answer (its reply: the response_url)


async def test_a_lead_confirms_the_engines_proposals_or_asks_for_another_mentor(
    container: Core, clock: FakeClock, driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    workspace = await container.workspace()
    time = VirtualTime(clock)
    container.deliveries.sleep, container.deliveries.monotonic = time.sleep, time.monotonic
    program = await add_program(
        container,
        "mentoring",
        kind="mentorship",
        channel_id="C0COFFEE",
        settings={"matching": "lead_decides"},
    )
    signups = {
        GRACE: {"role": "mentor", "skills": "public speaking", "capacity": "1"},
        KATH: {"role": "mentor", "skills": "presentations", "capacity": "1"},
        ALAN: {"role": "mentee", "goals": "Presenting"},
    }
    for user_id, values in signups.items():
        reply = await sign_up(driver, user_id, {"program": str(program.id), **values})
        assert not reply.body, reply.body
    reply = await driver.command(ADA, "round mentoring", wait=10.0)
    assert "round 1" in readable(reply).lower()
    (proposed,) = await wait_until(lambda: _mentorships(container, workspace), wait=10.0)
    assert (proposed.state, proposed.decided_by, proposed.mentee.user_id) == (
        "proposed",
        "lead",
        ALAN,
    )
    assert slack.workspace.conversation_of({proposed.mentor.user_id, ALAN}) is None  # no intro

    stats = await driver.command(ADA, "stats mentoring")
    assert "Waiting for your decision* (1)" in readable(stats)
    refused = await driver.click(
        GRACE, build.LEAD_OTHER, str(proposed.id), channel_id="D0X", wait=REPLY
    )
    assert "Only program leads" in readable(refused)
    other = await driver.click(
        ADA, build.LEAD_OTHER, str(proposed.id), channel_id="D0X", wait=REPLY
    )
    assert "Proposed instead" in readable(other)
    found = await _mentorships(container, workspace)
    (second,) = [m for m in found if m.state == "proposed"]
    assert second.mentor.id != proposed.mentor.id and second.decided_by == "lead"
    confirmed = await driver.click(
        ADA, build.LEAD_CONFIRM, str(second.id), channel_id="D0X", wait=REPLY
    )
    assert "Confirmed" in readable(confirmed) and "Both are introduced" in readable(confirmed)
    again = await driver.click(
        ADA, build.LEAD_CONFIRM, str(second.id), channel_id="D0X", wait=REPLY
    )
    assert "already accepted" in readable(again) and "nothing changed" in readable(again)
    intro = await wait_until(
        lambda: slack.workspace.messages_in(
            slack.workspace.conversation_of({second.mentor.user_id, ALAN}) or ""
        ),
        wait=10.0,
    )
    assert intro and "matched by a program lead" in str(intro[0].blocks)
    history = (await program_history(await container.scope_for(workspace), "mentoring")).to_json()
    assert [(r["mentee"], r["state"], r["decided_by"]) for r in history["mentorships"]] == [
        (ALAN, "active", "lead")
    ]  # the passed-over proposal was never a mentorship


async def test_a_program_that_matches_people_as_they_join(
    container: Core, clock: FakeClock, driver: SlackDriver, slack: SlackApiSimulator
) -> None:
    """``new_mentees = "on_join"``: the clock's mentorship job (every 15 minutes) holds
    an intake whenever a mentee waits, a mentor has a place and something changed; the
    channel hears nothing of it, and nobody is told twice that they are still waiting."""
    workspace, program = await _mentoring(
        container, clock, {"new_mentees": "on_join", "topics": ["public speaking", "Kubernetes"]}
    )
    ada = {"role": "mentor", "skills": "Public speaking", "capacity": "2"}
    await sign_up(driver, ADA, {"program": str(program.id), **ada})
    assert (await _tick(container, workspace, clock, minutes=15)).intakes == 0  # nobody waits

    clock.advance(minutes=1)  # people join between the clock's runs
    opened = await driver.command(ALAN, "signup", wait=10.0)
    values = {"program": str(program.id), "role": "mentee", "goals": "Presenting"}
    assert not (await driver.submit(ALAN, driver.opened_view(opened), values)).body
    said = await wait_until(lambda: later_responses(slack, opened))
    assert "hear from me as soon as there is one for you" in said[0]["text"]
    assert (await _tick(container, workspace, clock, minutes=15)).intakes == 1
    found = await _mentorships(container, workspace)
    assert [(m.mentor.user_id, m.mentee.user_id, m.state) for m in found] == [(ADA, ALAN, "active")]
    _message(slack, {ADA, ALAN}, ":intro")
    assert (await _tick(container, workspace, clock, minutes=15)).intakes == 0  # no change

    # Kath wants Kubernetes, which Ada (one place left) does not offer: told once
    clock.advance(minutes=1)
    await sign_up(driver, KATH, {"program": str(program.id), "role": "mentee", "goals": "k8s"})
    assert (await _tick(container, workspace, clock, minutes=15)).intakes == 1
    clock.advance(minutes=1)
    await sign_up(driver, ADA, {"program": str(program.id), **ada, "skills": "Speaking, Go"})
    assert (await _tick(container, workspace, clock, minutes=15)).intakes == 1  # an edit
    kath = slack.workspace.messages_in(slack.workspace.conversation_of({KATH}) or "")
    assert len([m for m in kath if "No match for you" in str(m.blocks)]) == 1

    clock.advance(minutes=1)
    await sign_up(driver, GRACE, {"program": str(program.id), "role": "mentor", "skills": "k8s"})
    assert (await _tick(container, workspace, clock, minutes=15)).intakes == 1
    assert _pair(await _mentorships(container, workspace), GRACE, KATH).state == "active"
    _message(slack, {GRACE, KATH}, ":intro")
    assert not slack.workspace.messages_in("C0COFFEE")  # only scheduled intakes are announced
    history = await program_history(await container.scope_for(workspace), "mentoring")
    assert len(history.rounds) == 4

    # Alan ends his mentorship: nothing else changed, yet he waits and places are free
    clock.advance(minutes=1)
    assert "has ended" in readable(await driver.command(ALAN, "end"))
    assert (await _tick(container, workspace, clock, minutes=15)).intakes == 1
    found = await _mentorships(container, workspace)
    assert _pair(found, ADA, ALAN).state == "ended"  # never again with the mentor he had
    assert [m.state for m in found if m.mentee.user_id == ALAN] == ["ended"]
    alan = slack.workspace.messages_in(slack.workspace.conversation_of({ALAN}) or "")
    assert len([m for m in alan if "No match for you" in str(m.blocks)]) == 1
    assert (await _tick(container, workspace, clock, minutes=15)).intakes == 0
