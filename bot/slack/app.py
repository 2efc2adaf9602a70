"""The Bolt ``AsyncApp``: signing-secret verification, the Web API client, listeners.

Single workspace: ``SLACK_BOT_TOKEN``. Multi-workspace: ``SLACK_CLIENT_ID`` and
``SLACK_CLIENT_SECRET`` turn on Bolt's OAuth flow, with installations and OAuth state
kept in mentorbot's own database (slack_sdk's SQLAlchemy stores).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings

from bot.slack.client import web_client
from bot.slack.listeners import register
from storage.slack_installations import oauth_state_store

if TYPE_CHECKING:
    from slack_sdk.oauth.installation_store.async_installation_store import (
        AsyncInstallationStore,
    )

    from bot.core import Core

log = logging.getLogger(__name__)

BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "mpim:write",
    "im:history",
    "mpim:history",
    "channels:history",
    "groups:history",
    "channels:read",
    "groups:read",
    "users:read",
)
OAUTH_STATE_SECONDS = 600


def build_bolt_app(core: Core, installations: AsyncInstallationStore | None) -> AsyncApp:
    settings = core.settings
    assert settings.slack_signing_secret is not None
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    oauth_settings = None
    if settings.oauth_configured and installations is not None:
        assert settings.slack_client_secret is not None
        oauth_settings = AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret.get_secret_value(),
            scopes=list(BOT_SCOPES),
            installation_store=installations,
            state_store=oauth_state_store(core.engine, expiration_seconds=OAUTH_STATE_SECONDS),
            install_path="/slack/install",
            redirect_uri_path="/slack/oauth_redirect",
        )
        token = None
    app = AsyncApp(
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=web_client(  # Bolt takes the token from it
            token, settings.slack_api_url, timeout=settings.platform_timeout_seconds
        ),
        oauth_settings=oauth_settings,
        process_before_response=False,
        # POST /slack/events checks every signature before Bolt sees the request
        # (bot/web.py); Socket Mode needs none.
        request_verification_enabled=False,
    )
    register(app, core)
    return app
