"""Program kinds as policies: coffee, mentorship — and the next one.

To add a kind, write a module here with a ``Kind`` subclass (its plan, roles and signup
questions, wording, settings, dashboard facts; see ``base.Kind``) and register it below
with one line. The program form, the signup form, the config file's ``[[programs]]``
keys and storage pick up its settings from their declarations; nothing else changes.
"""

from __future__ import annotations

from bot.kinds import coffee, mentorship
from bot.kinds.base import COMMON_LEFT_OUT, Enrolled, Kind, LeftOut, Phrase, SignupField, Wording
from bot.kinds.registry import KINDS, Registry, UnknownKind
from storage.records import ProgramRecord

KINDS.add(coffee.COFFEE)
KINDS.add(mentorship.MENTORSHIP)


def left_out(program: ProgramRecord, reason: str) -> LeftOut:
    """Why the engine left someone out of ``program``'s round, in the kind's words (in
    common words when the kind is unknown, so listing pages still show)."""
    kind = KINDS.get(program.kind)
    if kind is not None:
        return kind.left_out(reason)
    return COMMON_LEFT_OUT.get(reason) or COMMON_LEFT_OUT["no_allowed_partner"]


def lasts_a_term(program: ProgramRecord) -> bool:
    """The program's matches are relationships over a term (checked in on one by one)."""
    kind = KINDS.get(program.kind)
    return kind is not None and kind.term(program) is not None


__all__ = [
    "KINDS",
    "Enrolled",
    "Kind",
    "LeftOut",
    "Phrase",
    "Registry",
    "SignupField",
    "UnknownKind",
    "Wording",
    "lasts_a_term",
    "left_out",
]
