"""The fields every program has, whatever its kind; each is a column of ``programs``.

Their defaults are ``ProgramSpec``'s (storage keeps the one copy, since repositories and
tests build specs without the bot). The kind's own settings are declared by each kind
(``bot.kinds.coffee``, ``bot.kinds.mentorship``) and placed between ``LEAD`` and
``TRAIL`` in the program form.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import forms, readers
from bot.kinds.fields import Flag, Number, ProgramField, Text
from bot.kinds.registry import KINDS
from bot.schedule import ScheduleError, parse_schedule
from storage.repositories.programs import ProgramSpec

_DEFAULTS: dict[str, Any] = {f.name: f.default for f in dataclasses.fields(ProgramSpec)}
# A platform's channel id (Slack's C0123ABCD, a Teams 19:…@thread.tacv2 …), never a name
# people typed ("#random"): ids are what the form's channel picker hands back.
_CHANNEL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9:@._;=-]{1,63}")
SCHEDULE_HINT = (
    "For example: every monday at 09:00 · every other week on tuesday at 10:00 · "
    "first monday of the month at 10:00 · or a cron line like 0 9 * * 1"
)


@dataclass(frozen=True, kw_only=True)
class KindChoice(ProgramField[str]):
    """The program's kind: one of the registered kinds, whichever are registered now."""

    def annotation(self) -> Any:
        return Literal[KINDS.names()]

    def read(self, answers: forms.Answers) -> str:
        value = forms.text(answers, self.field_name)
        if value is None or KINDS.get(value) is None:
            raise ValueError(f"Choose {_either(KINDS.names())}.")
        return value

    def input(self, value: str, *, label: str) -> forms.Input:
        options = tuple(forms.Option(k.name, k.label, k.description) for k in KINDS)
        return forms.ChoiceField(
            name=self.field_name, label=label, options=options, initial=value, style="radio"
        )

    def load(self, raw: object) -> str:
        return raw if isinstance(raw, str) else self.default


@dataclass(frozen=True, kw_only=True)
class ChannelChoice(ProgramField[str | None]):
    """Where rounds are announced (a channel id), or no channel."""

    def annotation(self) -> Any:
        return str | None

    def read(self, answers: forms.Answers) -> str | None:
        channel = (forms.text(answers, self.field_name) or "").strip() or None
        if channel is not None and not _CHANNEL_ID.fullmatch(channel):
            raise ValueError("Please pick a channel from the list.")
        return channel

    def input(self, value: str | None, *, label: str) -> forms.Input:
        return forms.ChannelField(
            name=self.field_name, label=label, hint=self.hint, optional=True, initial=value
        )

    def load(self, raw: object) -> str | None:
        return raw if isinstance(raw, str) else None


def _schedule_in_config(value: str) -> str:
    try:
        parse_schedule(value)
    except ScheduleError as exc:
        raise ValueError(str(exc)) from None
    return value


DIGEST_OFF = "off"
DIGEST_DEFAULT = "first monday of the month at 09:00"


def _digest_in_config(value: str) -> str:
    clean = " ".join(value.split())
    if clean.lower() == DIGEST_OFF:
        return DIGEST_OFF
    return _schedule_in_config(clean)


def _digest_in_form(text: str | None) -> str:
    clean = " ".join((text or "").split())
    if not clean:
        return DIGEST_DEFAULT
    if len(clean) > 200:
        raise ValueError("Please keep the schedule under 200 characters.")
    return _digest_in_config(clean)


def _schedule_in_form(text: str | None) -> str:
    clean = " ".join((text or "").split())
    if not clean:
        raise ValueError("When should rounds happen? For example: every monday at 09:00.")
    if len(clean) > 200:
        raise ValueError("Please keep the schedule under 200 characters.")
    return _schedule_in_config(clean)


def _timezone_in_config(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name like 'Europe/Berlin')"
        ) from None
    return value


def _timezone_in_form(text: str | None) -> str:
    clean = (text or "").strip() or "UTC"
    try:
        if len(clean) > 64:
            raise ValueError(clean)
        ZoneInfo(clean)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"Unknown time zone; use a name like Europe/Berlin, not {clean[:40]!r}."
        ) from None
    return clean


def _name_in_form(text: str | None) -> str:
    name = readers.short_text(text)
    if not name:
        raise ValueError("Please give the program a name.")
    return name


def _either(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


NAME = Text(
    name="name",
    label="Name",
    default="",
    max_length=80,
    column=True,
    required=True,
    form_optional=False,
    check_form=_name_in_form,
)
KIND = KindChoice(name="kind", label="Kind", default=_DEFAULTS["kind"], column=True)
CHANNEL = ChannelChoice(
    name="channel_id",
    config_key="channel",
    form_key="channel",
    label="Channel",
    hint="Where rounds are announced.",
    default=None,
    column=True,
)
JOIN_VIA_CHANNEL = Flag(
    name="join_via_channel",
    option="join_via_channel",
    label="People join by joining the channel",
    description="and leaving it pauses them",
    default=_DEFAULTS["join_via_channel"],
    column=True,
)
SCHEDULE = Text(
    name="schedule",
    label="Schedule",
    hint=SCHEDULE_HINT,
    default=_DEFAULTS["schedule"],
    max_length=200,
    column=True,
    form_optional=False,
    check=_schedule_in_config,
    check_form=_schedule_in_form,
)
TIMEZONE = Text(
    name="timezone",
    label="Time zone",
    hint="An IANA name such as Europe/Berlin or America/New_York.",
    default=_DEFAULTS["timezone"],
    max_length=64,
    column=True,
    form_optional=False,
    check=_timezone_in_config,
    check_form=_timezone_in_form,
)
CHECKIN_AFTER_DAYS = Number(
    name="checkin_after_days",
    form_key="checkin_days",
    label="Ask “did you meet?” after (days)",
    default=_DEFAULTS["checkin_after_days"],
    low=0,
    high=60,
    column=True,
)
IMPACT_DIGEST = Text(
    name="impact_digest",
    label="Impact digest to leads",
    hint="When leads get the monthly impact digest in chat (once a month at most), e.g. "
    f"{DIGEST_DEFAULT} — or off",
    default=DIGEST_DEFAULT,
    max_length=200,
    check=_digest_in_config,
    check_form=_digest_in_form,
)
ACTIVE = Flag(
    name="active",
    option="inactive",
    label="On hold",
    description="No rounds, and hidden from signup",
    inverted=True,
    default=_DEFAULTS["active"],
    column=True,
    in_config=False,  # a lead puts a program on hold in the form
)

# In the program form the kinds' settings come between these two.
LEAD: tuple[ProgramField[Any], ...] = (NAME, KIND, CHANNEL, JOIN_VIA_CHANNEL, SCHEDULE, TIMEZONE)
TRAIL: tuple[ProgramField[Any], ...] = (CHECKIN_AFTER_DAYS, IMPACT_DIGEST, ACTIVE)
# Common fields kept in ``programs.settings`` rather than a column of their own.
SETTINGS: tuple[ProgramField[Any], ...] = (IMPACT_DIGEST,)
