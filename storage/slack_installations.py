"""Slack's OAuth installations and OAuth states, kept in mentorbot's own database.

slack_sdk's SQLAlchemy stores define these tables' columns; declaring them on our
metadata puts them in our migrations. Only the Slack adapter uses the stores; this is
the one storage module that imports slack_sdk.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.orm import Base

INSTALLATIONS = AsyncSQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, "slack_installations"
)
BOTS = AsyncSQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
OAUTH_STATES = AsyncSQLAlchemyOAuthStateStore.build_oauth_states_table(
    Base.metadata, "slack_oauth_states"
)


def installation_store(client_id: str, engine: AsyncEngine) -> AsyncSQLAlchemyInstallationStore:
    return AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine)


def oauth_state_store(
    engine: AsyncEngine, *, expiration_seconds: int
) -> AsyncSQLAlchemyOAuthStateStore:
    return AsyncSQLAlchemyOAuthStateStore(expiration_seconds=expiration_seconds, engine=engine)
