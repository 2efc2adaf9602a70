"""Loading the Teams SDK (``microsoft-teams-apps`` 2.1) without letting it reconfigure us.

Importing ``microsoft_teams.apps`` runs ``load_dotenv(find_dotenv(usecwd=True))``: a
``.env`` file in the working directory (or any directory above it) would land in
``os.environ`` — where the SDK itself reads ``CLIENT_ID``, ``CLIENT_SECRET``,
``SERVICE_URL``, ``CLOUD`` and ``DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS``. Every import
of the SDK goes through ``load``, which puts the environment back exactly as it was, and
mentorbot never hands the SDK a setting it did not pass explicitly. (The inbound endpoint
is mentorbot's own, so the SDK's switch to turn authentication off has nothing to act on.)

Only ``bot/teams`` imports the SDK (an import-linter contract), and only when Teams is
configured: ``bot.teams.plugin`` is cheap to import, the adapter loads the SDK.
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterator
from types import ModuleType


@contextlib.contextmanager
def environment_kept() -> Iterator[None]:
    """Whatever happens inside, ``os.environ`` is the same afterwards."""
    before = dict(os.environ)
    try:
        yield
    finally:
        for key in set(os.environ) - before.keys():
            del os.environ[key]
        for key, value in before.items():
            if os.environ.get(key) != value:
                os.environ[key] = value


def load(module: str) -> ModuleType:
    """``import module`` (a ``microsoft_teams`` module) with the environment kept."""
    if not module.startswith("microsoft_teams."):
        raise ValueError(f"not a Teams SDK module: {module}")
    with environment_kept():
        return importlib.import_module(module)
