"""What mentorbot does for each command a person types and each button they click —
on any platform.

A platform adapter parses the text (``bot.commands.parse``), makes the requester's
``Scope`` and calls ``answer``; for a click it calls ``click`` with the button's id and
value. It renders the returned neutral ``Message`` its own way (an ephemeral Slack
reply, a Teams message). The commands and buttons that open a form (``signup``,
``program``) are the adapters' own, since forms differ by platform; ``help`` needs no
I/O and is answered from ``bot.builders.help`` directly.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot import readers
from bot.builders import actions, replies
from bot.builders import checkin as checkin_buttons
from bot.builders import mentorship as mentorship_build
from bot.builders.home import home_blocks
from bot.builders.lead_reports import dashboard_message, history_message, stats_message
from bot.builders.match import match_message
from bot.builders.profile import profile_message
from bot.builders.text import quote
from bot.commands import Command, Verb
from bot.deadlines import ANSWER_SECONDS, turn, within
from bot.errors import MentorbotError, UnknownUser
from bot.messages import Message
from bot.platform import SentMessage
from bot.services import membership, mentorships
from bot.services.checkins import answer_checkin, answer_follow_up, answer_pause_question
from bot.services.home import home
from bot.services.impact import program_impact
from bot.services.leads import require_lead
from bot.services.profile import my_profile
from bot.services.reports import program_history, program_stats
from bot.services.rounds import start_round
from bot.services.scope import Scope
from bot.unavailable import as_unavailable

log = logging.getLogger(__name__)

Handler = Callable[[Scope, str, Command], Awaitable[Message]]
Work = Callable[[], Awaitable[Message | None]]
OPENS_A_FORM = frozenset({Verb.SIGNUP, Verb.PROGRAM})
HOME_TITLE = "Your mentorbot"


async def _profile(scope: Scope, user_id: str, command: Command) -> Message:
    return profile_message(await my_profile(scope, user_id), now=scope.clock())


async def _pause(scope: Scope, user_id: str, command: Command) -> Message:
    done = await membership.pause(scope, user_id, command.weeks)
    return replies.paused(done.programs, done.until, done.time_zone)


async def _resume(scope: Scope, user_id: str, command: Command) -> Message:
    return replies.resumed(await membership.resume(scope, user_id))


async def _leave(scope: Scope, user_id: str, command: Command) -> Message:
    programs_left = await membership.leaving(scope, user_id, command.program)
    value = str(programs_left[0].id) if command.program else actions.ALL
    return replies.leave_question(programs_left, value)


async def _match(scope: Scope, user_id: str, command: Command) -> Message:
    return match_message(await membership.current_matches(scope, user_id), now=scope.clock())


async def _end(scope: Scope, user_id: str, command: Command) -> Message:
    """End my mentorship early (or ask which one, when I have several)."""
    return await _ended(scope, user_id, None, command.reason)


async def _ended(
    scope: Scope, user_id: str, mentorship_id: int | None, reason: str | None
) -> Message:
    done = await mentorships.end(scope, user_id, mentorship_id=mentorship_id, reason=reason)
    if isinstance(done, list):
        if not done:
            return mentorship_build.nothing_to_end()
        async with scope.unit(read_only=True) as uow:
            names = {p.id: p.name for p in await uow.programs.all()}
        return mentorship_build.which_to_end(done, user_id, names)
    if not done.changed:
        return mentorship_build.already_ended(done.mentorship, program=done.program)
    return mentorship_build.ended_reply(done.mentorship, program=done.program, user_id=user_id)


async def _history(scope: Scope, user_id: str, command: Command) -> Message:
    lead = await require_lead(scope, user_id)
    found = await program_history(scope, command.program or "")
    return history_message(found, time_zone=lead.time_zone)


async def _stats(scope: Scope, user_id: str, command: Command) -> Message:
    lead = await require_lead(scope, user_id)
    report = await program_stats(scope, command.program or "")
    impact = await program_impact(scope, command.program or "")
    return stats_message(report, time_zone=lead.time_zone, impact=impact)


async def _dashboard(scope: Scope, user_id: str, command: Command) -> Message:
    """A signed link to this workspace's web dashboard, for this lead only."""
    lead = await require_lead(scope, user_id)
    if scope.dashboard is None:
        raise MentorbotError(
            "The dashboard needs SECRET_KEY (or SLACK_SIGNING_SECRET) to sign links, "
            "and it is not set."
        )
    link = scope.dashboard(user_id)
    log.info("dashboard link for lead %s (until %s)", user_id, link.expires_at)
    return dashboard_message(link, time_zone=lead.time_zone)


