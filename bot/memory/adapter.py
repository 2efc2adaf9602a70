"""The in-memory platform's adapter: one signed HTTP endpoint in, a world in memory out.

``POST /memory/events`` takes one JSON event, signed like Slack's requests (HMAC-SHA256
of ``v0:{timestamp}:{body}`` with ``MEMORY_CHAT_SECRET``, in ``X-Memory-Signature`` and
``X-Memory-Timestamp``, at most five minutes old). Events:

    {"type": "people",  "workspace": W, "people": [{"user_id", "display_name", …}], "gone": [...]}
    {"type": "channel", "workspace": W, "channel": C, "members": [...]}
    {"type": "command", "workspace": W, "user": U, "text": "pause 2"}
    {"type": "click",   "workspace": W, "user": U, "action_id": A, "value": V,
                        "conversation": C, "message_id": M}
    {"type": "submit",  "workspace": W, "user": U, "form": "signup"|"program",
                        "answers": {...}, "program_id": P}
    {"type": "read",    "workspace": W}        → every conversation and home, as JSON

A command or click is answered in the response (``{"reply": message or null}``), like
a personal chat; ``signup`` and ``program`` answer with the form to fill in
(``{"form": …}``, see ``bot.memory.forms``). What mentorbot sends on its own
(introductions, check-ins) lands in the world's conversations.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from bot.builders import replies
from bot.builders.help import help_message
from bot.builders.text import when
from bot.commands import Command, CommandError, Verb, parse
from bot.errors import InvalidForm
from bot.handlers import answer, click, failure_message, outcome
from bot.memory.chat import MemoryChat, MemoryWorkspace
from bot.memory.forms import answers_from, form_json
from bot.memory.plugin import NAME
from bot.messages import Message
from bot.platform import ChatPlatform, Limit, Op, RateLimits, SentMessage
from bot.platforms import Background
from bot.readers import record_id
from bot.services.program_admin import program_form, program_to_edit, save_program
from bot.services.scope import Scope
from bot.services.signup import signup_draft, submit_signup
from bot.viewmodels import next_round_at
from storage.records import ProgramRecord, WorkspaceRecord
from storage.repositories import Profile

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
MAX_AGE_SECONDS = 300
MEMORY_LIMITS = RateLimits(
    per_workspace={op: Limit(100, 1.0) for op in Op},
    per_conversation={Op.SEND: Limit(10, 1.0)},
)


class BadEvent(ValueError):
    """The event cannot be read; the message says why (answered with 400)."""


class MemoryAdapter:
    name = NAME
    limits = MEMORY_LIMITS

    def __init__(self, core: Core) -> None:
        assert core.settings.memory_chat_secret is not None
        self.core = core
        self.secret = core.settings.memory_chat_secret.get_secret_value().encode()
        self.world: dict[str, MemoryWorkspace] = {}

    def space(self, external_id: str) -> MemoryWorkspace:
        return self.world.setdefault(external_id, MemoryWorkspace(external_id))

    async def chat(self, workspace: WorkspaceRecord, *, retry: bool = True) -> ChatPlatform:
        return MemoryChat(self.space(workspace.external_id))

    def background(self) -> list[Background]:
        return []

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def default_workspace(self) -> WorkspaceRecord | None:
        return None

    def mount(self, app: FastAPI) -> None:
        @app.post("/memory/events")
        async def events(request: Request) -> Response:
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY:
                return JSONResponse({"error": "too large"}, status_code=413)
            body = await request.body()
            if len(body) > MAX_BODY:
                return JSONResponse({"error": "too large"}, status_code=413)
            if not self.signed(body, request):
                return JSONResponse({"error": "invalid request"}, status_code=401)
            try:
                return JSONResponse(await self.handle(_event(body)))
            except BadEvent as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)

    def signed(self, body: bytes, request: Request) -> bool:
        stamp = request.headers.get("X-Memory-Timestamp", "")
        given = request.headers.get("X-Memory-Signature", "")
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > MAX_AGE_SECONDS:
            return False
        return hmac.compare_digest(given, sign(self.secret, stamp, body))

    async def handle(self, event: dict[str, Any]) -> dict[str, Any]:
        space = self.space(_text(event, "workspace"))
        kind = event.get("type")
        if kind == "people":
            _add_people(space, event)
            return {"ok": True}
        if kind == "channel":
            space.add_channel(_text(event, "channel"), _strings(event.get("members", [])))
            return {"ok": True}
        if kind == "read":
            return _read(space)
        user_id = _text(event, "user")
        if kind == "command":
            return await self.command(space, user_id, _text(event, "text", 2000))
        if kind == "submit":
            return await self.submitted(space, user_id, event)
        if kind == "click":
            return {"reply": _dict(await self.clicked(space, user_id, event))}
        raise BadEvent(f"unknown event type {kind!r}")

    async def command(self, space: MemoryWorkspace, user_id: str, text: str) -> dict[str, Any]:
        try:
            command = parse(text)
        except CommandError as exc:
            return {"reply": _dict(replies.problem(str(exc)))}
        if command.verb is Verb.HELP:
            return {"reply": _dict(help_message(command.unknown))}
        scope = await self.scope(space)
        try:
            if command.verb is Verb.SIGNUP:
                return {"form": await self.signup_form(scope, user_id, command)}
            if command.verb is Verb.PROGRAM:
                return {"form": await self.program_form(scope, user_id, command)}
        except Exception as exc:
            return {"reply": _dict(failure_message(exc, user_id))}
        reply = await outcome(lambda: answer(scope, user_id, command), user_id=user_id)
        return {"reply": _dict(reply)}

    async def signup_form(self, scope: Scope, user_id: str, command: Command) -> dict[str, Any]:
        await scope.platform.user_profile(user_id)
        draft = await signup_draft(scope, user_id, command.program)
        return form_json(draft.form(platform="memory"), "signup")

    async def program_form(self, scope: Scope, user_id: str, command: Command) -> dict[str, Any]:
        _lead, program = await program_to_edit(scope, user_id, name=command.program)
        form = program_form(program, default_timezone="UTC")
        return form_json(form, "program", program_id=program.id if program else None)

    async def submitted(
        self, space: MemoryWorkspace, user_id: str, event: dict[str, Any]
    ) -> dict[str, Any]:
        answers = answers_from(event.get("answers"))
        which = event.get("form")
        scope = await self.scope(space)
        try:
            if which == "signup":
                result = await submit_signup(scope, user_id, answers)
                done = replies.signed_up(result.program, result.created, self._next(result.program))
            elif which == "program":
                program_id = record_id(event.get("program_id"))
                saved, created = await save_program(scope, user_id, answers, program_id=program_id)
                done = replies.program_saved(saved, created, self._next(saved))
            else:
                raise BadEvent(f"unknown form {which!r}")
        except InvalidForm as exc:
            return {"errors": exc.errors}
        except BadEvent:
            raise
        except Exception as exc:
            return {"reply": _dict(failure_message(exc, user_id))}
        return {"reply": _dict(done)}

    async def clicked(
        self, space: MemoryWorkspace, user_id: str, event: dict[str, Any]
    ) -> Message | None:
        where = (event.get("conversation"), event.get("message_id"))
        message = SentMessage(str(where[0]), str(where[1])) if all(where) else None
        action_id, value = _text(event, "action_id"), str(event.get("value") or "")[:200]
        scope = await self.scope(space)
        return await outcome(
            lambda: click(scope, user_id, action_id, value, message), user_id=user_id
        )

    def _next(self, program: ProgramRecord) -> str | None:
        upcoming = next_round_at(program, self.core.clock())
        return when(upcoming, "UTC") if upcoming else None

    async def scope(self, space: MemoryWorkspace) -> Scope:
        workspace = await self.core.uow.ensure_workspace(
            NAME, space.external_id, name=space.external_id, now=self.core.clock()
        )
        return self.core.scope(workspace, MemoryChat(space))


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest()


def _event(body: bytes) -> dict[str, Any]:
    try:
        event = json.loads(body)
    except ValueError:
        raise BadEvent("the body is not JSON") from None
    if not isinstance(event, dict):
        raise BadEvent("an event is a JSON object")
    return event


def _text(event: dict[str, Any], key: str, limit: int = 64) -> str:
    value = event.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise BadEvent(f"{key!r} must be a non-empty string of at most {limit} characters")
    return value


def _strings(values: object) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise BadEvent("expected a list of strings")
    return list(values)


def _add_people(space: MemoryWorkspace, event: dict[str, Any]) -> None:
    people = event.get("people", [])
    if not isinstance(people, list):
        raise BadEvent("'people' must be a list")
    for person in people:
        if not isinstance(person, dict):
            raise BadEvent("each person is an object")
        user_id = _text(person, "user_id")
        space.people[user_id] = Profile(
            user_id=user_id,
            display_name=str(person.get("display_name") or user_id)[:200],
            real_name=_optional(person, "real_name"),
            title=_optional(person, "title"),
            time_zone=str(person.get("time_zone") or "UTC")[:64],
            is_workspace_admin=person.get("is_workspace_admin") is True,
        )
        space.gone.discard(user_id)
    space.gone.update(_strings(event.get("gone", [])))


def _optional(person: dict[str, Any], key: str) -> str | None:
    value = person.get(key)
    return str(value)[:200] if value else None


def _dict(message: Message | None) -> dict[str, Any] | None:
    return message.to_dict() if message is not None else None


def _read(space: MemoryWorkspace) -> dict[str, Any]:
    return {
        "conversations": {
            conversation.id: {
                "members": sorted(conversation.members),
                "messages": [
                    {
                        "id": posted.id,
                        "key": posted.key,
                        "only_for": posted.only_for,
                        "message": posted.message.to_dict(),
                    }
                    for posted in conversation.messages
                ],
            }
            for conversation in space.conversations.values()
        },
        "homes": {user: home.to_dict() for user, home in space.homes.items()},
    }
