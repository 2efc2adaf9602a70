"""The ``/mentor`` grammar: text in, a ``Command`` out. Pure — no I/O, no Slack.

Like recursecenter/pairing-bot's ``parseCmd``, a malformed command is a typed error
(``MissingProgram``, ``BadWeeks``) that the handler shows as it is; text that names no
command at all is not an error but a request for help.

    signup [PROGRAM]      profile        pause [WEEKS]     resume
    leave [PROGRAM]       match          end [REASON]      help
    round PROGRAM         history PROGRAM   stats PROGRAM   program [PROGRAM]   (leads)
    dashboard                                                                    (leads)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.errors import MentorbotError

MAX_WEEKS = 52
MAX_PROGRAM_NAME = 80
MAX_ECHO = 30
MAX_REASON = 500
_MARKUP = re.compile(r"[<>&`*_~|\\]")
_QUOTES = "\"'“”‘’«»「」`"


class Verb(StrEnum):
    HELP = "help"
    SIGNUP = "signup"
    PROFILE = "profile"
    PAUSE = "pause"
    RESUME = "resume"
    LEAVE = "leave"
    MATCH = "match"
    END = "end"
    ROUND = "round"
    HISTORY = "history"
    STATS = "stats"
    PROGRAM = "program"
    DASHBOARD = "dashboard"


LEAD_VERBS = frozenset({Verb.ROUND, Verb.HISTORY, Verb.STATS, Verb.PROGRAM, Verb.DASHBOARD})
NEEDS_PROGRAM = frozenset({Verb.ROUND, Verb.HISTORY, Verb.STATS})
_ALIASES = {
    "": Verb.HELP,
    "?": Verb.HELP,
    "commands": Verb.HELP,
    "join": Verb.SIGNUP,
    "sign-up": Verb.SIGNUP,
    "register": Verb.SIGNUP,
    "me": Verb.PROFILE,
    "unpause": Verb.RESUME,
    "quit": Verb.LEAVE,
    "optout": Verb.LEAVE,
    "opt-out": Verb.LEAVE,
    "stat": Verb.STATS,
    "programs": Verb.PROGRAM,
    "dash": Verb.DASHBOARD,
}


@dataclass(frozen=True, slots=True)
class Command:
    verb: Verb
    program: str | None = None  # a program name, as typed (quotes and spaces trimmed)
    weeks: int | None = None  # pause: None means until `resume`
    unknown: str | None = None  # help because this word is not a command
    reason: str | None = None  # end: why, in the person's words (kept private)

    @property
    def lead_only(self) -> bool:
        return self.verb in LEAD_VERBS


class CommandError(MentorbotError):
    """The command is known but its arguments are not; the message says how to fix it."""


class MissingProgram(CommandError):
    def __init__(self, verb: Verb) -> None:
        super().__init__(f"Which program? Try `/mentor {verb.value} PROGRAM`.")
        self.verb = verb


class BadWeeks(CommandError):
    def __init__(self, given: str) -> None:
        super().__init__(
            f"“{_echo(given)}” is not a number of weeks. Try `/mentor pause 2` to pause for "
            f"two weeks (1 to {MAX_WEEKS}), or `/mentor pause` to pause until you resume."
        )
        self.given = given


def parse(text: str) -> Command:
    """Read the text typed after ``/mentor``. Never fails on unknown text (that is help)."""
    clean = " ".join(unescape(text or "").split())
    word, _, rest = clean.partition(" ")
    key = word.casefold()
    if key == "sign" and rest.casefold().startswith("up"):
        key, rest = "signup", rest[2:].strip()
    verb = _ALIASES.get(key) or _verb(key)
    if verb is None:
        return Command(Verb.HELP, unknown=_echo(word))
    if verb is Verb.PAUSE:
        return Command(verb, weeks=parse_weeks(rest))
    if verb is Verb.END:
        return Command(verb, reason=rest.strip()[:MAX_REASON] or None)
    program = program_name(rest)
    if verb in NEEDS_PROGRAM and program is None:
        raise MissingProgram(verb)
    if verb in (Verb.SIGNUP, Verb.LEAVE, Verb.PROGRAM) or verb in NEEDS_PROGRAM:
        return Command(verb, program=program)
    return Command(verb)


def parse_weeks(text: str) -> int | None:
    """``""`` → None (until resume); ``"3"``, ``"3 weeks"``, ``"3w"`` → 3; else BadWeeks."""
    clean = text.strip().casefold()
    if not clean:
        return None
    match = re.fullmatch(r"(\d{1,3})\s*(?:w|wk|wks|week|weeks)?", clean)
    if match is None:
        raise BadWeeks(text.strip())
    weeks = int(match.group(1))
    if not 1 <= weeks <= MAX_WEEKS:
        raise BadWeeks(text.strip())
    return weeks


def program_name(text: str) -> str | None:
    """A program name as typed: surrounding quotes and whitespace trimmed, clipped."""
    name = text.strip().strip(_QUOTES).strip()
    return name[:MAX_PROGRAM_NAME] or None


def unescape(text: str) -> str:
    """Undo the escaping Slack applies to command text (only these three entities)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _verb(key: str) -> Verb | None:
    try:
        return Verb(key)
    except ValueError:
        return None


def _echo(word: str) -> str:
    """A piece of the person's text, safe and short enough to quote back to them:
    no markup characters (so it cannot mention @channel or break formatting)."""
    word = _MARKUP.sub("", word).strip()
    return word if len(word) <= MAX_ECHO else word[: MAX_ECHO - 1] + "…"
