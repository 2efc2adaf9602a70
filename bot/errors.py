"""Domain errors. Handlers turn them into a friendly reply; they never leak a traceback."""

from __future__ import annotations


class MentorbotError(Exception):
    """A problem the person can fix; ``str(error)`` is safe to show them."""


class UnknownProgram(MentorbotError):
    def __init__(self, name: str) -> None:
        super().__init__(f"There is no program called “{name}”.")
        self.name = name


class NoPrograms(MentorbotError):
    def __init__(self) -> None:
        super().__init__("There are no active programs yet — ask a program lead to create one.")


class NotEnrolled(MentorbotError):
    def __init__(self, program: str | None = None) -> None:
        where = f" in {program}" if program else " in any program"
        super().__init__(f"You're not signed up{where} yet. Try `/mentor signup`.")


class NotALead(MentorbotError):
    def __init__(self) -> None:
        super().__init__("Only program leads can do that. Workspace admins are leads too.")


class UnknownUser(MentorbotError):
    def __init__(self, user_id: str) -> None:
        super().__init__("I couldn't find that person in this workspace.")
        self.user_id = user_id


class InvalidInput(MentorbotError):
    """Bad input for one field; ``field`` lets a form show the error in place."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class InvalidForm(MentorbotError):
    """Several fields of a form at fault: ``errors`` maps a field name to what to fix."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()) or "Please check the form.")
        self.errors = dict(errors)