async def _round(scope: Scope, user_id: str, command: Command) -> Message:
    """Form the round now (or finish the unfinished one); delivery sends the
    introductions in the background, at the platform's pace."""
    await require_lead(scope, user_id)
    formed = await start_round(scope, command.program or "", actor=user_id)
    log.info("lead %s ran a round: %s", user_id, formed.summary())
    summary = quote(formed.summary(), 1000)
    if formed.created:
        return replies.say(summary + " Introductions are on their way.")
    return replies.say(summary + " I'm finishing its introductions first.")


def failure_message(error: Exception, user_id: str) -> Message:
    """What a person reads when their request failed (and the log entry for surprises):
    domain errors are written for people; the database or the platform failing is no
    bug (a warning, no traceback); anything else is a short apology."""
    if isinstance(error, UnknownUser) and error.user_id == user_id:
        return replies.unknown_self()
    if isinstance(error, MentorbotError):
        return replies.problem(str(error))
    unavailable = as_unavailable(error)
    if unavailable is not None:
        log.warning("request from %s failed: %s: %s", user_id, type(error).__name__, error)
        return replies.problem(str(unavailable))
    log.error("request from %s failed unexpectedly", user_id, exc_info=error)
    return replies.apology()


async def outcome(work: Work, *, user_id: str, urgent: bool = False) -> Message | None:
    """``work``'s message, or the friendly form of its failure (never an exception) —
    within ``ANSWER_SECONDS`` of its turn: a person is never left waiting on a stuck
    database, and a burst of requests is worked through a few dozen at a time (``urgent``
    work, which Slack is waiting on, first)."""
    async with turn(urgent=urgent):
        try:
            return await within(ANSWER_SECONDS, work)
        except Exception as exc:
            return failure_message(exc, user_id)


HANDLERS: dict[Verb, Handler] = {
    Verb.PROFILE: _profile,
    Verb.PAUSE: _pause,
    Verb.RESUME: _resume,
    Verb.LEAVE: _leave,
    Verb.MATCH: _match,
    Verb.END: _end,
    Verb.HISTORY: _history,
    Verb.STATS: _stats,
    Verb.DASHBOARD: _dashboard,
    Verb.ROUND: _round,
}


async def answer(scope: Scope, user_id: str, command: Command) -> Message:
    """The reply to ``command`` from ``user_id`` (domain errors propagate: the adapter
    turns them into a friendly reply)."""
    return await HANDLERS[command.verb](scope, user_id, command)


async def refresh_home(scope: Scope, user_id: str, *, notice: str | None = None) -> None:
    """Show the person's home as it is now, with ``notice`` on top if given."""
    data = await home(scope, user_id)
    blocks = home_blocks(data, notice, room=scope.platform.home_room)
    await scope.platform.show_home(user_id, Message(text=HOME_TITLE, blocks=blocks))


# -- buttons ---------------------------------------------------------------------------

Click = Callable[[Scope, str, str, SentMessage | None], Awaitable[Message | None]]


class NotAButton(MentorbotError):
    def __init__(self) -> None:
        super().__init__("That button doesn't belong to anything I know. Try `/mentor help`.")


