"""Who may run lead-only actions: the ``admins`` in settings and workspace admins/owners."""

from __future__ import annotations

from bot.errors import NotALead
from bot.services.scope import Scope
from storage.repositories import Profile


def is_lead(profile: Profile, admins: frozenset[str]) -> bool:
    return profile.user_id in admins or profile.is_workspace_admin


async def require_lead(scope: Scope, user_id: str) -> Profile:
    """The lead's fresh profile (users.info), or ``NotALead`` / ``UnknownUser``."""
    profile = await scope.platform.user_profile(user_id)
    if not is_lead(profile, scope.admins):
        raise NotALead()
    return profile