class NotAProgramButton(MentorbotError):
    def __init__(self) -> None:
        super().__init__("That button doesn't belong to a program I know. Try `/mentor help`.")


def _program_id(value: str) -> int | None:
    """The program a button is for; ``actions.ALL`` means every program (``leave``
    without a name), and anything else that is not a program id is refused."""
    if value == actions.ALL:
        return None
    found = readers.record_id(value)
    if found is None:
        raise NotAProgramButton()
    return found


def _record_id(value: str) -> int:
    found = readers.record_id(value)
    if found is None:
        raise NotAButton()
    return found


async def _pause_clicked(
    scope: Scope, user_id: str, value: str, message: SentMessage | None
) -> Message:
    done = await membership.pause(scope, user_id, None, program_id=_program_id(value))
    return replies.paused(done.programs, done.until, done.time_zone)


async def _resume_clicked(
    scope: Scope, user_id: str, value: str, message: SentMessage | None
) -> Message:
    return replies.resumed(await membership.resume(scope, user_id, program_id=_program_id(value)))


async def _leave_confirmed(
    scope: Scope, user_id: str, value: str, message: SentMessage | None
) -> Message:
    done = await membership.leave(scope, user_id, program_id=_program_id(value))
    return replies.left(done.programs, done.erased)


async def _stay(scope: Scope, user_id: str, value: str, message: SentMessage | None) -> Message:
    _program_id(value)
    return replies.stayed()


def _checkin(answer_given: str) -> Click:
    async def clicked(
        scope: Scope, user_id: str, value: str, message: SentMessage | None
    ) -> Message | None:
        await answer_checkin(
            scope, group_id=_record_id(value), user_id=user_id, answer=answer_given, message=message
        )
        return None  # the check-in itself is redrawn in place

    return clicked


def _follow_up(*, came_of: str | None = None, rating: int | None = None) -> Click:
    async def clicked(
        scope: Scope, user_id: str, value: str, message: SentMessage | None
    ) -> Message | None:
        await answer_follow_up(
            scope,
            group_id=_record_id(value),
            user_id=user_id,
            message=message,
            came_of=came_of,
            rating=rating,
        )
        return None  # the check-in is redrawn with how many answered (never who or what)

    return clicked


def _pause_question(pause: bool) -> Click:
    async def clicked(
        scope: Scope, user_id: str, value: str, message: SentMessage | None
    ) -> Message | None:
        await answer_pause_question(
            scope, enrollment_id=_record_id(value), user_id=user_id, pause=pause, message=message
        )
        return None

    return clicked


def _parts(value: str, count: int) -> tuple[int, list[str]]:
    """A mentorship button's value: its id, then ``count - 1`` choices."""
    pieces = value.split(":")
    if len(pieces) != count:
        raise NotAButton()
    return _record_id(pieces[0]), pieces[1:]


async def _end_clicked(
    scope: Scope, user_id: str, value: str, message: SentMessage | None
) -> Message:
    return await _ended(scope, user_id, _record_id(value), None)


def _meeting(met: bool) -> Click:
    async def clicked(
        scope: Scope, user_id: str, value: str, message: SentMessage | None
    ) -> Message | None:
        await mentorships.answer_meeting(
            scope, mentorship_id=_record_id(value), user_id=user_id, met=met, message=message
        )
        return None

    return clicked


async def _goal_clicked(
    scope: Scope, user_id: str, value: str, message: SentMessage | None
) -> Message | None:
    mentorship_id, (index, progress) = _parts(value, 3)
    if not index.isdigit():
        raise NotAButton()
    await mentorships.mark_goal(
        scope,
        mentorship_id=mentorship_id,
        user_id=user_id,
        index=int(index),
        progress=progress,
        message=message,
    )
    return None


def _closing(field: str) -> Click:
    async def clicked(
        scope: Scope, user_id: str, value: str, message: SentMessage | None
    ) -> Message | None:
        mentorship_id, (choice,) = _parts(value, 2)
        await mentorships.answer_closing(
            scope,
            mentorship_id=mentorship_id,
            user_id=user_id,
            field=field,
            value=choice,
            message=message,
        )
        return None

    return clicked


async def _choose_clicked(
    scope: Scope, user_id: str, value: str, message: SentMessage | None
) -> Message:
    program, _, mentor = value.partition(":")
    if not mentor or readers.record_id(program) is None:
        raise NotAButton()
    done = await mentorships.choose(scope, user_id, program_id=_record_id(program), mentor=mentor)
    if not done.taken:
        return mentorship_build.chosen(done.mentor, program=done.program.name)
    name = done.mentor.real_name or done.mentor.display_name
    return mentorship_build.suggestions(
        done.instead,
        program=done.program,
        day=scope.clock(),
        intro=f"{name}'s places have just been taken — nothing was booked.",
    )


def _request(accept: bool) -> Click:
    async def clicked(
        scope: Scope, user_id: str, value: str, message: SentMessage | None
    ) -> Message | None:
        await mentorships.answer_request(
            scope, mentorship_id=_record_id(value), user_id=user_id, accept=accept, message=message
        )
        return None

    return clicked


def _lead_decides(confirm: bool) -> Click:
    async def clicked(
        scope: Scope, user_id: str, value: str, message: SentMessage | None
    ) -> Message:
        done = await mentorships.lead_decides(
            scope, user_id, mentorship_id=_record_id(value), confirm=confirm
        )
        return mentorship_build.lead_decided(
            done.mentorship, program=done.program, replaced_by=done.replaced_by
        )

    return clicked


# Buttons that answer with a reply (replacing the message they were on, where it can).
MEMBERSHIP_BUTTONS: dict[str, Click] = {
    actions.PAUSE: _pause_clicked,
    actions.RESUME: _resume_clicked,
    actions.LEAVE_CONFIRM: _leave_confirmed,
    actions.LEAVE_CANCEL: _stay,
    mentorship_build.END: _end_clicked,
    mentorship_build.CHOOSE: _choose_clicked,
    mentorship_build.LEAD_CONFIRM: _lead_decides(True),
    mentorship_build.LEAD_OTHER: _lead_decides(False),
}
# Buttons that redraw the message they were on.
IN_PLACE_BUTTONS: dict[str, Click] = {
    **{
        action_id: _checkin(answer_given)
        for action_id, answer_given in checkin_buttons.ANSWERS.items()
    },
    **{
        action_id: _follow_up(came_of=came_of)
        for action_id, (came_of, _) in checkin_buttons.CAME_OF.items()
    },
    **{
        action_id: _follow_up(rating=rating)
        for action_id, rating in checkin_buttons.WORTH_IT.items()
    },
    checkin_buttons.PAUSE: _pause_question(True),
    checkin_buttons.STAY: _pause_question(False),
    mentorship_build.MET: _meeting(True),
    mentorship_build.NOT_MET: _meeting(False),
    mentorship_build.GOAL: _goal_clicked,
    mentorship_build.RATE: _closing("value"),
    mentorship_build.OUTCOME: _closing("outcome"),
    mentorship_build.CONTINUE: _closing("continue"),
    mentorship_build.ACCEPT: _request(True),
    mentorship_build.DECLINE: _request(False),
}
BUTTONS: dict[str, Click] = {**MEMBERSHIP_BUTTONS, **IN_PLACE_BUTTONS}


async def click(
    scope: Scope, user_id: str, action_id: str, value: str, message: SentMessage | None
) -> Message | None:
    """Do what the button ``action_id`` (with ``value``) does for ``user_id``; ``message``
    is where it was clicked, to redraw. Returns the reply to show, if any."""
    handler = BUTTONS.get(action_id)
    if handler is None:
        raise NotAButton()
    return await handler(scope, user_id, value, message)
